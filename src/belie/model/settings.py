"""Defaults a case may override under `settings:` in case.yaml.

Three groups, each documented in docs/settings.md:

* ``dates``   — how far ``~`` and ``?`` widen a date (see belie.model.dates.DateSettings);
* ``weights`` — the weight of evidence of each source kind (record > finding > testimony
  > confession);
* ``travel``  — fastest plausible speeds by era and mode (src/belie/data/travel_speeds.yaml).
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from belie.model.dates import DateSettings

#: Default weight of evidence by source kind, between 0 and 1: how likely a claim of that
#: kind is to be true when nothing else is known.  A register, visa or log is kept by
#: people with no stake in the case; a court or commission finding weighs evidence;
#: testimony is one person's word; a confession obtained in custody is the weakest.
DEFAULT_WEIGHTS: dict[str, float] = {
    "record": 0.95,
    "finding": 0.85,
    "official": 0.7,
    "study": 0.7,
    "letter": 0.65,
    "testimony": 0.6,
    "press": 0.5,
    "confession": 0.3,
}

SETTINGS_KEYS = ("dates", "weights", "travel", "timezone", "extract")

#: Below this distance a journey by air does not count: the road's speed is the fastest
#: (casefile.md section 1a; `settings: travel: air_min_km:`).
AIR_MIN_KM = 100.0

#: `settings: extract:` -- how `belie extract` reads a case's texts (docs/extract.md).
#: `date_order`: day-first (03/04/2019 is 3 April) or month-first (4 March); without it a
#: numeric date whose day and month could be swapped is not read.
EXTRACT_KEYS = {"date_order": ("day-first", "month-first")}


@lru_cache(maxsize=1)
def default_travel() -> dict:
    text = resources.files("belie.data").joinpath("travel_speeds.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@dataclass
class Settings:
    dates: DateSettings = field(default_factory=DateSettings)
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    travel: dict = field(default_factory=lambda: copy.deepcopy(default_travel()))
    #: The zone of a time written without an offset when neither its source nor its place
    #: gives one (an IANA name); None: such a time is an error.
    timezone: str | None = None
    #: Air travel counts only between places farther apart than this (km).
    air_min_km: float = AIR_MIN_KM
    extract: dict = field(default_factory=dict)

    def speed_kmh(self, year: int, mode: str) -> float | None:
        """Fastest plausible speed of `mode` in `year`, or None if the mode did not exist."""
        best = None
        for era in self.travel["eras"]:
            if era["from"] <= year:
                best = era
        if best is None:
            return None
        return best["speeds"].get(mode)

    def fastest(self, year: int) -> tuple[str, float]:
        """The fastest mode of the period and its speed."""
        best = None
        for era in self.travel["eras"]:
            if era["from"] <= year:
                best = era
        speeds = best["speeds"] if best else {"foot": 7}
        mode = max(speeds, key=speeds.get)
        return mode, float(speeds[mode])

    def era_source(self, year: int) -> str:
        best = None
        for era in self.travel["eras"]:
            if era["from"] <= year:
                best = era
        return (best or {}).get("source", "").strip()

    def weight(self, kind: str) -> float:
        return self.weights.get(kind, 0.5)


def _speed(where: str, v) -> float:
    """A speed in km/h: a positive, finite number."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
        raise ValueError(f"{where} must be a speed in km/h (a number above 0), got {v!r}")
    return float(v)


def _speeds(where: str, m) -> dict[str, float]:
    if not isinstance(m, dict):
        raise ValueError(f"{where} must map travel modes to speeds in km/h, such as {{rail: 90, air: 300}}")
    return {str(mode): _speed(f"{where}.{mode}", v) for mode, v in m.items()}


def _year(where: str, v) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not -9999 <= v <= 9999:
        raise ValueError(f"{where} must be a year such as 1919, got {v!r}")
    return v


def _eras(value) -> list[dict]:
    if not isinstance(value, list) or not value:
        raise ValueError("travel.eras must be a list of eras such as "
                         "[{from: 1919, speeds: {rail: 90, air: 200}}]")
    eras = []
    for i, era in enumerate(value, 1):
        where = f"travel.eras, era {i}"
        if not isinstance(era, dict):
            raise ValueError(f"{where} must be a mapping with `from` and `speeds`, got {era!r}")
        unknown = [k for k in era if k not in ("from", "speeds", "source")]
        if unknown:
            raise ValueError(f"{where}: unknown key {unknown[0]!r} (expected from, speeds, source)")
        for key in ("from", "speeds"):
            if key not in era:
                raise ValueError(f"{where} needs `{key}`")
        source = era.get("source", "")
        if not isinstance(source, str):
            raise ValueError(f"{where}: `source` must be text")
        eras.append({"from": _year(f"{where}: from", era["from"]),
                     "speeds": _speeds(f"{where}: speeds", era["speeds"]), "source": source})
    return sorted(eras, key=lambda e: e["from"])


def settings_from_mapping(m: dict | None) -> Settings:
    """Build Settings from a case's `settings:` mapping; raises ValueError naming the bad key."""
    s = Settings()
    if m is None:
        return s
    if not isinstance(m, dict):
        raise ValueError("expected a mapping with dates, weights and/or travel, "
                         f"got {type(m).__name__ if not isinstance(m, list) else 'a list'}")
    for key in m:
        if key not in SETTINGS_KEYS:
            raise ValueError(f"unknown settings key {key!r} (expected one of {', '.join(SETTINGS_KEYS)})")
    if m.get("dates") is not None:
        s.dates = DateSettings.from_mapping(m["dates"])
    if m.get("timezone") is not None:
        from belie.model.dates import time_zone
        time_zone(m["timezone"])          # DateError naming the zone when there is none
        s.timezone = str(m["timezone"]).strip()
    if m.get("weights") is not None:
        weights = m["weights"]
        if not isinstance(weights, dict):
            raise ValueError("weights must map source kinds to numbers between 0 and 1, such as {record: 0.9}")
        for kind, w in weights.items():
            if isinstance(w, bool) or not isinstance(w, (int, float)) or not 0 <= w <= 1:
                raise ValueError(f"weight of {kind!r} must be a number between 0 and 1, got {w!r}")
            s.weights[str(kind)] = float(w)
    if m.get("extract") is not None:
        ex = m["extract"]
        if not isinstance(ex, dict):
            raise ValueError("extract must be a mapping such as {date_order: day-first}")
        for k, v in ex.items():
            if k not in EXTRACT_KEYS:
                raise ValueError(f"unknown extract setting {k!r} (expected one of "
                                 f"{', '.join(EXTRACT_KEYS)})")
            if v not in EXTRACT_KEYS[k]:
                raise ValueError(f"extract.{k} must be one of {', '.join(EXTRACT_KEYS[k])}, "
                                 f"got {v!r}")
            s.extract[k] = v
    if m.get("travel") is not None:
        t = m["travel"]
        if not isinstance(t, dict):
            raise ValueError("travel must be a mapping: {mode: km/h}, {year: {mode: km/h}} or {eras: [...]}")
        # Either a full `eras:` list, or {mode: kmh} applied to every era, or {year: {mode: kmh}}.
        t = dict(t)
        if "air_min_km" in t:
            v = t.pop("air_min_km")
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 20_100:
                raise ValueError(f"travel.air_min_km must be a distance in km from 0 to 20100, got {v!r}")
            s.air_min_km = float(v)
        if "eras" in t:
            if len(t) > 1:
                raise ValueError("travel: `eras` replaces every era; give nothing beside it")
            s.travel = {"eras": _eras(t["eras"])}
        else:
            for k, v in t.items():
                if isinstance(v, dict) and isinstance(k, int) and not isinstance(k, bool):
                    k = _year(f"travel.{k}", k)
                    era = {"from": k, "speeds": {}, "source": "set in this case's settings"}
                    prev = None
                    for e in s.travel["eras"]:
                        if e["from"] <= k:
                            prev = e
                    if prev:
                        era["speeds"].update(prev["speeds"])
                    era["speeds"].update(_speeds(f"travel.{k}", v))
                    s.travel["eras"] = sorted([e for e in s.travel["eras"] if e["from"] != k] + [era],
                                              key=lambda e: e["from"])
                elif isinstance(k, str) and not isinstance(v, (dict, list)):
                    speed = _speed(f"travel.{k}", v)
                    for era in s.travel["eras"]:
                        era["speeds"][k] = speed
                else:
                    raise ValueError(f"cannot read travel setting {k!r}: give a mode with a speed in km/h, "
                                     "or a year with a mapping of modes to speeds")
    return s
