"""belie: find what cannot all be true in a body of testimony and press records.

The library API (for notebooks and scripts)::

    import belie
    case = belie.load_case("examples/moscow-1936")
    result = belie.check(case)
    for finding in result.findings:
        print(finding.severity, finding.rule, finding.explanation)
"""
from __future__ import annotations

__version__ = "0.1.0"


def load_case(path, *, boundary=None):
    """Read and validate a case folder (or case file); raise InputError on mistakes.
    *boundary*: the folder a source's `file:` may not leave (default: the case folder)."""
    from belie.model.loading import load_case as _load

    return _load(path, boundary=boundary)


def check(case, **options):
    """Run every rule and the global reasoning over a loaded case."""
    from belie.rules import check as _check

    return _check(case, **options)
