"""Making a report without signing in, and following it up with the passcode."""

import re
from datetime import date

import pytest
from django.contrib.auth.hashers import check_password
from django.core.cache import cache

from learning_spaces import protection
from workforce.models import Report, ReportEntry
from workforce.views.public import REPORT_SCOPE

from .conftest import ANSWERS

FORM = {
    "involvement": "experienced",
    "source": "colleague",
    "location": "",
    "occurred_month": "2026-10",
    "what_happened": "Jokes about my name in the team meeting, every week.",
    "impact": "",
    "resolution_sought": "For it to stop and my manager to address it.",
    "wants_contact": "no",
    "contact_details": "",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _post(client, **extra):
    token = protection.issue_form_token(REPORT_SCOPE)
    data = {**FORM, "form_token": token, **extra}
    return client.post(
        "/workforce/report/",
        data,
        HTTP_USER_AGENT="Mozilla/5.0 (Secret Browser 99.1)",
        REMOTE_ADDR="203.0.113.77",
    ), token


def _shown(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]+)<', html)
    assert match, f"no #{element_id}"
    return match.group(1).strip()


@pytest.mark.django_db
def test_anonymous_report_shows_reference_and_passcode_once(client):
    response, _token = _post(client)
    assert response.status_code == 200
    html = response.content.decode()
    reference, passcode = _shown(html, "reference"), _shown(html, "passcode")
    report = Report.objects.get()
    assert report.reference == reference
    assert report.reporter is None
    assert passcode.replace("-", "") not in report.passcode_hash
    assert check_password(passcode.replace("-", ""), report.passcode_hash)
    assert "no-store" in response["Cache-Control"]
    assert report.entries.get().kind == ReportEntry.Kind.RECEIVED


@pytest.mark.django_db
def test_no_column_of_an_anonymous_report_holds_ip_agent_or_time(client):
    _post(client)
    report = Report.objects.get()
    secrets_sent = ("203.0.113.77", "Secret Browser", "Mozilla")
    for model, obj in [(Report, report), (ReportEntry, report.entries.get())]:
        for field in model._meta.concrete_fields:
            value = getattr(obj, field.attname)
            # no time of day anywhere: dates only
            assert field.get_internal_type() != "DateTimeField", field.name
            assert field.get_internal_type() != "TimeField", field.name
            if isinstance(value, str):
                for secret in secrets_sent:
                    assert secret not in value, field.name
    assert report.received_on == date.today()


@pytest.mark.django_db
def test_resubmitting_the_same_form_stores_one_report(client):
    token = protection.issue_form_token(REPORT_SCOPE)
    first = client.post("/workforce/report/", {**FORM, "form_token": token})
    second = client.post("/workforce/report/", {**FORM, "form_token": token})
    assert first.status_code == 200 and second.status_code == 200
    assert "already sent" in second.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_forged_form_token_stores_nothing(client):
    response = client.post(
        "/workforce/report/", {**FORM, "form_token": "not-signed-by-us"}
    )
    assert response.status_code == 400
    assert "timed out" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_honeypot_pretends_success_and_stores_nothing(client):
    response, _ = _post(client, website="http://spam.example")
    assert response.status_code == 200
    assert 'id="passcode"' not in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_rate_limit_lives_only_in_the_cache(client, settings):
    settings.LEARNING_SPACES_FEEDBACK_RATE_LIMIT = 2
    for _ in range(2):
        assert _post(client)[0].status_code == 200
    response, _ = _post(client)
    assert response.status_code == 429
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_bad_input_lists_problems_and_stores_nothing(client):
    response, _ = _post(
        client, what_happened="", occurred_month="2999-01", source="aliens"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The month cannot be in the future" in html
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_signed_in_staff_may_put_their_name_to_a_report(client, practitioner):
    client.force_login(practitioner)
    _post(client, named="on")
    assert Report.objects.get().reporter == practitioner


@pytest.mark.django_db
def test_signed_in_staff_are_anonymous_unless_they_choose(client, practitioner):
    client.force_login(practitioner)
    _post(client)
    assert Report.objects.get().reporter is None


# --- follow-up ------------------------------------------------------------------


def _follow_up(client, reference, passcode):
    return client.post(
        "/workforce/report/follow-up/",
        {"reference": reference, "passcode": passcode},
    )


@pytest.mark.django_db
def test_reporter_sees_only_their_own_report_with_the_right_passcode(
    client, make_report
):
    mine = make_report(answers={"what_happened": "MINE: remarks at the front door"})
    other = make_report(answers={"what_happened": "OTHER: someone else's account"})
    wrong = _follow_up(client, mine.report.reference, other.passcode)
    assert wrong.status_code == 400
    assert "do not match" in wrong.content.decode()
    assert "MINE" not in client.get("/workforce/report/follow-up/").content.decode()

    right = _follow_up(client, mine.report.reference.lower(), mine.passcode.lower())
    assert right.status_code == 302
    page = client.get("/workforce/report/follow-up/").content.decode()
    assert "MINE: remarks" in page
    assert "OTHER" not in page


@pytest.mark.django_db
def test_reporter_sees_shared_notes_but_not_internal_ones(
    client, make_report, support_lead
):
    from workforce import services

    new = make_report()
    services.report_add_note(
        report=new.report, user=support_lead, text="INTERNAL: check HR file",
        shared=False,
    )  # fmt: skip
    services.report_add_note(
        report=new.report, user=support_lead, text="SHARED: I will call you",
        shared=True,
    )  # fmt: skip
    _follow_up(client, new.report.reference, new.passcode)
    page = client.get("/workforce/report/follow-up/").content.decode()
    assert "SHARED: I will call you" in page
    assert "INTERNAL" not in page
    assert support_lead.username not in page


@pytest.mark.django_db
def test_reporter_replies_and_the_lead_sees_it(client, make_report, mailoutbox):
    new = make_report()
    _follow_up(client, new.report.reference, new.passcode)
    response = client.post(
        "/workforce/report/follow-up/reply/", {"text": "It happened again today."}
    )
    assert response.status_code == 302
    entry = new.report.entries.get(kind=ReportEntry.Kind.REPLY)
    assert entry.text == "It happened again today." and entry.author is None


@pytest.mark.django_db
def test_reply_without_passcode_session_is_refused(client, report):
    response = client.post("/workforce/report/follow-up/reply/", {"text": "x"})
    assert response.status_code == 302
    assert not report.entries.filter(kind=ReportEntry.Kind.REPLY).exists()


@pytest.mark.django_db
def test_leaving_ends_access(client, make_report):
    new = make_report()
    _follow_up(client, new.report.reference, new.passcode)
    client.post("/workforce/report/follow-up/leave/")
    page = client.get("/workforce/report/follow-up/").content.decode()
    assert ANSWERS["what_happened"] not in page
    assert 'name="passcode"' in page


@pytest.mark.django_db
def test_follow_up_guessing_is_rate_limited(client, settings, report):
    settings.LEARNING_SPACES_FEEDBACK_RATE_LIMIT = 3
    codes = [
        _follow_up(client, report.reference, "WRONG").status_code for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]
