"""Fixtures for the practice tools tests: media in a temporary folder, a library."""

from datetime import date

import pytest

from programme.tools import services
from programme.tools.models import Tool
from tests.programme.tools.builders import PDF_V2, make_tool, pdf


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def tools_world(media, aspirations, programme_admin):
    """A published tool with two versions, a draft, and a published link."""
    published = make_tool(programme_admin)
    first = published.versions.get()
    second = services.tool_version_add(
        tool=published,
        user=programme_admin,
        file=pdf(content=PDF_V2),
        released_on=date(2025, 2, 3),
        change_note="Adds carers' ethnicity prompts.",
    )
    draft = make_tool(programme_admin, title="Draft exemplar", published=False)
    link = make_tool(
        programme_admin,
        title="Adultification Podcast",
        kind=Tool.Kind.PODCAST,
        link="https://podcasts.example.org/adultification",
    )
    return {
        "published": published,
        "old_version": first,
        "current_version": second,
        "draft": draft,
        "draft_version": draft.versions.get(),
        "link_tool": link,
        "aspiration": aspirations[5],
    }
