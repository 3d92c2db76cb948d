"""impossible-travel: two whereabouts of one person too far apart for the time between them.

The reading (pairs of stays, one journey on its own, the era's speeds) lives in
`belie.rules.whereabouts`, which the ``alibi`` rule shares; see its docstring and
docs/rules/impossible_travel.md.
"""
from __future__ import annotations

from belie.rules.base import Context, Rule
from belie.rules.whereabouts import NAME, analyse


def check(ctx: Context):
    yield from analyse(ctx)[NAME]


RULE = Rule(
    name=NAME,
    title="Impossible travel",
    summary="Two whereabouts of one person, or one journey, too far apart for the time the dates "
            "allow at the fastest means of the period.",
    check=check,
)
