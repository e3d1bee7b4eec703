"""Storing a child's anonymous answers."""

import uuid
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from learning_spaces.children.models import ChildFeedbackResponse
from learning_spaces.models import LearningSession, Space
from learning_spaces.services import FeedbackClosed, LearningSpacesError


def child_feedback_submit(
    *,
    session: LearningSession,
    answers: dict,
    form_token: uuid.UUID,
    today: date | None = None,
) -> ChildFeedbackResponse | None:
    """Store one child's answers; None (nothing stored) for a reused form token."""
    if session.space.audience != Space.Audience.PROUD_TO_BE_ME:
        raise LearningSpacesError("The children's form is for Proud to be Me only.")
    if session.feedback_state() != "open":
        raise FeedbackClosed("This feedback form is not open.")
    try:
        with transaction.atomic():
            return ChildFeedbackResponse.objects.create(
                session=session,
                form_token=form_token,
                submitted_on=today or timezone.localdate(),
                **answers,
            )
    except IntegrityError:
        if ChildFeedbackResponse.objects.filter(form_token=form_token).exists():
            return None
        raise
