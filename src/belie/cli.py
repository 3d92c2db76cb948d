"""The `belie` command: thin verbs over the library.

Each command lives in its own module under ``belie.commands`` and exposes a
``click.Command`` named ``command``.  Commands are discovered lazily so that
`belie --help` stays fast and an optional dependency of one command never
breaks another.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from belie.errors import InputError, MissingExtra

# Order shown in `belie --help`: the workflow of an investigation.
ORDER = ["init", "add", "import-csv", "show", "check", "reuse", "sources", "truth",
         "extract", "review", "report", "export", "serve"]


def _module_names() -> dict[str, str]:
    import belie.commands as pkg

    found = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        found[info.name.replace("_", "-")] = f"belie.commands.{info.name}"
    return found


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        names = _module_names()
        ordered = [n for n in ORDER if n in names]
        return ordered + sorted(n for n in names if n not in ORDER)

    def get_command(self, ctx, name):
        module = _module_names().get(name)
        if module is None:
            return None
        return importlib.import_module(module).command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="belie")
def cli():
    """belie finds what cannot all be true in testimony and press records.

    A case is a folder with a case.yaml (see docs/casefile.md). Start with:

    \b
      belie show examples/moscow-1936
      belie check examples/moscow-1936
      belie report examples/moscow-1936 -o report.html
    """


def main(argv: list[str] | None = None) -> int:
    try:
        code = cli.main(args=argv, prog_name="belie", standalone_mode=False)
        if isinstance(code, int) and code:
            return code             # a command's own exit status, e.g. check --fail-on
    except InputError as exc:
        from belie.report.text import terminal_text

        for problem in exc.problems:
            click.echo(f"error: {terminal_text(problem)}", err=True)
        return 2
    except MissingExtra as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return 2 if exc.exit_code == 2 else exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # A file or folder the command could not read or write: say which, without a traceback.
        where = exc.filename if exc.filename is not None else "belie"
        click.echo(f"error: {where}: {exc.strerror or exc}", err=True)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
