"""`belie add CASE FILE...`: ingest source documents into a case."""
from __future__ import annotations

import os
from pathlib import Path

import click

from belie.errors import InputError, Problem
from belie.store.db import CaseStore, SourceRecord
from belie.model.sources import SOURCE_KINDS
from belie.store.ingest import (MEDIA_TYPES, IngestError, check_size, declared_sources, hash_file,
                                ingest, load_case_leniently, media_type_for, quotes_in_case,
                                relative_file)
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


def copy_into_case(case_dir: Path, path: Path) -> tuple[Path, bool]:
    """A copy of *path* under <case>/sources/ (the original is only read), and whether
    this call made it (so that a refused file's copy can be taken away again)."""
    if not named_outside(case_dir, path) or not Path(relative_file(case_dir, path)).is_absolute():
        return path, False  # already inside the case
    dest = case_dir / "sources" / path.name
    if dest.is_symlink() or ((dest.parent.exists() or dest.parent.is_symlink())
                             and not within(case_dir, dest.parent)):
        raise InputError(Problem(str(dest), None, None,
                                 "is a link (or lies in a linked folder) leading outside the case "
                                 f"folder; belie will not copy {path.name} through it"))
    if dest.exists():
        if hash_file(dest) == hash_file(path):
            return dest, False
        raise InputError(Problem(str(dest), None, None,
                                 f"exists and differs from {path}; rename one of them"))
    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_copy(path, dest)
    return dest, True


def duplicate_of(store: CaseStore, case_dir: Path, path: Path, sha256: str,
                 declared: dict[str, dict]) -> SourceRecord | None:
    """The stored source that already holds these bytes under another file (still
    there), unless this file is that source's new place (its declared `file:`)."""
    rel = relative_file(case_dir, path)
    mine = {sid for sid, spec in declared.items()
            if spec.get("file") and Path(str(spec["file"])).as_posix().lstrip("./") == rel.lstrip("./")}
    for rec in store.sources_by_sha256(sha256):
        if rec.file == rel or rec.id in mine:
            continue
        other = Path(rec.file) if Path(rec.file).is_absolute() else case_dir / rec.file
        if other.exists():
            return rec
    return None


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
@click.option("--kind", type=click.Choice(SOURCE_KINDS),
              help="Declare the new sources in case.yaml with this kind.")
@click.option("--speaker", metavar="ENTITY", help="... with this speaker (an entity id of the case).")
@click.option("--said", metavar="DATE", help="... said, written or published on this date (EDTF or prose).")
@click.option("--title", help="... with this title.")
@click.option("--no-declare", is_flag=True, help="Do not declare new sources in case.yaml.")
def command(case_dir: Path, files: tuple[Path, ...], copy_in: bool, kind: str | None,
            speaker: str | None, said: str | None, title: str | None, no_declare: bool) -> None:
    """Ingest source documents into a case, and declare them in case.yaml.

    Reads .txt, .md, .html, .pdf, and (with the `formats` extra) Word .docx, e-mail .eml
    and .mbox, spreadsheets .csv and .xlsx, and photographs (.jpg, .png, .heic).  Each
    file is hashed (SHA-256), its text extracted and stored in the case store; the file
    itself is never modified.  Re-adding an unchanged file does nothing; a file that
    changed is reported; a second copy of bytes already in the case is refused.  A new
    source is declared under `sources:` in case.yaml (comments kept) with --kind,
    --speaker and --said, and what the file says of itself (an e-mail's sender and date);
    without --kind, the declaration is marked for you to finish.  A photograph's EXIF
    time and GPS position are proposed as a candidate claim for review (belie review).
    Then every claim quoting one of these sources is checked against its text.  FILE may
    be a folder.

    A file outside CASE is copied into CASE/sources/ first (the copy is what is read, and
    the store logs where it came from); a link inside CASE to a file outside it is
    refused (see docs/security.md).

    \b
    Example:
      belie add cases/marchand cases/marchand/sources/dubois.txt --kind testimony --speaker dubois
      belie add cases/marchand cases/marchand/sources/
      belie add cases/marchand ~/Downloads/gazette-1923.pdf --kind press --said 1923-02-14
    """
    from rich.console import Console
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn,
                               TimeRemainingColumn)

    if not any((case_dir / n).is_file() for n in ("case.yaml", "case.yml", "case.json")):
        raise InputError(Problem(str(case_dir), None, None,
                                 "not a case folder (no case.yaml); create one with `belie init`"))
    case, case_problems = load_case_leniently(case_dir)
    _check_flags(case, speaker, said)
    paths, problems = expand(files)
    console = Console(highlight=False, soft_wrap=True)

    from belie.report.text import terminal_text

    def say(line: str) -> None:
        console.print(terminal_text(line), markup=False)

    declared = declared_sources(case_dir, case)
    made: list[Path] = []             # copies this run made: taken away again if refused
    records: list[SourceRecord] = []
    with CaseStore.open(case_dir, create=True) as store:
        # Refuse what cannot be added before anything is copied or written.
        paths, refused = _screen(store, case_dir, paths, declared)
        problems += refused
        copied_from: dict[Path, Path] = {}     # a copy in the case -> the file the user named
        copied = []
        for p in paths:
            if not named_outside(case_dir, p):
                copied.append(p)
                continue
            try:
                dest, new = copy_into_case(case_dir, p)
            except (InputError, OSError) as exc:
                problems.extend(exc.problems if isinstance(exc, InputError) else
                                [Problem(str(p), None, None,
                                         f"cannot copy into the case: {exc.strerror or exc}")])
                continue
            copied.append(dest)
            if dest != p:
                copied_from[dest] = p
            if new:
                made.append(dest)
        paths = copied
        sizes = {p: (p.stat().st_size if p.is_file() else 0) for p in paths}
        show_bar = console.is_terminal and (len(paths) > 1 or any(s >= BIG_FILE for s in sizes.values()))

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
        kept = {(case_dir / r.file).resolve() for r in records if not Path(r.file).is_absolute()}
        for copy in made:                      # a refused file leaves nothing behind
            if copy.resolve() not in kept:
                copy.unlink(missing_ok=True)
        _declare_and_propose(store, case_dir, case, records, declared, say, kind=kind, speaker=speaker,
                             said=said, title=title, no_declare=no_declare)
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


def _check_flags(case, speaker: str | None, said: str | None) -> None:
    problems = []
    if speaker is not None and case is not None and speaker not in case.entities:
        import difflib

        close = difflib.get_close_matches(speaker, list(case.entities), n=1)
        problems.append(Problem("--speaker", None, None, f"unknown entity {speaker!r}"
                                + (f" (did you mean {close[0]!r}?)" if close else "")
                                + "; declare it under entities: first"))
    if said is not None:
        from belie.model.dates import DateError, parse_date

        try:
            parse_date(said)
        except DateError as exc:
            problems.append(Problem("--said", None, None, str(exc)))
    if problems:
        raise InputError(problems)


def _screen(store: CaseStore, case_dir: Path, paths: list[Path],
            declared: dict[str, dict]) -> tuple[list[Path], list[Problem]]:
    """The files that may be added, and a problem for each that may not: a type belie
    cannot read, or bytes the case already holds under another file."""
    ok, problems, seen = [], [], {}
    for p in paths:
        try:
            media_type_for(p)
            if not named_outside(case_dir, p) and not within(case_dir, p):
                what = "a link to a file" if any(q.is_symlink() for q in (p, *p.parents)) else "a file"
                raise InputError(Problem(str(p), None, None,
                                         f"{what} outside the case folder; belie reads only files inside "
                                         "it (name the file itself on the command line of `belie add`, "
                                         "which copies it in and records where it came from)"))
            if not p.is_file():
                raise InputError(Problem(str(p), None, None, "not a regular file"))
            check_size(p)
            sha256, _ = hash_file(p)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        dup = duplicate_of(store, case_dir, p, sha256, declared)
        if dup is not None:
            problems.append(Problem(str(p), None, None,
                                    f"the same bytes (sha256:{sha256[:12]}) are already source {dup.id!r} "
                                    f"({dup.file}); not added again"))
            continue
        if sha256 in seen and seen[sha256].resolve() != p.resolve():
            problems.append(Problem(str(p), None, None, f"the same bytes (sha256:{sha256[:12]}) as "
                                                        f"{seen[sha256]}, added just before; not added twice"))
            continue
        seen.setdefault(sha256, p)
        ok.append(p)
    return ok, problems


def _declare_and_propose(store: CaseStore, case_dir: Path, case, records: list[SourceRecord],
                         declared: dict[str, dict], say, *, kind, speaker, said, title, no_declare) -> None:
    """Declare the new sources in case.yaml; propose photographs' EXIF for review."""
    from belie.model.dates import DateError, parse_date
    from belie.store import formats
    from belie.store.declare import CannotDeclare, declare_sources, source_spec, stub_comment

    def reads(text: str) -> bool:
        try:
            parse_date(text)
            return True
        except (DateError, ValueError):
            return False

    case_file = next((case_dir / n for n in ("case.yaml", "case.yml", "case.json")
                      if (case_dir / n).is_file()), case_dir / "case.yaml")
    entities = case.entities if case is not None else {}
    metas: dict[str, dict] = {}
    todo: list[tuple[str, dict, str | None]] = []
    said_of: dict[str, list[str]] = {}
    for r in records:
        path = Path(r.file) if Path(r.file).is_absolute() else case_dir / r.file
        meta = {}
        undeclared = r.id not in declared and not no_declare
        if (r.status in ("added", "changed") or undeclared) and formats.handles(path):
            try:
                meta = formats.read(path).meta
            except Exception:  # noqa: BLE001 - read once already; the metadata is a bonus
                meta = {}
        metas[r.id] = meta
        if r.status == "added" and r.id in declared and any((kind, speaker, said, title)):
            say(f"  note: case.yaml already declares {r.id!r}; --kind/--speaker/--said/--title not applied")
        if undeclared:     # new, or ingested by a run that stopped before declaring it
            spec, notes = source_spec(r.file, meta, kind=kind, speaker=speaker, said=said,
                                      title=title, entities=entities)
            todo.append((r.id, spec, None if "kind" in spec else stub_comment()))
            said_of[r.id] = notes
        elif r.id not in declared:
            say(f"  note: case.yaml declares no source {r.id!r}; declare it under sources: with file: {r.file}")
    if todo:
        try:
            lines = declare_sources(case_file, todo)
            for sid, spec, comment in todo:
                notes = said_of.get(sid) or []
                say(f"  declared source {sid!r} in {case_file.name}:{lines.get(sid, '?')}"
                    + (f" ({'; '.join(notes)})" if notes else "")
                    + ("; finish it: give its kind" if comment else ""))
                declared[sid] = {"file": spec.get("file"), "kind": spec.get("kind")}
        except CannotDeclare as exc:
            import yaml

            say(f"  note: not declared in {case_file.name} ({exc}); add this under sources:")
            say("    " + yaml.safe_dump({sid: spec for sid, spec, _ in todo}, sort_keys=False,
                                        allow_unicode=True).rstrip().replace("\n", "\n    "))
    for r in records:
        meta = metas.get(r.id, {})
        if r.media_type in formats.IMAGE_TYPES and r.status in ("added", "changed"):
            cands = formats.exif_candidates(r.id, meta, reads)
            if cands:
                ids = store.add_candidates([{"source_id": r.id, "data": c} for c in cands])
                say(f"  proposed {len(ids)} candidate claim(s) from its EXIF (device, time, GPS) for review: "
                    f"belie review {case_dir} {ids[0]}")
                say("  (EXIF is stripped by most platforms and can be forged; it places the device, "
                    "not a person, until you say whose it was)")
            else:
                missing = [w for w, k in (("time", "taken"), ("GPS position", "gps")) if not meta.get(k)]
                say(f"  no EXIF {' or '.join(missing)}: nothing to propose (most platforms strip EXIF)")
