from django import template

register = template.Library()


@register.filter
def pct(value, places: int = 1):
    """0.1234 → "12.3%"; None → "suppressed" is left to the template."""
    if value is None:
        return ""
    return f"{value * 100:.{int(places)}f}%"


@register.filter
def ratio(value):
    return "" if value is None else f"{value:.2f}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
