from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from disproportionality.models import Area

register = template.Library()

FLAG_LABELS = {
    "over": "Over-represented",
    "under": "Under-represented",
    "no_difference": "No clear difference",
    "insufficient": "Too few to tell",
    "reference": "Reference group",
    "not_applicable": "Not applicable",
}


def _label_or(value, number: str):
    """A hidden figure arrives as its label ("suppressed"): show the label."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return number.format(value)


@register.filter
def pct(value):
    return _label_or(value, "{:.1%}")


@register.filter
def dp1(value):
    return _label_or(value, "{:,.1f}")


@register.filter
def dp2(value):
    return _label_or(value, "{:,.2f}")


@register.filter
def ci(row, prefix):
    low, high = row.get(f"{prefix}_ci_low"), row.get(f"{prefix}_ci_high")
    if low is None or high is None:
        return "—"
    fmt = "{:,.1f}" if prefix == "rate" else "{:,.2f}"
    return f"{fmt.format(low)} to {fmt.format(high)}"


@register.filter
def count(value):
    """Counts: a number, "<5", or a visible "suppressed" — never a blank."""
    if value is None:
        return format_html('<span class="suppressed">not available</span>')
    if isinstance(value, str):
        return format_html('<span class="suppressed">{}</span>', value)
    return f"{value:,}"


@register.filter
def flag_label(value):
    return FLAG_LABELS.get(value, value or "")


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def json_script_raw(json_text, element_id):
    """Wrap already HTML-safe figure JSON (see charts.to_json) in a script tag."""
    if not json_text:
        return ""
    return format_html(
        '<script type="application/json" id="{}">{}</script>',
        element_id,
        mark_safe(json_text),  # noqa: S308 - charts.to_json escapes <, > and &
    )


# The area lists hold every authority in England (~170 options, twice): built in
# one pass here, as a template loop over them cost more than the rest of the page.
LEVEL_LABELS = dict(Area.Level.choices)


def _option(code: str, label: str, selected: bool) -> str:
    chosen = " selected" if selected else ""
    return f'<option value="{escape(code)}"{chosen}>{escape(label)}</option>'


@register.simple_tag
def area_options(board):
    """<option>s for the area select, the shown area selected."""
    own = board.area.code if board.area else None
    return mark_safe(  # noqa: S308 - every value is escaped in _option
        "".join(
            _option(a.code, f"{a.name} ({LEVEL_LABELS[a.level]})", a.code == own)
            for a in board.areas
        )
    )


@register.simple_tag
def comparator_options(board):
    """<option>s for the other local authorities a board can compare with."""
    own = board.area.code if board.area else None
    chosen = board.params.comparator
    return mark_safe(  # noqa: S308 - every value is escaped in _option
        "".join(
            _option(a.code, a.name, a.code == chosen)
            for a in board.areas
            if a.level == Area.Level.LOCAL_AUTHORITY and a.code != own
        )
    )
