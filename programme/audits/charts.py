"""Plotly figures for the audit results, as plain dicts.

The template embeds them with ``json_script`` and a few lines of script draw
them with the locally served plotly.js; every chart has a table of the same
figures beside it, and suppressed groups are left out of the chart (the table
says "suppressed").
"""

from programme.audits.results import Breakdown

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")


def _short(text: str, size: int = 48) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def by_group(breakdown: Breakdown) -> dict:
    """% meeting each standard, one bar per shown group, questions down the side."""
    data = []
    for i, group in enumerate(breakdown.groups):
        cells = [row.cells[i] for row in breakdown.rows]
        if group.suppressed or all(c.suppressed for c in cells):
            continue
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": f"{group.label} ({group.audits})",
                "y": [_short(row.question.text) for row in breakdown.rows],
                "x": [c.percent for c in cells],
                "marker": {"color": OKABE_ITO[len(data) % len(OKABE_ITO)]},
                "hovertemplate": "%{x}%<extra>%{fullData.name}</extra>",
            }
        )
    return {
        "data": data,
        "layout": {
            "barmode": "group",
            "height": 160 + 30 * len(breakdown.rows) * max(1, len(data)) // 2,
            "margin": {"l": 330, "r": 10, "t": 10, "b": 40},
            "xaxis": {"title": {"text": "% meeting the standard"}, "range": [0, 100]},
            "yaxis": {"autorange": "reversed"},
            "legend": {"orientation": "h", "y": -0.15},
            "font": {"family": "system-ui, sans-serif", "size": 13},
        },
    }


def trend(breakdown: Breakdown) -> dict:
    """% meeting each standard by quarter (shown quarters only)."""
    shown = [i for i, g in enumerate(breakdown.groups) if not g.suppressed]
    labels = [breakdown.groups[i].label for i in shown]
    data = []
    for n, row in enumerate(breakdown.rows):
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _short(row.question.text, 40),
                "x": labels,
                "y": [row.cells[i].percent for i in shown],
                "line": {"width": 4 if n == 0 else 1.5},
                "marker": {"color": OKABE_ITO[n % len(OKABE_ITO)]},
                "visible": True if n == 0 else "legendonly",
            }
        )
    return {
        "data": data,
        "layout": {
            "height": 360,
            "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
            "yaxis": {"title": {"text": "% meeting"}, "range": [0, 100]},
            "xaxis": {"type": "category"},
            "legend": {"orientation": "h", "y": -0.2},
            "font": {"family": "system-ui, sans-serif", "size": 13},
        },
    }
