"""Running belie's pipeline on a Dask cluster (the optional ``dask`` extra).

Nothing here is imported by the single-process path: ``belie check``, ``reuse``,
``extract`` and ``truth`` only come here when ``--workers N`` or ``--cluster ADDRESS``
is given. :mod:`belie.scale.cluster` opens the client; the modules beside it hold
the partitioned versions of each step, and each must write exactly what the
single-process run writes.
"""
