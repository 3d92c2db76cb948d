"""The report's whereabouts timeline at the scale of hours (a case within a day or two)."""
from __future__ import annotations

from pathlib import Path

import belie
from belie.report.html import timeline_data, timeline_figure

ROOT = Path(__file__).resolve().parents[2]


def test_a_case_of_one_day_is_drawn_in_hours():
    case = belie.load_case(ROOT / "examples" / "karvonen-2022")
    data = timeline_data(case)
    lo, hi = data["range"]
    assert hi - lo < 2                                   # days: the axis spans hours, not weeks
    fig = timeline_figure(case, belie.check(case))
    a, b = fig.layout.xaxis.range
    assert "T" in a and "T" in b                         # the axis ends at a time of day
    # the camera's 10:25-10:35 UTC is a segment of 11 minutes (to the end of 10:35), not a day
    cam = next(m for m in data["marks"] if m["claim"] == "camera")
    assert abs((cam["hi"] - cam["lo"]) * 24 * 60 - 11) < 0.01


def test_a_case_of_dates_keeps_whole_days(example_case_dir):
    data = timeline_data(belie.load_case(example_case_dir))
    assert all(isinstance(i["lo"], int) and isinstance(i["hi"], int) for i in data["bars"] + data["marks"])
