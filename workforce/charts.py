"""Plotly figures for the workforce dashboard, as plain dicts.

Okabe–Ito colours; every bar also carries its value as text, so colour is
never the only cue, and every chart has a table beside it.
"""

import plotly.io

from workforce import codes

WHITE_COLOUR, MINORITY_COLOUR, GROUP_COLOUR = "#0072B2", "#D55E00", "#E69F00"
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def to_json(figure: dict) -> str:
    """JSON for a <script type="application/json"> block (HTML-safe)."""
    return plotly.io.to_json(figure, validate=False).translate(_SCRIPT_ESCAPES)


def rates(table) -> dict:
    """Each shown group's rate (or share) as a horizontal bar, in percent."""
    rows = [
        r
        for r in table.rows
        if r.group_code not in ("UNKNOWN", "REFUSED") and r.rate is not None
    ]
    colours = [
        WHITE_COLOUR
        if r.group_code in (codes.WHITE, codes.WBRI)
        else MINORITY_COLOUR
        if r.group_code == codes.MINORITY
        else GROUP_COLOUR
        for r in rows
    ]
    values = [round(r.rate * 100, 1) for r in rows]
    share = table.measure.kind == codes.REPRESENTATION
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [r.group_label for r in rows],
                "x": values,
                "text": [f"{v}%" for v in values],
                "textposition": "auto",
                "marker": {"color": colours},
                "hovertemplate": "%{y}: %{x}%<extra></extra>",
            }
        ],
        "layout": {
            "title": {"text": table.measure.label, "font": {"size": 15}},
            "xaxis": {
                "title": "% of known ethnicity" if share else "% of the group",
                "rangemode": "tozero",
            },
            "yaxis": {"autorange": "reversed", "automargin": True},
            "margin": {"l": 10, "r": 10, "t": 40, "b": 40},
            "height": 80 + 34 * max(len(rows), 1),
            "font": {"family": "system-ui, sans-serif", "size": 13},
            "plot_bgcolor": "#ffffff",
        },
    }
