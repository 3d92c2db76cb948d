"""Truth discovery: which of the conflicting values to believe, and whom.

Input is a set of claims ``(source, item, value)``: source *S* says that item
*I* has value *V*.  Each source makes at most one claim per item (a repeated
``(source, item)`` keeps the first value).  Different values of one item are
alternatives: at most one is the truth, though a similarity function
(:mod:`belie.sources.similarity`) may say that one value partly supports
another.

Methods (``discover(..., method=...)``):

``majority``
    each source one vote (or its ``prior`` weight).
``truthfinder``
    Yin, Han & Yu, "Truth discovery with multiple conflicting information
    providers on the web" (KDD 2007 / TKDE 2008): a source is as trustworthy
    as the values it gives are credible, and a value as credible as the
    sources behind it.
``pooled_investment``
    Pasternack & Roth, "Knowing what to believe (when you already know
    something)" (COLING 2010): sources invest their trust in their claims and
    are paid back in proportion; belief grows non-linearly and is pooled over
    the alternatives of an item.
``accucopy``
    Dong, Berti-Equille & Srivastava, "Integrating conflicting data: the role
    of source dependence" (VLDB 2009): a Bayesian vote weighted by each
    source's accuracy, in which two sources that share many *false* values
    are probably copying one another (independent sources rarely make the
    same mistake), and a copier's vote is discounted.  A chorus that repeats
    one voice counts as about one voice.

    Where belie departs from the paper, and why (each is an option):

    * ``init="vote"``: the first round starts from each source's share of
      the plain vote, so one round of accuracy-weighted voting comes before
      the first look for copiers.  Started from equal accuracies and a plain
      vote (``init="prior"``, the paper's start), a large copying cluster
      makes its own false values look true, the honest minority then seems
      to share false values and is itself taken for a copier, and the method
      settles on the wrong answer (flight without the airlines: 0.68
      instead of 0.92).
    * every accuracy estimate counts the prior (or ``initial_accuracy``) as
      ``prior_strength`` = 2 claims already judged, so that a source that
      says little is not judged on one or two claims alone.
    * ``true_weight=0``: sharing a *true* value is not counted as evidence of
      copying.  Over thousands of items the weak evidence of agreeing on the
      truth piles up until every pair of accurate sources looks dependent;
      ``true_weight=1`` is the paper's model.
    * ``n_false="auto"``: the number of false values an item could take is
      the number of different values claimed for it, less one (at least 1;
      a number raises that floor), rather than one constant for all items.
      A higher floor makes shared false values stronger evidence of copying:
      it finds a small chorus sooner once priors establish the truth, but on
      much data it can mistake an honest minority for copiers (flight
      without the airlines: 0.92 at 1, 0.69 at 5).
    * a later provider's vote is cut by ``1 - c * P(dependent either way)``
      rather than by ``P(it copies that one)``: the direction of copying is
      seldom identifiable, and a chorus is one voice whoever spoke first.

Everything is computed on integer-coded numpy arrays; one iteration costs
O(claims + pairs of claims on a shared item): on a hundred thousand claims the
simple methods take a tenth of a second and ``accucopy`` about one second.
"""
from __future__ import annotations

import inspect
import math
from operator import itemgetter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from belie.sources.similarity import (Exact, Numeric, Places, Similarity, TokenSet, choose_similarity,
                                     get_similarity)

__all__ = [
    "METHODS", "TruthResult", "Claims", "discover", "copy_clusters",
    "Exact", "TokenSet", "Numeric", "Places", "get_similarity", "choose_similarity",
]

METHODS = ("accucopy", "majority", "truthfinder", "pooled_investment")

_ALIASES = {
    "accu-copy": "accucopy", "accu_copy": "accucopy", "copy": "accucopy",
    "vote": "majority", "majority_vote": "majority", "voting": "majority",
    "truth_finder": "truthfinder", "truth-finder": "truthfinder",
    "pooled-investment": "pooled_investment", "pooledinvestment": "pooled_investment",
    "pooled": "pooled_investment", "pi": "pooled_investment",
}


@dataclass
class TruthResult:
    """What a method concluded.

    ``truths``      item -> the value believed;
    ``confidence``  item -> how sure (0..1; for ``accucopy`` and ``truthfinder``
                    a probability-like score, otherwise the chosen value's share
                    of the item's support);
    ``accuracy``    source -> estimated share of its claims that are right
                    (``accucopy``, ``truthfinder``: the method's own estimate;
                    ``majority``, ``pooled_investment``: agreement with the
                    chosen truths, partial agreement counted through the
                    similarity);
    ``copying``     ``(copier, original, probability)`` for pairs of sources
                    probably dependent (``accucopy`` only; empty otherwise).
                    The probability is that the two are *not* independent; the
                    first named is the likelier copier, which the data can
                    rarely tell for sure.
    """

    truths: dict[str, str]
    confidence: dict[str, float]
    accuracy: dict[str, float]
    copying: list[tuple[str, str, float]] = field(default_factory=list)
    method: str = "accucopy"
    iterations: int = 0
    similarity: str = "exact"     # the name of the similarity used (chosen, when not given)

    def to_json(self, digits: int = 4) -> dict:
        """The ``belie truth --format json`` shape."""
        return {
            "similarity": self.similarity,
            "truths": dict(self.truths),
            "sources": {s: round(float(a), digits) for s, a in self.accuracy.items()},
            "copying": [[a, b, round(float(p), digits)] for a, b, p in self.copying],
        }

    def clusters(self, threshold: float = 0.5) -> list[list[str]]:
        """Groups of sources joined by copying of at least ``threshold``."""
        return copy_clusters(self.copying, threshold)


def copy_clusters(copying: Iterable[tuple[str, str, float]], threshold: float = 0.5) -> list[list[str]]:
    """Groups of sources that copy one another, by average linkage.

    Two groups merge while the *average* dependence over every pair across
    them (a pair not listed counts 0) is at least ``threshold``, so one
    source that copies from two otherwise independent groups does not chain
    them into one.  Largest group first; members in name order.
    """
    dep: dict[frozenset, float] = {}
    for a, b, p in copying:
        if a != b:
            key = frozenset((a, b))
            dep[key] = max(dep.get(key, 0.0), float(p))
    members: dict[int, list[str]] = {}
    where: dict[str, int] = {}
    for key in dep:
        for x in key:
            if x not in where:
                where[x] = len(members)
                members[where[x]] = [x]
    # total dependence between clusters, only where some pair is listed
    cross: dict[tuple[int, int], float] = {}
    for key, p in dep.items():
        a, b = sorted(where[x] for x in key)
        cross[(a, b)] = cross.get((a, b), 0.0) + p
    while cross:
        (a, b), total = max(cross.items(),
                            key=lambda kv: (kv[1] / (len(members[kv[0][0]]) * len(members[kv[0][1]])), -kv[0][0], -kv[0][1]))
        if total / (len(members[a]) * len(members[b])) < threshold:
            break
        members[a].extend(members.pop(b))
        merged: dict[tuple[int, int], float] = {}
        for (x, y), t in cross.items():
            if (x, y) == (a, b):
                continue
            x = a if x == b else x
            y = a if y == b else y
            k = (min(x, y), max(x, y))
            merged[k] = merged.get(k, 0.0) + t
        cross = merged
    groups = [sorted(g) for g in members.values() if len(g) > 1]
    return sorted(groups, key=lambda g: (-len(g), g))


class Claims:
    """Claims coded as integer arrays, built once and shared by the methods.

    Values are numbered so that the values of one item are contiguous (in the
    order first seen), which lets per-item reductions use ``np.*.reduceat``.
    """

    def __init__(self, claims: Iterable[tuple[str, str, str]], similarity: Similarity | str | None = None):
        rows = claims if isinstance(claims, (list, tuple)) else list(claims)
        try:
            if rows and set(map(len, rows)) != {3}:
                raise ValueError
            cols = [list(map(itemgetter(k), rows)) for k in range(3)]
        except (TypeError, ValueError):
            bad = next((r for r in rows if not hasattr(r, "__len__") or len(r) != 3), rows[0])
            raise ValueError(f"a claim is (source, item, value), got {bad!r}") from None
        cols = [c if set(map(type, c)) <= {str} else list(map(str, c)) for c in cols]
        # integer codes in order of first appearance, without a Python body per claim
        src_ids, item_ids, text_ids = ({k: n for n, k in enumerate(dict.fromkeys(c))} for c in cols)
        s_code, i_code, t_code = (np.fromiter(map(ids.__getitem__, c), np.int64, len(rows))
                                  for ids, c in zip((src_ids, item_ids, text_ids), cols))
        n_items = len(item_ids)
        # one claim per (source, item): the first
        pair_key = s_code * max(n_items, 1) + i_code
        if len(_unique(pair_key)) == len(rows):
            keep = np.arange(len(rows))
        else:
            _, first = _unique(pair_key, first=True)
            keep = np.sort(first)
        cs, ci, ct = s_code[keep], i_code[keep], t_code[keep]
        # values are (item, text) pairs, numbered by item, then in order first seen
        vkey = ci * max(len(text_ids), 1) + ct
        ukeys, vfirst, vinv = _unique(vkey, first=True, inverse=True)
        order = np.lexsort((vfirst, ukeys // max(len(text_ids), 1)))
        remap = np.empty(len(ukeys), dtype=np.int64)
        remap[order] = np.arange(len(ukeys))
        texts = list(text_ids)
        self.sources = list(src_ids)
        self.items = list(item_ids)
        self.value_item = (ukeys // max(len(text_ids), 1))[order]
        self.values = [texts[k] for k in (ukeys % max(len(text_ids), 1))[order].tolist()]
        self.claim_source = cs
        self.claim_value = remap[vinv.ravel()] if len(keep) else np.zeros(0, np.int64)
        self.claim_item = self.value_item[self.claim_value]
        self.n_sources, self.n_items, self.n_values = len(self.sources), len(self.items), len(self.values)
        self.n_claims = len(self.claim_source)
        vals_per_item = np.bincount(self.value_item, minlength=self.n_items)
        self.item_start = np.concatenate(([0], np.cumsum(vals_per_item)[:-1])).astype(np.int64)
        self.values_per_item = vals_per_item
        self.claims_per_source = np.bincount(self.claim_source, minlength=self.n_sources).astype(float)
        self.similarity = get_similarity(similarity, values=self.values)
        self._sim_pairs()
        self._pairs = None

    # -- similarity between values of one item ---------------------------
    def _sim_pairs(self) -> None:
        sim = self.similarity
        frm: list[int] = []
        to: list[int] = []
        w: list[float] = []
        if type(sim) is TokenSet:
            self.sim_from, self.sim_to, self.sim_w = _token_pairs(sim, self.values, self.value_item)
            self.has_similarity = bool(len(self.sim_w))
            return
        if not getattr(sim, "trivial", False):
            for item in np.flatnonzero(self.values_per_item > 1):
                start = int(self.item_start[item])
                ids = range(start, start + int(self.values_per_item[item]))
                for a in ids:
                    va = self.values[a]
                    for b in ids:
                        if a != b:
                            x = float(sim(va, self.values[b]))
                            if x > 0:
                                frm.append(a)
                                to.append(b)
                                w.append(min(1.0, x))
        self.sim_from = np.asarray(frm, dtype=np.int64)
        self.sim_to = np.asarray(to, dtype=np.int64)
        self.sim_w = np.asarray(w, dtype=float)
        self.has_similarity = bool(len(w))

    def spread(self, score: np.ndarray, rho: float) -> np.ndarray:
        """score(v) + rho * sum over other values u of sim(u -> v) * score(u)."""
        if not self.has_similarity or rho == 0:
            return score
        return score + rho * np.bincount(self.sim_to, weights=score[self.sim_from] * self.sim_w,
                                         minlength=self.n_values)

    def value_credit(self, prob: np.ndarray) -> np.ndarray:
        """How right a claim of each value is: P(v) + sum_u sim(v -> u) P(u), at most 1."""
        if not self.has_similarity:
            return prob
        extra = np.bincount(self.sim_from, weights=prob[self.sim_to] * self.sim_w, minlength=self.n_values)
        return np.minimum(1.0, prob + extra)

    # -- per-item reductions ---------------------------------------------
    def item_sum(self, x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(x, self.item_start) if self.n_values else x

    def item_max(self, x: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(x, self.item_start) if self.n_values else x

    def pick(self, score: np.ndarray) -> np.ndarray:
        """The best value of each item; a tie goes to the value seen first."""
        best = self.item_max(score)[self.value_item]
        tol = 1e-9 * np.maximum(1.0, np.abs(best))
        idx = np.where(score >= best - tol, np.arange(self.n_values), self.n_values)
        return np.minimum.reduceat(idx, self.item_start)

    def item_softmax(self, score: np.ndarray, extra_zero: np.ndarray | None = None) -> np.ndarray:
        """exp(score) normalised per item; ``extra_zero`` unseen alternatives of score 0."""
        m = self.item_max(score)
        if extra_zero is not None:
            m = np.maximum(m, 0.0)
        e = np.exp(score - m[self.value_item])
        z = self.item_sum(e)
        if extra_zero is not None:
            z = z + extra_zero * np.exp(-m)
        return e / z[self.value_item]

    # -- pairs of sources that share an item -----------------------------
    def pairs(self):
        """Every two claims on one item, coded by the pair of sources making them.

        Returns ``(pair_a, pair_b, same_pair, same_claim_a, same_claim_b,
        diff_count)``: the distinct source pairs (a < b), and for each shared
        item where both give the same value the pair index and the two claims;
        ``diff_count`` counts shared items where they differ.
        """
        if self._pairs is not None:
            return self._pairs
        S = self.n_sources
        empty = np.zeros(0, np.int64)
        # claims by item, and within an item by source: the first of two is the lower source
        order = np.lexsort((self.claim_source, self.claim_item))
        per_item = np.bincount(self.claim_item, minlength=self.n_items)
        if S * S <= (1 << 24):
            # Count the shared items of each pair of sources from the sources alone, and list
            # only the claims that agree (two claims of one value), grouped by value.
            src = self.claim_source[order]
            sa, sb = _group_pairs(src, per_item)
            shared = np.bincount(sa * S + sb, minlength=S * S)
            vorder = np.lexsort((self.claim_source, self.claim_value))
            ca, cb = _group_pairs(vorder, np.bincount(self.claim_value, minlength=self.n_values))
            same_key = self.claim_source[ca] * S + self.claim_source[cb]
            keys = np.flatnonzero(shared)
            where = np.zeros(S * S, dtype=np.int64)
            where[keys] = np.arange(len(keys))
            diff_count = (shared[keys] - np.bincount(same_key, minlength=S * S)[keys]).astype(float)
            self._pairs = (keys // S, keys % S, where[same_key], ca, cb, diff_count)
            return self._pairs
        ca, cb = _group_pairs(order, per_item)
        if not len(ca):
            self._pairs = (empty, empty, empty, empty, empty, np.zeros(0))
            return self._pairs
        sa, sb = self.claim_source[ca], self.claim_source[cb]
        keys, inv = _codes(sa * S + sb, S * S)
        same = self.claim_value[ca] == self.claim_value[cb]
        diff_count = np.bincount(inv[~same], minlength=len(keys)).astype(float)
        self._pairs = (keys // S, keys % S, inv[same], ca[same], cb[same], diff_count)
        return self._pairs


def _unique(keys: np.ndarray, first: bool = False, inverse: bool = False, counts: bool = False):
    """``np.unique`` of an integer array, with the same options, by one stable sort.

    (``np.unique`` imports ``numpy.ma`` on its first call, a tenth of a second of
    every fresh process's time on this benchmark's data; this does not.)
    """
    keys = np.asarray(keys)
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    flag = np.empty(len(k), dtype=bool)
    flag[:1] = True
    np.not_equal(k[1:], k[:-1], out=flag[1:])
    out = [k[flag]]
    if first:
        out.append(order[flag])                 # the stable sort keeps the first occurrence first
    if inverse:
        inv = np.empty(len(k), dtype=np.int64)
        inv[order] = np.cumsum(flag) - 1
        out.append(inv)
    if counts:
        out.append(np.diff(np.append(np.flatnonzero(flag), len(k))))
    return out[0] if len(out) == 1 else tuple(out)


def _group_pairs(order: np.ndarray, sizes: np.ndarray, both: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Every two members of each group, where group g is ``order[start_g : start_g + sizes[g]]``.

    ``(a, b)`` index arrays into ``order``'s values: each unordered pair once
    (a before b within its group), or both ways when ``both``.  Built without a
    loop: the member at place r of a group of k pairs with the k - 1 - r after it.
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    n = int(sizes.sum())
    starts = np.cumsum(sizes) - sizes
    place = np.arange(n, dtype=np.int64) - np.repeat(starts, sizes)     # place within its group
    after = np.repeat(sizes, sizes) - 1 - place                         # members after it
    total = int(after.sum())
    if total == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty
    first = np.repeat(np.arange(n, dtype=np.int64), after)
    run_start = np.cumsum(after) - after
    second = first + 1 + (np.arange(total, dtype=np.int64) - np.repeat(run_start, after))
    a, b = order[first], order[second]
    if both:
        a, b = np.concatenate((a, b)), np.concatenate((b, a))
    return a, b


def _codes(keys: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` for keys in ``[0, space)``, by counting when it is small."""
    if space <= (1 << 24):
        present = np.zeros(space, dtype=bool)
        present[keys] = True
        uniq = np.flatnonzero(present)
        where = np.zeros(space, dtype=np.int64)
        where[uniq] = np.arange(len(uniq))
        return uniq, where[keys]
    return _unique(keys, inverse=True)


def _token_pairs(sim: TokenSet, values: list[str], value_item: np.ndarray):
    """:class:`TokenSet` similarity of every two values of one item that share a word.

    The same numbers as calling ``sim`` on each ordered pair (pairs sharing no
    word score 0 and are left out), counted with arrays: each value's words
    once, then the shared words of each pair from the (item, word) groups.
    """
    from itertools import chain

    from belie.sources.similarity import _TOKEN

    n = len(values)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, float))
    if not n:
        return empty
    multi = np.flatnonzero(np.bincount(value_item)[value_item] > 1)
    words = list(map(_TOKEN.findall, [values[v] for v in multi.tolist()]))
    counts = np.fromiter(map(len, words), np.int64, len(words))
    flat = list(chain.from_iterable(words))
    if not flat:
        return empty
    # casefold every word at once ("\0" is no word character, so the split gives them back)
    flat = "\0".join(flat).casefold().split("\0")
    word_ids = {w: k for k, w in enumerate(dict.fromkeys(flat))}
    inc = np.repeat(multi, counts) * len(word_ids) + np.fromiter(map(word_ids.__getitem__, flat), np.int64, len(flat))
    inc = _unique(inc)                            # a word once per value, as in a set
    iv, iw = inc // len(word_ids), inc % len(word_ids)
    size = np.bincount(iv, minlength=n)
    key = value_item[iv] * len(word_ids) + iw
    order = np.argsort(key, kind="stable")
    _, sizes = _unique(key[order], counts=True)
    a, b = _group_pairs(iv[order], sizes, both=True)
    if not len(a):
        return empty
    pair_keys, common = _unique(a * n + b, counts=True)   # sorted by (a, b)
    a, b = pair_keys // n, pair_keys % n
    common = common.astype(float)
    if sim.mode == "jaccard":
        x = common / (size[a] + size[b] - common)
    elif sim.mode == "covers":
        x = common / size[b]
    else:
        x = common / size[a]
    return a, b, np.minimum(1.0, x)


def _norm_method(method: str) -> str:
    m = str(method).strip().lower()
    m = _ALIASES.get(m, m)
    if m not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    return m


def _prior_array(data: Claims, prior: Mapping[str, float] | None, default: float,
                 lo: float = 0.0, hi: float = math.inf) -> tuple[np.ndarray, np.ndarray]:
    """Per-source prior (clipped to [lo, hi]) and a mask of sources that had one."""
    arr = np.full(data.n_sources, float(default))
    given = np.zeros(data.n_sources, dtype=bool)
    if prior:
        for k, s in enumerate(data.sources):
            if s in prior and prior[s] is not None:
                arr[k] = float(prior[s])
                given[k] = True
    return np.clip(arr, lo, hi), given


def _strength(prior_strength: float | None, prior) -> float:
    """How many claims' worth a prior (or the default starting accuracy) counts: 2 by default."""
    if prior_strength is None:
        return 2.0
    if prior_strength < 0:
        raise ValueError("prior_strength must be >= 0")
    return float(prior_strength)


def _agreement(data: Claims, chosen: np.ndarray) -> np.ndarray:
    onehot = np.zeros(data.n_values)
    onehot[chosen] = 1.0
    credit = data.value_credit(onehot)[data.claim_value]
    return np.bincount(data.claim_source, weights=credit, minlength=data.n_sources) / \
        np.maximum(data.claims_per_source, 1)


# ---------------------------------------------------------------- methods
def _majority(data: Claims, prior, rho: float, **_):
    w, _given = _prior_array(data, prior, 1.0, 0.0)
    votes = np.bincount(data.claim_value, weights=w[data.claim_source], minlength=data.n_values)
    score = data.spread(votes, rho)
    chosen = data.pick(score)
    total = data.item_sum(votes)
    conf = np.where(total > 0, score[chosen] / np.maximum(total, 1e-300), 0.0)
    return chosen, np.minimum(conf, 1.0), _agreement(data, chosen), [], 1


def _truthfinder(data: Claims, prior, rho: float, gamma: float = 0.3, initial_trust: float = 0.9,
                 base_sim: float = 0.5, max_iter: int = 20, tol: float = 1e-3,
                 prior_strength: float | None = None, **_):
    t0, _given = _prior_array(data, prior, initial_trust, 1e-3, 1 - 1e-6)
    prior_strength = _strength(prior_strength, prior)
    trust = t0.copy()
    cnt = data.claims_per_source
    it = 0
    s = np.zeros(data.n_values)
    for it in range(1, max_iter + 1):
        tau = -np.log1p(-np.minimum(trust, 1 - 1e-6))
        sigma = np.bincount(data.claim_value, weights=tau[data.claim_source], minlength=data.n_values)
        adj = data.spread(sigma, rho) - sigma                 # + rho * sum sim(u->v) sigma(u)
        others = data.item_sum(sigma)[data.value_item] - sigma
        sigma_star = sigma + adj - rho * base_sim * others    # imp(u->v) = sim(u,v) - base_sim
        s = 1.0 / (1.0 + np.exp(-gamma * sigma_star))
        got = np.bincount(data.claim_source, weights=s[data.claim_value], minlength=data.n_sources)
        new = (got + prior_strength * t0) / np.maximum(cnt + prior_strength, 1e-12)
        cos = float(new @ trust / max(np.linalg.norm(new) * np.linalg.norm(trust), 1e-300))
        trust = new
        if 1 - cos < tol:
            break
    chosen = data.pick(s)
    return chosen, s[chosen], np.clip(trust, 0, 1), [], it


def _pooled_shares(data: Claims, prior, rho: float, g: float = 1.4, max_iter: int = 10):
    """PooledInvestment beliefs, as each value's share of its item's belief."""
    trust, _given = _prior_array(data, prior, 1.0, 1e-6)
    cnt = np.maximum(data.claims_per_source, 1)
    belief = 1.0 / data.values_per_item[data.value_item]          # uniform prior belief
    it = 0
    for it in range(1, max_iter + 1):
        invest = trust / cnt
        pooled = np.bincount(data.claim_value, weights=invest[data.claim_source], minlength=data.n_values)
        # each source is paid back from each claim in proportion to its stake
        pay = belief[data.claim_value] * invest[data.claim_source] / pooled[data.claim_value]
        new_trust = np.bincount(data.claim_source, weights=pay, minlength=data.n_sources)
        new_trust /= max(new_trust.max(), 1e-300)
        h = np.bincount(data.claim_value, weights=(new_trust / cnt)[data.claim_source], minlength=data.n_values)
        h = data.spread(h, rho)
        grown = h ** g
        belief = h * grown / data.item_sum(grown)[data.value_item]
        belief /= max(belief.max(), 1e-300)
        trust = np.maximum(new_trust, 1e-12)
    share = belief / np.maximum(data.item_sum(belief)[data.value_item], 1e-300)
    return share, it


def _pooled_investment(data: Claims, prior, rho: float, g: float = 1.4, max_iter: int = 10, **_):
    share, it = _pooled_shares(data, prior, rho, g, max_iter)
    chosen = data.pick(share)
    return chosen, share[chosen], _agreement(data, chosen), [], it


def _accucopy_checked(alpha: float, c: float, n_false) -> float:
    """AccuCopy's parameters checked (ValueError naming the one that is wrong); the
    number of false values an item could take, ``"auto"`` read as 1."""
    if not (0 < alpha < 0.5):
        raise ValueError("alpha (prior probability of copying, per direction) must lie in (0, 0.5)")
    if not (0 < c < 1):
        raise ValueError("copy_rate must lie in (0, 1)")
    if isinstance(n_false, str):
        if n_false != "auto":
            raise ValueError("n_false is a number or 'auto'")
        n_false = 1.0
    if not n_false >= 1:
        raise ValueError("n_false (the number of false values an item could take) must be at least 1")
    return n_false


def _accucopy(data: Claims, prior, rho: float, n_false: float | str = "auto", copy_rate: float = 0.8,
              alpha: float = 0.02, initial_accuracy: float = 0.8, max_iter: int = 20,
              tol: float = 1e-4, prior_strength: float | None = None, report_threshold: float = 0.5,
              true_weight: float = 0.0, detect: bool = True, init: str = "vote", **_):
    c = float(copy_rate)
    n_false = _accucopy_checked(alpha, c, n_false)
    n_item = np.maximum(data.values_per_item - 1, float(n_false)).astype(float)
    n_value = n_item[data.value_item]
    n_claim = n_value[data.claim_value]
    a0, _given = _prior_array(data, prior, initial_accuracy, 0.01, 0.99)
    prior_strength = _strength(prior_strength, prior)
    acc = a0.copy()
    cnt = data.claims_per_source
    if init not in ("vote", "prior"):
        raise ValueError("init is 'vote' or 'prior'")
    if init == "vote":
        # Soft start from the plain (prior-weighted) vote: a source starts as
        # right as the share of the vote its values got, so a dead heat
        # starts (and stays) a dead heat, and one round of accuracy-weighted
        # voting comes before the first look for copiers.
        w, _g = _prior_array(data, prior, 1.0, 0.0)
        votes = data.spread(np.bincount(data.claim_value, weights=w[data.claim_source],
                                        minlength=data.n_values), rho)
        share = votes / np.maximum(data.item_sum(votes)[data.value_item], 1e-300)
        agree = np.bincount(data.claim_source, weights=share[data.claim_value],
                            minlength=data.n_sources) / np.maximum(cnt, 1)
        acc = np.clip((agree * cnt + prior_strength * a0) / (cnt + prior_strength), 0.01, 0.99)
    unseen = np.maximum(n_item + 1 - data.values_per_item, 0).astype(float)
    log_discount = np.zeros(data.n_claims)
    prob = np.zeros(data.n_values)
    p_ind = p_ab = p_ba = None
    pairs = data.pairs() if detect else None
    groups = _Evidence(data, pairs, n_item) if pairs is not None and len(pairs[0]) else None
    log_n_claim = np.log(n_claim)
    it = 0
    for it in range(1, max_iter + 1):
        # vote: C(v) = sum over providers of ln(n A / (1 - A)) * I(provider)
        a_src = np.clip(acc, 0.01, 0.99)
        weight = log_n_claim + np.take(np.log(a_src / (1 - a_src)), data.claim_source)
        own = weight * np.exp(log_discount) if groups is not None else weight
        votes = np.bincount(data.claim_value, weights=own, minlength=data.n_values)
        votes = data.spread(votes, rho)
        prob = data.item_softmax(votes, unseen)
        credit = np.take(prob, data.claim_value)      # exact: see the note on similarity below
        got = np.bincount(data.claim_source, weights=credit, minlength=data.n_sources)
        new = (got + prior_strength * a0) / np.maximum(cnt + prior_strength, 1e-12)
        new = np.clip(new, 0.01, 0.99)
        delta = float(np.max(np.abs(new - acc))) if len(acc) else 0.0
        acc = new
        if groups is not None:
            p_ind, p_ab, p_ba = _dependence(data, pairs, groups, prob, acc, c, alpha, true_weight)
            if it < max_iter and not (delta < tol and it > 1):      # else no round will use it
                log_discount = _discount(data, pairs, groups, p_ind, acc, c)
        if delta < tol and it > 1:
            break
    chosen = data.pick(prob)
    if data.has_similarity:
        # Report partial credit (a coarser place is partly right), but vote
        # with exact credit only: were partial credit to raise a source's
        # weight, a source that always says something vague would always be
        # "partly right", gain weight, and pull every answer towards the vague.
        got = np.bincount(data.claim_source, weights=data.value_credit(prob)[data.claim_value],
                          minlength=data.n_sources)
        acc = np.clip((got + prior_strength * a0) / np.maximum(cnt + prior_strength, 1e-12), 0.0, 1.0)
    copying: list[tuple[str, str, float]] = []
    if p_ind is not None:
        pa, pb = pairs[0], pairs[1]
        dep = 1.0 - p_ind
        for k in np.flatnonzero(dep >= report_threshold):
            a, b = data.sources[pa[k]], data.sources[pb[k]]
            if p_ba[k] > p_ab[k]:
                a, b = b, a
            copying.append((a, b, float(dep[k])))
        copying.sort(key=lambda x: (-x[2], x[0], x[1]))
    return chosen, prob[chosen], acc, copying, it


class _Evidence:
    """What the pairs of sources share, laid out once for the rounds of ``accucopy``.

    Each *entry* is one item on which two sources give the same value.  Entries of
    one pair whose items have the same count of false values form a *group*: within
    a group the evidence of copying differs only by the shared value's probability,
    so each round sums those probabilities per group and takes the logarithms once
    per group, not once per entry.
    """

    def __init__(self, data: Claims, pairs, n_item: np.ndarray):
        pa, pb, same_pair, same_ca, same_cb, _kd = pairs
        n_vals, n_code = _unique(n_item, inverse=True)
        width = len(n_vals)
        code = n_code[data.claim_item[same_ca]]
        gkey, self.group = _codes(same_pair * width + code, len(pa) * width)
        self.ca, self.cb, self.pair = same_ca, same_cb, same_pair
        self.value = data.claim_value[same_ca]
        self.n_entries = len(same_ca)
        self.n_groups = len(gkey)
        self.group_size = np.bincount(self.group, minlength=self.n_groups).astype(float)
        self.group_pair = gkey // width
        self.group_pa, self.group_pb = pa[self.group_pair], pb[self.group_pair]
        self.group_n = n_vals[gkey % width]


def _dependence(data, pairs, ev: _Evidence, prob, acc, c, alpha, true_weight=1.0):
    """Posterior that each pair of sources is independent / a copies b / b copies a.

    Evidence (Dong et al. 2009, sec. 3): on shared items the two give the same
    true value (kt), the same false value (kf) or different values (kd).
    Independent: P(same true) = A1 A2, P(same false) = (1-A1)(1-A2)/n.
    a copies b (with rate c): P(same true) = c A2 + (1-c) A1 A2, P(same false)
    = c (1-A2) + (1-c)(1-A1)(1-A2)/n, P(different) = (1-c) P_ind(different).
    Shared false values are the strong evidence: independent sources seldom
    make the same mistake.  ``true_weight`` scales the (weak) evidence of
    shared true values.  Each shared value counts as false with weight
    1 - P(v) and as true with weight P(v), summed per group of ``ev``.
    """
    pa, pb, _same_pair, _same_ca, _same_cb, kd = pairs
    npairs = len(pa)
    if ev.n_entries:
        true_w = np.bincount(ev.group, weights=np.take(prob, ev.value), minlength=ev.n_groups)
    else:
        true_w = np.zeros(0)
    false_w = ev.group_size - true_w
    log_1c = math.log(1 - c)
    # P(same false | a copies b) / P(same false | independent)
    #   = (c (1-A2) + (1-c)(1-A1)(1-A2)/n) / ((1-A1)(1-A2)/n) = c n / (1-A1) + 1 - c,
    # and for shared true values (c A2 + (1-c) A1 A2) / (A1 A2) = c / A1 + 1 - c.
    cn = c * ev.group_n
    base = math.log(alpha) + kd * log_1c          # the prior and the items they differ on
    inv_false = 1.0 / (1.0 - acc)

    def ratio(copier):   # log likelihood ratio "this one copies the other" vs independent
        per = false_w * np.log(cn * np.take(inv_false, copier) + (1 - c))
        if true_weight:
            per += (true_weight * true_w) * np.log(c / acc[copier] + (1 - c))
        return np.bincount(ev.group_pair, weights=per, minlength=npairs) + base

    l0 = np.full(npairs, math.log(1 - 2 * alpha))
    l1 = ratio(ev.group_pa)     # a copies b
    l2 = ratio(ev.group_pb)     # b copies a
    m = np.maximum(np.maximum(l0, l1), l2)
    e0, e1, e2 = np.exp(l0 - m), np.exp(l1 - m), np.exp(l2 - m)
    z = e0 + e1 + e2
    return e0 / z, e1 / z, e2 / z


def _discount(data: Claims, pairs, ev: _Evidence, p_ind, acc, c):
    """log I(claim): a provider's vote is cut by (1 - c * P(dependent)) for each
    provider of the same value counted before it.

    Providers are counted most accurate first (then the less copying first),
    so the likeliest original of a value keeps its whole vote.  Dong et al.
    discount by P(this source copies that one); we use the probability of
    dependence either way, since the direction is seldom identifiable and a
    chorus should count as one voice whichever member spoke first.
    """
    pa, pb, _same_pair, _same_ca, _same_cb, _kd = pairs
    if not ev.n_entries:
        return np.zeros(data.n_claims)
    dep = 1.0 - p_ind
    involvement = np.bincount(pa, weights=dep, minlength=data.n_sources) + \
        np.bincount(pb, weights=dep, minlength=data.n_sources)
    rank = np.empty(data.n_sources, dtype=np.int64)
    rank[np.lexsort((np.arange(data.n_sources), involvement, -acc))] = np.arange(data.n_sources)
    # ev.ca is always pa's claim and ev.cb pb's: which one counts later is a pair's matter
    later = np.where(np.take(rank[pa] > rank[pb], ev.pair), ev.ca, ev.cb)
    cut = np.log(np.maximum(1.0 - c * dep, 1e-12))
    return np.bincount(later, weights=np.take(cut, ev.pair), minlength=data.n_claims)


_RUN = {
    "majority": _majority,
    "truthfinder": _truthfinder,
    "pooled_investment": _pooled_investment,
    "accucopy": _accucopy,
}


def discover(claims: Iterable[tuple[str, str, str]] | Claims, method: str = "accucopy",
             similarity: Similarity | str | None = None, prior: Mapping[str, float] | None = None,
             rho: float | None = None, **options) -> TruthResult:
    """Decide what to believe about each item, and how far to trust each source.

    ``claims``      ``(source, item, value)`` triples, or a :class:`Claims`;
    ``method``      ``accucopy`` (default), ``majority``, ``truthfinder`` or
                    ``pooled_investment``;
    ``similarity``  ``"auto"`` (default: words for values that are names or
                    lists of names, else exact; see
                    :func:`~belie.sources.similarity.choose_similarity`),
                    ``"exact"``, ``"tokens"``, ``"numbers"``, a
                    :class:`~belie.sources.similarity.Places`, or any function
                    ``(claimed, other) -> [0, 1]``;
    ``prior``       initial trust per source, in (0, 1] (e.g. from the kind of
                    source: record > finding > testimony > confession).  For
                    ``majority`` it is the weight of the source's vote; for
                    ``accucopy`` and ``truthfinder`` the starting accuracy,
                    which also counts as ``prior_strength`` (2) claims
                    already judged in every later estimate, so it matters
                    most for sources that say little; for
                    ``pooled_investment`` the starting trust.
                    Sources left out get the method's default.
    ``rho``         how much a similar value's support counts (default 0.5;
                    irrelevant for exact similarity).
    ``options``     method parameters (an unknown name is an error):
                    ``accucopy``: ``n_false`` ("auto" or a floor >= 1),
                    ``copy_rate`` (0.8), ``alpha`` (0.02, prior probability
                    that one source copies another, each way),
                    ``initial_accuracy`` (0.8), ``prior_strength`` (2),
                    ``true_weight`` (0), ``init`` ("vote" or "prior"),
                    ``detect`` (True; False gives the paper's ``Accu``,
                    without copy detection), ``max_iter`` (20),
                    ``report_threshold`` (0.5: the least dependence listed in
                    ``copying``);
                    ``truthfinder``: ``gamma`` (0.3), ``initial_trust`` (0.9),
                    ``base_sim`` (0.5), ``prior_strength``, ``max_iter`` (20);
                    ``pooled_investment``: ``g`` (1.4), ``max_iter`` (10).
    """
    m = _norm_method(method)
    if isinstance(claims, Claims):
        data = claims
        if similarity is not None and similarity is not data.similarity:
            data = Claims(zip(*_triples(data)), similarity)
    else:
        data = Claims(claims, similarity)
    if rho is None:
        rho = 0.5
    allowed = {p for p in inspect.signature(_RUN[m]).parameters if p not in ("data", "prior", "rho", "_")}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ValueError(f"{m} has no option {', '.join(unknown)}; it takes {', '.join(sorted(allowed))}")
    if data.n_claims == 0:
        return TruthResult({}, {}, {}, [], m, 0, _sim_name(data.similarity))
    chosen, conf, acc, copying, iterations = _RUN[m](data, prior, float(rho), **options)
    truths = {data.items[i]: data.values[int(v)] for i, v in enumerate(chosen)}
    confidence = {data.items[i]: float(conf[i]) for i in range(data.n_items)}
    accuracy = {s: float(acc[k]) for k, s in enumerate(data.sources)}
    return TruthResult(truths, confidence, accuracy, copying, m, iterations, _sim_name(data.similarity))


def _sim_name(sim) -> str:
    return getattr(sim, "name", None) or getattr(sim, "__name__", None) or "custom"


def _triples(data: Claims):
    src = [data.sources[s] for s in data.claim_source]
    item = [data.items[i] for i in data.claim_item]
    val = [data.values[v] for v in data.claim_value]
    return src, item, val
