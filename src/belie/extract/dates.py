"""Finding date phrases in text and reading them with belie's own date parser.

Phrases come from two places: spaCy's DATE entities (in parsed sentences) and the
regular expressions below (every sentence, parsed or not, so that a later sentence's
"the very next day" or "in those days" has an anchor).  Every phrase is read by
:func:`belie.model.dates.parse_date`; a phrase it cannot read is tried again without
its first words ("precisely toward the end of July 1933" -> "the end of July 1933",
read as approximate when it began with *toward*, *about*, *around*).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from belie.model.dates import DateError, DateSpan, edtf_of, parse_date

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th|d)?)"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)"
_PART = (r"(?:(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|first\s+half|second\s+half|"
         r"first\s+days|last\s+days)\s+of\s+|(?:early|late)\s+in\s+|early\s+|mid-?\s*|late\s+)")
_SEASON = r"(?:(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?)"
_LEAD = (r"(?:(?:up\s+to|until|till|since|before|after|by|from|towards?|about|around|"
         r"circa|in|on|during|of)\s+)?")

_POINT = (rf"(?:{_PART}|{_SEASON})?(?:{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}|"
          rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}|{_MONTH},?\s+{_YEAR}|{_YEAR}(?:\s*[–-]\s*\d{{2,4}})?)")

DATE_RX = re.compile(
    rf"\b{_LEAD}{_POINT}(?:\s+(?:to|and|until|till)\s+{_POINT})?(?![\d])", re.IGNORECASE)

RELATIVE_RX = re.compile(
    r"\b(?:on\s+)?(?:the\s+)?(?:very\s+next\s+day|next\s+day|following\s+day|day\s+after|"
    r"very\s+same\s+day|same\s+day|that\s+very\s+day|that\s+day|day\s+before|previous\s+day|"
    r"morrow|a\s+week\s+later|following\s+week|a\s+few\s+days\s+later|that\s+month|"
    r"same\s+month|following\s+month|that\s+year|same\s+year|following\s+year|next\s+year)\b",
    re.IGNORECASE)

#: Phrases that point back to the last date given ("I was already in those days ...").
BACK_RX = re.compile(r"\b(?:in\s+those\s+days|at\s+that\s+time|at\s+the\s+time|in\s+that\s+period)\b",
                     re.IGNORECASE)

_APPROX_LEAD = re.compile(r"^(?:precisely\s+|just\s+|only\s+)?(?:towards?|about|around|circa|"
                          r"roughly|approximately)\s+", re.IGNORECASE)
_DROP_LEAD = re.compile(r"^(?:precisely|just|only|exactly|already|even|in|on|at|during|of|the)\s+",
                        re.IGNORECASE)


_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"

#: A day and month without a year ("January 15", "11 January", "Friday, June 8", "the 22d
#: of August"): the year is the last year the text gave.
DAY_MONTH_RX = re.compile(
    rf"\b(?:(?:this|last|on)\s+)?(?:{_WEEKDAY},?\s+)?(?:(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}|"
    rf"{_MONTH}\s+{_DAY})\b(?!,?\s*(?:1[0-9]\d\d|20\d\d))", re.IGNORECASE)
#: A month without a year, or "April following".
MONTH_RX = re.compile(
    rf"\b(?:(?:early|late|in|by|during|since|until)\s+(?:in\s+)?)?{_MONTH}(?:\s+following)?\b"
    rf"(?!\s*[0-3]?\d\b|,?\s*(?:1[0-9]\d\d|20\d\d))", re.IGNORECASE)
#: A weekday: the nearest such day on or before the last date the text gave (a report
#: tells what has happened), or after it when the text says "the following".
WEEKDAY_RX = re.compile(
    rf"\b(?:(?:this|last|on|the\s+following|the\s+next|next)\s+)?{_WEEKDAY}{_PART_OF_DAY}"
    rf"(?:\s+last\b)?\b", re.IGNORECASE)
#: "the 14th inst." / "the 3rd ult." / "the 2nd prox." (older English: of this month, of
#: last month, of next month): a day of the month of the last date given.
INSTANT_RX = re.compile(r"\b(?:on\s+)?the\s+([0-3]?\d)(?:st|nd|rd|th|d)?\s+"
                        r"(inst|instant|ult|ultimo|prox|proximo)\b\.?", re.IGNORECASE)
#: Numeric dates: 03/03/2019, 4.5.2021, 12-31-1999.  Which number is the day is the case's
#: `settings: extract: date_order:` (day-first or month-first); without it, a date whose
#: day and month could be swapped is not read at all.
NUMERIC_RX = re.compile(r"\b([0-3]?\d)([/.-])([01]?\d)\2((?:1[0-9]|20)\d\d)\b")
#: Times of day: 3:15 a.m., 1:14 p.m., 10 pm, 13:20, 13h20.
TIME_RX = re.compile(
    r"\b(?:at\s+)?(?:([01]?\d)(?:[:.]([0-5]\d))?\s*([ap])\.?\s?m\.?(?=\W|$)|"
    r"([01]?\d|2[0-3])[:h]([0-5]\d)\b|"
    # a timetable's departure, "the 8.15 train", "the 23.40 flight": read as written
    r"([01]?\d|2[0-3])\.([0-5]\d)(?=\s+(?:[a-z]+\s+)?(?:train|express|boat|bus|coach|flight|"
    r"ferry|steamer|service|plane)\b))", re.IGNORECASE)
#: More relative phrases: a year or week before or after the last date given, a part of
#: that day.
RELATIVE2_RX = re.compile(
    r"\b(?:last\s+year|the\s+previous\s+year|the\s+year\s+before|this\s+year|"
    r"the\s+following\s+year|the\s+next\s+year|this\s+week|last\s+week|"
    r"the\s+following\s+week|(?:later\s+|early\s+|late\s+)?(?:that|the\s+same)\s+"
    r"(?:morning|afternoon|evening|night|day)|the\s+next\s+morning|the\s+following\s+morning)\b",
    re.IGNORECASE)

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"), 1)}
_WEEKDAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday",
                                         "friday", "saturday", "sunday"))}


@dataclass
class DatePhrase:
    start: int          # character offsets in the source text
    end: int
    text: str
    kind: str = "date"  # date | relative | back | yearless | weekday | numeric | time


def find(text: str, offset: int = 0) -> list[DatePhrase]:
    """Date phrases found by the regular expressions in *text* (offsets + *offset*)."""
    out = []
    for m in DATE_RX.finditer(text):
        s = m.group(0).strip()
        # a bare number that is not a year of a date ("pp. 146-147", "16 accused")
        core = re.sub(rf"^{_LEAD}", "", s, flags=re.IGNORECASE)
        if re.fullmatch(r"\d{4}(?:\s*[–-]\s*\d{2,4})?", core):
            before = text[max(0, m.start() - 4):m.start()].lower()
            if "pp" in before or "p." in before or "no" in before[-3:]:
                continue
        out.append(DatePhrase(offset + m.start(), offset + m.start() + len(m.group(0).rstrip()),
                              m.group(0).rstrip()))
    for m in RELATIVE_RX.finditer(text):
        out.append(DatePhrase(offset + m.start(), offset + m.end(), m.group(0), "relative"))
    for m in RELATIVE2_RX.finditer(text):
        out.append(DatePhrase(offset + m.start(), offset + m.end(), m.group(0), "relative"))
    for rx, kind in ((DAY_MONTH_RX, "yearless"), (WEEKDAY_RX, "weekday"),
                     (NUMERIC_RX, "numeric"), (MONTH_RX, "yearless"), (INSTANT_RX, "yearless")):
        for m in rx.finditer(text):
            if kind == "yearless" and rx is MONTH_RX and m.group(0).lower().strip(".") in (
                    "may", "mar", "jan", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec",
                    "feb", "apr"):
                continue        # "may" the verb; a bare abbreviation is too unsure
            out.append(DatePhrase(offset + m.start(), offset + m.end(), m.group(0), kind))
    times = [DatePhrase(offset + m.start(), offset + m.end(), m.group(0), "time")
             for m in TIME_RX.finditer(text)]
    for m in BACK_RX.finditer(text):
        out.append(DatePhrase(offset + m.start(), offset + m.end(), m.group(0), "back"))
    return _merge(out) + times


def _merge(phrases: list[DatePhrase]) -> list[DatePhrase]:
    phrases.sort(key=lambda p: (p.start, -(p.end - p.start), p.kind == "ent"))
    out: list[DatePhrase] = []
    for p in phrases:
        if out and p.start < out[-1].end:
            if p.end - p.start > out[-1].end - out[-1].start:
                out[-1] = p
            continue
        out.append(p)
    return out


def merge(*lists: list[DatePhrase]) -> list[DatePhrase]:
    every = [p for lst in lists for p in lst]
    return _merge([p for p in every if p.kind != "time"]) + [p for p in every if p.kind == "time"]


def time_of(phrase: str) -> str | None:
    """"1:14 p.m." -> "13:14"; "10 pm" -> "22:00"; "13h20" -> "13:20"; None otherwise."""
    m = TIME_RX.search(phrase)
    if m is None:
        # a timetable time found by TIME_RX in its sentence ("the 8.15 train"), given alone
        d = re.fullmatch(r"\s*([01]?\d|2[0-3])\.([0-5]\d)\s*", phrase)
        return f"{int(d.group(1)):02d}:{d.group(2)}" if d else None
    if m.group(3):
        h, mi = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if m.group(3).lower() == "p" else 0)
    elif m.group(4):
        h, mi = int(m.group(4)), int(m.group(5))
    else:
        h, mi = int(m.group(6)), int(m.group(7))
    return f"{h:02d}:{mi:02d}"


def _span(edtf: str, text: str, calendar: str) -> DateSpan | None:
    try:
        span = parse_date(edtf, calendar=calendar)
    except (DateError, ValueError, OverflowError):
        return None
    return DateSpan(text=text, edtf=span.edtf, earliest=span.earliest, latest=span.latest,
                    qualifier=span.qualifier, calendar=span.calendar, precision=span.precision)


def _anchor_day(previous: DateSpan | None) -> _dt.date | None:
    if previous is None or previous.earliest is None:
        return None
    return previous.earliest if previous.earliest == previous.latest else None


def _read_more(phrase: str, kind: str, previous: DateSpan | None, calendar: str,
               date_order: str | None) -> DateSpan | None | bool:
    """The phrases belie's own parser does not read: a day and month without a year, a
    weekday, a numeric date, a year or week relative to the last date given.  False when
    the phrase is not of that kind; None when it is but cannot be read (no anchor, or an
    ambiguous numeric date without `date_order`)."""
    text = " ".join(phrase.split())
    low = text.lower()
    prev_year = previous.earliest.year if previous is not None and previous.earliest else None
    day = _anchor_day(previous)
    if kind == "numeric":
        m = NUMERIC_RX.search(text)
        a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if a > 12 and b <= 12:
            d, mo = a, b
        elif b > 12 and a <= 12:
            d, mo = b, a
        elif a == b:
            d, mo = a, b
        elif date_order == "day-first":
            d, mo = a, b
        elif date_order == "month-first":
            d, mo = b, a
        else:
            return None            # refused: 03/04/2019 is March or April
        try:
            return _span(_dt.date(y, mo, d).isoformat(), text, calendar)
        except ValueError:
            return None
    if kind == "relative" and RELATIVE2_RX.fullmatch(text):
        if prev_year is None:
            return None
        if "year" in low:
            if "last" in low or "previous" in low or "before" in low:
                return _span(str(prev_year - 1), text, calendar)
            if "this" in low:
                return _span(str(prev_year), text, calendar)
            return _span(str(prev_year + 1), text, calendar)
        if day is None:
            return None
        if "week" in low:
            if "this" in low:
                return _span(f"{day - _dt.timedelta(days=6)}/{day}", text, calendar)
            if "last" in low:
                return _span(f"{day - _dt.timedelta(days=13)}/{day - _dt.timedelta(days=7)}",
                             text, calendar)
            return _span(f"{day + _dt.timedelta(days=1)}/{day + _dt.timedelta(days=7)}", text,
                         calendar)
        if "next" in low or "following" in low:
            return _span((day + _dt.timedelta(days=1)).isoformat(), text, calendar)
        return _span(day.isoformat(), text, calendar)
    if kind == "weekday":
        wd = next((_WEEKDAYS[w] for w in _WEEKDAYS if w in low), None)
        if wd is None or day is None:
            return None
        if "following" in low or "next" in low:
            delta = (wd - day.weekday()) % 7 or 7
            return _span((day + _dt.timedelta(days=delta)).isoformat(), text, calendar)
        delta = (day.weekday() - wd) % 7
        if re.search(r"\blast\b", low):
            delta = delta or 7      # "last Friday" / "Friday last" in a Friday's paper: a week back
        return _span((day - _dt.timedelta(days=delta)).isoformat(), text, calendar)
    if kind == "yearless" and INSTANT_RX.fullmatch(text):
        m = INSTANT_RX.fullmatch(text)
        if day is None:
            return None
        shift = {"i": 0, "u": -1, "p": 1}[m.group(2)[0].lower()]
        y, mo = day.year, day.month + shift
        if mo == 0:
            y, mo = y - 1, 12
        elif mo == 13:
            y, mo = y + 1, 1
        try:
            return _span(_dt.date(y, mo, int(m.group(1))).isoformat(), text, calendar)
        except ValueError:
            return None
    if kind == "yearless":
        mo = next((_MONTHS[k] for k in _MONTHS if re.search(rf"\b{k}", low)), None)
        if mo is None or prev_year is None:
            return None
        following = "following" in low
        dm = re.search(r"\b([0-3]?\d)(?:st|nd|rd|th|d)?\b", low)
        year = prev_year
        if following and previous is not None and previous.earliest is not None and \
                mo <= previous.earliest.month:
            year += 1
        if dm is not None and DAY_MONTH_RX.search(text):
            try:
                return _span(_dt.date(year, mo, int(dm.group(1))).isoformat(), text, calendar)
            except ValueError:
                return None
        edtf = f"{year:04d}-{mo:02d}"
        return _span(edtf, text, calendar)
    return False


def _fix_edtf(span: DateSpan) -> DateSpan:
    """An interval of intervals ("from 1931 to the middle of 1936") as one EDTF interval."""
    if span.edtf.count("/") > 1:
        return DateSpan(text=span.text, edtf=edtf_of(span.lo, span.hi), earliest=span.earliest,
                        latest=span.latest, qualifier=span.qualifier, calendar=span.calendar,
                        precision="interval")
    return span


def read(phrase: str, *, anchor: _dt.date | None = None, calendar: str = "gregorian",
         settings=None, previous: DateSpan | None = None, kind: str = "date",
         date_order: str | None = None) -> DateSpan | None:
    """The DateSpan of a phrase as written, or None when belie cannot read it.

    *previous* is the last date the text gave (the anchor of "January 15", "Monday",
    "last year"); *date_order* the case's reading of numeric dates."""
    text = " ".join(phrase.split())
    if kind == "time":
        return None
    if kind in ("yearless", "weekday", "numeric") or (kind == "relative" and
                                                     RELATIVE2_RX.fullmatch(text)):
        got = _read_more(text, kind, previous, calendar, date_order)
        if got is not False:
            return got
    if BACK_RX.fullmatch(text):
        if previous is None:
            return None
        return DateSpan(text=text, edtf=previous.edtf, earliest=previous.earliest,
                        latest=previous.latest, qualifier=previous.qualifier,
                        calendar=previous.calendar, precision=previous.precision)
    # "Thursday, June 7, 1962" -> "June 7, 1962"; "early in January 2000" -> "early January 2000"
    text = re.sub(rf"^(?:on\s+)?{_WEEKDAY},?\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^(early|late)\s+in\s+", r"\1 ", text, flags=re.IGNORECASE)
    tries = [text]
    if _APPROX_LEAD.match(text):
        tries.append("about " + _APPROX_LEAD.sub("", text))
    t = text
    for _ in range(3):
        t2 = _DROP_LEAD.sub("", t)
        if t2 == t:
            break
        tries.append(t2)
        t = t2
    for t in tries:
        try:
            span = parse_date(t, calendar=calendar, settings=settings, anchor=anchor)
        except DateError:
            continue
        except (ValueError, OverflowError):
            continue
        span = _fix_edtf(span)
        if span.text != text:
            span = DateSpan(text=text, edtf=span.edtf, earliest=span.earliest, latest=span.latest,
                            qualifier=span.qualifier, calendar=span.calendar,
                            precision=span.precision)
        return span
    return None


def day_of(span: DateSpan | None) -> _dt.date | None:
    """The anchor a date gives for "the very next day": its day, when it is one day."""
    if span is None or span.earliest is None or span.earliest != span.latest:
        return None
    return span.earliest


_DURATION_LEAD = re.compile(r"^(?:since|from|until|till|between|throughout)\b", re.IGNORECASE)
_DURATION_BEFORE = re.compile(r"\b(?:since|from|until|till|between|throughout)$", re.IGNORECASE)


def is_duration(phrase: str, before: str = "") -> bool:
    """True for the bound of a span of time ("from 2015 to 2021", "since the spring of
    1922", "until 1972"): a background period, which does not anchor the year-less dates
    that follow ("left the country on 24 February" after "lived in Izmail from 2015 to
    2021" is in the year of the narrative, not 2015).  *before* is the text before it."""
    text = " ".join(phrase.split())
    return bool(_DURATION_LEAD.match(text) or _DURATION_BEFORE.search(before.rstrip()))


def last_before(span: DateSpan, previous: DateSpan | None) -> DateSpan | None:
    """"last April" in a text of 12 March 2019: the latest such month strictly before the
    anchor (April 2018), where *span* is the month as read in the anchor's year."""
    if previous is None or span.earliest is None or previous.earliest is None or \
            span.precision != "month":
        return None
    ref = previous.earliest
    year = ref.year if span.earliest.month < ref.month else ref.year - 1
    if year == span.earliest.year:
        return span
    return read(f"{span.earliest.strftime('%B')} {year}")


def year_before(span: DateSpan) -> DateSpan | None:
    """The same month or day a year earlier ("September" read as 2016-09 -> 2015-09)."""
    if span.earliest is None:
        return None
    try:
        if span.precision == "month":
            return read(f"{span.earliest.strftime('%B')} {span.earliest.year - 1}")
        if span.precision == "day":
            d = span.earliest.replace(year=span.earliest.year - 1)
            return _span(d.isoformat(), span.text, span.calendar)
    except ValueError:
        return None
    return None
