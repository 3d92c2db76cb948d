"""alibi: one person at two incompatible places at times that must (or may) overlap.

Two stays of one person (presence, meeting participant, departure or arrival of a
travel; `Context.stays_by_person`) at places neither of which contains the other, whose
dates overlap:

* both *throughout* and sharing a day: **impossible**;
* a *throughout* stay covering every day of the other claim's *some moment*: **impossible**;
* a *throughout* stay covering part of it: the other claim can be true only on the days
  outside the stay, less the time needed to travel between the two places (rail, or the
  fastest means on the ground before railways).  No such day even at the fastest means of
  the era: **impossible**; days only at the fastest means: **strained**; days left, but at
  most a quarter of the claim's days (`NARROW_SHARE`): **strained**; more: **note**.  The
  window is the longest run of such days;
* two *some moment* claims: the dates leave at most the time from the start of the
  earliest day of one to the end of the latest day of the other; too short for the
  distance even at the fastest means of the era: **impossible**; only at a means faster
  than rail: **strained**.  Same day, a few km apart, is no finding.

Stays whose dates do not overlap are the business of ``impossible-travel``; a pair of
claims is reported by one of the two rules only (the more severe finding).  The pair
engine lives in :mod:`belie.rules.impossible_travel`.
"""
from __future__ import annotations

from belie.rules.base import Context, Rule
from belie.rules.impossible_travel import ALIBI, analyse

NAME = ALIBI


def check(ctx: Context):
    yield from analyse(ctx)[NAME]


RULE = Rule(
    name=NAME,
    title="Alibi",
    summary="One person at two incompatible places at times that must, or may, overlap.",
    check=check,
)
