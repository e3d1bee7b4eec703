"""The main journey: anonymous feedback in, seen in insights, exported."""

import csv
import io
import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from learning_spaces.models import FeedbackResponse, LearningSession, Space
from learning_spaces.services import themes_seed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_session(transactional_db):
    themes_seed()
    space = Space.objects.create(
        name="Anti-racist practice: practitioners", audience="practitioners"
    )
    starts = timezone.now() - timedelta(hours=1)
    session = LearningSession.objects.create(
        space=space, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    # Two colleagues answered already: with fewer than three responses a
    # session's answers are never listed one by one.
    for _ in range(2):
        FeedbackResponse.objects.create(
            session=session, rating=3, confidence_before=3, confidence_now=3,
            gained_most="Time to reflect.", form_token=uuid.uuid4(),
        )  # fmt: skip
    return session


def test_feedback_to_insights_to_export(
    browser, page, live_server, login, steering_member, open_session
):
    # A practitioner opens the public link in a fresh browser: no login.
    anonymous = browser.new_context()
    form = anonymous.new_page()
    form.goto(f"{live_server.url}{open_session.feedback_path()}")
    form.get_by_role(
        "group", name="Overall, how would you rate the session?"
    ).get_by_label("5 – excellent").check()
    form.get_by_label("What did you gain most from the workshop?").fill(
        "Better understanding and awareness around white privilege."
    )
    form.get_by_role("group", name="Before the session").get_by_label(
        "2", exact=True
    ).check()
    form.get_by_role("group", name="Now").get_by_label("4", exact=True).check()
    form.get_by_role(
        "group", name="May we quote your answers anonymously?"
    ).get_by_label("Yes").check()
    form.get_by_role("button", name="Send feedback").click()
    form.wait_for_load_state("networkidle")
    assert form.get_by_role("heading", name="Thank you for your feedback").is_visible()
    assert "/thanks/" in form.url
    anonymous.close()
    assert FeedbackResponse.objects.count() == 3

    # A steering group member sees it in insights with a suggested theme.
    login(page, steering_member)
    page.goto(f"{live_server.url}/learning-spaces/insights/")
    answer = page.get_by_role("article").filter(
        has_text="awareness around white privilege"
    )
    assert answer.is_visible()
    assert answer.get_by_text("White privilege", exact=True).is_visible()
    assert answer.get_by_text("(suggested)").is_visible()

    # ...and exports it.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export responses (CSV)").click()
    download = download_info.value
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    (mine,) = [r for r in rows if r["Rating (1–5)"] == "5"]
    assert mine["Themes"] == "White privilege"


def test_quote_is_reviewed_before_the_board_reads_it(
    browser, page, live_server, login, steering_member, board_member, open_session
):
    FeedbackResponse.objects.create(
        session=open_session, rating=5, confidence_before=2, confidence_now=4,
        gained_most="Jane Smith helped me with the Okoro family case.",
        consent_to_quote=True, form_token=uuid.uuid4(),
    )  # fmt: skip
    login(page, steering_member)
    page.goto(f"{live_server.url}/learning-spaces/review/")
    page.get_by_role("link", name=re.compile(r"^review [A-Z0-9]{8}$")).click()
    text = page.get_by_role("textbox", name="Redacted quote")
    assert "[name] helped me with the [name] family case." in text.input_value()
    page.get_by_label("Approve the redacted quote").check()
    page.get_by_role("button", name="Save review").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Review saved.").is_visible()

    board = browser.new_context().new_page()
    login(board, board_member)
    board.goto(f"{live_server.url}/learning-spaces/insights/")
    content = board.content()
    assert "[name] helped me with the [name] family case." in content
    assert "Jane Smith" not in content and "Okoro" not in content
