"""A candidate claim as a claim of the case file: what accepting it writes.

Extraction proposes case-file claims with metadata of its own beside them (``confidence``,
``start``/``end``, ``date_text``, ``speaker``, ``reported_by``, ``hypothetical``, ``why``,
and whatever a later extractor adds).  Accepting one must write a claim the case loader
reads, and must keep who made it.  The mapping is driven by the schema
(:data:`belie.model.claims.COMMON_KEYS` and :data:`KIND_KEYS`), not by a list of
extraction's keys, so a field the loader does not know is never written:

* keys of the claim's kind and the common keys are kept, in the order a person writes them;
* the date goes to the key the kind takes (``during`` of an accusation, ``when`` of a
  presence...), whichever of ``when``/``during`` extraction used;
* ``speaker``: when the source only *reports* what someone else said (extraction's
  ``reported_by`` names the author who reports it, or the speaker differs from the one the
  source declares), the claim keeps ``speaker:`` — belie's extension key
  (docs/casefile.md) — so the rules hold the allegation against the one who made it, not
  against the author who reports it;
* ``hypothetical``/``why`` become a sentence in ``note``;
* everything else (offsets, confidence, the date as written, ...) is left out of the
  claim and returned, for the ``# belie:`` line above it and the decisions log, which
  keeps the candidate whole.
"""
from __future__ import annotations

from typing import Any

from belie.model.claims import COMMON_KEYS, KEY_KIND, KIND_KEYS
from belie.model.yamlread import plain

#: The keys that carry a claim's time, in the order they are tried.
DATE_KEYS = ("when", "during", "throughout")


def claim_id_of(candidate: dict) -> str:
    """The id a candidate's claim takes in the case: its own ``id``, else the candidate's."""
    data = candidate.get("data")
    if isinstance(data, dict) and data.get("id") not in (None, ""):
        return str(data["id"])
    return str(candidate["id"])


def _entity(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict):               # {"id": ..., "name": ...} from a richer extractor
        return _entity(value.get("id"))
    return None


def claim_from_candidate(data: dict, candidate: dict, source_speaker: str | None = None,
                         *, edited: bool = False) -> tuple[dict, dict]:
    """(the claim to write, the candidate's keys left out of it).

    *source_speaker*: the ``speaker`` the case declares for the claim's source, when known;
    a candidate's speaker equal to it is not repeated on the claim.  *edited*: the data is
    a reviewer's own edit, so every key is kept (a key the loader does not know is then
    refused with its message, not dropped).
    """
    data = {k: v for k, v in plain(data).items() if not str(k).startswith("_")}
    proposed = data.pop("entities", None)      # new entities the candidate brings (not a claim key)
    cid = str(data.pop("id", None) or claim_id_of(candidate))
    source = data.pop("source", None) or candidate.get("source_id")
    out: dict = {"id": cid}
    if source is not None:
        out["source"] = source
    kind_key = next((k for k in data if k in KEY_KIND), None)
    if kind_key is None or edited:
        # a reviewer's edit (or not a claim at all): in a person's order, every key kept
        order = [kind_key, *KIND_KEYS[KEY_KIND[kind_key]]] if kind_key is not None else []
        for k in order + ["speaker", "event", "denies", "note"]:
            if k in data:
                out[k] = data.pop(k)
        quote = data.pop("quote", None)
        out.update(data)
        if quote is not None:
            out["quote"] = quote
        return out, ({"entities": proposed} if isinstance(proposed, dict) and proposed else {})
    kind = KEY_KIND[kind_key]
    # the date, under the key this kind takes
    date_key = next((k for k in DATE_KEYS if k in KIND_KEYS[kind]), None)
    if date_key is not None and date_key not in data:
        for other in DATE_KEYS:
            if other in data and other not in KIND_KEYS[kind] and data[other] is not None:
                data[date_key] = data.pop(other)
                break
    for k in [kind_key, *KIND_KEYS[kind], "event", "denies"]:
        if k in data and data[k] is not None:
            out[k] = data.pop(k)
    if out.get("denies") is False:
        out.pop("denies")
    # who made it
    speaker = _entity(data.pop("speaker", None))
    reporter = _entity(data.pop("reported_by", None))
    reported = (speaker != reporter) if reporter is not None else \
        (source_speaker is not None and speaker != source_speaker)
    if speaker and reported:
        out["speaker"] = speaker
    # what extraction doubted
    notes = [str(data.pop("note"))] if data.get("note") else []
    data.pop("note", None)
    hypothetical, why = data.pop("hypothetical", None), data.pop("why", None)
    if hypothetical:
        notes.append("extraction read this as hypothetical" + (f" ({why})" if why else ""))
    if notes:
        out["note"] = "; ".join(notes)
    quote = data.pop("quote", None)
    for k in list(data):
        if k in COMMON_KEYS and data[k] is not None:
            out[k] = data.pop(k)
    if quote is not None:
        out["quote"] = quote                   # the quote last
    dropped = dict(data)
    if reporter is not None:
        dropped["reported_by"] = reporter
    if speaker and "speaker" not in out:
        dropped["speaker"] = speaker
    if isinstance(proposed, dict) and proposed:
        dropped["entities"] = proposed
    return out, dropped


def referenced(claim: dict) -> set[str]:
    """Every string value of a claim's entity-naming keys (its kind key, where, from, to...)."""
    out: set[str] = set()
    for k, v in claim.items():
        if k in ("id", "source", "quote", "note", "when", "during", "throughout", "by", "is", "event",
                 "statement", "denies", "register"):
            continue
        for x in (v if isinstance(v, list) else [v]):
            if isinstance(x, str):
                out.add(x)
    return out


def summarise(data: Any, label=lambda x: x) -> str:
    """One line for a claim given as a dict of case-file keys."""
    if not isinstance(data, dict):
        return str(data)
    proposed = data.get("entities") if isinstance(data.get("entities"), dict) else {}

    def L(v):
        if isinstance(v, str) and v in proposed and isinstance(proposed[v], dict) and proposed[v].get("names"):
            names = proposed[v]["names"]
            return f"{names[0] if isinstance(names, list) else names} (new)"
        return _L(v)

    def _L(v):
        if isinstance(v, (list, tuple)):
            return ", ".join(L(x) for x in v)
        return str(label(str(v))) if v is not None else "?"

    def when():
        if data.get("throughout") is not None:
            return f" throughout {data['throughout']}"
        for k in ("when", "during"):
            if data.get(k) is not None:
                return f", {data[k]}"
        return ""

    neg = bool(data.get("denies"))
    if "presence" in data:
        s = f"{L(data['presence'])} {'was not' if neg else 'was'} at {L(data.get('where'))}{when()}"
    elif "meeting" in data:
        s = f"{L(data['meeting'])} {'did not meet' if neg else 'met'} at {L(data.get('where'))}{when()}"
    elif "travel" in data:
        by = f" by {data['by']}" if data.get("by") else ""
        s = (f"{L(data['travel'])} {'did not travel' if neg else 'travelled'} from "
             f"{L(data.get('from'))} to {L(data.get('to'))}{by}{when()}")
    elif "message" in data:
        people = data["message"] if isinstance(data["message"], list) else [data["message"]]
        by = f" ({data['by']})" if data.get("by") else ""
        s = f"{L(people[0]) if people else '?'} {'did not write' if neg else 'wrote'} to " \
            f"{L(people[1]) if len(people) > 1 else '?'}{by}{when()}"
    elif "register" in data:
        at = f" at {L(data['at'])}" if data.get("at") else ""
        s = f"complete register of {data['register']}{at}{when()} lists {L(data.get('lists') or []) or 'nobody'}"
    elif "accuses" in data or "accusation" in data:
        who = data.get("accuses", data.get("accusation"))
        s = f"{L(who)} {'did not serve' if neg else 'served'} {L(data.get('serving'))}{when()}"
    elif "existed" in data:
        s = f"{L(data['existed'])} {'did not exist' if neg else 'existed'}{when()}"
    elif "stance" in data:
        pair = data["stance"] if isinstance(data["stance"], list) else [data["stance"]]
        s = f"{L(pair[0]) if pair else '?'} was {data.get('is', '?')} toward " \
            f"{L(pair[1]) if len(pair) > 1 else '?'}{when()}"
    elif "statement" in data:
        s = f"“{data['statement']}”"
    else:
        s = ", ".join(f"{k}: {v}" for k, v in data.items() if k not in ("source", "id", "quote"))
    if data.get("reported_by") and data.get("speaker") and data["speaker"] != data["reported_by"]:
        s += f" (says {L(data['speaker'])}, as {L(data['reported_by'])} reports)"
    return s


def comment_note(dropped: dict) -> str:
    """What the ``# belie:`` line says of the candidate's metadata (the date as written)."""
    date_text = dropped.get("date_text")
    return f"; date as written: {' '.join(str(date_text).split())!r}" if date_text else ""


__all__ = ["claim_from_candidate", "claim_id_of", "comment_note", "plain", "summarise"]
