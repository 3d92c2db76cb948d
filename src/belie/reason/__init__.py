"""The global view: what the findings mean taken together.

`global_view(case, findings)` returns

* **conflicts** — the smallest sets of claims that cannot all be true (minimal
  unsatisfiable subsets: drop any one claim of a set and the rest can hold), smallest
  first;
* **reading** — the most plausible reading: the claims that must be false, at least
  cost, for all the others to be true, where rejecting a claim costs the weight of
  evidence of its source's kind (a record costs most, a confession least) — or, given
  ``source_weights`` (each source's accuracy estimated by truth discovery,
  `belie.sources.reliability`), the geometric mean of that weight and the accuracy
  (`blend_weight`).

Only *impossible* findings constrain the view (a strained finding can still all be
true; a note asserts nothing).  docs/reasoning.md explains the encoding, the weights
and an example.  `belie.rules.check` calls `global_view` after the rules have run.
"""
from __future__ import annotations

import heapq
import math
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from belie.reason.encode import Clause, Problem, build, positions
from belie.reason.solve import best_reading, minimal_sets

__all__ = ["global_view", "Conflict", "Reading", "claim_weight", "blend_weight", "MAX_CONFLICTS", "TIME_LIMIT"]

#: At most this many conflicts are listed (the smallest first), and the enumeration of
#: minimal sets stops after this many seconds; `Reading.conflicts_complete` says whether
#: the list is all there is.
MAX_CONFLICTS = 200
TIME_LIMIT = 10.0


def claim_weight(w: float) -> int:
    """The integer cost of rejecting a claim whose source kind has weight `w` (0..1).

    ``round(1000 * log(w / (1 - w)))``: the log-odds that the claim is true, so that the
    cheapest reading is the most probable one when claims are independent and each is
    true with probability w.  A kind no more likely true than false (w <= 0.5) would
    cost nothing or less; it gets a token cost of ``round(20 * w)`` instead (press 10,
    confession 6), so a claim is still only rejected when a conflict requires it, and a
    weaker kind is still given up first.  Never below 1.
    """
    w = min(max(float(w), 0.001), 0.999)
    return max(1, round(20 * w), round(1000 * math.log(w / (1 - w))))


def blend_weight(kind_weight: float, accuracy: float | None) -> float:
    """A claim's weight when its source's accuracy has been estimated: the geometric
    mean ``sqrt(kind_weight * accuracy)`` of the kind's weight of evidence and the
    source's estimated accuracy (both read as probabilities that a claim is true).

    Neither alone decides: a record (0.95) found right on everything checked (0.97)
    weighs 0.96; a testimony (0.6) found wrong on most of what was checked (0.2) weighs
    0.35, below a press report (0.5) found reliable (0.9), which weighs 0.67.  The
    geometric mean leans towards the lower of the two, so a source is trusted only as
    far as both its kind and its record allow.  Without an estimate (None) the kind's
    weight is used as it is.
    """
    if accuracy is None:
        return float(kind_weight)
    a = min(max(float(accuracy), 0.0), 1.0)
    return math.sqrt(max(float(kind_weight), 0.0) * a)


@dataclass
class Conflict:
    """A smallest set of claims that cannot all be true.

    ``rules``: the rules whose findings make it contradictory; ``via``: claims outside
    the set that its claims imply (by an entailment link) and through which a finding
    applies to it; ``links``: the entailment links ``[a, b]`` (claim a implies claim b)
    that lead to them, so that a reader can follow the set.
    """

    claims: list[str]
    sources: list[str]
    rules: list[str]
    via: list[str] = field(default_factory=list)
    links: list[list[str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.claims)

    def to_dict(self) -> dict:
        d = asdict(self)
        if not d["via"]:
            del d["via"]
            del d["links"]
        return d


@dataclass
class Reading:
    """The most plausible reading: the claims to reject for the rest to hold together.

    ``rejected`` and ``kept`` hold ``{"claim", "source", "kind", "weight", "cost"}`` for
    each claim that takes part in some conflict (``weight`` the source kind's weight of
    evidence, ``cost`` its integer cost, see `claim_weight`); when the view was given
    source weights, each also holds ``kind_weight`` and ``accuracy`` (None where the
    source's accuracy was not estimated) and ``weight`` is their blend (`blend_weight`);
    ``cost`` is the total cost
    of the rejected claims; ``optimal`` is False when a very large component was read
    greedily; ``components`` counts the independent groups of conflicting claims.
    """

    rejected: list[dict] = field(default_factory=list)
    kept: list[dict] = field(default_factory=list)
    cost: int = 0
    optimal: bool = True
    components: int = 0
    conflicts_complete: bool = True
    links: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def rejected_ids(self) -> list[str]:
        return [r["claim"] for r in self.rejected]


def _claim_info(case, cid: str) -> tuple[str | None, str, float]:
    c = case.claim_by_id.get(cid)
    if c is None:
        return None, "testimony", case.settings.weight("testimony")
    src = case.sources.get(c.source)
    kind = src.kind if src is not None else "testimony"
    return c.source, kind, case.weight(c)


def _accuracy_of(source_weights, src: str | None) -> float | None:
    if source_weights is None or src is None:
        return None
    a = source_weights.get(src)
    return None if a is None else float(a)


def _conflicts(case, pb: Problem, components, order: dict[str, int], *, limit: int, deadline: float
               ) -> tuple[list[Conflict], bool]:
    sets, complete = minimal_sets(components, limit=limit, deadline=deadline)
    # Links a -> b, and the finding clauses of each variable, to name the rules.
    down: dict[int, list[int]] = defaultdict(list)
    by_var: dict[int, list[Clause]] = defaultdict(list)
    for cl in pb.clauses:
        if cl.link is not None:
            down[-cl.lits[0]].append(cl.lits[1])
        else:
            for x in cl.lits:
                by_var[-x].append(cl)
    def pos(v: int):
        name = pb.name(v)
        return (order.get(name, len(order)), name)

    def key(s):
        ps = sorted(pos(v) for v in s)
        return (len(s), [p[0] for p in ps], [p[1] for p in ps])

    if len(sets) > limit:
        sets, complete = heapq.nsmallest(limit, sets, key=key), False
    out: list[Conflict] = []
    for s in sets:
        closure, stack = set(), list(s)
        while stack:
            x = stack.pop()
            if x not in closure:
                closure.add(x)
                stack.extend(down.get(x, ()))
        rules: list[str] = []
        via: set[int] = set()
        seen: set[int] = set()
        for x in closure:
            for cl in by_var.get(x, ()):
                if id(cl) in seen:
                    continue
                seen.add(id(cl))
                vs = {-y for y in cl.lits}
                if vs <= closure:
                    if cl.rule not in rules:
                        rules.append(cl.rule)
                    via |= vs - s
        names = [pb.name(v) for v in sorted(s, key=pos)]
        srcs: list[str] = []
        for n in names:
            src = _claim_info(case, n)[0]
            if src is not None and src not in srcs:
                srcs.append(src)
        links = [[pb.name(a), pb.name(b)] for a in sorted(closure, key=pos) for b in down.get(a, ())
                 if b in via] if via else []
        out.append(Conflict(claims=names, sources=srcs, rules=sorted(rules),
                            via=[pb.name(v) for v in sorted(via, key=pos)], links=links))
    out.sort(key=lambda c: (c.size, [order.get(n, len(order)) for n in c.claims], c.claims))
    return out, complete


def global_view(case, findings, *, max_conflicts: int = MAX_CONFLICTS, time_limit: float = TIME_LIMIT,
                links: bool = True, source_weights=None) -> tuple[list[Conflict], Reading]:
    """The smallest sets of claims that cannot all be true, and the most plausible reading.

    `findings` are the rules' findings (only impossible ones count).  `links` adds the
    entailment links of belie.reason.encode; `max_conflicts` and `time_limit` bound the
    enumeration of minimal sets (the reading is always computed in full).
    `source_weights`: ``{source id: estimated accuracy}`` (e.g.
    ``belie.sources.reliability.case_reliability(case).accuracy``); where given, a
    claim's weight is `blend_weight` of its kind's weight and its source's accuracy
    (sources left out keep their kind's weight).  The conflicts do not depend on it.
    """
    deadline = time.perf_counter() + time_limit
    findings = list(findings)
    pb = build(case, findings, links=links)
    if not pb.clauses:
        return [], Reading()
    components = pb.components()
    order = positions(case, pb.var)
    conflicts, complete = _conflicts(case, pb, components, order, limit=max_conflicts, deadline=deadline)

    weight: dict[int, int] = {}
    info: dict[int, tuple] = {}
    for v, cid in enumerate(pb.claims, start=1):
        src, kind, w = _claim_info(case, cid)
        acc = _accuracy_of(source_weights, src)
        info[v] = (cid, src, kind, blend_weight(w, acc), w, acc)
        weight[v] = claim_weight(info[v][3])
    rejected, cost, optimal = best_reading(components, weight)

    def row(v: int) -> dict:
        cid, src, kind, w, kind_w, acc = info[v]
        out = {"claim": cid, "source": src, "kind": kind, "weight": w, "cost": weight[v]}
        if source_weights is not None:
            out["kind_weight"] = kind_w
            out["accuracy"] = acc
        return out

    in_comp = sorted((v for vars_, _ in components for v in vars_),
                     key=lambda v: (order.get(info[v][0], len(order)), info[v][0]))
    reading = Reading(
        rejected=[row(v) for v in in_comp if v in rejected],
        kept=[row(v) for v in in_comp if v not in rejected],
        cost=cost, optimal=optimal, components=len(components),
        conflicts_complete=complete and pb.links_complete,
        links=sum(1 for c in pb.clauses if c.link is not None),
    )
    return conflicts, reading
