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
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)"
_PART = (r"(?:(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|first\s+half|second\s+half|"
         r"first\s+days|last\s+days)\s+of\s+|early\s+|mid-?\s*|late\s+)")
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


@dataclass
class DatePhrase:
    start: int          # character offsets in the source text
    end: int
    text: str
    kind: str = "date"  # date | relative | back


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
    for m in BACK_RX.finditer(text):
        out.append(DatePhrase(offset + m.start(), offset + m.end(), m.group(0), "back"))
    return _merge(out)


def _merge(phrases: list[DatePhrase]) -> list[DatePhrase]:
    phrases.sort(key=lambda p: (p.start, -(p.end - p.start)))
    out: list[DatePhrase] = []
    for p in phrases:
        if out and p.start < out[-1].end:
            if p.end - p.start > out[-1].end - out[-1].start:
                out[-1] = p
            continue
        out.append(p)
    return out


def merge(*lists: list[DatePhrase]) -> list[DatePhrase]:
    return _merge([p for lst in lists for p in lst])


def _fix_edtf(span: DateSpan) -> DateSpan:
    """An interval of intervals ("from 1931 to the middle of 1936") as one EDTF interval."""
    if span.edtf.count("/") > 1:
        return DateSpan(text=span.text, edtf=edtf_of(span.lo, span.hi), earliest=span.earliest,
                        latest=span.latest, qualifier=span.qualifier, calendar=span.calendar,
                        precision="interval")
    return span


def read(phrase: str, *, anchor: _dt.date | None = None, calendar: str = "gregorian",
         settings=None, previous: DateSpan | None = None) -> DateSpan | None:
    """The DateSpan of a phrase as written, or None when belie cannot read it."""
    text = " ".join(phrase.split())
    if BACK_RX.fullmatch(text):
        if previous is None:
            return None
        return DateSpan(text=text, edtf=previous.edtf, earliest=previous.earliest,
                        latest=previous.latest, qualifier=previous.qualifier,
                        calendar=previous.calendar, precision=previous.precision)
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
