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
    assert hit.coords == pytest.approx(gaz.lookup("Oslo").coords)       # the capital
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
