"""Reviewing candidate claims: the one decision path of `belie serve` and `belie review`.

    from belie.review import Review
    with Review("mycase") as review:
        for cand in review.candidates("proposed"):
            print(cand["id"], cand["data"])
        done = review.decide("cand-0123", "accepted", "Ann", expected_version=1)
        done.claim          # the claim as written to claims/reviewed.yaml

A decision changes two things: the candidate in the case store (status, version, the
append-only ``decisions`` log) and the case file ``claims/reviewed.yaml`` (the accepted
claim in, an undone one out).  They are made one recoverable step by a journal in the
store:

1. under the store's write lock, the decision and the change it owes to the file (claim
   to take out, claim to put in) are committed together, in one transaction;
2. then, under the lock again, every change the journal holds is applied to the file
   (re-read, changed, written atomically) and deleted from the journal.

A crash between the two leaves the decision committed and its change in the journal; the
next :class:`Review` on the case (``belie serve``, ``belie review``, or the next decision)
applies it before doing anything else.  The changes are idempotent (put claim *X* in,
replacing one with its id; take claim *X* out if there), so applying one twice — a crash
after the file was written but before the journal entry was deleted — changes nothing.
The file is never ahead of the store: nothing is written to it that the store has not
committed.  :data:`FAULT` lets a test stop the process at each point in between.
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from belie.errors import BelieError, InputError, Problem
from belie.review import reviewed as rv
from belie.review.claim import claim_from_candidate, claim_id_of, comment_note, plain, referenced
from belie.store.db import STORE_DIR, CaseStore, ConflictError, utc_now
from belie.util import atomic_write_text

__all__ = ["Review", "Decided", "ReviewError", "CandidateNotFound", "ConflictError", "DECISIONS",
           "IN_CASE", "claim_id_of", "claim_from_candidate"]

#: The words a decision may be given in, and the status each records.
DECISIONS = {"accepted": "accepted", "accept": "accepted",
             "rejected": "rejected", "reject": "rejected",
             "edited": "edited", "edit": "edited",
             "proposed": "proposed", "undo": "proposed"}
#: The statuses whose claim is in claims/reviewed.yaml.
IN_CASE = ("accepted", "edited")

CASE_FILENAMES = ("case.yaml", "case.yml", "case.json")
CLAIM_SUFFIXES = (".yaml", ".yml", ".json")

#: Fault injection for tests: called with the name of each point of a decision
#: ("before-commit": decision and journal entry written, not committed; "committed": the
#: decision is in the store, the file not yet written; "file-written": the file is
#: written, the journal entry not yet deleted).  None in normal use.
FAULT: Callable[[str], None] | None = None


def _fault(point: str) -> None:
    if FAULT is not None:
        FAULT(point)


class ReviewError(InputError):
    """A decision refused: nothing was written.  ``message`` says why, ``problems``
    where (file, line, column, what is wrong)."""

    def __init__(self, message: str, problems: list[Problem] | None = None, note: str | None = None):
        self.message = message
        self.note = note
        super().__init__(problems or [Problem(rv.REVIEWED_FILE.as_posix(), None, None, message)])
        self.args = (message,)

    def __str__(self) -> str:
        return self.message


class CandidateNotFound(BelieError):
    """No candidate with that id (or id prefix) in the case."""


@dataclass
class Decided:
    """What a decision did."""

    candidate: dict                      # the candidate as it now stands
    written: bool                        # whether claims/reviewed.yaml changed
    claim: dict | None = None            # the claim written, if any
    dropped: dict = field(default_factory=dict)   # candidate keys not written (kept in the log)
    file: str = rv.REVIEWED_FILE.as_posix()


class Review:
    """The review of one case: its candidates, and decisions on them.

    *store*: an open :class:`CaseStore` to use (the web app's); else the case's own is
    opened (and closed by :meth:`close`).  *load*: a function returning the case as it is
    now (or None) and its loader problems — the web app passes its cached load; by default
    the case is read with :func:`belie.load_case` when needed.
    """

    def __init__(self, case_dir: str | Path, store: CaseStore | None = None,
                 load: Callable[[], tuple[Any, list[Problem]]] | None = None):
        self.case_dir = Path(case_dir).resolve()
        if not any((self.case_dir / n).is_file() for n in CASE_FILENAMES):
            raise InputError(Problem(str(case_dir), None, None,
                                     "not a case folder: no case.yaml (or case.json) in it"))
        self._own = store is None
        self.store = store if store is not None else CaseStore.open(self.case_dir, create=True)
        self._load = load
        self._cache: tuple[tuple, tuple[Any, list[Problem]]] | None = None
        self.lock = threading.RLock()
        try:
            self.replay()
        except ReviewError:        # reviewed.yaml unreadable: said again at the next decision
            pass

    def close(self) -> None:
        if self._own:
            self.store.close()

    def __enter__(self) -> "Review":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def reviewed_path(self) -> Path:
        return self.case_dir / rv.REVIEWED_FILE

    # -- reading -----------------------------------------------------------------
    def candidates(self, status: str | None = None) -> list[dict]:
        return self.store.candidates(status)

    def get(self, ref: str) -> dict:
        """The candidate whose id is *ref*, or starts with it (unique), or whose claim
        has the id *ref*."""
        ref = str(ref).strip()
        cand = self.store.get_candidate(ref)
        if cand is not None:
            return cand
        every = self.store.candidates()
        hits = [c for c in every if c["id"].startswith(ref) or c["id"].startswith("cand-" + ref)] if ref else []
        if not hits:
            hits = [c for c in every if claim_id_of(c) == ref]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise CandidateNotFound(f"no candidate {ref!r} in this case")
        raise CandidateNotFound(f"{ref!r} names {len(hits)} candidates ({', '.join(c['id'] for c in hits[:5])}"
                                f"{', …' if len(hits) > 5 else ''}); give more of the id")

    def read_reviewed(self) -> str:
        try:
            return self.reviewed_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def loaded(self) -> tuple[Any, list[Problem]]:
        """(the case or None, the loader's problems, files relative to the case folder)."""
        if self._load is not None:
            return self._load()
        import belie

        key = self._files_key()
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        try:
            got = belie.load_case(self.case_dir), []
        except InputError as exc:
            got = None, [self.rel_problem(p) for p in exc.problems]
        if self._files_key() == key:       # the files did not change while being read
            self._cache = (key, got)
        return got

    def _files_key(self) -> tuple:
        """The case files' names, sizes and modification times (the key of the cached load)."""
        files = [self.case_dir / n for n in CASE_FILENAMES if (self.case_dir / n).is_file()]
        claims = self.case_dir / "claims"
        if claims.is_dir():
            files += sorted(p for p in claims.rglob("*") if p.suffix.lower() in CLAIM_SUFFIXES)
        out = []
        for f in files:
            try:
                st = f.stat()
                out.append((str(f), st.st_size, st.st_mtime_ns))
            except OSError:
                pass
        return tuple(out)

    def claim_for(self, cand: dict, data: Any = None, *, edited: bool = False) -> tuple[dict, dict]:
        """(the claim that accepting *cand* writes, the candidate's keys left out)."""
        data = cand["data"] if data is None else data
        case, _ = self.loaded() if not edited else (None, [])
        source_speaker = None
        sid = (data.get("source") if isinstance(data, dict) else None) or cand.get("source_id")
        if case is not None and sid in case.sources:
            source_speaker = case.sources[sid].speaker
        return claim_from_candidate(data, cand, source_speaker, edited=edited)

    # -- the journal ----------------------------------------------------------------
    def replay(self) -> int:
        """Apply every change the journal still owes to claims/reviewed.yaml (after a
        crash); returns how many there were."""
        with self.lock, self.store.transaction():
            return self._apply_journal()

    def _apply_journal(self) -> int:
        """Inside a store transaction: bring the file up to every committed decision."""
        entries = self.store.journal()
        if not entries:
            return 0
        old = self.read_reviewed()
        text = old
        try:
            for e in entries:
                if e["remove"]:
                    text = rv.remove(text, e["remove"])
                if e["entities"]:
                    text = rv.add_entities(text, e["entities"])
                if e["claim"] is not None:
                    text = rv.upsert(text, e["claim"], e["note"] or "")
        except InputError as exc:
            raise ReviewError(f"{rv.REVIEWED_FILE.as_posix()} cannot be read, so {len(entries)} decision(s) "
                              "already taken cannot be written to it; fix the file by hand, and the next "
                              "decision (or `belie review`) writes them", 
                              [self.rel_problem(p) for p in exc.problems]) from exc
        if text != old:
            atomic_write_text(self.reviewed_path, text)
        _fault("file-written")
        for e in entries:
            self.store.journal_done(e["id"])
        return len(entries)

    # -- deciding -------------------------------------------------------------------
    def decide(self, cid: str, decision: str, reviewer: str, expected_version: int,
               edit: Any = None) -> Decided:
        """Record one decision on candidate *cid* and change claims/reviewed.yaml to match.

        *decision*: accepted, rejected, edited (with *edit*: YAML or JSON text, or a dict)
        or proposed (undo).  Raises :class:`ConflictError` when the candidate is no longer at
        *expected_version*, :class:`ReviewError` (with the loader's problems) when the claim
        would not read, :class:`CandidateNotFound`; in each case nothing is written.
        """
        status = DECISIONS.get(str(decision).lower())
        if status is None:
            raise ReviewError(f"unknown decision {decision!r}; one of accepted, rejected, edited, "
                              "proposed (undo)")
        reviewer = " ".join(str(reviewer or "").split())
        if not reviewer:
            raise ReviewError("give your name (reviewer) so the decision says who took it")
        if len(reviewer) > 200:
            raise ReviewError("the reviewer's name is too long (200 characters at most)")
        with self.lock:
            with self.store.transaction():
                self._apply_journal()
                cand = self.store.get_candidate(cid)
                if cand is None:
                    raise CandidateNotFound(f"no candidate {cid!r} in this case")
                if cand["version"] != expected_version:
                    raise ConflictError(cid, expected_version, cand)
                claim, dropped, data_for_store = None, {}, None
                if status == "accepted":
                    if not isinstance(cand["data"], dict):
                        raise ReviewError(f"candidate {cid!r} is not a claim (a mapping of case-file keys); "
                                          "edit it into one")
                    claim, dropped = self.claim_for(cand)
                elif status == "edited":
                    edited, problems = self.parse_edit(cid, edit)
                    if problems:
                        raise ReviewError("the edited claim cannot be read; nothing was written", problems)
                    claim, dropped = self.claim_for(cand, edited, edited=True)
                    data_for_store = dict(claim)
                # the new entities the claim names (a photograph's device and position)
                proposals = dropped.get("entities") or (cand["data"].get("entities")
                                                        if isinstance(cand["data"], dict) else None) or {}
                entities = self._new_entities(claim, proposals) if claim is not None else {}
                if data_for_store is not None and proposals:
                    data_for_store["entities"] = proposals    # kept for a later undo and accept
                old_text = self.read_reviewed()
                remove = claim_id_of(cand) if cand["status"] in IN_CASE else None
                note = None
                try:
                    new_text = rv.remove(old_text, remove) if remove else old_text
                    if entities:
                        new_text = rv.add_entities(new_text, entities)
                    if claim is not None:
                        note = (f"{'edited and accepted' if status == 'edited' else 'accepted'} by {reviewer}, "
                                f"{utc_now()}" + (f", candidate {cid}" if claim["id"] != cid else "")
                                + comment_note(dropped))
                        if rv.find(new_text, claim["id"]) is not None:
                            p = Problem(rv.REVIEWED_FILE.as_posix(), None, None,
                                        f"claim id {claim['id']!r} is already used by another claim in this "
                                        "file; give the claim another id")
                            raise ReviewError(f"the claim was not accepted, nothing was written: {p}", [p])
                        new_text = rv.upsert(new_text, claim, note)
                except InputError as exc:
                    if isinstance(exc, ReviewError):
                        raise
                    raise ReviewError(f"{rv.REVIEWED_FILE.as_posix()} cannot be read; fix it by hand first. "
                                      "Nothing was written",
                                      [self.rel_problem(p) for p in exc.problems]) from exc
                if claim is not None:
                    problems = self.validate(new_text)
                    if problems:
                        raise ReviewError(f"the claim was not accepted, nothing was written: {problems[0]}",
                                          problems, note="lines are those the claim would take in "
                                                         f"{rv.REVIEWED_FILE.as_posix()}")
                after = self.store.decide(cid, status, reviewer, expected_version, data=data_for_store)
                written = new_text != old_text
                if written:
                    self.store.journal_add(cid, rv.REVIEWED_FILE.as_posix(), remove, claim, note, entities)
                _fault("before-commit")
            _fault("committed")
            with self.store.transaction():
                self._apply_journal()
        return Decided(after, written, claim, dropped)

    def _new_entities(self, claim: dict, proposals: dict) -> dict:
        """The entities proposed with a candidate that its claim names and the case lacks."""
        if not isinstance(proposals, dict) or not proposals:
            return {}
        case, _ = self.loaded()
        known = set(case.entities) if case is not None else set()
        named = referenced(claim)
        return {eid: spec for eid, spec in proposals.items()
                if eid in named and eid not in known and isinstance(spec, dict)}

    def parse_edit(self, cid: str, edit: Any) -> tuple[dict | None, list[Problem]]:
        """The edited claim from YAML or JSON text, or from a dict."""
        from belie.model.yamlread import parse_located

        name = f"your edit of {cid}"
        if isinstance(edit, str):
            if not edit.strip():
                return None, [Problem(name, 1, None, "the edited claim is empty")]
            try:
                doc = parse_located(edit, name)
            except InputError as exc:
                return None, list(exc.problems)
            if isinstance(doc, list) and len(doc) == 1:
                doc = doc[0]
            if not isinstance(doc, dict):
                return None, [Problem(name, 1, None, "expected one claim: a mapping of keys such as "
                                                     "{source: ..., presence: ..., where: ..., when: ...}")]
            return plain(doc), []
        if isinstance(edit, dict):
            return edit, []
        return None, [Problem(name, None, None, "give the edited claim as `text` (YAML or JSON) or `data`")]

    # -- validation -----------------------------------------------------------------
    def rel(self, file: str | None) -> str | None:
        """A path the loader printed, relative to the case folder when inside it."""
        if not file:
            return file
        p = Path(file)
        full = p if p.is_absolute() else (Path.cwd() / p)
        try:
            return full.resolve().relative_to(self.case_dir).as_posix()
        except (ValueError, OSError):
            return file

    def rel_problem(self, p: Problem) -> Problem:
        return Problem(self.rel(p.file) or p.file, p.line, p.column, p.message)

    def validate(self, new_text: str) -> list[Problem]:
        """The problems the loader finds in the case with *new_text* as claims/reviewed.yaml
        that it does not find in the case as it is (those are the new claim's fault).

        The case files are copied to a temporary folder (other entries linked), so
        nothing in the case folder is touched."""
        import belie

        current = {(p.file, p.message) for p in self.loaded()[1]}
        with tempfile.TemporaryDirectory(prefix="belie-review-") as tmpname:
            tmp = Path(tmpname)
            for entry in self.case_dir.iterdir():
                if entry.name in ("claims", STORE_DIR):
                    continue
                if entry.name in CASE_FILENAMES and entry.is_file():
                    shutil.copy2(entry, tmp / entry.name)
                    continue
                try:
                    (tmp / entry.name).symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
                except OSError:
                    pass
            claims = self.case_dir / "claims"
            if claims.is_dir():
                for f in claims.rglob("*"):
                    if f.is_file() and f.suffix.lower() in CLAIM_SUFFIXES:
                        dest = tmp / "claims" / f.relative_to(claims)
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(f, dest)
            target = tmp / rv.REVIEWED_FILE
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(new_text, encoding="utf-8")
            try:
                belie.load_case(tmp, boundary=self.case_dir)
                return []
            except InputError as exc:
                found = exc.problems
            prefixes = sorted({str(tmp), str(tmp.resolve())}, key=len, reverse=True)

            def local(p: Problem) -> Problem:
                f = p.file
                for pre in prefixes:
                    if f.startswith(pre):
                        f = f[len(pre):].lstrip("/\\") or "."
                        break
                else:
                    f = self.rel(f) or f
                return Problem(f, p.line, p.column, p.message)

        new = []
        for p in map(local, found):
            if (p.file, p.message) in current:
                continue
            if "not found in the case folder" in p.message:   # a link the temporary copy lacks
                continue
            new.append(p)
        return new

