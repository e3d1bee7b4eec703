"""Suggesting themes for a free-text answer by keyword match (pure functions)."""

import re
from collections.abc import Iterable


def _phrase_pattern(keyword: str) -> re.Pattern[str]:
    # Whole-word start so "ask" matches "asking" but not "task".
    return re.compile(r"\b" + re.escape(keyword.lower()))


def matching_theme_ids(text: str, themes: Iterable[tuple[int, list[str]]]) -> list[int]:
    """Ids of the themes with at least one keyword in ``text``.

    ``themes`` is ``(theme_id, [keyword, ...])`` pairs; matching ignores case
    and needs the keyword to start at a word boundary.
    """
    lowered = text.lower()
    found = []
    for theme_id, keywords in themes:
        if any(_phrase_pattern(k).search(lowered) for k in keywords if k):
            found.append(theme_id)
    return found
