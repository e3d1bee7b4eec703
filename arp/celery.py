"""The Celery app. Tasks live in each app's ``tasks.py`` and are autodiscovered.

Worker: ``celery -A arp worker -l info``; beat: ``celery -A arp beat -l info``.

Services queue work by the task's registered name (``"<app>.tasks.<function>"``)
through ``enqueue_on_commit``; they never import their app's ``tasks`` module,
which imports them (tests/arp/test_layering.py holds this).
"""

import importlib
import logging
import os
from functools import partial

from celery import Celery
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arp.settings")

app = Celery("arp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


def registered(name: str):
    """The task registered as ``name``; KeyError (a typo) if there is none.

    A task's name is its module and function (``app.tasks.send_x``): importing
    that module registers it. (Celery's ``import_default_modules`` would do it
    too, but its Django fixup runs ``django.setup()`` again, which resets the
    logging configuration of the web process.)
    """
    if name not in app.tasks:
        module = name.rpartition(".")[0]
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            # the named module is not there: the KeyError below names the
            # task; a failing import inside a tasks module is raised as it is
            if not module.startswith(exc.name or "\0"):
                raise
    return app.tasks[name]


def enqueue(name: str, *args) -> bool:
    """Queue the task registered as ``name``; False (logged) instead of an
    exception when the broker is down.

    Only broker faults are caught: an error raised by the task itself (run
    inline, with ``task_eager_propagates``) is the task's bug and propagates.
    Callers whose job must not be lost record it as "to send" in their own
    rows, and a periodic task re-sends it, so a saved change never becomes a
    500. The task is looked up in the registry (``registered`` imports its
    module on first use) rather than sent with ``app.send_task``,
    because ``send_task`` ignores ``task_always_eager``: with no broker (tests,
    ``make run``) the task must still run inline.
    """
    task = registered(name)
    try:
        task.apply_async(args=args, retry=False)
    except (OperationalError, OSError):  # the broker is unreachable
        logger.warning(
            "Could not queue %s%r; it will be re-sent only if its caller "
            "recorded it as to send.",
            task.name,
            args,
        )
        return False
    return True


def enqueue_on_commit(name: str, *args) -> None:
    """``enqueue`` once the surrounding transaction has committed (at once,
    outside a transaction); nothing is queued if it rolls back."""
    from django.db import transaction

    transaction.on_commit(partial(enqueue, name, *args))
