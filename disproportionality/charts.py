"""Plotly figures for the dashboard, built as plain dicts and serialised by plotly.

Colours: the Okabe–Ito palette (safe for the common colour-vision deficiencies),
and every flag also has its own marker shape so colour is never the only cue.
"""

import plotly.io

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


def _layout(**extra) -> dict:
    layout = {
        "margin": {"l": 10, "r": 10, "t": 40, "b": 40},
        "font": {"family": "system-ui, sans-serif", "size": 13},
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
    }
    layout.update(extra)
    return layout


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


def rri_by_stage(tables: dict[str, list[dict]], reference_label: str) -> dict:
    """RRI per group, one panel per stage, log scale, whiskers, a line at 1."""
    stages = [s for s in STAGE_ORDER if s in tables]
    data, shapes, annotations = [], [], []
    width = 1 / max(len(stages), 1)
    layout = _layout(
        height=120 + 32 * max((len(t) for t in tables.values()), default=5),
        showlegend=True,
        legend={"orientation": "h", "y": -0.12},
    )
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
        layout[f"xaxis{axis}"] = {
            "type": "log",
            "domain": domain,
            "title": {"text": f"RRI vs {reference_label}"},
            "gridcolor": "#e5e5e5",
            "anchor": f"y{axis}",
        }
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
        annotations.append(
            {
                "text": f"<b>{stage}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": sum(domain) / 2,
                "y": 1.06,
                "showarrow": False,
            }
        )
    layout.update(shapes=shapes, annotations=annotations)
    return {"data": data, "layout": layout}


def journey(columns: list[tuple[str, dict[str, float | None]]], groups) -> dict:
    """Each group's share of the population, then of CIN, CP and CLA (stacked %)."""
    data = []
    for i, (code, label) in enumerate(groups):
        values = [
            (shares.get(code) * 100 if shares.get(code) is not None else None)
            for _name, shares in columns
        ]
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
            height=420,
            yaxis={"title": {"text": "% of children with a known ethnicity"}},
            legend={"orientation": "h", "y": -0.15},
        ),
    }


def trend(points: list[dict], group_label: str, reference_label: str) -> dict:
    """Rate per 10,000 and RRI of one group over the periods."""
    periods = [p["period"] for p in points]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": f"Rate per 10,000 ({group_label})",
            "x": periods,
            "y": [p["rate_per_10k"] for p in points],
            "error_y": _errors(points, "rate_per_10k", "rate_ci_low", "rate_ci_high"),
            "marker": {"color": OKABE_ITO[0], "symbol": "circle"},
            "xaxis": "x",
            "yaxis": "y",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": f"RRI vs {reference_label}",
            "x": periods,
            "y": [p["rri"] for p in points],
            "error_y": _errors(points, "rri", "rri_ci_low", "rri_ci_high"),
            "marker": {"color": OKABE_ITO[5], "symbol": "diamond"},
            "xaxis": "x2",
            "yaxis": "y2",
        },
    ]
    layout = _layout(
        height=380,
        xaxis={"domain": [0, 0.46], "type": "category", "title": {"text": "Period"}},
        yaxis={"title": {"text": "Rate per 10,000"}, "rangemode": "tozero"},
        xaxis2={"domain": [0.54, 1], "type": "category", "title": {"text": "Period"}},
        yaxis2={"title": {"text": "RRI (log)"}, "type": "log", "anchor": "x2"},
        legend={"orientation": "h", "y": -0.25},
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
            height=120 + 36 * max(len(rows), 5),
            xaxis={"type": "log", "title": {"text": "Relative rate index (log)"}},
            yaxis={
                "categoryorder": "array",
                "categoryarray": [r["group_label"] for r in reversed(rows)],
                "automargin": True,
            },
            legend={"orientation": "h", "y": -0.15},
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
