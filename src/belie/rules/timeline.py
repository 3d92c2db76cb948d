"""One person's whereabouts as one timeline: the moments at which a claim can still be true.

The pure interval algorithm behind the joint window of the ``alibi`` rule, knowing nothing
of claims, dates or places beyond what the caller passes in.

**Units.** Bounds are integers in the unit of ``Stay.lo``/``Stay.hi`` (today day ordinals).
An interval ``[lo, hi]`` covers the moments from ``lo`` to ``hi + 1`` (the end of its last
unit), both included. ``travel(p, q)`` gives the least time to get from place ``p`` to place
``q`` in the same unit (a float >= 0), or ``None`` when the two are compatible (one within
the other: no journey, no constraint). Only ``travel`` knows what a unit is, so a finer unit
(minutes) needs only a new callback.

**The reading.** A person is at one place at a time and moves between places no faster
than ``travel`` allows. Given

* *fixed* stays (``throughout``: every moment of ``[lo, hi]`` at the place), and
* *moments* (``when``: some moment of ``[lo, hi]`` at the place),

the target moment ``x`` (itself a moment of its own interval at its own place) can be true
when the moments can all be placed, with ``x``, in some order in which each is reached from
the one before in time, and none falls at a place away from a fixed stay while the person
is at that stay or on the way to or from it: a moment at ``R`` and a fixed stay at ``Q``
over ``[a, b + 1]`` need ``y <= a - travel(R, Q)`` or ``y >= b + 1 + travel(Q, R)``.
Fixed stays are taken as given (their clashes with one another are other findings). If the
other moments cannot all be true together even without the target, they are not used (a
claim that cannot be true is no evidence about another); only the fixed stays are.

**Exactness.** For a fixed order of the moments, the earliest schedule of a prefix and the
latest schedule of a suffix decide everything (every constraint is a lower bound on the
next moment), so a dynamic programme over the subsets of the moments (earliest end of each
subset by its last moment, latest start of each subset by its first) gives the exact set
of target moments over all orders. Checking only consecutive moments, and each moment
against each fixed stay, is the same as checking the whole sequence when the travel times
obey the triangle inequality (great-circle distances do). The cost is 2^n * n^2 for n
moments; ``MAX_MOMENTS`` caps n (the moments nearest the target in time are kept: leaving
some out can only leave more of the window, never less). ``tests/rules/test_timeline.py``
checks the result against a brute-force reading on random small timelines, and
``benchmarks/timeline_bruteforce.py`` runs that check on as many as asked.
"""
from __future__ import annotations

import math
from typing import Callable, Hashable, NamedTuple, Sequence

#: At most this many other moments are placed exactly around one target (2^n subsets).
MAX_MOMENTS = 8

Pieces = list[tuple[float, float]]          # closed, sorted, disjoint intervals of moments
Travel = Callable[[Hashable, Hashable], "float | None"]


class Event(NamedTuple):
    """A whereabouts: at ``place`` throughout, or at some moment of, ``[lo, hi]``."""

    lo: int
    hi: int
    place: Hashable
    throughout: bool
    key: Hashable = None          # the caller's id (a claim)


def _cut(pieces: Pieces, lo: float, hi: float) -> Pieces:
    """``pieces`` less the open interval (lo, hi)."""
    if lo >= hi:
        return pieces
    out = []
    for a, b in pieces:
        if b <= lo or a >= hi:
            out.append((a, b))
            continue
        if a <= lo:
            out.append((a, lo))
        if b >= hi:
            out.append((hi, b))
    return out


def allowed(ev: Event, fixed: Sequence[Event], travel: Travel) -> tuple[Pieces, list]:
    """The moments of ``ev`` away from every fixed stay and the journeys to and from it,
    and the keys of the fixed stays that took some out."""
    pieces: Pieces = [(ev.lo, ev.hi + 1)]
    lo, hi = ev.lo, ev.hi + 1
    cut_by = []
    for f in fixed:
        t = travel(ev.place, f.place)
        if t is None:
            continue
        a, b = f.lo - t, f.hi + 1 + t
        if a < hi and b > lo:
            cut_by.append(f.key)
            pieces = _cut(pieces, a, b)
    return pieces, cut_by


def _earliest(pieces: Pieces, t: float) -> float | None:
    for a, b in pieces:
        if b >= t:
            return max(a, t)
    return None


def _latest(pieces: Pieces, t: float) -> float | None:
    for a, b in reversed(pieces):
        if a <= t:
            return min(b, t)
    return None


def _union(spans: list[tuple[float, float]]) -> Pieces:
    out: Pieces = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _meet(pieces: Pieces, lo: float, hi: float) -> list[tuple[float, float]]:
    out = []
    for a, b in pieces:
        a, b = max(a, lo), min(b, hi)
        if a <= b:
            out.append((a, b))
    return out


def _schedule(spots: list[Pieces], tt: list[list[float]]):
    """The forward and backward tables over subsets of the moments ``spots``."""
    n = len(spots)
    full = (1 << n) - 1
    fwd: list[dict[int, float]] = [dict() for _ in range(full + 1)]
    bwd: list[dict[int, float]] = [dict() for _ in range(full + 1)]
    for i, s in enumerate(spots):
        if s:
            fwd[1 << i][i] = s[0][0]
            bwd[1 << i][i] = s[-1][1]
    for mask in range(1, full + 1):               # supersets come after their subsets
        for last, at in fwd[mask].items():
            row = tt[last]
            for j in range(n):
                if mask >> j & 1:
                    continue
                e = _earliest(spots[j], at + row[j])
                if e is not None:
                    m2, cur = mask | 1 << j, fwd[mask | 1 << j].get(j)
                    if cur is None or e < cur:
                        fwd[m2][j] = e
        for first, at in bwd[mask].items():
            for j in range(n):
                if mask >> j & 1:
                    continue
                e = _latest(spots[j], at - tt[j][first])
                if e is not None:
                    m2, cur = mask | 1 << j, bwd[mask | 1 << j].get(j)
                    if cur is None or e > cur:
                        bwd[m2][j] = e
    return fwd, bwd


def window(target: Event, others: Sequence[Event], travel: Travel) -> Pieces:
    """The moments of ``target`` at which it can be true beside all ``others``."""
    fixed = [o for o in others if o.throughout]
    moments = [o for o in others if not o.throughout]
    own, _ = allowed(target, fixed, travel)
    if not own or not moments:
        return own
    if len(moments) > MAX_MOMENTS:
        mid = (target.lo + target.hi + 1) / 2
        moments = sorted(moments, key=lambda m: abs((m.lo + m.hi + 1) / 2 - mid))[:MAX_MOMENTS]
    spots, keep = [], []
    for m in moments:
        s = allowed(m, fixed, travel)[0]
        if s:                                     # a moment that cannot be true is no evidence
            spots.append(s)
            keep.append(m)
    if not keep:
        return own
    n = len(keep)
    places = [m.place for m in keep]
    tt = [[(travel(p, q) or 0.0) if i != j else 0.0 for j, q in enumerate(places)] for i, p in enumerate(places)]
    fwd, bwd = _schedule(spots, tt)
    full = (1 << n) - 1
    if not fwd[full]:
        return own                                # the other moments clash among themselves
    to_t = [travel(p, target.place) or 0.0 for p in places]
    from_t = [travel(target.place, p) or 0.0 for p in places]
    spans = []
    for before in range(full + 1):
        after = full ^ before
        if before:
            if not fwd[before]:
                continue
            lo = min(at + to_t[i] for i, at in fwd[before].items())
        else:
            lo = -math.inf
        if after:
            if not bwd[after]:
                continue
            hi = max(at - from_t[j] for j, at in bwd[after].items())
        else:
            hi = math.inf
        if lo <= hi:
            spans.extend(_meet(own, lo, hi))
    return _union(spans)


def some_window(target: Event, others: Sequence[Event], travel: Travel) -> Pieces:
    """Part of ``window``, cheaply: the target moments that fit around two particular
    placings of the other moments (each as early as it can be, in order of first moment;
    each as late as it can be, in order of last), without the search over all orders.
    Every moment it gives is in ``window`` (a placing that works is a witness), so when
    this already leaves a claim comfortable, the exact reading is not needed."""
    fixed = [o for o in others if o.throughout]
    moments = [o for o in others if not o.throughout]
    own, _ = allowed(target, fixed, travel)
    if not own or not moments:
        return own
    spots = []
    for m in moments:
        s = allowed(m, fixed, travel)[0]
        if s:
            spots.append((m, s))
    if not spots:
        return own
    spans: list[tuple[float, float]] = []
    for late in (False, True):
        order = sorted(spots, key=(lambda ms: -ms[0].hi) if late else (lambda ms: ms[0].lo))
        placed: list[tuple[float, Hashable]] = []
        at, prev = (math.inf if late else -math.inf), None
        for m, s in order:
            t = 0.0 if prev is None else (travel(m.place, prev) if late else travel(prev, m.place)) or 0.0
            y = _latest(s, at - t) if late else _earliest(s, at + t)
            if y is None:
                break
            placed.append((y, m.place))
            at, prev = y, m.place
        else:
            placed.sort(key=lambda yp: yp[0])
            bounds = [-math.inf] + [y for y, _ in placed] + [math.inf]
            places = [None] + [p for _, p in placed] + [None]
            for i in range(len(bounds) - 1):
                lo = bounds[i] + (travel(places[i], target.place) or 0.0 if places[i] is not None else 0.0)
                hi = bounds[i + 1] - (travel(target.place, places[i + 1]) or 0.0 if places[i + 1] is not None else 0.0)
                if lo <= hi:
                    spans.extend(_meet(own, lo, hi))
    return _union(spans)


def cells(pieces: Pieces, lo: int, hi: int) -> list[tuple[int, int]]:
    """The runs of units ``k`` of ``[lo, hi]`` whose moments ``[k, k + 1]`` meet ``pieces``."""
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        k0 = max(lo, math.ceil(a) - 1)
        k1 = min(hi, math.floor(b))
        if k0 > k1:
            continue
        if out and k0 <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], k1))
        else:
            out.append((k0, k1))
    return out


def count(runs: list[tuple[int, int]]) -> int:
    return sum(b - a + 1 for a, b in runs)


def intersect(x: list[tuple[int, int]], y: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The units in both lists of runs."""
    out, i, j = [], 0, 0
    while i < len(x) and j < len(y):
        lo, hi = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return out


def cutters(target: Event, others: Sequence[Event], travel: Travel, got: Pieces | None = None,
            seen: Callable[[Pieces], object] | None = None) -> list:
    """The keys of the others that took moments out of ``target``'s window: every fixed stay
    that by itself takes some out, and a smallest set of the other claims that leaves the
    same window (each one needed, given the rest; where two say the same, one is named).
    ``seen`` maps a window to what a reader sees of it (the days it meets, say): a claim
    that changes nothing seen is not named."""
    seen = seen or (lambda w: w)
    got = window(target, others, travel) if got is None else got
    mark = seen(got)
    whole = seen([(target.lo, target.hi + 1)])
    fixed = [o for o in others if o.throughout]
    direct = [f.key for f in fixed if seen(allowed(target, [f], travel)[0]) != whole]
    direct = list(dict.fromkeys(direct))
    mid = (target.lo + target.hi + 1) / 2
    far_first = sorted(dict.fromkeys(o.key for o in others if o.key not in direct),
                       key=lambda k: -min(abs((o.lo + o.hi + 1) / 2 - mid) for o in others if o.key == k))
    keep = set(o.key for o in others)
    for key in far_first:                       # drop what the window does not need
        rest = [o for o in others if o.key in keep and o.key != key]
        if seen(window(target, rest, travel)) == mark:
            keep.discard(key)
    return direct + [k for k in dict.fromkeys(o.key for o in others) if k in keep and k not in direct]
