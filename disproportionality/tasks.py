from celery import shared_task

from disproportionality import services


# acks_late: an import is all-or-nothing and skips finished batches, so a
# redelivery after a killed worker is safe.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import_batch(batch_id: int) -> str:
    """Process an uploaded import file (takes the batch id, loads, calls a service)."""
    batch = services.import_batch_process(batch_id=batch_id)
    return batch.status


@shared_task
def reap_import_batches() -> dict:
    """Every five minutes: fail over-running imports, re-queue waiting ones."""
    return services.import_batches_reap()
