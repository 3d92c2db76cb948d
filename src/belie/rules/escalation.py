"""escalation: a later statement repeats an earlier one's words and adds to it.

The Moscow confessions were standardised: "B hastens to admit what A has admitted, and
even a little more."  This rule finds that pattern among the short texts of a case: its
``statement`` claims and the quotes of its other claims (a claim's quote, when it has
one, stands for it: it is the source's own words; denials are left out).

Two texts *E* (earlier) and *L* (later) of different speakers are compared when E's
source was said wholly before L's (``said`` intervals that do not overlap; undated
sources and overlapping dates give no order, and no finding).  L **escalates** E when

* L **repeats** E: they share a formula, a run of at least ``FORMULA_WORDS`` words,
  ``FORMULA_CONTENT`` of them content words, word for word (case, punctuation and a
  possessive 's aside); or L holds at least ``CONTAINMENT`` of E's content words, in
  E's order (``MIN_SHARED`` at least);
* L **keeps** E's names and figures: a later text that drops a number, or a name (a word
  capitalised inside a sentence, or an entity's name), tells of another event or
  changes who, where or when: that is for conflicting-accounts, not a repetition;
* L **adds** at least ``MIN_ADDED`` content words E does not have, *inserted* before,
  after or between the content words both share.  Words put in place of E's own
  ("destroy the ledgers" becoming "deliver money") are a substitution, not an addition.

A later text that repeats without adding is a copy, not an escalation: `belie reuse`
shows it; this rule does not.  Content words are the words outside a short list of
English function words (``STOPWORDS``); negations (no, not, never) count as content.

Each escalation is a note.  Escalations joining three or more statements (connected
components of the graph "E is escalated by L") are one finding listing the chain in
date order, with what each later statement added to those it repeats; two statements
alone make a finding for the pair.

Cost: one pass over the claims, nothing more when fewer than two are statements or
quoted.  Candidates come from an inverted index of content words, looked up through the
rarest of E's names and figures (L must hold them all) or else through E's
``m - MIN_SHARED + 1`` rarest content words (a prefix filter: L must hold
``MIN_SHARED`` of E's *m*), so the work grows with the amount of repetition rather than
the square of the number of statements (67,000 texts of a generated case of a million
claims: about 3 s).  Above ``MAX_TEXTS`` texts the rule does nothing; a word found in
more than ``MAX_DF`` texts is not looked up, and at most ``MAX_CANDIDATES`` candidate
pairs are examined.  What was skipped is put in ``ctx.stats_notes["escalation"]`` and
logged (a warning when texts went uncompared).
"""
from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from typing import Iterator, NamedTuple

from belie.model.claims import Claim
from belie.rules.base import Context, Finding, Rule
from belie.model.dates import span_text
from belie.rules.accounts import describe, plural, speaker_name
from belie.sources.reuse import TOKEN, normalize_word

NAME = "escalation"
log = logging.getLogger(__name__)

#: A shared run of this many words, ``FORMULA_CONTENT`` of them content words, is a
#: formula repeated word for word (the short-text parameters of `belie reuse`: n=3,
#: min_words=6).
FORMULA_WORDS = 6
FORMULA_CONTENT = 4
#: Share of the earlier text's content words the later one must hold, in order, to
#: repeat it nearly word for word ...
CONTAINMENT = 0.7
#: ... and the fewest different content words two texts must share either way.
MIN_SHARED = 4
#: Fewest new content words for the later text to *add* to the earlier one.
MIN_ADDED = 2
#: Above this many texts the rule is skipped (with a note).
MAX_TEXTS = 500_000
#: A content word found in more texts than this is not used to find candidates.
MAX_DF = 2_000
#: Most candidate pairs examined (with a note when reached).
MAX_CANDIDATES = 5_000_000
#: Most statements named in one chain's explanation (all are in `claims`).
MAX_LISTED = 12

#: English function words.  Negations are deliberately absent: "did not meet" is not a
#: repetition of "met".
STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself of off on once only or other our ours ourselves out over own same
shall she should so some such than that the their theirs them themselves then there these they
this those through to too under until up upon very was we were what when where which while who
whom why will with would you your yours yourself yourselves also us one
""".split())

_POSSESSIVE = re.compile(r"['\u2019\u02bc][sS]$")
_OPENING = frozenset(" \t\r\n\"'“‘«([")


def _starts(text: str, i: int) -> bool:
    """Does a sentence begin at ``text[i]`` (only space and opening quotes before it,
    back to the start of the text or to a full stop, colon or semicolon)?"""
    i -= 1
    while i >= 0 and text[i] in _OPENING:
        i -= 1
    return i < 0 or text[i] in ".!?:;"


class Word(NamedTuple):
    start: int
    end: int
    norm: str
    content: bool
    proper: bool        # a number, or capitalised where a sentence does not begin


#: What a word is, whatever its text: raw form -> (norm, content, has a digit, capitalised).
#: A case repeats its words many times over; each is worked out once (bounded).
_WORD_INFO: dict[str, tuple[str, bool, bool, bool]] = {}
_WORD_INFO_MAX = 500_000


def _word_info(raw: str) -> tuple[str, bool, bool, bool]:
    got = _WORD_INFO.get(raw)
    if got is None:
        norm = normalize_word(_POSSESSIVE.sub("", raw))
        content = norm not in STOPWORDS and (len(norm) > 1 or norm.isdigit())
        got = (norm, content, _has_digit(raw), raw[:1].isupper())
        if len(_WORD_INFO) >= _WORD_INFO_MAX:
            _WORD_INFO.clear()
        _WORD_INFO[raw] = got
    return got


def words(text: str) -> list[Word]:
    """The words of a text with offsets, normalised form, and whether each is content
    and a proper name or figure."""
    out = []
    info = _WORD_INFO.get
    for m in TOKEN.finditer(text):
        raw = m.group()
        got = info(raw) or _word_info(raw)
        norm, content, digit, upper = got
        start = m.start()
        proper = content and (digit or (upper and not _starts(text, start)))
        out.append(Word(start, m.end(), norm, content, proper))
    return out


def claim_text(c: Claim) -> str | None:
    """The text of a claim for repetition: its quote, else its statement text."""
    t = c.quote or (c.text if c.kind == "statement" else None)
    t = (t or "").strip()
    return t or None


# ----------------------------------------------------------------------------- comparing


class Repeat(NamedTuple):
    """How later text L repeats earlier text E, and what it adds."""

    word_for_word: bool         # a formula shared as a run of words
    formula: str                # the longest shared run, as E writes it ("" if short)
    shared: str                 # what L repeats, as L writes it (fragments joined by " … ")
    repeated: int               # E's content words found in L, in order
    of: int                     # E's content words
    added: list[str]            # fragments of L holding the content it adds
    added_words: int            # content words added (distinct)
    left_out: list[str]         # E's content words L does not repeat
    added_at: tuple[int, ...]   # indices in L's words of the content words added


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def name_words(case) -> frozenset[str]:
    """Content words of the names of the case's entities (and of their ids)."""
    out: set[str] = set()
    for eid, e in case.entities.items():
        for name in (*getattr(e, "names", ()), eid.replace("-", " ")):
            out.update(w.norm for w in words(str(name)) if w.content)
    return frozenset(out)


def _fragments(text: str, ws: list[Word], marked: list[bool]) -> list[str]:
    """Stretches of the text around its marked words: function words and a single
    unmarked content word between two marked words are kept inside one stretch."""
    out: list[str] = []
    start = end = None
    unmarked = 0            # unmarked content words since the last marked word
    for w, m in zip(ws, marked):
        if m:
            if start is None:
                start = w.start
            end = w.end
            unmarked = 0
        elif w.content and start is not None:
            unmarked += 1
            if unmarked > 1:
                out.append(text[start:end])
                start = end = None
    if start is not None:
        out.append(text[start:end])
    return [_close(f) for f in out]


_PAIRS = {"(": ")", "[": "]", "“": "”", "«": "»"}


def _close(fragment: str) -> str:
    """Close a bracket or quotation mark the fragment opens and does not close."""
    for o, c in _PAIRS.items():
        if fragment.count(o) > fragment.count(c):
            fragment += c
    return fragment


class Prepared(NamedTuple):
    """A text made ready for `compare`, once."""

    text: str
    words: list[Word]
    content: list[str]          # its content words, in order
    cidx: list[int]             # their indices in `words`
    cset: frozenset[str]
    kept: frozenset[str]        # names and figures a repetition must keep


def prepare(text: str, names: frozenset[str] | set[str] = frozenset(), ws: list[Word] | None = None) -> Prepared:
    ws = words(text) if ws is None else ws
    cidx = [i for i, w in enumerate(ws) if w.content]
    content = [ws[i].norm for i in cidx]
    kept = frozenset(w.norm for w in ws if w.content and (
        w.proper or (w.norm in names and text[w.start:w.start + 1].isupper())))
    return Prepared(text, ws, content, cidx, frozenset(content), kept)


def compare(e_text: str, e_words: list[Word], l_text: str, l_words: list[Word],
            names: frozenset[str] | set[str] = frozenset()) -> Repeat | None:
    """Does L repeat E and add to it?  None unless all of these hold:

    * L **repeats** E: they share a formula (a run of ``FORMULA_WORDS`` words or more,
      ``FORMULA_CONTENT`` of them content words), or L holds ``CONTAINMENT`` of E's
      content words in E's order (``MIN_SHARED`` at least);
    * L **keeps** E's names and figures: every number, every word capitalised inside a
      sentence, and every word of ``names`` (the case's entity names) capitalised at
      its start.  A statement that changes who, where or when tells another account;
    * L **adds** ``MIN_ADDED`` content words or more that E does not have, inserted
      where E has no content word of its own (before, after or between E's content
      words, in the order both share).  Words put in place of E's words are a
      substitution ("destroy the ledgers" becoming "deliver money"), not an addition.
    """
    return _compare(prepare(e_text, names, e_words), prepare(l_text, names, l_words))


def _compare(e: Prepared, lp: Prepared) -> Repeat | None:
    e_text, e_words, e_content, e_set = e.text, e.words, e.content, e.cset
    l_text, l_words, l_content, l_idx, l_set = lp.text, lp.words, lp.content, lp.cidx, lp.cset
    if (len(l_set - e_set) < MIN_ADDED or len(e_set & l_set) < MIN_SHARED
            or not e.kept <= l_set):
        return None
    # Aligned on content words: what L inserts (adds) and what it keeps, in order.
    cm = SequenceMatcher(None, e_content, l_content, autojunk=False)
    added_at: list[int] = []
    for tag, i1, i2, j1, j2 in cm.get_opcodes():
        if tag == "insert":
            added_at.extend(l_idx[j] for j in range(j1, j2) if l_content[j] not in e_set)
    added_norms = {l_words[j].norm for j in added_at}
    if len(added_norms) < MIN_ADDED:
        return None
    repeated = sum(b.size for b in cm.get_matching_blocks())
    contained = repeated >= MIN_SHARED and repeated >= math.ceil(CONTAINMENT * len(e_content) - 1e-9)
    # A formula: the longest common run of words (all words, function words too).
    sm = SequenceMatcher(None, [w.norm for w in e_words], [w.norm for w in l_words], autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    best = max(blocks, key=lambda b: b.size, default=None)
    word_for_word = False
    formula = ""
    if best is not None and best.size >= FORMULA_WORDS:
        run = e_words[best.a:best.a + best.size]
        if sum(w.content for w in run) >= FORMULA_CONTENT:
            word_for_word = True
            formula = e_text[run[0].start:run[-1].end]
    if not (word_for_word or contained):
        return None
    # What L repeats, as L writes it: the matched stretches that carry content.
    parts = []
    for b in blocks:
        run = l_words[b.b:b.b + b.size]
        if any(w.content for w in run):
            parts.append(l_text[run[0].start:run[-1].end])
    left_out = list(dict.fromkeys(x for x in e_content if x not in l_set))
    marked = [False] * len(l_words)
    for j in added_at:
        marked[j] = True
    return Repeat(word_for_word, formula, " … ".join(parts), repeated, len(e_content),
                  _fragments(l_text, l_words, marked), len(added_norms), left_out, tuple(added_at))


# ----------------------------------------------------------------------------- the index


class Text(NamedTuple):
    claim: Claim
    text: str
    lo: int          # the source's `said`, as day ordinals
    hi: int


def _texts(ctx: Context) -> list[Text]:
    sources = ctx.case.sources
    out = []
    for c in ctx.case.claims:
        if c.denies or not (c.kind == "statement" or c.quote):
            continue
        t = claim_text(c)
        if t is None:
            continue
        src = sources.get(c.source)
        if src is None or src.said is None:
            continue
        out.append(Text(c, t, src.said.lo, src.said.hi))
    return out


def _note(ctx: Context, message: str, level: int = logging.WARNING) -> None:
    """Say what the rule skipped: in ``ctx.stats_notes`` and in the log."""
    notes = ctx.__dict__.setdefault("stats_notes", {})
    notes[NAME] = message
    log.log(level, "%s: %s", NAME, message)


def _edges(ctx: Context, items: list[Text]) -> tuple[dict[tuple[int, int], Repeat], list[list[Word]]]:
    """Every (earlier, later) pair of item indices where the later repeats and adds.

    Candidates for a later text L of an earlier E come from an inverted index of content
    words: L must hold every name and figure of E, so when E has one, the rarest is the
    key; otherwise L must hold ``MIN_SHARED`` of E's *m* content words, hence one of its
    ``m - MIN_SHARED + 1`` rarest (a prefix filter).
    """
    names = name_words(ctx.case)
    prep = [prepare(t.text, names) for t in items]
    df: Counter = Counter()
    for p in prep:
        df.update(p.cset)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(prep):
        for t in p.cset:
            if df[t] > 1:
                postings[t].append(i)
    speaker = [ctx.speaker(t.claim) for t in items]
    found: dict[tuple[int, int], Repeat] = {}
    examined = 0
    common_skipped = 0
    capped = False
    i = -1
    for i, e in enumerate(prep):
        eset = e.cset
        if len(eset) < MIN_SHARED:
            continue
        if e.kept:
            keys = [min(e.kept, key=lambda t: (df[t], t))]
        else:
            ranked = sorted(eset, key=lambda t: (df[t], t))
            keys = ranked[:len(ranked) - MIN_SHARED + 1]
        cands: set[int] = set()
        for t in keys:
            if df[t] < 2:
                continue
            if df[t] > MAX_DF:
                common_skipped += 1
                continue
            cands.update(postings[t])
        if not cands:
            continue
        cands.discard(i)
        ehi, esp, kept = items[i].hi, speaker[i], e.kept
        for j in cands:
            examined += 1
            if items[j].lo <= ehi or speaker[j] == esp:
                continue        # not said wholly later, or the same speaker
            lset = prep[j].cset
            if (not kept <= lset or len(eset & lset) < MIN_SHARED or len(lset - eset) < MIN_ADDED):
                continue
            rep = _compare(e, prep[j])
            if rep is not None:
                found[(i, j)] = rep
        if examined > MAX_CANDIDATES:
            capped = True
            break
    if capped:
        _note(ctx, f"stopped after {examined:,} candidate pairs (the cap, MAX_CANDIDATES); "
                   f"statements after the first {i + 1:,} of {len(items):,} were not compared")
    elif common_skipped:
        _note(ctx, f"{common_skipped:,} look-ups through words found in more than {MAX_DF:,} "
                   f"statements were skipped (MAX_DF)", logging.INFO)
    return found, [p.words for p in prep]


# ----------------------------------------------------------------------------- findings


def _said(ctx: Context, c: Claim):
    return ctx.case.sources[c.source].said


def _who(ctx: Context, c: Claim) -> str:
    return speaker_name(ctx, c)


def _bare(text: str | None) -> str:
    """A text to quote inside a sentence: without its own closing full stop."""
    return (text or "").rstrip().rstrip(".")


def _quote_list(parts: list[str]) -> str:
    return ", ".join(f"“{p}”" for p in parts)


def _pair_finding(ctx: Context, e: Claim, lc: Claim, rep: Repeat) -> Finding:
    ew, lw = _who(ctx, e), _who(ctx, lc)
    if rep.word_for_word:
        how = f"repeats {ew}'s formula word for word, “{rep.formula}”,"
    else:
        how = (f"repeats {ew}'s statement nearly word for word ({rep.repeated} of its {rep.of} "
               f"content words, in order: “{rep.shared}”)")
    expl = (f"Standardised: {lw} ({lc.source}, said {describe(_said(ctx, lc))}) {how} and adds "
            f"{_quote_list(rep.added)}. {ew}'s statement came first ({e.source}, said "
            f"{describe(_said(ctx, e))}): “{_bare(claim_text(e))}”; {lw}'s: “{_bare(claim_text(lc))}”.")
    if rep.left_out:
        expl += f" Left out of the later one: {', '.join(rep.left_out)}."
    details = {
        "earlier": e.id, "later": lc.id,
        "earlier_source": e.source, "later_source": lc.source,
        "earlier_said": _said(ctx, e).edtf, "later_said": _said(ctx, lc).edtf,
        "word_for_word": rep.word_for_word, "formula": rep.formula, "shared": rep.shared,
        "repeated": rep.repeated, "of": rep.of, "added": rep.added, "added_words": rep.added_words,
        "left_out": rep.left_out,
    }
    return ctx.finding(NAME, "note", [e.id, lc.id], expl,
                       title="A later statement repeats an earlier one and adds to it", details=details)


def _stages(items: list[Text], idx: list[int]) -> list[list[int]]:
    """Indices of items in date order, grouped where their `said` intervals overlap."""
    out: list[list[int]] = []
    hi = 0
    for i in sorted(idx, key=lambda i: (items[i].lo, items[i].hi, items[i].claim.id)):
        t = items[i]
        if out and t.lo <= hi:
            out[-1].append(i)
            hi = max(hi, t.hi)
        else:
            out.append([i])
            hi = t.hi
    return out


def _chain_finding(ctx: Context, idx: list[int], items: list[Text], ws: list[list[Word]],
                   edges: dict[tuple[int, int], Repeat]) -> Finding:
    """One finding for a component of three or more statements (``edges``: its own)."""
    members = [items[i] for i in idx]
    preds: dict[int, list[int]] = defaultdict(list)
    for a, b in sorted(edges, key=lambda e: (items[e[0]].lo, items[e[0]].claim.id)):
        preds[b].append(a)
    formulas: Counter = Counter()
    shown: dict[str, str] = {}
    for rep in edges.values():
        if rep.formula:
            key = " ".join(w.norm for w in words(rep.formula))
            formulas[key] += 1
            if len(rep.formula) > len(shown.get(key, "")):
                shown[key] = rep.formula
    if formulas:
        formula = shown[max(formulas, key=lambda k: (formulas[k], len(k), k))]
    else:
        formula = max(edges.values(), key=lambda r: (r.repeated, r.shared)).shared
    stage_info = []
    parts = []
    listed = 0
    for k, stage_idx in enumerate(_stages(items, idx)):
        stage = [items[i] for i in stage_idx]
        names = []
        info = []
        for i, t in zip(stage_idx, stage):
            added: list[str] = []
            if preds.get(i):
                before = set()
                at: set[int] = set()
                for a in preds[i]:
                    before.update(w.norm for w in ws[a] if w.content)
                    at.update(edges[(a, i)].added_at)
                added = _fragments(t.text, ws[i], [j in at and w.norm not in before
                                                   for j, w in enumerate(ws[i])])
            info.append({"claim": t.claim.id, "source": t.claim.source, "speaker": ctx.speaker(t.claim),
                         "said": _said(ctx, t.claim).edtf,
                         "repeats": [items[a].claim.id for a in preds.get(i, [])],
                         "added": added})
            if listed < MAX_LISTED:
                name = f"{_who(ctx, t.claim)} ({t.claim.id})"
                if k > 0:
                    name += f" adds {_quote_list(added)}" if added else " adds nothing new to them"
                names.append(name)
                listed += 1
        if names:
            if len(stage) > len(names):
                names.append(f"and {plural(len(stage) - len(names), 'more')}")
            lo, hi = min(t.lo for t in stage), max(t.hi for t in stage)
            parts.append(f"[{span_text(lo, hi)}] " + "; ".join(names))
        stage_info.append(info)
    if listed < len(members) and len(parts) < len(stage_info):
        parts.append(f"and {plural(sum(len(s) for s in stage_info[len(parts):]), 'later statement')}")
    speakers = {ctx.speaker(t.claim) for t in members}
    expl = (f"Standardised: {plural(len(members), 'statement')} by {plural(len(speakers), 'speaker')} "
            f"repeat one formula, “{formula}”, each later one adding to those it repeats; in date "
            f"order: " + " → ".join(parts) + ".")
    details = {
        "formula": formula,
        "chain": [[d["claim"] for d in s] for s in stage_info],
        "stages": stage_info,
        "edges": sorted([items[a].claim.id, items[b].claim.id] for (a, b) in edges),
    }
    claims = [d["claim"] for s in stage_info for d in s]
    return ctx.finding(NAME, "note", claims, expl,
                       title="One formula, repeated and added to in date order", details=details)





def _findings(ctx: Context) -> Iterator[Finding]:
    items = _texts(ctx)
    if len(items) < 2:
        return
    if len(items) > MAX_TEXTS:
        _note(ctx, f"skipped: {len(items):,} statements and quotes, more than MAX_TEXTS ({MAX_TEXTS:,})")
        return
    try:
        edges, ws = _edges(ctx, items)
    finally:
        _WORD_INFO.clear()          # the words of this case: not kept beyond its comparison
    if not edges:
        return
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[int, list[int]] = defaultdict(list)
    for x in list(parent):
        groups[root(x)].append(x)
    by_group: dict[int, dict[tuple[int, int], Repeat]] = defaultdict(dict)
    for (a, b), rep in edges.items():
        by_group[root(a)][(a, b)] = rep
    for r, members in sorted(groups.items(), key=lambda g: min(items[i].claim.id for i in g[1])):
        own = by_group[r]
        if len(members) == 2:
            ((a, b), rep), = own.items()
            yield _pair_finding(ctx, items[a].claim, items[b].claim, rep)
        else:
            yield _chain_finding(ctx, sorted(members), items, ws, own)


def check(ctx: Context) -> Iterator[Finding]:
    # belie.rules.check pauses the cyclic garbage collector for the whole run.
    return _findings(ctx)


RULE = Rule(
    name=NAME,
    title="Escalation",
    summary="A later statement repeats an earlier one's words (a formula) and adds to it: "
            "standardised confessions, where each admits what the last admitted and a little more.",
    check=check,
)
