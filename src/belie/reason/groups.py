"""Findings grouped by the conflict they share, strongest first.

One false story makes many findings: an alleged meeting contradicted by a register, by
each of two alibis and by a denial gives a finding for every pair.  A reader wants the
story once, with its strongest finding on top.  A *group* is one underlying conflict:

* the *impossible* findings whose claims are tied together -- by a finding, or by a
  smallest conflicting set and the implied claims (``via``) it goes through -- form one
  group (a connected component of the global view, `belie.reason.encode.Problem`);
* a strained finding or a note joins the group with which it shares most claims;
* the findings left (touching no impossible group) are grouped by the claims they share.

Within a group the strongest finding comes first: impossible before strained before
note, then the one with the heaviest evidence that the most plausible reading keeps (a
record against the story outweighs a testimony against it), then the one whose weakest
claim weighs most, then the one with fewer claims.  Groups
come impossible first, then by how many findings they hold.  No finding is dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from belie.reason.encode import Clause, Problem, positions
from belie.rules.base import SEVERITY_RANK

__all__ = ["Group", "group_findings", "key_findings"]


@dataclass
class Group:
    """One underlying conflict: its findings (strongest first) and the claims they involve.

    ``claims``: every claim of its findings, in the case's order; ``rejected``: those
    the most plausible reading gives up; ``conflicts``: positions (from 0) in the check's
    list of smallest conflicting sets of the sets that belong to this group.
    """

    findings: list = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    conflicts: list[int] = field(default_factory=list)
    #: whether the group holds an impossible finding (kept when its findings are filtered)
    is_conflict: bool = False

    def __post_init__(self):
        self.is_conflict = self.is_conflict or any(f.severity == "impossible" for f in self.findings)

    @property
    def strongest(self):
        return self.findings[0]

    @property
    def severity(self) -> str:
        return self.findings[0].severity

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITY_RANK}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def to_dict(self, index: dict[int, int]) -> dict:
        """JSON form; ``index`` maps ``id(finding)`` to its position in the findings list."""
        return {"severity": self.severity, "findings": [index[id(f)] for f in self.findings],
                "claims": list(self.claims), "rejected": list(self.rejected),
                "conflicts": list(self.conflicts)}


def _components(claim_sets: list[list[str]]) -> list[set[str]]:
    """Claims tied by sharing a set, as connected components (one union-find: Problem's)."""
    pb = Problem()
    for ids in claim_sets:
        ids = list(dict.fromkeys(ids))
        if ids:
            pb.clauses.append(Clause(tuple(-pb.add_claim(c) for c in ids)))
    return [{pb.name(v) for v in vars_} for vars_, _ in pb.components()]


def group_findings(case, findings, conflicts=(), reading=None) -> list[Group]:
    """The findings grouped by underlying conflict, strongest first (see the module)."""
    findings = list(findings)
    # Positions and weights only of the claims the findings name (a large case has a
    # million claims and a few thousand in findings).
    named = {c for f in findings for c in f.claims}
    order = positions(case, named)
    missing = len(case.claim_by_id)            # after every claim of the case
    by_id = case.claim_by_id
    by_source: dict[str, float] = {}            # a claim's weight is its source's
    weights: dict[str, float] = {}
    for cid in order:
        c = by_id[cid]
        w = by_source.get(c.source)
        if w is None:
            w = by_source[c.source] = float(case.weight(c))
        weights[cid] = w

    rejected = [r["claim"] if isinstance(r, dict) else r for r in (
        (reading.rejected if hasattr(reading, "rejected") else (reading or {}).get("rejected", []))
        if reading is not None else [])]
    given_up = set(rejected)
    strengths: dict[int, tuple] = {}

    def strength(pos_f):
        pos, f = pos_f
        got = strengths.get(pos)
        if got is None:
            ws = [weights.get(c, 0.0) for c in f.claims]
            held = max((w for c, w in zip(f.claims, ws) if c not in given_up), default=0.0)
            got = strengths[pos] = (SEVERITY_RANK[f.severity], -held, -min(ws, default=0.0), len(f.claims), pos)
        return got

    conflicts = list(conflicts or [])
    tied = [list(f.claims) for f in findings if f.severity == "impossible"]
    tied += [list(k.claims) + list(getattr(k, "via", []) or []) for k in conflicts]
    comps = _components(tied)
    comp_of = {c: i for i, comp in enumerate(comps) for c in comp}
    members: list[list[tuple[int, object]]] = [[] for _ in comps]
    rest: list[tuple[int, object]] = []
    get = comp_of.get
    for pos, f in enumerate(findings):
        hits: dict[int, int] = {}
        for c in f.claims:
            g = get(c)
            if g is not None:
                hits[g] = hits.get(g, 0) + 1
        if hits:
            # the group sharing most claims; of equals, the first
            members[max(hits, key=lambda g: (hits[g], -g))].append((pos, f))
        else:
            rest.append((pos, f))
    # The findings left: tied by the claims they share; a finding without claims alone.
    rest_comps = _components([list(f.claims) for _, f in rest])
    rest_of = {c: i for i, comp in enumerate(rest_comps) for c in comp}
    extra: dict[object, list] = {}
    for pos, f in rest:
        key = rest_of[f.claims[0]] if f.claims else ("alone", pos)
        extra.setdefault(key, []).append((pos, f))
    members += list(extra.values())

    # Each smallest set lies within one component: its group is that of its first claim.
    sets_of: dict[int, list[int]] = {}
    for i, k in enumerate(conflicts):
        if k.claims and k.claims[0] in comp_of:
            sets_of.setdefault(comp_of[k.claims[0]], []).append(i)
    # The claims the reading gives up, by the group that holds them (in the reading's order).
    group_of: dict[str, list[int]] = {}
    for gi, m in enumerate(members):
        for _, f in m:
            for c in f.claims:
                got = group_of.setdefault(c, [])
                if not got or got[-1] != gi:
                    got.append(gi)
    rejected_in: dict[int, list[str]] = {}
    for r in rejected:
        for gi in group_of.get(r, ()):
            rejected_in.setdefault(gi, []).append(r)
    groups: list[Group] = []
    for gi, m in enumerate(members):
        if not m:
            continue
        m.sort(key=strength)
        claims = sorted({c for _, f in m for c in f.claims}, key=lambda c: (order.get(c, missing), c))
        g = Group(findings=[f for _, f in m], claims=claims,
                  rejected=rejected_in.get(gi, []), conflicts=sets_of.get(gi, []))
        groups.append((strength(m[0]), g))
    groups.sort(key=lambda sg: (sg[0][0], -sum(1 for f in sg[1].findings if f.severity == "impossible"),
                                -len(sg[1].findings), sg[0][4]))
    return [g for _, g in groups]


def key_findings(groups: list[Group], limit: int = 8) -> list[tuple[int, object]]:
    """The few findings that carry the verdict, as (position of the group, finding).

    First the strongest finding of each conflict that holds an impossible finding (or,
    with none, a strained one); then, while ``limit`` allows, for each claim the reading
    gives up that none of those involves, the strongest impossible finding that does.
    In the order of the groups.
    """
    top = [i for i, g in enumerate(groups) if g.severity == "impossible"] or \
          [i for i, g in enumerate(groups) if g.severity == "strained"]
    chosen: dict[int, list] = {i: [groups[i].strongest] for i in top[:limit]}
    n = len(chosen)
    for i in list(chosen):
        g = groups[i]
        for cid in g.rejected:
            if n >= limit:
                break
            if any(cid in f.claims for f in chosen[i]):
                continue
            f = next((f for f in g.findings if f.severity == "impossible" and cid in f.claims), None)
            if f is not None:
                chosen[i].append(f)
                n += 1
    return [(i, f) for i in sorted(chosen) for f in chosen[i]]
