"""Errors a user can act on.

Every problem with input names the file, the line and column (where known) and
what is wrong.  The CLI prints one line per problem and exits with status 2.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        message = self.message
        if len(message) > 2000:   # a value quoted whole would bury the point
            message = message[:1000] + " … " + message[-500:]
        return f"{where}: {message}"


class BelieError(Exception):
    """Base class of belie's own errors."""


class InputError(BelieError):
    """Input that cannot be read: carries one Problem per mistake found."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("<input>", None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownRule(BelieError, ValueError):
    """`check` was asked for rules that do not exist; ``names`` lists them."""

    def __init__(self, names):
        self.names = sorted(names)
        super().__init__(f"unknown rule(s): {', '.join(self.names)}")


class MissingExtra(BelieError):
    """An optional dependency is needed for this feature."""

    def __init__(self, feature: str, extra: str, package: str):
        self.feature, self.extra, self.package = feature, extra, package
        super().__init__(
            f"{feature} needs the optional package {package!r}. "
            f"Install it with: pip install 'belie[{extra}]'"
        )
