import io

import pytest

from disproportionality.seed import seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_board_member_changes_stage_and_sees_charts_and_tables_change(
    page, live_server, login, board_member
):
    seed_demo(stdout=io.StringIO())
    login(page, board_member)
    page.goto(f"{live_server.url}/disproportionality/")
    assert page.get_by_text("Demonstration data.").is_visible()
    # plotly drew the charts from the local script
    page.wait_for_selector("#chart-rri .main-svg")
    page.wait_for_selector("#chart-trend .main-svg")
    heading = page.locator("#h-trend")
    assert "(CLA)" in heading.inner_text()
    table_before = page.get_by_test_id("table-trend").inner_text()
    sentence_before = page.get_by_test_id("sentence-trend").inner_text()

    page.get_by_role("radio", name="CP", exact=True).check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")

    assert "stage=CP" in page.url
    assert "(CP)" in page.locator("#h-trend").inner_text()
    page.wait_for_selector("#chart-trend .main-svg")
    assert page.get_by_test_id("table-trend").inner_text() != table_before
    assert page.get_by_test_id("sentence-trend").inner_text() != sentence_before
    points = page.locator("#chart-trend .scatterlayer .point").count()
    assert points > 0
