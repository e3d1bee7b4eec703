"""Celery tasks: take ids, load, call a service."""

from celery import shared_task

from learning_spaces import services


@shared_task
def send_session_reminders() -> int:
    """Daily: remind facilitators two days before their sessions."""
    return services.session_reminders_send()


@shared_task
def send_feedback_link(session_id: int) -> bool:
    """After a session is marked held: email facilitators the link and QR code."""
    return services.session_feedback_link_send(session_id=session_id)


@shared_task
def record_confidence_indicator() -> int | None:
    """Quarterly: write last quarter's confidence reading to the programme."""
    reading = services.confidence_indicator_record()
    return reading.pk if reading else None


@shared_task
def purge_feedback_text() -> int:
    """Daily: delete answers' original words once past the retention period."""
    return services.responses_purge_text()
