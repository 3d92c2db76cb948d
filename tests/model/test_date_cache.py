"""The source's date (anchor) is read only by relative phrases, so a plain date parses to
the same span, once, whatever source it comes from."""
from __future__ import annotations

import datetime as dt

from belie.model.dates import _parse_cached, parse_date


def test_plain_dates_share_one_parse_across_anchors():
    a = parse_date("1925-03-01/1925-03-20", anchor=dt.date(1930, 1, 1))
    b = parse_date("1925-03-01/1925-03-20", anchor=dt.date(1931, 6, 2))
    assert a is b and (a.earliest, a.latest) == (dt.date(1925, 3, 1), dt.date(1925, 3, 20))


def test_relative_phrases_still_read_their_anchor():
    _parse_cached.cache_clear()
    a = parse_date("the next day", anchor=dt.date(1930, 1, 1))
    b = parse_date("the next day", anchor=dt.date(1931, 6, 2))
    assert (a.earliest, b.earliest) == (dt.date(1930, 1, 2), dt.date(1931, 6, 3))


def test_a_prose_date_that_is_not_relative_is_read_once_whatever_its_source():
    a = parse_date("end of July 1933", anchor=dt.date(1930, 1, 1))
    b = parse_date("end of July 1933", anchor=dt.date(1935, 6, 2))
    assert a is b and (a.earliest, a.latest) == (dt.date(1933, 7, 21), dt.date(1933, 7, 31))


def test_a_relative_phrase_in_other_words_still_reads_its_anchor():
    a = parse_date("On the following day", anchor=dt.date(1930, 1, 1))
    b = parse_date("on the following day", anchor=dt.date(1931, 6, 2))
    assert (a.earliest, b.earliest) == (dt.date(1930, 1, 2), dt.date(1931, 6, 3))
