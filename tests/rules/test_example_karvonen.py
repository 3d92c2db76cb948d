"""The bundled modern example (examples/karvonen-2022): minutes and two time zones.

The findings a reader should reach are written beside the claims in its case.yaml; this
checks that belie reaches them (rule, claims, severity), through the CLI's JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "karvonen-2022"

EXPECTED = {
    ("alibi", ("flight-out", "phone-mast")): "impossible",
    ("alibi", ("flight-out", "ministry-day")): "impossible",
    ("alibi", ("camera", "ministry-day")): "impossible",
    ("alibi", ("ministry-day", "waiter-lunch")): "impossible",
    ("alibi", ("dahl-hotel", "ministry-day")): "impossible",
    ("alibi", ("karvonen-flew", "ministry-day")): "impossible",
    ("impossible-travel", ("camera", "phone-mast")): "strained",
    ("conflicting-accounts", ("dahl-hotel", "waiter-lunch")): "impossible",
    ("nonexistent", ("dahl-hotel",)): "impossible",
    ("self-contradiction", ("karvonen-flew", "ministry-day")): "impossible",
    ("register", ("karvonen-return", "manifest-arrivals")): "impossible",
    ("uncorroborated", ("dahl-hotel", "waiter-lunch")): "note",
    ("uncorroborated", ("karvonen-return",)): "note",
    ("alibi", ("car-camera", "car-gps")): "impossible",
    ("anachronism", ("budget-meeting",)): "impossible",
}


@pytest.fixture(scope="module")
def result() -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, "-m", "belie.cli", "check", str(EXAMPLE), "--format", "json"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_findings_written_beside_the_claims(result):
    found = {(f["rule"], tuple(sorted(f["claims"]))): f["severity"] for f in result["findings"]}
    assert found == EXPECTED


def test_consistent_claims_give_nothing(result):
    # the ticket and the camera; the interview and the ticket; the diary's whole day
    for pair in ({"flight-out", "camera"}, {"karvonen-flew", "flight-out"}, {"diary"}):
        assert not [f for f in result["findings"] if pair <= set(f["claims"])], pair


def test_times_are_shown_as_written_as_read_and_in_utc(result):
    f = next(f for f in result["findings"] if f["rule"] == "impossible-travel")
    text = f["explanation"]
    assert "“2022-09-12T11:02/2022-09-12T12:25”" in text                      # as written
    assert "read as 2022-09-12T11:02+03:00/2022-09-12T12:25+03:00, Europe/Helsinki" in text
    assert "12 Sep 2022 08:02 UTC .. 09:25 UTC" in text                       # in UTC
    assert "only air could" in text
    assert f["window"] == "2022-09-12T10:25Z/2022-09-12T10:35Z"
