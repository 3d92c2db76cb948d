"""`belie reuse PATH...`: passages that texts share (text reuse)."""
from __future__ import annotations

from pathlib import Path

import click

from belie.errors import InputError, Problem

from belie.sources.corpus import TEXT_SUFFIXES
from belie.sources.corpus import read_text_file as _read_file

CASE_FILENAMES = ("case.yaml", "case.yml", "case.json")


def _case_texts(folder: Path, shown: str) -> dict[str, str]:
    """Texts of a case's sources that name a file, keyed by source id.

    This is the hook for comparing the sources of a case; ids are the source
    ids of the case.
    """
    import belie
    from belie.util import case_path

    case = belie.load_case(folder)
    root = Path(case.root) if case.root is not None else folder
    texts = {}
    for sid, source in case.sources.items():
        if source.file:
            texts[sid] = _read_file(case_path(root, source.file, shown=f"{shown}: source {sid}"),
                                    f"{shown}: source {sid}")
    if not texts:
        raise InputError(Problem(shown, None, None,
                                 "no source of this case names a `file:`, so there is no text "
                                 "to compare; give text files or folders instead"))
    return texts


def _is_case(path: Path) -> bool:
    return path.is_dir() and any((path / name).is_file() for name in CASE_FILENAMES)


def collect_texts(paths: tuple[str, ...]) -> dict[str, str]:
    """Read PATHs (files, folders of .txt/.md files, case folders) into id -> text.

    The id of a file is its path as given (for files found in a folder: the
    folder as given joined with the path below it).
    """
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        try:
            if path.is_dir():
                if any((path / name).is_file() for name in CASE_FILENAMES):
                    found = _case_texts(path, given)
                else:
                    files = sorted(p for p in path.rglob("*")
                                   if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
                    if not files:
                        problems.append(Problem(given, None, None,
                                                "folder holds no .txt or .md files"))
                        continue
                    found = {str(Path(given) / f.relative_to(path)): _read_file(f, str(f))
                             for f in files}
            elif path.is_file():
                found = {given: _read_file(path, given)}
            elif not path.exists():
                problems.append(Problem(given, None, None, "no such file or folder"))
                continue
            else:
                problems.append(Problem(given, None, None, "not a regular file or folder"))
                continue
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for key, text in found.items():
            texts.setdefault(key, text)
    if problems:
        raise InputError(problems)
    return texts


def _highlight(own: str, other: str):
    """rich Text of ``own`` with the words absent from ``other`` in bold yellow."""
    import difflib

    from rich.text import Text

    from belie.sources.reuse import TOKEN, normalize_word

    mine = list(TOKEN.finditer(own))
    theirs = [normalize_word(m.group()) for m in TOKEN.finditer(other)]
    sm = difflib.SequenceMatcher(None, [normalize_word(m.group()) for m in mine], theirs,
                                 autojunk=False)
    same: set[int] = set()
    for block in sm.get_matching_blocks():
        same.update(range(block.a, block.a + block.size))
    text = Text(own)
    for i, m in enumerate(mine):
        if i not in same:
            text.stylize("bold yellow", m.start(), m.end())
    return text


def _pair_table(pair, head: str):
    """One pair's shared passages side by side, differing words in bold."""
    from rich.table import Table

    n = len(pair.passages)
    table = Table(title=f"{head}score {pair.score:.2f}, {n} passage{'s' if n != 1 else ''}",
                  title_justify="left", show_lines=True, expand=True)
    table.add_column(pair.a, ratio=1, overflow="fold")
    table.add_column(pair.b, ratio=1, overflow="fold")
    for p in pair.passages:
        left = _highlight(p.a_text, p.b_text)
        right = _highlight(p.b_text, p.a_text)
        left.append(f"\n[chars {p.a_start}–{p.a_end}]", style="dim")
        right.append(f"\n[chars {p.b_start}–{p.b_end}]", style="dim")
        table.add_row(left, right)
    return table


def print_pairs(pairs, console, shown: int | None = None) -> None:
    """Every pair side by side, or the first ``shown`` of them."""
    if not pairs:
        console.print("No shared passages found.")
        return
    for pair in pairs[:shown]:
        console.print(_pair_table(pair, f"{pair.a}  ⟷  {pair.b}   "))
        console.print()
    more = f" (the {shown} best are shown)" if shown is not None and len(pairs) > shown else ""
    console.print(f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''} of texts share passages"
                  f"{more}; words in bold differ between the two sides.")


def _defaults():
    # The defaults live in one place, ReuseParams; the options show them.
    from belie.sources.reuse import ReuseParams
    return ReuseParams()


_DEFAULTS = _defaults()


@click.command("reuse")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-n", "--ngram", "n", type=click.IntRange(1), default=_DEFAULTS.n, show_default=True,
              help="Words per shingle. Smaller finds shorter and more heavily edited reuse, "
                   "and more chance coincidences.")
@click.option("--min-words", type=click.IntRange(1), default=_DEFAULTS.min_words, show_default=True,
              help="Shortest passage reported, in words (in both texts).")
@click.option("--max-gap", type=click.IntRange(0), default=_DEFAULTS.max_gap, show_default=True,
              help="Most words between two shared shingles of one passage; larger bridges "
                   "heavier editing.")
@click.option("--max-df", type=click.IntRange(2), default=_DEFAULTS.max_df, show_default=True,
              help="Ignore shingles found in more than this many texts (boilerplate).")
@click.option("--max-repeat", type=click.IntRange(1), default=_DEFAULTS.max_repeat, show_default=True,
              help="Ignore shingles repeated more than this many times within one text "
                   "(set formulas).")
@click.option("--min-matches", type=click.IntRange(1), default=_DEFAULTS.min_matches, show_default=True,
              help="Fewest shared shingles backing a passage.")
@click.option("--min-agreement", type=click.FloatRange(0, 1), default=_DEFAULTS.min_agreement, show_default=True,
              help="Least share of a passage's words that must agree word for word.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=_DEFAULTS.min_score, show_default=True,
              help="Report only pairs whose score (share of the more-covered text inside "
                   "shared passages) reaches this.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Side-by-side tables, or JSON.")
@click.option("--no-store", is_flag=True,
              help="For a case: do not write the pairs into the case store (.belie/case.sqlite).")
@click.option("--ingest", "ingest", type=click.Path(), default=None,
              help="For a case: add the pairs of a corpus run's results (NAME.reuse.parquet) "
                   "whose documents are sources of the case to its store, instead of comparing.")
@click.option("--out", "out", type=click.Path(), default=None,
              help="Write the pairs as Parquet here (default for a Parquet or JSON Lines "
                   "corpus: NAME.reuse.parquet beside it).")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Run on a local Dask cluster of this many worker processes.")
@click.option("--cluster", "cluster", default=None, metavar="ADDRESS",
              help="Run on an existing Dask scheduler, e.g. tcp://host:8786.")
@click.option("--worker-memory", default="auto", show_default=True,
              help="With --workers: memory per worker (e.g. 4GB); a worker spills its "
                   "partitions to disk above 60 % of it.")
@click.option("--partition-docs", type=click.IntRange(1), default=None,
              help="Documents per partition of a corpus (default 20000; a Parquet row group "
                   "is never split).")
def command(paths, n, min_words, max_gap, max_df, max_repeat, min_matches, min_agreement,
            min_score, fmt, no_store, ingest, out, workers, cluster, worker_memory,
            partition_docs):
    """Find passages that texts share, even with light edits.

    PATH is a text file, a folder (its .txt and .md files, recursively), a
    corpus (a Parquet file or folder of Parquet files, or a JSON Lines file,
    with `id`, `text` and optional `date` columns), or a case folder. Every pair of texts sharing at least one passage is reported
    with the passages side by side, words that differ in bold. Offsets are
    character offsets into each text. See docs/reuse.md.

    A single case folder compares its sources (ingested text or file, with
    their statements and quotes; ids are source ids) and, with short-text
    parameters, its statements one by one (ids are claim ids). Each pair is
    put in date order by its sources' `said` (earlier → later, or order
    unknown), texts repeating one formula are grouped into clusters, and the
    pairs are stored in the case store for the report (unless --no-store).

    A corpus is read in partitions and its pairs are also written as Parquet
    (NAME.reuse.parquet beside it, or --out), one row a passage; a case takes
    them in with `belie reuse CASE --ingest NAME.reuse.parquet`.  --workers N
    or --cluster ADDRESS run the comparison on a Dask cluster, partition by
    partition, with the same result.

    \b
    Examples:
      belie reuse examples/moscow-1936
      belie reuse statements/
      belie reuse zinoviev.txt kamenev.txt --min-words 10
      belie reuse press/ --format json > reuse.json
      belie reuse press.parquet --workers 2 --worker-memory 4GB
      belie reuse mycase --ingest press.reuse.parquet
    """
    from belie.sources.reuse import ReuseParams, find_reuse

    params = ReuseParams(n=n, min_words=min_words, max_gap=max_gap, max_df=max_df,
                         max_repeat=max_repeat,
                         min_matches=min_matches, min_agreement=min_agreement,
                         min_score=min_score)
    from belie.scale.cluster import wanted
    from belie.sources.corpus import is_corpus

    on_cluster = wanted(workers, cluster)
    if len(paths) == 1 and _is_case(Path(paths[0])):
        if on_cluster or out:
            raise click.UsageError("--workers, --cluster and --out apply to texts and "
                                   "corpora, not to a case folder")
        if ingest:
            _ingest_command(paths[0], ingest)
            return
        _case_command(paths[0], params, fmt, no_store)
        return
    if ingest:
        raise click.UsageError("--ingest needs a case folder as the only PATH")
    if on_cluster or out or partition_docs or any(is_corpus(p) for p in paths):
        _corpus_command(paths, params, fmt, out, workers, cluster, worker_memory,
                        partition_docs)
        return
    texts = collect_texts(paths)
    pairs = find_reuse(texts, params)
    if fmt == "json":
        import json

        click.echo(json.dumps({"pairs": [p.to_json() for p in pairs]}, indent=2,
                              ensure_ascii=False))
        return
    from rich.console import Console

    print_pairs(pairs, Console())


# ----------------------------------------------------------------------------- a corpus

#: Above this many pairs, the text format of a corpus run prints the best ones only.
SHOWN_PAIRS = 20


def _corpus_command(paths, params, fmt, out, workers, cluster, worker_memory,
                    partition_docs) -> None:
    from belie.sources.corpus import (JSONL_SUFFIXES, PARQUET_SUFFIXES, PART_DOCS,
                                      open_corpus, read_all, results_path, write_results)

    for given in paths:
        if _is_case(Path(given)):
            raise InputError(Problem(given, None, None,
                                     "a case folder cannot be part of a corpus run; give it "
                                     "alone, or give its text files"))
    corpus = open_corpus(paths, part_docs=partition_docs or PART_DOCS)
    if out is None and any(Path(p).is_dir() and any(Path(p).glob("*.parquet"))
                           or Path(p).suffix.lower() in PARQUET_SUFFIXES + JSONL_SUFFIXES
                           for p in paths):
        out = results_path(paths)
    if out is not None:
        from belie.util import check_output_folder

        check_output_folder(out)
    from belie.scale.cluster import wanted

    if wanted(workers, cluster):
        from belie.scale.cluster import open_client
        from belie.scale.reuse import cluster_reuse

        with open_client(workers=workers, cluster=cluster, memory_limit=worker_memory) as client:
            pairs, dates = cluster_reuse(client, corpus, params)
    else:
        from belie.sources.reuse import find_reuse

        texts, dates = read_all(corpus)
        pairs = find_reuse(texts, params)
        del texts
    rows = write_results(out, pairs, dates) if out is not None else None
    if fmt == "json":
        import json

        click.echo(json.dumps({"pairs": [p.to_json() for p in pairs]}, indent=2,
                              ensure_ascii=False))
        return
    from rich.console import Console

    console = Console()
    print_pairs(pairs, console, shown=SHOWN_PAIRS)
    if rows is not None:
        console.print(f"{corpus.ndocs} documents; {len(pairs)} pair"
                      f"{'s' if len(pairs) != 1 else ''}, {rows} passage"
                      f"{'s' if rows != 1 else ''} written to {out}", highlight=False)


def _ingest_command(given: str, results) -> None:
    import belie
    from belie.sources.casereuse import ingest_results

    case = belie.load_case(given)
    stored, skipped = ingest_results(case, results)
    click.echo(f"Added {stored} edge{'s' if stored != 1 else ''} from {results} to the case "
               f"store; {skipped} pair{'s' if skipped != 1 else ''} skipped (a document that "
               f"is not a source of the case).")


# ----------------------------------------------------------------------------- a case


def _case_command(given: str, params, fmt: str, no_store: bool) -> None:
    import belie
    from belie.sources.casereuse import case_reuse, case_texts, save_edges

    case = belie.load_case(given)
    texts = case_texts(case)
    if len(texts.sources) < 2 and len(texts.statements) < 2:
        raise InputError(Problem(given, None, None,
                                 "fewer than two texts to compare: no two sources have a `file:` "
                                 "(or ingested text), statements or quotes"))
    reuse = case_reuse(case, params)
    stored = None
    if not no_store:
        try:
            stored = save_edges(case, reuse)
        except OSError:
            stored = None       # a read-only case folder: the analysis still stands
    if fmt == "json":
        import json

        click.echo(json.dumps(reuse.to_json(), indent=2, ensure_ascii=False))
        return
    from rich.console import Console

    print_case_reuse(case, reuse, Console(), stored=stored)


def _label(case, reuse_pair, side: str) -> str:
    """An id with its source and date: `pyatakov-formula (pyatakov-1937, 1937-01-23/1937-01-30)`."""
    ident = getattr(reuse_pair, side)
    source = getattr(reuse_pair, f"{side}_source")
    said = getattr(reuse_pair, f"{side}_said") or "undated"
    return f"{ident} ({source}, {said})" if ident != source else f"{ident} ({said})"


def print_case_reuse(case, reuse, console, *, stored: int | None = None) -> None:
    """Pairs with their direction (earlier → later), then the clusters."""

    from belie.sources.casereuse import EARLIER_LATER

    if not reuse.pairs:
        console.print("No shared passages found.")
    for cp in reuse.pairs:
        pair = cp.pair
        a, b = _label(case, cp, "a"), _label(case, cp, "b")
        if cp.direction == EARLIER_LATER:
            head = f"{a}  →  {b}   earlier → later"
        else:
            head = f"{a}  ⟷  {b}   order unknown ({cp.reason})"
        console.print(_pair_table(pair, f"{head}; {cp.level}s, "))
        console.print()
    if reuse.clusters:
        console.print("[bold]Clusters[/bold] (texts that share passages, directly or through "
                      "others), members in date order:")
        for k, c in enumerate(reuse.clusters, 1):
            console.print(f"  {k}. {len(c.members)} {c.level}s from {len(c.sources)} source"
                          f"{'s' if len(c.sources) != 1 else ''}, formula “{c.formula}”:",
                          highlight=False)
            for m in c.members:
                sid = reuse.source_of(m)
                src = case.sources.get(sid)
                said = src.said.edtf if src is not None and src.said is not None else "undated"
                console.print(f"       {m} ({sid}, {said})" if sid != m else f"       {m} ({said})",
                              highlight=False)
    n = len(reuse.pairs)
    known = sum(1 for p in reuse.pairs if p.direction == EARLIER_LATER)
    if n:
        console.print(f"{n} pair{'s' if n != 1 else ''} share passages ({known} in date order, "
                      f"{n - known} order unknown); words in bold differ between the two sides.")
    if stored is not None:
        console.print(f"Stored {stored} edge{'s' if stored != 1 else ''} in the case store "
                      f"(.belie/case.sqlite) for the report.")
