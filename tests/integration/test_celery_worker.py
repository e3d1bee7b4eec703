"""A real Celery worker on Redis carries out a task queued on commit.

Marking a session held queues ``send_feedback_link`` (with the session's id)
with ``transaction.on_commit``; a worker in another process picks it up from
Redis, emails the facilitators and records when it did so in the database.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from learning_spaces.models import LearningSession, Space
from learning_spaces.services import session_mark_held
from tests.integration.conftest import wait_until

pytestmark = pytest.mark.integration


def test_worker_sends_feedback_link_after_session_marked_held(
    celery_worker_queue, steering_member
):
    space = Space.objects.create(name="Practitioners' space", audience="practitioners")
    space.facilitators.add(steering_member)
    starts = timezone.now() - timedelta(hours=3)
    session = LearningSession.objects.create(
        space=space, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )

    with transaction.atomic():
        session_mark_held(session=session, attendance=18)
        # queued on commit: nothing can have run yet
        assert LearningSession.objects.get(pk=session.pk).feedback_link_sent_at is None

    def link_sent():
        return (
            LearningSession.objects.filter(pk=session.pk)
            .exclude(feedback_link_sent_at=None)
            .exists()
        )

    assert wait_until(link_sent, timeout=45), "the worker did not record the email"
    session.refresh_from_db()
    assert session.status == LearningSession.Status.HELD
    assert session.attendance == 18
