"""Text reuse: passages that two texts share, found even under light edits.

The Moscow show-trial confessions were standardised ("B hastens to admit what A
has admitted, and even a little more"); press agencies wired the same story to
many papers.  This module finds such shared passages at the level of the
passage, not the whole document, so a reused paragraph inside a long statement
is found and located by character offsets.

How it works (see docs/reuse.md for more):

1. **Tokenise** every text into words with their character offsets.  Matching
   uses a normalised form of each word (case-folded, apostrophes and typographic
   quotes removed, punctuation ignored); offsets always refer to the original.
2. **Shingle and index.**  Every run of ``n`` consecutive words (a shingle) is
   hashed to 64 bits.  All shingles of all texts are sorted together (numpy), so
   equal shingles sit side by side.  A shingle found in only one text is useless;
   one found in more than ``max_df`` texts is boilerplate and is dropped too.
   Only the remaining shingles produce candidate pairs, so the cost grows with
   the amount of reuse, not with the square of the number of texts.
3. **Chain.**  Each shared shingle is a seed ``(text A, word i, text B, word j)``.
   Seeds on the same diagonal ``j - i`` with at most ``max_gap`` words between
   them form runs (a replaced word breaks ``n`` shingles but not the diagonal);
   runs whose ends lie within ``max_gap`` words of each other in both texts,
   with a diagonal shifted by at most ``max_gap`` (inserted or deleted words),
   are chained into one passage.
4. **Extend.**  Each passage is extended word by word beyond its outermost
   seeds, in both directions, for as long as the words still agree, stepping
   over a single inserted, deleted or replaced word (or two) when the words
   after it agree again.  So a passage reaches its true boundary even when an
   edit sits within ``n`` words of it.
5. **Keep** passages of at least ``min_words`` words in both texts backed by at
   least ``min_matches`` shared shingles, with at least ``min_agreement`` of
   their words agreeing, after merging those that overlap or follow each other
   closely; score each pair of texts by the share of the more-covered text that
   lies in shared passages.
"""
from __future__ import annotations

import re
import unicodedata
from hashlib import blake2b
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import numpy as np

__all__ = [
    "Passage",
    "ReusePair",
    "ReuseParams",
    "find_reuse",
    "order_pair",
    "tokenize",
    "normalize_word",
]

# A word: letters/digits, with inner apostrophes (straight or typographic) kept
# inside the word so "don't" and "don’t" are one token each.
TOKEN = re.compile(r"[^\W_]+(?:['\u2019\u02bc][^\W_]+)*")
_SPLIT = re.compile(f"({TOKEN.pattern})").split
_APOSTROPHES = str.maketrans("", "", "'\u2019\u02bc")


@dataclass(frozen=True)
class ReuseParams:
    """Parameters of :func:`find_reuse`, with their defaults and effect.

    n
        Words per shingle (default 3, the value leave-one-task-out
        cross-validation chose in every fold on the Clough–Stevenson corpus; see
        docs/benchmarks.md).  Smaller finds shorter and more heavily edited reuse
        but also more chance coincidences ("at the end of"); larger is stricter
        and a little faster.  Every edit hides the ``n``
        shingles that overlap it, so ``n`` should be well below the usual
        distance between edits.
    min_words
        Shortest passage reported, in words, counted in both texts (default 8,
        chosen the same way as ``n``).
        Raise it to ignore shared stock phrases; lower it to catch single
        reused sentences.
    max_gap
        Most words allowed between two shared shingles of one passage, and the
        most words a passage may drift by insertions and deletions between two
        of them (default 10).  Larger bridges heavier editing but may join two
        separate passages into one.
    max_df
        A shingle found in more than this many texts is ignored as boilerplate
        (default 100; also ignored when it occurs more than ``4 * max_df`` times
        in all).  This keeps the number of candidate pairs close to linear in
        the number of texts.  Raise it when many texts legitimately reprint the
        same passage and you want every pair reported.
    max_repeat
        A shingle found more than this many times within one text is ignored
        (default 10): a formula repeated throughout two transcripts ("Do you
        confirm the testimony you gave?") would otherwise pair every
        occurrence in one with every occurrence in the other.
    min_matches
        Fewest shared shingles backing a reported passage (default 3).  Guards
        against isolated coincidences.
    min_agreement
        Least share of a passage's words (in the longer side) that must agree
        word for word with the other text (default 0.5).  Passages with less
        are chance phrases bridged by unrelated words, or paraphrase too loose
        to call reuse.  Lower it to catch heavy rewriting.
    min_score
        Pairs scoring below this are not reported (default 0.0).
    """

    n: int = 3
    min_words: int = 8
    max_gap: int = 10
    max_df: int = 100
    max_repeat: int = 10
    min_matches: int = 3
    min_agreement: float = 0.5
    min_score: float = 0.0

    def __post_init__(self) -> None:
        if self.n < 1:
            raise ValueError("n must be at least 1")
        if self.min_words < 1:
            raise ValueError("min_words must be at least 1")
        if self.max_gap < 0:
            raise ValueError("max_gap must not be negative")
        if self.max_df < 2:
            raise ValueError("max_df must be at least 2 (a shingle must be shared)")
        if not 0.0 <= self.min_agreement <= 1.0:
            raise ValueError("min_agreement must lie between 0 and 1")
        if self.max_repeat < 1:
            raise ValueError("max_repeat must be at least 1")
        if self.min_matches < 1:
            raise ValueError("min_matches must be at least 1")
        if not 0.0 <= self.min_score <= 1.0:
            raise ValueError("min_score must lie between 0 and 1")


@dataclass(frozen=True)
class Passage:
    """One shared passage; offsets are character offsets, end exclusive."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str
    # Word offsets (tokens, end exclusive), for callers that count words.
    a_words: tuple[int, int] = field(default=(0, 0), compare=False, repr=False)
    b_words: tuple[int, int] = field(default=(0, 0), compare=False, repr=False)

    def to_json(self) -> dict:
        return {
            "a_start": self.a_start,
            "a_end": self.a_end,
            "b_start": self.b_start,
            "b_end": self.b_end,
            "a_text": self.a_text,
            "b_text": self.b_text,
        }


@dataclass(frozen=True)
class ReusePair:
    """Two texts that share at least one passage.

    ``score`` is the share of the words of the more-covered text that lie in
    shared passages: ``max(coverage_a, coverage_b)``; 1.0 means one text lies
    wholly inside the other.  ``a`` comes before ``b`` in the input order.
    """

    a: str
    b: str
    score: float
    passages: list[Passage]
    coverage_a: float = field(default=0.0, compare=False)
    coverage_b: float = field(default=0.0, compare=False)

    def to_json(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "score": round(self.score, 4),
            "passages": [p.to_json() for p in self.passages],
        }

    def swapped(self) -> "ReusePair":
        return ReusePair(
            a=self.b,
            b=self.a,
            score=self.score,
            passages=[
                Passage(p.b_start, p.b_end, p.a_start, p.a_end, p.b_text, p.a_text,
                        p.b_words, p.a_words)
                for p in sorted(self.passages, key=lambda p: (p.b_start, p.a_start))
            ],
            coverage_a=self.coverage_b,
            coverage_b=self.coverage_a,
        )


# --------------------------------------------------------------------------
# Tokenising


def normalize_word(word: str) -> str:
    """The form of a word used for matching (never shown to the user)."""
    word = unicodedata.normalize("NFKC", word).casefold().translate(_APOSTROPHES)
    return word


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Words of ``text`` as ``(start, end, normalised word)``, in order."""
    return [(m.start(), m.end(), normalize_word(m.group())) for m in TOKEN.finditer(text)]


def _word_offsets(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Character start and end of every word of ``text`` (as :func:`tokenize`)."""
    pieces = _SPLIT(text)  # gap, word, gap, word, ..., gap
    cum = np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)))
    return cum[0:-1:2], cum[1::2]


def word_hash(norm: str) -> int:
    """A 64-bit hash of a normalised word that is the same in every process and run.

    Shingle hashes are built from it, so that documents tokenised by different
    processes (the partitions of a cluster run) hash their shingles alike.
    """
    return int.from_bytes(blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                          "little")


class _Vocabulary(dict):
    """Raw word -> integer id of its normalised form (ids in order of first sight).

    ``hashes[id]`` is :func:`word_hash` of the normalised form (``hashes[0]`` unused).
    """

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, int] = {}
        self.hashes: list[int] = [0]

    def __missing__(self, raw: str) -> int:
        norm = normalize_word(raw)
        ident = self.ids.get(norm)
        if ident is None:
            ident = self.ids[norm] = len(self.ids) + 1
            self.hashes.append(word_hash(norm))
        self[raw] = ident
        return ident


class WordHashes(dict):
    """Raw word -> :func:`word_hash` of its normalised form, cached (one process's cache)."""

    def __missing__(self, raw: str) -> int:
        h = self[raw] = word_hash(normalize_word(raw))
        return h


def word_hash_array(text: str, cache: WordHashes) -> np.ndarray:
    """The words of ``text`` as their 64-bit hashes (as :func:`tokenize` cuts them)."""
    words = TOKEN.findall(text)
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


# --------------------------------------------------------------------------
# Shingle index -> seeds

_MUL = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads word ids over 64 bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX2
    return x ^ (x >> np.uint64(31))


def _shingle_hashes(hashes: np.ndarray, n: int) -> np.ndarray:
    """Hash of every run of n consecutive words, given the words' 64-bit hashes
    (:func:`word_hash`); length len(hashes) - n + 1."""
    mixed = _mix(hashes)
    count = len(hashes) - n + 1
    h = mixed[:count].copy()
    for k in range(1, n):
        h *= _MUL
        h ^= mixed[k:k + count]
    return h


def prefix_bits(total_words: int, n: int) -> int:
    """Low bits of a shingle key that hold its position; the hash keeps the rest.

    Depends only on the number of shingles of the whole input, so a partitioned
    run compares exactly the hash bits that the single-process run compares.
    """
    count = total_words - n + 1
    return max(1, (count - 1).bit_length()) if count > 0 else 1


def shingle_prefix(h: np.ndarray, bits: int) -> np.ndarray:
    """The part of 64-bit shingle hashes that decides whether two shingles are equal."""
    return (h | np.uint64(1 << 63)) >> np.uint64(bits)


def _seeds(hashes: np.ndarray, starts: np.ndarray, lengths: np.ndarray, p: ReuseParams):
    """Shared shingles as arrays (doc_a, pos_a, doc_b, pos_b), doc_a < doc_b.

    ``hashes`` are the words of all texts, one after another, as their 64-bit
    :func:`word_hash`.  Memory stays near 20 bytes per word of input: one
    64-bit key per shingle, sorted in place, and small arrays for the shingles
    that are shared.  The hash keeps 63 minus log2(words) bits (39 bits for 30
    million words); a rare collision makes a single stray seed, which chaining
    ignores.
    """
    n = p.n
    empty = (np.empty(0, np.int64),) * 4
    total = len(hashes)
    if total < n:
        return empty
    # keys[i]: the hash of the shingle starting at global word i in the high
    # bits, i itself in the low bits, so one in-place sort groups equal
    # shingles with their positions ascending.  Shingles that would run past
    # the end of their document get key prefix 0 and are ignored.
    keys = _shingle_hashes(hashes, n)
    count = len(keys)
    bits = prefix_bits(total, n)
    low = np.uint64((1 << bits) - 1)
    keys |= np.uint64(1 << 63)
    keys &= ~low
    keys |= np.arange(count, dtype=np.uint64)
    ends = starts + lengths
    for k in range(1, n):
        idx = ends - k
        idx = idx[(idx >= starts) & (idx < count)]
        keys[idx] = idx.astype(np.uint64)
    keys.sort()
    prefix = keys >> np.uint64(bits)
    same = prefix[1:] == prefix[:-1]
    shared = np.zeros(count, dtype=bool)
    shared[1:] = same
    shared[:-1] |= same
    shared &= prefix != 0
    del same
    h2 = prefix[shared]
    g2 = (keys[shared] & low).astype(np.int64)
    del keys, prefix, shared
    if len(h2) == 0:
        return empty
    d2 = np.searchsorted(starts, g2, side="right") - 1
    return group_seeds(h2, d2, g2 - starts[d2], p)


def group_seeds(h2: np.ndarray, d2: np.ndarray, pos2: np.ndarray, p: ReuseParams):
    """Seeds from shared shingle occurrences.

    ``h2`` (shingle prefixes), ``d2`` (document index) and ``pos2`` (word
    position in it) are sorted by prefix, then document, then position, and
    hold only prefixes that occur at least twice.  Returns (doc_a, pos_a,
    doc_b, pos_b) with doc_a < doc_b, after the ``max_df``, ``max_repeat``
    and occurrence cuts.  A cluster run calls it once per hash partition.
    """
    empty = (np.empty(0, np.int64),) * 4
    m = len(h2)
    if m == 0:
        return empty
    # Group by hash (positions, hence documents, ascend within a group),
    # count documents per group, apply the df cut.
    group_start = np.ones(m, dtype=bool)
    group_start[1:] = h2[1:] != h2[:-1]
    new_doc = group_start.copy()
    new_doc[1:] |= d2[1:] != d2[:-1]
    starts_idx = np.flatnonzero(group_start)
    sizes = np.diff(np.append(starts_idx, m))
    df = np.add.reduceat(new_doc.astype(np.int64), starts_idx)
    # Longest stretch of one document inside each group = most repeats in a text.
    doc_runs = np.flatnonzero(new_doc)
    repeats = np.diff(np.append(doc_runs, m))
    run_group = np.cumsum(group_start)[doc_runs] - 1
    most = np.zeros(len(starts_idx), dtype=np.int64)
    np.maximum.at(most, run_group, repeats)
    ok = ((df >= 2) & (df <= p.max_df) & (most <= p.max_repeat)
          & (sizes <= 4 * p.max_df))
    starts_idx = starts_idx[ok]
    sizes = sizes[ok]

    # Every cross-document pair of occurrences within a group is a seed.
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    for s in np.unique(sizes):
        s = int(s)
        firsts = starts_idx[sizes == s]
        members = firsts[:, None] + np.arange(s)
        iu, ju = np.triu_indices(s, 1)
        ia = members[:, iu].ravel()
        ib = members[:, ju].ravel()
        cross = d2[ia] != d2[ib]
        out_a.append(ia[cross])
        out_b.append(ib[cross])
    if not out_a:
        return empty
    ia = np.concatenate(out_a)
    ib = np.concatenate(out_b)
    return (d2[ia].astype(np.int64), pos2[ia].astype(np.int64),
            d2[ib].astype(np.int64), pos2[ib].astype(np.int64))


# --------------------------------------------------------------------------
# Runs -> chains -> passages


def _runs(da, pa, db, pb, ndocs: int, p: ReuseParams):
    """Group seeds into runs on one diagonal; drop pairs with too few seeds."""
    if len(da) == 0:
        return None
    key = da * ndocs + db
    # Pairs with fewer seeds than min_matches cannot hold a passage.
    uk, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
    rich = counts[inv] >= p.min_matches
    key, pa, pb = key[rich], pa[rich], pb[rich]
    if len(key) == 0:
        return None
    diag = pb - pa
    order = np.lexsort((pa, diag, key))
    key, pa, pb, diag = key[order], pa[order], pb[order], diag[order]
    brk = np.ones(len(key), dtype=bool)
    # A run is a stretch of consecutive shared shingles on one diagonal, so
    # it covers words that agree exactly; gaps are bridged later, by chaining.
    brk[1:] = (key[1:] != key[:-1]) | (diag[1:] != diag[:-1]) | (pa[1:] - pa[:-1] > 1)
    first = np.flatnonzero(brk)
    a_lo = pa[first]
    a_hi = np.maximum.reduceat(pa, first) + p.n
    b_lo = pb[first]
    b_hi = np.maximum.reduceat(pb, first) + p.n
    nseeds = np.diff(np.append(first, len(key)))  # == a_hi - a_lo - n + 1
    rkey = key[first]
    order = np.lexsort((b_lo, a_lo, rkey))
    return rkey[order], a_lo[order], a_hi[order], b_lo[order], b_hi[order], nseeds[order]


def _chain(runs, p: ReuseParams):
    """Join runs of each pair into passages.

    Yields (pair key, a_lo, a_hi, b_lo, b_hi, seeds, agreeing words), word
    offsets end-exclusive.
    """
    rkey, a_lo, a_hi, b_lo, b_hi, nseeds = (x.tolist() for x in runs)
    gap = p.max_gap
    i = 0
    total = len(rkey)
    while i < total:
        k = rkey[i]
        j = i
        while j < total and rkey[j] == k:
            j += 1
        # Each chain: [a_lo, a_hi, b_lo, b_hi, seeds, last diagonal, words agreeing]
        chains: list[list[int]] = []
        active: list[list[int]] = []  # chains that a later run may still join
        for r in range(i, j):
            ra, rA, rb, rB, rs = a_lo[r], a_hi[r], b_lo[r], b_hi[r], nseeds[r]
            rd = rb - ra
            # Runs come in order of a_lo, so a chain ending too far back is done.
            if active and any(c[1] + gap < ra for c in active):
                active = [c for c in active if c[1] + gap >= ra]
            best = None
            best_drift = gap + 1
            for c in active:
                if ra > c[1] + gap or rb > c[3] + gap:
                    continue
                if ra < c[0] or rb < c[2]:
                    continue
                drift = abs(rd - c[5])
                if drift < best_drift:
                    best, best_drift = c, drift
            if best is None:
                c = [ra, rA, rb, rB, rs, rd, rA - ra]
                chains.append(c)
                active.append(c)
            else:
                best[6] += max(0, rA - max(ra, best[1]))
                best[1] = max(best[1], rA)
                best[3] = max(best[3], rB)
                best[4] += rs
                best[5] = rd
        for c in chains:
            if c[4] >= p.min_matches:
                yield k, c[0], c[1], c[2], c[3], c[4], c[6]
        i = j


# Edits tried, in order, when two words disagree while extending:
# (words skipped in A, words skipped in B).
_EDITS = ((1, 1), (1, 0), (0, 1), (2, 2), (2, 0), (0, 2), (2, 1), (1, 2))
_AGREE = 2  # words that must agree after an edit for it to be stepped over


def _extend(ta: list[int], tb: list[int], i: int, j: int, step: int,
            ia_stop: int, ib_stop: int) -> tuple[int, int, int]:
    """Extend from (i, j) in direction step.

    Returns the new boundary in A and B and the number of agreeing words
    gained.

    ``i``/``j`` index the first word outside the passage on that side;
    ``ia_stop``/``ib_stop`` are the first indices that may not be used.
    """

    def inside(x: int, stop: int) -> bool:
        return x < stop if step > 0 else x > stop

    best_i, best_j = i, j
    score = best = agree = best_agree = 0
    while inside(i, ia_stop) and inside(j, ib_stop):
        if ta[i] == tb[j]:
            i += step
            j += step
            score += 1
            agree += 1
            if score > best:
                best, best_i, best_j, best_agree = score, i, j, agree
            continue
        for da, db in _EDITS:
            ii, jj = i + step * da, j + step * db
            ok = True
            for t in range(_AGREE):
                x, y = ii + step * t, jj + step * t
                if not (inside(x, ia_stop) and inside(y, ib_stop)) or ta[x] != tb[y]:
                    ok = False
                    break
            if ok:
                i, j = ii, jj
                score -= max(da, db)
                break
        else:
            break
        if best - score > 3:
            break
    return best_i, best_j, best_agree


def _merge(spans: list[list[int]], gap: int) -> list[list[int]]:
    """Merge passages of one pair that overlap in both texts, or that follow
    each other within ``gap`` words in both texts with a diagonal shifted by at
    most ``gap`` (a cluster of edits that split one passage)."""
    spans.sort()
    merged: list[list[int]] = []
    for s in spans:
        for m in merged:
            overlap = s[0] < m[1] and m[0] < s[1] and s[2] < m[3] and m[2] < s[3]
            follows = (m[1] - gap <= s[0] <= m[1] + gap and m[3] - gap <= s[2] <= m[3] + gap
                       and abs((s[2] - s[0]) - (m[3] - m[1])) <= gap)
            if overlap or follows:
                # Words agreeing in the overlap were counted in both.
                both = max(0, min(m[1], s[1]) - max(m[0], s[0]))
                m[5] = max(m[5], s[5], m[5] + s[5] - both)
                m[0], m[1] = min(m[0], s[0]), max(m[1], s[1])
                m[2], m[3] = min(m[2], s[2]), max(m[3], s[3])
                m[4] += s[4]
                break
        else:
            merged.append(list(s))
    return merged


def _covered(intervals: list[tuple[int, int]]) -> int:
    total = 0
    end = -1
    for lo, hi in sorted(intervals):
        if hi <= end:
            continue
        total += hi - max(lo, end)
        end = hi
    return total


# --------------------------------------------------------------------------
# Public API


def find_reuse(
    texts: Mapping[str, str],
    params: ReuseParams | None = None,
    **overrides,
) -> list[ReusePair]:
    """Find the passages that pairs of ``texts`` share.

    ``texts`` maps an identifier (e.g. a file path) to the text.  Parameters
    come from ``params`` (a :class:`ReuseParams`) and/or keyword overrides, e.g.
    ``find_reuse(texts, n=4, min_words=10)``.

    Returns one :class:`ReusePair` per pair of texts sharing at least one
    passage, ordered by descending score, then by input order of ``a`` and
    ``b``; within a pair, ``a`` is the text that comes first in ``texts`` and
    passages are ordered by their start in ``a``.
    """
    p = replace(params or ReuseParams(), **overrides) if overrides else (params or ReuseParams())
    names = list(texts)
    ndocs = len(names)
    if ndocs < 2:
        return []

    # Word ids of all texts, one after another, 4 bytes a word.
    vocab = _Vocabulary()
    get = vocab.__getitem__
    findall = TOKEN.findall
    buf = array("i")
    ends = array("q")
    for name in names:
        buf.extend(map(get, findall(texts[name])))
        ends.append(len(buf))
    tokens = np.frombuffer(buf, dtype=np.int32) if len(buf) else np.empty(0, np.int32)
    ends_np = np.frombuffer(ends, dtype=np.int64)
    starts = np.zeros(ndocs, dtype=np.int64)
    starts[1:] = ends_np[:-1]
    lengths = ends_np - starts

    hashes = np.array(vocab.hashes, dtype=np.uint64)[tokens]
    da, pa, db, pb = _seeds(hashes, starts, lengths, p)
    del hashes
    runs = _runs(da, pa, db, pb, ndocs, p)
    del da, pa, db, pb
    if runs is None:
        return []

    # Chain, extend, merge, per pair.
    per_pair: dict[int, list[list[int]]] = {}
    words = memoryview(buf)  # indexing gives Python ints, slicing copies nothing

    def toks(d: int):
        s = int(starts[d])
        return words[s:s + int(lengths[d])]

    for k, *chain in _chain(runs, p):
        a, b = divmod(k, ndocs)
        per_pair.setdefault(k, []).append(extend_chain(toks(a), toks(b), chain))

    offsets: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def spans(d: int) -> tuple[np.ndarray, np.ndarray]:
        o = offsets.get(d)
        if o is None:
            o = offsets[d] = _word_offsets(texts[names[d]])
        return o

    pairs: list[tuple[float, int, int, ReusePair]] = []
    for k in sorted(per_pair):
        a, b = divmod(k, ndocs)
        got = keep_passages(per_pair[k], int(lengths[a]), int(lengths[b]), p)
        if got is None:
            continue
        kept, cov_a, cov_b, score = got
        passages = make_passages(kept, texts[names[a]], texts[names[b]], spans(a), spans(b))
        pair = ReusePair(names[a], names[b], score, passages, cov_a, cov_b)
        pairs.append((-score, a, b, pair))
    pairs.sort(key=lambda t: t[:3])
    return [t[3] for t in pairs]


# --------------------------------------------------------------------------
# The steps after chaining, one pair at a time (shared with the cluster run,
# belie.scale.reuse, which calls them per partition of pairs).


def seed_runs(da, pa, db, pb, ndocs: int, p: ReuseParams):
    """Chains of the seeds of some pairs: (pair key, a_lo, a_hi, b_lo, b_hi, seeds,
    agreeing words) with pair key ``doc_a * ndocs + doc_b``.  Every seed of a pair
    must be given in the same call (the ``min_matches`` cut counts them)."""
    runs = _runs(da, pa, db, pb, ndocs, p)
    if runs is None:
        return []
    return list(_chain(runs, p))


def extend_chain(ta, tb, chain) -> list[int]:
    """Extend one chain ``(a_lo, a_hi, b_lo, b_hi, seeds, agree)`` outwards over the
    words ``ta``/``tb`` of its two texts (sequences of ints that are equal exactly
    when the normalised words are).  Returns ``[a_lo, a_hi, b_lo, b_hi, seeds, agree]``."""
    a_lo, a_hi, b_lo, b_hi, seeds, agree = chain
    # The chain's ends are seeds, so already aligned; extend outwards.
    a_hi, b_hi, more = _extend(ta, tb, a_hi, b_hi, 1, len(ta), len(tb))
    a_lo1, b_lo1, less = _extend(ta, tb, a_lo - 1, b_lo - 1, -1, -1, -1)
    return [a_lo1 + 1, a_hi, b_lo1 + 1, b_hi, seeds, agree + more + less]


def keep_passages(spans: list[list[int]], la: int, lb: int, p: ReuseParams):
    """Merge the extended chains of one pair and keep those that pass the cuts.

    ``la``/``lb``: the two texts' lengths in words.  Returns (kept spans,
    coverage of a, coverage of b, score), or None when nothing is kept or the
    score is below ``min_score``.
    """
    kept = [
        s for s in _merge(spans, p.max_gap)
        if s[1] - s[0] >= p.min_words and s[3] - s[2] >= p.min_words
        and s[4] >= p.min_matches
        and s[5] >= p.min_agreement * max(s[1] - s[0], s[3] - s[2])
    ]
    if not kept:
        return None
    cov_a = _covered([(s[0], s[1]) for s in kept]) / la
    cov_b = _covered([(s[2], s[3]) for s in kept]) / lb
    score = max(cov_a, cov_b)
    if score < p.min_score:
        return None
    return kept, cov_a, cov_b, score


def make_passages(kept, ta_text: str, tb_text: str, oa, ob) -> list[Passage]:
    """Passages (character offsets and text) of kept word spans, ordered by their
    start in ``a``; ``oa``/``ob`` are the texts' word offsets (:func:`word_offsets`)."""
    passages = []
    for s in sorted(kept, key=lambda s: (s[0], s[2])):
        a0, a1 = int(oa[0][s[0]]), int(oa[1][s[1] - 1])
        b0, b1 = int(ob[0][s[2]]), int(ob[1][s[3] - 1])
        passages.append(Passage(a0, a1, b0, b1, ta_text[a0:a1], tb_text[b0:b1],
                                (s[0], s[1]), (s[2], s[3])))
    return passages


word_offsets = _word_offsets


# --------------------------------------------------------------------------
# Direction of borrowing (who copied whom).  Only the simplest evidence, the
# dates of the texts, is used for now; wording-based evidence (the copy tends to
# add to and condense the original) is to come here.


def _as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def order_pair(pair: ReusePair, dates: Mapping[str, object]) -> ReusePair:
    """Return ``pair`` with the earlier-dated text as ``a`` (the likely source).

    ``dates`` maps text ids to a :class:`datetime.date`, a ``datetime`` or an
    ISO date string.  When either date is unknown, or both are the same, the
    pair is returned unchanged: the order of reuse is then undecided.
    """
    da, db = _as_date(dates.get(pair.a)), _as_date(dates.get(pair.b))
    if da is None or db is None or da <= db:
        return pair
    return pair.swapped()
