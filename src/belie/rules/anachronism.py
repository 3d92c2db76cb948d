"""anachronism: a source that reports as done what, by the claim's own dates, happened after it.

A source is said, written or published at some moment of its ``said``; what it reports as
having happened must have happened by then.  A claim whose own date begins after the
latest moment its source can date from reports what had not yet happened: a report filed
before the event it describes, a confession that tells of a meeting later than the
confession itself.

Which claims.  Those that report something as having happened: a presence, a meeting, a
travel, a message, a register (a record complete for its period), a statement with a
``when``, and an accusation with its own ``during`` (without one, its period is the
source's date).  Not a stance or an ``existed`` (a word on how things stood, not an
event), and not a denial (to deny what had not yet happened is no anachronism).  A claim
or source with an open or missing date gives nothing.

Severity.

* the claim's earliest moment is after the source's latest: **impossible**;
* a claim at *some moment* of an interval written as one (``A/B``) that begins by the
  source's latest moment but ends after it can be true only in the part up to it
  (``window``): **strained** when that is at most a quarter of the interval, a **note**
  when at most half, else nothing (a wide date that runs past its source is usual and
  harmless).  A date written as one day, month or year that contains the source's own
  date gives nothing: "in 1921", said in May 1921, means the part of 1921 before it;
* a claim over its *whole* interval (``throughout``, a register's period) that begins by
  the source's latest moment but runs past it reports as seen what the source cannot yet
  have seen: a **note**, with the part it can have seen as ``window``.
"""
from __future__ import annotations

from typing import Iterator

from belie.model.claims import Claim
from belie.model.dates import DAY, OPEN_END, OPEN_START, duration, fmt_instant, in_days, span_from
from belie.rules.base import Context, Finding, Rule

NAME = "anachronism"

#: The claim kinds that report an event as done (see the module's docstring).
EVENT_KINDS = frozenset({"presence", "meeting", "travel", "message", "register", "statement", "accusation"})
#: Kinds whose date is a whole period the claim speaks for (a register is complete for it).
WHOLE_PERIOD_KINDS = frozenset({"register"})
#: A `when` claim left true on at most this share of its interval is strained; on at most
#: NOTE_SHARE, a note (the ladder the whereabouts rules use).
NARROW_SHARE = 0.25
NOTE_SHARE = 0.5


def _applies(c: Claim) -> bool:
    if c.denies or c.when is None or c.kind not in EVENT_KINDS:
        return False
    if c.kind == "accusation" and "during" not in c.raw:
        return False            # its period is the source's own date
    return c.when.lo > OPEN_START and c.when.hi < OPEN_END


def _length(span) -> int:
    """The length of a bounded span, in seconds (belie.model.dates)."""
    return span.hi + 1 - span.lo


def _share(span, whole) -> float | None:
    n, d = _length(span), _length(whole)
    return None if not n or not d else n / d


def _of_its(part, whole) -> str:
    """'3 of its 10 days', or at the scale of times '20 min of its 1 h'."""
    n, d = _length(part), _length(whole)
    if n % DAY == 0 and d % DAY == 0:
        return f"{n // DAY} of its {d // DAY} days"
    return f"{duration(n)} of its {duration(d)}"


def _judge(ctx: Context, c: Claim) -> Finding | None:
    src = ctx.case.sources.get(c.source)
    said = src.said if src is not None else None
    if said is None or said.hi >= OPEN_END or said.lo <= OPEN_START:
        return None
    when = c.when
    if when.hi <= said.hi:
        return None
    whole = c.throughout or c.kind in WHOLE_PERIOD_KINDS
    head = (f"{ctx.quote(c)} reports as done what its own date puts at {when.show()}"
            if not whole else
            f"{ctx.quote(c)} speaks for the whole of {when.show()}")
    dated = f"{src.label} ({src.kind}) is dated {said.show()}"
    details = {"claim_edtf": when.edtf, "said_edtf": said.edtf, "source": src.id,
               "whole_period": whole}
    if when.lo > said.hi:
        expl = (f"{head}; {dated}. Its earliest moment, {fmt_instant(when.lo)}, comes after the latest "
                f"moment the source can date from, {fmt_instant(said.hi)}: the source reports as done what "
                f"had not yet happened when it was said, written or published.")
        return ctx.finding(NAME, "impossible", [c.id], expl,
                           title="Reported before it happened", details=details)
    known = span_from(when.lo, said.hi)
    share = _share(known, when)
    details["window_days"] = in_days(_length(known))
    details["claim_days"] = in_days(_length(when))
    if whole:
        expl = (f"{head}; {dated}. The source can have seen it only up to {fmt_instant(said.hi)} "
                f"({known.describe()}); the rest, up to {fmt_instant(when.hi)}, came after it was said, "
                f"written or published: it reports that part as seen before it happened.")
        return ctx.finding(NAME, "note", [c.id], expl, window=known.edtf,
                           title="A period reported past the source's own date", details=details)
    if share is None or share > NOTE_SHARE:
        return None
    if when.precision != "interval" and when.lo <= said.lo:
        # "In 1921", said in May 1921, means the part of 1921 before it was said: a date
        # written as one day, month or year around the source's own is no anachronism.
        return None
    sev = "strained" if share <= NARROW_SHARE else "note"
    expl = (f"{head}; {dated}. Only {known.describe()} of it comes no later than the source "
            f"({_of_its(known, when)}): the claim can be true only if it happened "
            f"then, not in the part after the source was said, written or published.")
    return ctx.finding(NAME, sev, [c.id], expl, window=known.edtf,
                       title="True only if it happened before the source", details=details)


def check(ctx: Context) -> Iterator[Finding]:
    # The latest moment of each dated source; most claims end by it and are passed over
    # with one look-up and one comparison.
    latest = {sid: s.said.hi for sid, s in ctx.case.sources.items()
              if s.said is not None and s.said.lo > OPEN_START and s.said.hi < OPEN_END}
    if not latest:
        return
    get = latest.get
    for c in ctx.of_kind(*sorted(EVENT_KINDS)):        # _applies: no other kind
        hi = get(c.source)
        if hi is None or c.when is None or c.when.hi <= hi or not _applies(c):
            continue
        f = _judge(ctx, c)
        if f is not None:
            yield f


RULE = Rule(
    name=NAME,
    title="Anachronism",
    summary="A source that reports as done what, by the claim's own dates, happened after the source.",
    check=check,
)
