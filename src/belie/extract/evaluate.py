"""Scoring extracted claims against a gold file (tests/extract/gold_seeds.yaml).

A predicted claim matches a gold claim when the kind is the same, the main parties are
the same, ``denies`` is the same, and the dates are compatible (they overlap, or one
side has none).  Main parties by kind:

==========  ================================================================
presence    person and place
meeting     the set of participants; the place where both give one
travel      the traveller; ``from`` and ``to`` where both give them
message     sender and recipient
accusation  accused and the power served
existed     the entity
stance      both powers, in order, and ``is``
==========  ================================================================

A gold id matches a predicted id when they are equal, or when the predicted entity is a
new one whose id or names contain the gold id as a word (gold files name a party that the
case lacks by its lower-case surname: ``livshitz``).  Predictions marked
``hypothetical`` are not scored; predictions matching an ``ignore`` entry count neither
way.  Precision = matched predictions / scored predictions; recall = gold claims matched
by some prediction / gold claims.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from belie.model.dates import DateError, parse_date

KINDS = ("presence", "meeting", "travel", "message", "accusation", "existed", "stance")
_KEY = {"presence": "presence", "meeting": "meeting", "travel": "travel", "message": "message",
        "accusation": "accuses", "existed": "existed", "stance": "stance"}


def kind_of(claim: dict) -> str | None:
    for kind, key in _KEY.items():
        if key in claim:
            return kind
    if "accusation" in claim:
        return "accusation"
    return None


def _date(claim: dict):
    for key in ("when", "during", "throughout"):
        v = claim.get(key)
        if v is not None:
            text = str(v)
            try:
                return parse_date(text)
            except DateError:
                pass
            # a date with a time of day ("2018-10-02T13:14"): compared by its day here
            day = re.sub(r"T[0-9:]+(?:Z|[+-][0-9:]+)?", "", text)
            try:
                return parse_date(day)
            except DateError:
                return None
    return None


def dated(claim: dict) -> bool:
    """True when the claim carries a date."""
    return any(claim.get(k) is not None for k in ("when", "during", "throughout"))


def _same(gold_id, pred_id, new_entities: dict) -> bool:
    if gold_id is None or pred_id is None:
        return gold_id == pred_id
    if gold_id == pred_id:
        return True
    ne = new_entities.get(pred_id)
    if ne is None:
        return False
    words = set(pred_id.split("-"))
    from belie.model.places import normalize_name

    seqs = [pred_id.split("-")]
    for n in ne.get("names", []):
        words.update(normalize_name(n).split())
        seqs.append(normalize_name(n).split())
    g = normalize_name(gold_id.replace("-", " ")).split()
    if len(g) == 1:
        return g[0] in words or gold_id in words
    # "labour-party" names "the UK Labour Party": its words in a row
    return any(s[i:i + len(g)] == g for s in seqs for i in range(len(s) - len(g) + 1))


def matches(pred: dict, gold: dict, new_entities: dict | None = None) -> bool:
    new_entities = new_entities or {}
    kind = kind_of(gold)
    if kind is None or kind_of(pred) != kind:
        return False
    if bool(pred.get("denies", False)) != bool(gold.get("denies", False)):
        return False
    same = lambda g, p: _same(g, p, new_entities)  # noqa: E731
    key = _KEY[kind] if _KEY[kind] in gold else "accusation"
    gv, pv = gold.get(key), pred.get(_KEY[kind], pred.get("accusation"))
    if kind == "meeting":
        gl, pl = list(gv or []), list(pv or [])
        if len(gl) != len(pl) or not all(any(same(g, p) for p in pl) for g in gl):
            return False
        if gold.get("where") and pred.get("where") and not same(gold["where"], pred["where"]):
            return False
    elif kind in ("message", "stance"):
        if not (isinstance(gv, list) and isinstance(pv, list) and len(gv) == len(pv) == 2):
            return False
        if not (same(gv[0], pv[0]) and same(gv[1], pv[1])):
            return False
        if kind == "stance" and gold.get("is") != pred.get("is"):
            return False
    else:
        if not same(gv, pv):
            return False
        if kind == "presence" and not same(gold.get("where"), pred.get("where")):
            return False
        if kind == "accusation" and not same(gold.get("serving"), pred.get("serving")):
            return False
        if kind == "travel":
            for k in ("from", "to"):
                if gold.get(k) and pred.get(k) and not same(gold[k], pred[k]):
                    return False
            if not any(gold.get(k) and pred.get(k) for k in ("from", "to")):
                return False
    gd, pd = _date(gold), _date(pred)
    if gd is not None and pd is not None and not gd.overlaps(pd):
        return False
    return True


@dataclass
class Score:
    tp: int = 0          # predictions that match a gold claim
    fp: int = 0          # predictions that match none (nor an ignore entry)
    found: int = 0       # gold claims matched by some prediction
    gold: int = 0        # gold claims
    ignored: int = 0     # predictions matching an ignore entry only
    hypothetical: int = 0
    gold_dated: int = 0  # gold claims with a date
    found_dated: int = 0 # ... matched by a prediction that carries a date

    @property
    def precision(self) -> float | None:
        n = self.tp + self.fp
        return self.tp / n if n else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def dated_recall(self) -> float | None:
        return self.found_dated / self.gold_dated if self.gold_dated else None

    def add(self, other: "Score") -> None:
        for k in ("tp", "fp", "found", "gold", "ignored", "hypothetical", "gold_dated",
                  "found_dated"):
            setattr(self, k, getattr(self, k) + getattr(other, k))


@dataclass
class Report:
    by_kind: dict = field(default_factory=dict)
    overall: Score = field(default_factory=Score)
    speaker_right: int = 0
    speaker_total: int = 0
    misses: list = field(default_factory=list)
    false: list = field(default_factory=list)

    def as_dict(self) -> dict:
        def f(x):
            return None if x is None else round(x, 3)

        out = {k: {"precision": f(s.precision), "recall": f(s.recall), "tp": s.tp, "fp": s.fp,
                   "found": s.found, "gold": s.gold} for k, s in self.by_kind.items()}
        o = self.overall
        out["overall"] = {"precision": f(o.precision), "recall": f(o.recall), "tp": o.tp,
                          "fp": o.fp, "found": o.found, "gold": o.gold,
                          "dated_recall": f(o.dated_recall), "found_dated": o.found_dated,
                          "gold_dated": o.gold_dated}
        out["speaker"] = {"right": self.speaker_right, "of": self.speaker_total}
        return out


def locate(entries: list[dict], text: str | None) -> list[tuple[int, int] | None]:
    """Where each entry's quote lies in *text* ([start, end) or None)."""
    if text is None:
        return [None] * len(entries)
    from belie.store.quotes import locate_quote

    out = []
    for e in entries:
        q = e.get("quote")
        m = locate_quote(q, text) if q else None
        out.append((m.start, m.end) if m is not None and m.status != "not_found" else None)
    return out


def _near(pred: dict, where: tuple[int, int] | None) -> bool:
    if where is None or pred.get("start") is None or pred.get("end") is None:
        return True
    return pred["start"] < where[1] and where[0] < pred["end"]


def score(predicted: list[dict], gold: list[dict], ignore: list[dict] | None = None,
          new_entities: dict | None = None, text: str | None = None) -> Report:
    """Score predictions.  With the source *text*, a prediction matches a gold claim only
    when its sentence overlaps the place of the gold claim's quote in the text (so that a
    claim found in one sentence is not credited to another sentence that says the same)."""
    ignore = ignore or []
    gold_at, ignore_at = locate(gold, text), locate(ignore, text)
    rep = Report(by_kind={k: Score() for k in KINDS})
    for g in gold:
        rep.by_kind[kind_of(g)].gold += 1
        if dated(g):
            rep.by_kind[kind_of(g)].gold_dated += 1
    hit_gold = set()
    hit_dated = set()
    for p in predicted:
        k = kind_of(p)
        if k is None:
            continue
        s = rep.by_kind[k]
        if p.get("hypothetical"):
            s.hypothetical += 1
            continue
        hits = [i for i, g in enumerate(gold)
                if _near(p, gold_at[i]) and matches(p, g, new_entities)]
        if hits:
            s.tp += 1
            if dated(p):
                hit_dated.update(i for i in hits if dated(gold[i]))
            for i in hits:
                if i not in hit_gold:
                    hit_gold.add(i)
                    rep.speaker_total += 1
                    if "speaker" in gold[i] and p.get("speaker") == gold[i]["speaker"]:
                        rep.speaker_right += 1
        elif any(_near(p, ignore_at[i]) and matches(p, g, new_entities)
                 for i, g in enumerate(ignore)):
            s.ignored += 1
        else:
            s.fp += 1
            rep.false.append(p)
    for i in hit_gold:
        rep.by_kind[kind_of(gold[i])].found += 1
    for i in hit_dated:
        rep.by_kind[kind_of(gold[i])].found_dated += 1
    rep.misses = [g for i, g in enumerate(gold) if i not in hit_gold]
    for s in rep.by_kind.values():
        rep.overall.add(s)
    return rep


# --------------------------------------------------------------------------- the dev set


def dev_files(folder) -> list:
    """The annotated excerpts of the development set (tests/extract/dev/*.yaml), sorted."""
    from pathlib import Path

    return sorted(Path(folder).glob("*.yaml"))


def dev_case(doc: dict, root, declare: bool = True):
    """A case for one excerpt of the development set: its main entities (none when
    *declare* is False) and one source, ``doc``, with the excerpt's date and author."""
    import yaml

    from belie.model.loading import load_case

    src = {"kind": "record"}
    if doc.get("said") is not None:
        src["said"] = str(doc["said"])
    from belie.model.entities import ENTITY_TYPES

    # a type this version of the case file lacks (``object``) is left undeclared
    ents = {k: v for k, v in (doc.get("entities") or {}).items()
            if v.get("type") in ENTITY_TYPES} if declare else {}
    if doc.get("speaker"):
        src["speaker"] = doc["speaker"]
        ents.setdefault(doc["speaker"], {"type": "person"})
    case = {"case": "dev", "entities": ents, "sources": {"doc": src}}
    if doc.get("settings"):                  # e.g. {extract: {date_order: day-first}}
        case["settings"] = doc["settings"]
    root.mkdir(parents=True, exist_ok=True)
    (root / "case.yaml").write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    return load_case(root)


def score_dev(folder, split: str | None = None, declare: bool = True,
              extract_fn=None) -> tuple[dict, Report]:
    """Extract from every excerpt of the dev set (of one *split*) and score it.

    Returns ({file name: Report}, the sum of them as one Report)."""
    import tempfile
    from pathlib import Path

    import yaml

    if extract_fn is None:
        from belie.extract import extract as extract_fn
    per, total = {}, Report(by_kind={k: Score() for k in KINDS})
    with tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate(dev_files(folder)):
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            if split is not None and doc.get("split") != split:
                continue
            case = dev_case(doc, Path(tmp) / f"c{i}", declare)
            text = doc["text"]
            res = extract_fn(case, texts={"doc": text})
            gold = [dict(g, source="doc") for g in doc.get("claims") or []]
            rep = score(res.claims, gold, doc.get("ignore"), res.entities, text)
            per[path.name] = rep
            for k in KINDS:
                total.by_kind[k].add(rep.by_kind[k])
            total.overall.add(rep.overall)
            total.speaker_right += rep.speaker_right
            total.speaker_total += rep.speaker_total
            total.misses += [dict(m, file=path.name) for m in rep.misses]
            total.false += [dict(f, file=path.name) for f in rep.false]
    return per, total
