"""Defaults a case may override under `settings:` in case.yaml.

Three groups, each documented in docs/settings.md:

* ``dates``   — how far ``~`` and ``?`` widen a date (see belie.model.dates.DateSettings);
* ``weights`` — the weight of evidence of each source kind (record > finding > testimony
  > confession);
* ``travel``  — fastest plausible speeds by era and mode (src/belie/data/travel_speeds.yaml).
"""
from __future__ import annotations

import copy
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

SETTINGS_KEYS = ("dates", "weights", "travel")


@lru_cache(maxsize=1)
def default_travel() -> dict:
    text = resources.files("belie.data").joinpath("travel_speeds.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@dataclass
class Settings:
    dates: DateSettings = field(default_factory=DateSettings)
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    travel: dict = field(default_factory=lambda: copy.deepcopy(default_travel()))

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


def settings_from_mapping(m: dict | None) -> Settings:
    """Build Settings from a case's `settings:` mapping; raises ValueError naming the bad key."""
    s = Settings()
    if not m:
        return s
    for key in m:
        if key not in SETTINGS_KEYS:
            raise ValueError(f"unknown settings key {key!r} (expected one of {', '.join(SETTINGS_KEYS)})")
    if "dates" in m:
        s.dates = DateSettings.from_mapping(m["dates"] or {})
    if "weights" in m:
        for kind, w in (m["weights"] or {}).items():
            if not isinstance(w, (int, float)) or not 0 <= w <= 1:
                raise ValueError(f"weight of {kind!r} must be a number between 0 and 1, got {w!r}")
            s.weights[str(kind)] = float(w)
    if "travel" in m:
        t = m["travel"] or {}
        # Either a full `eras:` list, or {mode: kmh} applied to every era, or {year: {mode: kmh}}.
        if "eras" in t:
            s.travel = {"eras": sorted(t["eras"], key=lambda e: e["from"])}
        else:
            for k, v in t.items():
                if isinstance(v, (int, float)):
                    for era in s.travel["eras"]:
                        era["speeds"][str(k)] = float(v)
                elif isinstance(v, dict) and isinstance(k, int):
                    era = {"from": k, "speeds": {}, "source": "set in this case's settings"}
                    prev = None
                    for e in s.travel["eras"]:
                        if e["from"] <= k:
                            prev = e
                    if prev:
                        era["speeds"].update(prev["speeds"])
                    era["speeds"].update({str(a): float(b) for a, b in v.items()})
                    s.travel["eras"] = sorted([e for e in s.travel["eras"] if e["from"] != k] + [era],
                                              key=lambda e: e["from"])
                else:
                    raise ValueError(f"cannot read travel setting {k!r}: give a mode with a speed in km/h, "
                                     "or a year with a mapping of modes to speeds")
    return s
