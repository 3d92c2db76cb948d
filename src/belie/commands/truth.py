"""`belie truth CLAIMS.csv`: which of conflicting claims to believe, and whom."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click

from belie.errors import InputError, Problem

METHOD_NAMES = ("accucopy", "majority", "truthfinder", "pooled_investment")
MAX_PROBLEMS = 20


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(str(path), None, None, f"cannot read the file: {exc.strerror or exc}"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem(str(path), line, None, "not UTF-8 text (save the CSV as UTF-8)"))


def _rows(path: Path, required: tuple[str, ...], what: str):
    """Yield (line, {column: value}) from a CSV whose header names ``required``."""
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputError(Problem(str(path), 1, None, f"cannot parse the header: {exc}"))
    if header is None or not any(h.strip() for h in header):
        raise InputError(Problem(str(path), 1, None,
                                 f"empty file: expected a header naming the columns {','.join(required)}"))
    names = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise InputError(Problem(
            str(path), 1, None,
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)}: "
            f"{what} needs a header naming {','.join(required)} (found {','.join(names) or 'nothing'})"))
    index = {c: names.index(c) for c in required}
    width = max(index.values()) + 1
    try:
        for row in reader:
            line = reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) < width:
                yield line, None, f"{len(row)} field{'s' if len(row) != 1 else ''}, expected at least {width}"
                continue
            yield line, {c: row[i].strip() for c, i in index.items()}, None
    except csv.Error as exc:
        raise InputError(Problem(str(path), reader.line_num, None, f"cannot parse the CSV: {exc}"))


def read_claims(path: Path) -> list[tuple[str, str, str]]:
    """Claims from a CSV with columns source,item,value (others ignored).

    A row whose value is empty claims nothing and is skipped.
    """
    claims: list[tuple[str, str, str]] = []
    problems: list[Problem] = []
    for line, row, error in _rows(path, ("source", "item", "value"), "a claims file"):
        if error is None:
            empty = [c for c in ("source", "item") if not row[c]]
            if empty:
                error = f"empty {' and '.join(empty)}"
        if error is not None:
            problems.append(Problem(str(path), line, None, error))
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        if row["value"]:
            claims.append((row["source"], row["item"], row["value"]))
    if problems:
        raise InputError(problems)
    if not claims:
        raise InputError(Problem(str(path), None, None, "no claims: every row is empty or has no value"))
    return claims


def read_prior(path: Path) -> dict[str, float]:
    """Initial trust per source from a CSV with columns source,prior."""
    prior: dict[str, float] = {}
    problems: list[Problem] = []
    for line, row, error in _rows(path, ("source", "prior"), "a prior file"):
        if error is None:
            try:
                x = float(row["prior"])
            except ValueError:
                error = f"prior {row['prior']!r} is not a number"
            else:
                if not 0 <= x <= 1:
                    error = f"prior {x:g} is not between 0 and 1"
                elif not row["source"]:
                    error = "empty source"
                else:
                    prior[row["source"]] = x
        if error is not None:
            problems.append(Problem(str(path), line, None, error))
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return prior


def read_places(path: Path) -> list[tuple[str, str]]:
    """(place, parent) pairs from a CSV with columns place,parent, or ID,name,parentID."""
    text = _read_text(path)
    first = text.splitlines()[0].lower() if text.strip() else ""
    names = [h.strip() for h in first.split(",")]
    edges: list[tuple[str, str]] = []
    if {"id", "name", "parentid"} <= set(names):
        by_id: dict[str, str] = {}
        parent_of: list[tuple[str, str]] = []
        for _line, row, error in _rows(path, ("id", "name", "parentid"), "a places file"):
            if error is None:
                by_id[row["id"]] = row["name"]
                parent_of.append((row["name"], row["parentid"]))
        for name, pid in parent_of:
            parent = by_id.get(pid)
            if parent and parent.lower() != "root":
                edges.append((name, parent))
        return edges
    problems: list[Problem] = []
    for line, row, error in _rows(path, ("place", "parent"), "a places file"):
        if error is not None:
            problems.append(Problem(str(path), line, None, error))
        elif row["place"] and row["parent"]:
            edges.append((row["place"], row["parent"]))
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return edges


def _print_table(result, claims, top: int | None, chosen: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"Values compared: {result.similarity}"
                  + (" (chosen from the values; --similarity to choose)" if chosen else ""))
    support: dict[tuple[str, str], int] = {}
    per_item: dict[str, int] = {}
    per_source: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    for s, i, v in claims:
        if (s, i) in seen:
            continue
        seen.add((s, i))
        support[(i, v)] = support.get((i, v), 0) + 1
        per_item[i] = per_item.get(i, 0) + 1
        per_source[s] = per_source.get(s, 0) + 1

    truths = Table(title=f"What to believe ({result.method})", title_justify="left")
    truths.add_column("item")
    truths.add_column("believed value")
    truths.add_column("confidence", justify="right")
    truths.add_column("sources for / all", justify="right")
    items = list(result.truths.items())
    for item, value in items[:top] if top else items:
        truths.add_row(item, value, f"{result.confidence[item]:.2f}",
                       f"{support.get((item, value), 0)} / {per_item.get(item, 0)}")
    console.print(truths)
    if top and len(items) > top:
        console.print(f"… and {len(items) - top} more items (--top 0 shows all, --format json gives everything)")

    sources = Table(title="Sources", title_justify="left")
    sources.add_column("source")
    sources.add_column("accuracy", justify="right")
    sources.add_column("claims", justify="right")
    for s, a in sorted(result.accuracy.items(), key=lambda kv: (-kv[1], kv[0])):
        sources.add_row(s, f"{a:.2f}", str(per_source.get(s, 0)))
    console.print(sources)

    if result.method == "accucopy":
        if result.copying:
            copying = Table(title="Probably copying (one voice, not many)", title_justify="left")
            copying.add_column("copier")
            copying.add_column("from")
            copying.add_column("probability", justify="right")
            for a, b, p in result.copying[:top] if top else result.copying:
                copying.add_row(a, b, f"{p:.2f}")
            console.print(copying)
            for group in result.clusters():
                console.print(f"copy cluster: {', '.join(group)}")
        else:
            console.print("No pair of sources looks dependent.")


@click.command(name="truth")
@click.argument("claims_file", metavar="CLAIMS.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--method", "-m", type=click.Choice(METHOD_NAMES, case_sensitive=False), default="accucopy",
              show_default=True,
              help="accucopy: accuracy-weighted vote that discounts copiers (Dong et al. 2009); "
                   "majority: one source, one vote; truthfinder: Yin et al. 2007; "
                   "pooled_investment: Pasternack & Roth 2010.")
@click.option("--similarity", "-s", type=click.Choice(["auto", "exact", "tokens", "numbers", "places"],
                                                      case_sensitive=False),
              default=None, help="How far one value supports another: auto (default: tokens when "
                                 "the values are names or lists of names, else exact); exact; tokens "
                                 "(shared words, any order); numbers (within --tolerance; H:MM read as "
                                 "minutes); places (nesting places, needs --places).")
@click.option("--tolerance", type=float, default=1.0, show_default=True,
              help="For --similarity numbers: how far apart two numbers may be and still support each other.")
@click.option("--relative", is_flag=True, help="For --similarity numbers: --tolerance is a fraction of the value.")
@click.option("--places", "places_file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV of nesting places, columns place,parent (or ID,name,parentID); implies "
                   "--similarity places.")
@click.option("--prior", "prior_file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV of initial trust per source, columns source,prior (0..1).")
@click.option("--false-values", type=click.FloatRange(min=1), default=None,
              help="For accucopy: how many false values an item could take, at least (default: the "
                   "number of other values claimed for it). Larger makes two sources that share a "
                   "false value look more like copiers; on much data it can mistake an honest "
                   "minority for copiers.")
@click.option("--copy-threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Least probability of dependence for a pair to be listed under copying.")
@click.option("--top", type=click.IntRange(0), default=50, show_default=True,
              help="Rows shown per table (0: all). Does not apply to --format json.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"], case_sensitive=False), default="table",
              show_default=True, help="table: readable tables; json: "
                                      '{"truths": {item: value}, "sources": {source: accuracy}, '
                                      '"copying": [[copier, original, probability], ...]}.')
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Run on a local Dask cluster of N worker processes (the `dask` extra), the items "
                   "partitioned; the same answer (docs/scale.md).")
@click.option("--cluster", metavar="ADDRESS",
              help="Run on the Dask scheduler at ADDRESS, e.g. tcp://host:8786.")
def command(claims_file, method, similarity, tolerance, relative, places_file, prior_file, false_values,
            copy_threshold, top, fmt, workers, cluster):
    """Decide which of conflicting claims to believe, and how far to trust each source.

    CLAIMS.csv has a header and one claim per row: source,item,value
    (a source's first claim about an item counts; rows with an empty value are
    skipped).  Sources that copy one another share each other's mistakes; the
    default method finds them and counts such a chorus as about one voice.

    \b
    Example, claims.csv:
      source,item,value
      police_report,where_arrested,Moscow
      witness_a,where_arrested,Moscow
      confession_1,where_arrested,Copenhagen
      confession_2,where_arrested,Copenhagen
    \b
      belie truth claims.csv
      belie truth claims.csv --method majority --format json
      belie truth times.csv --similarity numbers --tolerance 5
      belie truth births.csv --places hierarchy.csv
    """
    from belie.sources.similarity import Numeric, Places, TokenSet
    from belie.sources.truth import discover

    claims = read_claims(claims_file)
    prior = read_prior(prior_file) if prior_file else None
    sim_name = (similarity or ("places" if places_file else "auto")).lower()
    if sim_name == "places":
        if not places_file:
            raise click.UsageError("--similarity places needs --places FILE (columns place,parent)")
        sim = Places(read_places(places_file))
    elif sim_name == "tokens":
        sim = TokenSet()
    elif sim_name == "numbers":
        if tolerance <= 0:
            raise click.BadParameter("must be positive", param_hint="--tolerance")
        sim = Numeric(tolerance, relative=relative)
    elif sim_name == "exact":
        sim = "exact"
    else:
        sim = None                    # auto: chosen from the values (choose_similarity)
    options = {}
    if method.lower() == "accucopy":
        options["report_threshold"] = copy_threshold
        if false_values is not None:
            options["n_false"] = false_values
    elif false_values is not None:
        raise click.UsageError("--false-values applies to --method accucopy only")
    if workers or cluster:
        from belie.scale.cluster import open_client
        from belie.scale.truth import discover_on_cluster

        with open_client(workers=workers, cluster=cluster) as client:
            result = discover_on_cluster(claims, client, method=method.lower(), similarity=sim, prior=prior,
                                         **options)
    else:
        result = discover(claims, method=method.lower(), similarity=sim, prior=prior, **options)
    if fmt.lower() == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_table(result, claims, top or None, chosen=sim_name == "auto")
