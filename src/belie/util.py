"""Small helpers shared across layers."""
from __future__ import annotations

import gc
import os
import re
import secrets
from contextlib import contextmanager
from pathlib import Path


#: Characters a reader cannot see but that change what is shown: C0/C1 controls (an
#: escape sequence that clears a terminal), bidi overrides and isolates (``evil\u202etxt.exe``
#: reads as ``evilexe.txt``), zero-width and other format characters, lone surrogates.
HIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u17b4\u17b5"
                          "\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff"
                          "\ufff9-\ufffb\ud800-\udfff]")


def _escape_one(m: "re.Match") -> str:
    c = m.group()
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def escape_hidden(text: str) -> str:
    """*text* with every hidden character (HIDDEN_CHARS) written as its escape, ``\\u202e``."""
    return HIDDEN_CHARS.sub(_escape_one, text)


def finalize_shown(value):
    """A Jinja ``finalize``: every plain string a template shows has its hidden characters
    escaped (markup the template built itself, such as embedded JSON, is left alone)."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return escape_hidden(value)
    return value


def within(root, path) -> bool:
    """Whether *path*, links followed, lies inside the folder *root* (links followed too)."""
    try:
        return Path(path).resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def within_case(root, rel, boundary=None) -> bool:
    """Whether the path *rel*, named by a case file, is relative and reaches (links
    followed) a file inside the case folder *root* (or inside *boundary*, when given)."""
    text = str(rel)
    if "\0" in text or Path(text).is_absolute():
        return False
    return within(boundary if boundary is not None else root, Path(root) / text)


def case_path(root, rel, *, shown: str | None = None) -> Path:
    """``root / rel`` for a path a case file names, refused with an InputError when it
    is absolute or when the file it reaches (links followed) lies outside the case folder.

    A case folder is a boundary: a case written by someone else must not make belie read
    a file of the user's own (``../secret.txt``, ``/etc/passwd``, a link in ``sources/``).
    """
    from belie.errors import InputError, Problem

    root = Path(root)
    text = str(rel)
    if not within_case(root, text):
        raise InputError(Problem(shown or str(root), None, None,
                                 f"{text!r} lies outside the case folder; belie reads only files "
                                 "inside it (copy the file in with `belie add CASE FILE`)"))
    return root / text


def _keep_mode(tmp: str, target: Path) -> None:
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return  # the temporary file was created 0666 less the umask, as open() would make it
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


def atomic_copy(src, dest) -> None:
    """Copy the file *src* to *dest* (new), streamed through a temporary file beside it,
    flushed and renamed: a crash leaves no partial copy under *dest*'s name."""
    import shutil

    def write(out) -> None:
        with open(src, "rb") as fh:
            shutil.copyfileobj(fh, out, 1 << 20)

    _via_tmp(Path(dest), write, lambda tmp: shutil.copystat(src, tmp))


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


def _create_tmp(path: Path) -> tuple[int, str]:
    """A new temporary file beside *path*, created with mode 0666 so that the process's
    umask applies as it would to a plain open() (never read by flipping the umask, which
    would race with other threads)."""
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")  # pragma: no cover


def _write_tmp_replace(path: Path, data: bytes) -> None:
    _via_tmp(path, lambda fh: fh.write(data), lambda tmp: _keep_mode(tmp, path))


def _via_tmp(dest: Path, write, finish) -> None:
    """The one way belie replaces a file: *write* fills a new temporary file beside
    *dest*, which is flushed to disk, given its mode by *finish*, and renamed over
    *dest*; on any error the temporary file is removed and *dest* is left as it was."""
    fd, tmp = _create_tmp(dest)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        finish(tmp)
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_stream(path, write) -> None:
    """`atomic_write_bytes` for content written piece by piece: *write* gets the open
    temporary file (binary) and fills it; it is flushed, then renamed over *path*.  On
    any error nothing is left under *path*'s name but what was there before."""
    _via_tmp(Path(path), write, lambda tmp: None)


@contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector, restoring it as it was afterwards.

    Reading a large case or checking it makes millions of small objects and no cyclic
    garbage; with those objects alive, every full collection rescans them all (about a
    third of the time of loading or checking a million claims).  Objects are still freed
    as soon as they are unused; only the search for reference cycles waits.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
