"""`belie review`: the terminal review of what `belie extract` proposed, writing the same
decisions log and claims/reviewed.yaml as the web app (both go through belie.review)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import belie
from belie.store.db import CaseStore

ROOT = Path(__file__).resolve().parents[2]


def run(*args, stdin=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="200", BELIE_REVIEWER="")
    return subprocess.run([sys.executable, "-m", "belie.cli", *args], capture_output=True, text=True,
                          env=env, input=stdin, timeout=120)


def _ids(folder: Path) -> dict[str, str]:
    """Candidate ids by what they say: 'story' (Pyatakov's, as reported), 'denial', 'stay'."""
    with CaseStore.open(folder) as store:
        out = {}
        for c in store.candidates():
            d = c["data"]
            if "meeting" in d and d.get("reported_by"):
                out["story"] = c["id"]
            elif "meeting" in d and d.get("denies"):
                out["denial"] = c["id"]
            elif "presence" in d:
                out["stay"] = c["id"]
        return out


def test_list_show_accept_reject_edit_undo(extracted_case):
    folder = extracted_case()
    ids = _ids(folder)
    assert {"story", "denial", "stay"} <= set(ids)

    listed = run("review", str(folder))
    assert listed.returncode == 0
    for cid in ids.values():
        assert cid in listed.stdout
    assert "says Pyatakov, as Leon Trotsky reports" in listed.stdout

    shown = run("review", str(folder), ids["story"][:12])          # a unique prefix is enough
    assert shown.returncode == 0
    assert "speaker: pyatakov" in shown.stdout and "confidence" in shown.stdout  # shown as not written

    acc = run("review", str(folder), ids["story"], "--accept", "--reviewer", "Ann Archivist")
    assert acc.returncode == 0, acc.stderr
    assert "accepted by Ann Archivist" in acc.stdout
    rej = run("review", str(folder), ids["denial"], "--reject", "--reviewer", "Bob")
    assert rej.returncode == 0
    edit = "source: reply\npresence: trotsky\nwhere: honefoss\nthroughout: 1935-12\n"
    ed = run("review", str(folder), ids["stay"], "--edit", "--from", "-", "--reviewer", "Ann Archivist",
             stdin=edit)
    assert ed.returncode == 0, ed.stderr

    case = belie.load_case(folder)
    assert case.speaker(case.claim_by_id[ids["story"]]) == "pyatakov"
    assert case.claim_by_id[ids["stay"]].throughout
    assert ids["denial"] not in case.claim_by_id
    with CaseStore.open(folder) as store:
        log = [(d["target"], d["decision"], d["reviewer"]) for d in store.decisions()]
    assert log == [(ids["story"], "accepted", "Ann Archivist"), (ids["denial"], "rejected", "Bob"),
                   (ids["stay"], "edited", "Ann Archivist")]

    undo = run("review", str(folder), ids["story"], "--undo", "--reviewer", "Ann Archivist")
    assert undo.returncode == 0
    assert ids["story"] not in belie.load_case(folder).claim_by_id
    again = run("review", str(folder), "--status", "all")
    assert f"{ids['story']}  [proposed]" in again.stdout


def test_a_bad_edit_or_a_bad_id_writes_nothing_and_exits_2(extracted_case):
    folder = extracted_case()
    ids = _ids(folder)
    bad = run("review", str(folder), ids["stay"], "--edit", "--from", "-", "--reviewer", "Ann",
              stdin="source: reply\npresence: trotsky\nwhere: osloo\n")
    assert bad.returncode == 2
    assert "unknown entity 'osloo' (did you mean 'oslo'?)" in bad.stderr
    assert "nothing was written" in bad.stderr and "Traceback" not in bad.stderr
    assert not (folder / "claims" / "reviewed.yaml").exists()
    missing = run("review", str(folder), "cand-nothing", "--accept", "--reviewer", "Ann")
    assert missing.returncode == 2 and "no candidate 'cand-nothing'" in missing.stderr
    ambiguous = run("review", str(folder), "cand-", "--accept", "--reviewer", "Ann")
    assert ambiguous.returncode == 2 and "give more of the id" in ambiguous.stderr
    with CaseStore.open(folder) as store:
        assert store.decisions() == []
