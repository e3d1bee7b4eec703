"""The Celery app. Tasks live in each app's ``tasks.py`` and are autodiscovered.

Worker: ``celery -A arp worker -l info``; beat: ``celery -A arp beat -l info``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arp.settings")

app = Celery("arp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue(task, *args) -> bool:
    """Queue ``task``; False (logged) instead of an exception when the broker
    is down. Callers record what is "to send" in their own rows, and a
    periodic task re-sends it, so a saved change never becomes a 500."""
    import logging

    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # noqa: BLE001 - any broker fault: the re-send task picks it up
        logging.getLogger(__name__).warning(
            "Could not queue %s%r; it will be re-sent.", task.name, args
        )
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """``enqueue`` once the surrounding transaction has committed."""
    from django.db import transaction

    transaction.on_commit(lambda: enqueue(task, *args))
