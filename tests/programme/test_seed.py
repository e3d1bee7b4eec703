"""seed_demo content for the programme: what the issue asks for, and idempotent."""

import io

import pytest

from programme import seed
from programme.models import (
    Achievement,
    Action,
    Aspiration,
    Indicator,
    IndicatorReading,
    LessonLearnt,
    Meeting,
    Testimonial,
    Workstream,
)

pytestmark = pytest.mark.django_db

MODELS = (Aspiration, Indicator, IndicatorReading, Workstream, Achievement, Action,
          Meeting, LessonLearnt, Testimonial)  # fmt: skip


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_content_and_idempotent(django_user_model):
    seed.seed_demo(stdout=io.StringIO())
    first = _counts()
    seed.seed_demo(stdout=io.StringIO())
    assert _counts() == first
    histories = Achievement.history.count()
    seed.seed_demo(stdout=io.StringIO())
    assert Achievement.history.count() == histories

    assert first["Aspiration"] == 6
    assert Aspiration.objects.get(number=5).title == (
        "Ethnically diverse families guided towards early help services from "
        "first contact."
    )
    for aspiration in Aspiration.objects.all():
        assert 1 <= aspiration.indicators.count() <= 3
    assert IndicatorReading.objects.count() > 50
    assert 14 <= first["Achievement"] <= 16
    assert set(Action.objects.values_list("status", flat=True)) == set(
        Action.Status.values
    )
    assert Meeting.objects.filter(kind="board").exists()
    assert LessonLearnt.objects.exists()
    assert Testimonial.objects.filter(published=True).count() == 2
    assert Achievement.objects.filter(title__icontains="Mosaic").exists()
    assert set(Achievement.objects.values_list("reach", flat=True)) == {
        "national", "regional", "countywide", "local"
    }  # fmt: skip
