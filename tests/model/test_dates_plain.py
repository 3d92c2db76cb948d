"""Plain Gregorian EDTF (a day, month or year, or an interval of two) is read by a fast
path; it must give exactly the span the full reader gives, and leave everything else
(wrong days, seasons, qualifiers, reversed intervals) to the full reader and its messages."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from belie.model import dates
from belie.model.dates import DEFAULT_SETTINGS, DateError, _parse_cached, parse_date


def full_reading(text: str, cal: str = "gregorian"):
    """What the reader gives with the fast path switched off."""
    saved = dates._parse_plain
    dates._parse_plain = lambda text, s: None
    _parse_cached.cache_clear()
    try:
        return _parse_cached(text, cal, DEFAULT_SETTINGS, None)
    finally:
        dates._parse_plain = saved
        _parse_cached.cache_clear()


def fast_reading(text: str, cal: str = "gregorian"):
    _parse_cached.cache_clear()
    return _parse_cached(text, cal, DEFAULT_SETTINGS, None)


def same(text: str):
    try:
        want = full_reading(text)
    except DateError as exc:
        with pytest.raises(DateError) as got:
            fast_reading(text)
        assert str(got.value) == str(exc)
        return
    got = fast_reading(text)
    assert got == want
    assert (got.lo, got.hi, got.precision, got.edtf, got.text) == (want.lo, want.hi, want.precision,
                                                                   want.edtf, want.text)


@pytest.mark.parametrize("text", [
    "1932-11-27", "1932-11", "1932", " 1932-11-27 ", "1932-11-27/1932-12-02", "1873/1948",
    "1932-11/1933", "1900-02-29", "2000-02-29", "1932-02-30", "1932-13", "1932-00-10",
    "1932-22", "1933/1932", "1932-12-02/1932-11-27", "0000", "0000-01-01", "9999-12-31",
    "1932-11-27~", "1932-11-2X", "1932-11-27/..", "../1932", "1932-11-27/", "19321127",
])
def test_plain_dates_read_as_the_full_reader_reads_them(text):
    same(text)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 9999), st.integers(0, 25), st.integers(0, 32), st.sampled_from(["day", "month", "year"]),
       st.integers(0, 9999), st.integers(0, 25), st.integers(0, 32), st.sampled_from(["", "day", "month", "year"]))
def test_generated_plain_dates_match_the_full_reader(y, m, d, p, y2, m2, d2, p2):
    def edtf(y, m, d, p):
        return {"year": f"{y:04d}", "month": f"{y:04d}-{m:02d}", "day": f"{y:04d}-{m:02d}-{d:02d}"}[p]
    text = edtf(y, m, d, p) + ("/" + edtf(y2, m2, d2, p2) if p2 else "")
    same(text)


def test_a_julian_date_is_not_read_as_gregorian():
    assert parse_date("1917-10-25", calendar="julian").earliest.isoformat() == "1917-11-07"
