"""Accounts compared: what the ``conflicting-accounts``, ``self-contradiction``,
``register``, ``uncorroborated`` and ``escalation`` rules share (not a rule itself).

It compares two claims (or a denial and an assertion) and words the verdict, with the
date helpers those rules use.  What follows describes the comparison as
conflicting-accounts applies it.

conflicting-accounts: claims about the same event that cannot all be true.

Claims that share an ``event`` id describe one alleged event.  Two of them conflict
when they put it at incompatible places, at dates that cannot overlap (or overlap only
at the edges of both), with different people, as different kinds of contact, or when
one account asserts what another denies.  A denial (``denies: true``) by one speaker
also conflicts with a matching assertion by *another* speaker when the two share no
event id; a denial matching the same speaker's own assertion is a self-contradiction.

Division of labour with ``self-contradiction`` (documented on both rule pages): every
pair of claims that shares an event id is reported here, whoever made them (the
explanation says so when one speaker made both); ``self-contradiction`` reports a
speaker's contradictions between claims that do not share an event.

This module also holds the small date helpers that the register, self-contradiction
and uncorroborated rules share.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator

from belie.model.claims import Claim
from belie.model.dates import DAY, OPEN_END, OPEN_START, duration, edtf_of, fmt_instant, is_open, plural
from belie.rules.base import SEVERITY_RANK, Context, Finding
from belie.rules.whereabouts import widest


#: Kinds whose `when` dates the event itself (a moment, or a stay for `throughout`).
DATED_EVENT_KINDS = frozenset({"presence", "meeting", "travel", "message", "statement"})
#: Kinds a denial can be matched against.
DENIABLE_KINDS = frozenset({"presence", "meeting", "travel", "message", "accusation", "statement"})
#: An overlap of two accounts' dates is called narrow when it is a proper part of both
#: and shorter than this share of the shorter of the two intervals.
NARROW_SHARE = 0.5
#: Events with more accounts than this are compared in full all the same; the figure
#: only guards the pair count against a mistaken event id shared by a whole corpus.
MAX_GROUP = 2000


# ------------------------------------------------------------------ shared date helpers


def n_days(lo: int, hi: int) -> int | None:
    """The length of [lo, hi] in seconds (None when either end is open)."""
    return None if is_open(lo, hi) else hi + 1 - lo


def day(o: int, *, end: bool = False) -> str:
    """One bound for a reader (its day, or its time in UTC); open ends read as such."""
    if o <= OPEN_START:
        return "the open past"
    if o >= OPEN_END:
        return "the open future"
    return fmt_instant(o, end=end)


def of_its(part: int, total: int) -> str:
    """'3 days of its 10' (whole days, as ever) or '20 min of its 1 h'."""
    if part % DAY == 0 and total % DAY == 0:
        return f"{duration(part)} of its {total // DAY}"
    return f"{duration(part)} of its {duration(total)}"


def days(seconds: int | None):
    """A length in days for machine readers: an int when whole."""
    if seconds is None:
        return None
    return seconds // DAY if seconds % DAY == 0 else round(seconds / DAY, 4)


def describe(span) -> str:
    """A date as written, the EDTF it reads as and its bounds, as `belie check` shows
    dates everywhere (DateSpan.show): ``“end of July 1933” (read as 1933-07-21/1933-07-31:
    21 Jul 1933 .. 31 Jul 1933)``, or ``1921-03 (1 Mar 1921 .. 31 Mar 1921)``."""
    if span is None:
        return "undated"
    return span.show()


def window_of(lo: int, hi: int) -> str:
    """EDTF of [lo, hi]."""
    return edtf_of(lo, hi)


def pieces_outside(lo: int, hi: int, covers: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [lo, hi] that no interval of `covers` touches, in order."""
    ivs = sorted((max(a, lo), min(b, hi)) for a, b in covers if a <= hi and b >= lo)
    out: list[tuple[int, int]] = []
    cur = lo
    for a, b in ivs:
        if a > cur:
            out.append((cur, a - 1))
        if b + 1 > cur:
            cur = b + 1
        if cur > hi:
            break
    if cur <= hi:
        out.append((cur, hi))
    return out




def worst(a: str, b: str) -> str:
    return a if SEVERITY_RANK[a] <= SEVERITY_RANK[b] else b


def speaker_name(ctx: Context, claim: Claim) -> str:
    """Who makes a claim, for a reader: the speaker's name, else the source's title or id."""
    sp = ctx.speaker(claim)
    if sp in ctx.case.entities:
        return ctx.case.label(sp)
    src = ctx.case.sources.get(claim.source)
    return src.label if src is not None else sp


def cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------ comparing two accounts


class Verdict:
    """What is wrong between two claims: a severity, reasons, figures and a window."""

    __slots__ = ("severity", "reasons", "details", "window", "title")

    def __init__(self):
        self.severity: str | None = None
        self.reasons: list[str] = []
        self.details: dict = {}
        self.window: str | None = None
        self.title: str = ""

    def add(self, severity: str, reason: str, title: str = "") -> None:
        if self.severity is None or SEVERITY_RANK[severity] < SEVERITY_RANK[self.severity]:
            self.severity = severity
            if title:
                self.title = title
        elif not self.title and title:
            self.title = title
        self.reasons.append(reason)


def _people(ctx: Context, ids) -> str:
    ids = list(ids)
    return ", ".join(ctx.case.label(p) for p in ids) if ids else "nobody"


def _place_covers(ctx: Context, denied: str | None, asserted: str | None) -> str:
    """How a denial's place bears on an assertion's: "all" (the denial covers it: same
    place, or one containing it, or no place given), "part" (the assertion names a larger
    place that contains the denied one), "none" (elsewhere)."""
    if denied is None:
        return "all"
    if asserted is None:
        return "part"
    places = ctx.places
    if places.contains(denied, asserted):
        return "all"
    if places.contains(asserted, denied):
        return "part"
    return "none"


#: Kinds that put a person somewhere: a denial of presence answers each of them.
WHEREABOUTS = ("presence", "meeting", "travel")


def _denial_people_match(d: Claim, a: Claim) -> bool:
    if d.kind == "presence" and a.kind in WHEREABOUTS:
        return d.person in a.people
    if d.kind != a.kind:
        return True
    if d.kind == "meeting":
        return set(d.people) <= set(a.people)
    if d.kind == "message":
        return tuple(d.people) == tuple(a.people)
    if d.kind == "accusation":
        return tuple(d.people) == tuple(a.people) and d.serving == a.serving
    if d.kind == "statement":
        return _norm_text(d.text) == _norm_text(a.text)
    return tuple(d.people[:1]) == tuple(a.people[:1])


def _norm_text(text: str | None) -> str:
    return " ".join((text or "").casefold().split()).strip(" .!?;:")


def compare_denial(ctx: Context, d: Claim, a: Claim, *, same_event: bool) -> Verdict | None:
    """A denial `d` against an assertion `a`.  Without a shared event they must be of one
    kind and name the same people; with one, the denial denies that event whatever kind
    its account is, as far as its place and date reach."""
    if not same_event and d.kind != a.kind and not (d.kind == "presence" and a.kind in WHEREABOUTS):
        return None
    if not _denial_people_match(d, a):
        return None
    label = ctx.case.label
    v = Verdict()
    narrow: list[str] = []
    # Places: the denial's where / from / to against the assertion's.
    for key, noun in (("where", "place"), ("origin", "place of departure"), ("destination", "destination")):
        dp = getattr(d, key)
        if dp is None:
            continue
        if d.kind == a.kind:
            ap = getattr(a, key)
        elif a.kind == "travel":
            # Denied presence against a journey: it puts the traveller at both ends.
            ends = [p for p in (a.destination, a.origin) if p]
            covers = [(_place_covers(ctx, dp, p), p) for p in ends]
            ap = next((p for c, p in covers if c == "all"), None) or next(
                (p for c, p in covers if c == "part"), a.destination)
        else:
            ap = a.where or a.destination
        cover = _place_covers(ctx, dp, ap)
        if cover == "none":
            return None
        if cover == "part":
            if ap is None:
                narrow.append(f"the assertion names no {noun}, so both hold only if it was not at {label(dp)}")
            else:
                narrow.append(f"both hold only if it happened somewhere in {label(ap)} other than {label(dp)}")
    # Time: the denial says "at no moment of its interval"; the assertion "at some
    # moment of its own" (for `throughout`, the whole of it).
    window = None
    if d.when is not None and a.when is not None:
        dl, dh, al, ah = d.when.lo, d.when.hi, a.when.lo, a.when.hi
        if dh < al or ah < dl:
            return None
        if not (a.throughout or (dl <= al and ah <= dh)):
            # Part of the assertion's interval lies outside the denial's.
            pieces = pieces_outside(al, ah, [(dl, dh)])
            w = widest(pieces)
            window = window_of(*w)
            v.details["window_days"] = days(n_days(*w))
            narrow.append("both hold only if it happened " + " or ".join(
                f"{day(p[0])} .. {day(p[1], end=True)}" for p in pieces) + f", outside the denied {describe(d.when)}")
    elif d.when is not None and a.when is None:
        narrow.append(f"the assertion gives no date, so both hold only if it happened outside {describe(d.when)}")
    base = f"the denial {ctx.quote(d)} contradicts the account {ctx.quote(a)}"
    if d.when is not None or a.when is not None:
        denied = describe(d.when) if d.when is not None else "at any time"
        base += f" (denied: {denied}; asserted: {describe(a.when)})"
    if narrow:
        v.add("strained", base + "; " + "; ".join(narrow) + ".", "A denial against an account, unless read narrowly")
        v.window = window
    else:
        v.add("impossible", base + ", and the denial covers the assertion's place and date.",
              "One account denies what another asserts")
    v.details["denial"] = d.id
    v.details["assertion"] = a.id
    return v


def compare_accounts(ctx: Context, a: Claim, b: Claim) -> Verdict | None:
    """Two claims with the same event id.  None when they agree."""
    if a.denies and b.denies:
        return None
    if a.denies or b.denies:
        d, s = (a, b) if a.denies else (b, a)
        if d.kind not in DENIABLE_KINDS or s.kind not in DENIABLE_KINDS:
            return None
        return compare_denial(ctx, d, s, same_event=True)
    if a.kind not in DATED_EVENT_KINDS or b.kind not in DATED_EVENT_KINDS:
        return None
    label, places = ctx.case.label, ctx.places
    v = Verdict()
    # Place.
    pairs = []
    if a.kind in ("presence", "meeting") and b.kind in ("presence", "meeting"):
        pairs.append(("place", a.where, b.where))
    if a.kind == b.kind == "travel":
        pairs += [("place of departure", a.origin, b.origin), ("destination", a.destination, b.destination)]
    for noun, pa, pb in pairs:
        if pa and pb and not places.compatible(pa, pb):
            dist = places.min_distance_km(pa, pb)
            far = f", at least {dist:,.0f} km apart" if dist else ""
            v.add("impossible", f"they give incompatible {noun}s for it: {label(pa)} and {label(pb)}{far}",
                  "Two accounts of one event at different places")
            v.details.setdefault("places", []).append([pa, pb])
            if dist is not None:
                v.details.setdefault("distance_km", round(dist, 1))
    # Time.
    if a.when is not None and b.when is not None:
        al, ah, bl, bh = a.when.lo, a.when.hi, b.when.lo, b.when.hi
        if ah < bl or bh < al:
            first, second = (a, b) if ah < bl else (b, a)
            gap = second.when.lo - first.when.hi - 1
            v.add("impossible",
                  f"their dates cannot overlap: {first.when.text} ends on {day(first.when.hi, end=True)}, "
                  f"{duration(gap)} before {second.when.text} begins on {day(second.when.lo)}",
                  "Two accounts of one event at different dates")
            v.details["gap_days"] = days(gap)
        else:
            lo, hi = max(al, bl), min(ah, bh)
            inter = n_days(lo, hi)
            na, nb = n_days(al, ah), n_days(bl, bh)
            proper = (al, ah) != (lo, hi) and (bl, bh) != (lo, hi)
            shorter = min(x for x in (na, nb, float("inf")) if x is not None)
            if (proper and inter is not None and shorter != float("inf")
                    and inter < NARROW_SHARE * shorter):
                v.add("strained",
                      f"their dates overlap only in "
                      f"{duration(inter)}, {day(lo)} .. {day(hi, end=True)}: both hold only if the event fell then",
                      "Two accounts of one event agree only at the edges of their dates")
                v.window = window_of(lo, hi)
                v.details["overlap_days"] = days(inter)
    # Participants.
    if a.kind == b.kind == "meeting":
        sa, sb = set(a.people), set(b.people)
        if sa != sb:
            parts = []
            if sb - sa:
                parts.append(f"the account of {a.source} ({a.id}) does not name {_people(ctx, sorted(sb - sa))}")
            if sa - sb:
                parts.append(f"the account of {b.source} ({b.id}) does not name {_people(ctx, sorted(sa - sb))}")
            v.add("note", "they name different participants: " + "; ".join(parts),
                  "Two accounts of one event name different people")
            v.details["participants"] = {a.id: sorted(sa), b.id: sorted(sb)}
    elif a.kind == b.kind == "message" and tuple(a.people) != tuple(b.people):
        v.add("strained", f"one has {label(a.sender)} write to {label(a.recipient)}, the other "
              f"{label(b.sender)} to {label(b.recipient)}: both hold only if the message was written "
              "or received jointly", "Two accounts of one message name different parties")
        v.details["participants"] = {a.id: list(a.people), b.id: list(b.people)}
    elif a.kind == b.kind == "travel" and a.person != b.person:
        v.add("note", f"one has {label(a.person)} travel, the other {label(b.person)}",
              "Two accounts of one journey name different travellers")
    # Kind: in person or at a distance.
    if {a.kind, b.kind} == {"meeting", "message"}:
        v.add("note", "one account has the parties meet in person, the other exchange a message",
              "Two accounts of one event disagree on its kind")
    return v if v.severity else None


def explain_pair(ctx: Context, a: Claim, b: Claim, v: Verdict, event: str | None) -> str:
    sa, sb = ctx.speaker(a), ctx.speaker(b)
    if a.denies or b.denies:
        head = cap_first(v.reasons[0])
        if event:
            head = f"Both concern the event “{event}”. " + head
    else:
        head = (f"{ctx.quote(a)}, dated {describe(a.when)}, and {ctx.quote(b)}, dated {describe(b.when)}, "
                f"both describe the event “{event}”, but " + "; ".join(v.reasons) + ".")
    if sa == sb:
        head += (f" Both accounts come from {speaker_name(ctx, a)}"
                 + (f", in two texts ({a.source}, {b.source})." if a.source != b.source else "."))
    return head


def pair_finding(ctx: Context, rule: str, a: Claim, b: Claim, v: Verdict, explanation: str) -> Finding:
    details = dict(v.details)
    details.setdefault("dates", {c.id: (c.when.edtf if c.when is not None else None) for c in (a, b)})
    return ctx.finding(rule, v.severity, [a.id, b.id], explanation, title=v.title,
                       window=v.window, details=details)


# ------------------------------------------------------------------ denial index


def _denial_keys(d: Claim) -> list[tuple]:
    first = d.people[0] if d.people else _norm_text(d.text)
    if d.kind == "presence":
        return [(k, first) for k in WHEREABOUTS]
    return [(d.kind, first)]


def denial_pairs(ctx: Context) -> Iterator[tuple[Claim, Claim]]:
    """Every (denial, assertion) pair that may answer each other and share no event id:
    of one kind naming the same first person, or a denied presence against any claim
    that puts its person somewhere.  Assertions are indexed by (kind, person); denials
    are few."""
    denials = [c for c in ctx.denials if c.kind in DENIABLE_KINDS]
    if not denials:
        return
    wanted = {k for d in denials for k in _denial_keys(d)}
    index: dict[tuple, list[Claim]] = defaultdict(list)
    # Each key names one kind, so the claims of the kinds asked for, kind by kind, fill
    # every list of the index in the case's order.
    for c in ctx.of_kind(*sorted({k[0] for k in wanted} & DENIABLE_KINDS)):
        if c.denies or c.kind not in DENIABLE_KINDS:
            continue
        keys = c.people if c.kind == "meeting" else (c.people[:1] if c.people else (_norm_text(c.text),))
        for p in keys:
            k = (c.kind, p)
            if k in wanted:
                index[k].append(c)
    for d in denials:
        for k in _denial_keys(d):
            for a in index.get(k, ()):
                if d.event is not None and d.event == a.event:
                    continue
                yield d, a
