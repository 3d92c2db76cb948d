"""The joint window of one person's timeline (belie.rules.timeline), on its own.

Units here are days: an interval [lo, hi] covers the moments lo .. hi + 1.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from belie.rules.impossible_travel import pieces_outside
from belie.rules.timeline import Event, cells, cutters, window

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def brute():
    name = "belie_benchmark_timeline_bruteforce"
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "timeline_bruteforce.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop(name, None)


def test_agrees_with_the_brute_force_reading_of_random_timelines(brute):
    # The full run (10,000 and more) is `python benchmarks/timeline_bruteforce.py --n 10000`.
    done, bad = brute.run(300, seed=7)
    assert bad is None, bad
    assert done == 300


def test_the_brute_force_check_catches_a_window_that_ignores_other_moments(brute, monkeypatch):
    import belie.rules.timeline as timeline
    monkeypatch.setattr(timeline, "MAX_MOMENTS", 0)
    assert brute.run(300, seed=7)[1] is not None


KM = {("home", "far"): 1.5, ("home", "near"): 0.25, ("far", "near"): 1.25}


def travel(p, q):
    if p == q or {p, q} == {"town", "square"}:          # the square is within the town
        return None
    return KM.get((p, q)) or KM.get((q, p)) or 0.5


def test_one_fixed_stay_gives_the_days_of_the_pair_reading():
    # Days 1..20 at 'home', stay at 'far' throughout 8..12, 1.5 days away.
    got = cells(window(Event(1, 20, "home", False), [Event(8, 12, "far", True)], travel), 1, 20)
    assert got == pieces_outside(1, 20, 8, 12, 1.5) == [(1, 6), (14, 20)]


def test_a_place_within_the_other_takes_nothing_out():
    assert window(Event(3, 4, "square", False), [Event(1, 9, "town", True)], travel) == [(3, 5)]


def test_a_moment_elsewhere_takes_out_only_what_is_too_close_to_every_one_of_its_moments():
    # 'far' at some moment of day 5 (moments 5..6), 1.5 days away: the target cannot be
    # within 1.5 days of all of them, i.e. in (6 - 1.5, 5 + 1.5) = (4.5, 6.5).
    got = window(Event(0, 9, "home", False), [Event(5, 5, "far", False)], travel)
    assert got == [(0, 4.5), (6.5, 10)]


def test_two_moments_narrow_each_other_before_they_narrow_the_target():
    # Target at 'home' on day 0; 'far' (1.5 days away) on days 0..2; 'near' on day 2.
    # Alone, each leaves the whole of day 0.  Together: 'far' must come 1.25 days before
    # 'near' (so by 1.75), and the target 1.5 days before 'far': only the moments 0..0.25.
    target = Event(0, 0, "home", False)
    others = [Event(0, 2, "far", False, "far"), Event(2, 2, "near", False, "near")]
    assert window(target, others[:1], travel) == [(0, 1)]
    assert window(target, others[1:], travel) == [(0, 1)]
    both = window(target, others, travel)
    assert both == [(0, 0.25)]
    assert cutters(target, others, travel, both) == ["far", "near"]


def test_cutters_name_each_fixed_stay_that_reaches_the_interval():
    others = [Event(1, 3, "far", True, "a"), Event(10, 12, "near", True, "b"), Event(30, 31, "far", True, "c")]
    assert cutters(Event(4, 9, "home", False), others, travel) == ["a", "b"]
