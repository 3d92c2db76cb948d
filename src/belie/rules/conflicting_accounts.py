"""conflicting-accounts: claims about the same event that cannot all be true.

Claims that share an ``event`` id describe one alleged event; two of them conflict when
they cannot both be true, and a denial conflicts with another speaker's matching
assertion.  The comparison itself lives in `belie.rules.accounts`, which the other
rules that compare accounts share; see docs/rules/conflicting_accounts.md.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from belie.model.claims import Claim
from belie.rules.accounts import (
    MAX_GROUP, cap_first, compare_accounts, compare_denial, denial_pairs, explain_pair, pair_finding, speaker_name,
)
from belie.rules.base import Context, Finding, Rule

NAME = "conflicting-accounts"


# ------------------------------------------------------------------ the rule


def _findings(ctx: Context) -> Iterator[Finding]:
    groups: dict[str, list[Claim]] = defaultdict(list)
    for c in ctx.with_event:
        if c.event is not None:
            groups[c.event].append(c)
    for event, claims in groups.items():
        if len(claims) < 2:
            continue
        claims = claims[:MAX_GROUP]
        for i, a in enumerate(claims):
            for b in claims[i + 1:]:
                v = compare_accounts(ctx, a, b)
                if v is None:
                    continue
                v.details["event"] = event
                yield pair_finding(ctx, NAME, a, b, v, explain_pair(ctx, a, b, v, event))
    for d, a in denial_pairs(ctx):
        if ctx.speaker(d) == ctx.speaker(a):
            continue            # self-contradiction
        v = compare_denial(ctx, d, a, same_event=False)
        if v is None:
            continue
        expl = cap_first(v.reasons[0]) + (f" The denial is {speaker_name(ctx, d)}'s; the account is "
                                     f"{speaker_name(ctx, a)}'s.")
        yield pair_finding(ctx, NAME, d, a, v, expl)


def check(ctx: Context) -> Iterator[Finding]:
    # belie.rules.check pauses the cyclic garbage collector for the whole run.
    return _findings(ctx)


RULE = Rule(
    name=NAME,
    title="Conflicting accounts",
    summary="Accounts of the same event that disagree on its place, date, people or kind, "
            "or that one source asserts and another denies.",
    check=check,
)
