"""Plotly figures for the dashboard, built as plain dicts and serialised by plotly.

Colours: the Okabe–Ito palette (safe for the common colour-vision deficiencies),
and every flag also has its own marker shape so colour is never the only cue.
"""

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.io

from disproportionality import metrics

# a metrics.MetricRow, or any mapping with its fields (the tests draw dicts)
Row = Mapping[str, Any]

OKABE_ITO = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
]
FLAG_STYLE = {
    "over": ("#D55E00", "triangle-right", "Over-represented"),
    "under": ("#0072B2", "triangle-left", "Under-represented"),
    "no_difference": ("#009E73", "circle", "No clear difference"),
    "insufficient": ("#E69F00", "circle-open", "Too few to tell"),
    "reference": ("#000000", "square", "Reference group"),
}
# the journey through care: a council's own local stages, then the published ones
STAGE_ORDER = ("CONTACT", "REFERRAL", "EH", "ASSESS", "CIN", "CP", "CLA")
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def to_json(figure: dict) -> str:
    """JSON for a <script type="application/json"> block (HTML-safe)."""
    return plotly.io.to_json(figure, validate=False).translate(_SCRIPT_ESCAPES)


# The legend sits above the plot, left-aligned, and every axis has automargin:
# axis titles live below and beside the plot, so the two can never overlap and
# long group names are never clipped. Charts carry no title of their own (the
# HTML heading above is the title).
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"}
# Ratio axes: powers of two around 1, the line of no difference, which is bold.
LOG_TICKS = (0.25, 0.5, 1, 2, 4)


def _layout(**extra) -> dict:
    layout = {
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "font": {"family": "system-ui, sans-serif", "size": 13},
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "showlegend": True,
        "legend": LEGEND,
    }
    layout.update(extra)
    return layout


def _tick_label(value: float) -> str:
    return "<b>1</b>" if value == 1 else f"{value:g}"


def log_ratio_axis(values, title: str, **extra) -> dict:
    """A log axis for ratios with ticks at 0.25, 0.5, 1, 2 and 4 (1 in bold).

    The range always covers 0.25 to 4 and grows by powers of two to take in
    every value (points and interval ends), so plotly never falls back to its
    own "3 4 5 6 7 8 9 1 2" minor labels.
    """
    finite = [v for v in values if v is not None and v > 0 and math.isfinite(v)]
    low = min([LOG_TICKS[0], *finite])
    high = max([LOG_TICKS[-1], *finite])
    ticks = list(LOG_TICKS)
    while ticks[0] > low:
        ticks.insert(0, ticks[0] / 2)
    while ticks[-1] < high:
        ticks.append(ticks[-1] * 2)
    pad = 0.05
    axis = {
        "type": "log",
        "range": [math.log10(low) - pad, math.log10(high) + pad],
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [_tick_label(t) for t in ticks],
        "title": {"text": title},
        "gridcolor": "#e5e5e5",
        "automargin": True,
    }
    axis.update(extra)
    return axis


def _ratio_values(rows, key="rri") -> list:
    return [
        r.get(name) for r in rows for name in (key, f"{key}_ci_low", f"{key}_ci_high")
    ]


def _errors(rows, key, low, high):
    plus = [
        (r[high] - r[key]) if r[key] is not None and r[high] is not None else None
        for r in rows
    ]
    minus = [
        (r[key] - r[low]) if r[key] is not None and r[low] is not None else None
        for r in rows
    ]
    return {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus}


def _plottable(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if not r["unknown"] and r["rri"] is not None]


def rri_by_stage(tables: Mapping[str, Sequence[Row]], reference_label: str) -> dict:
    """RRI per group, one panel per stage, log scale, whiskers, a line at 1.

    A stage with no ratio to plot (no figures, or all suppressed) gets no
    panel, rather than an empty one with a meaningless axis.
    """
    stages = [s for s in STAGE_ORDER if _plottable(tables.get(s, []))]
    data: list[dict] = []
    shapes: list[dict] = []
    width = 1 / max(len(stages), 1)
    every = [r for s in stages for r in _plottable(tables[s])]
    layout = _layout(
        height=140 + 32 * max((len(t) for t in tables.values()), default=5)
    )
    if not stages:
        layout.update(
            xaxis={"visible": False},
            yaxis={"visible": False},
            showlegend=False,
            annotations=[
                {
                    "text": "No ratios to chart: see the table below.",
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                    "showarrow": False,
                }
            ],
        )
        return {"data": data, "layout": layout}
    for i, stage in enumerate(stages):
        axis = "" if i == 0 else str(i + 1)
        rows = [r for r in tables[stage] if not r["unknown"]]
        for flag, (colour, symbol, name) in FLAG_STYLE.items():
            subset = [r for r in rows if r["flag"] == flag and r["rri"] is not None]
            if not subset:
                continue
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": name,
                    "legendgroup": flag,
                    "showlegend": not any(d.get("legendgroup") == flag for d in data),
                    "x": [r["rri"] for r in subset],
                    "y": [r["group_label"] for r in subset],
                    "error_x": _errors(subset, "rri", "rri_ci_low", "rri_ci_high"),
                    "marker": {"color": colour, "symbol": symbol, "size": 11},
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                    "hovertemplate": "%{y}: %{x:.2f}<extra>" + stage + "</extra>",
                }
            )
        domain = [i * width + 0.02, (i + 1) * width - 0.02]
        layout[f"xaxis{axis}"] = log_ratio_axis(
            _ratio_values(every),
            f"<b>{stage}</b>: RRI vs {reference_label}",
            domain=domain,
            anchor=f"y{axis}",
        )
        layout[f"yaxis{axis}"] = {
            "categoryorder": "array",
            "categoryarray": [r["group_label"] for r in reversed(rows)],
            "anchor": f"x{axis}",
            "showticklabels": i == 0,
            "automargin": True,
        }
        if i:
            layout[f"yaxis{axis}"]["matches"] = "y"
        shapes.append(
            {
                "type": "line",
                "xref": f"x{axis}",
                "yref": f"y{axis} domain",
                "x0": 1,
                "x1": 1,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#333", "dash": "dash", "width": 1},
            }
        )
    layout.update(shapes=shapes)
    return {"data": data, "layout": layout}


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def journey(columns: list[tuple[str, dict[str, float | None]]], groups) -> dict:
    """Each group's share of the population, then of CIN, CP and CLA (stacked %)."""
    data = []
    for i, (code, label) in enumerate(groups):
        values = [_percent(shares.get(code)) for _name, shares in columns]
        data.append(
            {
                "type": "bar",
                "name": label,
                "x": [name for name, _shares in columns],
                "y": values,
                "marker": {"color": OKABE_ITO[i % len(OKABE_ITO)]},
                "hovertemplate": label + ": %{y:.1f}%<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": _layout(
            barmode="stack",
            height=460,
            xaxis={"automargin": True},
            yaxis={
                "title": {"text": "% of children with a known ethnicity"},
                "range": [0, 100],
                "automargin": True,
            },
        ),
    }


def trend(points: Sequence[Row], group_label: str, reference_label: str) -> dict:
    """Rate per 10,000 and RRI of one group over the periods."""
    periods = [p["period"] for p in points]

    def line(name: str, fields: tuple[str, str, str], marker: dict, panel: str):
        return {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": periods,
            "y": [p[fields[0]] for p in points],
            "error_y": _errors(points, *fields),
            "marker": marker,
            "xaxis": f"x{panel}",
            "yaxis": f"y{panel}",
        }

    data = [
        line(
            f"Rate per 10,000 ({group_label})",
            metrics.RATE_FIELDS,
            {"color": OKABE_ITO[0], "symbol": "circle"},
            "",
        ),
        line(
            f"RRI vs {reference_label}",
            metrics.RRI_FIELDS,
            {"color": OKABE_ITO[5], "symbol": "diamond"},
            "2",
        ),
    ]
    # two panels one above the other (rate, then RRI), so each y-axis title
    # has the full left margin and nothing is squeezed on a phone
    layout = _layout(
        height=560,
        xaxis={"type": "category", "anchor": "y", "automargin": True},
        yaxis={
            "title": {"text": "Rate per 10,000"},
            "rangemode": "tozero",
            "domain": [0.58, 1],
            "automargin": True,
        },
        xaxis2={
            "type": "category",
            "anchor": "y2",
            "title": {"text": "Period"},
            "automargin": True,
        },
        yaxis2=log_ratio_axis(
            _ratio_values(points), "RRI (log scale)", anchor="x2", domain=[0, 0.4]
        ),
        shapes=[
            {
                "type": "line",
                "xref": "x2 domain",
                "yref": "y2",
                "x0": 0,
                "x1": 1,
                "y0": 1,
                "y1": 1,
                "line": {"color": "#333", "dash": "dash", "width": 1},
            }
        ],
    )
    return {"data": data, "layout": layout}


def comparator(rows: list[dict], area_name: str, other_name: str) -> dict:
    """RRI per group for the area beside its comparator."""
    data = []
    for i, (key, name, symbol) in enumerate(
        (("area", area_name, "circle"), ("other", other_name, "diamond"))
    ):
        subset = [
            {**r[key], "group_label": r["group_label"]}
            for r in rows
            if r[key] and r[key]["rri"] is not None
        ]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "x": [r["rri"] for r in subset],
                "y": [r["group_label"] for r in subset],
                "error_x": _errors(subset, "rri", "rri_ci_low", "rri_ci_high"),
                "marker": {"color": OKABE_ITO[i * 5], "symbol": symbol, "size": 11},
                "offsetgroup": key,
            }
        )
    return {
        "data": data,
        "layout": _layout(
            height=140 + 36 * max(len(rows), 5),
            xaxis=log_ratio_axis(
                [
                    v
                    for r in rows
                    for side in ("area", "other")
                    if r[side]
                    for v in _ratio_values([r[side]])
                ],
                "Relative rate index (log scale)",
            ),
            yaxis={
                "categoryorder": "array",
                "categoryarray": [r["group_label"] for r in reversed(rows)],
                "automargin": True,
            },
            shapes=[
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "y domain",
                    "x0": 1,
                    "x1": 1,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#333", "dash": "dash", "width": 1},
                }
            ],
        ),
    }
