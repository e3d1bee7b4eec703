"""Managing sessions, emails to facilitators, calendar files, QR codes, seed."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from learning_spaces import services, tasks
from learning_spaces.models import FeedbackResponse, LearningSession, Space

from .conftest import make_response, make_session

pytestmark = pytest.mark.django_db


def test_mark_held_records_attendance_and_emails_link_with_qr_once(
    client_for, open_session, django_capture_on_commit_callbacks
):
    client = client_for("Steering group")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            f"/learning-spaces/sessions/{open_session.pk}/held/", {"attendance": 17}
        )
    assert page.status_code == 302
    open_session.refresh_from_db()
    assert open_session.status == LearningSession.Status.HELD
    assert open_session.attendance == 17
    assert open_session.feedback_link_sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.org"]
    assert open_session.feedback_url() in message.body
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "image/png" and content.startswith(b"\x89PNG")

    # Correcting the attendance later does not email again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/learning-spaces/sessions/{open_session.pk}/held/", {"attendance": 18}
        )
    open_session.refresh_from_db()
    assert open_session.attendance == 18
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("attendance", ["-1", "lots", ""])
def test_mark_held_rejects_bad_attendance(client_for, open_session, attendance):
    page = client_for("Steering group").post(
        f"/learning-spaces/sessions/{open_session.pk}/held/",
        {"attendance": attendance},
        follow=True,
    )
    assert page.status_code == 200
    open_session.refresh_from_db()
    assert open_session.status == LearningSession.Status.PLANNED
    assert open_session.attendance is None


def test_cannot_mark_a_future_session_held(client_for, upcoming_session):
    page = client_for("Steering group").post(
        f"/learning-spaces/sessions/{upcoming_session.pk}/held/",
        {"attendance": 5},
        follow=True,
    )
    assert b"before it starts" in page.content
    upcoming_session.refresh_from_db()
    assert upcoming_session.status == LearningSession.Status.PLANNED


def test_cancel_closes_the_form(client_for, client, open_session):
    client_for("Programme admins").post(
        f"/learning-spaces/sessions/{open_session.pk}/cancel/"
    )
    open_session.refresh_from_db()
    assert open_session.status == LearningSession.Status.CANCELLED
    client.logout()
    assert client.get(open_session.feedback_path()).status_code == 410


def test_held_session_cannot_be_cancelled(client_for, closed_session):
    client_for("Programme admins").post(
        f"/learning-spaces/sessions/{closed_session.pk}/cancel/"
    )
    closed_session.refresh_from_db()
    assert closed_session.status == LearningSession.Status.HELD


def test_reminders_go_two_days_ahead_and_only_once(space, upcoming_session):
    soon = make_session(space, starts_in=timedelta(days=1, hours=20), topic="Power")
    cancelled = make_session(
        space, starts_in=timedelta(days=1), status=LearningSession.Status.CANCELLED
    )
    assert tasks.send_session_reminders.delay().get() == 1
    assert len(mail.outbox) == 1
    assert "Reminder" in mail.outbox[0].subject
    assert soon.feedback_url() in mail.outbox[0].body
    assert tasks.send_session_reminders.delay().get() == 0
    assert len(mail.outbox) == 1
    soon.refresh_from_db()
    upcoming_session.refresh_from_db()
    cancelled.refresh_from_db()
    assert soon.reminder_sent_at is not None
    assert upcoming_session.reminder_sent_at is None  # ten days away
    assert cancelled.reminder_sent_at is None


def test_session_create_and_edit(client_for, space):
    client = client_for("Steering group")
    data = {
        "space": space.pk,
        "starts_at": "2027-01-12T10:00",
        "ends_at": "2027-01-12T12:00",
        "topic": "Power",
        "venue": "Hall",
        "online_link": "",
        "capacity": "20",
        "feedback_closes_after_days": "14",
    }
    page = client.post("/learning-spaces/sessions/new/", data)
    assert page.status_code == 302
    session = LearningSession.objects.get()
    assert timezone.localtime(session.starts_at).hour == 10
    bad = client.post(
        f"/learning-spaces/sessions/{session.pk}/edit/",
        {**data, "ends_at": "2027-01-12T09:00"},
    )
    assert bad.status_code == 200
    assert b"The session must end after it starts" in bad.content
    session.refresh_from_db()
    assert timezone.localtime(session.ends_at).hour == 12


def test_space_create(client_for, steering_member):
    page = client_for("Programme admins").post(
        "/learning-spaces/spaces/new/",
        {
            "name": "White leaders' reflective space",
            "audience": "white_leaders",
            "cadence_weeks": "6",
            "facilitators": [steering_member.pk],
            "default_start_time": "09:30",
            "default_duration_minutes": "90",
            "active": "on",
        },
    )
    assert page.status_code == 302
    space = Space.objects.get()
    assert list(space.facilitators.all()) == [steering_member]


def test_calendar_file(client_for, upcoming_session):
    page = client_for("Practitioners").get(
        f"/learning-spaces/sessions/{upcoming_session.pk}/session.ics"
    )
    assert page["Content-Type"] == "text/calendar"
    event = Calendar.from_ical(page.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == upcoming_session.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") == upcoming_session.ends_at.replace(microsecond=0)
    assert upcoming_session.space.name in str(event["summary"])


def test_session_page_shows_link_and_qr(client_for, open_session):
    page = client_for("Steering group").get(
        f"/learning-spaces/sessions/{open_session.pk}/"
    )
    html = page.content.decode()
    assert open_session.feedback_url() in html
    assert "<svg" in html
    png = client_for("Steering group").get(
        f"/learning-spaces/sessions/{open_session.pk}/qr.png"
    )
    assert png.content.startswith(b"\x89PNG")


def test_practitioners_see_upcoming_only(client_for, upcoming_session, closed_session):
    page = client_for("Practitioners").get("/learning-spaces/")
    assert list(page.context["upcoming"]) == [upcoming_session]
    assert "past_page" not in page.context
    assert (
        f'/learning-spaces/sessions/{upcoming_session.pk}/"'
        not in page.content.decode()
    )


def _session_on(space, day: date, **extra):
    """A session starting at 10:00 local time on ``day``."""
    starts = timezone.make_aware(datetime.combine(day, time(10)))
    return LearningSession.objects.create(
        space=space, starts_at=starts, ends_at=starts + timedelta(hours=2), **extra
    )


def test_confidence_indicator_reading(space):
    from programme.models import Indicator, IndicatorReading

    session = _session_on(space, date(2026, 8, 3))
    pairs = [(2, 4), (3, 3), (1, 2), (4, 3)]  # 2 of 4 more confident
    for before, now in pairs:
        make_response(
            session,
            confidence_before=before,
            confidence_now=now,
            submitted_on=date(2026, 8, 10),
        )
    # A late answer to the same session still belongs to its quarter (Q3).
    make_response(
        session, confidence_before=1, confidence_now=5, submitted_on=date(2026, 10, 2)
    )
    # Too small to count: the lone respondent is left out entirely.
    lone = _session_on(space, date(2026, 9, 14))
    make_response(lone, confidence_before=5, confidence_now=1)
    # Next quarter's session does not count either.
    make_response(_session_on(space, date(2026, 10, 5)), confidence_before=1)
    reading = services.confidence_indicator_record(today=date(2026, 11, 22))
    assert reading.taken_on == date(2026, 9, 30)
    assert float(reading.value) == 60.0  # 3 of the 5 answers to ``session``
    assert reading.note.startswith("3 of 5 respondents")
    assert "1 session with fewer than 3 responses left out" in reading.note
    indicator = Indicator.objects.get(key=services.CONFIDENCE_INDICATOR_KEY)
    assert indicator.aspiration.number == 3
    assert indicator.unit == "percent"
    # Running again updates rather than duplicates.
    services.confidence_indicator_record(today=date(2026, 11, 22))
    assert IndicatorReading.objects.filter(indicator=indicator).count() == 1


def test_confidence_indicator_matches_the_insights_quarter(client_for, space):
    """The reading is the insights page's figure for the same quarter."""
    for day, pairs in (
        (date(2026, 7, 6), [(1, 2), (2, 2), (3, 4)]),
        (date(2026, 8, 17), [(2, 3), (4, 3), (3, 3), (2, 5)]),
        (date(2026, 9, 28), [(5, 1), (1, 5)]),  # two: left out
    ):
        session = _session_on(space, day, status=LearningSession.Status.HELD)
        for before, now in pairs:
            make_response(session, confidence_before=before, confidence_now=now)
    reading = services.confidence_indicator_record(quarter_end=date(2026, 9, 30))
    assert float(reading.value) == round(100 * 4 / 7, 1)
    page = client_for("Board").get("/learning-spaces/insights/")
    (quarter,) = page.context["quarters"]
    assert quarter.label == "2026 Q3"
    assert quarter.responses == 9
    assert quarter.pct_more_confident == float(reading.value)


def test_confidence_indicator_skips_tiny_quarters_and_command_runs(space):
    from programme.models import IndicatorReading

    out = StringIO()
    # Four answers in the quarter, but from two sessions of two: nothing to report.
    for day in (date(2026, 4, 13), date(2026, 5, 25)):
        session = _session_on(space, day)
        for _ in range(2):
            make_response(session, submitted_on=day)
    call_command(
        "record_confidence_indicator", "--quarter-end", "2026-06-30", stdout=out
    )
    assert "nothing recorded" in out.getvalue()
    assert IndicatorReading.objects.count() == 0
    session = _session_on(space, date(2026, 6, 8))
    for _ in range(3):
        make_response(session, submitted_on=date(2026, 6, 9), confidence_before=1)
    call_command(
        "record_confidence_indicator", "--quarter-end", "2026-06-30", stdout=out
    )
    assert float(IndicatorReading.objects.get().value) == 100.0


def test_confidence_indicator_task(space):
    from learning_spaces.services import last_complete_quarter
    from programme.models import IndicatorReading

    start, end = last_complete_quarter(timezone.localdate())
    session = _session_on(space, start)
    for _ in range(3):
        make_response(session, submitted_on=start)
    assert tasks.record_confidence_indicator.delay().get() is not None
    assert IndicatorReading.objects.get().taken_on == end


def test_seed_demo_is_idempotent_and_has_an_open_form(settings):
    from learning_spaces.seed import seed_demo

    seed_demo(stdout=StringIO())
    counts = (
        Space.objects.count(),
        LearningSession.objects.count(),
        FeedbackResponse.objects.count(),
    )
    seed_demo(stdout=StringIO())
    assert counts == (
        Space.objects.count(),
        LearningSession.objects.count(),
        FeedbackResponse.objects.count(),
    )
    assert counts[0] == 5
    assert counts[2] >= 200
    assert any(s.feedback_state() == "open" for s in LearningSession.objects.all())
    upcoming = LearningSession.objects.upcoming()
    assert upcoming.count() >= 15
    assert FeedbackResponse.objects.filter(consent_to_quote=True).exists()
    assert FeedbackResponse.objects.filter(themes__isnull=False).exists()


def test_seed_demo_feeds_the_confidence_indicator_for_past_quarters():
    from learning_spaces.seed import seed_demo
    from learning_spaces.services import CONFIDENCE_INDICATOR_KEY
    from programme.models import IndicatorReading

    seed_demo(stdout=StringIO())
    readings = IndicatorReading.objects.filter(
        indicator__key=CONFIDENCE_INDICATOR_KEY
    ).order_by("taken_on")

    assert readings.count() >= 8  # spring 2023 to autumn 2026
    assert readings.first().indicator.aspiration.number == 3
    assert all(0 <= r.value <= 100 for r in readings)
    assert all((r.taken_on.month, r.taken_on.day) in {(3, 31), (6, 30), (9, 30),
               (12, 31)} for r in readings)  # fmt: skip
