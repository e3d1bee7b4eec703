"""Weekly reminders (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from programme import services
from programme.audits import services as audits


@shared_task(name="programme.tasks.send_action_reminders")
def send_action_reminders() -> int:
    """Email each action owner their actions due within 14 days or overdue."""
    return services.action_reminders_send()


@shared_task(name="programme.tasks.send_publication_queue_reminder")
def send_publication_queue_reminder() -> int:
    """Email Programme admins the achievements waiting to be published."""
    return services.publication_queue_reminder_send()


@shared_task(name="programme.tasks.record_audit_indicator", time_limit=300)
def record_audit_indicator() -> int | None:
    """Quarterly: last quarter's audit figure to the aspiration 6 indicator."""
    reading = audits.audit_indicator_record()
    return reading.pk if reading else None
