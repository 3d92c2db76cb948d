"""Times of day and time zones (casefile.md section 1a): reading, zones, and what the rules
make of claims a few minutes apart."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import belie
from belie.model.dates import DateError, NeedsZone, parse_date

ROOT = Path(__file__).resolve().parents[2]


def _case(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "c"
    folder.mkdir(exist_ok=True)
    (folder / "case.yaml").write_text(text, encoding="utf-8")
    return folder


def _findings(folder: Path) -> list:
    return belie.check(belie.load_case(folder)).findings


# ------------------------------------------------------------------ reading


def test_offset_in_force_on_that_day_venezuela_2016():
    # Venezuela moved from -04:30 to -04:00 on 1 May 2016: noon reads 30 min apart in UTC.
    before = parse_date("2016-04-30T12:00", zone="America/Caracas")
    after = parse_date("2016-05-02T12:00", zone="America/Caracas")
    assert before.read == "2016-04-30T12:00-04:30" and before.describe() == "30 Apr 2016 16:30 UTC"
    assert after.read == "2016-05-02T12:00-04:00" and after.describe() == "2 May 2016 16:00 UTC"


def test_samoa_skipped_30_december_2011():
    with pytest.raises(DateError, match="did not exist in Pacific/Apia"):
        parse_date("2011-12-30T12:00", zone="Pacific/Apia")
    with pytest.raises(DateError, match="did not exist in Pacific/Apia"):
        parse_date("2011-12-30", zone="Pacific/Apia")
    # the day before was at -10:00, the day after at +14:00: 24 h of wall clock, 0 h apart
    a = parse_date("2011-12-29T12:00", zone="Pacific/Apia")
    b = parse_date("2011-12-31T12:00", zone="Pacific/Apia")
    assert b.lo - a.lo == 24 * 3600


def test_a_time_without_offset_needs_a_zone_but_an_offset_does_not():
    with pytest.raises(NeedsZone):
        parse_date("2021-05-04T16:20")
    assert parse_date("2021-05-04T13:20Z").describe() == "4 May 2021 13:20 UTC"
    assert parse_date("2021-05-04T17:20+04:00").describe() == "4 May 2021 13:20 UTC"


def test_a_minute_is_sixty_seconds_and_approximate_widens_by_minutes():
    m = parse_date("2021-05-04T13:20Z")
    assert m.hi - m.lo == 59
    assert parse_date("2021-05-04T13:20:05Z").hi == parse_date("2021-05-04T13:20:05Z").lo
    wide = parse_date("2021-05-04T13:20Z~")
    assert (m.lo - wide.lo, wide.hi - m.hi) == (15 * 60, 15 * 60)


# ------------------------------------------------------------------ the loader's zones


PLACES = """case: T
entities:
  ana: {type: person, names: [Ana]}
  here: {type: place, at: [38.88, -7.16], timezone: Europe/Lisbon}
  there: {type: place, at: [38.88, -6.58]}
  shop: {type: place, within: here, at: [38.881, -7.161]}
sources:
  rec: {kind: record, said: 2023-06-14T12:00Z}
claims:
"""


def test_time_without_offset_and_no_zone_exits_2_naming_file_line_and_column(tmp_path):
    folder = _case(tmp_path, PLACES + "  - {source: rec, presence: ana, where: there, when: 2023-06-14T10:05}\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, "-m", "belie.cli", "check", str(folder)],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert re.search(r"case\.yaml:10:48: when: .*local time.*no time zone", out.stderr), out.stderr


def test_zone_from_the_source_then_the_place_then_its_parent_then_settings(tmp_path):
    text = PLACES.replace("  rec: {kind: record, said: 2023-06-14T12:00Z}",
                          "  rec: {kind: record, said: 2023-06-14T12:00Z}\n"
                          "  ministry: {kind: official, timezone: Europe/Madrid}") + (
        "  - {id: a, source: rec, presence: ana, where: here, when: 2023-06-14T10:05}\n"
        "  - {id: b, source: rec, presence: ana, where: shop, when: 2023-06-14T10:05}\n"
        "  - {id: c, source: ministry, presence: ana, where: here, when: 2023-06-14T10:05}\n"
        "  - {id: d, source: rec, presence: ana, where: there, when: 2023-06-14T10:05}\n"
        "settings: {timezone: UTC}\n")
    case = belie.load_case(_case(tmp_path, text))
    by = case.claim_by_id
    assert by["a"].when.describe() == "14 Jun 2023 09:05 UTC"      # the place: Lisbon, +01:00
    assert by["b"].when.describe() == "14 Jun 2023 09:05 UTC"      # within it
    assert by["c"].when.describe() == "14 Jun 2023 08:05 UTC"      # the source: Madrid, +02:00
    assert by["d"].when.describe() == "14 Jun 2023 10:05 UTC"      # settings: UTC


@pytest.mark.slow
def test_zone_of_a_gazetteer_town(tmp_path):
    text = ("case: T\nentities:\n  ana: {type: person, names: [Ana]}\n"
            "  tokyo: {type: place, names: [Tokyo]}\nsources:\n  rec: {kind: record}\nclaims:\n"
            "  - {id: a, source: rec, presence: ana, where: tokyo, when: 2021-05-04T18:00}\n")
    case = belie.load_case(_case(tmp_path, text))
    assert case.claim_by_id["a"].when.read == "2021-05-04T18:00+09:00"


# ------------------------------------------------------------------ the rules at minute scale


TWO_TOWNS = """case: T
entities:
  ana: {type: person, names: [Ana]}
  a: {type: place, at: [45.0, 5.0], timezone: Europe/Paris}
  b: {type: place, at: [45.45, 5.0], timezone: Europe/Paris}
sources:
  s1: {kind: record}
  s2: {kind: testimony}
claims:
"""


def test_ten_minutes_for_fifty_km_is_impossible_by_road(tmp_path):
    folder = _case(tmp_path, TWO_TOWNS + (
        "  - {id: x, source: s1, presence: ana, where: a, when: 2021-05-04T11:30}\n"
        "  - {id: y, source: s2, presence: ana, where: b, when: 2021-05-04T11:40}\n"))
    fs = [f for f in _findings(folder) if set(f.claims) == {"x", "y"}]
    assert [(f.rule, f.severity) for f in fs] == [("impossible-travel", "impossible")]
    assert "by road" in fs[0].explanation and "09:30 UTC" in fs[0].explanation
    assert "read as 2021-05-04T11:30+02:00" in fs[0].explanation


def test_an_hour_for_fifty_km_is_no_finding(tmp_path):
    folder = _case(tmp_path, TWO_TOWNS + (
        "  - {id: x, source: s1, presence: ana, where: a, when: 2021-05-04T11:30}\n"
        "  - {id: y, source: s2, presence: ana, where: b, when: 2021-05-04T12:30}\n"))
    assert not [f for f in _findings(folder) if set(f.claims) == {"x", "y"}]


def test_air_counts_beyond_air_min_km(tmp_path):
    # Five minutes for 50 km: impossible by road; lowering the threshold below the
    # distance lets air count, and the pair is only strained (true only by air).
    claims = ("  - {id: x, source: s1, presence: ana, where: a, when: 2021-05-04T11:30}\n"
              "  - {id: y, source: s2, presence: ana, where: b, when: 2021-05-04T11:34}\n")
    plain = [f for f in _findings(_case(tmp_path, TWO_TOWNS + claims)) if set(f.claims) == {"x", "y"}]
    assert [(f.rule, f.severity) for f in plain] == [("impossible-travel", "impossible")]
    low = TWO_TOWNS.replace("claims:\n", "settings: {travel: {air_min_km: 10}}\nclaims:\n")
    fs = [f for f in _findings(_case(tmp_path, low + claims)) if set(f.claims) == {"x", "y"}]
    assert [(f.rule, f.severity) for f in fs] == [("impossible-travel", "strained")]
    assert "only air could" in fs[0].explanation


def test_a_day_and_a_time_on_it_are_compatible(tmp_path):
    folder = _case(tmp_path, TWO_TOWNS + (
        "  - {id: x, source: s1, presence: ana, where: a, when: 2021-05-04}\n"
        "  - {id: y, source: s2, presence: ana, where: b, when: 2021-05-04T13:20}\n"
        # 00:30 local is still 4 May where the day is local (22:30 UTC on the 3rd)
        "  - {id: z, source: s2, presence: ana, where: a, when: 2021-05-04T00:30}\n"))
    case = belie.load_case(folder)
    assert case.claim_by_id["x"].when.describe() == "3 May 2021 22:00 UTC .. 4 May 2021 21:59 UTC"
    assert not [f for f in belie.check(case).findings
                if "x" in f.claims and f.severity == "impossible"]


def test_a_stay_throughout_hours_against_a_moment_inside_it(tmp_path):
    folder = _case(tmp_path, TWO_TOWNS + (
        "  - {id: x, source: s1, presence: ana, where: a, throughout: 2021-05-04T09:00/2021-05-04T12:00}\n"
        "  - {id: y, source: s2, presence: ana, where: b, when: 2021-05-04T10:00}\n"))
    fs = [f for f in _findings(folder) if set(f.claims) == {"x", "y"} and f.rule == "alibi"]
    assert [f.severity for f in fs] == ["impossible"]


# ------------------------------------------------------------------ the spec's example


@pytest.mark.shared
def test_times_yaml_findings(shared_dir, tmp_path):
    """../shared/spec/example/times.yaml: the findings written beside its claims."""
    text = (shared_dir / "spec" / "example" / "times.yaml").read_text("utf-8")
    case = belie.load_case(_case(tmp_path, text))
    found = {(f.rule, tuple(sorted(f.claims))): f.severity for f in belie.check(case).findings}
    assert found[("impossible-travel", ("card", "market-sighting"))] == "impossible"
    assert found[("alibi", ("market-sighting", "ruiz-morning"))] == "impossible"
    assert found[("register", ("bridge-log", "ruiz-crossing"))] == "impossible"
    assert found[("self-contradiction", ("ruiz-crossing", "ruiz-morning"))] == "impossible"
    assert found[("anachronism", ("blog-sighting",))] == "impossible"
    # the blog post also meets the card payment and her first statement as the sighting does
    assert found[("impossible-travel", ("blog-sighting", "card"))] == "impossible"
    assert found[("alibi", ("blog-sighting", "ruiz-morning"))] == "impossible"
    # consistent: the card payment and her crossing (25 minutes for 11.5 km); the van
    assert not [k for k in found if set(k[1]) == {"card", "ruiz-crossing"}]
    assert not [k for k in found if "van-at-bridge" in k[1]]
    # read in one zone, the sighting would be 55 minutes after the payment: the zones matter
    mk = case.claim_by_id["market-sighting"].when
    assert mk.read == "2023-06-14T11:00+02:00" and mk.describe() == "14 Jun 2023 09:00 UTC"


def test_a_case_of_dates_only_keeps_whole_calendar_days(tmp_path):
    # No time anywhere: zones are never applied, days compare as written.
    folder = _case(tmp_path, TWO_TOWNS + (
        "  - {id: x, source: s1, presence: ana, where: a, when: 2021-05-04}\n"
        "  - {id: y, source: s2, presence: ana, where: b, when: 2021-05-05}\n"))
    case = belie.load_case(folder)
    assert not case.claim_by_id["x"].when.timed
    assert case.claim_by_id["x"].when.describe() == "4 May 2021"


# ------------------------------------------------------------------ the one formatter


def test_the_one_formatter_for_days_times_and_lengths():
    from belie.model.dates import DAY, duration, plural, span_text

    assert plural(1, "day") == "1 day" and plural(1204, "claim") == "1,204 claims"
    assert duration(3 * DAY) == "3 days" and duration(0) == "0 days"
    assert duration(80 * 60) == "1 h 20 min" and duration(45) == "45 s"
    assert duration(438 * DAY + 15 * 3600) == "438 days 15 h"
    day = parse_date("1933-07-21/1933-07-31")
    assert span_text(day.lo, day.hi) == "21 Jul 1933 .. 31 Jul 1933"
    t = parse_date("2021-05-04T11:30Z/2021-05-04T13:00Z")
    assert span_text(t.lo, t.hi) == "4 May 2021 11:30 UTC .. 13:00 UTC"


def test_an_unknown_zone_is_named_with_its_line(tmp_path):
    from belie.errors import InputError

    text = TWO_TOWNS.replace("timezone: Europe/Paris}", "timezone: Europe/Pariss}", 1) + (
        "  - {id: x, source: s1, presence: ana, where: a, when: 2021-05-04T11:30}\n")
    with pytest.raises(InputError) as exc:
        belie.load_case(_case(tmp_path, text))
    assert "unknown time zone 'Europe/Pariss'" in str(exc.value) and "case.yaml:4:" in str(exc.value)
