"""Small builders for programme objects (plain functions; the cast is in
tests/conftest.py)."""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from programme import services
from programme.models import (
    Achievement,
    Action,
    Aspiration,
    Indicator,
    LessonLearnt,
    Meeting,
    Testimonial,
    Workstream,
)

_counter = itertools.count(1)


@pytest.fixture
def aspirations(db):
    return services.aspirations_ensure()


@pytest.fixture
def workstream(db):
    return Workstream.objects.get_or_create(name="Practice tools")[0]


def make_achievement(user, *, status="draft", aspirations=None, **fields):
    n = next(_counter)
    defaults = {
        "title": f"Achievement {n}",
        "summary": "What happened and why it matters.",
        "achieved_on": date(2025, 1, 1) + timedelta(days=n % 300),
        "reach": "countywide",
    }
    achievement = Achievement.objects.create(
        created_by=user, status=status, **{**defaults, **fields}
    )
    achievement.aspirations.set(aspirations or Aspiration.objects.filter(number=1))
    return achievement


def make_action(owner, *, status="not_started", **fields):
    n = next(_counter)
    defaults = {
        "title": f"Action {n}",
        "aspiration": Aspiration.objects.get(number=2),
        "due_on": timezone.localdate() + timedelta(days=30),
    }
    return Action.objects.create(owner=owner, status=status, **{**defaults, **fields})


def make_indicator(**fields):
    n = next(_counter)
    defaults = {
        "key": f"indicator-{n}",
        "aspiration": Aspiration.objects.get(number=1),
        "name": f"Indicator {n}",
        "unit": "percent",
        "higher_is_better": True,
        "baseline_value": 10,
        "baseline_date": date(2024, 1, 1),
        "target_value": 50,
        "target_date": date(2027, 1, 1),
    }
    return Indicator.objects.create(**{**defaults, **fields})


def make_audit(auditor, *, case="CASE-1", answers=None, **fields):
    """An audit through the service; ``answers`` default to Yes for every question."""
    from programme.audits import services as audit_services

    question_set = audit_services.audit_question_set_ensure()
    codes = [q.code for q in question_set.questions.all()]
    data = audit_services.AuditInput(
        case_reference=case,
        team=fields.pop("team", "North"),
        month=fields.pop("month", date(2026, 8, 1)),
        ethnicity=fields.pop("ethnicity", "BAFR"),
        stage=fields.pop("stage", "CP"),
        answers={**dict.fromkeys(codes, "yes"), **(answers or {})},
        learning=fields.pop("learning", "Ask about hair and skin care."),
    )
    return audit_services.audit_record(auditor=auditor, data=data, **fields)


@pytest.fixture
def world(
    aspirations, workstream, programme_admin, steering_member, other_steering_member
):
    """One of each programme object, owned by the steering member where it matters."""
    indicator = make_indicator()
    services.indicator_record_reading(
        indicator=indicator, value=20, taken_on=date(2025, 1, 1)
    )
    return {
        "draft": make_achievement(steering_member, status="draft", title="My draft"),
        "submitted": make_achievement(steering_member, status="submitted"),
        "published": make_achievement(
            steering_member, status="published", title="Published work"
        ),
        "others_draft": make_achievement(other_steering_member, status="draft"),
        "action": make_action(steering_member),
        "others_action": make_action(other_steering_member),
        "indicator": indicator,
        "meeting": Meeting.objects.create(
            kind="board", held_on=date(2026, 9, 1), created_by=steering_member
        ),
        "lesson": LessonLearnt.objects.create(
            kind="went_well",
            theme="policy",
            title="Lesson",
            description="d",
            created_by=steering_member,
        ),
        "quote": Testimonial.objects.create(
            quote="Published quote",
            source_type="ofsted",
            quoted_on=date(2025, 3, 1),
            published=True,
            created_by=steering_member,
        ),
        "audit": make_audit(steering_member, case="W1"),
        "others_audit": make_audit(other_steering_member, case="W2"),
        "unpublished_quote": Testimonial.objects.create(
            quote="Private quote",
            source_type="practitioner_feedback",
            quoted_on=date(2025, 3, 1),
            created_by=steering_member,
        ),
    }
