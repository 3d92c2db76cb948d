"""Keep the case store in step with the case files: parsed claims with provenance,
where each quote sits in its source's text, and the findings of each check run.

The sync writes only what changed.  A case read from files (`Case.files`) is hashed --
its files' bytes, this belie's version and the store's schema -- and a run whose hash and
ingested sources are those of the last sync writes no claim at all.  Otherwise the claims
are compared row by row with the stored ones (`CaseStore.sync_claims`): only new and
changed claims are written and only removed ones deleted, and quotes are located again
only for the claims written (all of them when the ingested sources changed).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from belie.store.db import SCHEMA_VERSION, CaseStore
from belie.store.quotes import check_quotes

#: sync_state keys: the hash of the case files the stored claims came from, and of the
#: ingested sources their quote locations were found in.
CLAIMS_KEY = "claims_hash"
SOURCES_KEY = "sources_hash"


@dataclass
class SyncReport:
    """What one sync wrote."""

    skipped: bool = False                 # the case files and sources were unchanged
    added: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    removed: int = 0
    unchanged: int = 0
    quotes: list = field(default_factory=list)   # the QuoteReports of the quotes located again

    @property
    def written(self) -> int:
        return len(self.added) + len(self.updated) + self.removed


def claim_rows(case) -> list[dict]:
    rows = []
    records: dict[int, dict] = {}          # claims share their dates' objects (a parse cache)
    for c in case.claims:
        data = dict(c.raw)
        data["id"] = c.id
        if c.when is not None:
            rec = records.get(id(c.when))
            if rec is None:
                rec = records[id(c.when)] = c.when.record()
            data["_date"] = rec
        rows.append({"id": c.id, "kind": c.kind, "source_id": c.source, "file": c.file,
                     "line": c.line, "data": data})
    return rows


def case_hash(case) -> str | None:
    """SHA-256 of what the claims are made from: the case's files, this belie, the store
    schema.  None for a case not read from files (it is then compared claim by claim)."""
    files = getattr(case, "files", None)
    if not files:
        return None
    import belie

    h = hashlib.sha256(f"belie {belie.__version__} store {SCHEMA_VERSION}\n".encode())
    for f in files:
        try:
            data = f.read_bytes()
        except OSError:
            return None
        h.update(f"{f}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def sources_hash(store: CaseStore) -> str:
    """SHA-256 of the ingested sources' ids and hashes."""
    h = hashlib.sha256()
    for sid, sha in store.source_hashes():
        h.update(f"{sid}\0{sha}\n".encode())
    return h.hexdigest()


def record_claims(store: CaseStore, case) -> SyncReport:
    """Store the case's claims (only what changed) and locate the quotes of those written
    in their ingested sources."""
    files_hash = case_hash(case)
    sources_now = sources_hash(store)
    if (files_hash is not None and store.get_state(CLAIMS_KEY) == files_hash
            and store.get_state(SOURCES_KEY) == sources_now):
        return SyncReport(skipped=True, unchanged=len(case.claims))
    stored_files_hash = store.get_state(CLAIMS_KEY)
    sources_changed = store.get_state(SOURCES_KEY) != sources_now
    with store.transaction():
        diff = store.sync_claims(claim_rows(case))
        written = set(diff["added"]) | set(diff["updated"])
        if sources_changed:
            store.conn.execute("UPDATE claims SET quote_start = NULL, quote_end = NULL, quote_status = NULL")
        items = [(c.id, c.source, c.quote) for c in case.claims
                 if c.quote and (sources_changed or c.id in written)]
        quotes = check_quotes(store, items, record=True)
        if stored_files_hash != files_hash:
            store.set_state(CLAIMS_KEY, files_hash)
        if sources_changed:
            store.set_state(SOURCES_KEY, sources_now)
    return SyncReport(added=diff["added"], updated=diff["updated"], removed=diff["removed"],
                      unchanged=diff["unchanged"], quotes=quotes)


def record_run(case, run_kind: str, findings: list[dict], snapshot: tuple | None = None) -> int | None:
    """Write the claims (what changed) and one run's findings into the case's store.

    *snapshot*: ``(options, files, data)`` to keep the run for an unchanged check to print
    again (`CaseStore.save_snapshot`): the check's options (`belie.store.inputs.options_key`),
    the hash of the case files taken before the case was read (`files_hash`) and the rest of
    its result (`belie.report.stored.snapshot`).  All of it is one transaction.

    Returns the run id, or None when the case folder cannot hold a store (read-only).
    """
    if case.root is None:
        return None
    try:
        with CaseStore.open(case.root, create=True) as store:
            with store.transaction():
                record_claims(store, case)
                run_id = store.save_findings(run_kind, findings)
                if snapshot is not None and snapshot[1] is not None:
                    from belie.store.inputs import inputs_hash, source_files

                    options, files, data = snapshot
                    sources = source_files(case)
                    store.save_snapshot(options, run_id, inputs_hash(files, case.root, sources, store, options),
                                        {"sources": sources}, data)
            return run_id
    except OSError:
        return None
