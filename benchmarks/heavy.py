"""The machine-wide lock for heavy benchmark runs (over 2 GB or 2 minutes of CPU).

Two heavy runs never overlap on the shared machine: each takes /tmp/belie-heavy.lock,
the same lock as ``flock /tmp/belie-heavy.lock CMD`` on the command line.
"""
from __future__ import annotations

import contextlib
import fcntl
import sys

LOCK = "/tmp/belie-heavy.lock"
#: sizes (claims) from which a run counts as heavy
HEAVY_CLAIMS = 500_000


@contextlib.contextmanager
def heavy_lock(held: bool = True):
    """Hold the lock for the ``with`` block (a no-op when ``held`` is false)."""
    if not held:
        yield
        return
    with open(LOCK, "a") as fh:
        print(f"(waiting for {LOCK})", file=sys.stderr, flush=True)
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
