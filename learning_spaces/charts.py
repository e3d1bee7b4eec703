"""Plotly charts for the insights page; each sits beside a table of its data.

Each function returns a plotly figure as plain JSON-ready data, which the
template writes with ``json_script`` and ``static/js/charts.js`` draws once
plotly.js has loaded from our own static files (never a CDN, never an inline
script). The chart's title is the HTML heading above it and the legend sits
above the plot, so neither can overlap an axis title.
"""

import json

import plotly.graph_objects as go

from learning_spaces.insights import Summary

FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"}
NAVY, TEAL, AMBER = "#1d2b4f", "#00666b", "#b35c00"


def _figure(figure: go.Figure) -> dict:
    figure.update_layout(
        font=FONT,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=340,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.02,
            "yanchor": "bottom",
        },
        plot_bgcolor="#fff",
    )
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return json.loads(figure.to_json())


def over_time(quarters: list[Summary]) -> dict:
    labels = [q.label for q in quarters]
    figure = go.Figure()
    figure.add_bar(
        x=labels, y=[q.responses for q in quarters], name="Responses", marker_color=NAVY
    )
    figure.add_scatter(
        x=labels,
        y=[q.pct_more_confident for q in quarters],
        name="% more confident",
        yaxis="y2",
        mode="lines+markers",
        line={"color": AMBER},
    )
    figure.update_layout(
        yaxis={"title": {"text": "Responses"}},
        yaxis2={
            "title": {"text": "% more confident"},
            "overlaying": "y",
            "side": "right",
            "range": [0, 100],
        },
    )
    return _figure(figure)


def by_space(spaces: list[Summary]) -> dict:
    labels = [s.label for s in spaces]
    figure = go.Figure()
    figure.add_bar(
        x=labels,
        y=[s.mean_rating for s in spaces],
        name="Mean rating (1–5)",
        marker_color=NAVY,
    )
    figure.add_bar(
        x=labels,
        y=[s.mean_shift for s in spaces],
        name="Mean confidence shift",
        marker_color=TEAL,
    )
    figure.update_layout(barmode="group", yaxis={"range": [-1, 5]})
    return _figure(figure)


def themes(counts: list[tuple[str, int]]) -> dict:
    figure = go.Figure(
        go.Bar(
            x=[n for _, n in counts][::-1],
            y=[name for name, _ in counts][::-1],
            orientation="h",
            marker_color=TEAL,
        )
    )
    figure.update_layout(showlegend=False, xaxis={"title": {"text": "Responses"}})
    return _figure(figure)
