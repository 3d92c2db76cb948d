"""uncorroborated: an allegation that only confessions or testimony support, with no record.

An *allegation* is an accusation, meeting, message, travel or statement, or a presence
that places someone at an alleged event (a presence with an ``event`` id).  Claims that
share an ``event`` id are one allegation; any other claim is one by itself.  It is
*corroborated* when

* one of its own claims comes from a source of a corroborating kind (record, finding,
  official, letter; for an accusation only a record or a finding: a government's charge
  is one more allegation), or a claim of such a source agrees with one of its claims:
  the same kind, the same people (the same accused and power, for accusations; the same
  sender and recipient, for messages), compatible places and overlapping dates; for
  statements, the same text, or the same (non-empty) set of ``about`` entities; or
* two parties to it tell it alike, one of them outside custody: claims made by two
  different people it names, agreeing as above (or sharing its event id), not both
  confessions.  The other side of a meeting has every reason to deny it; when he
  confirms it, the confession is not alone.

It is reported (severity note), once, when it is not corroborated and at least one of
its sources is a confession or testimony; allegations of the press or of studies alone
are left to the rules that weigh voices (shifting-accusation).  The finding lists every
source that supports it with its kind and speaker.  Registers, stances and ``existed``
claims are not allegations, and denials are neither allegations nor corroboration.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterator

from belie.model.claims import Claim
from belie.rules.base import Context, Finding, Rule
from belie.rules.accounts import describe, plural, speaker_name

NAME = "uncorroborated"

#: Kinds of source whose agreement corroborates an allegation.
CORROBORATING = frozenset({"record", "finding", "official", "letter"})
#: An accusation is corroborated only by a record or a finding: a government's or a
#: correspondent's charge that someone serves a power is one more allegation.
ACCUSATION_CORROBORATING = frozenset({"record", "finding"})
#: An allegation is reported when one of its sources is of these kinds (and it is not
#: corroborated); an allegation of the press or a study alone is not.
WEAK = frozenset({"confession", "testimony"})
#: Kinds of claim that allege something.
ALLEGING = frozenset({"accusation", "meeting", "message", "travel", "statement"})
#: Most claims quoted in one explanation (all are in `claims`).
MAX_QUOTED = 6

_KIND_NOUNS = {"confession": ("confession", "confessions"), "testimony": ("testimony", "testimonies"),
               "press": ("press report", "press reports"), "study": ("study", "studies")}


def _norm(text: str | None) -> str:
    return " ".join((text or "").casefold().split()).strip(" .!?;:\"'“”")


def _keys(c: Claim) -> list[tuple]:
    """Index keys under which a corroborating claim is looked up."""
    if c.kind == "statement":
        keys = [("statement-text", _norm(c.text))]
        if c.people:
            keys.append(("statement-about", frozenset(c.people)))
        return keys
    if c.kind == "accusation":
        return [("accusation", frozenset(c.people), c.serving)]
    if c.kind == "message":
        return [("message", tuple(c.people))]
    return [(c.kind, frozenset(c.people))]


def _agrees(ctx: Context, a: Claim, r: Claim) -> bool:
    """Does record-kind claim `r` agree with allegation claim `a` (same key assumed)?"""
    aw, rw = a.when, r.when
    if aw is not None and rw is not None and (aw.hi < rw.lo or rw.hi < aw.lo):
        return False
    compatible = ctx.places.compatible
    for pa, pr in ((a.where, r.where), (a.origin, r.origin), (a.destination, r.destination)):
        if pa and pr and pa != pr and not compatible(pa, pr):
            return False
    if a.kind == "message" and a.by and r.by and a.by != r.by:
        return False
    return True


def _is_allegation(c: Claim) -> bool:
    if c.denies:
        return False
    return c.kind in ALLEGING or (c.kind == "presence" and c.event is not None)


def _findings(ctx: Context) -> Iterator[Finding]:
    source_kind = {sid: s.kind for sid, s in ctx.case.sources.items()}
    speaker = ctx.speaker
    # Which sources corroborate what they agree with: any claim, or an accusation too.
    weighty_src = {sid for sid, k in source_kind.items() if k in CORROBORATING}
    weighty_acc_src = {sid for sid, k in source_kind.items() if k in ACCUSATION_CORROBORATING}

    def kind_of(c: Claim) -> str:
        return source_kind.get(c.source, "testimony")

    def weighty(c: Claim) -> bool:
        """A claim whose source corroborates what it agrees with."""
        return c.source in (weighty_acc_src if c.kind == "accusation" else weighty_src)

    def parties_agree(a: Claim, b: Claim) -> bool:
        """Two parties to an event tell it alike, and one of them outside custody."""
        sa, sb = speaker(a), speaker(b)
        return (sa != sb and sa in a.people and sb in a.people
                and (kind_of(a) != "confession" or kind_of(b) != "confession"))

    # Allegations: event groups, and single claims; the keys they are looked up by.
    groups: dict[str, list[Claim]] = defaultdict(list)
    singles: list[Claim] = []
    wanted = set()
    keys_of: dict[int, list[tuple]] = {}          # id(claim) -> its keys, for the allegations
    for c in ctx.case.claims:
        if c.denies:
            continue
        kind = c.kind
        if kind in ALLEGING:
            pass
        elif kind == "presence" and c.event is not None:
            pass
        else:
            continue
        ks = keys_of[id(c)] = _keys(c)
        wanted.update(ks)
        if c.event is not None:
            groups[c.event].append(c)
        else:
            singles.append(c)
    # Claims that may corroborate, indexed; only keys some allegation asks for are kept.
    index: dict[tuple, list[Claim]] = defaultdict(list)
    for c in ctx.case.claims:
        if c.denies:
            continue
        if not (c.source in (weighty_acc_src if c.kind == "accusation" else weighty_src)
                or speaker(c) in c.people):
            continue
        ks = keys_of.get(id(c))
        for k in (_keys(c) if ks is None else ks):
            if k in wanted:
                index[k].append(c)

    def corroborated(claims: list[Claim]) -> bool:
        if any(weighty(c) for c in claims):
            return True
        if len(claims) > 1:
            people = {p for c in claims for p in c.people}
            parties: dict[str, bool] = {}          # party -> speaks outside custody somewhere
            for c in claims:
                sp = speaker(c)
                if sp in people:
                    parties[sp] = parties.get(sp, False) or kind_of(c) != "confession"
            if len(parties) > 1 and any(parties.values()):
                return True
        for c in claims:
            for k in keys_of[id(c)]:
                for r in index.get(k, ()):
                    if r.event is not None and r.event == c.event:
                        continue          # judged with its group above
                    if not _agrees(ctx, c, r):
                        continue
                    if weighty(r) or parties_agree(c, r):
                        return True
        return False

    for event, claims in groups.items():
        if any(kind_of(c) in WEAK for c in claims) and not corroborated(claims):
            yield _finding(ctx, claims, event, kind_of)
    for c in singles:
        if kind_of(c) in WEAK and not corroborated([c]):
            yield _finding(ctx, [c], None, kind_of)


def _finding(ctx: Context, claims: list[Claim], event: str | None, kind_of) -> Finding:
    by_source: dict[str, Claim] = {}
    for c in claims:
        by_source.setdefault(c.source, c)
    kinds = Counter(kind_of(c) for c in by_source.values())
    speakers = sorted({ctx.speaker(c) for c in claims})
    srcs_of_kind: dict[str, list[str]] = defaultdict(list)
    for sid, c in by_source.items():
        srcs_of_kind[kind_of(c)].append(sid)
    support = []
    for k, n in kinds.most_common():
        one, many = _KIND_NOUNS.get(k, (k, k + "s"))
        support.append(f"{n} {one if n == 1 else many} ({', '.join(srcs_of_kind[k])})")
    what = f"The event “{event}”" if event else "The allegation"
    quoted = []
    for c in claims[:MAX_QUOTED]:
        q = ctx.quote(c)
        if c.when is not None:
            q += f", dated {describe(c.when)}"
        quoted.append(q)
    if len(claims) > MAX_QUOTED:
        quoted.append(f"and {plural(len(claims) - MAX_QUOTED, 'more claim')}")
    names = sorted({speaker_name(ctx, c) for c in claims})
    voices = f"from {plural(len(names), 'speaker')} ({', '.join(names)})"
    expl = (f"{what} — {'; '.join(quoted)} — is supported only by {', '.join(support)}, {voices}; "
            f"no record, finding, official document or letter agrees with it"
            + (", and no second party to it confirms it." if any(c.people for c in claims) else "."))
    details = {
        "event": event,
        "sources": [{"id": sid, "kind": kind_of(c), "speaker": ctx.speaker(c)} for sid, c in by_source.items()],
        "by_kind": dict(kinds),
        "speakers": speakers,
        "n_sources": len(by_source),
    }
    return ctx.finding(NAME, "note", [c.id for c in claims], expl,
                       title="An allegation with no record behind it", details=details)


def check(ctx: Context) -> Iterator[Finding]:
    # belie.rules.check pauses the cyclic garbage collector for the whole run.
    return _findings(ctx)


RULE = Rule(
    name=NAME,
    title="Uncorroborated allegation",
    summary="An allegation supported only by confessions, testimony or the press, with no record, "
            "finding, official document or letter that agrees.",
    check=check,
)
