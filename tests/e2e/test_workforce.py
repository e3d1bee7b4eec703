"""The reporter's journey: a report without signing in, then the follow-up with
the passcode, a lead's shared message, and the reporter agreeing it is resolved."""

from datetime import date

import pytest

from workforce import services
from workforce.models import Report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_report_anonymously_then_follow_up_with_the_passcode(
    browser, live_server, support_lead
):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/workforce/report/")
    page.get_by_label("I experienced it").check()
    page.get_by_label("A child or family").check()
    page.get_by_label("When did it happen?").fill("2026-10")
    page.get_by_label("What happened").fill(
        "A father said he would not speak to a Black social worker."
    )
    page.get_by_label("What would put it right for you").fill(
        "My manager to reallocate the visit and speak to the family."
    )
    page.get_by_role("button", name="Send report").click()
    page.wait_for_load_state("networkidle")
    reference = page.locator("#reference").inner_text().strip()
    passcode = page.locator("#passcode").inner_text().strip()
    report = Report.objects.get()
    assert report.reference == reference and report.reporter is None

    # A lead acknowledges and proposes a resolution (service calls).
    services.report_acknowledge(
        report=report, user=support_lead, message="Thank you. I will call you.",
        next_step="Speak to the team manager", next_step_due=report.acknowledge_by,
    )  # fmt: skip
    services.report_propose_resolution(
        report=report, user=support_lead, summary="The visit was reallocated."
    )

    # Later, on another device: reference and passcode in.
    context.clear_cookies()
    page.goto(f"{live_server.url}/workforce/report/follow-up/")
    page.get_by_label("Reference").fill(reference)
    page.get_by_label("Passcode").fill(passcode)
    page.get_by_role("button", name="See my report").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#report-reference").inner_text() == reference
    assert page.get_by_text("Thank you. I will call you.").is_visible()
    page.get_by_label("Your reply").fill("Thank you, that helped.")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Thank you, that helped.").is_visible()
    page.get_by_label("Yes, it is resolved").check()
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#report-outcome").inner_text() == (
        "Resolved and agreed by the reporter"
    )
    report.refresh_from_db()
    assert report.outcome == Report.Outcome.RESOLVED_AGREED
    context.close()


def test_wrong_passcode_shows_nothing(browser, live_server, support_lead):
    new = services.report_submit(
        answers={
            "involvement": "witnessed", "source": "colleague", "location": "",
            "occurred_month": date(2026, 5, 1),
            "what_happened": "SECRET ACCOUNT", "impact": "",
            "resolution_sought": "x", "wants_contact": False, "contact_details": "",
        }
    )  # fmt: skip
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/workforce/report/follow-up/")
    page.get_by_label("Reference").fill(new.report.reference)
    page.get_by_label("Passcode").fill("AAAA-BBBB-CCCC-DDDD")
    page.get_by_role("button", name="See my report").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").get_by_text("do not match").is_visible()
    assert "SECRET ACCOUNT" not in page.content()
