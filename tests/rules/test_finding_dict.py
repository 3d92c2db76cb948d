"""A finding as a dict (JSON output, the store) is what dataclasses.asdict gives, less an
empty window."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import belie

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "karvonen-2022"


def test_to_dict_is_a_deep_copy_like_asdict():
    findings = belie.check(belie.load_case(EXAMPLE)).findings
    assert findings
    for f in findings:
        expected = dataclasses.asdict(f)
        if expected["window"] is None:
            del expected["window"]
        d = f.to_dict()
        assert d == expected and list(d) == list(expected)
        d["claims"].append("x")
        d["details"]["added"] = 1
        assert "x" not in f.claims and "added" not in f.details
