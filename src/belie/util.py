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
    try:
        _write_replace(path, data)
    except OSError as exc:
        from belie.errors import InputError, Problem

        raise InputError(Problem(str(path), None, None,
                                 f"cannot write the file: {exc.strerror or exc}; nothing was written"))


def check_output_folder(path) -> None:
    """Raise InputError, before any work is done, when *path* plainly cannot be written:
    it is a folder, or one of the folders it would go in is a file.  (Missing folders
    are created by the atomic write, and removed again if it fails.)"""
    from belie.errors import InputError, Problem

    path = Path(path)
    if path.is_dir():
        raise InputError(Problem(str(path), None, None, "is a folder; give a file name to write"))
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(Problem(str(path), None, None,
                                         f"cannot write the file: {str(parent)!r} is a file, not a folder"))
            break


def _write_replace(path: Path, data: bytes) -> None:
    made = []   # folders this call created, removed again if the write fails
    for parent in reversed(path.parents):
        if not parent.exists():
            try:
                parent.mkdir()
            except FileExistsError:
                continue
            made.append(parent)
    try:
        _write_tmp_replace(path, data)
    except BaseException:
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        raise


def _write_tmp_replace(path: Path, data: bytes) -> None:
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
