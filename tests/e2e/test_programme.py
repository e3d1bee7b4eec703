"""The main programme journey in a real browser: log, publish, see on the board."""

import re

import pytest

from programme import services
from programme.models import Achievement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_achievement_from_steering_member_to_board(
    page, live_server, login, steering_member, programme_admin, board_member
):
    services.aspirations_ensure()  # transactional tests flush the seeded rows

    # A steering group member logs an achievement and submits it.
    login(page, steering_member)
    page.goto(f"{live_server.url}/programme/achievements/new/")
    page.get_by_label("Title").fill("Proud to be Me space opened")
    page.get_by_label("Summary").fill(
        "A space for ethnically diverse children in care to celebrate identity."
    )
    page.get_by_label("Date achieved").fill("2026-10-01")
    page.get_by_label("Local", exact=True).check()
    page.get_by_label(re.compile("Ethnicity, race and culture reflected")).check()
    page.get_by_role("button", name="Save and submit for publication").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Proud to be Me space opened").is_visible()
    assert page.get_by_text("Achievement submitted").is_visible()

    page.goto(f"{live_server.url}/programme/achievements/")
    assert page.get_by_role("link", name="Proud to be Me space opened").is_visible()
    achievement = Achievement.objects.get(title="Proud to be Me space opened")
    assert achievement.status == "submitted"
    assert achievement.created_by == steering_member

    # A Programme admin publishes it.
    page.context.clear_cookies()
    login(page, programme_admin)
    page.goto(f"{live_server.url}{achievement.get_absolute_url()}")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Published: the Board can now see").is_visible()
    achievement.refresh_from_db()
    assert achievement.status == "published"

    # A board member sees it in the snapshot and the board summary.
    page.context.clear_cookies()
    login(page, board_member)
    page.goto(f"{live_server.url}/programme/achievements/snapshot/")
    local = page.get_by_role("region", name=re.compile("^Local"))
    assert local.get_by_text("Proud to be Me space opened").is_visible()
    page.goto(f"{live_server.url}/programme/summary/")
    assert page.get_by_text("Proud to be Me space opened").is_visible()
