"""What the map shows, as plain data: one builder for `belie report` and `belie serve`.

``map_data(case, result)`` returns a JSON-ready dict that the map component
(``assets/map.js``, docs/report.md "The map") draws:

* ``places``: every located place that a claim or finding uses — its coordinates
  (a nested place without its own is drawn at its parent's: ``via`` says where the
  coordinates came from) and its uncertainty radius in km;
* ``people``: each person or thing with whereabouts (`belie.model.schema.ONE_PLACE_TYPES`),
  with a colour of their own;
* ``items``: whereabouts — a documented stay (a ``throughout`` presence or meeting), an
  alleged moment (a ``when`` presence or meeting, a travel's departure or arrival) or a
  denial — each with its claim and its interval in milliseconds since 1970 (UTC);
* ``journeys``: travel claims between two located places (drawn as great circles);
* ``findings``: impossible and strained findings whose claims put people somewhere —
  with the two places of an alibi or a journey, the distance, and for a journey the
  speed it would need against the fastest of its era;
* ``claims``: each claim's words, source and date as belie shows them (for the labels).

Times are the model's (UTC seconds, from a whole day to a minute); ``interval_ms`` is the
one place that turns them into the map's.
"""
from __future__ import annotations

import datetime as _dt
from belie.report.export import finding_ids

#: One colour per person, in order of first appearance (then golden-angle hues).
PERSON_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
                  "#e377c2", "#bcbd22", "#393b79", "#637939", "#843c39", "#7b4173", "#3182bd")
_EPOCH = _dt.date(1970, 1, 1).toordinal()


def distinct_colour(i: int, palette=PERSON_PALETTE) -> str:
    """The i-th of a sequence of colours that stay distinct past the palette's end."""
    if i < len(palette):
        return palette[i]
    hue = (i * 137.508) % 360
    return f"hsl({hue:.0f},62%,{42 + (i % 3) * 8}%)"


def interval_ms(lo: int, hi: int) -> tuple[int, int] | None:
    """An interval of the model (UTC seconds, both ends included: belie.model.dates) as
    milliseconds since 1970-01-01 UTC, end excluded; None when either end is open."""
    from belie.model.dates import DAY, OPEN_END, OPEN_START

    if lo <= OPEN_START or hi >= OPEN_END:
        return None
    return (lo - _EPOCH * DAY) * 1000, (hi + 1 - _EPOCH * DAY) * 1000


def whereabouts(case) -> list[tuple]:
    """``(person, place, lo, hi, claim, role, throughout)`` of every stay the claims
    assert (``belie.rules.base.Context.stays``: a presence, each participant of a meeting,
    a travel's departure and arrival) and, with role ``"denied"``, of every denied
    presence, meeting or travel; lo and hi as the model gives them.  The map and the
    report's whereabouts timeline both draw this list."""
    from belie.model.schema import ONE_PLACE_TYPES
    from belie.rules.base import Context

    out = [(s.person, s.place, s.lo, s.hi, s.claim, s.role, s.throughout) for s in Context(case).stays]
    for c in case.claims:
        if not c.denies or c.when is None:
            continue
        if c.kind in ("presence", "meeting") and c.where:
            for p in c.people:
                e = case.entities.get(p)
                if e is not None and e.type in ONE_PLACE_TYPES:
                    out.append((p, c.where, c.when.lo, c.when.hi, c.id, "denied", False))
        elif c.kind == "travel" and c.people and (c.destination or c.origin):
            out.append((c.people[0], c.destination or c.origin, c.when.lo, c.when.hi, c.id, "denied", False))
    return out


def _speed_text(kmh: float) -> str:
    return f"{kmh:,.0f} km/h" if kmh >= 10 else f"{kmh:.1f} km/h"


def _pair_label(details: dict) -> dict:
    """What the line between a finding's two places says."""
    from belie.model.dates import duration

    km = details.get("distance_km")
    out = {"km": km}
    if km is None:
        out["text"] = "distance unknown"
        return out
    avail = details.get("available_hours")
    fastest, mode, year = details.get("fastest_kmh"), details.get("fastest_mode"), details.get("year")
    era = f"fastest in {year}: {mode} {_speed_text(fastest)}" if fastest and mode and year else ""
    if avail:
        need = km / avail
        out.update({"needed_kmh": round(need, 1), "fastest_kmh": fastest})
        out["text"] = (f"{km:,.0f} km in at most {duration(avail * 3600)}: needs {_speed_text(need)}"
                       + (f"; {era}" if era else ""))
    elif "shared_days" in details or "claim_days" in details:
        out["text"] = f"{km:,.0f} km apart at the same time"
    elif km < 0.05:
        out["text"] = "two places drawn at one position (the same coordinates)"
    else:
        out["text"] = f"{km:,.1f} km apart"
    return out


def map_data(case, result=None, *, claims: set[str] | None = None, review: dict | None = None) -> dict:
    """The map of a case (see the module's docstring).

    ``claims``: keep only the whereabouts of these claim ids (the review app's
    neighbours in time); ``review``: ids to mark as under review (``{"claims": [...]}``).
    """
    items, people, used_places = [], [], []
    seen_people: dict[str, int] = {}
    places = case.places

    def use_place(pid: str) -> bool:
        if places.coords(pid) is None:
            return False
        if pid not in used_places:
            used_places.append(pid)
            for parent in places.ancestors(pid):      # the places it lies within, for its label
                if places.coords(parent) is not None and parent not in used_places:
                    used_places.append(parent)
        return True

    def person(pid: str) -> None:
        if pid not in seen_people:
            seen_people[pid] = len(seen_people)
            people.append({"id": pid, "label": case.label(pid), "color": distinct_colour(len(people))})

    for who, place, lo, hi, cid, role, throughout in whereabouts(case):
        if claims is not None and cid not in claims:
            continue
        span = interval_ms(lo, hi)
        if span is None or not use_place(place):
            continue
        person(who)
        kind = "denied" if role == "denied" else ("stay" if throughout else "alleged")
        items.append({"person": who, "place": place, "t0": span[0], "t1": span[1], "claim": cid,
                      "role": role, "kind": kind})

    journeys = []
    for c in case.claims:
        if c.kind != "travel" or c.denies or c.when is None or not c.people:
            continue
        if claims is not None and c.id not in claims:
            continue
        span = interval_ms(c.when.lo, c.when.hi)
        if span is None or not (c.origin and c.destination):
            continue
        if not (use_place(c.origin) and use_place(c.destination)):
            continue
        person(c.people[0])
        journeys.append({"person": c.people[0], "from": c.origin, "to": c.destination, "t0": span[0],
                         "t1": span[1], "claim": c.id, "by": c.by or ""})

    shown_claims = {i["claim"] for i in items} | {j["claim"] for j in journeys}
    findings = []
    if result is not None:
        for num, (fid, f) in enumerate(zip(finding_ids(result.findings), result.findings), 1):
            if f.severity not in ("impossible", "strained") or not shown_claims.intersection(f.claims):
                continue
            view = {"id": fid, "num": num, "severity": f.severity, "rule": f.rule,
                    "title": f.title or f.rule, "claims": list(f.claims)}
            d = f.details if isinstance(f.details, dict) else {}
            pair = d.get("places")
            if isinstance(pair, (list, tuple)) and len(pair) == 1 and isinstance(pair[0], (list, tuple)):
                pair = pair[0]            # one event's places, as the conflicting-accounts rule gives them
            if (isinstance(pair, (list, tuple)) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
                    and pair[0] != pair[1] and use_place(pair[0]) and use_place(pair[1])):
                if d.get("distance_km") is None:
                    km = places.distance_km(pair[0], pair[1])
                    d = {**d, "distance_km": None if km is None else round(km, 1)}
                view.update({"a": pair[0], "b": pair[1], **_pair_label(d)})
            findings.append(view)

    place_rows = []
    for pid in used_places:
        lat, lon = places.coords(pid)
        anc = places.ancestors(pid)
        place_rows.append({"id": pid, "label": case.label(pid), "lat": round(lat, 5), "lon": round(lon, 5),
                           "r_km": round(places.precision_km(pid) or 0.0, 2), "via": places.source_of(pid),
                           "parent": anc[0] if anc else None})

    claim_rows = {}
    for cid in sorted(shown_claims | {c for f in findings for c in f["claims"]}):
        c = case.claim_by_id.get(cid)
        if c is None:
            continue
        src = case.sources.get(c.source)
        claim_rows[cid] = {"text": c.summary(case.label), "quote": c.quote or "",
                           "source": src.label if src is not None else c.source,
                           "kind": src.kind if src is not None else "",
                           "date": c.when.show() if c.when is not None else ""}
    return {"places": place_rows, "people": people, "items": items, "journeys": journeys,
            "findings": findings, "claims": claim_rows,
            "review": list((review or {}).get("claims", []))}


def neighbours_in_time(case, lo: int, hi: int, *, pad: int | None = None) -> set[str]:
    """Claims whose whereabouts lie within `pad` of the interval [lo, hi] (the model's
    seconds): what the review app's map shows around a claim under review.  The pad is a
    quarter of the interval, at least a week."""
    from belie.model.dates import DAY

    pad = pad if pad is not None else max(7 * DAY, (hi - lo) // 4)
    keep: set[str] = set()
    for _who, _place, a, b, cid, _role, _t in whereabouts(case):
        if a <= hi + pad and lo - pad <= b:
            keep.add(cid)
    for c in case.claims:
        if c.kind == "travel" and c.when is not None and c.when.lo <= hi + pad and lo - pad <= c.when.hi:
            keep.add(c.id)
    return keep
