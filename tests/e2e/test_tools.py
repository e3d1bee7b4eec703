"""On a phone a practitioner finds the thinking tool and downloads its current one."""

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from programme.models import Aspiration
from programme.services import aspirations_ensure
from programme.tools import services
from programme.tools.models import ToolDownloadMonth
from tests.programme.tools.builders import PDF_V1, PDF_V2, make_tool, pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "is_mobile": True,
        "has_touch": True,
        "accept_downloads": True,
    }


@pytest.fixture
def library(settings, tmp_path, programme_admin):
    settings.MEDIA_ROOT = tmp_path
    aspirations_ensure()  # transactional tests flush the seeded rows
    thinking = make_tool(programme_admin, file=pdf("recr.pdf", PDF_V1))
    services.tool_version_add(
        tool=thinking,
        user=programme_admin,
        file=pdf("recr-2025.pdf", PDF_V2),
        released_on=date(2025, 2, 3),
        change_note="Adds prompts on recording the ethnicity and culture of carers.",
    )
    make_tool(
        programme_admin,
        title="Culture and Ethnicity Prompt Sheet",
        kind="prompt_sheet",
        aspiration_numbers=(5,),
    )
    assert Aspiration.objects.count() == 6
    return thinking


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_practitioner_finds_and_downloads_the_thinking_tool_on_a_phone(
    page, live_server, login, practitioner, library
):
    login(page, practitioner)
    assert page.url.endswith("/learning-spaces/")  # their sessions come first

    # The library is the next item in the menu.
    page.get_by_role("button", name="Show navigation").tap()
    menu = page.get_by_role("navigation", name="Main")
    links = menu.locator(".navbar-nav.me-auto .nav-link").all_inner_texts()
    assert links[:2] == ["Learning spaces", "Practice tools"]
    menu.get_by_role("link", name="Practice tools").tap()
    page.wait_for_url("**/programme/tools/")
    _fits(page)

    page.get_by_role("searchbox", name="Search").fill("thinking tool")
    page.get_by_role("button", name="Search").tap()
    page.wait_for_url("**/programme/tools/?q=thinking+tool*")
    assert page.get_by_text("1 tool matching “thinking tool”").is_visible()
    assert not page.get_by_text("Culture and Ethnicity Prompt Sheet").is_visible()
    _fits(page)

    page.get_by_role(
        "link", name="Race, Ethnicity, Culture and Religion Thinking Tool", exact=True
    ).tap()
    page.wait_for_url(f"**/programme/tools/{library.pk}/")
    _fits(page)
    button = page.get_by_role("link", name="Download PDF")
    assert button.is_visible()
    assert button.bounding_box()["y"] < PHONE["height"]  # no scrolling to find it
    with page.expect_download() as info:
        button.tap()
    download = info.value
    assert download.suggested_filename == (
        "race-ethnicity-culture-and-religion-thinking-tool-v2.pdf"
    )
    assert Path(download.path()).read_bytes() == PDF_V2  # the current version

    month = timezone.localdate().replace(day=1)
    assert list(
        ToolDownloadMonth.objects.values_list("tool_id", "month", "downloads")
    ) == [(library.pk, month, 1)]
