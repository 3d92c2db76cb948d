"""shifting-accusation: one voice names hostile paymasters for one person, and its
charges follow its own enemies.

A *voice* is what a source speaks for: its ``voice`` (a state press speaks for its
state), else its ``speaker``, else the source itself.  Two things are found:

* **Hostile paymasters at once** (pairwise): one voice accuses the same person of
  serving two different powers over periods that overlap, while a ``stance`` claim
  says those two powers were hostile to each other during (part of) that common
  period.  Both charges hold only if the accused served both sides at once.  That is
  never called impossible — one person can serve two masters — so the finding is a
  *note*; it is *strained* when the voice's own sources say the two powers were
  hostile throughout the common period, so that the voice itself leaves only the
  double-agent reading.
* **Charges that track the voice's enemies** (per voice, three dated charges or more):
  the table of the voice's charges over time — the day each charge was made (its
  source's ``said``), the power named, and the voice's own stance toward that power on
  that day — with the share of charges that named a power hostile to the voice at that
  moment, and a permutation test: the charge dates are shuffled among the charges
  (powers kept), and the p-value is the fraction of shuffles whose share is at least
  the observed one.  Always a *note*: it describes a pattern, it refutes nothing.

The library functions `charge_table` and `permutation_test` give the same figures to a
notebook.  The field names of the table rows and of the per-voice finding's
``details`` are stable (the report's charge chart reads them); docs/rules/
shifting_accusation.md lists them.
"""
from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from belie.model.case import Case
from belie.model.claims import Claim
from belie.model.dates import DAY, OPEN_END, OPEN_START, duration, edtf_of, edtf_of_days, fmt_day, in_days, span_text
from belie.rules.base import Context, Finding, Rule

NAME = "shifting-accusation"

#: Shuffles of the permutation test, and the seed of its generator (numpy PCG64).
N_PERMUTATIONS = 10_000
SEED = 0
#: A voice needs this many dated charges for its per-voice finding.
MIN_CHARGES = 3
#: Overlapping pairs of charges collected for one (voice, accused, power pair); the
#: finding says "at least" beyond it.
MAX_PAIRS = 10_000
#: Pairs, and table rows, spelt out in one explanation (all of them are in `details`).
SHOWN_PAIRS = 5
SHOWN_ROWS = 12
#: Cells (shuffles x charges) computed at once by the permutation test.
_BATCH_CELLS = 4_000_000


# ------------------------------------------------------------------ small helpers


def fmt_span(span) -> str:
    """A date as written, the EDTF it reads as and its bounds:
    ``end of July 1933 (1933-07-21/1933-07-31: 21 Jul 1933 .. 31 Jul 1933)``."""
    if span is None:
        return "undated"
    return span.brief()


def _n_days(lo: int, hi: int) -> int | None:
    """The length of [lo, hi] in seconds; None when open."""
    if lo <= OPEN_START or hi >= OPEN_END:
        return None
    return hi - lo + 1


def _count(n: int | None) -> str:
    if n is None:
        return "an open-ended number of days"
    return duration(n)


def _bounds(claim: Claim) -> tuple[int, int]:
    """A claim's days; an undated stance holds at any time."""
    if claim.when is None:
        return OPEN_START, OPEN_END
    return claim.when.lo, claim.when.hi


def _merge(ivs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ivs):
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _clip(ivs: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """Merged intervals `ivs` cut to [lo, hi]."""
    return [(max(a, lo), min(b, hi)) for a, b in ivs if a <= hi and b >= lo]


def _covers(ivs: list[tuple[int, int]], lo: int, hi: int) -> bool:
    """Whether the merged intervals cover [lo, hi] entirely."""
    return any(a <= lo and hi <= b for a, b in ivs)


def voice_of_source(source) -> str:
    """The voice of a source: its `voice`, else its `speaker`, else its own id."""
    return source.voice or source.speaker or source.id


def voice_of(case: Case, claim: Claim) -> str:
    """The voice of a claim: whoever the source reports as making it (its ``speaker``),
    else its source's voice."""
    if claim.speaker:
        return claim.speaker
    src = case.sources.get(claim.source)
    return voice_of_source(src) if src is not None else claim.source


def charge_day(case: Case, claim: Claim) -> int | None:
    """The day a charge was made: the middle day of its source's `said` (the bounded end
    of a half-open date); None when the source is undated."""
    src = case.sources.get(claim.source)
    said = src.said if src is not None else None
    if said is None:
        return None
    lo, hi = said.lo, said.hi
    if lo <= OPEN_START and hi >= OPEN_END:
        return None
    if lo <= OPEN_START:
        return hi
    if hi >= OPEN_END:
        return lo
    return (lo + hi) // 2


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


# ------------------------------------------------------------------ stances


@dataclass(frozen=True)
class _Stance:
    lo: int
    hi: int
    value: str
    claim: Claim

    @property
    def width(self) -> int:
        return self.hi - self.lo


class StanceIndex:
    """Asserted stance claims, by unordered pair of parties (stances are symmetric)."""

    def __init__(self, claims):
        self._by: dict[frozenset, list[_Stance]] = defaultdict(list)
        for c in claims:
            if c.kind != "stance" or c.denies or len(c.people) != 2 or c.stance is None:
                continue
            a, b = c.people
            if a == b:
                continue
            lo, hi = _bounds(c)
            self._by[frozenset((a, b))].append(_Stance(lo, hi, c.stance, c))
        for lst in self._by.values():
            # The most specific first: the narrowest period, then file order.
            lst.sort(key=lambda s: s.width)

    @classmethod
    def of(cls, case: Case) -> "StanceIndex":
        return cls(case.claims)

    def between(self, a: str, b: str) -> list[_Stance]:
        return self._by.get(frozenset((a, b)), [])

    def hostile(self, a: str, b: str) -> list[_Stance]:
        return [s for s in self.between(a, b) if s.value == "hostile"]

    def on(self, a: str, b: str, day: int) -> _Stance | None:
        """How a and b stood on `day`: the most specific stance claim that covers it."""
        for s in self.between(a, b):
            if s.lo <= day <= s.hi:
                return s
        return None

    def hostile_on(self, a: str, b: str, days: np.ndarray) -> np.ndarray:
        """For each day of `days`, whether the most specific stance covering it is hostile."""
        out = np.zeros(len(days), dtype=bool)
        done = np.zeros(len(days), dtype=bool)
        for s in self.between(a, b):     # most specific first: it wins where it applies
            hit = (days >= s.lo) & (days <= s.hi) & ~done
            if s.value == "hostile":
                out |= hit
            done |= hit
        return out


# ------------------------------------------------------------------ the charge table


def _accusations(case: Case) -> dict[str, list[Claim]]:
    by: dict[str, list[Claim]] = defaultdict(list)
    for c in case.claims:
        if c.kind == "accusation" and not c.denies and c.serving and c.people:
            by[voice_of(case, c)].append(c)
    return by


def charge_table(case: Case, voice: str, *, stances: StanceIndex | None = None,
                 accusations: list[Claim] | None = None) -> list[dict]:
    """The voice's dated charges in order of the day they were made.

    One row per accusation claim of the voice whose source is dated::

        {"date": "1921-05-10",   # the day the charge was made (middle of the source's `said`)
         "edtf": "1921-05-10",   # the source's `said` as EDTF
         "said": "10 May 1921",  # ... as written
         "accused": "marchand", "power": "italy",
         "stance": "hostile",    # the voice's stance toward the power that day, or "unknown"
         "stance_claim": "...", "stance_source": "...",   # the stance claim used (or None)
         "source": "gazette-1921", "claim": "gazette-italy"}

    ``stances`` and ``accusations`` save rebuilding the indexes when called in a loop.
    """
    stances = stances or StanceIndex.of(case)
    if accusations is None:
        accusations = _accusations(case).get(voice, [])
    rows = []
    for c in accusations:
        day = charge_day(case, c)
        if day is None:
            continue
        said = case.sources[c.source].said
        st = stances.on(voice, c.serving, day)
        rows.append({
            "date": edtf_of_days(day // DAY, day // DAY),
            "edtf": said.edtf,
            "said": said.text,
            "accused": c.people[0],
            "power": c.serving,
            "stance": st.value if st else "unknown",
            "stance_claim": st.claim.id if st else None,
            "stance_source": st.claim.source if st else None,
            "source": c.source,
            "claim": c.id,
            "_day": day,
        })
    rows.sort(key=lambda r: (r["_day"], r["claim"]))
    for r in rows:
        del r["_day"]
    return rows


def shuffle_test(hostile: np.ndarray, power_idx: np.ndarray, day_idx: np.ndarray, *,
                 n_permutations: int = N_PERMUTATIONS, seed: int = SEED) -> dict:
    """The permutation test on index arrays.

    ``hostile[p, d]`` says whether power p was hostile to the voice on day d; charge i
    named power ``power_idx[i]`` on day ``day_idx[i]``.  The days are shuffled among the
    charges (the powers stay); the p-value is the fraction of shuffles whose number of
    hostile charges is at least the observed number.

    Only the powers whose hostility varies over the charge days can change the count;
    when there are none (no stance known at all is the common case), every shuffle gives
    the observed count and p = 1 without drawing.  Otherwise each shuffle is drawn either
    as a permutation of the days, or — when the days fall into few *types* (the pattern
    of which varying powers are hostile that day) — as its exact equivalent: the types
    of the days dealt to each varying power's charges, drawn power after power from
    multivariate hypergeometric laws (numpy's ``hypergeometric``, one type after
    another).  Both draw from the same distribution; the seed fixes the result.
    """
    n = len(power_idx)
    if n == 0:
        return {"share": None, "hostile": 0, "p_value": None, "n_permutations": n_permutations,
                "seed": seed, "at_least_observed": None}
    hostile = np.asarray(hostile, dtype=bool)
    power_idx = np.asarray(power_idx, dtype=np.int64)
    day_idx = np.asarray(day_idx, dtype=np.int64)
    observed = int(hostile[power_idx, day_idx].sum())
    named = np.unique(power_idx)
    on_days = hostile[named][:, day_idx]                  # powers named x charge days
    varying = named[on_days.any(axis=1) & ~on_days.all(axis=1)]
    if len(varying) == 0 or n_permutations == 0:
        at_least = n_permutations
    else:
        rng = np.random.default_rng(seed)
        # Constant powers add the same count to every shuffle.
        constant = int(sum(int(on_days[i].all()) * int((power_idx == p).sum())
                           for i, p in enumerate(named) if p not in set(varying.tolist())))
        need = observed - constant
        types, type_of = np.unique(hostile[varying][:, day_idx].T, axis=0, return_inverse=True)
        type_of = np.asarray(type_of).reshape(-1)
        sizes = np.array([(power_idx == p).sum() for p in varying], dtype=np.int64)
        if len(varying) * len(types) * 9 < sizes.sum():
            counts = _hyper_draws(rng, np.bincount(type_of, minlength=len(types)), types, sizes,
                                  n_permutations)
        else:
            counts = _perm_draws(rng, type_of, types, sizes, n_permutations)
        at_least = int((counts >= need).sum())
    return {"share": observed / n, "hostile": observed,
            "p_value": at_least / n_permutations if n_permutations else None,
            "n_permutations": n_permutations, "seed": seed, "at_least_observed": at_least}


def _perm_draws(rng, type_of: np.ndarray, types: np.ndarray, sizes: np.ndarray, n_perm: int) -> np.ndarray:
    """Hostile counts of the varying powers' charges, over `n_perm` shuffles of the days.

    The first ``sizes[0]`` places of a shuffled list of all charge days go to the first
    varying power's charges, the next ``sizes[1]`` to the second's, and so on (the rest to
    charges whose count does not change)."""
    n = len(type_of)
    owner = np.repeat(np.arange(len(sizes)), sizes)          # varying charge -> its power
    flat = types.T.reshape(-1).astype(np.int64)                # [power, type] -> hostile
    ntypes = types.shape[0]
    base = owner * ntypes
    m = len(owner)
    src = type_of.astype(np.int32)
    out = np.empty(n_perm, dtype=np.int64)
    batch = max(1, _BATCH_CELLS // n)
    done = 0
    while done < n_perm:
        b = min(batch, n_perm - done)
        perms = rng.permuted(np.tile(src, (b, 1)), axis=1)[:, :m]
        out[done:done + b] = flat[base[None, :] + perms].sum(axis=1)
        done += b
    return out


def _hyper_draws(rng, type_counts: np.ndarray, types: np.ndarray, sizes: np.ndarray, n_perm: int) -> np.ndarray:
    """The same counts as `_perm_draws`, drawn by types: each varying power in turn takes
    its share of the days left, type by type, from univariate hypergeometric laws."""
    rem = np.tile(type_counts.astype(np.int64), (n_perm, 1))
    left = np.full(n_perm, int(type_counts.sum()), dtype=np.int64)
    count = np.zeros(n_perm, dtype=np.int64)
    for pi, size in enumerate(sizes):
        want = np.full(n_perm, int(size), dtype=np.int64)
        pool = left.copy()
        for t in range(types.shape[0]):
            good = rem[:, t]
            pool -= good                       # the days of later types
            x = rng.hypergeometric(good, pool, want)
            rem[:, t] -= x
            want -= x
            if types[t, pi]:
                count += x
        left -= int(size)
    return count


def permutation_test(case: Case, voice: str, *, n_permutations: int = N_PERMUTATIONS,
                     seed: int = SEED, table: list[dict] | None = None,
                     stances: StanceIndex | None = None) -> dict:
    """Does the paymaster the voice names track the voice's own enemies?

    Returns ``{"voice", "n_charges", "hostile", "share", "p_value", "n_permutations",
    "seed", "at_least_observed", "counts"}`` where ``share`` is the share of the voice's
    dated charges that named a power hostile to the voice on the day the charge was made,
    and ``p_value`` the fraction of ``n_permutations`` shuffles of the charge dates
    (seeded numpy generator) giving a share at least as high.
    """
    stances = stances or StanceIndex.of(case)
    if table is None:
        table = charge_table(case, voice, stances=stances)
    powers = sorted({r["power"] for r in table})
    pidx = {p: i for i, p in enumerate(powers)}
    ords = np.array([_ordinal(r["date"]) for r in table], dtype=np.int64)
    uniq, day_idx = np.unique(ords, return_inverse=True) if len(ords) else (ords, ords)
    hostile = np.zeros((len(powers), len(uniq)), dtype=bool)
    for p, i in pidx.items():
        hostile[i] = stances.hostile_on(voice, p, uniq)
    power_idx = np.array([pidx[r["power"]] for r in table], dtype=np.int64)
    res = shuffle_test(hostile, power_idx, np.asarray(day_idx, dtype=np.int64),
                       n_permutations=n_permutations, seed=seed)
    counts = {"hostile": 0, "friendly": 0, "neutral": 0, "unknown": 0}
    for r in table:
        counts[r["stance"]] = counts.get(r["stance"], 0) + 1
    return {"voice": voice, "n_charges": len(table), **res, "counts": counts}


def _ordinal(iso: str) -> int:
    """The first second of a day written in ISO."""
    import datetime as _dt
    return _dt.date.fromisoformat(iso).toordinal() * DAY


# ------------------------------------------------------------------ pairwise


def _overlapping_pairs(a: list[Claim], b: list[Claim], cap: int) -> tuple[list[tuple[Claim, Claim]], bool]:
    """Pairs (x from a, y from b) whose dates overlap, by a sweep over start days;
    at most `cap` pairs (the flag says whether some were left out)."""
    events = sorted([(c.when.lo, 0, i) for i, c in enumerate(a)] + [(c.when.lo, 1, i) for i, c in enumerate(b)])
    sides = (a, b)
    active: tuple[list, list] = ([], [])      # heaps of (hi, index)
    out: list[tuple[Claim, Claim]] = []
    for lo, side, i in events:
        other = 1 - side
        heap = active[other]
        while heap and heap[0][0] < lo:
            heapq.heappop(heap)
        c = sides[side][i]
        for _, j in heap:
            d = sides[other][j]
            out.append((c, d) if side == 0 else (d, c))
            if len(out) >= cap:
                return out, True
        heapq.heappush(active[side], (c.when.hi, i))
    return out, False


def _pair_findings(ctx: Context, stances: StanceIndex, by_voice: dict[str, list[Claim]]) -> Iterator[Finding]:
    for voice in sorted(by_voice):
        by_accused: dict[str, dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
        for c in by_voice[voice]:
            if c.when is not None:
                by_accused[c.people[0]][c.serving].append(c)
        for accused in sorted(by_accused):
            powers = by_accused[accused]
            names = sorted(powers)
            if len(names) < 2:
                continue
            for i, p in enumerate(names):
                for q in names[i + 1:]:
                    hostile = stances.hostile(p, q)
                    if not hostile:
                        continue
                    f = _power_pair(ctx, voice, accused, p, q, powers[p], powers[q], hostile)
                    if f is not None:
                        yield f


def _power_pair(ctx: Context, voice: str, accused: str, p: str, q: str,
                cp: list[Claim], cq: list[Claim], hostile) -> Finding | None:
    case = ctx.case
    label = case.label
    h_all = _merge([(s.lo, s.hi) for s in hostile])
    h_own = _merge([(s.lo, s.hi) for s in hostile if voice_of(case, s.claim) == voice])
    pairs, capped = _overlapping_pairs(cp, cq, MAX_PAIRS)
    found = []          # (a, b, lo, hi, hostile parts, strained)
    for a, b in pairs:
        lo, hi = max(a.when.lo, b.when.lo), min(a.when.hi, b.when.hi)
        parts = _clip(h_all, lo, hi)
        if not parts:
            continue
        found.append((a, b, lo, hi, parts, _covers(h_own, lo, hi)))
    if not found:
        return None
    # Each pair in the order its charges were made; the powers in the order first named.
    first = {c.id: (charge_day(case, c) if charge_day(case, c) is not None else OPEN_END) for c in cp + cq}
    found = [(a, b, *rest) if (first[a.id], a.id) <= (first[b.id], b.id) else (b, a, *rest)
             for a, b, *rest in found]
    found.sort(key=lambda t: (not t[5], t[2], first[t[0].id], t[0].id, t[1].id))
    if min(first[c.id] for c in cq) < min(first[c.id] for c in cp):
        p, q = q, p
    strained = any(t[5] for t in found)
    used_stances = [s for s in hostile
                    if any(s.lo <= hi and lo <= s.hi for _, _, lo, hi, _, _ in found)]
    claim_ids: list[str] = []
    for a, b, *_ in found:
        for c in (a, b):
            if c.id not in claim_ids:
                claim_ids.append(c.id)
    claim_ids += [s.claim.id for s in used_stances if s.claim.id not in claim_ids]

    V, X, P, Q = label(voice), label(accused), label(p), label(q)
    srcs = case.sources

    def charge(c: Claim) -> str:
        s = srcs.get(c.source)
        said = f", charge made {fmt_span(s.said)}" if s is not None and s.said is not None else ""
        return f"{ctx.quote(c)}: period {fmt_span(c.when)}{said}"

    lines = []
    for a, b, lo, hi, parts, own in found[:SHOWN_PAIRS]:
        hdays = sum(_n_days(x, y) or 0 for x, y in parts)
        whole = parts == [(lo, hi)]
        line = (f"{charge(a)}; and {charge(b)}. The two periods share {_count(_n_days(lo, hi))} "
                f"({span_text(lo, hi)}), and {P} and {Q} were hostile to each other "
                + ("throughout them" if whole else
                   f"on {_count(hdays)} of them ({', '.join(span_text(x, y) for x, y in parts)})")
                + (", by the voice's own sources" if own else "") + ".")
        lines.append(line)
    more = len(found) - SHOWN_PAIRS
    stance_text = "; ".join(f"{ctx.quote(s.claim)}: period {fmt_span(s.claim.when)}" for s in used_stances)
    expl = (f"{V} accuses {X} of serving both {P} and {Q} over overlapping periods, while "
            f"the two powers were hostile to each other. " + " ".join(lines)
            + (f" And {more:,}{' or more' if capped else ''} further such pairs of charges." if more > 0 else "")
            + f" Hostility: {stance_text}. ")
    if strained:
        expl += (f"Both charges hold only if {X} served {P} and {Q} at once, as a double agent, "
                 f"in the very period in which {V}'s own sources say the two were enemies — "
                 "possible, but only on that narrow reading.")
        title = "One voice names enemies of each other as one person's paymasters, against its own word"
    else:
        expl += (f"Both charges hold only if {X} served both sides at once; one person can serve "
                 "two masters, so this is not impossible, but the voice shifted the paymaster.")
        title = "One voice names enemies of each other as one person's paymasters"
    details = {
        "voice": voice,
        "accused": accused,
        "powers": [p, q],
        "n_pairs": len(found),
        "pairs_capped": capped,
        "pairs": [{"claims": [a.id, b.id], "overlap": edtf_of(lo, hi),
                   "overlap_days": in_days(_n_days(lo, hi)),
                   "hostile": [edtf_of(x, y) for x, y in parts],
                   "hostile_days": in_days(sum(_n_days(x, y) or 0 for x, y in parts))
                   if all(_n_days(x, y) is not None for x, y in parts) else None,
                   "own_voice_hostile_throughout": own}
                  for a, b, lo, hi, parts, own in found[:1000]],
        "stances": [{"claim": s.claim.id, "source": s.claim.source, "during": s.claim.when.edtf if s.claim.when is not None else "../.."}
                    for s in used_stances],
    }
    return ctx.finding(NAME, "strained" if strained else "note", claim_ids, expl,
                       title=title, details=details)


# ------------------------------------------------------------------ per voice


def _voice_finding(ctx: Context, stances: StanceIndex, voice: str, accusations: list[Claim]) -> Finding | None:
    case = ctx.case
    table = charge_table(case, voice, stances=stances, accusations=accusations)
    if len(table) < MIN_CHARGES:
        return None
    res = permutation_test(case, voice, table=table, stances=stances)
    V = case.label(voice)
    n, h = len(table), res["hostile"]
    counts = res["counts"]
    spelt = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
    srcs = case.sources
    rows = []
    for r in table[:SHOWN_ROWS]:
        s = srcs.get(r["source"])
        said = fmt_span(s.said) if s is not None and s.said is not None else r["said"]
        st = r["stance"] + (f" ({r['stance_source']})" if r["stance_source"] else "")
        rows.append(f"{said}: {case.label(r['accused'])} serving {case.label(r['power'])} "
                    f"[{r['claim']}], {V}'s stance toward {case.label(r['power'])} that day: {st}")
    more = n - SHOWN_ROWS
    p = res["p_value"]
    expl = (f"{V} made {n} dated charges that someone served a power, from {fmt_day(_ordinal(table[0]['date']))} "
            f"to {fmt_day(_ordinal(table[-1]['date']))}. "
            f"{h} of {n} ({_pct(res['share'])}) named a power hostile to {V} on the day the charge was made "
            f"(stance that day: {spelt}). Shuffling the dates among the charges, powers kept, "
            f"{res['n_permutations']:,} times (seed {res['seed']}) gave a share at least that high in "
            f"{res['at_least_observed']:,} shuffles: p = {p:.4f}"
            + (" — the paymaster named follows the voice's own enemies of the day more closely than chance would."
               if p is not None and p < 0.05 and h > 0 else ".")
            + " The charges: " + "; ".join(rows)
            + (f"; and {more:,} more (all in the details)." if more > 0 else "."))
    details = {
        "voice": voice,
        "rows": table,
        "n_charges": n,
        "hostile": h,
        "share": res["share"],
        "counts": counts,
        "p_value": p,
        "n_permutations": res["n_permutations"],
        "seed": res["seed"],
        "at_least_observed": res["at_least_observed"],
        "undated": len(accusations) - n,
    }
    return ctx.finding(NAME, "note", [r["claim"] for r in table], expl,
                       title="How a voice's charges track its own enemies", details=details)


def _findings(ctx: Context) -> Iterator[Finding]:
    by_voice = _accusations(ctx.case)
    if not by_voice:
        return
    stances = StanceIndex.of(ctx.case)
    yield from _pair_findings(ctx, stances, by_voice)
    for voice in sorted(by_voice):
        f = _voice_finding(ctx, stances, voice, by_voice[voice])
        if f is not None:
            yield f


def check(ctx: Context) -> Iterator[Finding]:
    # belie.rules.check pauses the cyclic garbage collector for the whole run.
    return _findings(ctx)


RULE = Rule(
    name=NAME,
    title="Shifting accusation",
    summary="One voice accuses a person of serving powers hostile to each other over overlapping "
            "periods; and how the paymaster it names tracks its own enemies of the day.",
    check=check,
)
