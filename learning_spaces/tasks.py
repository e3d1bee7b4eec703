"""Celery tasks: take ids, load, call a service."""

from celery import shared_task

from learning_spaces import services
from learning_spaces.self_evaluation import services as self_evaluation


@shared_task
def send_session_reminders() -> int:
    """Daily: remind facilitators two days before their sessions."""
    return services.session_reminders_send()


# acks_late: a worker killed mid-send leaves the message queued; sending is
# safe to repeat because the link is recorded only once handed over.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_feedback_link(session_id: int) -> bool:
    """After a session is marked held: email facilitators the link and QR code."""
    return services.session_feedback_link_send(session_id=session_id)


@shared_task
def record_confidence_indicator() -> int | None:
    """Quarterly: write last quarter's confidence reading to the programme."""
    reading = services.confidence_indicator_record()
    return reading.pk if reading else None


@shared_task(time_limit=300)
def record_self_evaluation_indicators() -> dict:
    """Quarterly: leaders' self-evaluation readings for aspiration 2."""
    readings = self_evaluation.self_evaluation_indicators_record()
    return {k: (r.pk if r else None) for k, r in readings.items()}


@shared_task(time_limit=600)
def send_self_evaluation_reminders() -> int:
    """Monthly: remind leaders who have not answered this round (first and last
    month of each round only)."""
    return self_evaluation.self_evaluation_reminders_send()


@shared_task
def purge_feedback_text() -> int:
    """Daily: delete answers' original words once past the retention period."""
    return services.responses_purge_text()


@shared_task
def resend_feedback_links() -> int:
    """Every ten minutes: send links that were never queued or never went."""
    return services.feedback_links_resend()
