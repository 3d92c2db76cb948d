"""belie.review: accepting what `belie extract` proposes, and a decision that survives a crash.

The candidates here are the ones `belie extract` really proposes for a small case (the
`extracted_case` fixture), not hand-made ones.  The crash tests stop a real process (with
os._exit, as a kill would) at each point of a decision, then check that the next review
of the case finishes the decision and that nothing is lost or refused.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import belie
from belie.review import ConflictError, Review, ReviewError
from belie.review.claim import claim_from_candidate
from belie.store.db import CaseStore

ROOT = Path(__file__).resolve().parents[2]


def _accept_all(folder: Path) -> list:
    with Review(folder) as review:
        return [review.decide(c["id"], "accepted", "Tester", c["version"])
                for c in review.candidates("proposed")]


def test_every_extracted_candidate_is_accepted_as_a_valid_claim(extracted_case):
    folder = extracted_case()
    with CaseStore.open(folder) as store:
        proposed = store.candidates("proposed")
    assert proposed, "extraction proposed nothing for the case"
    # what extraction adds beside the claim is there, as in the issue
    assert any("confidence" in c["data"] for c in proposed)
    done = _accept_all(folder)
    assert len(done) == len(proposed) and all(d.written for d in done)
    case = belie.load_case(folder)            # the loader reads every accepted claim
    accepted = {d.claim["id"] for d in done}
    assert accepted <= {c.id for c in case.claims}
    for d in done:
        assert not {"confidence", "start", "end", "date_text", "reported_by"} & set(d.claim)


def test_a_reported_allegation_keeps_who_made_it(extracted_case):
    folder = extracted_case()
    done = _accept_all(folder)
    reported = [d for d in done if d.dropped.get("reported_by") == "trotsky"]
    assert reported, "extraction found no allegation that the author reports"
    case = belie.load_case(folder)
    for d in reported:
        claim = case.claim_by_id[d.claim["id"]]
        assert claim.speaker == "pyatakov" and case.speaker(claim) == "pyatakov"
    # the author's own claims stay his
    own = [case.claim_by_id[d.claim["id"]] for d in done if d not in reported]
    assert own and all(case.speaker(c) == "trotsky" for c in own)


def test_a_reported_allegation_is_not_the_authors_self_contradiction(extracted_case):
    """Trotsky reports Pyatakov's story and denies it: a conflict between two people, not
    Trotsky contradicting himself (without `speaker` it was read as his own claim)."""
    folder = extracted_case()
    _accept_all(folder)
    rules = {f.rule for f in belie.check(belie.load_case(folder)).findings}
    assert "self-contradiction" not in rules
    assert "conflicting-accounts" in rules or "alibi" in rules
    # the same file with the speaker taken out: the false self-contradiction of the issue
    path = folder / "claims" / "reviewed.yaml"
    path.write_text("\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                              if not line.strip().startswith("speaker:")) + "\n", encoding="utf-8")
    rules = {f.rule for f in belie.check(belie.load_case(folder)).findings}
    assert "self-contradiction" in rules


def test_metadata_is_mapped_by_the_schema():
    cand = {"id": "cand-1", "source_id": "s"}
    data = {"source": "s", "accuses": "x", "serving": "p", "when": "1936", "quote": "q",
            "confidence": 0.4, "start": 0, "end": 1, "date_text": "in 1936", "speaker": "y",
            "reported_by": "z", "hypothetical": True, "why": "conditional", "novel_field": [1]}
    claim, dropped = claim_from_candidate(data, cand)
    assert claim == {"id": "cand-1", "source": "s", "accuses": "x", "serving": "p", "during": "1936",
                     "speaker": "y", "note": "extraction read this as hypothetical (conditional)",
                     "quote": "q"}
    assert {"confidence", "start", "end", "date_text", "novel_field", "reported_by"} <= set(dropped)
    # the author's own claim (speaker = the source's speaker) carries no speaker
    own, _ = claim_from_candidate({"source": "s", "presence": "y", "where": "w", "speaker": "y"},
                                  cand, source_speaker="y")
    assert "speaker" not in own


def test_a_reviewers_edit_keeps_its_keys_for_the_loader_to_judge(extracted_case):
    folder = extracted_case()
    with Review(folder) as review:
        cand = review.candidates("proposed")[0]
        with pytest.raises(ReviewError) as err:
            review.decide(cand["id"], "edited", "Tester", cand["version"],
                          edit="source: reply\npresence: trotsky\nwhere: oslo\nconfidence: 0.3\n")
        assert "unknown key 'confidence'" in str(err.value.problems[0])
        assert not (folder / "claims" / "reviewed.yaml").exists()
        done = review.decide(cand["id"], "edited", "Tester", cand["version"],
                             edit="source: reply\npresence: pyatakov\nwhere: oslo\nspeaker: pyatakov\n")
    assert belie.load_case(folder).claim_by_id[done.claim["id"]].speaker == "pyatakov"


def test_undo_takes_the_claim_out_and_a_stale_version_is_refused(extracted_case):
    folder = extracted_case()
    with Review(folder) as review:
        cand = review.candidates("proposed")[0]
        done = review.decide(cand["id"], "accepted", "Ann", 1)
        with pytest.raises(ConflictError):
            review.decide(cand["id"], "rejected", "Bob", 1)
        review.decide(cand["id"], "undo", "Ann", done.candidate["version"])
        assert done.claim["id"] not in {c.id for c in belie.load_case(folder).claims}
        log = [d["decision"] for d in review.store.decisions(cand["id"])]
    assert log == ["accepted", "proposed"]


# --------------------------------------------------------------------------
# The crash window between the store and claims/reviewed.yaml

KILL = """
import os, sys
import belie.review as review
point = sys.argv[2]
review.FAULT = lambda at: os._exit(137) if at == point else None
with review.Review(sys.argv[1]) as r:
    c = r.candidates("proposed")[0]
    print(c["id"], flush=True)
    r.decide(c["id"], sys.argv[3], "Killed", c["version"])
os._exit(0)
"""


def _run_killed(folder: Path, point: str, decision: str = "accepted") -> str:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", KILL, str(folder), point, decision],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 137, out.stderr
    return out.stdout.split()[0]


def _in_file(folder: Path) -> list[str]:
    path = folder / "claims" / "reviewed.yaml"
    if not path.exists():
        return []
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [c["id"] for c in doc.get("claims") or []]


@pytest.mark.parametrize("point", ["committed", "file-written"])
def test_a_kill_after_the_commit_is_finished_at_the_next_start(extracted_case, point):
    folder = extracted_case()
    cid = _run_killed(folder, point)
    with CaseStore.open(folder) as store:
        assert store.get_candidate(cid)["status"] == "accepted"      # the decision stands
        assert len(store.journal()) == 1                                # and what it owes the file
        assert [d["decision"] for d in store.decisions(cid)] == ["accepted"]
    if point == "committed":
        assert cid not in _in_file(folder)                              # the window itself
    with Review(folder) as review:                                      # the next start
        assert review.store.journal() == []
        assert _in_file(folder).count(cid) == 1
        cand = review.get(cid)
        # deciding again is not refused ("claim id ... is already used")
        review.decide(cid, "undo", "After", cand["version"])
        assert cid not in _in_file(folder)
        review.decide(cid, "accepted", "After", cand["version"] + 1)
    assert _in_file(folder).count(cid) == 1
    belie.load_case(folder)


def test_a_kill_before_the_commit_leaves_nothing(extracted_case):
    folder = extracted_case()
    cid = _run_killed(folder, "before-commit")
    assert _in_file(folder) == []
    with Review(folder) as review:
        cand = review.get(cid)
        assert cand["status"] == "proposed" and cand["version"] == 1
        assert review.store.journal() == [] and review.store.decisions(cid) == []
        review.decide(cid, "accepted", "After", 1)
    assert _in_file(folder) == [cid]


def test_a_kill_during_undo_is_finished_too(extracted_case):
    folder = extracted_case()
    with Review(folder) as review:
        cand = review.candidates("proposed")[0]
        review.decide(cand["id"], "accepted", "Ann", 1)
    assert _in_file(folder) == [cand["id"]]
    KILL_UNDO = KILL.replace('r.candidates("proposed")[0]', 'r.candidates("accepted")[0]')
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", KILL_UNDO, str(folder), "committed", "undo"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 137, out.stderr
    assert _in_file(folder) == [cand["id"]]            # the file still holds it ...
    with Review(folder):                               # ... until the next start
        pass
    assert _in_file(folder) == []
    with CaseStore.open(folder) as store:
        assert store.get_candidate(cand["id"])["status"] == "proposed"
        assert json.dumps(store.journal()) == "[]"


def test_a_journal_that_cannot_be_applied_waits_for_the_file_to_be_fixed(extracted_case):
    folder = extracted_case()
    cid = _run_killed(folder, "committed")
    path = folder / "claims" / "reviewed.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("claims: [\n", encoding="utf-8")          # broken by hand meanwhile
    with Review(folder) as review:                              # starts, says nothing is lost
        assert len(review.store.journal()) == 1
        other = next(c for c in review.candidates("proposed"))
        with pytest.raises(ReviewError) as err:
            review.decide(other["id"], "accepted", "Ann", other["version"])
        assert "1 decision(s) already taken" in str(err.value)
        assert review.store.get_candidate(other["id"])["status"] == "proposed"
        path.write_text("claims:\n", encoding="utf-8")         # fixed
        review.decide(other["id"], "accepted", "Ann", other["version"])
    assert _in_file(folder) == [cid, other["id"]]
