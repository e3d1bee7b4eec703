"""Meetings, lessons learnt, training coverage and testimonials."""

from datetime import date
from decimal import Decimal

import pytest

from arp import roles
from programme import evidence
from programme.models import (
    IndicatorReading,
    LessonLearnt,
    Meeting,
    Testimonial,
    TrainingEvent,
    WorkforceHeadcount,
)
from tests.programme.conftest import make_action

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS


def test_meeting_with_actions_arising(client_for, aspirations, steering_member):
    action = make_action(steering_member, title="Repeat the audit")
    response = client_for(STEERING).post(
        "/programme/meetings/new/",
        {"kind": "board", "held_on": "2026-09-17", "title": "Quarterly board",
         "attendees": "DCS", "decisions": "Repeat audit", "actions": [action.pk]},
    )  # fmt: skip
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert list(meeting.actions.all()) == [action]
    assert meeting.created_by == steering_member
    page = client_for(BOARD).get(f"/programme/meetings/{meeting.pk}/")
    assert b"Repeat the audit" in page.content


def test_lesson_bad_theme_saves_nothing(client_for, aspirations):
    response = client_for(STEERING).post(
        "/programme/lessons/new/",
        {"kind": "went_well", "theme": "vibes", "title": "t", "description": "d",
         "recorded_on": "2026-01-01"},
    )  # fmt: skip
    assert "theme" in response.context["form"].errors
    assert not LessonLearnt.objects.exists()


def test_someone_elses_lesson_cannot_be_edited(client_for, other_steering_member):
    lesson = LessonLearnt.objects.create(
        kind="went_well", theme="policy", title="Theirs", description="d",
        created_by=other_steering_member,
    )  # fmt: skip
    response = client_for(STEERING).post(
        f"/programme/lessons/{lesson.pk}/edit/",
        {"kind": "went_well", "theme": "policy", "title": "Mine now",
         "description": "d", "recorded_on": "2026-01-01"},
    )  # fmt: skip
    assert response.status_code == 403
    assert LessonLearnt.objects.get().title == "Theirs"


@pytest.fixture
def training(db):
    WorkforceHeadcount.objects.create(
        team="North", headcount=100, as_of=date(2025, 1, 1)
    )
    WorkforceHeadcount.objects.create(
        team="North", headcount=120, as_of=date(2026, 1, 1)
    )
    WorkforceHeadcount.objects.create(
        team="South", headcount=80, as_of=date(2025, 6, 1)
    )
    WorkforceHeadcount.objects.create(
        team="East", headcount=999, as_of=date(2027, 1, 1)
    )
    TrainingEvent.objects.create(
        course="Foundations", held_on=date(2025, 3, 1), attended=50
    )
    TrainingEvent.objects.create(course="Tools", held_on=date(2026, 2, 1), attended=10)
    TrainingEvent.objects.create(
        course="Future", held_on=date(2027, 2, 1), attended=500
    )


def test_training_coverage_recorded_as_indicator_reading(client_for, training):
    response = client_for(ADMINS).post(
        "/programme/training/record/", {"as_of": "2026-03-31"}
    )
    assert response.status_code == 302
    reading = IndicatorReading.objects.get()
    # 60 attendances by then / (North 120 latest + South 80) = 30.0%
    assert reading.value == Decimal("30.0")
    assert reading.indicator.key == "workforce-trained-percent"
    assert reading.indicator.aspiration.number == 2
    page = client_for(BOARD).get("/programme/training/")
    assert b"Foundations" in page.content


def test_training_record_without_headcount_saves_nothing(client_for, db):
    client_for(ADMINS).post("/programme/training/record/", {"as_of": "2026-03-31"})
    assert not IndicatorReading.objects.exists()


def test_training_event_in_future_refused(client_for, db):
    response = client_for(STEERING).post(
        "/programme/training/events/new/",
        {"course": "x", "held_on": "2099-01-01", "attended": "5"},
    )
    assert "held_on" in response.context["form"].errors
    assert not TrainingEvent.objects.exists()


def test_steering_cannot_publish_quotes(client_for, db):
    response = client_for(STEERING).post(
        "/programme/testimonials/new/",
        {"quote": "Great", "source_type": "partner", "quoted_on": "2026-01-01",
         "consent_recorded": "on", "published": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Testimonial.objects.get().published is False


def test_admin_cannot_publish_a_person_without_consent(client_for, db):
    response = client_for(ADMINS).post(
        "/programme/testimonials/new/",
        {"quote": "Great", "source_type": "child_or_young_person",
         "quoted_on": "2026-01-01", "published": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Record the person" in str(response.context["form"].errors)
    assert not Testimonial.objects.exists()


@pytest.mark.parametrize(
    "head,kind",
    [(b"%PDF-1.4", "pdf"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
     (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff\xe0", "jpeg"),
     (b"GIF89a", "gif"), (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
     (b"PK\x03\x04", "zip"), (b"MZ", None), (b"<html>", None)],
)  # fmt: skip
def test_sniff_kind(head, kind):
    assert evidence.sniff_kind(head) == kind
