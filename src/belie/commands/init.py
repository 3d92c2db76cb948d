"""`belie init CASE_DIR`: start a new case folder."""
from __future__ import annotations

import json
from pathlib import Path

import click

from belie.errors import InputError, Problem
from belie.store.db import CaseStore, store_path

STARTER = """\
# {title}
# A belie case file: see docs/casefile.md for every key.
case: {title_yaml}

# Who and what the case is about.
entities: {{}}
#  marchand: {{type: person, names: [Paul Marchand, P. Marchand]}}
#  lyon:     {{type: place, names: [Lyon, Lyons]}}

# The sources. `file` is optional; `belie add {folder} sources/FILE` hashes and reads it.
sources: {{}}
#  dubois-statement: {{kind: confession, speaker: dubois, said: 1923-02-14, file: sources/dubois.txt}}

# What each source asserts. More claims may go in claims/*.yaml.
claims: []
#  - {{source: dubois-statement, meeting: [dubois, marchand], where: lyon, when: 1921-03,
#     quote: "I met Marchand in Lyon in March"}}
"""


@click.command("init")
@click.argument("case_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The case's title (default: the folder's name).")
def command(case_dir: Path, title: str | None) -> None:
    """Create a case folder: case.yaml, claims/, sources/ and the case store.

    Never overwrites an existing case.yaml.

    \b
    Example:
      belie init cases/marchand
      belie add cases/marchand ~/papers/dubois.txt --copy
    """
    case_yaml = case_dir / "case.yaml"
    for existing in ("case.yaml", "case.yml", "case.json"):
        if (case_dir / existing).exists():
            raise InputError(Problem(str(case_dir / existing), None, None,
                                     "a case already exists here; belie init never overwrites it"))
    if case_dir.exists() and not case_dir.is_dir():
        raise InputError(Problem(str(case_dir), None, None, "exists and is not a folder"))
    title = title or case_dir.resolve().name.replace("-", " ").replace("_", " ") or "New case"
    case_dir.mkdir(parents=True, exist_ok=True)
    (case_dir / "claims").mkdir(exist_ok=True)
    (case_dir / "sources").mkdir(exist_ok=True)
    # "x": fail rather than overwrite, should a case.yaml appear meanwhile.
    with open(case_yaml, "x", encoding="utf-8") as fh:
        title = title.replace("\n", " ")
        fh.write(STARTER.format(title=title, title_yaml=json.dumps(title, ensure_ascii=False),
                                folder=case_dir.as_posix()))
    with CaseStore.open(case_dir, create=True):
        pass
    click.echo(f"created {case_yaml}")
    click.echo(f"created {case_dir / 'claims'}/ and {case_dir / 'sources'}/")
    click.echo(f"created {store_path(case_dir)} (the case store)")
    click.echo("next: put documents in sources/ and run "
               f"`belie add {case_dir.as_posix()} {(case_dir / 'sources').as_posix()}`")
