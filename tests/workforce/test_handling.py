"""Handling a report: deadlines in working days, notes, escalation, outcomes,
the reporter's agreement, reminders, retention, and the programme indicator."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from programme.models import IndicatorReading
from workforce import selectors, services
from workforce.models import Report, ReportEntry
from workforce.working_days import add_working_days

Status, Outcome = Report.Status, Report.Outcome


def test_working_days_skip_weekends_and_england_bank_holidays():
    # Fri 19 Dec 2025 + 5 working days: Mon 22, Tue 23, Wed 24, (25, 26 bank
    # holidays, 27-28 weekend), Mon 29, Tue 30
    assert add_working_days(date(2025, 12, 19), 5) == date(2025, 12, 30)
    # Thu 17 Apr 2025: Good Friday 18th and Easter Monday 21st are off
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)


@pytest.mark.django_db
def test_acknowledge_deadline_uses_the_setting(make_report, settings):
    settings.WORKFORCE_ACKNOWLEDGE_WORKING_DAYS = 2
    report = make_report(today=date(2025, 12, 19)).report
    assert report.acknowledge_by == date(2025, 12, 23)


@pytest.mark.django_db
def test_lead_acknowledges_through_the_page(client_for, report, support_lead):
    response = client_for("Staff support leads").post(
        f"/workforce/reports/{report.pk}/acknowledge/",
        {"message": "Thank you for telling us.", "next_step": "Meet you",
         "next_step_due": (date.today() + timedelta(days=3)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    assert report.acknowledged_on == date.today()
    assert report.assigned_to == support_lead
    entry = report.entries.get(kind=ReportEntry.Kind.ACKNOWLEDGED)
    assert entry.shared and entry.text == "Thank you for telling us."


@pytest.mark.django_db
def test_bad_acknowledge_is_a_400_and_changes_nothing(client_for, report):
    response = client_for("Staff support leads").post(
        f"/workforce/reports/{report.pk}/acknowledge/",
        {"message": "", "next_step": "x", "next_step_due": "2001-01-01"},
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Status.NEW


@pytest.mark.django_db
def test_escalation_follows_the_configured_path(report, support_lead, settings):
    settings.WORKFORCE_ESCALATION_PATH = ["Head of service", "Police (hate crime)"]
    with pytest.raises(services.ReportError):
        services.report_escalate(
            report=report, user=support_lead, step="HR grievance", reason="r"
        )
    services.report_escalate(
        report=report, user=support_lead, step="Police (hate crime)",
        reason="Threats of violence on a visit.",
    )  # fmt: skip
    report.refresh_from_db()
    assert report.status == Status.ESCALATED
    assert report.escalated_to == "Police (hate crime)"
    entry = report.entries.get(kind=ReportEntry.Kind.ESCALATED)
    assert "Threats of violence" in entry.text and not entry.shared


@pytest.mark.django_db
def test_lead_cannot_record_agreement_for_the_reporter(report, support_lead):
    with pytest.raises(services.ReportError):
        services.report_close(
            report=report, user=support_lead, outcome=Outcome.RESOLVED_AGREED,
            summary="x",
        )  # fmt: skip
    report.refresh_from_db()
    assert report.is_open


@pytest.mark.django_db
def test_reporter_agreement_closes_as_resolved_and_agreed(
    client, make_report, support_lead
):
    new = make_report()
    services.report_propose_resolution(
        report=new.report, user=support_lead, summary="Case reallocated."
    )
    client.post(
        "/workforce/report/follow-up/",
        {"reference": new.report.reference, "passcode": new.passcode},
    )
    response = client.post("/workforce/report/follow-up/respond/", {"agrees": "yes"})
    assert response.status_code == 302
    report = Report.objects.get(pk=new.report.pk)
    assert report.status == Status.CLOSED
    assert report.outcome == Outcome.RESOLVED_AGREED
    assert report.reporter_agreement == Report.Agreement.AGREED
    assert report.closed_on == date.today()


@pytest.mark.django_db
def test_reporter_disagreeing_keeps_it_open_with_a_next_step(make_report, support_lead):
    new = make_report()
    services.report_propose_resolution(
        report=new.report, user=support_lead, summary="Spoke to the family."
    )
    services.report_reporter_respond(
        report=new.report, agrees=False, comment="They did it again."
    )
    report = Report.objects.get(pk=new.report.pk)
    assert report.is_open and report.status == Status.ACKNOWLEDGED
    assert report.reporter_agreement == Report.Agreement.DISAGREED
    assert report.next_step_due is not None
    # now the lead may close it as resolved but not agreed
    services.report_close(
        report=report, user=support_lead, outcome=Outcome.RESOLVED_NOT_AGREED,
        summary="We have done what we can.",
    )  # fmt: skip
    report.refresh_from_db()
    assert report.outcome == Outcome.RESOLVED_NOT_AGREED


def _resolve(make_report, lead, agree: bool, today=None):
    new = make_report()
    services.report_propose_resolution(report=new.report, user=lead, summary="Done.")
    if agree:
        services.report_reporter_respond(report=new.report, agrees=True, today=today)
    else:
        services.report_close(
            report=new.report, user=lead, outcome=Outcome.RESOLVED_NOT_AGREED,
            summary="Closed.", today=today,
        )  # fmt: skip
    return new.report


@pytest.mark.django_db(transaction=True)
def test_indicator_updates_after_a_report_is_resolved(make_report, support_lead):
    key = services.RESOLUTION_INDICATOR_KEY
    for agree in (True, True, True, True):
        _resolve(make_report, support_lead, agree)
    # 4 closed: too few to report
    assert not IndicatorReading.objects.filter(indicator__key=key).exists()
    _resolve(make_report, support_lead, True)  # the fifth: 5 of 5 agreed
    reading = IndicatorReading.objects.get(indicator__key=key)
    assert reading.value == 100
    assert reading.indicator.aspiration.number == 4
    for _ in range(5):  # 5 of 10: neither part is a small count
        _resolve(make_report, support_lead, False)
    reading.refresh_from_db()
    assert float(reading.value) == pytest.approx(50.0)


@pytest.mark.django_db
def test_withdrawn_reports_are_left_out_of_the_agreed_share(make_report, support_lead):
    for _ in range(5):
        _resolve(make_report, support_lead, True)
    withdrawn = make_report().report
    services.report_close(
        report=withdrawn, user=support_lead, outcome=Outcome.WITHDRAWN, summary="."
    )
    today = date.today()
    assert selectors.agreed_resolution_counts(
        start=today - timedelta(days=1), end=today
    ) == (5, 5)


@pytest.mark.django_db
def test_reminders_go_to_the_assigned_lead_for_overdue_steps(
    make_report, support_lead, mailoutbox, django_user_model
):
    overdue = make_report(today=date(2026, 1, 5)).report  # ack by 12 Jan
    on_time = make_report(today=date(2026, 1, 14)).report  # ack by 21 Jan
    acked = make_report(today=date(2026, 1, 5)).report
    services.report_acknowledge(
        report=acked, user=support_lead, message="Thanks", next_step="Call back",
        next_step_due=date(2026, 1, 10), today=date(2026, 1, 6),
    )  # fmt: skip
    mailoutbox.clear()
    sent = services.report_reminders_send(today=date(2026, 1, 15))
    assert sent == 2
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == sorted(
        [f"Overdue: staff report {overdue.reference}",
         f"Overdue: staff report {acked.reference}"]
    )  # fmt: skip
    assert all(on_time.reference not in m.subject for m in mailoutbox)
    assert all(m.to == [support_lead.email] for m in mailoutbox)
    # the email never carries what happened
    assert all(overdue.what_happened not in m.body for m in mailoutbox)


@pytest.mark.django_db
def test_reminder_command(make_report, support_lead, mailoutbox):
    make_report(today=date(2020, 1, 6))
    mailoutbox.clear()
    call_command("send_report_reminders")
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_retention_purges_free_text_of_closed_reports_only(
    make_report, support_lead, settings
):
    settings.WORKFORCE_REPORT_RETENTION_DAYS = 30
    old = make_report().report
    services.report_add_note(
        report=old, user=support_lead, text="Internal detail", shared=False
    )
    services.report_close(
        report=old, user=support_lead, outcome=Outcome.REFERRED, summary="To HR.",
        today=date.today() - timedelta(days=31),
    )  # fmt: skip
    recent = make_report().report
    services.report_close(
        report=recent, user=support_lead, outcome=Outcome.REFERRED, summary="x"
    )
    still_open = make_report().report
    call_command("purge_closed_reports")
    old.refresh_from_db()
    assert (old.what_happened, old.impact, old.resolution_sought) == ("", "", "")
    assert old.purged_on == date.today()
    assert old.source == "child_family" and old.outcome == Outcome.REFERRED
    assert set(old.entries.values_list("text", flat=True)) == {""}
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.what_happened and still_open.what_happened
    # the passcode no longer opens a purged report
    assert old.passcode_hash == "!"


@pytest.mark.django_db
def test_board_summary_hides_small_counts(make_report, support_lead):
    for source in ["colleague"] * 6 + ["manager"] * 2:
        make_report(answers={"source": source}, today=date(2026, 7, 10))
    (quarter,) = selectors.quarterly_summary()
    assert quarter.quarter == "2026 Q3"
    assert quarter.by_source["manager"] is None  # 2 is below 5
    # colleague (6) goes too, or manager = 8 − 6 could be worked out
    assert quarter.by_source["colleague"] is None
    assert quarter.received == 8
    assert quarter.by_source["partner"] == 0
    assert quarter.median_days_to_acknowledge is None  # nobody acknowledged yet


@pytest.mark.django_db(transaction=True)
def test_named_reporter_hears_of_shared_notes_only(
    make_report, support_lead, practitioner, mailoutbox
):
    report = make_report(reporter=practitioner).report
    mailoutbox.clear()
    services.report_add_note(
        report=report, user=support_lead, text="Internal only", shared=False
    )
    assert not mailoutbox
    services.report_add_note(
        report=report, user=support_lead, text="SHARED NEWS", shared=True
    )
    (mail,) = mailoutbox
    assert mail.to == [practitioner.email]
    assert report.reference in mail.subject
    assert (
        "SHARED NEWS" not in mail.body and "/workforce/report/follow-up/" in mail.body
    )


@pytest.mark.django_db
def test_reports_list_query_count_is_fixed(
    client_for, make_report, support_lead, django_assert_num_queries
):
    for _ in range(3):
        services.report_assign(report=make_report().report, user=support_lead,
                               lead=support_lead)  # fmt: skip
    client = client_for("Staff support leads")
    client.get("/workforce/reports/")
    with django_assert_num_queries(3):  # session and user, groups, reports
        response = client.get("/workforce/reports/?status=")
    assert response.status_code == 200
    assert response.content.decode().count("/workforce/reports/") >= 3


@pytest.mark.django_db
def test_agreed_share_never_gives_away_a_hidden_withdrawn_count(
    make_report, support_lead
):
    day = date(2026, 2, 10)
    for _ in range(5):
        _resolve(make_report, support_lead, True, today=day)
    withdrawn = make_report().report
    services.report_close(
        report=withdrawn, user=support_lead, outcome=Outcome.WITHDRAWN,
        summary=".", today=day,
    )  # fmt: skip
    (quarter,) = [q for q in selectors.quarterly_summary() if q.quarter == "2026 Q1"]
    assert quarter.by_outcome["withdrawn"] is None  # 1 is hidden
    # 100% of 5 and 6 closed would reveal the 1 withdrawn report
    assert quarter.agreed_percent is None
