from celery import shared_task

from disproportionality import services


@shared_task
def run_import_batch(batch_id: int) -> str:
    """Process an uploaded import file (takes the batch id, loads, calls a service)."""
    batch = services.import_batch_process(batch_id=batch_id)
    return batch.status
