"""Small helpers shared across layers."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _default_mode() -> int:
    """The mode a plain open() would give a new file: 0666 less the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _keep_mode(tmp: str, target: Path) -> None:
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = _default_mode()
    os.chmod(tmp, mode)


def atomic_write_text(path, text: str, encoding: str = "utf-8") -> None:
    """Write a file so that readers see either the old content or the new, never half.

    The text goes to a temporary file in the same folder, is flushed to disk, then
    renamed over the target (an atomic operation on POSIX file systems).
    """
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes(path, data: bytes) -> None:
    """`atomic_write_text` for bytes; the target keeps its mode (a new one gets the umask's)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _keep_mode(tmp, path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
