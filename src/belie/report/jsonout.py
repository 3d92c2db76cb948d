"""Machine-readable output of a check (casefile.md section 6)."""
from __future__ import annotations

import json


def check_to_dict(result) -> dict:
    """`{"case": ..., "findings": [...], "stats": {...}}` plus the global view.

    ``groups`` lists the findings by the conflict they share (`belie.reason.groups`),
    strongest first, as positions in ``findings`` (which keeps every finding);
    ``warnings`` what could not be judged for want of data (places without coordinates).

    Each finding carries at least rule, severity, claims, sources, explanation, and
    `window` where the claims can still all be true in a narrower interval.
    """
    case = result.case
    out = {
        "case": case.name,
        "findings": [f.to_dict() for f in result.findings],
        "stats": result.stats,
        "conflicts": [c.to_dict() if hasattr(c, "to_dict") else c for c in result.conflicts],
    }
    index = {id(f): i for i, f in enumerate(result.findings)}
    out["groups"] = [g.to_dict(index) for g in getattr(result, "groups", [])]
    warnings = getattr(result, "warnings", [])
    if warnings:
        out["warnings"] = warnings
    if result.reading is not None:
        out["reading"] = result.reading.to_dict() if hasattr(result.reading, "to_dict") else result.reading
    return out


def dumps(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=str)
