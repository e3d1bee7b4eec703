"""Small static charts drawn as SVG on the server, for the page and the PDF.

WeasyPrint renders inline SVG, so the printed pack needs no browser and no
JavaScript; each chart sits beside a table of the same figures.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def sparkline_points(
    values: list[float | None], *, width: float, height: float, pad: float = 3.0
) -> tuple[list[tuple[float, float] | None], tuple[float, float]]:
    """Screen coordinates of ``values`` (None stays None: a gap in the line).

    The vertical scale always includes 1 (no difference), so a line above the
    dashed reference line reads as over-representation. Returns the points and
    the (min, max) of the scale.
    """
    known = [v for v in values if v is not None]
    low = min([1.0, *known])
    high = max([1.0, *known])
    if high - low < 1e-9:
        high = low + 1.0
    step = (width - 2 * pad) / max(1, len(values) - 1)

    def y(value: float) -> float:
        return pad + (height - 2 * pad) * (high - value) / (high - low)

    points = [
        None if v is None else (round(pad + i * step, 2), round(y(v), 2))
        for i, v in enumerate(values)
    ]
    return points, (low, high)


def sparkline(
    values: list[float | None],
    *,
    label: str,
    width: int = 200,
    height: int = 50,
) -> SafeString:
    """An SVG sparkline of relative rate indices with a dashed line at 1."""
    points, (low, high) = sparkline_points(values, width=width, height=height)
    pad = 3.0
    one = pad + (height - 2 * pad) * (high - 1.0) / (high - low)
    segments, current = [], []
    for point in points:
        if point is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(point)
    if current:
        segments.append(current)
    lines = "".join(
        '<polyline fill="none" stroke="#1d3557" stroke-width="1.5" points="'
        + " ".join(f"{x},{y}" for x, y in segment)
        + '"/>'
        for segment in segments
    )
    dots = "".join(
        f'<circle cx="{p[0]}" cy="{p[1]}" r="2" fill="#1d3557"/>'
        for p in points
        if p is not None
    )
    return mark_safe(  # noqa: S308 - every interpolated value is a number or escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{escape(label)}</title>"
        f'<line x1="0" x2="{width}" y1="{one:.2f}" y2="{one:.2f}" stroke="#888" '
        f'stroke-dasharray="3,2" stroke-width="1"/>{lines}{dots}</svg>'
    )


RAG_COLOURS = {
    "green": "#2e7d32",
    "amber": "#f9a825",
    "red": "#c62828",
    "grey": "#9e9e9e",
}


def rag_bar(counts: dict[str, int], *, label: str, width: int = 120) -> SafeString:
    """One stacked bar of an aspiration's indicators by RAG."""
    total = sum(counts.values())
    parts, x = [], 0.0
    for rag in ("red", "amber", "green", "grey"):
        n = counts.get(rag, 0)
        if not n or not total:
            continue
        w = width * n / total
        parts.append(
            f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="12" '
            f'fill="{RAG_COLOURS[rag]}"/>'
        )
        x += w
    if not parts:
        parts.append(f'<rect x="0" y="0" width="{width}" height="12" fill="#eee"/>')
    return mark_safe(  # noqa: S308 - numbers and escaped text only
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rag-bar" role="img" '
        f'width="{width}" height="12" viewBox="0 0 {width} 12">'
        f"<title>{escape(label)}</title>{''.join(parts)}</svg>"
    )


def pack_charts(pack) -> dict:
    """The pack's charts by name: a sparkline per headline stage, a RAG bar per
    aspiration. Each is drawn from figures the pack's tables also show."""
    sparklines = {
        stage.stage: sparkline(
            [row["rri"] for row in stage.trend],
            label=(
                f"{stage.stage}: relative rate index for {stage.top['group_label']}"
                " over time; the table beside it gives the figures."
            ),
        )
        for stage in pack.headline.stages
        if stage.top and stage.trend
    }
    rag_bars = {
        glance.aspiration.number: rag_bar(
            glance.rag_counts,
            label=f"Aspiration {glance.aspiration.number} indicators by RAG",
        )
        for glance in pack.aspirations
    }
    return {"sparklines": sparklines, "rag_bars": rag_bars}
