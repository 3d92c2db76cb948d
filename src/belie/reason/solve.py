"""The two questions put to the solver, per connected component of a `Problem`.

* `minimal_sets`: the minimal unsatisfiable subsets (MUSes) of the claims, each claim
  a soft assumption "this claim is true" over the hard clauses.  A component with no
  entailment link needs no solver: its clauses are all "not all of S", so a set of
  claims is contradictory exactly when it contains some S, and the MUSes are the
  inclusion-minimal S.  Otherwise MARCO (Liffiton, Previti, Malik, Marques-Silva,
  "Fast, flexible MUS enumeration", Constraints 21, 2016) enumerates them with two
  SAT solvers from python-sat: a *map* of the subsets not yet explored, and the
  *oracle* that tests a subset; a contradictory seed is shrunk to a MUS by deletion,
  a consistent one grown to a maximal satisfiable subset, and each result blocks its
  part of the map.
* `best_reading`: a minimum-cost set of claims to reject so that the rest can all be
  true — weighted partial MaxSAT solved by RC2 (Ignatiev, Morgado, Marques-Silva,
  JSAT 11, 2019), or, for a component too large to solve exactly in reasonable time,
  a greedy weighted hitting set (then marked not optimal).
"""
from __future__ import annotations

import time
from collections import defaultdict

from pysat.examples.rc2 import RC2
from pysat.formula import WCNF
from pysat.solvers import Solver

from belie.reason.encode import Clause

SOLVER = "g4"            # Glucose 4: phases settable, cores on assumptions
#: Components with more claims than this are read greedily, not by RC2.
EXACT_MAX_VARS = 5_000


# ------------------------------------------------------------------ MUSes


def _minimal_clause_sets(clauses: list[Clause], limit: int) -> list[frozenset[int]]:
    """Inclusion-minimal sets among the clauses' variable sets (no links present)."""
    sets = sorted({frozenset(abs(x) for x in c.lits) for c in clauses}, key=lambda s: (len(s), sorted(s)))
    kept: list[frozenset[int]] = []
    by_min: dict[int, list[frozenset[int]]] = defaultdict(list)   # kept sets by their least variable
    for s in sets:
        # A kept set inside s has its least variable in s: look in those buckets only.
        if any(k <= s for v in s for k in by_min.get(v, ())):
            continue
        kept.append(s)
        by_min[min(s)].append(s)
        if len(kept) >= limit:
            break
    return kept


def _shrink(oracle: Solver, core: list[int], deadline: float) -> list[int]:
    """Deletion-based shrinking of an unsatisfiable set of assumptions to a MUS."""
    mus = sorted(core)
    i = 0
    while i < len(mus):
        if time.perf_counter() > deadline:
            return mus      # unsatisfiable, maybe not minimal; the caller checks the clock
        test = mus[:i] + mus[i + 1:]
        if not oracle.solve(assumptions=test):
            cset = set(oracle.get_core() or test)
            mus = [x for x in test if x in cset]
        else:
            i += 1
    return mus


def _marco(vars_: list[int], clauses: list[Clause], limit: int, deadline: float) -> tuple[list[frozenset[int]], bool]:
    """MUSes of one component with links; the flag says whether all were found."""
    found: list[frozenset[int]] = []
    with Solver(name=SOLVER, bootstrap_with=[list(c.lits) for c in clauses]) as oracle, \
            Solver(name=SOLVER) as mapper:
        mapper.set_phases(vars_)           # prefer large seeds: MUSes come out early
        while len(found) < limit:
            if time.perf_counter() > deadline:
                return found, False
            if not mapper.solve():
                return found, True
            model = mapper.get_model() or []
            pos = {x for x in model if x > 0}
            seed = [v for v in vars_ if v in pos or v > len(model)]
            if not oracle.solve(assumptions=seed):
                mus = _shrink(oracle, oracle.get_core() or seed, deadline)
                if time.perf_counter() > deadline:
                    return found, False
                found.append(frozenset(mus))
                mapper.add_clause([-v for v in mus])
            else:
                # Grow to a maximal satisfiable subset, then block every subset of it.
                m = set(x for x in (oracle.get_model() or []) if x > 0)
                mss = set(seed) | {v for v in vars_ if v in m}
                for v in vars_:
                    if v not in mss and oracle.solve(assumptions=sorted(mss | {v})):
                        mss.add(v)
                rest = [v for v in vars_ if v not in mss]
                if not rest:
                    return found, True
                mapper.add_clause(rest)
    return found, False


def minimal_sets(components, *, limit: int, deadline: float) -> tuple[list[frozenset[int]], bool]:
    """MUSes of every component (up to `limit` each), and whether the list is complete."""
    out: list[frozenset[int]] = []
    complete = True
    for vars_, clauses in components:
        if all(c.link is None for c in clauses):
            sets = _minimal_clause_sets(clauses, limit + 1)
            if len(sets) > limit:
                sets, complete = sets[:limit], False
            out.extend(sets)
            continue
        if time.perf_counter() > deadline:
            complete = False
            continue
        sets, done = _marco(vars_, clauses, limit, deadline)
        out.extend(sets)
        complete = complete and done
    return out, complete


# ------------------------------------------------------------------ the best reading


def _greedy(vars_: list[int], clauses: list[Clause], weight: dict[int, int]) -> set[int]:
    """A cheap reading of a large component: reject claims until every clause holds.

    Rejecting b forces rejecting every a with a link a -> b (their closure upward);
    each step rejects the closure with the least cost per clause it newly satisfies;
    then rejections that turn out unnecessary are undone, dearest first.
    """
    up: dict[int, list[int]] = defaultdict(list)      # b -> [a] for links a -> b
    negs: list[set[int]] = []                          # claim sets of finding clauses
    for c in clauses:
        if c.link is not None:
            a, b = -c.lits[0], c.lits[1]
            up[b].append(a)
        else:
            negs.append({-x for x in c.lits})

    def closure(v: int, rejected: set[int]) -> set[int]:
        out, stack = set(), [v]
        while stack:
            x = stack.pop()
            if x in out or x in rejected:
                continue
            out.add(x)
            stack.extend(up.get(x, ()))
        return out

    rejected: set[int] = set()
    open_ = list(range(len(negs)))
    while open_:
        hits: dict[int, int] = defaultdict(int)
        for i in open_:
            for v in negs[i]:
                hits[v] += 1
        best, best_score, best_set = None, None, None
        for v, h in hits.items():
            cl = closure(v, rejected)
            score = sum(weight[x] for x in cl) / h
            if best_score is None or score < best_score or (score == best_score and v < best):
                best, best_score, best_set = v, score, cl
        rejected |= best_set
        open_ = [i for i in open_ if not (negs[i] & rejected)]
    # Undo what is not needed (a rejected claim can come back when every finding it is in
    # stays broken without it and nothing rejected is implied by it... nor implies it).
    down: dict[int, list[int]] = defaultdict(list)
    for b, as_ in up.items():
        for a in as_:
            down[a].append(b)
    for v in sorted(rejected, key=lambda x: -weight[x]):
        trial = rejected - {v}
        if any(b in trial for b in down.get(v, ())):
            continue                        # v -> b with b rejected: v must stay rejected
        if all(n & trial for n in negs if v in n):
            rejected = trial
    return rejected


def _rc2(comps, weight: dict[int, int]) -> set[int] | None:
    """Exact reading of some components together (one WCNF, variables renumbered 1..n:
    RC2 works over every variable up to the top one).  None if unsolvable."""
    local: dict[int, int] = {}
    w = WCNF()
    for vars_, clauses in comps:
        for v in vars_:
            local[v] = len(local) + 1
        for c in clauses:
            w.append([local[x] if x > 0 else -local[-x] for x in c.lits])
        for v in vars_:
            w.append([local[v]], weight=weight[v])
    with RC2(w) as rc2:
        model = rc2.compute()
    if model is None:               # cannot happen: rejecting every claim satisfies all clauses
        return None
    pos = {x for x in model if x > 0}
    return {v for v, i in local.items() if i not in pos}


#: Small components are handed to RC2 together, up to this many variables a call.
BATCH_VARS = 100


def best_reading(components, weight: dict[int, int], *, exact_max_vars: int | None = None
                 ) -> tuple[set[int], int, bool]:
    """Claims (variables) to reject, the total cost, and whether it is optimal."""
    if exact_max_vars is None:
        exact_max_vars = EXACT_MAX_VARS
    rejected: set[int] = set()
    optimal = True
    batch: list = []
    size = 0

    def flush():
        nonlocal batch, size, optimal
        if batch:
            got = _rc2(batch, weight)
            if got is None:
                got = {v for vars_, _ in batch for v in vars_}
                optimal = False
            rejected.update(got)
        batch, size = [], 0

    for vars_, clauses in components:
        if len(clauses) == 1 and clauses[0].link is None:
            rejected.add(min((-x for x in clauses[0].lits), key=lambda x: (weight[x], x)))
        elif len(vars_) > exact_max_vars:
            rejected |= _greedy(vars_, clauses, weight)
            optimal = False
        elif len(vars_) > BATCH_VARS:
            got = _rc2([(vars_, clauses)], weight)
            if got is None:
                got, optimal = set(vars_), False
            rejected |= got
        else:
            if size + len(vars_) > BATCH_VARS:
                flush()
            batch.append((vars_, clauses))
            size += len(vars_)
    flush()
    cost = sum(weight[v] for v in rejected)
    return rejected, cost, optimal
