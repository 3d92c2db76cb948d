"""`belie add CASE FILE...`: ingest source documents into a case."""
from __future__ import annotations

import os
from pathlib import Path

import click

from belie.errors import InputError, Problem
from belie.store.db import CaseStore, SourceRecord
from belie.store.ingest import (MEDIA_TYPES, IngestError, declared_sources, hash_file, ingest,
                                load_case_leniently, quotes_in_case, relative_file)
from belie.store.quotes import QuoteReport, check_quotes
from belie.util import atomic_copy, within

BIG_FILE = 8 << 20   # show a progress bar for a single file this large


def human_size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n} B"  # pragma: no cover


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def expand(paths: tuple[Path, ...]) -> tuple[list[Path], list[Problem]]:
    """Files named, and the readable files inside folders named."""
    files, problems = [], []
    for p in paths:
        if p.is_dir():
            found = sorted(f for f in p.rglob("*")
                           if f.is_file() and f.suffix.lower() in MEDIA_TYPES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                problems.append(Problem(str(p), None, None, "the folder holds no file belie can read"))
            files.extend(found)
        elif not p.exists():
            problems.append(Problem(str(p), None, None, "no such file"))
        else:
            files.append(p)
    return files, problems


def named_outside(case_dir: Path, path: Path) -> bool:
    """Whether the path as named (links not followed) lies outside the case folder.
    A link inside the case is not "outside": ingest refuses it if it leads out."""
    return not Path(os.path.abspath(path)).is_relative_to(os.path.abspath(case_dir))


def copy_into_case(case_dir: Path, path: Path) -> Path:
    """A copy of *path* under <case>/sources/ (the original is only read)."""
    if not named_outside(case_dir, path) or not Path(relative_file(case_dir, path)).is_absolute():
        return path  # already inside the case
    dest = case_dir / "sources" / path.name
    if dest.is_symlink() or ((dest.parent.exists() or dest.parent.is_symlink())
                             and not within(case_dir, dest.parent)):
        raise InputError(Problem(str(dest), None, None,
                                 "is a link (or lies in a linked folder) leading outside the case "
                                 f"folder; belie will not copy {path.name} through it"))
    if dest.exists():
        if hash_file(dest) == hash_file(path):
            return dest
        raise InputError(Problem(str(dest), None, None,
                                 f"exists and differs from {path}; rename one of them"))
    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_copy(path, dest)
    return dest


def describe(record: SourceRecord) -> str:
    status = {"changed": "CHANGED"}.get(record.status, record.status)
    return (f"{status:<9} {record.id}  sha256:{record.sha256[:12]}  {human_size(record.size)}  "
            f"{record.media_type}  {record.file}")


def describe_quote(report: QuoteReport) -> str:
    m = report.match
    if m is None:
        return f"  quote {report.claim_id}: source {report.source_id} has no text in the store"
    if m.found:
        return f"  quote {report.claim_id}: found ({m.status}) at {m.start}..{m.end}"
    if m.nearest is None:
        return f"  quote {report.claim_id}: NOT FOUND in {report.source_id}; nothing like it"
    return (f"  quote {report.claim_id}: NOT FOUND in {report.source_id}; nearest passage "
            f"(similarity {m.similarity:.2f}) at {m.nearest_start}: \"{_short(m.nearest)}\"")


@click.command("add")
@click.argument("case_dir", metavar="CASE", type=click.Path(file_okay=False, path_type=Path))
@click.argument("files", metavar="FILE...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--copy", "copy_in", is_flag=True,
              help="Kept for old scripts: a file outside the case is always copied into "
                   "CASE/sources/ first.")
def command(case_dir: Path, files: tuple[Path, ...], copy_in: bool) -> None:
    """Ingest source documents (.txt, .md, .html, .pdf) into a case.

    Each file is hashed (SHA-256), its text extracted and stored in the case
    store; the file itself is never modified.  Re-adding an unchanged file does
    nothing; a file that changed is reported.  Then every claim quoting one of
    these sources is checked against its text.  FILE may be a folder.

    A file outside CASE is copied into CASE/sources/ first (the copy is what is
    read, and the store logs where it came from); a link inside CASE to a file
    outside it is refused (see docs/security.md).

    \b
    Example:
      belie add cases/marchand cases/marchand/sources/dubois.txt
      belie add cases/marchand cases/marchand/sources/
      belie add cases/marchand ~/Downloads/gazette-1923.pdf
    """
    from rich.console import Console
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn,
                               TimeRemainingColumn)

    if not any((case_dir / n).is_file() for n in ("case.yaml", "case.yml", "case.json")):
        raise InputError(Problem(str(case_dir), None, None,
                                 "not a case folder (no case.yaml); create one with `belie init`"))
    paths, problems = expand(files)
    copied_from: dict[Path, Path] = {}   # copy in the case -> the file the user named
    kept = []
    for p in paths:
        if not named_outside(case_dir, p):
            kept.append(p)
            continue
        try:
            dest = copy_into_case(case_dir, p)
        except (InputError, OSError) as exc:
            problems.extend(exc.problems if isinstance(exc, InputError) else
                            [Problem(str(p), None, None, f"cannot copy into the case: {exc.strerror or exc}")])
            continue
        if dest != p:
            copied_from[dest] = p
        kept.append(dest)
    paths = kept

    console = Console(highlight=False, soft_wrap=True)
    case, case_problems = load_case_leniently(case_dir)
    declared = declared_sources(case_dir, case)
    sizes = {p: (p.stat().st_size if p.is_file() else 0) for p in paths}
    show_bar = console.is_terminal and (len(paths) > 1 or any(s >= BIG_FILE for s in sizes.values()))

    from belie.report.text import terminal_text

    def say(line: str) -> None:
        console.print(terminal_text(line), markup=False)

    records: list[SourceRecord] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TimeRemainingColumn(), console=console, transient=True,
                  disable=not show_bar) as bar:
        task = bar.add_task("hashing", total=sum(sizes.values()) or None)

        def progress(event: str, path: Path, n: int, record: SourceRecord | None) -> None:
            if event == "start":
                bar.update(task, description=path.name)
            elif event == "read":
                bar.advance(task, n)
            elif event == "done" and record is not None:
                say(describe(record))
                if path in copied_from:
                    say(f"  copied from {copied_from[path]} (the original is left as it was)")
                if record.status == "changed":
                    say(f"  the file changed since it was added: was sha256:{record.previous_sha256}, "
                        f"now sha256:{record.sha256} (logged in the store's decisions)")
                if record.note:
                    say(f"  note: {record.note}")
                if not record.text.strip():
                    say("  warning: no text could be extracted"
                        + (" (a scanned PDF needs OCR first)" if record.media_type == "application/pdf"
                           else "; the file holds no visible text"))
                if record.status == "added" and record.id not in declared:
                    say(f"  note: case.yaml declares no source {record.id!r}; declare it under "
                        f"sources: with file: {record.file}")

        with CaseStore.open(case_dir, create=True) as store:
            error: InputError | None = None
            try:
                records = ingest(store, case_dir, paths, progress=progress, declared=declared)
            except IngestError as exc:
                records, error = exc.records, exc
            bar.stop()
            by_file = {r.file: r for r in records}
            for dest, origin in copied_from.items():
                rec = by_file.get(relative_file(case_dir, dest))
                if rec is not None and rec.status != "unchanged":
                    store.log_decision(rec.id, "source-copied", "belie add",
                                       before={"from": str(Path(os.path.abspath(origin)))},
                                       after={"file": rec.file, "sha256": rec.sha256, "size": rec.size})
            ids = {r.id for r in records}
            wanted = [q for q in quotes_in_case(case_dir, case) if q.source_id in ids]
            for report in check_quotes(store, wanted):
                say(describe_quote(report))

            if case_problems:
                say(f"note: the case files have {len(case_problems)} problem(s), e.g. "
                    f"{case_problems[0]}; `belie check` lists them all")

    problems += error.problems if error else []
    if problems:
        raise InputError(problems)
    if not paths:
        raise InputError(Problem(str(case_dir), None, None, "no files to add"))
