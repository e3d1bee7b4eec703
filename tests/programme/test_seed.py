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
    for aspiration in Aspiration.objects.exclude(number=1):
        assert 1 <= aspiration.indicators.count() <= 3
    # aspiration 1 is fed from the disproportionality figures, not invented
    assert not Aspiration.objects.get(number=1).indicators.exists()
    assert IndicatorReading.objects.count() > 50
    assert 15 <= first["Achievement"] <= 20
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


def test_default_board_summary_period_has_published_achievements(client_for):
    seed.seed_demo(stdout=io.StringIO())

    response = client_for("Board").get("/programme/summary/")

    assert response.status_code == 200
    for title in ("Black History Month 2026", "Learning spaces model shared"):
        assert title in response.content.decode()
