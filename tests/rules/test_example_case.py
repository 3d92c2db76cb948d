"""The bundled example case yields the findings Trotsky and the Dewey Commission reached by hand."""
from __future__ import annotations

from pathlib import Path

import pytest

import belie

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "moscow-1936"


@pytest.fixture(scope="module")
def result():
    return belie.check(belie.load_case(EXAMPLE))


def _find(result, rule, *claims, severity=None):
    out = [f for f in result.findings if f.rule == rule and set(claims) <= set(f.claims)
           and (severity is None or f.severity == severity)]
    assert out, f"no {severity or ''} {rule} finding on {claims}"
    return out[0]


def test_hotel_bristol_had_closed_in_1917(result):
    f = _find(result, "nonexistent", "goltzman-bristol", severity="impossible")
    assert "1917" in f.explanation and "Hotel Bristol" in f.explanation


def test_sedov_was_in_berlin(result):
    f = _find(result, "alibi", "goltzman-bristol", "sedov-in-berlin")
    # The meeting could only have fallen before Sedov's documented stay in Berlin began.
    assert f.window == "1932-11-20/1932-11-22"
    assert "Berlin" in f.explanation


def test_no_plane_landed_at_kjeller(result):
    f = _find(result, "register", "pyatakov-flight", "kjeller-december-1935", severity="impossible")
    assert "Kjeller" in f.explanation


def test_the_paymaster_followed_soviet_diplomacy(result):
    per_voice = [f for f in result.findings if f.rule == "shifting-accusation" and "rows" in f.details]
    (f,) = [f for f in per_voice if f.details["voice"] == "ussr"]
    powers = {row["power"] for row in f.details["rows"]}
    assert {"britain", "poland", "france", "germany", "japan"} <= powers
    assert f.details["share"] > 0.7
    assert f.details["p_value"] < 0.05


def test_the_confessions_must_go_if_the_records_hold(result):
    rejected = set(result.reading.rejected_ids)
    assert {"goltzman-bristol", "pyatakov-flight"} <= rejected
    kept = {k["claim"] if isinstance(k, dict) else k for k in result.reading.to_dict()["kept"]}
    assert "kjeller-december-1935" in kept


def test_the_confessions_repeat_one_formula(result):
    fs = [f for f in result.findings if f.rule == "escalation"]
    assert fs and len(fs[0].claims) >= 3
