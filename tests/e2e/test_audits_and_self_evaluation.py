"""Browser journeys: an audit round and a self-evaluation round, end to end."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from arp import roles
from learning_spaces.self_evaluation import services as self_evaluation
from learning_spaces.self_evaluation.models import SelfEvaluation
from learning_spaces.self_evaluation.questions import QUESTIONS
from learning_spaces.self_evaluation.rounds import round_for
from programme.audits import services as audits
from programme.audits.models import Audit
from programme.models import IndicatorReading
from tests.conftest import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _record_audit(page, base, *, case, ethnicity, overall, month):
    page.goto(f"{base}/programme/audits/new/")
    page.get_by_label("Case reference").fill(case)
    page.get_by_label("Team or quadrant").fill("North quadrant")
    page.get_by_label("Month audited").fill(month)
    page.get_by_label("Child's ethnicity (DfE categories)").select_option(ethnicity)
    page.get_by_label("Child Protection").check()
    questions = page.locator("fieldset:has(legend:text('The standards')) .mb-3")
    for i in range(questions.count()):
        block = questions.nth(i)
        answer = overall if "Overall" in block.inner_text() else "Yes"
        block.get_by_label(answer, exact=True).check()
    page.get_by_label("Learning from this audit").fill("Ask about faith at home.")
    page.get_by_role("button", name="Save audit", exact=True).click()
    page.wait_for_load_state("networkidle")


def test_an_audit_round_end_to_end(
    page, live_server, login, steering_member, board_member, settings, tmp_path
):
    settings.DISCLOSURE_MIN_COUNT = 3
    start, end = audits.last_complete_quarter(timezone.localdate())
    month = f"{start:%Y-%m}"
    base = live_server.url

    # A steering member records three audits in the browser; one is a re-audit.
    login(page, steering_member)
    _record_audit(page, base, case="CS 1001", ethnicity="BAFR", overall="Yes",
                  month=month)  # fmt: skip
    assert page.get_by_text("saved").first.is_visible()
    _record_audit(page, base, case="CS1002", ethnicity="WBRI", overall="No",
                  month=month)  # fmt: skip
    _record_audit(page, base, case="cs1001", ethnicity="BAFR", overall="Yes",
                  month=f"{start.replace(month=start.month + 1):%Y-%m}")  # fmt: skip
    assert page.get_by_text("links to 1 earlier audit").is_visible()
    assert Audit.objects.count() == 3

    # ...and imports three more from the spreadsheet template, all or nothing.
    page.goto(f"{base}/programme/audits/import/")
    codes = [q.code for q in audits.audit_question_set_ensure().questions.all()]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["case_reference", "team", "month", "ethnicity", "stage",
                     *codes, "learning"])  # fmt: skip
    for n, overall in enumerate(["Yes", "Yes", "Partly"]):
        writer.writerow([f"CS20{n}", "South quadrant", month, "APKN", "CIN",
                         *(["Yes"] * (len(codes) - 1)), overall, ""])  # fmt: skip
    upload = tmp_path / "audits.csv"
    upload.write_text(buffer.getvalue(), encoding="utf-8")
    page.get_by_label("Completed template (.csv or .xlsx)").set_input_files(upload)
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Imported 3 audits.").is_visible()

    # The learning on an audit becomes a lesson in one step.
    page.get_by_role("link", name=Audit.objects.order_by("pk").first().short_reference
                     ).first.click()  # fmt: skip
    page.get_by_label("Title").first.fill("Faith at home")
    page.get_by_label("What could have gone better").check()
    page.get_by_role("button", name="Create lesson").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Faith at home").is_visible()

    # The quarterly feed writes aspiration 6: 4 of 6 met the overall standard.
    call_command("record_audit_indicator", "--quarter-end", end.isoformat())
    reading = IndicatorReading.objects.get(
        indicator__key=audits.AUDIT_INDICATOR_KEY, taken_on=end
    )
    assert reading.value == Decimal("66.7")

    # The board sees results with small groups suppressed, and the reading.
    page.context.clear_cookies()
    login(page, board_member)
    page.goto(f"{base}/programme/audits/")
    sentence = page.locator("#audit-sentence").inner_text()
    assert "Across 6 audits, 66.7% of assessments met the overall standard" in sentence
    table = page.locator("#table-group")
    # White (1 audit) and Black (2) are under 3, so both are suppressed; the
    # three Pakistani-heritage children's audits (Asian) are shown.
    headers = table.locator("thead th")
    assert "suppressed" in headers.filter(has_text="White").inner_text()
    assert "suppressed" in headers.filter(has_text="Black").inner_text()
    assert "3 audits" in headers.filter(has_text="Asian").inner_text()
    assert page.locator("#chart-audit-group .main-svg").first.is_visible()
    page.goto(f"{base}/programme/indicators/{reading.indicator.pk}/")
    assert page.get_by_role("cell", name="66.7").first.is_visible()
    # ...but never an audit record.
    assert page.goto(f"{base}/programme/audits/records/").status == 403
    audit = Audit.objects.first()
    assert page.goto(f"{base}/programme/audits/{audit.pk}/").status == 403


def test_a_self_evaluation_round_end_to_end(
    page, live_server, login, steering_member, board_member, django_user_model
):
    base = live_server.url
    today = timezone.localdate()
    this_round = round_for(today)
    others = [
        make_user(django_user_model, f"lead{i}", roles.STEERING_GROUP) for i in range(4)
    ]
    for i, leader in enumerate(others):
        answers = {
            q.code: self_evaluation.Answer(2 + i % 3 if q.rated else None, "Mine")
            for q in QUESTIONS
        }
        self_evaluation.self_evaluation_save(leader=leader, answers=answers)
    # The leader's own answers from the round before.
    self_evaluation.self_evaluation_save(
        leader=steering_member,
        answers={
            q.code: self_evaluation.Answer(2 if q.rated else None, "Last time")
            for q in QUESTIONS
        },
        today=this_round.previous().starts_on + timedelta(days=10),
    )

    login(page, steering_member)
    page.get_by_role("link", name="My self-evaluation").click()
    page.get_by_role("link", name="Answer this round's questions").click()
    for question in QUESTIONS:
        section = page.locator("section.card").filter(has_text=question.text)
        if question.rated:
            section.get_by_label("4", exact=True).check()
        section.locator("textarea").fill(f"Now: {question.code}")
    page.get_by_role("button", name="Save my self-evaluation").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Only you can read it.").is_visible()
    history = page.locator("#self-evaluation-history")
    assert history.get_by_text(this_round.previous().label).is_visible()
    assert history.get_by_text(this_round.label).is_visible()
    assert history.get_by_text("Now: care").is_visible()
    assert history.get_by_text("Last time").first.is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my answers (CSV)").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert "Now: care" in text and "Mine" not in text

    # The board sees no figures while the round is open, and never an answer.
    page.context.clear_cookies()
    login(page, board_member)
    page.goto(f"{base}/learning-spaces/self-evaluation/summary/")
    assert page.get_by_text("5 leaders answered so far").is_visible()
    assert "Now: care" not in page.content()

    # Six months pass: the round closes and its figures appear.
    earlier = SelfEvaluation.objects.filter(
        round_starts_on=this_round.previous().starts_on
    )
    earlier.update(round_starts_on=date(2000, 1, 1))
    SelfEvaluation.objects.filter(round_starts_on=this_round.starts_on).update(
        round_starts_on=this_round.previous().starts_on
    )
    page.reload()
    assert page.get_by_text("5 leaders answered.").is_visible()
    assert "Now: care" not in page.content() and "Mine" not in page.content()

    # The quarterly feed writes the aspiration 2 completion figure.
    result = self_evaluation.self_evaluation_indicators_record(
        quarter_end=this_round.previous().ends_on
    )
    # 5 answered of the 6 leaders (4 others, the steering member, the board member)
    assert result["completion"].value == Decimal("83.3")


def test_a_child_answers_proud_to_be_me_on_a_phone(browser, live_server):
    from learning_spaces.children.models import ChildFeedbackResponse
    from learning_spaces.models import LearningSession, Space

    space = Space.objects.create(name="Proud to be Me", audience="proud_to_be_me")
    starts = timezone.now() - timedelta(hours=1)
    session = LearningSession.objects.create(
        space=space, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    form = phone.new_page()
    form.goto(f"{live_server.url}{session.feedback_path()}")
    form.get_by_role("group", name="How much did I enjoy today?").get_by_label(
        "5 – loved it"
    ).check()
    for question in (
        "Do I feel proud of who I am?",
        "Do I feel safe to talk about my culture and where my family is from here?",
        "If something racist happens to me, do I know who to tell?",
    ):
        form.get_by_role("group", name=question).get_by_label("Yes").check()
    form.get_by_label("How would I describe my racial and cultural identity?").fill(
        "Mixed: my mum is Jamaican and my dad is Welsh."
    )
    form.get_by_role("button", name="Send").click()
    form.wait_for_load_state("networkidle")
    assert form.get_by_role("heading", name="Thank you for your feedback").is_visible()
    assert form.get_by_text("Childline").is_visible()
    phone.close()
    answer = ChildFeedbackResponse.objects.get()
    assert answer.my_identity.startswith("Mixed: my mum is Jamaican")
    assert (answer.enjoyed, answer.proud, answer.know_who_to_tell) == (5, 3, 3)
