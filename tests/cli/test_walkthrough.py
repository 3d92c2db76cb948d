"""A new case from nothing, as an investigator builds one, with no hand-editing of any file
belie writes: `belie init`, the investigator's own file of entities and claims, `belie add`
for the documents (declaring each source in case.yaml), `belie import-csv` for a
spreadsheet of camera sightings (entities by name), `belie check` and `belie report`.

The material (tests/cli/walkthrough/, invented): a council's minutes and a hotel register
(records) that cannot both hold, two press releases that disagree, a witness who misspells a
town and says the councillor walked 300 km in a day, and traffic-camera sightings.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .test_cli import run

MATERIAL = Path(__file__).parent / "walkthrough"
#: Each document, and how `belie add` declares it: (file, --kind, --speaker, --said, --title).
DOCUMENTS = [
    ("minutes.txt", "record", "council", "2024-03-14", None),
    ("hotel-register.txt", "record", None, "2024-03-15", "Bay Hotel guest register"),
    ("witness-brandt.txt", "testimony", "brandt", "2024-03-20", None),
    ("release-vell.txt", "press", "vell", "2024-03-15", None),
    ("release-council.txt", "official", "council", "2024-03-16", None),
    ("cameras.csv", "record", None, "2024-03-14", "Traffic camera log"),
]


@pytest.fixture(scope="module")
def inquiry(tmp_path_factory):
    """The case folder after init, add and import-csv."""
    home = tmp_path_factory.mktemp("walkthrough")
    inbox = home / "inbox"
    shutil.copytree(MATERIAL, inbox)
    case = home / "vell-inquiry"
    out = run("init", str(case), "--title", "Vell inquiry")
    assert out.returncode == 0, out.stderr
    shutil.copy(inbox / "cast.yaml", case / "claims" / "cast.yaml")     # the investigator's own file
    quotes = 0
    for name, kind, speaker, said, title in DOCUMENTS:
        args = ["add", str(case), str(inbox / name), "--copy", "--kind", kind, "--said", said]
        args += ["--speaker", speaker] if speaker else []
        args += ["--title", title] if title else []
        out = run(*args)
        assert out.returncode == 0, out.stderr
        assert "NOT FOUND" not in out.stdout
        quotes += out.stdout.count("found (")
    assert quotes == 6                              # every quote of cast.yaml in its source
    out = run("import-csv", str(inbox / "cameras.csv"), "--case", str(case),
              "-o", str(case / "claims" / "cameras.yaml"))
    assert out.returncode == 0, out.stderr
    return case


@pytest.fixture(scope="module")
def checked(inquiry):
    case = inquiry
    out = run("check", str(case))
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_the_sheet_names_people_and_places_as_the_investigator_wrote_them(inquiry):
    case = inquiry
    text = (case / "claims" / "cameras.yaml").read_text(encoding="utf-8")
    assert "presence: vell" in text and "where: town-hall" in text and "Rhona Vell," not in text


def test_the_first_screen_gives_the_verdict_and_what_carries_it(checked):
    first = checked.split("\nDetails")[0]
    assert len(first.splitlines()) < 40
    # counts, then the warning for the misspelt town with the gazetteer's spelling
    assert first.splitlines()[1].startswith("9 claims from 6 sources: ")
    assert "place 'quay' (names: Felixtowe) has no coordinates" in first
    assert "did you mean it?" in first and "Felixstowe, GB" in first
    # two records cannot both hold: the reading says so and names the one it gives up
    assert "The records conflict with each other" in first and "If the records hold" not in first
    assert "✗ hotel-vell-stay  hotel-register (record, weight 0.95)" in first
    assert "minutes-vell-chairs (record 0.95)" in first
    assert "✗ vell-expo-all-day  release-vell (press, weight 0.50)" in first
    # the key findings: each given-up claim with a finding that involves it
    key = first.split("Key findings")[1]
    for cid in ("hotel-vell-stay", "vell-expo-all-day", "vell-walked"):
        assert cid in key
    assert "The claim names its means, foot: at 7 km/h" in key and "cannot have been made as stated" in key


def test_no_distance_no_impossible_alibi(inquiry):
    case = inquiry
    data = json.loads(run("check", str(case), "--format", "json", "--no-store").stdout)
    quay = [f for f in data["findings"] if "brandt-sees-vell" in f["claims"] and f["rule"] == "alibi"
            and not {"hotel-vell-stay", "vell-expo-all-day"} & set(f["claims"])]
    assert quay and {f["severity"] for f in quay} == {"note"}            # two moments, no distance
    assert all("Felixtowe has no coordinates" in f["explanation"] for f in quay)
    # a stay throughout the day needs no distance: that one is still impossible
    covered = [f for f in data["findings"] if set(f["claims"]) == {"brandt-sees-vell", "vell-expo-all-day"}]
    assert [f["severity"] for f in covered] == ["impossible"]
    # one underlying conflict: every impossible finding in one group, strongest first
    impossible = [i for i, f in enumerate(data["findings"]) if f["severity"] == "impossible"]
    assert set(impossible) <= set(data["groups"][0]["findings"])
    assert data["groups"][0]["rejected"] == ["hotel-vell-stay", "vell-expo-all-day", "vell-walked"]


def test_sets_are_explained_by_what_is_printed(checked):
    sets = checked.split("Smallest sets of claims that cannot all be true")[1]
    assert "through the implied claims below" in sets
    assert "implied by presence-" in sets        # each implied claim says which claim implies it
    for line in sets.splitlines():
        if line.startswith("        ") and "  “" in line:         # an implied claim: id, quote, source
            assert " — " in line


def test_a_pipeline_fails_on_impossible_findings(inquiry):
    case = inquiry
    assert run("check", str(case), "--quiet", "--fail-on", "impossible", "--no-store").returncode == 1


def test_the_sources_are_declared_by_belie_add_and_the_report_is_written(inquiry, checked):
    import belie

    case = inquiry
    text = (case / "case.yaml").read_text(encoding="utf-8")
    assert "# The sources." in text                  # what belie init wrote is still there
    loaded = belie.load_case(case)
    assert {s.id: s.kind for s in loaded.sources.values()} == {
        "minutes": "record", "hotel-register": "record", "witness-brandt": "testimony",
        "release-vell": "press", "release-council": "official", "cameras": "record"}
    assert loaded.sources["minutes"].speaker == "council"
    report = case.parent / "report.html"
    out = run("report", str(case), "-o", str(report))
    assert out.returncode == 0, out.stderr
    html = report.read_text(encoding="utf-8")
    assert "Vell inquiry" in html and "hotel-vell-stay" in html
