"""The Celery app. Tasks live in each app's ``tasks.py`` and are autodiscovered.

Worker: ``celery -A arp worker -l info``; beat: ``celery -A arp beat -l info``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arp.settings")

app = Celery("arp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
