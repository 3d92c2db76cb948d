"""`belie check` on a Dask cluster: the rules and the global view per independent part.

A rule looks at claims together only where something ties them: one person's
whereabouts, one event, one speaker, one voice, one register's scope.  Each rule (or
pair of rules that share one engine) is given here a *linking*: the keys under which
it can read two claims together.  Claims that share a key, directly or through others,
form a component (the project's one union-find: `belie.reason.encode.Problem`); a
rule run on a union of whole components finds exactly what it finds on the whole
case, restricted to those components.  Components are packed into partitions of about
equal size; each partition is one task on the cluster, which runs `belie.check` with
only that rule over a case holding only that partition's claims (and every entity,
source and setting of the case).  The findings are merged and sorted as `belie.check`
sorts them.

The global view (`belie.reason.global_view`) then runs per partition of the claims
tied by the impossible findings and by what can entail them (one person's stays; two
claims of identical content), and its parts are merged: the smallest conflicting
sets in the order `global_view` gives them, at most `MAX_CONFLICTS` of them; the
reading's rows in the case's order, its costs and counts summed.  The grouping of the
findings (`belie.reason.groups`) runs once, on the client, over the claims the
findings name.

docs/scale.md ("Check") states, rule by rule, what links claims, and what can make
the partitioned run differ from the single-process one (only budgets and time limits
that the single-process run itself reports as reached).
"""
from __future__ import annotations

import os
import resource
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from belie.errors import UnknownRule
from belie.model.case import Case

__all__ = ["check_on_cluster", "LINKINGS", "partition", "components", "PartitionCost"]


# ------------------------------------------------------------------ the linkings


def _stay_people(c, movers) -> list[str]:
    """The people a claim places somewhere (as `Context.stays` reads it), movers only for a meeting."""
    if c.denies or c.when is None:
        return []
    if c.kind == "presence" and c.where and c.people:
        return [c.people[0]]
    if c.kind == "meeting" and c.where:
        return [p for p in c.people if p in movers]
    if c.kind == "travel" and c.people and (c.origin or c.destination):
        return [c.people[0]]
    return []


def _stay_places(c) -> list[str]:
    if c.kind == "travel":
        return [p for p in (c.origin, c.destination) if p]
    return [c.where] if c.where else []


@dataclass
class Linking:
    """How one rule (or rules sharing an engine) may read claims together.

    ``prepare(case)`` returns what ``keys`` needs from the whole case (computed once, by
    the task that finds the rule's components); ``reads(claim)`` whether the rule looks at the claim at all (claims it
    never reads are left out of its partitions); ``keys(prep, claim)`` the link keys of
    a claim; ``everywhere(claim)`` claims that every partition of the rule needs (read
    by all, found by none on their own: the stances of shifting-accusation).
    """

    rules: tuple[str, ...]
    prepare: Callable
    reads: Callable
    keys: Callable
    everywhere: Callable = staticmethod(lambda c: False)


def _movers(case):
    from belie.model.schema import ONE_PLACE_TYPES

    return frozenset(eid for eid, e in case.entities.items() if e.type in ONE_PLACE_TYPES)


def _whereabouts_keys(movers, c):
    return [("person", p) for p in _stay_people(c, movers)]


def _register_prepare(case):
    keys = set()
    for r in case.claims:
        if r.kind != "register" or r.denies or r.when is None:
            continue
        keys.update(_register_own_keys(r))
    places = case.places
    up: dict[str, list[str]] = {}

    def within(p: str) -> list[str]:
        got = up.get(p)
        if got is None:
            got = up[p] = [p, *places.ancestors(p)]
        return got

    return _movers(case), within, keys


def _register_own_keys(r) -> list[tuple]:
    if r.scope in ("arrivals", "departures", "present"):
        return [("reg", r.scope, r.where)] if r.where else []
    if r.scope == "messages":
        out = []
        if r.reg_to:
            out.append(("reg-to", r.reg_to))
        if r.reg_from:
            out.append(("reg-from", r.reg_from))
        return out
    return []


def _register_keys(prep, c):
    movers, up, regs = prep
    if not regs:
        return []
    if c.kind == "register":
        return _register_own_keys(c) if not c.denies and c.when is not None else []
    out = []
    if c.denies or c.when is None:
        return out
    if c.kind == "travel":
        if c.destination:
            out += [("reg", "arrivals", at) for at in up(c.destination)]
        if c.origin:
            out += [("reg", "departures", at) for at in up(c.origin)]
    elif c.kind == "message" and len(c.people) == 2:
        out += [("reg-to", c.people[1]), ("reg-from", c.people[0])]
    if any(p in movers for p in _stay_people(c, movers)):
        for place in _stay_places(c):
            out += [("reg", "present", at) for at in up(place)]
    return [k for k in out if k in regs]


def _nonexistent_prepare(case):
    return {c.people[0] for c in case.claims if c.kind == "existed" and c.people and c.when is not None}


def _nonexistent_keys(lived, c):
    from belie.rules.nonexistent import involved

    if c.kind == "existed":
        return [("entity", c.people[0])] if c.people and c.when is not None else []
    if c.denies or c.when is None:
        return []
    return [("entity", eid) for eid, _ in involved(c) if eid is not None and eid in lived]


def _assertion_keys(c):
    from belie.rules.accounts import _norm_text

    keys = c.people if c.kind == "meeting" else (c.people[:1] if c.people else (_norm_text(c.text),))
    return [(c.kind, p) for p in keys]


def _denials_prepare(case):
    from belie.rules.accounts import DENIABLE_KINDS, _denial_keys

    return {k for d in case.claims if d.denies and d.kind in DENIABLE_KINDS for k in _denial_keys(d)}


def _denial_links(wanted, c) -> list[tuple]:
    from belie.rules.accounts import DENIABLE_KINDS, _denial_keys

    if c.kind not in DENIABLE_KINDS:
        return []
    if c.denies:
        return [("deny", k) for k in _denial_keys(c)]
    return [("deny", k) for k in _assertion_keys(c) if k in wanted]


def _accounts_keys(wanted, c):
    out = [("event", c.event)] if c.event is not None else []
    return out + _denial_links(wanted, c)


def _self_keys(case, c):
    # Every claim of one speaker can be compared: denial pairs and stays are both read per speaker.
    return [("speaker", case.speaker(c))]


def _shifting_keys(case, c):
    from belie.rules.shifting_accusation import voice_of

    if c.kind == "accusation" and not c.denies and c.serving and c.people:
        return [("voice", voice_of(case, c))]
    return []


def _uncorroborated_keys(_, c):
    from belie.rules.uncorroborated import _keys

    out = [("event", c.event)] if c.event is not None else []
    return out + [("corroborates", k) for k in _keys(c)]


def _reads_deniable(c):
    from belie.rules.accounts import DENIABLE_KINDS

    return c.kind in DENIABLE_KINDS


def _none(case):
    return None


#: Rule names -> how their claims link (docs/scale.md, "Check", says why, rule by rule).
#: A rule missing here (a new one) is run over the whole case as one partition.
LINKINGS: list[Linking] = [
    Linking(("alibi", "impossible-travel"), _movers,
            lambda c: c.kind in ("presence", "meeting", "travel"), _whereabouts_keys),
    Linking(("register",), _register_prepare,
            lambda c: c.kind in ("register", "presence", "meeting", "travel", "message"), _register_keys),
    Linking(("nonexistent",), _nonexistent_prepare,
            lambda c: c.kind in ("existed", "presence", "meeting", "travel", "message", "accusation"),
            _nonexistent_keys),
    Linking(("conflicting-accounts",), _denials_prepare,
            lambda c: c.event is not None or _reads_deniable(c), _accounts_keys),
    Linking(("self-contradiction",), lambda case: case, _reads_deniable, _self_keys),
    Linking(("shifting-accusation",), lambda case: case,
            lambda c: c.kind in ("accusation", "stance"), _shifting_keys,
            everywhere=lambda c: c.kind == "stance"),
    Linking(("uncorroborated",), _none, lambda c: True, _uncorroborated_keys),
    Linking(("escalation",), _none, lambda c: not c.denies and (c.kind == "statement" or bool(c.quote)),
            lambda _, c: [("texts",)]),
    Linking(("anachronism",), _none, lambda c: True, lambda _, c: []),
]


def _whole(rule: str) -> Linking:
    return Linking((rule,), _none, lambda c: True, lambda _, c: [("whole",)])


# ------------------------------------------------------------------ components


def components(items: Iterable[tuple[object, Iterable]]) -> list[list]:
    """Connected components of items (``(item, keys)``, each item once) tied by sharing a
    key, through `belie.reason.encode.Problem` (the project's one union-find).  Each
    component's items ascending; components in order of their first item.  An item
    without keys is a component by itself."""
    from belie.reason.encode import Clause, Problem

    pb = Problem()
    names, var, clauses = pb.claims, pb.var, pb.clauses
    out = []
    for item, keys in items:
        if not keys:
            out.append([item])
            continue
        names.append(("i", item))
        lits = [len(names)]
        for k in keys:
            kk = ("k", k)
            kv = var.get(kk)
            if kv is None:
                names.append(kk)
                kv = var[kk] = len(names)
            lits.append(kv)
        clauses.append(Clause(tuple(lits)))
    for vars_, _ in pb.components():
        ids = sorted(names[v - 1][1] for v in vars_ if names[v - 1][0] == "i")
        if ids:
            out.append(ids)
    out.sort(key=lambda ids: ids[0])
    return out


def partition(comps: list[list[int]], n: int) -> list[list[int]]:
    """Pack components into at most `n` partitions of about equal size (largest first,
    each into the lightest partition); each partition's indices ascending."""
    import heapq

    n = max(1, min(n, len(comps)))
    heap = [(0, k) for k in range(n)]
    parts: list[list[int]] = [[] for _ in range(n)]
    for comp in sorted(comps, key=lambda c: (-len(c), c[0])):
        size, k = heapq.heappop(heap)
        parts[k].extend(comp)
        heapq.heappush(heap, (size + len(comp), k))
    return [sorted(p) for p in parts if p]


# ------------------------------------------------------------------ on the workers


@dataclass
class _Base:
    """What every partition's case shares: all but the claims."""
    token: str
    name: str
    entities: dict
    sources: dict
    settings: object
    root: object
    description: str | None


_PLACES: dict[str, object] = {}      # per worker process: the PlaceIndex of each base, built once


def _sub_case(base: _Base, claims) -> Case:
    case = Case(name=base.name, entities=base.entities, sources=base.sources, claims=list(claims),
                settings=base.settings, root=base.root, description=base.description)
    places = _PLACES.get(base.token)
    if places is None:
        _PLACES.clear()
        places = _PLACES[base.token] = case.places
    case.__dict__["places"] = places
    return case


@dataclass
class PartitionCost:
    """What one task cost on its worker (for docs/benchmarks.md's projection)."""
    step: str
    rules: tuple
    claims: int
    cpu_s: float
    wall_s: float
    worker_peak_rss_mib: float
    pid: int


def _peak_rss_mib() -> float:
    """The worker process's own peak resident memory (VmHWM; ru_maxrss would carry the
    size of the process it was forked from across exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _cost(step, rules, n, t0, c0) -> PartitionCost:
    return PartitionCost(step, tuple(rules), n, round(time.process_time() - c0, 4),
                         round(time.perf_counter() - t0, 4), _peak_rss_mib(), os.getpid())


#: Claims are sent to the cluster once, in chunks of this many (in the case's order);
#: a task names the chunks it needs and the claims it takes from each.
CHUNK = 20_000


def _pick(chunks, idx: list[int]):
    """(the chunks a task needs, the offsets it takes from each) for sorted claim indices."""
    import numpy as np

    a = np.asarray(idx, dtype=np.int64)
    which = a // CHUNK
    cut = np.flatnonzero(np.diff(which)) + 1
    groups = np.split(a, cut) if len(a) else []
    return [chunks[int(g[0] // CHUNK)] for g in groups], [(g % CHUNK).astype(np.int32) for g in groups]


def _same(x):
    return x


def _claims_of(picked) -> list:
    chunks, offsets = picked
    return [chunk[j] for chunk, offs in zip(chunks, offsets) for j in offs.tolist()]


def _whole_case(base: _Base, chunks) -> Case:
    return _sub_case(base, [c for ch in chunks for c in ch])


def _plan(base: _Base, chunks, chosen: list[str], k: int, n: int):
    """On a worker: the partitions of the k-th linking of the chosen rules (claim indices)."""
    t0, c0 = time.perf_counter(), time.process_time()
    case = _whole_case(base, chunks)
    lk = _linkings(chosen)[k]
    run = ClusterRun()
    parts = _partitions_for(case, lk, n, run)
    return parts, run.largest[lk.rules], _cost("plan", lk.rules, len(case.claims), t0, c0)


def _reason_items(chunk, start: int, touched: set, touched_keys: set):
    """On a worker: (index, keys) of the claims of a chunk that the global view may link."""
    out = []
    for i, c in enumerate(chunk, start):
        ks = [k for k in _reason_keys(c) if k in touched_keys]
        if ks or c.id in touched:
            out.append((("c", i), ks + [("claim", c.id)]))
    return out


def _run_rules(base: _Base, rules: tuple, picked, hook=None):
    """One partition: the rules over its claims.  Returns plain data."""
    claims = _claims_of(picked)
    if hook is not None:
        hook(("rules", rules, claims[0].id if claims else None))
    import belie

    t0, c0 = time.perf_counter(), time.process_time()
    res = belie.check(_sub_case(base, claims), rules=list(rules), reason=False)
    return (res.findings, res.stats.get("seconds_by_rule", {}), res.stats.get("skipped"),
            _cost("rules", rules, len(claims), t0, c0))


def _run_reason(base: _Base, picked, positions: list[int], findings: list, weights, hook=None):
    """One partition of the global view: its smallest conflicting sets, the rows of its
    reading (each claim's weight and cost), and its problem in claim ids, with each link's
    place in the order the whole case's problem would add it (see `_reason_on_cluster`)."""
    claims = _claims_of(picked)
    if hook is not None:
        hook(("reason", (), claims[0].id if claims else None))
    from belie.reason import global_view
    from belie.reason.encode import STAY_KINDS, _content_key, build

    t0, c0 = time.perf_counter(), time.process_time()
    case = _sub_case(base, claims)
    if weights is None:
        conflicts, reading = global_view(case, findings)
    else:
        conflicts, reading = global_view(case, findings, source_weights=weights)
    pb = build(case, findings)
    pos = dict(zip((c.id for c in claims), positions))
    by_id = case.claim_by_id
    first_of: dict = {}
    for c in claims:
        if c.kind not in STAY_KINDS:
            first_of.setdefault(_content_key(c), pos[c.id])
    comps = []
    links = []
    for vars_, clauses in pb.components():
        cls = []
        for cl in clauses:
            lits = tuple((1 if x > 0 else -1, pb.name(x)) for x in cl.lits)
            cls.append((lits, cl.rule, cl.link))
            if cl.link is not None:
                x = by_id[cl.link[0]]
                key = (0, pos[x.id]) if x.kind in STAY_KINDS else (1, first_of[_content_key(x)])
                links.append((key, cl.link))
        comps.append(([pb.name(v) for v in vars_], cls))
    # Links in the order build() added them here (a sub-sequence of the whole case's order).
    order = {cl.link: k for k, cl in enumerate(pb.clauses) if cl.link is not None}
    links.sort(key=lambda kl: order[kl[1]])
    links = [(key, k, link) for k, (key, link) in enumerate(links)]
    rows = reading.rejected + reading.kept
    return conflicts, reading, rows, comps, links, _cost("reason", (), len(claims), t0, c0)


def _solve(components, weight):
    from belie.reason.solve import best_reading

    return best_reading(components, weight)


# ------------------------------------------------------------------ on the client


@dataclass
class ClusterRun:
    """Costs of one partitioned check, for the benchmark."""
    costs: list[PartitionCost] = field(default_factory=list)
    partitions: dict = field(default_factory=dict)     # rules -> [claims per partition]
    largest: dict = field(default_factory=dict)        # rules -> claims in the largest component
    seconds: dict = field(default_factory=dict)         # client-side steps


def _linkings(chosen: list[str]) -> list[Linking]:
    out, covered = [], set()
    for lk in LINKINGS:
        rules = tuple(r for r in lk.rules if r in chosen)
        if rules:
            out.append(Linking(rules, lk.prepare, lk.reads, lk.keys, lk.everywhere))
            covered.update(rules)
    out += [_whole(r) for r in chosen if r not in covered]
    return out


def _partitions_for(case, lk: Linking, n: int, run: ClusterRun | None = None) -> list[list[int]]:
    prep = lk.prepare(case)
    everywhere: list[int] = []
    items = []
    for i, c in enumerate(case.claims):
        if not lk.reads(c):
            continue
        if lk.everywhere(c):
            everywhere.append(i)
            continue
        items.append((i, lk.keys(prep, c)))
    comps = components(items)
    if run is not None:
        run.largest[lk.rules] = max((len(c) for c in comps), default=0) + len(everywhere)
    parts = partition(comps, n)
    if everywhere:
        parts = [sorted(set(p) | set(everywhere)) for p in parts] or [everywhere]
    return parts


def _reason_keys(c) -> list[tuple]:
    from belie.reason.encode import STAY_KINDS, _content_key

    if c.kind in STAY_KINDS:
        return [("person", p) for p in c.people]
    return [("content", _content_key(c))]


def check_on_cluster(case: Case, client, *, rules: list[str] | None = None, reason: bool = True,
                     reliability: bool | str = False, partitions: int | None = None,
                     hook=None, run: ClusterRun | None = None):
    """`belie.check(case, ...)` computed on the Dask cluster of `client`; the same result.

    ``partitions``: how many partitions per rule (default: four per worker, and at least
    one per 50,000 claims).  ``hook``: called on the worker at the start of every task
    with ``(step, rules, first claim id)`` (the tests use it to kill a worker); ``run``:
    filled with each task's cost.
    """
    from belie.rules import add_reliability, all_rules, merge_findings

    run = run if run is not None else ClusterRun()
    chosen = [r.name for r in all_rules()]
    if rules:
        unknown = set(rules) - set(chosen)
        if unknown:
            raise UnknownRule(unknown)
        chosen = [r for r in chosen if r in rules]
    if partitions is None:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        partitions = max(4 * workers, -(-len(case.claims) // 50_000))
    claims = case.claims
    t0 = time.perf_counter()
    base = _Base(uuid.uuid4().hex, case.name, case.entities, case.sources, case.settings, case.root,
                 case.description)
    # As tasks, not scattered data: the scheduler keeps them, so that a worker lost
    # with its copy is not the end of the run (they are made again elsewhere).
    base_f = client.submit(_same, base, pure=False)
    chunk_f = [client.submit(_same, claims[k:k + CHUNK], pure=False) for k in range(0, len(claims), CHUNK)]

    run.seconds["scatter"] = round(time.perf_counter() - t0, 4)
    # 1. The rules, each over its own partitions (a task names its claims by chunk and
    # offset; a few tasks are in flight at a time).
    t0 = time.perf_counter()
    workers = max(1, len(client.scheduler_info().get("workers", {})))

    # Each rule's components are found on a worker (all of them at once, in parallel).
    linkings = _linkings(chosen)
    planned = _bounded(client, ((_plan, (base_f, chunk_f, chosen, k, partitions))
                                for k in range(len(linkings))), max(2 * workers, len(linkings)))
    run.seconds["plan"] = round(time.perf_counter() - t0, 4)

    def calls():
        for lk, (parts, largest, cost) in zip(linkings, planned):
            run.costs.append(cost)
            run.largest[lk.rules] = largest
            run.partitions[lk.rules] = [len(p) for p in parts]
            for p in parts:
                yield _run_rules, (base_f, lk.rules, _pick(chunk_f, p), hook)

    findings = []
    timings: dict[str, float] = defaultdict(float)
    notes: dict = {}
    for fs, secs, skipped, cost in _bounded(client, calls(), 2 * workers):
        findings.extend(fs)
        for k, v in secs.items():
            timings[k] += v
        if skipped:
            notes.update(skipped)
        run.costs.append(cost)
    run.seconds["rules"] = round(time.perf_counter() - t0, 4)

    result = merge_findings(case, findings, list(chosen),
                            {r: round(timings.get(r, 0.0), 4) for r in chosen}, notes)
    findings = result.findings
    weights = add_reliability(result, reliability)
    if reason:
        t0 = time.perf_counter()
        result.conflicts, result.reading = _reason_on_cluster(case, client, base_f, chunk_f, findings,
                                                              weights, partitions, hook, run)
        run.seconds["reason"] = round(time.perf_counter() - t0, 4)
    from belie.reason.groups import group_findings

    t0 = time.perf_counter()
    result.groups = group_findings(_named_case(case, findings, result.conflicts, result.reading),
                                   findings, result.conflicts, result.reading)
    run.seconds["groups"] = round(time.perf_counter() - t0, 4)
    return result


def _bounded(client, calls, limit: int) -> list:
    """Run ``(fn, args)`` calls on the cluster with at most `limit` in flight; results in order."""
    from distributed import as_completed

    results: dict[int, object] = {}
    pending = as_completed()
    it = enumerate(calls)

    def more() -> bool:
        nxt = next(it, None)
        if nxt is None:
            return False
        k, (fn, args) = nxt
        fut = client.submit(fn, *args, pure=False)
        fut.index = k
        pending.add(fut)
        return True

    for _ in range(limit):
        if not more():
            break
    for fut in pending:
        results[fut.index] = fut.result()
        fut.release()
        more()
    return [results[k] for k in range(len(results))]


def _named_case(case, findings, conflicts, reading) -> Case:
    """The case with only the claims that the findings, sets and reading name (in the
    case's order): all that the grouping reads of it."""
    named = {c for f in findings for c in f.claims}
    for k in conflicts or ():
        named.update(k.claims)
        named.update(k.via)
    if reading is not None:
        named.update(r["claim"] for r in reading.rejected)
    keep = [c for c in case.claims if c.id in named]
    return Case(name=case.name, entities=case.entities, sources=case.sources, claims=keep,
                settings=case.settings, root=case.root, description=case.description)


def _reason_on_cluster(case, client, base_f, chunk_f, findings, weights, n, hook, run):
    """The global view by partitions, the same as `global_view` over the whole case.

    Conflicts are per component, so each partition's sets are the whole case's for its
    components.  The reading is solved by `belie.reason.solve.best_reading`, which hands
    small components to one RC2 call together: to give the same reading (ties
    included), the components are numbered and ordered as the whole case's problem
    numbers them (the findings' claims in the findings' order, then the links in the
    order `belie.reason.encode.build` adds them) and cut only where `best_reading`
    starts a new call.
    """
    from belie.reason import MAX_CONFLICTS, Reading
    from belie.reason.encode import Clause
    from belie.reason.solve import BATCH_VARS

    position = {c.id: i for i, c in enumerate(case.claims)}
    impossible = [f for f in findings if f.severity == "impossible" and f.claims]
    if not impossible:
        return [], Reading()
    touched = {c for f in impossible for c in f.claims}
    touched_keys = set()
    for c in touched:
        touched_keys.update(_reason_keys(case.claim_by_id[c]))
    items = [(("f", j), [("claim", c) for c in f.claims]) for j, f in enumerate(impossible)]
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    for got in _bounded(client, ((_reason_items, (ch, k * CHUNK, touched, touched_keys))
                                 for k, ch in enumerate(chunk_f)), 2 * workers):
        items.extend(got)
    comps = [comp for comp in components(items) if any(x[0] == "f" for x in comp)]
    run.largest[("reason",)] = max((sum(1 for x in c if x[0] == "c") for c in comps), default=0)
    parts = partition(comps, n)
    run.partitions[("reason",)] = []
    def calls():
        for p in parts:
            idx = sorted(x[1] for x in p if x[0] == "c")
            fset = sorted(x[1] for x in p if x[0] == "f")
            run.partitions[("reason",)].append(len(idx))
            yield _run_reason, (base_f, _pick(chunk_f, idx), idx, [impossible[j] for j in fset],
                                weights, hook)

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    conflicts, rows, named_comps, links = [], [], [], []
    n_links = n_comps = 0
    complete = True
    for ks, reading, rws, cps, lks, pc in _bounded(client, calls(), 2 * workers):
        run.costs.append(pc)
        conflicts.extend(ks)
        rows.extend(rws)
        named_comps.extend(cps)
        links.extend(lks)
        n_links += reading.links
        n_comps += reading.components
        complete = complete and reading.conflicts_complete
    conflicts.sort(key=lambda k: (k.size, [position[c] for c in k.claims], k.claims))
    if len(conflicts) > MAX_CONFLICTS:
        conflicts, complete = conflicts[:MAX_CONFLICTS], False

    # Number the claims as the whole case's problem does, and rebuild its components.
    var: dict[str, int] = {}
    for f in impossible:
        for cid in dict.fromkeys(f.claims):
            var.setdefault(cid, len(var) + 1)
    links.sort(key=lambda kl: (kl[0], kl[1]))
    for _, _, (x, y) in links:
        var.setdefault(x, len(var) + 1)
        var.setdefault(y, len(var) + 1)
    weight = {var[r["claim"]]: r["cost"] for r in rows}
    whole = []
    for names, cls in named_comps:
        vars_ = sorted(var[c] for c in names)
        clauses = [Clause(tuple(sign * var[name] for sign, name in lits), rule=rule, link=link)
                   for lits, rule, link in cls]
        whole.append((vars_, clauses))
    whole.sort(key=lambda vc: (len(vc[0]), vc[0][0]))
    # Cut where best_reading starts a new solver call: before a component it solves
    # alone, and where its batch of small components is full.
    slices, cur, size = [], [], 0
    for vars_, clauses in whole:
        single = len(clauses) == 1 and clauses[0].link is None
        if not single and BATCH_VARS < len(vars_):
            slices.append([(vars_, clauses)])
            continue
        if not single and size + len(vars_) > BATCH_VARS:
            if sum(len(v) for v, _ in cur) > 5_000:
                slices.append(cur)
                cur = []
            size = 0
        if not single:
            size += len(vars_)
        cur.append((vars_, clauses))
    if cur:
        slices.append(cur)
    solve = ((_solve, (sl, {v: weight[v] for vs, _ in sl for v in vs})) for sl in slices)
    rejected_v: set[int] = set()
    cost, optimal = 0, True
    for rej, c, opt in _bounded(client, solve, 2 * workers):
        rejected_v |= rej
        cost += c
        optimal = optimal and opt
    rejected = {name for name, v in var.items() if v in rejected_v}
    by_pos = lambda r: (position.get(r["claim"], len(position)), r["claim"])  # noqa: E731
    rows.sort(key=by_pos)
    return conflicts, Reading(rejected=[r for r in rows if r["claim"] in rejected],
                              kept=[r for r in rows if r["claim"] not in rejected],
                              cost=cost, optimal=optimal, components=n_comps, conflicts_complete=complete,
                              links=n_links)
