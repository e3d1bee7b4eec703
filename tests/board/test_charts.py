"""The server-drawn SVG charts, against hand-worked coordinates."""

import re

from arp.board.charts import rag_bar, sparkline, sparkline_points


def test_sparkline_points_worked_example():
    # scale 1..3 over 40px with 3px padding: y = 3 + 34 * (3 - v) / 2
    # x steps of (100 - 6) / 3 = 31.33px
    points, scale = sparkline_points([1.0, 2.0, None, 3.0], width=100, height=40)
    assert scale == (1.0, 3.0)
    assert points == [(3.0, 37.0), (34.33, 20.0), None, (97.0, 3.0)]


def test_sparkline_scale_always_includes_one():
    # all values above 1: the dashed "no difference" line stays on the chart
    _points, scale = sparkline_points([1.5, 1.7], width=100, height=40)
    assert scale == (1.0, 1.7)
    _points, scale = sparkline_points([2.0, 2.0], width=100, height=40)
    assert scale == (1.0, 2.0)


def test_sparkline_svg_breaks_at_suppressed_periods_and_escapes_its_title():
    svg = str(sparkline([1.2, None, 1.4, 1.6], label="CP: <Mixed> & others"))
    assert svg.count("<polyline") == 2  # the gap where the value is hidden
    assert svg.count("<circle") == 3
    assert "<title>CP: &lt;Mixed&gt; &amp; others</title>" in svg
    assert 'stroke-dasharray="3,2"' in svg


def test_rag_bar_widths_are_proportional():
    svg = str(rag_bar({"red": 1, "amber": 0, "green": 3, "grey": 0}, label="A1"))
    widths = [
        float(w) for w in re.findall(r'<rect x="[\d.]+" y="0" width="([\d.]+)"', svg)
    ]
    assert widths == [30.0, 90.0]
    empty = str(rag_bar({"red": 0}, label="none"))
    assert 'fill="#eee"' in empty


def _stage(stage, trend, flag="over"):
    from disproportionality.selectors import StageHeadline

    rows = [{"period": p, "rri": v} for p, v in trend]
    top = {"group_label": "Mixed", "flag": flag, "rri": trend[-1][1]}
    return StageHeadline(stage, stage, trend[-1][0], top, [top], None, rows, "")


def test_rising_disproportionality_compares_the_last_two_shown_periods():
    from arp.board.composition import rising_disproportionality
    from disproportionality.selectors import BoardHeadline

    headline = BoardHeadline(
        "E1", "Area", "Region", "Census", "White British", False,
        [
            _stage("CIN", [("2023", 1.4), ("2024", 1.3), ("2025", 1.5)]),
            _stage("CP", [("2023", 1.5), ("2024", None), ("2025", 1.4)]),
            _stage("CLA", [("2024", 1.2), ("2025", 1.9)], flag="no_difference"),
        ],
    )  # fmt: skip
    rising = rising_disproportionality(headline)
    assert [(r.stage, r.previous_rri, r.rri) for r in rising] == [("CIN", 1.3, 1.5)]
    assert rising[0].previous_period == "2024" and rising[0].period == "2025"
