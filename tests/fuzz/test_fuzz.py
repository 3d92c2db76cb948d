"""The fuzzers, on a short budget: no generated input may raise anything but a typed error.

The long run is a command (`python -m tests.fuzz.run`, see its documentation); these tests
run the same targets on a few hundred inputs each, so that a regression shows in the suite.
"""
from __future__ import annotations

import pytest

from tests.fuzz.run import run


@pytest.mark.parametrize("target,n", [("dates", 400), ("cases", 40), ("csv", 60), ("documents", 80)])
def test_generated_input_never_raises_an_unexpected_exception(target, n):
    [tally] = run(**{target: n}, seed=13, report_every=10, variants=2)
    assert tally.total == n
    assert tally.counts["unexpected"] == 0, tally.bugs
    assert tally.counts["read"] > 0       # the generators reach past the readers
