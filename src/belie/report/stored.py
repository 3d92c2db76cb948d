"""A check's result kept in the case store, and made again from it, so that an unchanged
case is printed again without being read or checked (`belie check`, docs/store.md).

`snapshot` gives, beside the findings (which the store keeps in its ``findings`` table),
everything the outputs show: the case's name, the statistics, the smallest conflicting
sets, the reading, the groups, the warnings, and for each claim a finding or a set names
what the outputs say of it (its quote or one-line summary, its source and that source's
kind, where it is written).  `restore` makes from them a `CheckResult` that every output
(text, Markdown, JSON) renders exactly as it rendered the original.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from belie.errors import BelieError
from belie.reason import Conflict, Reading
from belie.reason.groups import Group
from belie.report.jsonout import check_to_dict
from belie.rules import CheckResult
from belie.rules.base import Finding

#: Bump when the snapshot's shape changes (an older one is then not used).
FORMAT = 1


def _referenced(result) -> list[str]:
    ids: dict[str, None] = {}
    for f in result.findings:
        ids.update(dict.fromkeys(f.claims))
    for k in result.conflicts:
        ids.update(dict.fromkeys(k.claims))
        ids.update(dict.fromkeys(getattr(k, "via", []) or []))
    if result.reading is not None:
        d = result.reading.to_dict() if hasattr(result.reading, "to_dict") else result.reading
        ids.update(dict.fromkeys(r["claim"] if isinstance(r, dict) else r for r in d.get("rejected", [])))
    return list(ids)


def snapshot(result) -> dict:
    """What, beside its findings, the outputs of *result* (a whole check) need."""
    case = result.case
    out = check_to_dict(result)
    del out["findings"]
    out["format"] = FORMAT
    out["is_conflict"] = [g.is_conflict for g in result.groups]
    out["warnings"] = list(result.warnings)
    claims, kinds = {}, {}
    for cid in _referenced(result):
        c = case.claim_by_id.get(cid)
        if c is None:
            continue
        claims[cid] = [c.quote, c.source, c.file, c.line, None if c.quote else c.summary(case.label)]
        src = case.sources.get(c.source)
        if src is not None:
            kinds[c.source] = src.kind
    out["claims"] = claims
    out["source_kinds"] = kinds
    return out


class _Claim:
    __slots__ = ("quote", "source", "file", "line", "_summary")

    def __init__(self, quote, source, file, line, summary):
        self.quote, self.source, self.file, self.line, self._summary = quote, source, file, line, summary

    def summary(self, label=None) -> str:
        return self._summary


class _Source:
    __slots__ = ("kind",)

    def __init__(self, kind):
        self.kind = kind


class _Places:
    def __init__(self, problems):
        self.problems = problems


class StoredCase:
    """As much of a case as the outputs of its check read: its name, the claims the
    findings name (as the outputs show them), their sources' kinds, the warnings."""

    def __init__(self, data: dict):
        self.name = data["case"]
        self.claim_by_id = {cid: _Claim(*v) for cid, v in data["claims"].items()}
        self.sources = {sid: _Source(kind) for sid, kind in data["source_kinds"].items()}
        self.places = _Places(list(data["warnings"]))

    @staticmethod
    def label(entity_id):
        return entity_id


def restore(data: dict, findings: list[dict]) -> CheckResult | None:
    """The result kept by `snapshot` (with its findings, as `Finding.to_dict` gave them);
    None when *data* is not a snapshot this belie wrote."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    fs = [Finding(**f) for f in findings]
    groups = [Group(findings=[fs[i] for i in g["findings"]], claims=g["claims"], rejected=g["rejected"],
                    conflicts=g["conflicts"], is_conflict=c)
              for g, c in zip(data["groups"], data["is_conflict"])]
    reading = Reading(**data["reading"]) if "reading" in data else None
    return CheckResult(case=StoredCase(data), findings=fs, stats=data["stats"],
                       conflicts=[Conflict(**k) for k in data["conflicts"]], reading=reading, groups=groups)


def stored_check(path, options: str) -> CheckResult | None:
    """The result of the last check of the case at *path* with *options*
    (`belie.store.inputs.options_key`), made again from the case store, when nothing it
    was made from has changed since (`belie.store.inputs`); else None.  Reads, never
    writes, the case files; a store that is missing, from another belie, damaged or
    edited by hand gives None."""
    from belie.store.db import CaseStore, store_path
    from belie.store.inputs import case_root, files_hash, inputs_hash

    root = case_root(Path(path))
    if root is None or not store_path(root).is_file():
        return None
    try:
        with CaseStore.open(root, create=False) as store:
            got = store.snapshot_inputs(options)
            if got is None:
                return None
            inputs, state, digest = got
            files = files_hash(path)
            if files is None or inputs_hash(files, root, list(state.get("sources", [])), store, options) != inputs:
                return None
            kept = store.snapshot(options, digest)
        return None if kept is None else restore(*kept)
    except (BelieError, sqlite3.Error, OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
