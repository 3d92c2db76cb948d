"""From findings to propositional logic: one boolean per claim ("the claim is true").

Two sorts of hard clause, both sound:

* every *impossible* finding says its claims cannot all be true:
  ``(not c1) or (not c2) or ...``;
* an *entailment link* ``a -> b`` where what claim a says implies what claim b says
  (whoever said them): a stay inside a stay, a meeting that puts a participant at a
  place, two claims of identical content.  Links only ever add consequences that
  follow from the claims' own words, so no conflict is invented; they make the global
  view see that rejecting a claim while keeping one that implies it is no reading at all.

Only claims touched by impossible findings (and the claims that entail them) enter the
solver, and connected components — claims tied by some clause — are solved separately.
"""
from __future__ import annotations

import time
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from belie.model.case import Case
from belie.model.claims import Claim

#: Claim kinds whose content is a person at a place at some moment (or throughout).
STAY_KINDS = ("presence", "meeting")
#: Comparisons spent looking for entailment links before giving up (the view stays
#: sound without them; `Problem.links_complete` says whether all were looked for).
LINK_BUDGET = 3_000_000


@dataclass
class Clause:
    lits: tuple[int, ...]
    rule: str | None = None          # the finding's rule, or None for a link
    finding: int | None = None       # index of the finding in the list given
    link: tuple[str, str] | None = None   # (a, b): claim a entails claim b


@dataclass
class Problem:
    claims: list[str] = field(default_factory=list)    # variable i+1 <-> claims[i]
    var: dict[str, int] = field(default_factory=dict)
    clauses: list[Clause] = field(default_factory=list)
    links_complete: bool = True

    def add_claim(self, cid: str) -> int:
        v = self.var.get(cid)
        if v is None:
            self.claims.append(cid)
            v = self.var[cid] = len(self.claims)
        return v

    def name(self, lit: int) -> str:
        return self.claims[abs(lit) - 1]

    def components(self) -> list[tuple[list[int], list[Clause]]]:
        """Variables and clauses of each connected component, largest problem last."""
        parent = list(range(len(self.claims) + 1))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for cl in self.clauses:
            r0 = find(abs(cl.lits[0]))
            for lit in cl.lits[1:]:
                r = find(abs(lit))
                if r != r0:
                    parent[r] = r0
        vars_by: dict[int, list[int]] = defaultdict(list)
        for v in range(1, len(self.claims) + 1):
            vars_by[find(v)].append(v)
        cls_by: dict[int, list[Clause]] = defaultdict(list)
        for cl in self.clauses:
            cls_by[find(abs(cl.lits[0]))].append(cl)
        comps = [(vars_by[r], cls_by[r]) for r in vars_by if cls_by.get(r)]
        comps.sort(key=lambda vc: (len(vc[0]), vc[0][0]))
        return comps


def positions(case: Case, wanted) -> dict[str, int]:
    """The position in ``case.claims`` of each claim id in ``wanted`` (those of the case).

    Read from the keys of ``case.claim_by_id`` (in the case's order when the ids are
    unique, as the loader makes them), which does not touch the claims themselves: on a
    case of a million claims that is several times cheaper than a pass over them."""
    by_id = case.claim_by_id
    if len(by_id) != len(case.claims):          # repeated ids: the last one counts
        return {c.id: i for i, c in enumerate(case.claims) if c.id in wanted}
    return {cid: i for i, cid in enumerate(by_id) if cid in wanted}


# ------------------------------------------------------------------ building


def build(case: Case, findings, *, links: bool = True, budget: int = LINK_BUDGET) -> Problem:
    """The problem for the impossible findings among `findings`."""
    pb = Problem()
    for i, f in enumerate(findings):
        if f.severity != "impossible" or not f.claims:
            continue
        lits = []
        for cid in dict.fromkeys(f.claims):
            lits.append(-pb.add_claim(cid))
        pb.clauses.append(Clause(tuple(lits), rule=f.rule, finding=i))
    if links and pb.claims:
        _links(case, pb, budget)
    return pb


def _content_key(c: Claim) -> tuple | None:
    """What a claim says, whoever says it (None for kinds compared otherwise)."""
    if c.kind in STAY_KINDS:
        return None
    when = (c.when.lo, c.when.hi) if c.when is not None else None
    text = " ".join((c.text or "").casefold().split()).strip(" .!?;:") if c.kind == "statement" else None
    people = tuple(sorted(c.people)) if c.kind == "stance" else tuple(c.people)
    return (c.kind, c.denies, people, c.where, c.origin, c.destination, c.by, c.scope,
            tuple(sorted(c.lists)), c.reg_to, c.reg_from, c.serving, c.stance, text, when,
            c.throughout)


def _links(case: Case, pb: Problem, budget: int) -> None:
    """Add a link a -> b for every claim a whose content implies that of a touched claim b.

    Stays (presence, meeting; neither denied): a's people include b's (a meeting for a
    meeting), b's place is a's or contains it, and in time: b throughout -> a throughout
    a period containing b's; b at some moment -> a throughout a period meeting b's, or a
    at some moment within b's.  Any other kind: identical content (`_content_key`).
    One hop suffices, as both relations are transitive.
    """
    by_id = case.claim_by_id
    touched = [by_id[c] for c in pb.claims if c in by_id]
    deadline = time.perf_counter() + 30.0
    seen: set[tuple[str, str]] = set()
    new: list[tuple[str, str]] = []

    # Identical content: a claim and every other claim saying the same thing.
    keys: set[tuple] = set()
    for c in touched:
        k = _content_key(c)
        if k is not None:
            keys.add(k)
    key_kinds = {k[0] for k in keys}
    # Stays: the touched stays of each person, by start day, as plain tuples.
    stays_by: dict[str, list[tuple]] = defaultdict(list)
    for c in touched:
        if c.kind in STAY_KINDS and not c.denies and c.when is not None and c.where and c.people:
            stays_by[c.people[0]].append((c.when.lo, c.when.hi, c.throughout, c.where, c.kind,
                                          frozenset(c.people), c.id))
    starts: dict[str, list[int]] = {}
    for p, lst in stays_by.items():
        lst.sort(key=lambda t: t[0])
        starts[p] = [t[0] for t in lst]

    same: dict[tuple, list[Claim]] = defaultdict(list)
    places = case.places if stays_by else None
    within: dict[str, set[str]] = {}          # a place and every place containing it
    spent = 0
    # What every claim is first compared on, cheaply: its kind and people (the full
    # content key is computed only for claims that share them with a touched claim).
    pre = {(k[0], k[2]) for k in keys}
    for a in case.claims:
        kind = a.kind
        if kind in key_kinds:
            if (kind, tuple(sorted(a.people)) if kind == "stance" else a.people) in pre:
                k = _content_key(a)
                if k in keys:
                    same[k].append(a)
            continue
        if not stays_by or kind not in STAY_KINDS or stays_by.keys().isdisjoint(a.people) \
                or a.denies or a.when is None or not a.where:
            continue
        al, ah, athr, aw = a.when.lo, a.when.hi, a.throughout, a.where
        anc = within.get(aw)
        if anc is None:
            anc = within[aw] = {aw, *places.ancestors(aw)}
        for p in a.people:
            lst = stays_by.get(p)
            if lst is None:
                continue
            # Every entailment needs the two dates to overlap: b must start by a's end.
            n = bisect_right(starts[p], ah)
            spent += n
            for i in range(n):
                bl, bh, bthr, bw, bkind, bpeople, bid = lst[i]
                if bh < al or bw not in anc or bid == a.id:
                    continue
                if bthr:
                    if not (athr and al <= bl and bh <= ah):
                        continue
                elif not athr and not (bl <= al and ah <= bh):
                    continue
                if bkind == "meeting" and (kind != "meeting" or not bpeople <= set(a.people)):
                    continue
                if (a.id, bid) not in seen:
                    seen.add((a.id, bid))
                    new.append((a.id, bid))
        if spent > budget or time.perf_counter() > deadline:
            pb.links_complete = False
            break
    for k, group in same.items():
        if len(group) < 2:
            continue
        ids = list(dict.fromkeys(c.id for c in group))
        for x, y in zip(ids, ids[1:] + ids[:1]):       # a cycle of implications: all equivalent
            if x != y and (x, y) not in seen:
                seen.add((x, y))
                new.append((x, y))
    for x, y in new:
        pb.clauses.append(Clause((-pb.add_claim(x), pb.add_claim(y)), link=(x, y)))
