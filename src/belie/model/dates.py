"""Uncertain dates and times: EDTF (levels 0 and 1), ISO 8601 times, and the English prose of testimony.

Every date belie reads becomes a `DateSpan`: the text as written, the EDTF it reads
as, its bounds, a qualifier (approximate / uncertain) and the calendar it was written in.

**The one interval of belie.**  A `DateSpan`'s bounds, ``lo`` and ``hi``, are whole
seconds on one clock -- UTC, counted from 0001-01-01T00:00:00 of the proleptic Gregorian
calendar, so that ``lo // DAY`` is ``datetime.date.toordinal()`` of the day -- and both
are *inclusive*: the span is every second from ``lo`` to ``hi``.  Every rule computes in
these seconds, so a date and a time of day compare instant by instant; interval
arithmetic is integer arithmetic (``hi + 1 - lo`` is a length in seconds, ``hi + 1`` the
end of the span).  Limits: nothing finer than a second; years 1 to 9999; an open end is
``OPEN_START`` / ``OPEN_END`` (about 27 million years beyond the calendar), never a
real instant.

A date without a time of day is a whole day (or month, or year).  Where its place's time
zone is applied (a case that has times of day: docs/dates.md), its bounds are local
midnights read in UTC; otherwise the day is read on the UTC clock, so that a case of
dates only compares whole calendar days exactly as written.  A time of day without an
offset is local (docs/dates.md says which zone); the offset in force on that day comes
from the IANA tz database (``zoneinfo`` with the pinned ``tzdata`` package).

How `~` (approximate) and `?` (uncertain) widen the bounds is set by `DateSettings`
and documented in docs/dates.md.  This module is also the one place that writes a day,
a time, an interval or a duration for a reader (``fmt_day``, ``fmt_instant``,
``span_text``, ``edtf_of``, ``duration``, ``plural``).
"""
from __future__ import annotations

import calendar as _cal
import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

DAY = 86_400                 # seconds in a day: the bounds are seconds, ``lo // DAY`` the day
OPEN_START = -DAY * 10**10   # lo of an interval with an open (or unknown) start
OPEN_END = DAY * 10**10 - 1  # hi of an interval with an open (or unknown) end
# Reading a date works in day ordinals first; these are its open ends.
_OPEN_LO_D = -(10**9)
_OPEN_HI_D = 10**9
_MAX_ORD_D = 3_652_059       # date.max.toordinal()

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
MONTH_ABBR = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# EDTF level-1 season codes, northern hemisphere, meteorological seasons.
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 14)}  # 14 = February of the next year


class DateError(ValueError):
    """A date that cannot be read; the message says what is wrong."""


@dataclass(frozen=True)
class DateSettings:
    """How far `~` (approximate) and `?` (uncertain) widen each bound, by precision.

    `%` (both) widens by the sum of the two.  Precision is that of the date as written:
    a day, a month, a season, a year, or a decade (decades and seasons use the year and
    month margins) -- in days; or a time of day (a minute or a second) -- in minutes.
    Override in case.yaml::

        settings:
          dates:
            approximate: {day: 3, month: 15, year: 365, minute: 15}
            uncertain: {day: 7, month: 31, year: 365, minute: 30}
    """

    approximate: tuple = (("day", 3), ("month", 15), ("year", 365), ("minute", 15))
    uncertain: tuple = (("day", 7), ("month", 31), ("year", 365), ("minute", 30))

    def margin(self, qualifier: str | None, precision: str) -> int:
        """The widening of one bound: days for a date, minutes for a time of day."""
        if not qualifier:
            return 0
        p = {"day": "day", "month": "month", "season": "month",
             "minute": "minute", "second": "minute"}.get(precision, "year")
        total = 0
        if "approximate" in qualifier:
            total += dict(self.approximate)[p]
        if "uncertain" in qualifier:
            total += dict(self.uncertain)[p]
        return total

    @classmethod
    def from_mapping(cls, m: dict) -> "DateSettings":
        if not isinstance(m, dict):
            raise DateError("dates settings must be a mapping with `approximate` and/or `uncertain`")
        base = cls()
        out = {"approximate": dict(base.approximate), "uncertain": dict(base.uncertain)}
        for key, val in m.items():
            if key not in out:
                raise DateError(f"unknown dates setting {key!r} (expected approximate or uncertain)")
            if not isinstance(val, dict):
                raise DateError(f"dates.{key} must map day/month/year to a number of days "
                                "(and minute to a number of minutes)")
            for prec, n in val.items():
                if prec not in ("day", "month", "year", "minute"):
                    raise DateError(f"dates.{key}: unknown precision {prec!r} "
                                    "(expected day, month, year or minute)")
                top, unit = (10_080, "minutes") if prec == "minute" else (36_600, "days")
                if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= top:
                    raise DateError(f"dates.{key}.{prec} must be a whole number of {unit} "
                                    f"from 0 to {top}, got {n!r}")
                out[key][prec] = n
        return cls(approximate=tuple(out["approximate"].items()), uncertain=tuple(out["uncertain"].items()))


DEFAULT_SETTINGS = DateSettings()

# ----------------------------------------------------------------------------------
# The one formatter: days, instants, intervals, durations, counts
# ----------------------------------------------------------------------------------


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 day', '3 days', '1,204 claims' (``many`` for irregular plurals)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def is_open(lo: int, hi: int) -> bool:
    """Whether either end of [lo, hi] is open."""
    return lo <= OPEN_START or hi >= OPEN_END


def grain(lo: int, hi: int) -> int:
    """The coarsest unit both ends of [lo, hi] fall on: DAY, 60 (a minute) or 1.

    A span of whole days (on the UTC clock) has grain DAY; an open end does not count.
    """
    g = DAY
    if lo > OPEN_START:
        g = math.gcd(g, lo % DAY or DAY)
    if hi < OPEN_END:
        g = math.gcd(g, (hi + 1) % DAY or DAY)
    return DAY if g == DAY else (60 if g % 60 == 0 else 1)


def n_days(lo: int, hi: int) -> int | None:
    """Whole days in [lo, hi] (None when either end is open)."""
    return None if is_open(lo, hi) else (hi + 1 - lo) // DAY


def fmt_day(x) -> str:
    """'24 Jul 1933' for a date, a day ordinal (int < DAY*4000) or an instant; 'open'."""
    if isinstance(x, _dt.date):
        return f"{x.day} {MONTH_ABBR[x.month]} {x.year}"
    if x <= OPEN_START or x >= OPEN_END:
        return "open"
    if x < _MAX_ORD_D + 1:            # a day ordinal
        d = _dt.date.fromordinal(x)
    else:
        d = _dt.date.fromordinal(x // DAY)
    return f"{d.day} {MONTH_ABBR[d.month]} {d.year}"


def utc_datetime(x: int) -> _dt.datetime:
    """The UTC datetime of an instant (seconds on belie's clock)."""
    return _dt.datetime.fromordinal(x // DAY).replace(tzinfo=_dt.timezone.utc) + _dt.timedelta(seconds=x % DAY)


def fmt_instant(x: int, *, end: bool | None = None, seconds: bool | None = None) -> str:
    """One bound for a reader: '24 Jul 1933' when it falls on a day's edge (its start,
    with ``end`` its last second; either by default), else '4 May 2021 09:05 UTC' (with
    seconds where the instant is not on a minute); 'open' for an open bound."""
    if x <= OPEN_START or x >= OPEN_END:
        return "open"
    if end is None:
        edge = x % DAY == 0 or (x + 1) % DAY == 0
        end = (x + 1) % 60 == 0
    else:
        edge = (x + 1) % DAY == 0 if end else x % DAY == 0
    if edge:
        return fmt_day(x)
    t = x % DAY
    if seconds is None:
        seconds = ((x + 1) % 60 if end else x % 60) != 0
    hh, mm, ss = t // 3600, t // 60 % 60, t % 60
    clock = f"{hh:02d}:{mm:02d}:{ss:02d}" if seconds else f"{hh:02d}:{mm:02d}"
    return f"{fmt_day(x)} {clock} UTC"


def span_text(lo: int, hi: int) -> str:
    """[lo, hi] for a reader: '24 Jul 1933', '21 Jul 1933 .. 31 Jul 1933',
    '4 May 2021 09:05 UTC', '4 May 2021 09:05 UTC .. 09:19 UTC', 'until 31 Dec 1917'."""
    if lo <= OPEN_START and hi >= OPEN_END:
        return "any time"
    if lo <= OPEN_START:
        return f"until {fmt_instant(hi, end=True)}"
    if hi >= OPEN_END:
        return f"from {fmt_instant(lo)}"
    g = grain(lo, hi)
    if g == DAY:
        a, b = lo // DAY, hi // DAY
        return fmt_day(a) if a == b else f"{fmt_day(a)} .. {fmt_day(b)}"
    sec = g == 1
    if g == 60 and hi + 1 - lo == 60 or sec and lo == hi:
        return fmt_instant(lo, seconds=sec)
    a, b = fmt_instant(lo, seconds=sec), fmt_instant(hi - (0 if sec else 59), seconds=sec)
    if lo // DAY == hi // DAY:
        b = b.split(" ", 3)[-1]          # the same day: '.. 09:19 UTC'
    return f"{a} .. {b}"


def duration(seconds: float) -> str:
    """A length of time for a reader: '3 days' (whole days), '1 h 20 min', '45 min', '20 s',
    '438 days 15 h' (from two days on)."""
    s = int(round(seconds))
    if s % DAY == 0:
        return plural(s // DAY, "day")
    if s >= 2 * DAY:
        return f"{plural(s // DAY, 'day')} {duration(s % DAY)}"
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    parts = []
    if h:
        parts.append(f"{h:,} h")
    if m:
        parts.append(f"{m} min")
    if sec or not parts:
        parts.append(f"{sec} s")
    return " ".join(parts)


def in_days(seconds: int | None):
    """A length for machine readers, in days: an int when whole (None stays None)."""
    if seconds is None:
        return None
    return seconds // DAY if seconds % DAY == 0 else round(seconds / DAY, 4)


def span_length(lo: int, hi: int) -> str | None:
    """The length of [lo, hi] in words ('3 days', '20 min'); None when open."""
    return None if is_open(lo, hi) else duration(hi + 1 - lo)


def hours(h: float, *, minutes: bool = False) -> str:
    """A time needed or available, in hours: '1.5 h'; with ``minutes`` (claims judged at
    the scale of minutes), below an hour also in minutes: '0.2 h (11 min)'."""
    if minutes and 0 < h < 1:
        m = round(h * 60)
        return f"{h:,.1f} h ({m} min)" if m else f"{h:,.1f} h (under a minute)"
    return f"{h:,.1f} h"


def span_hours(h: float, *, minutes: bool = False) -> str:
    """An available time: '24.0 h', or '31 days (744 h)' from two days on."""
    if h >= 48 and h % 24 == 0:
        return f"{int(h // 24):,} days ({h:,.0f} h)"
    return hours(h, minutes=minutes)


def _iso_utc(x: int, g: int) -> str:
    d = utc_datetime(x)
    if g == 1:
        return d.strftime("%Y-%m-%dT%H:%M:%SZ")
    return d.strftime("%Y-%m-%dT%H:%MZ")


def edtf_of(lo: int, hi: int) -> str:
    """A compact EDTF for [lo, hi]: days as before ('1932-11', '1933-07-21/1933-07-31');
    times in UTC ('2021-05-04T09:05Z', '2021-05-04T09:05Z/2021-05-04T09:19Z')."""
    g = grain(lo, hi)
    if g == DAY:
        return edtf_of_days(_OPEN_LO_D if lo <= OPEN_START else lo // DAY,
                            _OPEN_HI_D if hi >= OPEN_END else hi // DAY)
    a = ".." if lo <= OPEN_START else _iso_utc(lo, g)
    b = ".." if hi >= OPEN_END else _iso_utc(hi - (g - 1), g)
    return a if a == b else f"{a}/{b}"


# ----------------------------------------------------------------------------------
# The interval
# ----------------------------------------------------------------------------------


def _ord(d: _dt.date | None, default: int) -> int:
    return d.toordinal() if d is not None else default


@dataclass(frozen=True)
class DateSpan:
    """A date or time as written, as read, and its bounds (see the module's docstring).

    ``earliest`` / ``latest`` are the first and last day (UTC) or None when open;
    ``lo`` / ``hi`` the first and last second.  A time of day (``precision`` minute or
    second) or a date read in a time zone also carries ``zone`` (the IANA name, or the
    offset as written) and ``read``: the EDTF with the offset in force (as read).
    """

    text: str
    edtf: str
    earliest: _dt.date | None
    latest: _dt.date | None
    qualifier: str | None = None
    calendar: str = "gregorian"
    precision: str = "day"   # day | month | season | year | decade | interval | open | minute | second
    zone: str | None = None
    read: str | None = None
    instants: tuple | None = field(default=None, repr=False)   # (lo, hi) seconds, when not whole UTC days
    # The first and last second, computed once from the fields above: plain attributes
    # (not properties), as the rules read them millions of times on a large case.
    lo: int = field(init=False, repr=False, compare=False)
    hi: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.instants is not None:
            lo, hi = self.instants
        else:
            lo = OPEN_START if self.earliest is None else self.earliest.toordinal() * DAY
            hi = OPEN_END if self.latest is None else self.latest.toordinal() * DAY + DAY - 1
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)

    @property
    def timed(self) -> bool:
        """Whether the span carries a time of day (or was read in a time zone)."""
        return self.instants is not None

    def overlaps(self, other: "DateSpan") -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, other: "DateSpan") -> bool:
        return self.lo <= other.lo and other.hi <= self.hi

    def intersection(self, other: "DateSpan") -> "DateSpan | None":
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        if lo > hi:
            return None
        return span_from(lo, hi)

    def days(self) -> int | None:
        if self.earliest is None or self.latest is None:
            return None
        return self.latest.toordinal() - self.earliest.toordinal() + 1

    def describe(self) -> str:
        """The bounds in words: '20 Jul 1933 .. 29 Jul 1933', 'until 31 Dec 1917',
        '4 May 2021 09:05 UTC'."""
        return span_text(self.lo, self.hi)

    def show(self) -> str:
        """All three forms, as `belie check` shows a date: as written, as read, the bounds.

        A time shows its reading with the offset in force, and its bounds in UTC:
        '“2021-05-04T11:00” (read as 2021-05-04T11:00+02:00, Europe/Madrid: 4 May 2021 09:00 UTC)'.
        """
        if self.read is not None:
            zone = f", {self.zone}" if self.zone and self.zone not in self.read else ""
            return f"“{self.text}” (read as {self.read}{zone}: {self.describe()})"
        if self.text == self.edtf:
            return f"{self.text} ({self.describe()})"
        return f"“{self.text}” (read as {self.edtf}: {self.describe()})"

    def brief(self) -> str:
        """The short form of `show` that some explanations use: 'end of July 1933
        (1933-07-21/1933-07-31: 21 Jul 1933 .. 31 Jul 1933)'; a time as `show` writes it."""
        if self.read is not None:
            return self.show()
        return f"{self.text} ({self.edtf}: {self.describe()})"

    def utc(self) -> tuple[str | None, str | None]:
        """The first and last instant in UTC, ISO 8601 ('2021-05-04T09:05:00Z'); None when open."""
        f = lambda x: utc_datetime(x).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
        return (None if self.lo <= OPEN_START else f(self.lo),
                None if self.hi >= OPEN_END else f(self.hi))

    def record(self) -> dict:
        """The date for machine readers: as written, as read, its bounds (days, and for a
        time or a zoned date, the instants in UTC)."""
        out = {"text": self.text, "edtf": self.edtf,
               "earliest": self.earliest.isoformat() if self.earliest else None,
               "latest": self.latest.isoformat() if self.latest else None}
        if self.timed:
            lo, hi = self.utc()
            out.update({"read": self.read, "zone": self.zone, "utc_from": lo, "utc_to": hi})
        return out

    def __str__(self) -> str:
        return self.text


# ----------------------------------------------------------------------------------
# Building spans from ordinals
# ----------------------------------------------------------------------------------

def _last_day(y: int, m: int) -> int:
    return _cal.monthrange(y, m)[1]


def edtf_of_days(lo: int, hi: int) -> str:
    """A compact EDTF for an interval of ordinal days (open ends: beyond ±10**9)."""
    if lo <= _OPEN_LO_D and hi >= _OPEN_HI_D:
        return "../.."
    if lo <= _OPEN_LO_D:
        return f"../{_dt.date.fromordinal(hi).isoformat()}"
    if hi >= _OPEN_HI_D:
        return f"{_dt.date.fromordinal(lo).isoformat()}/.."
    a, b = _dt.date.fromordinal(lo), _dt.date.fromordinal(hi)
    if lo == hi:
        return a.isoformat()
    if a.day == 1 and a.year == b.year and a.month == b.month and b.day == _last_day(b.year, b.month):
        return f"{a.year:04d}-{a.month:02d}"
    if a.year == b.year and (a.month, a.day) == (1, 1) and (b.month, b.day) == (12, 31):
        return f"{a.year:04d}"
    return f"{a.isoformat()}/{b.isoformat()}"


def span_from(lo: int, hi: int, text: str | None = None) -> DateSpan:
    """The DateSpan of the instants [lo, hi] (seconds), e.g. a computed window."""
    edtf = edtf_of(lo, hi)
    e = None if lo <= OPEN_START else _dt.date.fromordinal(lo // DAY)
    l_ = None if hi >= OPEN_END else _dt.date.fromordinal(hi // DAY)
    inst = None if grain(lo, hi) == DAY else (lo, hi)
    return DateSpan(text=text or edtf, edtf=edtf, earliest=e, latest=l_, precision="interval", instants=inst)


# ----------------------------------------------------------------------------------
# Calendars
# ----------------------------------------------------------------------------------

def julian_to_ordinal(y: int, m: int, d: int) -> int:
    """Proleptic Gregorian ordinal of a Julian-calendar date (via the Julian Day Number)."""
    a = (14 - m) // 12
    yy = y + 4800 - a
    mm = m + 12 * a - 3
    jdn = d + (153 * mm + 2) // 5 + 365 * yy + yy // 4 - 32083
    return jdn - 1721425


def _julian_last_day(y: int, m: int) -> int:
    if m == 2:
        return 29 if y % 4 == 0 else 28
    return _cal.monthrange(2001, m)[1]


def _to_ordinal(ymd: tuple[int, int, int], cal: str) -> int:
    y, m, d = ymd
    if cal == "julian":
        return julian_to_ordinal(y, m, d)
    return _dt.date(y, m, d).toordinal()


def _month_end(y: int, m: int, cal: str) -> int:
    return _julian_last_day(y, m) if cal == "julian" else _last_day(y, m)


# ----------------------------------------------------------------------------------
# EDTF
# ----------------------------------------------------------------------------------

_EDTF_ONE = re.compile(
    r"^(?P<y>[0-9X]{4})(?:-(?P<m>[0-9X]{2})(?:-(?P<d>[0-9X]{2}))?)?(?P<q>[?~%])?$")


class _Raw:
    """Bounds in the written calendar, before conversion: ((y,m,d) | None) x 2."""

    __slots__ = ("lo", "hi", "edtf", "precision", "qualifier", "season", "lo_qp", "hi_qp")

    def __init__(self, lo, hi, edtf, precision, qualifier=None, season=False, lo_qp=None, hi_qp=None):
        self.lo, self.hi, self.edtf, self.precision = lo, hi, edtf, precision
        self.qualifier, self.season = qualifier, season
        # (qualifier, precision) of each end, where it differs from the whole: in an
        # interval each end widens by the margin of its own qualifier and precision.
        self.lo_qp, self.hi_qp = lo_qp, hi_qp

    def end_qp(self, end: str) -> tuple:
        qp = self.lo_qp if end == "lo" else self.hi_qp
        return qp if qp is not None else (self.qualifier, self.precision)


def _mask_range(s: str, lo_valid: int, hi_valid: int) -> tuple[int, int]:
    lo = int(s.replace("X", "0"))
    hi = int(s.replace("X", "9"))
    return max(lo, lo_valid), min(hi, hi_valid)


def _qual(q: str | None) -> str | None:
    return {"~": "approximate", "?": "uncertain", "%": "uncertain-approximate", None: None}[q]


def _edtf_single(s: str, text: str, cal: str) -> _Raw:
    m = _EDTF_ONE.match(s)
    if not m:
        raise DateError(f"cannot read {text!r} as a date")
    ys, ms, ds, q = m.group("y"), m.group("m"), m.group("d"), m.group("q")
    for part in (ys, ms, ds):
        if part and re.search(r"X[0-9]", part):
            raise DateError(f"cannot read {text!r}: only the last digits of a year, month or day "
                            "can be unspecified (X)")
    if "X" in ys:
        y0, y1 = _mask_range(ys, 1, 9999)
        if ms or ds:
            raise DateError(f"cannot read {text!r}: a masked year cannot have a month or day")
        prec = "decade" if ys.count("X") == 1 else "year"
        return _Raw((y0, 1, 1), (y1, 12, 31), s, prec, _qual(q))
    y = int(ys)
    if ms is None:
        return _Raw((y, 1, 1), (y, 12, 31), s, "year", _qual(q))
    if "X" not in ms and 21 <= int(ms) <= 24 and ds is None:
        code = int(ms)
        a, b = SEASON_MONTHS[code]
        hy, hm = (y + 1, b - 12) if b > 12 else (y, b)
        return _Raw((y, a, 1), (hy, hm, _month_end(hy, hm, cal)), s, "season", _qual(q), season=True)
    if "X" in ms:
        m0, m1 = _mask_range(ms, 1, 12)
        if m0 > m1:
            raise DateError(f"cannot read {text!r}: no month matches {ms!r}")
        if ds is not None and ds != "XX":
            raise DateError(f"cannot read {text!r}: a masked month needs a masked day")
        return _Raw((y, m0, 1), (y, m1, _month_end(y, m1, cal)), s, "month", _qual(q))
    mo = int(ms)
    if not 1 <= mo <= 12:
        raise DateError(f"cannot read {text!r}: there is no month {mo}")
    last = _month_end(y, mo, cal)
    if ds is None:
        return _Raw((y, mo, 1), (y, mo, last), s, "month", _qual(q))
    if "X" in ds:
        d0, d1 = _mask_range(ds, 1, last)
        if d0 > d1:
            raise DateError(f"cannot read {text!r}: no day of {MONTH_ABBR[mo]} {y} matches {ds!r}")
        return _Raw((y, mo, d0), (y, mo, d1), s, "day", _qual(q))
    d = int(ds)
    if not 1 <= d <= last:
        raise DateError(f"cannot read {text!r}: {MONTH_ABBR[mo]} {y} has no day {d}")
    return _Raw((y, mo, d), (y, mo, d), s, "day", _qual(q))


def _edtf(s: str, text: str, cal: str) -> _Raw | None:
    """Read EDTF; return None when `s` does not look like EDTF at all."""
    if "/" in s:
        a, b = s.split("/", 1)
        if not (re.fullmatch(r"(\.\.|[0-9X\-?~%]*)", a) and re.fullmatch(r"(\.\.|[0-9X\-?~%]*)", b)):
            return None
        ra = None if a in ("..", "") else _edtf_single(a, text, cal)
        rb = None if b in ("..", "") else _edtf_single(b, text, cal)
        if ra is None and rb is None:
            if a == b == "..":      # what edtf_of_days writes for a span open at both ends
                return _Raw(None, None, "../..", "open")
            raise DateError(f"cannot read {text!r}: an interval needs at least one end")
        lo = ra.lo if ra else None
        hi = rb.hi if rb else None
        q = None
        quals = {r.qualifier for r in (ra, rb) if r is not None and r.qualifier}
        if quals:
            q = "uncertain-approximate" if len(quals) > 1 else quals.pop()
        prec = "open" if (ra is None or rb is None) else "interval"
        return _Raw(lo, hi, s, prec, q,
                    lo_qp=(ra.qualifier, ra.precision) if ra else (None, prec),
                    hi_qp=(rb.qualifier, rb.precision) if rb else (None, prec))
    if re.fullmatch(r"[0-9X]{4}(-[0-9X]{2}){0,2}[?~%]?", s):
        return _edtf_single(s, text, cal)
    return None


# ----------------------------------------------------------------------------------
# Prose
# ----------------------------------------------------------------------------------

_ORD_SUFFIX = r"(?:st|nd|rd|th)?"
_MONTH_RX = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = rf"(\d{{1,2}}){_ORD_SUFFIX}"
_YEAR = r"(\d{4})"

_PARTS_MONTH = {
    "early": (1, 10), "beginning": (1, 10), "start": (1, 10), "first days": (1, 10),
    "mid": (11, 20), "middle": (11, 20),
    "late": (21, 31), "end": (21, 31), "last days": (21, 31),
    "first half": (1, 15), "second half": (16, 31),
}
_PARTS_YEAR = {
    "early": (1, 4), "beginning": (1, 4), "start": (1, 4),
    "mid": (5, 8), "middle": (5, 8),
    "late": (9, 12), "end": (9, 12),
    "first half": (1, 6), "second half": (7, 12),
}
_PART_RX = r"(early|beginning|start|first days|mid|middle|late|end|last days|first half|second half)"


def _clean(text: str) -> str:
    s = text.strip().lower()
    s = s.replace("\u2013", "-").replace("\u2014", "-").replace("\u2012", "-").replace("\u2212", "-")
    s = re.sub(r"(?<=\w)\.(?=\s|$)", "", s)         # "nov." -> "nov"
    s = s.replace(",", " ")
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^(in|on|at|during) ", "", s)      # not "by": "by 1917" means until 1917
    s = re.sub(r"\bthe ", "", s)
    s = re.sub(r"(?<!\s)\s*+-\s*", "-", s)
    return s.strip()


def _ymd_month(y: int, m: int, cal: str) -> tuple[tuple, tuple]:
    return (y, m, 1), (y, m, _month_end(y, m, cal))


def _edtf_day(y, m, d) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}"


def _check_day(y, m, d, cal, text):
    if not 1 <= m <= 12:
        raise DateError(f"cannot read {text!r}: there is no month {m}")
    if not 1 <= d <= _month_end(y, m, cal):
        raise DateError(f"cannot read {text!r}: {MONTH_ABBR[m]} {y} has no day {d}")


def _prose_point(s: str, text: str, cal: str) -> _Raw | None:
    """One date in prose (no ranges): day, month, season, part of month/year, year, decade."""
    m = re.fullmatch(rf"{_DAY}(?: of)? ({_MONTH_RX})(?: {_YEAR})?", s)
    if m and m.group(3):
        y, mo, d = int(m.group(3)), MONTHS[m.group(2)], int(m.group(1))
        _check_day(y, mo, d, cal, text)
        return _Raw((y, mo, d), (y, mo, d), _edtf_day(y, mo, d), "day")
    m = re.fullmatch(rf"({_MONTH_RX}) {_DAY} {_YEAR}", s)
    if m:
        y, mo, d = int(m.group(3)), MONTHS[m.group(1)], int(m.group(2))
        _check_day(y, mo, d, cal, text)
        return _Raw((y, mo, d), (y, mo, d), _edtf_day(y, mo, d), "day")
    m = re.fullmatch(rf"({_MONTH_RX})(?: of)? {_YEAR}", s)
    if m:
        y, mo = int(m.group(2)), MONTHS[m.group(1)]
        lo, hi = _ymd_month(y, mo, cal)
        return _Raw(lo, hi, f"{y:04d}-{mo:02d}", "month")
    m = re.fullmatch(rf"(spring|summer|autumn|fall|winter)(?: of)? {_YEAR}(?:-(\d{{2,4}}))?", s)
    if m:
        code, y = SEASONS[m.group(1)], int(m.group(2))
        if m.group(3):
            nxt = m.group(3)
            if code != 24 or int(str(y)[: 4 - len(nxt)] + nxt) != y + 1:
                return None
        a, b = SEASON_MONTHS[code]
        hy, hm = (y + 1, b - 12) if b > 12 else (y, b)
        return _Raw((y, a, 1), (hy, hm, _month_end(hy, hm, cal)), f"{y:04d}-{code}", "season", season=True)
    m = re.fullmatch(rf"{_PART_RX}(?:-| of | )({_MONTH_RX})(?: of)? {_YEAR}", s)
    if m:
        part, mo, y = m.group(1), MONTHS[m.group(2)], int(m.group(3))
        d0, d1 = _PARTS_MONTH[part]
        d1 = min(d1, _month_end(y, mo, cal))
        return _Raw((y, mo, d0), (y, mo, d1), f"{_edtf_day(y, mo, d0)}/{_edtf_day(y, mo, d1)}", "day")
    m = re.fullmatch(rf"{_PART_RX}(?:-| of | ){_YEAR}", s)
    if m and m.group(1) in ("first days", "last days"):
        # the first or last days of a year are those of its first or last month
        y, mo = int(m.group(2)), 1 if m.group(1) == "first days" else 12
        d0, d1 = _PARTS_MONTH[m.group(1)]
        return _Raw((y, mo, d0), (y, mo, d1), f"{_edtf_day(y, mo, d0)}/{_edtf_day(y, mo, d1)}", "day")
    if m:
        part, y = m.group(1), int(m.group(2))
        m0, m1 = _PARTS_YEAR[part]
        return _Raw((y, m0, 1), (y, m1, _month_end(y, m1, cal)),
                    f"{y:04d}-{m0:02d}/{y:04d}-{m1:02d}", "month")
    m = re.fullmatch(rf"(?:year )?{_YEAR}", s)
    if m:
        y = int(m.group(1))
        return _Raw((y, 1, 1), (y, 12, 31), f"{y:04d}", "year")
    m = re.fullmatch(r"(\d{3})0'?s", s)
    if m:
        y0 = int(m.group(1)) * 10
        return _Raw((y0, 1, 1), (y0 + 9, 12, 31), f"{m.group(1)}X", "decade")
    return None


def _prose_range(s: str, text: str, cal: str) -> _Raw | None:
    m = re.fullmatch(r"(?:between|from) (.+?) (?:and|to|till|until) (.+)", s) or \
        re.fullmatch(r"(.+?)(?: to |-| till | until )(.+)", s)
    if not m:
        return None
    a, b = m.group(1).strip(), m.group(2).strip()
    # Borrow the missing month/year from the right end: "1 and 3 december 1932",
    # "23 november to 2 december 1932", "march-april 1937", "1936-38".
    mb_year = re.search(rf"{_YEAR}$", b)
    if re.fullmatch(r"\d{4}", a) and re.fullmatch(r"\d{2}", b):
        b = a[:2] + b
        if int(b) < int(a):
            return None          # "1932-13" is a bad month, not the years 1932 to 1913
    elif mb_year and not re.search(r"\d{4}", a):
        mb_month = re.search(rf"({_MONTH_RX}) {_YEAR}$", b)
        if re.fullmatch(rf"{_DAY}", a) and mb_month:
            a = f"{a} {mb_month.group(1)} {mb_year.group(1)}"
        else:
            a = f"{a} {mb_year.group(1)}"
    ra = _prose_point(a, text, cal) or _edtf(a, text, cal)
    rb = _prose_point(b, text, cal) or _edtf(b, text, cal)
    if ra is None or rb is None:
        return None
    # Each end of a range may itself be an interval ("end of December 1917"): keep
    # the outer ends only, so the EDTF stays one interval.
    return _Raw(ra.lo, rb.hi, f"{ra.edtf.split('/')[0]}/{rb.edtf.split('/')[-1]}", "interval",
                lo_qp=ra.end_qp("lo"), hi_qp=rb.end_qp("hi"))


_REL_DAYS = {
    "very next day": 1, "next day": 1, "following day": 1, "day after": 1, "morrow": 1,
    "same day": 0, "that day": 0, "that very day": 0, "very same day": 0,
    "day before": -1, "previous day": -1, "preceding day": -1, "eve": -1,
    "a week later": 7, "week later": 7, "following week": 7, "next week": 7,
}


_REL_OTHER = ("that month", "same month", "that year", "same year", "following year", "next year",
              "following month", "next month", "a few days later", "few days later")


def _relative_phrase(s: str) -> str | None:
    """The relative phrase that the cleaned date *s* is ("next day", "that month"), or None."""
    s2 = re.sub(r"^(on|in) ", "", s)
    return s2 if s2 in _REL_DAYS or s2 in _REL_OTHER else None


#: A letter (or another word character that is not a digit): every relative phrase has one.
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=65_536)
def reads_anchor(text: str) -> bool:
    """Whether the written date *text* is read against its source's date (a relative
    phrase such as "the next day"); every other date reads the same whatever the source."""
    return _LETTER.search(text) is not None and _relative_phrase(_clean(text.strip())) is not None


def _relative(s: str, text: str, anchor: _dt.date | None) -> tuple[int, int] | None:
    s2 = _relative_phrase(s)
    key = None
    if s2 in _REL_DAYS:
        key = s2
    if s2 is not None:
        if anchor is None:
            raise DateError(f"cannot read {text!r}: a relative date needs the source's date "
                            "(give the source a `said:` day)")
        a = anchor.toordinal()
        if key is not None:
            return a + _REL_DAYS[key], a + _REL_DAYS[key]
        if s2 in ("a few days later", "few days later"):
            return a + 2, a + 7
        if s2 in ("that month", "same month"):
            return (_dt.date(anchor.year, anchor.month, 1).toordinal(),
                    _dt.date(anchor.year, anchor.month, _last_day(anchor.year, anchor.month)).toordinal())
        if s2 in ("following month", "next month"):
            y, mo = (anchor.year + 1, 1) if anchor.month == 12 else (anchor.year, anchor.month + 1)
            return _dt.date(y, mo, 1).toordinal(), _dt.date(y, mo, _last_day(y, mo)).toordinal()
        y = anchor.year + (1 if s2 in ("following year", "next year") else 0)
        return _dt.date(y, 1, 1).toordinal(), _dt.date(y, 12, 31).toordinal()
    return None


_APPROX = r"(?:about|around|circa|ca|c|approximately|roughly|some time around|sometime around)"
_UNCERTAIN = r"(?:probably|perhaps|possibly|apparently|presumably|likely)"


def _first_part(raw: _Raw) -> str | None:
    """The EDTF of an interval's start ("until/since the end of July" must not nest intervals)."""
    return raw.edtf.split("/")[0] if raw.edtf else None


def _last_part(raw: _Raw) -> str | None:
    return raw.edtf.split("/")[-1] if raw.edtf else None


#: How many open bounds may wrap one another ("until before 1932"); a date nested deeper
#: is refused rather than read by ever deeper recursion.
MAX_NESTED_BOUNDS = 4


def _parse_raw(s: str, text: str, cal: str, depth: int = 0) -> _Raw:
    if depth > MAX_NESTED_BOUNDS:
        raise DateError(f"cannot read {text[:80]!r}: bounds (until, before, after, since...) are "
                        f"nested more than {MAX_NESTED_BOUNDS} deep")
    edtf_error = None
    try:
        raw = _edtf(s, text, cal)
    except DateError as exc:       # "1936-38" is no EDTF month, but it is a range of years in prose
        raw, edtf_error = None, exc
    if raw is not None:
        return raw
    try:
        return _parse_prose(s, text, cal, depth)
    except DateError:
        if edtf_error is not None:
            raise edtf_error from None
        raise


def _parse_prose(s: str, text: str, cal: str, depth: int = 0) -> _Raw:
    c = _clean(s)
    qual = None
    m = re.match(rf"^{_APPROX} (.+)$", c)
    if m:
        qual, c = "approximate", m.group(1)
    m = re.match(rf"^{_UNCERTAIN}(?: in| on)? (.+)$", c)
    if m:
        qual = "uncertain-approximate" if qual else "uncertain"
        c = m.group(1)
    c = re.sub(r"^(in|on|during) ", "", c)
    m = re.fullmatch(r"(before|until|till|up to|not later than|by) (.+)", c)
    if m:
        inner = _parse_raw(m.group(2), text, cal, depth + 1)
        # the one bound left widens by the outer qualifier, else by the inner one ("until 1932-11~")
        q, p = inner.end_qp("lo" if m.group(1) == "before" else "hi")
        q = qual or q
        if m.group(1) == "before":
            return _Raw(None, ("before", inner.lo), None, "open", q, hi_qp=(q, p))
        return _Raw(None, inner.hi, f"../{_last_part(inner)}", "open", q, hi_qp=(q, p))
    m = re.fullmatch(r"(after|since|from|not earlier than) (.+)", c)
    if m and not re.search(r" (to|and|until|till) ", m.group(2)):
        inner = _parse_raw(m.group(2), text, cal, depth + 1)
        q, p = inner.end_qp("hi" if m.group(1) == "after" else "lo")
        q = qual or q
        if m.group(1) == "after":
            return _Raw(("after", inner.hi), None, None, "open", q, lo_qp=(q, p))
        return _Raw(inner.lo, None, f"{_first_part(inner)}/..", "open", q, lo_qp=(q, p))
    raw = _prose_point(c, text, cal) or _prose_range(c, text, cal)
    if raw is None:
        raise DateError(f"cannot read {text!r} as a date (expected EDTF such as 1932-11-27, 1932-11, "
                        "1933-07-2X, 1932-11~ or ../1917, or prose such as 'end of July 1933')")
    if qual:
        raw.qualifier = qual
        raw.lo_qp = (qual, raw.end_qp("lo")[1])
        raw.hi_qp = (qual, raw.end_qp("hi")[1])
    return raw


def _bound(b, cal: str, default: int) -> int:
    if b is None:
        return default
    if isinstance(b, tuple) and b and b[0] in ("before", "after"):
        inner = _bound(b[1], cal, _OPEN_LO_D if b[0] == "before" else _OPEN_HI_D)
        return inner - 1 if b[0] == "before" else inner + 1
    return _to_ordinal(b, cal)


_MIN_DAY, _MAX_DAY = _dt.date.min.toordinal(), _dt.date.max.toordinal()


#: The plain EDTF forms that bulk claims mostly carry: a day, a month or a year, or an
#: interval of two of them, without qualifier or mask.
_PLAIN_EDTF = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _plain_bounds(s: str) -> tuple[int, int, str] | None:
    """First and last day (ordinals) and precision of a plain Gregorian EDTF date, or None
    when *s* is anything else or anything is wrong with it (the full reader then reads it
    and says what)."""
    m = _PLAIN_EDTF.fullmatch(s)
    if m is None:
        return None
    ys, ms, ds = m.groups()
    y = int(ys)
    if y < 1:
        return None
    if ms is None:
        return _dt.date(y, 1, 1).toordinal(), _dt.date(y, 12, 31).toordinal(), "year"
    mo = int(ms)
    if not 1 <= mo <= 12:
        return None            # a season (21-24) or no month: the full reader
    last = _DAYS_IN_MONTH[mo] if mo != 2 else (29 if _cal.isleap(y) else 28)
    if ds is None:
        return _dt.date(y, mo, 1).toordinal(), _dt.date(y, mo, last).toordinal(), "month"
    d = int(ds)
    if not 1 <= d <= last:
        return None
    o = _dt.date(y, mo, d).toordinal()
    return o, o, "day"


def _parse_plain(text: str, s: str) -> DateSpan | None:
    """The fast path of `_parse_cached` for plain Gregorian EDTF (``1932-11-27``, ``1932-11``,
    ``1932``, ``1932-11-27/1932-12-02``, ``1873/1948``): the same `DateSpan` the full reader
    gives (tests/model/test_dates_plain.py compares them), or None for anything else."""
    a, sep, b = s.partition("/")
    ra = _plain_bounds(a)
    if ra is None:
        return None
    if not sep:
        lo, hi, prec = ra
    else:
        rb = _plain_bounds(b)
        if rb is None:
            return None
        lo, hi, prec = ra[0], rb[1], "interval"
        if lo > hi:
            return None
    return DateSpan(text=text, edtf=s, earliest=_dt.date.fromordinal(lo), latest=_dt.date.fromordinal(hi),
                    qualifier=None, calendar="gregorian", precision=prec)


@lru_cache(maxsize=200_000)
def _parse_cached(text: str, cal: str, settings: DateSettings, anchor: _dt.date | None) -> DateSpan:
    s = text.strip()
    if not s:
        raise DateError("empty date")
    if cal == "gregorian" and "0" <= s[:1] <= "9":
        span = _parse_plain(text, s)
        if span is not None:
            return span
    rel = _relative(_clean(s), text, anchor)
    if rel is not None:
        lo, hi = rel
        edtf = edtf_of_days(lo, hi)
        return DateSpan(text=text, edtf=edtf, earliest=_dt.date.fromordinal(lo),
                        latest=_dt.date.fromordinal(hi), qualifier=None, calendar="gregorian",
                        precision="day" if lo == hi else "interval")
    raw = _parse_raw(s, text, cal)
    try:
        lo = _bound(raw.lo, cal, _OPEN_LO_D)
        hi = _bound(raw.hi, cal, _OPEN_HI_D)
    except ValueError as exc:
        raise DateError(f"cannot read {text!r}: {exc}")
    if lo > hi:
        raise DateError(f"cannot read {text!r}: it ends before it begins")
    if raw.edtf is None:
        raw.edtf = edtf_of_days(lo, hi)
    lo0, hi0 = lo, hi
    if lo > _OPEN_LO_D:
        lo = max(_MIN_DAY, lo - settings.margin(*raw.end_qp("lo")))
    if hi < _OPEN_HI_D:
        hi = min(_MAX_DAY, hi + settings.margin(*raw.end_qp("hi")))
    edtf = raw.edtf
    if cal == "julian":
        if any(_OPEN_LO_D < b < _OPEN_HI_D and not _MIN_DAY <= b <= _MAX_DAY for b in (lo0, hi0)):
            raise DateError(f"cannot read {text!r} in the Julian calendar: it reaches beyond the "
                            "Gregorian years 1 to 9999 that belie counts in")
        edtf = edtf_of_days(lo0, hi0)
    if raw.qualifier and not re.search(r"[?~%]", edtf):
        mark = {"approximate": "~", "uncertain": "?", "uncertain-approximate": "%"}[raw.qualifier]
        edtf = "/".join(p if p in ("..", "") else p + mark for p in edtf.split("/"))
    try:
        earliest = None if lo <= _OPEN_LO_D else _dt.date.fromordinal(lo)
        latest = None if hi >= _OPEN_HI_D else _dt.date.fromordinal(hi)
    except ValueError as exc:
        raise DateError(f"cannot read {text!r}: {exc}")
    return DateSpan(text=text, edtf=edtf, earliest=earliest, latest=latest, qualifier=raw.qualifier,
                    calendar=cal, precision=raw.precision)


# ----------------------------------------------------------------------------------
# Times of day and time zones (casefile.md section 1a)
# ----------------------------------------------------------------------------------


class NeedsZone(DateError):
    """A time of day without an offset, and no time zone to read it in."""


_TIME_ONE = re.compile(
    r"^(?P<d>\d{4}-\d{2}-\d{2})[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?P<off>Z|[+-]\d{2}(?::?\d{2})?)?(?P<q>[?~%])?$")
_LOOKS_TIMED = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:")


def looks_timed(text) -> bool:
    """Whether a written date carries a time of day (``2021-05-04T13:20``)."""
    return isinstance(text, str) and _LOOKS_TIMED.search(text) is not None


@lru_cache(maxsize=512)
def time_zone(name: str):
    """The tzinfo of an IANA zone name; DateError when there is no such zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(name, str) or not name.strip():
        raise DateError(f"{name!r} is not a time zone (give an IANA name such as Europe/Paris)")
    key = name.strip()
    if key.upper() == "UTC":
        return _dt.timezone.utc
    bad = DateError(f"unknown time zone {name!r} (give an IANA name such as Europe/Paris)")
    if not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", key):
        raise bad
    # The pinned tzdata package first, so that every machine reads the same history; the
    # system's database only where tzdata is not installed.
    try:
        from importlib import resources

        ref = resources.files("tzdata.zoneinfo").joinpath(*key.split("/"))
        if ref.is_file():
            with ref.open("rb") as fh:
                return ZoneInfo.from_file(fh, key=key)
    except ModuleNotFoundError:
        pass
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise bad from None


def _fmt_offset(seconds: int) -> str:
    if seconds == 0:
        return "+00:00"
    sign = "+" if seconds > 0 else "-"
    s = abs(seconds)
    h, m, sec = s // 3600, s // 60 % 60, s % 60
    return f"{sign}{h:02d}:{m:02d}" + (f":{sec:02d}" if sec else "")


def _offset_of(text: str, off: str) -> int:
    if off == "Z":
        return 0
    sign = 1 if off[0] == "+" else -1
    digits = off[1:].replace(":", "")
    h, m = int(digits[:2]), int(digits[2:4] or 0)
    if h > 14 or m > 59:
        raise DateError(f"cannot read {text!r}: {off} is no offset from UTC")
    return sign * (h * 3600 + m * 60)


def _wall(ordinal: int, secs: int) -> _dt.datetime:
    return _dt.datetime.fromordinal(ordinal) + _dt.timedelta(seconds=secs)


def _local_offsets(wall: _dt.datetime, tz) -> list[int]:
    """The offsets (seconds east of UTC) under which the local time `wall` exists in `tz`:
    one, two (the hour repeated when clocks go back), or none (skipped)."""
    out = []
    for fold in (0, 1):
        aware = wall.replace(tzinfo=tz, fold=fold)
        off = int(aware.utcoffset().total_seconds())
        back = (wall - _dt.timedelta(seconds=off)).replace(tzinfo=_dt.timezone.utc).astimezone(tz)
        if back.replace(tzinfo=None) == wall and off not in out:
            out.append(off)
    return out


def _day_start(ordinal: int, tz) -> int:
    """The first instant of local day `ordinal` in `tz` (seconds on belie's clock)."""
    wall = _wall(ordinal, 0)
    off = int(wall.replace(tzinfo=tz, fold=0).utcoffset().total_seconds())
    return ordinal * DAY - off


def _timed_end(part: str, text: str, zone: str | None, settings: "DateSettings"):
    """One end of a timed date: (lo, hi, as read, precision, qualifier)."""
    m = _TIME_ONE.match(part)
    if not m:
        raise DateError(f"cannot read {text!r}: expected a time such as 2021-05-04T16:20, "
                        "2021-05-04T16:20:05, 2021-05-04T13:20Z or 2021-05-04T17:20+04:00")
    try:
        day = _dt.date.fromisoformat(m.group("d"))
    except ValueError as exc:
        raise DateError(f"cannot read {text!r}: {exc}") from None
    h, mi, s = int(m.group("h")), int(m.group("mi")), m.group("s")
    if h > 23 or mi > 59 or (s is not None and int(s) > 59):
        raise DateError(f"cannot read {text!r}: {m.group('h')}:{m.group('mi')}"
                        f"{':' + s if s else ''} is no time of day")
    prec = "minute" if s is None else "second"
    secs = h * 3600 + mi * 60 + (int(s) if s else 0)
    width = 59 if s is None else 0
    wall_txt = part[:len(m.group("d")) + 6 + (3 if s else 0)].replace(" ", "T")
    o = day.toordinal()
    off_txt = m.group("off")
    if off_txt:
        offs = [_offset_of(text, off_txt)]
        read = wall_txt + ("Z" if off_txt == "Z" else _fmt_offset(offs[0]))
    else:
        if zone is None:
            raise NeedsZone(f"{text!r} is a local time, and no time zone is known to read it in "
                            "(give its source or its place a `timezone:`, or `settings: timezone:`)")
        tz = time_zone(zone)
        offs = _local_offsets(_wall(o, secs), tz)
        if not offs:
            raise DateError(f"cannot read {text!r}: {wall_txt} did not exist in {zone} "
                            "(the clocks skipped it)")
        read = wall_txt + " or ".join(_fmt_offset(x) for x in offs)
    base = o * DAY + secs
    lo = min(base - x for x in offs)
    hi = max(base - x for x in offs) + width
    q = _qual(m.group("q"))
    return lo, hi, read + (m.group("q") or ""), prec, q


def _day_end(part: str, text: str, zone: str | None, settings, which: str):
    """A date end of a timed interval: the whole local day(s) (or UTC days without a zone)."""
    d = _parse_cached(part, "gregorian", settings, None)
    if zone is None:
        return (d.lo if which == "lo" else d.hi), d.edtf
    tz = time_zone(zone)
    if which == "lo":
        return _day_start(d.earliest.toordinal(), tz), d.edtf
    return _day_start(d.latest.toordinal() + 1, tz) - 1, d.edtf


@lru_cache(maxsize=200_000)
def _parse_timed(text: str, zone: str | None, settings: "DateSettings") -> DateSpan:
    s = text.strip()
    parts = s.split("/")
    if len(parts) > 2:
        raise DateError(f"cannot read {text!r}: an interval has two ends")
    ends, reads, precs, quals, zoned = [], [], [], [], False
    for which, part in zip(("lo", "hi") if len(parts) == 2 else ("both",), parts):
        part = part.strip()
        if part in ("..", ""):
            if len(parts) == 1:
                raise DateError(f"cannot read {text!r}")
            ends.append(OPEN_START if which == "lo" else OPEN_END)
            reads.append("..")
            continue
        if looks_timed(part):
            lo, hi, read, prec, q = _timed_end(part, text, zone, settings)
            zoned = zoned or _TIME_ONE.match(part).group("off") is None
            widen = settings.margin(q, prec) * 60
            if which in ("lo", "both"):
                lo -= widen
            if which in ("hi", "both"):
                hi += widen
            ends.append((lo, hi))
            reads.append(read)
            precs.append(prec)
            quals.append(q)
        else:
            x, edtf = _day_end(part, text, zone, settings, "lo" if which == "lo" else "hi")
            zoned = zoned or zone is not None
            ends.append(x)
            reads.append(edtf)
    if len(parts) == 1:
        lo, hi = ends[0]
    else:
        a, b = ends
        lo = a[0] if isinstance(a, tuple) else a
        hi = b[1] if isinstance(b, tuple) else b
    if lo > hi:
        raise DateError(f"cannot read {text!r}: it ends before it begins")
    q = None
    qs = {x for x in quals if x}
    if qs:
        q = "uncertain-approximate" if len(qs) > 1 else qs.pop()
    prec = precs[0] if len(parts) == 1 else "interval"
    read = "/".join(reads)
    edtf = s.replace(" ", "T")
    earliest = None if lo <= OPEN_START else _dt.date.fromordinal(lo // DAY)
    latest = None if hi >= OPEN_END else _dt.date.fromordinal(hi // DAY)
    return DateSpan(text=text, edtf=edtf, earliest=earliest, latest=latest, qualifier=q,
                    precision=prec, zone=zone if zoned else None,
                    read=read, instants=(lo, hi))


@lru_cache(maxsize=50_000)
def in_zone(span: DateSpan, zone: str) -> DateSpan:
    """A date without a time, read as whole local days in `zone` (the offsets in force on
    its first and last day); DateError when such a day did not exist there (Samoa skipped
    30 December 2011)."""
    if span.timed or (span.earliest is None and span.latest is None):
        return span
    tz = time_zone(zone)
    lo = OPEN_START if span.earliest is None else _day_start(span.earliest.toordinal(), tz)
    hi = OPEN_END if span.latest is None else _day_start(span.latest.toordinal() + 1, tz) - 1
    if lo > hi:
        raise DateError(f"cannot read {span.text!r}: that day did not exist in {zone} "
                        "(the clocks skipped it)")
    offs = []
    if span.earliest is not None:
        offs.append(_fmt_offset(span.earliest.toordinal() * DAY - lo))
    if span.latest is not None:
        o = _fmt_offset((span.latest.toordinal() + 1) * DAY - (hi + 1))
        if o not in offs:
            offs.append(o)
    read = f"{span.edtf} in {zone} ({' .. '.join(offs)})"
    return DateSpan(text=span.text, edtf=span.edtf, earliest=span.earliest, latest=span.latest,
                    qualifier=span.qualifier, calendar=span.calendar, precision=span.precision,
                    zone=zone, read=read, instants=(lo, hi))


def parse_date(text: str, *, calendar: str = "gregorian", settings: DateSettings | None = None,
               anchor: _dt.date | None = None, zone: str | None = None) -> DateSpan:
    """Read EDTF, an ISO 8601 time or English prose as a `DateSpan`; raise DateError
    saying what is wrong.

    `calendar="julian"` reads the day, month and year as Julian and converts the bounds
    to Gregorian.  `anchor` (the source's own date) resolves relative phrases such as
    "the very next day".  `zone` (an IANA name) reads a time without an offset, and a
    date without a time as whole local days; a time without an offset and no zone
    raises `NeedsZone`.
    """
    if calendar not in ("gregorian", "julian"):
        raise DateError(f"unknown calendar {calendar!r} (expected gregorian or julian)")
    if not isinstance(text, str):
        raise DateError(f"cannot read {text!r} as a date")
    settings = settings or DEFAULT_SETTINGS
    try:
        if "T" in text or ":" in text:
            if looks_timed(text):
                return _parse_timed(text, zone, settings)
        if anchor is not None and not reads_anchor(text):
            anchor = None       # only relative phrases ("the next day") read the anchor: keep one cache entry
        span = _parse_cached(text, calendar, settings, anchor)
        return span if zone is None else in_zone(span, zone)
    except DateError:
        raise
    except (ValueError, OverflowError) as exc:   # a day before 1 Jan 1 or after 31 Dec 9999
        raise DateError(f"cannot read {text[:200]!r}: it reaches beyond the years 1 to 9999 that "
                        f"belie counts in ({exc})") from None


def coerce_date(value, *, calendar: str = "gregorian", settings: DateSettings | None = None,
                anchor: _dt.date | None = None, zone: str | None = None) -> DateSpan:
    """Accept what YAML hands over — a string, a year as int, or a date — and parse it."""
    if isinstance(value, DateSpan):
        return value
    if isinstance(value, _dt.datetime):
        value = value.isoformat()
    elif isinstance(value, _dt.date):
        value = value.isoformat()
    elif isinstance(value, bool):
        raise DateError(f"cannot read {value!r} as a date")
    elif isinstance(value, int):
        value = f"{value:04d}"
    elif not isinstance(value, str):
        raise DateError(f"cannot read {value!r} as a date")
    return parse_date(value, calendar=calendar, settings=settings, anchor=anchor, zone=zone)
