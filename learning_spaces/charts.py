"""Plotly charts for the insights page; each sits beside a table of its data.

plotly.js is loaded once from our own static files, never a CDN.
"""

import plotly.graph_objects as go

from learning_spaces.insights import Summary

FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"}
NAVY, TEAL, AMBER = "#1d2b4f", "#00666b", "#b35c00"


def _html(figure: go.Figure, div_id: str, title: str) -> str:
    figure.update_layout(
        title={"text": title},
        font=FONT,
        margin={"l": 50, "r": 20, "t": 50, "b": 60},
        height=340,
        legend={"orientation": "h", "y": -0.2},
        plot_bgcolor="#fff",
    )
    return figure.to_html(
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )


def over_time(quarters: list[Summary]) -> str:
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
    return _html(figure, "chart-over-time", "Responses and confidence by quarter")


def by_space(spaces: list[Summary]) -> str:
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
    return _html(figure, "chart-by-space", "Rating and confidence shift by space")


def themes(counts: list[tuple[str, int]]) -> str:
    figure = go.Figure(
        go.Bar(
            x=[n for _, n in counts][::-1],
            y=[name for name, _ in counts][::-1],
            orientation="h",
            marker_color=TEAL,
        )
    )
    figure.update_layout(margin={"l": 220})
    return _html(figure, "chart-themes", "Responses by theme")
