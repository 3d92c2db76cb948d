"""Truth discovery (`belie.sources.truth.discover`) as map-reduce on a Dask cluster.

The triples ``(source, item, value)`` are partitioned by item: every claim about one
item lies in one partition, which holds them as a `belie.sources.truth.Claims` (its
own numbering) in a worker's memory for the whole run.  What is per item -- the
values' votes and probabilities, the similarity between values, the pairs of claims
on one item -- is computed where the item is (*map*); what is per source -- its
accuracy or trust, the evidence that two sources copy each other -- is a sum over
items, added up on the client (*reduce*) and sent back for the next round.  Sources
are numbered in the order they first appear in the whole input, as `Claims` numbers
them, so that ties are broken the same way.

Each method follows the single-process code step by step; only the order in which
floating-point sums are added differs, so estimates agree to about 1e-12 and every
chosen value is the same (docs/scale.md, "Truth discovery", states the tolerance and
the tests check it).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

__all__ = ["discover_on_cluster"]


# ------------------------------------------------------------------ the partitions (workers)


class _Part:
    """One partition's claims, its source numbers in the whole input, and its state."""

    def __init__(self, triples, src_index: dict[str, int], similarity):
        from belie.sources.truth import Claims

        self.data = Claims(triples, similarity)
        d = self.data
        self.g = np.asarray([src_index[s] for s in d.sources], dtype=np.int64)   # local -> global source
        self.gs = self.g[d.claim_source] if d.n_claims else np.zeros(0, np.int64)  # per claim
        self.prob = None
        self.score = None
        self.belief = None
        self.log_discount = np.zeros(d.n_claims)
        self.pairs = None

    def per_source(self, x: np.ndarray, n: int) -> np.ndarray:
        return np.bincount(self.gs, weights=x, minlength=n)


def _build(triples, src_index, similarity, n_sources):
    part = _Part(triples, src_index, similarity)
    d = part.data
    return part, (part.per_source(np.ones(d.n_claims), n_sources), bool(d.has_similarity))


def _second(x):
    return x[1]


def _first(x):
    return x[0]


def _results(part: _Part, chosen, conf):
    d = part.data
    return [(d.items[i], d.values[int(chosen[i])], float(conf[i])) for i in range(d.n_items)]


# majority ------------------------------------------------------------


def _majority_map(part: _Part, w: np.ndarray, rho: float, n: int):
    d = part.data
    votes = np.bincount(d.claim_value, weights=w[part.gs], minlength=d.n_values)
    score = d.spread(votes, rho)
    chosen = d.pick(score)
    total = d.item_sum(votes)
    conf = np.where(total > 0, score[chosen] / np.maximum(total, 1e-300), 0.0)
    onehot = np.zeros(d.n_values)
    onehot[chosen] = 1.0
    credit = d.value_credit(onehot)[d.claim_value]
    return part, (part.per_source(credit, n), _results(part, chosen, np.minimum(conf, 1.0)))


# truthfinder ----------------------------------------------------------


def _truthfinder_map(part: _Part, trust: np.ndarray, rho: float, gamma: float, base_sim: float, n: int,
                     final: bool):
    d = part.data
    tau = -np.log1p(-np.minimum(trust, 1 - 1e-6))
    sigma = np.bincount(d.claim_value, weights=tau[part.gs], minlength=d.n_values)
    adj = d.spread(sigma, rho) - sigma
    others = d.item_sum(sigma)[d.value_item] - sigma
    s = 1.0 / (1.0 + np.exp(-gamma * (sigma + adj - rho * base_sim * others)))
    if final:
        chosen = d.pick(s)
        return part, _results(part, chosen, s[chosen])
    return part, part.per_source(s[d.claim_value], n)


# pooled investment ----------------------------------------------------


def _pooled_pay(part: _Part, trust: np.ndarray, cnt: np.ndarray, n: int):
    d = part.data
    if part.belief is None:
        part.belief = 1.0 / d.values_per_item[d.value_item]
    invest = trust / cnt
    pooled = np.bincount(d.claim_value, weights=invest[part.gs], minlength=d.n_values)
    pay = part.belief[d.claim_value] * invest[part.gs] / pooled[d.claim_value]
    return part, part.per_source(pay, n)


def _pooled_grow(part: _Part, new_trust: np.ndarray, cnt: np.ndarray, rho: float, g: float):
    d = part.data
    h = np.bincount(d.claim_value, weights=(new_trust / cnt)[part.gs], minlength=d.n_values)
    h = d.spread(h, rho)
    grown = h ** g
    part.belief = h * grown / d.item_sum(grown)[d.value_item]
    return part, float(part.belief.max()) if len(part.belief) else 0.0


def _pooled_scale(part: _Part, top: float):
    part.belief = part.belief / max(top, 1e-300)
    return part, None


def _pooled_final(part: _Part, n: int):
    d = part.data
    share = part.belief / np.maximum(d.item_sum(part.belief)[d.value_item], 1e-300)
    chosen = d.pick(share)
    onehot = np.zeros(d.n_values)
    onehot[chosen] = 1.0
    credit = d.value_credit(onehot)[d.claim_value]
    return part, (part.per_source(credit, n), _results(part, chosen, share[chosen]))


# accucopy -------------------------------------------------------------


def _accu_vote_start(part: _Part, w: np.ndarray, rho: float, n: int):
    d = part.data
    votes = d.spread(np.bincount(d.claim_value, weights=w[part.gs], minlength=d.n_values), rho)
    share = votes / np.maximum(d.item_sum(votes)[d.value_item], 1e-300)
    return part, part.per_source(share[d.claim_value], n)


def _accu_setup(part: _Part, n_false: float, detect: bool, n: int):
    """The partition's fixed arrays, and its pairs of claims on one item keyed by the two
    sources' numbers in the whole input (smaller first), with the count of items on which
    each pair differs."""
    d = part.data
    part.n_item = np.maximum(d.values_per_item - 1, float(n_false)).astype(float)
    part.n_value = part.n_item[d.value_item]
    part.n_claim = part.n_value[d.claim_value]
    part.unseen = np.maximum(part.n_item + 1 - d.values_per_item, 0).astype(float)
    if not detect:
        return part, (np.zeros(0, np.int64), np.zeros(0))
    pa, pb, same_pair, same_ca, same_cb, kd = d.pairs()
    ga, gb = part.g[pa], part.g[pb]
    swap = ga > gb
    ga, gb = np.where(swap, gb, ga), np.where(swap, ga, gb)
    keys = ga * n + gb
    # Orient each same-value claim pair as its global pair: claim of ga first.
    sw = swap[same_pair]
    ca, cb = np.where(sw, same_cb, same_ca), np.where(sw, same_ca, same_cb)
    part.pairs = (keys, ga, gb, same_pair, ca, cb)
    return part, (keys, kd)


def _accu_vote(part: _Part, acc: np.ndarray, rho: float, n: int, dep_keys, dep, rank, c: float):
    d = part.data
    if dep is not None and part.pairs is not None:
        keys, ga, gb, same_pair, ca, cb = part.pairs
        if len(same_pair):
            pos = np.searchsorted(dep_keys, keys)
            dp = dep[pos][same_pair]
            sa, sb = part.gs[ca], part.gs[cb]
            later = np.where(rank[sa] > rank[sb], ca, cb)
            cut = np.log(np.maximum(1.0 - c * dp, 1e-12))
            part.log_discount = np.bincount(later, weights=cut, minlength=d.n_claims)
    a_clip = np.clip(acc, 0.01, 0.99)[part.gs]
    weight = np.log(part.n_claim * a_clip / (1 - a_clip))
    own = weight * np.exp(part.log_discount)
    votes = np.bincount(d.claim_value, weights=own, minlength=d.n_values)
    votes = d.spread(votes, rho)
    part.prob = d.item_softmax(votes, part.unseen)
    return part, part.per_source(part.prob[d.claim_value], n)


def _accu_evidence(part: _Part, acc: np.ndarray, c: float, true_weight: float):
    """Per global pair key: the sums of the log likelihood ratios 'a copies b' and 'b copies a'
    over this partition's shared values (`belie.sources.truth._dependence`)."""
    if part.pairs is None:
        return part, None
    keys, ga, gb, same_pair, ca, cb = part.pairs
    d = part.data
    v = d.claim_value[ca]
    pv = part.prob[v]
    nv = part.n_value[v]
    a1, a2 = acc[ga][same_pair], acc[gb][same_pair]
    pt_i = a1 * a2
    pf_i = (1 - a1) * (1 - a2) / nv

    def ratio(a_src):
        pf = c * (1 - a_src) + (1 - c) * pf_i
        per = (1 - pv) * np.log(pf / pf_i)
        if true_weight:
            pt = c * a_src + (1 - c) * pt_i
            per += (true_weight * pv) * np.log(pt / pt_i)
        return np.bincount(same_pair, weights=per, minlength=len(keys))

    return part, (keys, ratio(a2), ratio(a1))


def _accu_final(part: _Part, n: int, credit_partial: bool):
    d = part.data
    chosen = d.pick(part.prob)
    got = part.per_source(d.value_credit(part.prob)[d.claim_value], n) if credit_partial else None
    return part, (got, _results(part, chosen, part.prob[chosen]))


# ------------------------------------------------------------------ the client


class _Run:
    """The partitions as futures, each round's map submitted on them."""

    def __init__(self, client, parts):
        self.client = client
        self.parts = parts

    def map(self, fn, *args):
        outs = [self.client.submit(fn, p, *args, pure=False) for p in self.parts]
        self.parts = [self.client.submit(_first, o, pure=False) for o in outs]
        return self.client.gather([self.client.submit(_second, o, pure=False) for o in outs])


def _sum(xs, n):
    out = np.zeros(n)
    for x in xs:
        out += x
    return out


def discover_on_cluster(claims: Iterable[tuple[str, str, str]], client, method: str = "accucopy",
                        similarity=None, prior: Mapping[str, float] | None = None, rho: float | None = None,
                        partitions: int | None = None, **options):
    """`belie.sources.truth.discover` over partitions of the items, on `client`'s cluster."""
    from belie.sources.truth import (_RUN, TruthResult, _norm_method, _prior_array, _sim_name, _strength,
                                     get_similarity)

    import inspect

    m = _norm_method(method)
    allowed = {p for p in inspect.signature(_RUN[m]).parameters if p not in ("data", "prior", "rho", "_")}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ValueError(f"{m} has no option {', '.join(unknown)}; it takes {', '.join(sorted(allowed))}")
    rho = 0.5 if rho is None else float(rho)

    # Number sources and items as Claims does; keep each (source, item)'s first claim.
    src_index: dict[str, int] = {}
    item_index: dict[str, int] = {}
    seen: set[tuple[int, int]] = set()
    values_of: list[dict[str, None]] = []
    kept: list[tuple[str, str, str, int]] = []
    for row in claims:
        try:
            s, i, v = row
        except (TypeError, ValueError):
            raise ValueError(f"a claim is (source, item, value), got {row!r}") from None
        if type(s) is not str or type(i) is not str or type(v) is not str:
            s, i, v = str(s), str(i), str(v)
        si = src_index.setdefault(s, len(src_index))
        ii = item_index.get(i)
        if ii is None:
            ii = item_index[i] = len(item_index)
            values_of.append({})
        if (si, ii) in seen:
            continue
        seen.add((si, ii))
        values_of[ii].setdefault(v, None)
        kept.append((s, i, v, ii))
    sources = list(src_index)
    items = list(item_index)
    n = len(sources)
    sim = get_similarity(similarity, values=[v for vs in values_of for v in vs])
    if not kept:
        return TruthResult({}, {}, {}, [], m, 0, _sim_name(sim))
    if partitions is None:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        partitions = max(2 * workers, -(-len(kept) // 200_000))
    chunks: list[list[tuple[str, str, str]]] = [[] for _ in range(max(1, min(partitions, len(items))))]
    for s, i, v, ii in kept:
        chunks[ii % len(chunks)].append((s, i, v))
    del kept
    # Tasks, not scattered data: a lost worker's copy is made again from the scheduler's.
    sim_f = client.submit(_first, (sim,), pure=False)
    idx_f = client.submit(_first, (src_index,), pure=False)
    futs = [client.submit(_build, ch, idx_f, sim_f, n, pure=False) for ch in chunks if ch]
    run = _Run(client, [client.submit(_first, f, pure=False) for f in futs])
    built = client.gather([client.submit(_second, f, pure=False) for f in futs])
    cnt = _sum([b[0] for b in built], n)
    has_similarity = any(b[1] for b in built)

    # A stand-in for Claims in _prior_array / _strength: only n_sources and sources are read.
    class _Src:
        pass

    meta = _Src()
    meta.n_sources, meta.sources = n, sources
    iterations = 0
    copying: list[tuple[str, str, float]] = []
    if m == "majority":
        w, _ = _prior_array(meta, prior, 1.0, 0.0)
        outs = run.map(_majority_map, w, rho, n)
        acc = _sum([o[0] for o in outs], n) / np.maximum(cnt, 1)
        rows = [r for o in outs for r in o[1]]
        iterations = 1
    elif m == "truthfinder":
        gamma = float(options.get("gamma", 0.3))
        base_sim = float(options.get("base_sim", 0.5))
        max_iter = int(options.get("max_iter", 20))
        tol = float(options.get("tol", 1e-3))
        t0, _ = _prior_array(meta, prior, float(options.get("initial_trust", 0.9)), 1e-3, 1 - 1e-6)
        ps = _strength(options.get("prior_strength"), prior)
        trust = t0.copy()
        last = trust
        for it in range(1, max_iter + 1):
            iterations = it
            got = _sum(run.map(_truthfinder_map, trust, rho, gamma, base_sim, n, False), n)
            new = (got + ps * t0) / np.maximum(cnt + ps, 1e-12)
            cos = float(new @ trust / max(np.linalg.norm(new) * np.linalg.norm(trust), 1e-300))
            last, trust = trust, new
            if 1 - cos < tol:
                break
        rows = [r for o in run.map(_truthfinder_map, last, rho, gamma, base_sim, n, True) for r in o]
        acc = np.clip(trust, 0, 1)
    elif m == "pooled_investment":
        g = float(options.get("g", 1.4))
        max_iter = int(options.get("max_iter", 10))
        trust, _ = _prior_array(meta, prior, 1.0, 1e-6)
        cn = np.maximum(cnt, 1)
        for it in range(1, max_iter + 1):
            iterations = it
            new_trust = _sum(run.map(_pooled_pay, trust, cn, n), n)
            new_trust /= max(new_trust.max(), 1e-300)
            top = max(run.map(_pooled_grow, new_trust, cn, rho, g))
            run.map(_pooled_scale, top)
            trust = np.maximum(new_trust, 1e-12)
        outs = run.map(_pooled_final, n)
        acc = _sum([o[0] for o in outs], n) / np.maximum(cnt, 1)
        rows = [r for o in outs for r in o[1]]
    else:
        rows, acc, copying, iterations = _accucopy(run, meta, cnt, has_similarity, prior, rho, n, **options)
    by_item = {it: (v, cf) for it, v, cf in rows}
    truths = {it: by_item[it][0] for it in items}
    confidence = {it: by_item[it][1] for it in items}
    accuracy = {s: float(acc[k]) for k, s in enumerate(sources)}
    return TruthResult(truths, confidence, accuracy, copying, m, iterations, _sim_name(sim))


def _accucopy(run: _Run, meta, cnt, has_similarity, prior, rho, n, n_false=1.0, copy_rate=0.8,
              alpha=0.02, initial_accuracy=0.8, max_iter=20, tol=1e-4, prior_strength=None,
              report_threshold=0.5, true_weight=0.0, detect=True, init="vote"):
    from belie.sources.truth import _accucopy_checked, _prior_array, _strength

    c = float(copy_rate)
    n_false = _accucopy_checked(alpha, c, n_false)
    if init not in ("vote", "prior"):
        raise ValueError("init is 'vote' or 'prior'")
    a0, _ = _prior_array(meta, prior, initial_accuracy, 0.01, 0.99)
    ps = _strength(prior_strength, prior)
    acc = a0.copy()
    if init == "vote":
        w, _ = _prior_array(meta, prior, 1.0, 0.0)
        agree = _sum(run.map(_accu_vote_start, w, rho, n), n) / np.maximum(cnt, 1)
        acc = np.clip((agree * cnt + ps * a0) / (cnt + ps), 0.01, 0.99)
    # The pairs of sources sharing an item, over all partitions (np.unique's order).
    setup = run.map(_accu_setup, float(n_false), bool(detect), n)
    all_keys = np.unique(np.concatenate([k for k, _ in setup])) if setup else np.zeros(0, np.int64)
    kd = np.zeros(len(all_keys))
    for k, d in setup:
        if len(k):
            np.add.at(kd, np.searchsorted(all_keys, k), d)
    pa, pb = all_keys // max(n, 1), all_keys % max(n, 1)
    has_pairs = bool(detect) and len(all_keys) > 0
    log_1c = math.log(1 - c)
    dep = rank = p_ind = p_ab = p_ba = None
    it = 0
    for it in range(1, max_iter + 1):
        got = _sum(run.map(_accu_vote, acc, rho, n, all_keys, dep, rank, c), n)
        new = np.clip((got + ps * a0) / np.maximum(cnt + ps, 1e-12), 0.01, 0.99)
        delta = float(np.max(np.abs(new - acc))) if len(acc) else 0.0
        acc = new
        if has_pairs:
            l1 = np.full(len(all_keys), math.log(alpha)) + kd * log_1c
            l2 = l1.copy()
            for ev in run.map(_accu_evidence, acc, c, float(true_weight)):
                if ev is None:
                    continue
                keys, r_ab, r_ba = ev
                if len(keys):
                    pos = np.searchsorted(all_keys, keys)
                    np.add.at(l1, pos, r_ab)
                    np.add.at(l2, pos, r_ba)
            l0 = np.full(len(all_keys), math.log(1 - 2 * alpha))
            mx = np.maximum(np.maximum(l0, l1), l2)
            e0, e1, e2 = np.exp(l0 - mx), np.exp(l1 - mx), np.exp(l2 - mx)
            z = e0 + e1 + e2
            p_ind, p_ab, p_ba = e0 / z, e1 / z, e2 / z
            dep = 1.0 - p_ind
            involvement = np.bincount(pa, weights=dep, minlength=n) + np.bincount(pb, weights=dep, minlength=n)
            rank = np.empty(n, dtype=np.int64)
            rank[np.lexsort((np.arange(n), involvement, -acc))] = np.arange(n)
        if delta < tol and it > 1:
            break
    outs = run.map(_accu_final, n, has_similarity)
    if has_similarity:
        got = _sum([o[0] for o in outs], n)
        acc = np.clip((got + ps * a0) / np.maximum(cnt + ps, 1e-12), 0.0, 1.0)
    rows = [r for o in outs for r in o[1]]
    copying: list[tuple[str, str, float]] = []
    if p_ind is not None:
        sources = meta.sources
        for k in np.flatnonzero(1.0 - p_ind >= report_threshold):
            a, b = sources[pa[k]], sources[pb[k]]
            if p_ba[k] > p_ab[k]:
                a, b = b, a
            copying.append((a, b, float(1.0 - p_ind[k])))
        copying.sort(key=lambda x: (-x[2], x[0], x[1]))
    return rows, acc, copying, it
