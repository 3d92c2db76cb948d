"""register: a journey or message that a complete register for its scope and period excludes.

A register claim says a record is complete: every arrival at (or departure from) its
place, by its means if it names one, or every message to (or from) its party, in its
period, is listed.  Whoever it does not list did not arrive, leave or write then.

* An *arrival* is a travel claim whose destination lies within (or is) the register's
  ``at`` and whose origin does not (a journey inside the place arrives nowhere); a
  *departure*, one whose origin lies within ``at`` and whose destination does not.
* A *message* is a message claim whose recipient is the register's ``to`` and/or whose
  sender is its ``from``.  ``lists`` names the other party: the senders of a register
  of messages ``to`` someone, the recipients of one ``from`` someone (of one with both,
  either party listed is enough).
* A register with ``by`` covers that means only: a journey or message by another
  means is outside it; one that gives no means *may* be (the finding then says the
  claim holds only if it went by another means).
* A travel or message happens at some moment of its interval.  All the registers that
  cover it are taken together: if their periods cover the whole interval, the claim
  cannot be true (impossible); if they cover part of it, it holds only in the days
  left over (strained, ``window``: the longest such stretch; all are in details).
* A register of those ``present`` lists everyone and everything at its place ``at``
  (a guest book, a radar log of an airspace, a checkpoint's camera) in its period.
  Every whereabouts of a person or object (`Context.stays`: a presence, a meeting's
  participant, a journey's start or end) at that place or a place within it is read
  against it: a stay ``throughout`` that overlaps the period, or a moment that must fall
  in it, of someone not listed, is impossible; a moment that only may fall in it holds
  only in the days left over: strained when at most half its days are left, a note when
  more are (``window``: the longest stretch left).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from typing import Iterator

from belie.model.claims import Claim
from belie.model.dates import DAY, span_text
from belie.rules.base import SEVERITY_RANK, Context, Finding, Rule
from belie.rules.accounts import (
    day, days, describe, duration, n_days, of_its, pieces_outside, widest, window_of,
)

NAME = "register"

#: Media that are one and the same for a register of messages.
_MEDIUM_ALIASES = {"cable": "telegram"}
#: Media that say only "a message", of no particular kind.
_ANY_MEDIUM = {None, "message"}


class _Registers:
    """Registers under one key (a place, or a party of messages), for interval look-ups.

    They are kept in buckets by the length of their period (powers of two; open
    periods apart), each sorted by start: a look-up scans in each bucket only the
    registers that start between (its start less the bucket's longest period) and its
    end, so one long register cannot make every look-up walk the whole list.
    """

    __slots__ = ("buckets",)

    def __init__(self, regs: list[Claim]):
        by: dict[int, list[Claim]] = defaultdict(list)
        for r in regs:
            n = n_days(r.when.lo, r.when.hi)
            by[-1 if n is None else n.bit_length()].append(r)
        self.buckets = []
        for cls, rs in by.items():
            rs.sort(key=lambda r: r.when.lo)
            longest = None if cls == -1 else max(r.when.hi - r.when.lo for r in rs)
            self.buckets.append(([r.when.lo for r in rs], rs, longest))

    def overlapping(self, lo: int, hi: int) -> Iterator[Claim]:
        for los, rs, longest in self.buckets:
            i = bisect_right(los, hi) - 1
            floor = None if longest is None else lo - longest
            while i >= 0:
                r = rs[i]
                if floor is not None and r.when.lo < floor:
                    break
                if r.when.hi >= lo:
                    yield r
                i -= 1


def _index(regs: list[Claim], key) -> dict[str, _Registers]:
    by: dict[str, list[Claim]] = defaultdict(list)
    for r in regs:
        k = key(r)
        if k is not None:
            by[k].append(r)
    return {k: _Registers(v) for k, v in by.items()}


def _medium(m: str | None) -> str | None:
    return _MEDIUM_ALIASES.get(m, m)


def _travel_match(reg: Claim, c: Claim) -> str | None:
    """"yes" when the register covers the journey's means, "maybe" when the journey
    gives none, None when it went by another means."""
    if reg.by is None:
        return "yes"
    if c.by is None:
        return "maybe"
    return "yes" if c.by == reg.by else None


def _message_match(reg: Claim, c: Claim) -> str | None:
    rb, cb = _medium(reg.by), _medium(c.by)
    if rb in _ANY_MEDIUM:
        return "yes"
    if cb in _ANY_MEDIUM:
        return "maybe"
    return "yes" if rb == cb else None


def _scope_phrase(ctx: Context, reg: Claim) -> str:
    label = ctx.case.label
    by = f" by {reg.by}" if reg.by else ""
    if reg.scope == "arrivals":
        return f"arrivals{by} at {label(reg.where)}"
    if reg.scope == "departures":
        return f"departures{by} from {label(reg.where)}"
    if reg.scope == "present":
        return f"everyone and everything present at {label(reg.where)}"
    parts = []
    if reg.reg_from:
        parts.append(f"from {label(reg.reg_from)}")
    if reg.reg_to:
        parts.append(f"to {label(reg.reg_to)}")
    return f"messages{by} " + " ".join(parts)


def _reg_name(ctx: Context, reg: Claim) -> str:
    """The register as a reader should find it: its source and claim id (and its
    words, where the claim quotes them)."""
    src = ctx.case.sources.get(reg.source)
    name = (src.title if src is not None and src.title else f"the register {reg.source}") + f" (claim {reg.id})"
    return name + (f", “{reg.quote}”," if reg.quote else "")


def _listed(reg: Claim, c: Claim) -> bool:
    lists = reg.lists
    if not lists:
        return False
    if reg.scope in ("arrivals", "departures"):
        return c.person in lists
    if reg.reg_to and not reg.reg_from:
        return c.sender in lists
    if reg.reg_from and not reg.reg_to:
        return c.recipient in lists
    return c.sender in lists or c.recipient in lists


def _who(ctx: Context, reg: Claim, c: Claim) -> str:
    label = ctx.case.label
    if reg.scope in ("arrivals", "departures"):
        return label(c.person)
    if reg.reg_to and not reg.reg_from:
        return label(c.sender)
    if reg.reg_from and not reg.reg_to:
        return label(c.recipient)
    return f"{label(c.sender)} or {label(c.recipient)}"


def _candidates(ctx: Context, c: Claim, by_at: dict, by_to: dict, by_from: dict):
    """(register, match) for every register whose scope takes in claim `c`."""
    places = ctx.places
    if c.kind == "travel":
        # An arrivals register sees the journey's end, a departures register its start;
        # a journey wholly inside the register's place is neither.
        for scope, end, other in (("arrivals", c.destination, c.origin),
                                  ("departures", c.origin, c.destination)):
            idx = by_at.get(scope)
            if not end or not idx:
                continue
            for at in [end, *places.ancestors(end)]:
                regs = idx.get(at)
                if regs is None or (other and places.contains(at, other)):
                    continue
                for r in regs.overlapping(c.when.lo, c.when.hi):
                    yield r, _travel_match(r, c)
    elif c.kind == "message" and len(c.people) == 2:
        seen = set()
        for idx, party in ((by_to, c.recipient), (by_from, c.sender)):
            regs = idx.get(party)
            if regs is None:
                continue
            for r in regs.overlapping(c.when.lo, c.when.hi):
                if r.id in seen:
                    continue
                seen.add(r.id)
                if r.reg_to and r.reg_to != c.recipient or r.reg_from and r.reg_from != c.sender:
                    continue
                yield r, _message_match(r, c)


def _findings(ctx: Context) -> Iterator[Finding]:
    regs = [c for c in ctx.of_kind("register")
            if c.kind == "register" and not c.denies and c.when is not None]
    if not regs:
        return
    yield from _present_findings(ctx, regs)
    by_at = {scope: _index([r for r in regs if r.scope == scope], lambda r: r.where)
             for scope in ("arrivals", "departures")}
    msg = [r for r in regs if r.scope == "messages"]
    by_to = _index(msg, lambda r: r.reg_to)
    by_from = _index(msg, lambda r: r.reg_from)
    want_travel = bool(by_at["arrivals"] or by_at["departures"])
    want_msg = bool(msg)
    said: dict[str, str] = {}        # what each register says, written once
    kinds = [k for k, wanted in (("travel", want_travel), ("message", want_msg)) if wanted]
    for c in ctx.of_kind(*kinds) if kinds else ():
        if c.denies or c.when is None:
            continue
        if not (c.kind == "travel" and want_travel or c.kind == "message" and want_msg):
            continue
        groups: dict[str, dict[str, list[Claim]]] = {}
        for r, match in _candidates(ctx, c, by_at, by_to, by_from):
            if match is None or _listed(r, c):
                continue
            groups.setdefault(r.scope, {"yes": [], "maybe": []})[match].append(r)
        for scope, g in groups.items():
            f = _judge(ctx, c, g["yes"], g["maybe"], said)
            if f is not None:
                yield f


def _present_findings(ctx: Context, regs: list[Claim]) -> Iterator[Finding]:
    """Whereabouts at a place that a complete register of those present there excludes."""
    pres = [r for r in regs if r.scope == "present" and r.where]
    if not pres:
        return
    idx = _index(pres, lambda r: r.where)
    places, movers = ctx.places, ctx.movers
    hits: dict[str, list] = {}            # claim id -> [(stay, registers that exclude it)]
    for s in ctx.stays:
        if s.person not in movers:
            continue                      # an organisation can be in many places at once
        found = []
        for at in (s.place, *places.ancestors(s.place)):
            got = idx.get(at)
            if got is None:
                continue
            for r in got.overlapping(s.lo, s.hi):
                if r.id != s.claim and s.person not in r.lists:
                    found.append(r)
        if found:
            hits.setdefault(s.claim, []).append((s, found))
    said: dict[str, str] = {}
    for cid, got in hits.items():
        best = None
        for s, found in got:
            f = _judge_present(ctx, ctx.claims[cid], s, found, said)
            if best is None or SEVERITY_RANK[f.severity] < SEVERITY_RANK[best.severity]:
                best = f
        yield best


def _judge_present(ctx: Context, c: Claim, s, regs: list[Claim], said: dict[str, str]) -> Finding:
    label = ctx.case.label
    lo, hi = s.lo, s.hi
    who, where = label(s.person), label(s.place)
    sents = []
    for r in regs:
        if r.id not in said:
            said[r.id] = _register_sentence(ctx, r)
        sents.append(said[r.id])
    when = "throughout" if s.throughout else "at some moment in"
    what = {"departure": f"has {who} leave {where}", "arrival": f"has {who} reach {where}",
            "meeting": f"puts {who} at {where}"}.get(s.role, "is dated")
    head = "; ".join(sents) + f"; {ctx.quote(c)} {what}" + (
        f" {describe(c.when)}" if s.role == "presence" and not s.throughout else f" {when} {describe(c.when)}")
    head = head[:1].upper() + head[1:]
    total = n_days(lo, hi)
    out = pieces_outside(lo, hi, [(r.when.lo, r.when.hi) for r in regs])
    details = {"scope": "present", "person": s.person, "place": s.place, "role": s.role,
               "registers": [r.id for r in regs], "claim_days": days(total), "claim_edtf": c.when.edtf,
               "register_periods": {r.id: r.when.edtf for r in regs}}
    title = "Whereabouts that a complete register of those present excludes"
    window = None
    if s.throughout or not out:
        sev = "impossible"
        reason = ("and the register's period overlaps that stay" if s.throughout and out
                  else "wholly within the period the register covers")
        expl = (f"{head}, {reason}, and {who} is not listed: the claim cannot be true as told.")
    else:
        free = sum(n_days(*p) or 0 for p in out)
        covered = None if total is None else total - free
        sev = "strained" if total is not None and free <= total / 2 else "note"
        expl = (f"{head}, and {who} is not listed"
                + (f": {of_its(covered, total)} {'lies' if covered == DAY else 'lie'} "
                   f"within the register's period" if covered is not None else "")
                + ". It holds only if it fell on "
                + " or ".join(span_text(*p) for p in out)
                + ", outside the period the register covers.")
        window = window_of(*widest(out))
        details["windows"] = [window_of(*p) for p in out]
        details["days_covered"] = days(covered)
        details["days_free"] = None if total is None else days(free)
        title = "Whereabouts that a complete register of those present excludes for part of its dates"
    return ctx.finding(NAME, sev, [c.id, *[r.id for r in regs]], expl, title=title,
                       window=window, details=details)


def _register_sentence(ctx: Context, r: Claim) -> str:
    listed = ", ".join(ctx.case.label(p) for p in r.lists) or "nobody"
    return (f"{_reg_name(ctx, r)} is complete for {_scope_phrase(ctx, r)} in "
            f"{describe(r.when)} and lists {listed}")


def _judge(ctx: Context, c: Claim, sure: list[Claim], maybe: list[Claim],
           said: dict[str, str]) -> Finding:
    lo, hi = c.when.lo, c.when.hi
    out_sure = pieces_outside(lo, hi, [(r.when.lo, r.when.hi) for r in sure])
    out_all = pieces_outside(lo, hi, [(r.when.lo, r.when.hi) for r in sure + maybe])
    total = n_days(lo, hi)
    regs = sure + maybe
    mode_word = "journey" if c.kind == "travel" else "message"
    first = regs[0]
    # The register sentence(s).
    reg_sents = []
    for r in regs:
        sent = said.get(r.id)
        if sent is None:
            sent = said[r.id] = _register_sentence(ctx, r)
        reg_sents.append(sent)
    head = "; ".join(reg_sents) + f"; {ctx.quote(c)} is dated {describe(c.when)}"
    head = head[:1].upper() + head[1:]
    who = _who(ctx, first, c)
    details = {
        "scope": first.scope,
        "registers": [r.id for r in regs],
        "registers_by_unknown_means": [r.id for r in maybe],
        "claim_days": days(total),
        "claim_edtf": c.when.edtf,
        "register_periods": {r.id: r.when.edtf for r in regs},
    }
    means = maybe[0].by if maybe else None
    if not out_sure:
        sev = "impossible"
        expl = (f"{head}, wholly within the period the register covers, and {who} is not listed: "
                f"the {mode_word} cannot have happened as told.")
        title = f"A {mode_word} that a complete register excludes"
        window = None
        details["days_covered"] = days(total)
    elif not out_all:
        sev = "strained"
        gaps = out_sure if sure else []
        expl = (f"{head}, and {who} is not listed. The claim gives no means, and the register "
                f"covers {means}: it holds only if the {mode_word} was not by {means}")
        if sure and gaps:
            expl += (", or if it fell on " + " or ".join(f"{day(p[0])} .. {day(p[1], end=True)}" for p in gaps)
                     + ", outside the period of the registers that cover every means")
        expl += "."
        title = f"A {mode_word} a complete register excludes unless it went by other means"
        window = window_of(*widest(gaps)) if gaps else None
        details["windows"] = [window_of(*p) for p in gaps]
    elif len(out_sure) == 1 and out_sure[0] == (lo, hi):
        # Only registers of a means the claim does not give touch it, and only in part.
        covered = (total - sum(n_days(*p) or 0 for p in out_all)) if total else None
        sev = "note"
        expl = (f"{head}, and {who} is not listed. The claim gives no means; had it gone by {means}, "
                f"it could only fall on " + " or ".join(f"{day(p[0])} .. {day(p[1], end=True)}" for p in out_all)
                + (f" ({of_its(covered, total)} are covered)" if covered is not None else "") + ".")
        title = f"A {mode_word} partly covered by a register of another means"
        window = None
        details["windows"] = [window_of(*p) for p in out_all]
    else:
        sev = "strained"
        free = sum(n_days(*p) or 0 for p in out_sure)
        covered = None if total is None else total - free
        expl = (f"{head}, and {who} is not listed"
                + (f": {of_its(covered, total)} lie within the register's period" if covered is not None else "")
                + f". It holds only if the {mode_word} fell on "
                + " or ".join(f"{day(p[0])} .. {day(p[1], end=True)}" + (f" ({duration(n_days(*p))})" if n_days(*p) else "")
                              for p in out_sure)
                + ", outside the period the register covers.")
        title = f"A {mode_word} that a complete register excludes for part of its dates"
        window = window_of(*widest(out_sure))
        details["windows"] = [window_of(*p) for p in out_sure]
        details["days_covered"] = days(covered)
        details["days_free"] = None if total is None else days(free)
    return ctx.finding(NAME, sev, [c.id, *[r.id for r in regs]], expl, title=title,
                       window=window, details=details)


def check(ctx: Context) -> Iterator[Finding]:
    # belie.rules.check pauses the cyclic garbage collector for the whole run.
    return _findings(ctx)


RULE = Rule(
    name=NAME,
    title="Excluded by a register",
    summary="A journey, message or whereabouts that a register, complete for its scope and period, does not list.",
    check=check,
)
