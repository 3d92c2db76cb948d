"""Keep the case store in step with the case files: parsed claims with provenance,
where each quote sits in its source's text, and the findings of each check run."""
from __future__ import annotations

from belie.store.db import CaseStore
from belie.store.quotes import check_quotes


def claim_rows(case) -> list[dict]:
    rows = []
    for c in case.claims:
        data = dict(c.raw)
        data["id"] = c.id
        if c.when is not None:
            data["_date"] = c.when.record()
        rows.append({"id": c.id, "kind": c.kind, "source_id": c.source, "file": c.file,
                     "line": c.line, "data": data})
    return rows


def record_claims(store: CaseStore, case) -> list:
    """Store every claim and locate its quote in its ingested source (when there is one)."""
    store.replace_claims(claim_rows(case))
    items = [(c.id, c.source, c.quote) for c in case.claims if c.quote]
    with store.transaction():
        return check_quotes(store, items, record=True)


def record_run(case, run_kind: str, findings: list[dict]) -> int | None:
    """Write the claims and one run's findings into the case's store.

    Returns the run id, or None when the case folder cannot hold a store (read-only).
    """
    if case.root is None:
        return None
    try:
        with CaseStore.open(case.root, create=True) as store:
            record_claims(store, case)
            return store.save_findings(run_kind, findings)
    except OSError:
        return None
