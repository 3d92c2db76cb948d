"""The fast path of claim building: a claim whose keys are all in order is made without
the general validator's per-key bookkeeping.

The loader's general reader (`belie.model.loading._build_claim`) checks every key of a
claim and collects a message for each problem.  At a million claims most of its time goes
to asking, for each claim, the same questions of the schema.  Here the schema is asked
once per *shape* of claim (the tuple of its keys): which kind, which keys are entity
references and of which types, which are enums, which dates, what is required.  Each claim
of that shape is then checked against ready sets (the ids of the entities of each type,
the values of each enum) and its dates read once per distinct text.

Anything the fast path is not sure of -- an unknown key, a missing key, a null, a number
where an id is expected, an unknown entity, a date it cannot read, a register claim (whose
rules depend on its scope) -- sends that one claim to the general reader, which builds it
or says what is wrong exactly as before.  So the fast path changes no claim and no message:
tests/model/test_claimfast.py builds every claim both ways and compares them.
"""
from __future__ import annotations

from belie.limits import MAX_ID_CHARS, MAX_QUOTE_CHARS
from belie.model.claims import Claim, stable_id
from belie.model.dates import DateError, NeedsZone, coerce_date, reads_anchor
from belie.model.schema import COMMON_KEYS, KEY_KIND, SCHEMA
from belie.model.yamlread import LDict, LList, plain

#: Returned by `FastClaims.build` when the claim must go to the general reader.
SLOW = object()

# Steps of a plan: how one key's value is checked and stored.
_REF, _REF1, _REFS, _ENUM, _TEXT = range(5)


class _Plan:
    __slots__ = ("kind", "steps", "some", "whole", "default_said", "by", "place_keys")

    def __init__(self, kind, steps, some, whole, default_said, by, place_keys):
        self.kind, self.steps, self.some, self.whole = kind, steps, some, whole
        self.default_said, self.by, self.place_keys = default_said, by, place_keys


def _plan(sig: tuple) -> _Plan | None:
    """What a claim with exactly the keys *sig* needs checked; None when the general reader
    must see it (no kind or several, a key that does not belong, a missing required key,
    a register claim)."""
    keys = set(sig)
    if len(keys) != len(sig) or "source" not in keys:
        return None
    kinds = [k for k in KEY_KIND if k in keys]
    if len(kinds) != 1:
        return None
    kkey = kinds[0]
    kind = KEY_KIND[kkey]
    ks = SCHEMA.kinds[kind]
    if ks.scopes:
        return None
    if not keys <= set(COMMON_KEYS) | set(ks.keys) | {kkey}:
        return None
    for group in ks.requires_one_of:
        if not any(g in keys for g in group):
            return None
    if any(k.required and k.name not in keys for k in ks.keys.values()):
        return None
    keyed = sorted((k for k in ks.keys.values() if k.value != "date" and k.name != "by"),
                   key=lambda k: k.is_list)
    steps = []
    for k, key in [(ks.subject, kkey), *((k, k.name) for k in keyed)]:
        subject = k is ks.subject
        if k.value == "entity":
            if k.min is not None and key not in keys:
                return None
            if k.is_list:
                n = k.count if k.count and k.count > 1 else None
                if subject and key not in keys:
                    return None
                steps.append((_REFS, key, k.field, k.refs, (n, k.min)))
            elif subject:
                if key not in keys:
                    return None
                steps.append((_REF1, key, k.field, k.refs, None))
            else:
                steps.append((_REF, key, k.field, k.refs, None))
        elif k.value == "enum":
            if subject:
                return None          # an enum subject (register) has its own rules
            steps.append((_ENUM, key, k.field, frozenset(SCHEMA.enum(k.enum)), k.required))
        elif k.value == "text":
            steps.append((_TEXT, key, k.field, k.nonempty, None))
        else:
            return None
    dates = ks.date_keys
    some = [k.name for k in dates if k.moment == "some"]
    whole = [k.name for k in dates if k.moment == "whole"]
    if some and whole:
        if some[0] in keys and whole[0] in keys:
            return None
        plan_some, plan_whole, default_said = some[0], whole[0], False
    elif dates:
        plan_some, plan_whole, default_said = dates[0].name, None, dates[0].default == "said"
    else:
        plan_some = plan_whole = None
        default_said = False
    by = None
    if "by" in keys:
        by = frozenset(SCHEMA.enum(ks.keys["by"].enum))
    return _Plan(kind, tuple(steps), plan_some, plan_whole, default_said, by,
                 tuple(k for k in ("where", "at", "from", "to") if k in keys))


class FastClaims:
    """Builds the claims of one case against its entities and sources (see the module)."""

    def __init__(self, reader, entities, sources):
        self.r = reader
        self.entities = entities
        self.settings = reader.settings.dates
        self.plans: dict[tuple, _Plan | None] = {}
        self.ids: dict = {}                       # entity types -> the ids of those types
        self.src: dict = {}                       # source id -> (source, calendar, anchor)
        for sid, s in sources.items():
            anchor = s.said.earliest if s.said and s.said.earliest == s.said.latest else None
            self.src[sid] = (s, s.calendar, anchor)
        self.dates: dict = {}                     # (text, calendar) -> DateSpan, for texts no anchor or zone reads

    def _ids(self, types):
        got = self.ids.get(types)
        if got is None:
            got = self.ids[types] = frozenset(eid for eid, e in self.entities.items()
                                              if types is None or e.type in types)
        return got

    def _date(self, value, calendar, anchor, source, place):
        if type(value) is str:
            span = self.dates.get((value, calendar))
            if span is not None:
                return span
            if value.strip() and "T" not in value and ":" not in value and not reads_anchor(value):
                try:
                    span = coerce_date(value, calendar=calendar, settings=self.settings)
                except (DateError, TypeError, ValueError):
                    return SLOW
                self.dates[(value, calendar)] = span
                return span
        try:
            try:
                return coerce_date(value, calendar=calendar, settings=self.settings, anchor=anchor)
            except NeedsZone:
                zone = self.r.zones.of(source, place)
                if zone is None:
                    return SLOW
                return coerce_date(value, calendar=calendar, settings=self.settings, anchor=anchor, zone=zone)
        except (DateError, TypeError, ValueError):
            return SLOW

    def build(self, file, spec) -> Claim | object:
        """The claim of *spec*, or `SLOW` when the general reader must read it."""
        sig = tuple(spec)
        plan = self.plans.get(sig, SLOW)
        if plan is SLOW:
            plan = self.plans[sig] = _plan(sig)
        if plan is None:
            return SLOW
        if None in spec.values():
            return SLOW          # a null: what it means depends on the key (the general reader)
        src_id = spec["source"]
        ctx = self.src.get(src_id) if type(src_id) is str else None
        if ctx is None:
            return SLOW
        source, calendar, anchor = ctx
        fields = {}
        for op, key, field, arg, extra in plan.steps:
            value = spec.get(key)
            if op == _REF:
                if value is None:
                    fields[field] = None
                    continue
                if type(value) is not str or value not in self._ids(arg):
                    return SLOW
                fields[field] = value
            elif op == _REF1:
                if isinstance(value, list):
                    if len(value) != 1:
                        return SLOW
                    value = value[0]
                if type(value) is not str or value not in self._ids(arg):
                    return SLOW
                fields[field] = (value,)
            elif op == _REFS:
                if value is None:
                    fields[field] = ()
                    continue
                n, least = extra
                if not isinstance(value, list):
                    if least is not None:
                        return SLOW
                    value = [value]
                if (n is not None and len(value) != n) or (least is not None and len(value) < least):
                    return SLOW
                ok = self._ids(arg)
                for v in value:
                    if type(v) is not str or v not in ok:
                        return SLOW
                fields[field] = tuple(value)
            elif op == _ENUM:
                if value is None:
                    if extra:
                        return SLOW
                elif type(value) is not str or value not in arg:
                    return SLOW
                fields[field] = value
            else:   # _TEXT
                if arg and (type(value) is not str or not value.strip()):
                    return SLOW
                fields[field] = str(value)
        if plan.some is not None or plan.whole is not None:
            place = None
            for k in plan.place_keys:
                if spec[k] is not None:
                    place = str(spec[k])
                    break
            has_thr = plan.whole is not None and spec.get(plan.whole) is not None
            if plan.whole is not None:
                fields["throughout"] = has_thr
            value = spec.get(plan.whole if has_thr else plan.some)
            if value is None:
                when = source.said if plan.default_said else None
            else:
                when = self._date(value, calendar, anchor, source, place)
                if when is SLOW:
                    return SLOW
            fields["when"] = when
        by = spec.get("by")
        if by is not None:
            if type(by) is not str or by not in plan.by:
                return SLOW
            fields["by"] = by
        denies = spec.get("denies", False)
        if type(denies) is not bool:
            return SLOW
        quote = spec.get("quote")
        if quote is not None and (type(quote) is not str or len(quote) > MAX_QUOTE_CHARS):
            return SLOW
        speaker = spec.get("speaker")
        if speaker is not None and (type(speaker) is not str
                                    or speaker not in self._ids(SCHEMA.claim_common_keys["speaker"].refs)):
            return SLOW
        event = spec.get("event")
        if event is not None and type(event) is not str:
            return SLOW
        cid = spec.get("id")
        if cid is not None and (type(cid) is not str or len(cid) > MAX_ID_CHARS):
            return SLOW
        if "id" in spec and cid is None:
            return SLOW
        raw = {k: (plain(v) if isinstance(v, (LDict, LList)) else v) for k, v in spec.items()}
        generated = cid is None
        if generated:
            cid = stable_id(plan.kind, raw)
        return Claim(id=cid, kind=plan.kind, source=src_id, quote=quote, event=event, denies=denies,
                     note=spec.get("note"), speaker=speaker, generated_id=generated, file=file,
                     line=spec.line if isinstance(spec, LDict) else None, raw=raw, **fields)
