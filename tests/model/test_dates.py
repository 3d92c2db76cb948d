"""How belie reads dates: EDTF (levels 0-1), English prose, Julian sources, relative phrases.

Bounds are written as the user reads them ("21 Jul 1933") and compared as dates, so a
failure says which day moved.  Property tests at the end check the interval arithmetic.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings as hsettings, strategies as st

from belie.model.dates import (
    OPEN_END,
    OPEN_START,
    DateError,
    DateSettings,
    DateSpan,
    coerce_date,
    DAY,
    edtf_of,
    edtf_of_days,
    fmt_instant,
    fmt_day,
    julian_to_ordinal,
    parse_date,
    span_from,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "dates.md"
SAID = dt.date(1931, 7, 2)


def day(text: str) -> dt.date:
    """'21 Jul 1933' -> date(1933, 7, 21)."""
    return dt.datetime.strptime(text, "%d %b %Y").date()


def bounds(span: DateSpan) -> tuple:
    """The span's bounds as ('21 Jul 1933' | 'open', '31 Jul 1933' | 'open')."""
    return fmt_day(span.lo), fmt_day(span.hi)


def assert_reads(text, earliest, latest, edtf=None, **kw):
    span = parse_date(text, **kw)
    assert bounds(span) == (earliest, latest), f"{text!r} read as {span.describe()}"
    if edtf is not None:
        assert span.edtf == edtf
    assert span.text == text
    return span


# ----------------------------------------------------------------------------------
# The spec's table (casefile.md section 1)
# ----------------------------------------------------------------------------------

SPEC_TABLE = [
    ("1932-11-27", "27 Nov 1932", "27 Nov 1932"),
    ("1932-11", "1 Nov 1932", "30 Nov 1932"),
    ("1932", "1 Jan 1932", "31 Dec 1932"),
    ("1932-11-23/1932-12-02", "23 Nov 1932", "2 Dec 1932"),
    ("../1917", "open", "31 Dec 1917"),
    ("1901/..", "1 Jan 1901", "open"),
    ("1933-07-2X", "20 Jul 1933", "29 Jul 1933"),
]


@pytest.mark.parametrize("text,earliest,latest", SPEC_TABLE)
def test_spec_table_rows(text, earliest, latest):
    span = assert_reads(text, earliest, latest, edtf=text)
    assert span.qualifier is None


def test_spec_open_bounds_are_none_and_sentinels():
    start_open, end_open = parse_date("../1917"), parse_date("1901/..")
    assert start_open.earliest is None and start_open.lo == OPEN_START
    assert end_open.latest is None and end_open.hi == OPEN_END
    assert start_open.days() is None and end_open.days() is None
    assert start_open.describe() == "until 31 Dec 1917"
    assert end_open.describe() == "from 1 Jan 1901"


@pytest.mark.parametrize("text,qualifier", [("1932-11~", "approximate"), ("1932-11?", "uncertain"),
                                            ("1932-11%", "uncertain-approximate")])
def test_spec_qualified_month_widens_beyond_the_month(text, qualifier):
    span = parse_date(text)
    plain = parse_date("1932-11")
    assert span.qualifier == qualifier
    assert span.contains(plain) and span.lo < plain.lo and span.hi > plain.hi
    assert span.edtf == text


def test_spec_text_edtf_and_bounds_all_kept_and_shown():
    span = parse_date("end of July 1933")
    assert span.text == "end of July 1933"
    assert span.edtf == "1933-07-21/1933-07-31"
    assert span.describe() == "21 Jul 1933 .. 31 Jul 1933"
    shown = span.show()
    assert "end of July 1933" in shown and "1933-07-21/1933-07-31" in shown and "21 Jul 1933" in shown
    assert parse_date("1932-11").show() == "1932-11 (1 Nov 1932 .. 30 Nov 1932)"


# ----------------------------------------------------------------------------------
# More EDTF: masks, seasons, leap years
# ----------------------------------------------------------------------------------

EDTF_MORE = [
    ("1933-07-0X", "1 Jul 1933", "9 Jul 1933"),
    ("1933-07-3X", "30 Jul 1933", "31 Jul 1933"),
    ("1932-02-2X", "20 Feb 1932", "29 Feb 1932"),
    ("1933-1X", "1 Oct 1933", "31 Dec 1933"),
    ("1933-0X", "1 Jan 1933", "30 Sep 1933"),
    ("1933-XX", "1 Jan 1933", "31 Dec 1933"),
    ("1933-07-XX", "1 Jul 1933", "31 Jul 1933"),
    ("193X", "1 Jan 1930", "31 Dec 1939"),
    ("19XX", "1 Jan 1900", "31 Dec 1999"),
    ("1933-21", "1 Mar 1933", "31 May 1933"),
    ("1933-22", "1 Jun 1933", "31 Aug 1933"),
    ("1933-23", "1 Sep 1933", "30 Nov 1933"),
    ("1935-24", "1 Dec 1935", "29 Feb 1936"),
    ("1936-24", "1 Dec 1936", "28 Feb 1937"),
    ("1932-02-29", "29 Feb 1932", "29 Feb 1932"),
    ("2000-02-29", "29 Feb 2000", "29 Feb 2000"),
    ("1932/1934", "1 Jan 1932", "31 Dec 1934"),
    ("1932-11/1933-02", "1 Nov 1932", "28 Feb 1933"),
    ("1932-11-23/..", "23 Nov 1932", "open"),
    ("../1932-11", "open", "30 Nov 1932"),
    ("1932-11-23/", "23 Nov 1932", "open"),
    ("../..", "open", "open"),
]


@pytest.mark.parametrize("text,earliest,latest", EDTF_MORE)
def test_more_edtf(text, earliest, latest):
    assert_reads(text, earliest, latest)


def test_precision_of_what_was_written():
    assert parse_date("1932-11-27").precision == "day"
    assert parse_date("1933-07-2X").precision == "day"
    assert parse_date("1932-11").precision == "month"
    assert parse_date("1933-22").precision == "season"
    assert parse_date("1932").precision == "year"
    assert parse_date("193X").precision == "decade"
    assert parse_date("1932/1933").precision == "interval"
    assert parse_date("../1917").precision == "open"


# ----------------------------------------------------------------------------------
# English prose
# ----------------------------------------------------------------------------------

PROSE = [
    # days
    ("the 23rd of November, 1932", "23 Nov 1932", "23 Nov 1932", "1932-11-23"),
    ("23 November 1932", "23 Nov 1932", "23 Nov 1932", "1932-11-23"),
    ("November 23, 1932", "23 Nov 1932", "23 Nov 1932", "1932-11-23"),
    ("on 1st May 1930", "1 May 1930", "1 May 1930", "1930-05-01"),
    ("2nd of Sept. 1939", "2 Sep 1939", "2 Sep 1939", "1939-09-02"),
    # months
    ("November 1932", "1 Nov 1932", "30 Nov 1932", "1932-11"),
    ("Nov. 1932", "1 Nov 1932", "30 Nov 1932", "1932-11"),
    ("in February 1932", "1 Feb 1932", "29 Feb 1932", "1932-02"),
    ("February of 1933", "1 Feb 1933", "28 Feb 1933", "1933-02"),
    # parts of a month
    ("end of July 1933", "21 Jul 1933", "31 Jul 1933", "1933-07-21/1933-07-31"),
    ("at the end of July 1933", "21 Jul 1933", "31 Jul 1933", "1933-07-21/1933-07-31"),
    ("late July 1933", "21 Jul 1933", "31 Jul 1933", "1933-07-21/1933-07-31"),
    ("the last days of June 1933", "21 Jun 1933", "30 Jun 1933", "1933-06-21/1933-06-30"),
    ("the middle of March 1921", "11 Mar 1921", "20 Mar 1921", "1921-03-11/1921-03-20"),
    ("mid-March 1921", "11 Mar 1921", "20 Mar 1921", "1921-03-11/1921-03-20"),
    ("the beginning of March 1921", "1 Mar 1921", "10 Mar 1921", "1921-03-01/1921-03-10"),
    ("early March 1921", "1 Mar 1921", "10 Mar 1921", "1921-03-01/1921-03-10"),
    ("the first days of May 1930", "1 May 1930", "10 May 1930", "1930-05-01/1930-05-10"),
    ("the first half of May 1930", "1 May 1930", "15 May 1930", "1930-05-01/1930-05-15"),
    ("the second half of May 1930", "16 May 1930", "31 May 1930", "1930-05-16/1930-05-31"),
    ("the end of February 1932", "21 Feb 1932", "29 Feb 1932", "1932-02-21/1932-02-29"),
    ("the end of February 1933", "21 Feb 1933", "28 Feb 1933", "1933-02-21/1933-02-28"),
    # parts of a year
    ("early 1932", "1 Jan 1932", "30 Apr 1932", "1932-01/1932-04"),
    ("the beginning of 1932", "1 Jan 1932", "30 Apr 1932", "1932-01/1932-04"),
    ("mid-1932", "1 May 1932", "31 Aug 1932", "1932-05/1932-08"),
    ("the middle of 1932", "1 May 1932", "31 Aug 1932", "1932-05/1932-08"),
    ("late 1932", "1 Sep 1932", "31 Dec 1932", "1932-09/1932-12"),
    ("the end of 1932", "1 Sep 1932", "31 Dec 1932", "1932-09/1932-12"),
    ("the first half of 1932", "1 Jan 1932", "30 Jun 1932", "1932-01/1932-06"),
    ("the second half of 1932", "1 Jul 1932", "31 Dec 1932", "1932-07/1932-12"),
    # seasons
    ("in the autumn of 1933", "1 Sep 1933", "30 Nov 1933", "1933-23"),
    ("the fall of 1933", "1 Sep 1933", "30 Nov 1933", "1933-23"),
    ("spring 1933", "1 Mar 1933", "31 May 1933", "1933-21"),
    ("during the summer of 1933", "1 Jun 1933", "31 Aug 1933", "1933-22"),
    ("the winter of 1935–36", "1 Dec 1935", "29 Feb 1936", "1935-24"),
    ("winter 1935-1936", "1 Dec 1935", "29 Feb 1936", "1935-24"),
    ("the winter of 1936", "1 Dec 1936", "28 Feb 1937", "1936-24"),
    # years and decades
    ("1932", "1 Jan 1932", "31 Dec 1932", "1932"),
    ("in 1932", "1 Jan 1932", "31 Dec 1932", "1932"),
    ("the year 1932", "1 Jan 1932", "31 Dec 1932", "1932"),
    ("the 1930s", "1 Jan 1930", "31 Dec 1939", "193X"),
    ("1930's", "1 Jan 1930", "31 Dec 1939", "193X"),
    # ranges
    ("March–April 1937", "1 Mar 1937", "30 Apr 1937", "1937-03/1937-04"),
    ("March to April 1937", "1 Mar 1937", "30 Apr 1937", "1937-03/1937-04"),
    ("1936–38", "1 Jan 1936", "31 Dec 1938", "1936/1938"),
    ("1936-38", "1 Jan 1936", "31 Dec 1938", "1936/1938"),
    ("1936 to 1938", "1 Jan 1936", "31 Dec 1938", "1936/1938"),
    ("between 1 and 3 December 1932", "1 Dec 1932", "3 Dec 1932", "1932-12-01/1932-12-03"),
    ("1–3 December 1932", "1 Dec 1932", "3 Dec 1932", "1932-12-01/1932-12-03"),
    ("from 23 November to 2 December 1932", "23 Nov 1932", "2 Dec 1932", "1932-11-23/1932-12-02"),
    ("between November 1932 and March 1933", "1 Nov 1932", "31 Mar 1933", "1932-11/1933-03"),
    ("from 1931 until 1933", "1 Jan 1931", "31 Dec 1933", "1931/1933"),
    # qualified
    ("about 1930", "1 Jan 1929", "31 Dec 1931", "1930~"),
    ("c. 1930", "1 Jan 1929", "31 Dec 1931", "1930~"),
    ("circa 1930", "1 Jan 1929", "31 Dec 1931", "1930~"),
    ("around November 1932", "17 Oct 1932", "15 Dec 1932", "1932-11~"),
    ("about 23 November 1932", "20 Nov 1932", "26 Nov 1932", "1932-11-23~"),
    ("probably in 1932", "1 Jan 1931", "31 Dec 1933", "1932?"),
    ("perhaps in November 1932", "1 Oct 1932", "31 Dec 1932", "1932-11?"),
    ("about the end of July 1933", "18 Jul 1933", "3 Aug 1933", "1933-07-21~/1933-07-31~"),
    ("about March–April 1937", "14 Feb 1937", "15 May 1937", "1937-03~/1937-04~"),
    # open
    ("before 1917", "open", "31 Dec 1916", "../1916-12-31"),
    ("after 1917", "1 Jan 1918", "open", "1918-01-01/.."),
    ("since 1917", "1 Jan 1917", "open", "1917/.."),
    ("until 1917", "open", "31 Dec 1917", "../1917"),
    ("by 1917", "open", "31 Dec 1917", "../1917"),
    ("not later than March 1917", "open", "31 Mar 1917", "../1917-03"),
    ("by the end of July 1933", "open", "31 Jul 1933", "../1933-07-31"),
    ("since early 1932", "1 Jan 1932", "open", "1932-01/.."),
    ("before the 23rd of November 1932", "open", "22 Nov 1932", "../1932-11-22"),
]


@pytest.mark.parametrize("text,earliest,latest,edtf", PROSE)
def test_prose(text, earliest, latest, edtf):
    assert_reads(text, earliest, latest, edtf=edtf)


@pytest.mark.parametrize("text,earliest,latest,edtf", PROSE)
def test_prose_edtf_reads_back_to_the_same_bounds(text, earliest, latest, edtf):
    """The EDTF stored for a phrase means the same days as the phrase itself."""
    assert bounds(parse_date(edtf)) == (earliest, latest)


def test_prose_qualifiers():
    assert parse_date("about 1930").qualifier == "approximate"
    assert parse_date("probably in 1932").qualifier == "uncertain"
    assert parse_date("about probably 1932").qualifier == "uncertain-approximate"
    assert parse_date("end of July 1933").qualifier is None


def test_prose_is_case_and_space_insensitive():
    a = parse_date("END OF   JULY 1933")
    b = parse_date("end of july 1933")
    assert bounds(a) == bounds(b) and a.edtf == b.edtf


# ----------------------------------------------------------------------------------
# Julian calendar
# ----------------------------------------------------------------------------------

def test_julian_october_revolution():
    span = parse_date("1917-10-25", calendar="julian")
    assert span.earliest == span.latest == dt.date(1917, 11, 7)
    assert span.edtf == "1917-11-07"
    assert span.text == "1917-10-25"
    assert span.calendar == "julian"


def test_julian_last_day_of_the_old_calendar():
    span = parse_date("1918-02-01", calendar="julian")
    assert span.earliest == span.latest == dt.date(1918, 2, 14)


def test_julian_prose_is_converted_too():
    assert_reads("25 October 1917", "7 Nov 1917", "7 Nov 1917", edtf="1917-11-07", calendar="julian")
    assert_reads("the end of October 1917", "3 Nov 1917", "13 Nov 1917", calendar="julian")


def test_julian_month_bounds():
    assert_reads("1917-10", "14 Oct 1917", "13 Nov 1917", edtf="1917-10-14/1917-11-13", calendar="julian")
    assert_reads("October 1917", "14 Oct 1917", "13 Nov 1917", calendar="julian")
    # February 1900 has 29 days in the Julian calendar (1900 is a Julian leap year)
    assert_reads("1900-02", "13 Feb 1900", "13 Mar 1900", calendar="julian")
    assert_reads("1900-02-29", "13 Mar 1900", "13 Mar 1900", calendar="julian")
    with pytest.raises(DateError):
        parse_date("1900-02-29")


def test_julian_year_and_open_bounds():
    assert_reads("1917", "14 Jan 1917", "13 Jan 1918", calendar="julian")
    assert_reads("../1917", "open", "13 Jan 1918", calendar="julian")


def test_julian_qualified_widens_around_converted_bounds():
    span = parse_date("1917-10~", calendar="julian")
    assert bounds(span) == ("29 Sep 1917", "28 Nov 1917")   # 14 Oct - 15 .. 13 Nov + 15
    assert span.qualifier == "approximate"


def test_julian_to_ordinal_known_days():
    assert julian_to_ordinal(1917, 10, 25) == dt.date(1917, 11, 7).toordinal()
    assert julian_to_ordinal(1582, 10, 5) == dt.date(1582, 10, 15).toordinal()
    assert julian_to_ordinal(1700, 2, 29) == dt.date(1700, 3, 11).toordinal()


def test_unknown_calendar():
    with pytest.raises(DateError, match="calendar"):
        parse_date("1932", calendar="hebrew")


# ----------------------------------------------------------------------------------
# Widening by ~ ? %
# ----------------------------------------------------------------------------------

DEFAULT_WIDENING = [
    # day: ~3, ?7, %10
    ("1932-11-27~", "24 Nov 1932", "30 Nov 1932"),
    ("1932-11-27?", "20 Nov 1932", "4 Dec 1932"),
    ("1932-11-27%", "17 Nov 1932", "7 Dec 1932"),
    # month: ~15, ?31, %46
    ("1932-11~", "17 Oct 1932", "15 Dec 1932"),
    ("1932-11?", "1 Oct 1932", "31 Dec 1932"),
    ("1932-11%", "16 Sep 1932", "15 Jan 1933"),
    # season uses the month margin
    ("1933-22~", "17 May 1933", "15 Sep 1933"),
    # year: ~365, ?365, %730
    ("1932~", "1 Jan 1931", "31 Dec 1933"),
    ("1932?", "1 Jan 1931", "31 Dec 1933"),
    ("1932%", "1 Jan 1930", "31 Dec 1934"),
    # decade uses the year margin (1940 is a leap year: 365 days reach 30 Dec)
    ("193X~", "1 Jan 1929", "30 Dec 1940"),
    # a masked day is day precision
    ("1933-07-2X~", "17 Jul 1933", "1 Aug 1933"),
    # in an interval each end widens by its own qualifier and precision
    ("1932-11-23~/1932-12-02", "20 Nov 1932", "2 Dec 1932"),
    ("1932-11-23/1932-12-02?", "23 Nov 1932", "9 Dec 1932"),
    ("1932-11~/1933-02?", "17 Oct 1932", "31 Mar 1933"),
    # an open end stays open
    ("1932-11-23~/..", "20 Nov 1932", "open"),
    ("../1932-11?", "open", "31 Dec 1932"),
]


@pytest.mark.parametrize("text,earliest,latest", DEFAULT_WIDENING)
def test_widening_by_default_margins(text, earliest, latest):
    assert_reads(text, earliest, latest, edtf=text)


def test_default_margins_are_documented_values():
    s = DateSettings()
    assert dict(s.approximate) == {"day": 3, "month": 15, "year": 365, "minute": 15}
    assert dict(s.uncertain) == {"day": 7, "month": 31, "year": 365, "minute": 30}
    assert s.margin(None, "day") == 0
    assert s.margin("approximate", "minute") == s.margin("approximate", "second") == 15
    assert s.margin("uncertain-approximate", "month") == 46
    assert s.margin("approximate", "season") == 15
    assert s.margin("approximate", "decade") == 365


def test_widening_with_settings_overrides():
    s = DateSettings.from_mapping({"approximate": {"day": 1, "month": 5}, "uncertain": {"year": 30}})
    assert dict(s.approximate) == {"day": 1, "month": 5, "year": 365, "minute": 15}
    assert dict(s.uncertain) == {"day": 7, "month": 31, "year": 30, "minute": 30}
    assert bounds(parse_date("1932-11-27~", settings=s)) == ("26 Nov 1932", "28 Nov 1932")
    assert bounds(parse_date("1932-11~", settings=s)) == ("27 Oct 1932", "5 Dec 1932")
    assert bounds(parse_date("1932?", settings=s)) == ("2 Dec 1931", "30 Jan 1933")
    assert bounds(parse_date("about November 1932", settings=s)) == ("27 Oct 1932", "5 Dec 1932")
    # the defaults are untouched
    assert bounds(parse_date("1932-11-27~")) == ("24 Nov 1932", "30 Nov 1932")


def test_zero_margins_do_not_widen():
    s = DateSettings.from_mapping({"approximate": {"day": 0, "month": 0, "year": 0},
                                   "uncertain": {"day": 0, "month": 0, "year": 0}})
    for text, plain in [("1932-11-27%", "1932-11-27"), ("1932-11?", "1932-11"), ("1932~", "1932")]:
        assert bounds(parse_date(text, settings=s)) == bounds(parse_date(plain))


@pytest.mark.parametrize("mapping,message", [
    ({"approximately": {"day": 1}}, "unknown dates setting"),
    ({"approximate": {"week": 1}}, "unknown precision"),
    ({"approximate": {"day": -1}}, "whole number"),
    ({"approximate": {"day": 1.5}}, "whole number"),
    ({"approximate": 3}, "must map"),
    ([1, 2], "must be a mapping"),
])
def test_settings_errors(mapping, message):
    with pytest.raises(DateError, match=message):
        DateSettings.from_mapping(mapping)


def test_widening_stays_within_the_calendar():
    assert parse_date("0001~").earliest == dt.date(1, 1, 1)
    assert parse_date("9999?").latest == dt.date(9999, 12, 31)


# ----------------------------------------------------------------------------------
# Relative phrases
# ----------------------------------------------------------------------------------

RELATIVE = [
    ("the very next day", "3 Jul 1931", "3 Jul 1931"),
    ("the next day", "3 Jul 1931", "3 Jul 1931"),
    ("on the following day", "3 Jul 1931", "3 Jul 1931"),
    ("the same day", "2 Jul 1931", "2 Jul 1931"),
    ("that day", "2 Jul 1931", "2 Jul 1931"),
    ("the day before", "1 Jul 1931", "1 Jul 1931"),
    ("the eve", "1 Jul 1931", "1 Jul 1931"),
    ("a week later", "9 Jul 1931", "9 Jul 1931"),
    ("a few days later", "4 Jul 1931", "9 Jul 1931"),
    ("that month", "1 Jul 1931", "31 Jul 1931"),
    ("the following month", "1 Aug 1931", "31 Aug 1931"),
    ("that year", "1 Jan 1931", "31 Dec 1931"),
    ("the next year", "1 Jan 1932", "31 Dec 1932"),
]


@pytest.mark.parametrize("text,earliest,latest", RELATIVE)
def test_relative_phrases_with_anchor(text, earliest, latest):
    assert_reads(text, earliest, latest, anchor=SAID)


def test_relative_next_month_over_the_year_end():
    assert bounds(parse_date("the next month", anchor=dt.date(1932, 12, 15))) == ("1 Jan 1933", "31 Jan 1933")
    assert bounds(parse_date("the next day", anchor=dt.date(1932, 12, 31))) == ("1 Jan 1933", "1 Jan 1933")


@pytest.mark.parametrize("text", ["the very next day", "the day before", "that month", "a week later"])
def test_relative_phrase_without_anchor_says_what_is_missing(text):
    with pytest.raises(DateError, match="said"):
        parse_date(text)


def test_anchor_does_not_change_absolute_dates():
    assert bounds(parse_date("1932-11", anchor=SAID)) == bounds(parse_date("1932-11"))


# ----------------------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------------------

ERRORS = [
    ("Octember 1932", r"cannot read 'Octember 1932' as a date"),
    ("1932-13", r"no month 13"),
    ("32nd of May 1932", r"May 1932 has no day 32"),
    ("1932-02-30", r"Feb 1932 has no day 30"),
    ("1933-02-29", r"Feb 1933 has no day 29"),
    ("31 April 1933", r"Apr 1933 has no day 31"),
    ("", r"empty date"),
    ("   ", r"empty date"),
    ("1934/1932", r"ends before it begins"),
    ("/", r"at least one end"),
    ("1932-3X", r"no month matches"),
    ("1933-02-3X", r"no day of Feb 1933"),
    ("1932-X1", r"only the last digits"),
    ("1X32", r"only the last digits"),
    ("193X-05", r"masked year"),
    ("1932-1X-05", r"masked month needs a masked day"),
    ("winter of 1935-40", r"cannot read"),
    ("next Tuesday", r"cannot read"),
    ("the 23rd of November", r"cannot read"),
]


@pytest.mark.parametrize("text,message", ERRORS)
def test_errors_say_what_is_wrong(text, message):
    with pytest.raises(DateError, match=message):
        parse_date(text)


def test_date_error_is_a_value_error():
    assert issubclass(DateError, ValueError)


def test_not_a_string():
    with pytest.raises(DateError):
        parse_date(1932)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------
# coerce_date: what YAML hands over
# ----------------------------------------------------------------------------------

def test_coerce_date_accepts_yaml_values():
    assert coerce_date(1932).edtf == "1932"
    assert coerce_date(dt.date(1932, 11, 27)).edtf == "1932-11-27"
    # a datetime (from JSON or the library) is a time: local without a zone, else at its offset
    with pytest.raises(DateError, match="no time zone"):
        coerce_date(dt.datetime(1932, 11, 27, 10, 30))
    # (Paris kept Greenwich time in the winter of 1932: the tz database's history)
    assert coerce_date(dt.datetime(1932, 11, 27, 10, 30), zone="Europe/Paris").describe() == "27 Nov 1932 10:30:00 UTC"
    aware = dt.datetime(1932, 11, 27, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert coerce_date(aware).describe() == "27 Nov 1932 08:30:00 UTC"
    span = parse_date("1932-11")
    assert coerce_date(span) is span
    assert coerce_date(dt.date(1917, 10, 25), calendar="julian").earliest == dt.date(1917, 11, 7)


@pytest.mark.parametrize("value", [True, None, 19.32, ["1932"]])
def test_coerce_date_rejects_other_values(value):
    with pytest.raises(DateError):
        coerce_date(value)


# ----------------------------------------------------------------------------------
# Interval arithmetic, by example
# ----------------------------------------------------------------------------------

def test_interval_examples():
    nov = parse_date("1932-11")
    late_nov = parse_date("1932-11-23/1932-12-02")
    assert nov.overlaps(late_nov) and not nov.contains(late_nov)
    cut = nov.intersection(late_nov)
    assert bounds(cut) == ("23 Nov 1932", "30 Nov 1932") and cut.edtf == "1932-11-23/1932-11-30"
    assert cut.days() == 8
    assert parse_date("1932").contains(nov)
    assert parse_date("1932-10").intersection(parse_date("1932-12")) is None
    # touching days overlap: the bounds are inclusive
    assert parse_date("../1932-11-23").overlaps(parse_date("1932-11-23/.."))
    assert not parse_date("../1932-11-22").overlaps(parse_date("1932-11-23/.."))


def test_edtf_of_days_compact_forms():
    o = lambda *a: dt.date(*a).toordinal()  # noqa: E731
    assert edtf_of_days(o(1932, 11, 27), o(1932, 11, 27)) == "1932-11-27"
    assert edtf_of_days(o(1932, 11, 1), o(1932, 11, 30)) == "1932-11"
    assert edtf_of_days(o(1932, 1, 1), o(1932, 12, 31)) == "1932"
    assert edtf_of_days(o(1932, 11, 2), o(1932, 11, 30)) == "1932-11-02/1932-11-30"
    assert edtf_of(OPEN_START, o(1917, 12, 31) * DAY + DAY - 1) == "../1917-12-31"
    assert edtf_of(o(1901, 1, 1) * DAY, OPEN_END) == "1901-01-01/.."
    assert edtf_of(OPEN_START, OPEN_END) == "../.."


# ----------------------------------------------------------------------------------
# Interval arithmetic, properties
# ----------------------------------------------------------------------------------

MIN_DAY = dt.date(1000, 1, 1).toordinal()
MAX_DAY = dt.date(2999, 12, 31).toordinal()
days_st = st.integers(MIN_DAY, MAX_DAY)


@st.composite
def spans(draw, allow_open=True):
    a, b = sorted((draw(days_st), draw(days_st)))
    a, b = a * DAY, b * DAY + DAY - 1
    if allow_open and draw(st.booleans()) and draw(st.booleans()):
        a = OPEN_START
    if allow_open and draw(st.booleans()) and draw(st.booleans()):
        b = OPEN_END
    return span_from(a, b)


@given(spans(), spans())
def test_intersection_is_commutative_and_inside_both(x, y):
    xy, yx = x.intersection(y), y.intersection(x)
    assert (xy is None) == (yx is None)
    if xy is not None:
        assert (xy.lo, xy.hi) == (yx.lo, yx.hi)
        assert x.contains(xy) and y.contains(xy)
        assert xy.lo == max(x.lo, y.lo) and xy.hi == min(x.hi, y.hi)


@given(spans(), spans())
def test_overlaps_iff_intersection(x, y):
    assert x.overlaps(y) == (x.intersection(y) is not None)
    assert x.overlaps(y) == y.overlaps(x)


@given(spans(), spans())
def test_contains_implies_overlaps(x, y):
    if x.contains(y):
        assert x.overlaps(y)
        assert x.intersection(y).lo == y.lo and x.intersection(y).hi == y.hi


@given(spans())
def test_span_contains_and_overlaps_itself(x):
    assert x.contains(x) and x.overlaps(x)
    assert x.intersection(x).edtf == x.edtf


@given(spans())
def test_span_edtf_round_trips_through_the_parser(x):
    edtf = edtf_of(x.lo, x.hi)
    assert x.edtf == edtf
    back = parse_date(edtf)
    assert (back.lo, back.hi) == (x.lo, x.hi)
    assert back.earliest == x.earliest and back.latest == x.latest


@given(spans(allow_open=False))
def test_days_counts_the_interval(x):
    assert x.days() * DAY == x.hi - x.lo + 1 >= DAY


@given(days_st, spans())
def test_open_start_overlaps_anything_that_begins_by_its_end(end, x):
    before = parse_date(f"../{dt.date.fromordinal(end).isoformat()}")
    assert before.overlaps(x) == (x.lo // DAY <= end)
    after = parse_date(f"{dt.date.fromordinal(end).isoformat()}/..")
    assert after.overlaps(x) == (x.hi // DAY >= end)
    assert parse_date("../..").contains(x)


def _written(y: int, m: int, d: int, precision: str) -> str:
    return {
        "day": f"{y:04d}-{m:02d}-{d:02d}",
        "month": f"{y:04d}-{m:02d}",
        "season": f"{y:04d}-{21 + (m - 1) % 4}",
        "year": f"{y:04d}",
        "decade": f"{y // 10:03d}X",
        "masked-day": f"{y:04d}-{m:02d}-{min(d, 28) // 10}X",
    }[precision]


margins_st = st.fixed_dictionaries({"day": st.integers(0, 60), "month": st.integers(0, 120),
                                    "year": st.integers(0, 800)})
PRECISION_MARGIN = {"day": "day", "masked-day": "day", "month": "month", "season": "month",
                    "year": "year", "decade": "year"}


@hsettings(max_examples=200)
@given(st.integers(1100, 2900), st.integers(1, 12), st.integers(1, 28),
       st.sampled_from(sorted(PRECISION_MARGIN)), st.sampled_from("~?%"), margins_st, margins_st,
       st.sampled_from(["gregorian", "julian"]))
def test_widening_never_narrows_and_widens_by_the_margin(y, m, d, precision, mark, approx, uncert, cal):
    s = DateSettings.from_mapping({"approximate": approx, "uncertain": uncert})
    text = _written(y, m, d, precision)
    plain = parse_date(text, calendar=cal, settings=s)
    wide = parse_date(text + mark, calendar=cal, settings=s)
    assert wide.contains(plain)
    p = PRECISION_MARGIN[precision]
    expected = {"~": approx[p], "?": uncert[p], "%": approx[p] + uncert[p]}[mark]
    assert plain.lo - wide.lo == expected * DAY
    assert wide.hi - plain.hi == expected * DAY
    assert wide.edtf.endswith(mark)


@given(st.integers(1100, 2900), st.integers(1, 12), st.sampled_from(sorted(PRECISION_MARGIN)),
       st.sampled_from("~?%"), margins_st, margins_st)
def test_larger_margins_widen_more(y, m, precision, mark, small, extra):
    big = {k: small[k] + extra[k] for k in small}
    text = _written(y, m, 15, precision) + mark
    narrow = parse_date(text, settings=DateSettings.from_mapping({"approximate": small, "uncertain": small}))
    wide = parse_date(text, settings=DateSettings.from_mapping({"approximate": big, "uncertain": big}))
    assert wide.contains(narrow)


@given(days_st, days_st, st.sampled_from("~?%"))
def test_qualified_interval_contains_the_plain_one(a, b, mark):
    a, b = sorted((a, b))
    x, y = dt.date.fromordinal(a).isoformat(), dt.date.fromordinal(b).isoformat()
    plain = parse_date(f"{x}/{y}")
    for text in (f"{x}{mark}/{y}", f"{x}/{y}{mark}", f"{x}{mark}/{y}{mark}"):
        assert parse_date(text).contains(plain)


@given(st.integers(1100, 2899), st.integers(1, 12), st.integers(1, 28))
def test_julian_day_is_later_than_the_same_gregorian_day(y, m, d):
    # from 1100 to 2899 the Julian calendar runs 6 to 19 days behind the Gregorian
    greg = parse_date(f"{y:04d}-{m:02d}-{d:02d}")
    jul = parse_date(f"{y:04d}-{m:02d}-{d:02d}", calendar="julian")
    assert 6 * DAY <= jul.lo - greg.lo <= 19 * DAY
    assert jul.lo == julian_to_ordinal(y, m, d) * DAY


# ----------------------------------------------------------------------------------
# docs/dates.md must not drift from the parser
# ----------------------------------------------------------------------------------

_ROW = re.compile(r"^\|\s*`(?P<text>[^`]*)`\s*\|\s*`(?P<edtf>[^`]*)`\s*\|\s*(?P<lo>[^|]+?)\s*\|\s*(?P<hi>[^|]+?)\s*\|\s*$")
_HEAD = re.compile(r"^\|\s*written(?:\s*\((?P<how>[^)]*)\))?\s*\|")


def _doc_rows():
    rows, how = [], None
    for n, line in enumerate(DOCS.read_text("utf-8").splitlines(), 1):
        head = _HEAD.match(line)
        if head:
            how = (head.group("how") or "").strip()
            continue
        if not line.startswith("|"):
            how = None if not line.strip() else how
            continue
        row = _ROW.match(line)
        if row and how is not None:
            kw = {}
            if how == "julian":
                kw["calendar"] = "julian"
            elif how.startswith("said "):
                kw["anchor"] = dt.date.fromisoformat(how.split()[1])
            elif how.startswith("zone "):
                kw["zone"] = how.split()[1]
            rows.append(pytest.param(row["text"], row["edtf"], row["lo"], row["hi"], kw, id=f"line{n}"))
    return rows


DOC_ROWS = _doc_rows()


def test_docs_table_is_large_enough():
    assert len(DOC_ROWS) >= 25


@pytest.mark.parametrize("text,edtf,earliest,latest,kw", DOC_ROWS)
def test_docs_table_matches_the_parser(text, edtf, earliest, latest, kw):
    span = parse_date(text, **kw)
    assert (span.read or span.edtf) == edtf, f"docs/dates.md: {text!r} now reads as {span.read or span.edtf}"
    got = (fmt_instant(span.lo), fmt_instant(span.hi, end=True)) if span.timed else bounds(span)
    assert got == (earliest, latest), f"docs/dates.md: {text!r} now reads as {span.describe()}"
