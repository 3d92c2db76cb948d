"""Find a claim's quote in its source's text.

:func:`locate_quote` tries, in order:

1. the quote exactly as written (status ``exact``);
2. both sides normalised (status ``normalised``): runs of whitespace count as
   one space; quotation marks and apostrophes (straight or typographic) are
   ignored, typographic dashes count as ``-``; case, accents and ligatures are
   ignored; a word broken across a line
   by a hyphen (``sabo-\\ntage``) counts as whole, and so does a hyphenated
   compound (``well-known`` = ``wellknown``); an elision (``...``, ``…``,
   ``[...]``) in the quote matches any short passage;
3. failing both (status ``not_found``): the passage of the text most like the
   quote, with its similarity (difflib's ratio, 0..1).  Candidate windows are
   seeded by the rarest words the quote shares with the text, so this stays
   fast on texts of a megabyte or more.

Offsets (``start``, ``end``, ``nearest_start``) always index the original
text: ``text[m.start:m.end]`` is the passage found.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Iterable

# Characters folded to an ASCII equivalent before comparison.
# Quotation marks and apostrophes, straight or typographic, are dropped: a
# quote may be written with other quotation marks than its source, or none.
_FOLD = {
    **dict.fromkeys("'\"\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4", ""),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2039\u203a", ""),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    "\u2026": "...",
    "\u00ad": "",      # soft hyphen
    "\u200b": "",      # zero-width space
    "\u200c": "",
    "\u200d": "",
    "\ufeff": "",
}


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _FOLD:
        return _FOLD[c]
    if c in "\n\u2028\u2029\x85":
        return "\n"
    if c.isspace():
        return " "
    d = unicodedata.normalize("NFKD", c)
    d = "".join(ch for ch in d if not unicodedata.combining(ch))
    out = []
    for ch in d:
        ch = _FOLD.get(ch, ch)
        out.append(ch)
    return "".join(out).lower()


# Applied after per-character folding, on the folded text:
#   a hyphen at a line end between word characters (hyphenation) -> removed;
#   a hyphen between word characters -> removed;
#   a run of whitespace -> one space.
_JOINS = re.compile(r"(?<=\w)-[ \t\r\f\v]*\n\s*(?=\w)|(?<=\w)-(?=\w)|\s+")


@dataclass
class Normalised:
    text: str
    offsets: array   # offsets[i]: index in the original of normalised char i; plus one past the end


def normalise(text: str) -> Normalised:
    """The comparison form of *text*, with a map back to the original offsets."""
    return _normalise_cached(text)


def _normalise(text: str) -> Normalised:
    # Pass 1: fold characters.  Most map to one character, done in bulk by
    # str.translate; those that map to zero or several are handled one by one.
    table: dict[int, str] = {}
    special: list[str] = []
    for c in set(text):
        f = _fold_char(c)
        if len(f) == 1:
            if f != c:
                table[ord(c)] = f
        else:
            special.append(c)
    if special:
        pieces: list[str] = []
        offs = array("q")
        pos = 0
        pat = re.compile("[" + "".join(re.escape(c) for c in special) + "]")
        for m in pat.finditer(text):
            s = m.start()
            if s > pos:
                pieces.append(text[pos:s].translate(table))
                offs.extend(range(pos, s))
            f = _fold_char(text[s])
            pieces.append(f)
            offs.extend([s] * len(f))
            pos = s + 1
        pieces.append(text[pos:].translate(table))
        offs.extend(range(pos, len(text)))
        folded = "".join(pieces)
    else:
        folded = text.translate(table)
        offs = None  # identity

    # Pass 2: hyphen joins and whitespace runs, keeping the offset map.
    out: list[str] = []
    omap = array("q")
    pos = 0
    for m in _JOINS.finditer(folded):
        s, e = m.start(), m.end()
        if s > pos:
            out.append(folded[pos:s])
            omap.extend(range(pos, s) if offs is None else offs[pos:s])
        if folded[s] != "-":  # whitespace run -> one space
            out.append(" ")
            omap.append(s if offs is None else offs[s])
        pos = e
    out.append(folded[pos:])
    omap.extend(range(pos, len(folded)) if offs is None else offs[pos:])
    omap.append(len(text))
    return Normalised("".join(out), omap)


# Source texts are normalised once and kept (a few); quotes are not cached.
_normalise_cached = lru_cache(maxsize=8)(_normalise)


def normalise_quote(quote: str) -> str:
    return _normalise(quote).text.strip()


@dataclass
class QuoteMatch:
    start: int | None
    end: int | None
    status: str                  # exact | normalised | not_found
    nearest: str | None = None
    nearest_start: int | None = None
    similarity: float = 0.0

    @property
    def found(self) -> bool:
        return self.status != "not_found"


def _span(norm: Normalised, ns: int, ne: int) -> tuple[int, int]:
    """Original [start, end) of the normalised slice [ns, ne)."""
    start = norm.offsets[ns]
    end = norm.offsets[ne - 1] + 1 if ne > ns else start
    return start, end


# The leading spaces are taken from the start of their run only, and whole (tried from each
# space of a long run, they would cost time quadratic in its length).
_ELISION = re.compile(r"(?<!\s)\s*+(?:\[\s*(?:\.\s*){3}\]|\[\s*\u2026\s*\]|\.\s*\.\s*\.|\u2026)\s*")


def locate_quote(quote: str, text: str) -> QuoteMatch:
    """Where *quote* occurs in *text*; see the module's documentation."""
    if not quote or not quote.strip():
        return QuoteMatch(None, None, "not_found")
    i = text.find(quote)
    if i >= 0:
        return QuoteMatch(i, i + len(quote), "exact", similarity=1.0)
    norm = _normalise_cached(text)
    nq = normalise_quote(quote)
    if nq:
        j = norm.text.find(nq)
        if j >= 0:
            start, end = _span(norm, j, j + len(nq))
            return QuoteMatch(start, end, "normalised", similarity=1.0)
    parts = [normalise_quote(p) for p in _ELISION.split(quote)]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        hit = _find_elided(parts, norm.text, len(nq))
        if hit is not None:
            start, end = _span(norm, *hit)
            return QuoteMatch(start, end, "normalised", similarity=1.0)
    return _nearest(nq, text, norm)


def _find_elided(parts: list[str], ntext: str, qlen: int) -> tuple[int, int] | None:
    """The first place where *parts* occur in order, close together."""
    gap = max(400, 2 * qlen)
    pos = 0
    while True:
        first = ntext.find(parts[0], pos)
        if first < 0:
            return None
        end = first + len(parts[0])
        for part in parts[1:]:
            k = ntext.find(part, end, end + gap + len(part))
            if k < 0:
                break
            end = k + len(part)
        else:
            return first, end
        pos = first + 1


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=8)
def _word_index(ntext: str) -> tuple[dict[str, array], array]:
    """word -> its start positions in the normalised text; and all word starts."""
    index: dict[str, array] = {}
    starts = array("q")
    for m in _WORD.finditer(ntext):
        w = m.group()
        starts.append(m.start())
        positions = index.get(w)
        if positions is None:
            index[w] = positions = array("q")
        positions.append(m.start())
    return index, starts


MAX_SEED_WORDS = 6
MAX_SEEDS_PER_WORD = 60
MAX_WINDOWS = 300
#: The nearest passage to a long quote is sought for its first FUZZY_CHARS characters (and
#: widened to the quote's length): comparing windows costs time quadratic in their length,
#: and a 3 KB quote missing from a 0.8 MB source once took minutes.
FUZZY_CHARS = 400


def _nearest(nq: str, text: str, norm: Normalised) -> QuoteMatch:
    ntext = norm.text
    if not nq or not ntext:
        return QuoteMatch(None, None, "not_found")
    full = len(nq)
    if full > FUZZY_CHARS:
        cut = nq.rfind(" ", 0, FUZZY_CHARS)
        nq = nq[: cut if cut > FUZZY_CHARS // 2 else FUZZY_CHARS]
    index, starts = _word_index(ntext)
    qwords = [(m.group(), m.start()) for m in _WORD.finditer(nq)]
    shared = {}
    for w, off in qwords:
        if w in index and w not in shared:
            shared[w] = off
    if not shared:
        return QuoteMatch(None, None, "not_found")
    # Rarest shared words first; longer words break ties (more telling).
    seeds = sorted(shared, key=lambda w: (len(index[w]), -len(w)))[:MAX_SEED_WORDS]
    L = len(nq)
    bucket = max(1, L // 4)
    windows: dict[int, int] = {}
    for w in seeds:
        off = shared[w]
        positions = index[w]
        step = max(1, len(positions) // MAX_SEEDS_PER_WORD)
        for p in positions[::step]:
            s = max(0, p - off)
            windows.setdefault(s // bucket, s)
        if len(windows) >= MAX_WINDOWS:
            break
    best = (-1.0, 0, 0)
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(nq)
    for s in windows.values():
        e = min(len(ntext), s + L)
        matcher.set_seq1(ntext[s:e])
        if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
            continue
        r = matcher.ratio()
        if r > best[0]:
            best = (r, s, e)
    ratio, s, e = best
    if ratio < 0:
        return QuoteMatch(None, None, "not_found")
    ratio, s, e = _refine(matcher, ntext, starts, ratio, s, e, L)
    if full > L:
        e = min(len(ntext), max(e, s + full))
    # Whole words only: widen a cut word, trim spaces, then map back to the original.
    while s > 0 and ntext[s - 1].isalnum() and ntext[s].isalnum():
        s -= 1
    while e < len(ntext) and ntext[e - 1].isalnum() and ntext[e].isalnum():
        e += 1
    while s < e and ntext[s] == " ":
        s += 1
    while e > s and ntext[e - 1] == " ":
        e -= 1
    start, end = _span(norm, s, e)
    return QuoteMatch(None, None, "not_found", nearest=text[start:end], nearest_start=start,
                      similarity=round(ratio, 4))


def _refine(matcher: SequenceMatcher, ntext: str, starts: array, ratio: float, s: int, e: int,
            L: int) -> tuple[float, int, int]:
    """Move the window's edges to word boundaries nearby while the ratio improves."""
    def snap_candidates(x: int) -> list[int]:
        k = bisect_left(starts, x)
        cands = {x}
        for j in range(max(0, k - 4), min(len(starts), k + 4)):
            cands.add(starts[j])
        return sorted(c for c in cands if 0 <= c <= len(ntext))

    def ends_near(x: int) -> list[int]:
        # word ends: the position before each next word start, and the text end
        k = bisect_left(starts, x)
        cands = {x, len(ntext)} if x >= len(ntext) - 1 else {x}
        for j in range(max(0, k - 4), min(len(starts), k + 5)):
            m = _WORD.match(ntext, starts[j])
            if m:
                cands.add(m.end())
        return sorted(c for c in cands if 0 <= c <= len(ntext))

    for _ in range(3):
        improved = False
        for cs in snap_candidates(s):
            for ce in ends_near(e):
                if ce - cs < max(1, L // 3) or ce - cs > 2 * L:
                    continue
                matcher.set_seq1(ntext[cs:ce])
                if matcher.real_quick_ratio() <= ratio or matcher.quick_ratio() <= ratio:
                    continue
                r = matcher.ratio()
                if r > ratio + 1e-9:
                    ratio, s, e, improved = r, cs, ce, True
        if not improved:
            break
    return ratio, s, e


# --------------------------------------------------------------------------
# Checking the quotes of many claims


@dataclass
class QuoteReport:
    claim_id: str
    source_id: str
    quote: str
    match: QuoteMatch | None     # None: the source has no ingested text

    @property
    def found(self) -> bool:
        return self.match is not None and self.match.found


def check_quotes(store, items: Iterable[tuple], *, record: bool = True) -> list[QuoteReport]:
    """Locate each quote in its source's stored text.

    *items* are tuples ``(claim_id, source_id, quote, ...)`` (extra fields are
    ignored).  A claim whose source is not in the store gets ``match=None``.
    With *record*, each location is written to the claim's row in the store
    (claims not yet stored are skipped).
    """
    reports = []
    texts: dict[str, str | None] = {}
    for item in items:
        claim_id, source_id, quote = item[0], item[1], item[2]
        if source_id not in texts:
            rec = store.get_source(source_id)
            texts[source_id] = None if rec is None else rec.text
        text = texts[source_id]
        match = None if text is None else locate_quote(quote, text)
        reports.append(QuoteReport(claim_id, source_id, quote, match))
        if record and match is not None:
            store.set_quote_location(claim_id, match.start, match.end, match.status)
    return reports
