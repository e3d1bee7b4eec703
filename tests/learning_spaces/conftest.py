"""Fixtures for learning spaces: a space, sessions in each state, responses."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from learning_spaces.models import FeedbackResponse, LearningSession, Space, Theme
from learning_spaces.services import themes_seed

VALID_ANSWERS = {
    "rating": "4",
    "gained_most": "Better understanding and awareness around white privilege.",
    "do_differently": "Pause before writing up risk.",
    "could_be_better": "More time for discussion.",
    "confidence_before": "2",
    "confidence_now": "4",
    "role": "practitioner",
    "team": "North",
    "consent_to_quote": "yes",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def themes(db):
    themes_seed()
    return {t.name: t for t in Theme.objects.all()}


@pytest.fixture
def space(db, steering_member):
    space = Space.objects.create(
        name="Anti-racist practice: practitioners",
        audience=Space.Audience.PRACTITIONERS,
        default_venue="County Hall",
    )
    space.facilitators.add(steering_member)
    return space


def make_session(space, *, starts_in: timedelta, hours: int = 2, **extra):
    starts = timezone.now() + starts_in
    return LearningSession.objects.create(
        space=space, starts_at=starts, ends_at=starts + timedelta(hours=hours), **extra
    )


@pytest.fixture
def open_session(space):
    """Started an hour ago: its feedback form is open."""
    return make_session(space, starts_in=-timedelta(hours=1), topic="White privilege")


@pytest.fixture
def upcoming_session(space):
    return make_session(space, starts_in=timedelta(days=10))


@pytest.fixture
def closed_session(space):
    return make_session(
        space,
        starts_in=-timedelta(days=20),
        status=LearningSession.Status.HELD,
        attendance=12,
    )


def make_response(session, **values) -> FeedbackResponse:
    defaults = {
        "rating": 4,
        "confidence_before": 2,
        "confidence_now": 4,
        "gained_most": "Thinking about assessments.",
        "form_token": uuid.uuid4(),
    }
    return FeedbackResponse.objects.create(session=session, **{**defaults, **values})


def form_token_from(response) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "the form has no form_token field"
    return match.group(1)


@pytest.fixture
def fresh_form(client):
    """``fresh_form(session)`` GETs the form and returns answers plus its token."""

    def _fresh(session, **overrides):
        # each fresh form is another phone: no "already answered" cookie
        client.cookies.pop("answered", None)
        page = client.get(session.feedback_path())
        assert page.status_code == 200
        return {**VALID_ANSWERS, "form_token": form_token_from(page), **overrides}

    return _fresh
