"""The joint window (belie.rules.timeline) against a brute-force reading of random small timelines.

    PYTHONPATH=src python benchmarks/timeline_bruteforce.py --n 10000 --seed 1

Each timeline: a target moment, up to two fixed stays and up to three other moments of one
person over a few days, at up to five places on a line (travel in half days, so the travel
times obey the triangle inequality, as great-circle distances do). The brute force places
every moment on a grid of quarter days (fine enough: every bound and travel time is a
multiple of half a day, so every piece of the true window starts and ends on the grid and
every gap between pieces holds a grid point), tries every order of the whole sequence,
fixed stays included, and keeps the target moments of every valid sequence. It knows
nothing of the dynamic programme. Also checks that the shortcut ``some_window`` never
gives a moment the window lacks. Exits 1 on the first disagreement, printing it.

Also imported by tests/rules/test_timeline.py, which runs a few hundred in the suite.
"""
from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from fractions import Fraction

from belie.rules.timeline import Event, some_window, window

Q = Fraction(1, 4)


def make(rng: random.Random) -> tuple[Event, list[Event], dict]:
    """A random timeline: (target, others, positions of the places in half days)."""
    pos = {p: rng.randint(0, 4) for p in "ABCDE"}
    places = list(pos)
    while True:
        fixed = []
        for k in range(rng.randint(0, 2)):
            lo = rng.randint(0, 6)
            fixed.append(Event(lo, lo + rng.randint(0, 2), rng.choice(places), True, f"f{k}"))
        if _fixed_ok(fixed, pos):
            break
    moments = []
    for k in range(rng.randint(0, 3)):
        lo = rng.randint(0, 6)
        moments.append(Event(lo, lo + rng.randint(0, 1), rng.choice(places), False, f"m{k}"))
    lo = rng.randint(0, 6)
    target = Event(lo, lo + rng.randint(0, 2), rng.choice(places), False, "target")
    return target, fixed + moments, pos


def travel_of(pos: dict):
    return lambda p, q: Fraction(abs(pos[p] - pos[q]), 2)


def _fixed_ok(fixed, pos) -> bool:
    t = travel_of(pos)
    for f, g in itertools.permutations(fixed, 2):
        if f.lo <= g.lo and g.lo < f.hi + 1 + t(f.place, g.place):
            return False
    return True


def _grid(lo, hi):
    k, out = Fraction(lo), []
    while k <= hi:
        out.append(k)
        k += Q
    return out


def _valid(items, t) -> bool:
    """Whether some order of ``items`` (start, end, place) by start time lets the person
    reach each from the one before."""
    items = sorted(items, key=lambda it: (it[0], it[1]))
    groups = [list(g) for _, g in itertools.groupby(items, key=lambda it: it[0])]
    for orders in itertools.product(*(itertools.permutations(g) for g in groups)):
        seq = [it for g in orders for it in g]
        if all(v[0] >= u[1] + t(u[2], v[2]) for u, v in zip(seq, seq[1:])):
            return True
    return False


def brute(target: Event, others: list[Event], pos: dict) -> set:
    """The grid moments of the target that some valid whole sequence allows."""
    t = travel_of(pos)
    fixed = [(Fraction(f.lo), Fraction(f.hi + 1), f.place) for f in others if f.throughout]
    moments = [m for m in others if not m.throughout]
    grids = []
    for m in moments:                              # a moment no value of which fits is dropped
        g = [y for y in _grid(m.lo, m.hi + 1) if _valid(fixed + [(y, y, m.place)], t)]
        if g:
            grids.append((g, m.place))
    assignments = [a for a in itertools.product(*(g for g, _ in grids))
                   if _valid(fixed + [(y, y, p) for y, (_, p) in zip(a, grids)], t)]
    if not assignments:                            # the moments clash among themselves: unused
        grids, assignments = [], [()]
    out = set()
    for x in _grid(target.lo, target.hi + 1):
        for a in assignments:
            if _valid(fixed + [(y, y, p) for y, (_, p) in zip(a, grids)] + [(x, x, target.place)], t):
                out.add(x)
                break
    return out


def fast(target: Event, others: list[Event], pos: dict) -> set:
    pieces = window(target, others, travel_of(pos))
    return {x for x in _grid(target.lo, target.hi + 1) if any(a <= x <= b for a, b in pieces)}


def run(n: int, seed: int) -> tuple[int, str | None]:
    """Compare ``n`` random timelines; (how many were compared, the first disagreement)."""
    rng = random.Random(seed)
    for i in range(n):
        target, others, pos = make(rng)
        want, got = brute(target, others, pos), fast(target, others, pos)
        if want != got:
            return i, (f"timeline {i}: target {target}, others {others}, positions {pos}: "
                       f"brute force {sorted(map(float, want))}, belie {sorted(map(float, got))}")
        part = some_window(target, others, travel_of(pos))      # the shortcut: never more than the window
        if any(not any(a <= x <= b for a, b in window(target, others, travel_of(pos)))
               for p in part for x in (p[0], p[1], (p[0] + p[1]) / 2)):
            return i, f"timeline {i}: some_window {part} is not within the window"
    return n, None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    done, bad = run(a.n, a.seed)
    if bad:
        print(bad)
        return 1
    print(f"{done:,} random timelines (seed {a.seed}): belie's joint window equals the brute force on "
          f"every one ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
