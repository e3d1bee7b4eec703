"""Redis, broker and SMTP faults degrade; they do not break or leave jobs stuck."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from arp.cache import ResilientRedisCache

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/1"  # nothing listens on port 1
DEAD_CACHE = {
    "default": {"BACKEND": "arp.cache.ResilientRedisCache", "LOCATION": DEAD_REDIS}
}


def test_cache_falls_back_to_local_memory_and_logs(caplog):
    cache = ResilientRedisCache(DEAD_REDIS, {})
    with caplog.at_level(logging.WARNING, logger="arp.cache"):
        assert cache.add("k", 1) is True
        assert cache.incr("k") == 2
        assert cache.get("k") == 2
        cache.set("j", "v")
        assert cache.get_many(["j"]) == {"j": "v"}
    assert "using local memory" in caplog.text
    assert cache.ping() is False
    with pytest.raises(ValueError):  # a missing key is still an error
        cache.incr("missing")


def test_sign_in_and_feedback_work_with_redis_down(
    client, settings, board_member, space
):
    from learning_spaces.models import FeedbackResponse, LearningSession
    from tests.conftest import PASSWORD
    from tests.learning_spaces.conftest import VALID_ANSWERS, form_token_from

    settings.CACHES = DEAD_CACHE
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    signed_in = client.post(
        "/accounts/login/", {"username": "bella", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.get("/programme/").status_code == 200
    client.post("/accounts/logout/")

    start = timezone.now() - timedelta(hours=1)
    session = LearningSession.objects.create(
        space=space, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    page = client.get(session.feedback_path())
    assert page.status_code == 200
    data = {**VALID_ANSWERS, "form_token": form_token_from(page)}
    assert client.post(session.feedback_path(), data).status_code == 302
    assert FeedbackResponse.objects.count() == 1


@pytest.fixture
def space(db):
    from learning_spaces.models import Space

    return Space.objects.create(name="Leaders", audience="leaders")


@pytest.fixture
def broker_down(monkeypatch):
    """Queueing fails as it does with Redis gone (kombu's OperationalError)."""
    from celery.app.task import Task
    from kombu.exceptions import OperationalError

    def refuse(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Refused.")

    monkeypatch.setattr(Task, "apply_async", refuse)


def test_mark_held_with_broker_down_saves_and_is_resent_later(
    client_for, broker_down, space, steering_member, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from learning_spaces import services
    from learning_spaces.models import LearningSession

    space.facilitators.add(steering_member)
    start = timezone.now() - timedelta(hours=3)
    session = LearningSession.objects.create(
        space=space, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    with (
        caplog.at_level(logging.WARNING, logger="arp.celery"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        page = client_for("Steering group").post(
            f"/learning-spaces/sessions/{session.pk}/held/", {"attendance": 9}
        )
    assert len(callbacks) == 1  # the queueing ran, and failed quietly
    assert page.status_code == 302
    session.refresh_from_db()
    assert session.status == LearningSession.Status.HELD
    assert session.feedback_link_sent_at is None  # "to send", not "sent"
    assert "it will be re-sent" in caplog.text
    assert mail.outbox == []

    assert services.feedback_links_resend() == 1
    session.refresh_from_db()
    assert session.feedback_link_sent_at is not None
    assert len(mail.outbox) == 1
    assert services.feedback_links_resend() == 0  # sent once


def test_link_is_not_recorded_as_sent_when_smtp_fails(
    space, steering_member, monkeypatch
):
    from learning_spaces import services
    from learning_spaces.models import LearningSession

    start = timezone.now() - timedelta(hours=3)
    session = LearningSession.objects.create(
        space=space, starts_at=start, ends_at=start + timedelta(hours=2),
        status=LearningSession.Status.HELD,
    )  # fmt: skip
    space.facilitators.add(steering_member)

    def silent_server(self, *args, **kwargs):
        raise TimeoutError("SMTP did not answer within EMAIL_TIMEOUT")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", silent_server)
    with pytest.raises(TimeoutError):
        services.session_feedback_link_send(session_id=session.pk)
    session.refresh_from_db()
    assert session.feedback_link_sent_at is None


def test_email_and_task_time_limits_are_set(settings):
    from disproportionality import tasks as dp_tasks
    from learning_spaces import tasks as ls_tasks

    assert 0 < settings.EMAIL_TIMEOUT <= 60
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert dp_tasks.run_import_batch.acks_late is True
    assert ls_tasks.send_feedback_link.acks_late is True
    schedule = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "disproportionality.tasks.reap_import_batches" in schedule
    assert "learning_spaces.tasks.resend_feedback_links" in schedule


def test_upload_with_broker_down_is_no_500_and_reaper_handles_it(
    broker_down, settings, django_capture_on_commit_callbacks, caplog
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from disproportionality import services
    from disproportionality.models import ImportBatch

    with (
        caplog.at_level(logging.WARNING, logger="arp.celery"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        batch = services.import_upload_create(
            uploaded_file=SimpleUploadedFile("f.csv", b"a,b\n1,2\n"),
            kind=ImportBatch.Kind.FIGURES,
            uploaded_by=None,
        )
    assert "it will be re-sent" in caplog.text
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING

    running = ImportBatch.objects.create(
        kind="figures", file_name="x.csv", status=ImportBatch.Status.RUNNING,
        progress=50,
    )  # fmt: skip
    old = timezone.now() - timedelta(minutes=settings.IMPORT_BATCH_MAX_MINUTES + 1)
    ImportBatch.objects.filter(pk=running.pk).update(created_at=old)
    result = services.import_batches_reap()
    running.refresh_from_db()
    assert running.status == ImportBatch.Status.FAILED
    assert "did not finish in time" in running.errors[0]["message"]
    assert result["failed"] == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING  # too recent to re-queue


def test_reaped_batch_can_be_tried_again_from_its_page(
    client_for, settings, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from disproportionality import services
    from disproportionality.models import EthnicityCount, ImportBatch
    from tests.disproportionality.conftest import fixture_bytes

    batch = ImportBatch(kind="figures", file_name="cla.csv", status="running")
    batch.file.save("cla.csv", ContentFile(fixture_bytes("dfe_cla_2024_layout.csv")))
    old = timezone.now() - timedelta(minutes=settings.IMPORT_BATCH_MAX_MINUTES + 1)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=old)
    services.import_batches_reap()
    admin = client_for("Programme admins")
    page = admin.get(f"/disproportionality/imports/{batch.pk}/")
    assert b"Try again" in page.content

    with django_capture_on_commit_callbacks(execute=True):
        retried = admin.post(f"/disproportionality/imports/{batch.pk}/retry/")
    assert retried.status_code == 302
    new = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert retried["Location"] == f"/disproportionality/imports/{new.pk}/"
    assert new.status == ImportBatch.Status.SUCCEEDED  # tasks run inline here
    assert EthnicityCount.objects.count() == 40
    # a batch that did not fail cannot be retried
    again = admin.post(f"/disproportionality/imports/{new.pk}/retry/", follow=True)
    assert b"Only a failed import" in again.content
    assert ImportBatch.objects.count() == 2


def test_an_error_inside_an_inline_task_is_not_taken_for_a_broker_fault(monkeypatch):
    """Only an unreachable broker is logged and passed over; a task's own bug
    (run inline, as in tests and `make run`) propagates, so tests see it."""
    from arp import celery as arp_celery

    task = arp_celery.registered("disproportionality.tasks.run_import_batch")

    def bug(*args, **kwargs):
        raise ValueError("bug in the task")

    monkeypatch.setattr(task, "run", bug)
    with pytest.raises(ValueError, match="bug in the task"):
        arp_celery.enqueue("disproportionality.tasks.run_import_batch", 1)


def test_an_unreachable_broker_is_logged_and_passed_over(broker_down, caplog):
    from arp import celery as arp_celery

    assert arp_celery.enqueue("disproportionality.tasks.run_import_batch", 1) is False
    assert "Could not queue" in caplog.text
