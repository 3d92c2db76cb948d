"""One place that turns ``--workers N`` / ``--cluster ADDRESS`` into a Dask client.

``open_client(workers=N)`` starts a :class:`distributed.LocalCluster` of ``N`` worker
processes on loopback (one thread each, so that a worker is a process and memory per
worker is what the partition needs); ``open_client(cluster="tcp://host:8786")``
connects to a scheduler someone already runs (``dask-scheduler``, a Kubernetes or
SLURM deployer). Used as a context manager, it closes what it opened and leaves an
existing scheduler running.

Without the ``dask`` extra installed, :class:`belie.errors.MissingExtra` says how to
install it.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from belie.errors import MissingExtra

FEATURE = "running on a Dask cluster (--workers / --cluster)"


def _distributed():
    try:
        import distributed  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MissingExtra(FEATURE, "dask", "distributed") from exc
    return distributed


def wanted(workers: int | None, cluster: str | None) -> bool:
    """Whether the user asked for a cluster at all (the default path stays local)."""
    return bool(workers) or bool(cluster)


@contextmanager
def open_client(workers: int | None = None, cluster: str | None = None,
                memory_limit: str | int | None = "auto", connect_timeout: str = "20s") -> Iterator["object"]:
    """Yield a ``distributed.Client``; close what was started here on exit."""
    distributed = _distributed()
    if cluster:
        try:
            client = distributed.Client(cluster, timeout=connect_timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            from belie.errors import InputError, Problem

            raise InputError(Problem("--cluster", None, None,
                                     f"cannot reach a Dask scheduler at {cluster!r}: {exc}")) from None
        try:
            yield client
        finally:
            client.close()
        return
    n = int(workers or 1)
    local = distributed.LocalCluster(
        n_workers=n, threads_per_worker=1, processes=True,
        # The scheduler's HTTP server on a free port: a second local cluster (or a
        # dashboard someone already runs) must not fight over 8787.
        host="127.0.0.1", dashboard_address="127.0.0.1:0", memory_limit=memory_limit,
    )
    client = distributed.Client(local)
    try:
        yield client
    finally:
        client.close()
        local.close()
