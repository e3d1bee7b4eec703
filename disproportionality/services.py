"""Writes with side effects: imports, local areas, label mappings, indicator feed."""

import hashlib
import logging
from contextlib import contextmanager
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from arp.celery import enqueue_on_commit
from disproportionality import taxonomy
from disproportionality.importers.figures import parse_figures
from disproportionality.importers.population import parse_ons_census
from disproportionality.importers.reading import (
    MAX_ERRORS_SHOWN,
    ImportRejected,
    Problem,
    read_table,
)
from disproportionality.importers.writing import (
    WriteResult,
    write_areas,
    write_counts,
    write_population,
)
from disproportionality.models import Area, ImportBatch, LabelMapping, Stage

logger = logging.getLogger(__name__)


class DisproportionalityError(Exception):
    """A request the domain refuses, with a message for the user."""


def labels_by_source() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for source, normalised, code in LabelMapping.objects.values_list(
        "source", "normalised", "group_id"
    ):
        labels.setdefault(source, {})[normalised] = code
    return labels


def _start(batch: ImportBatch, data: bytes) -> None:
    batch.sha256 = hashlib.sha256(data).hexdigest()
    batch.status = ImportBatch.Status.RUNNING
    batch.progress = 10
    batch.save()


@contextmanager
def _failure_recorded(batch: ImportBatch):
    """An unexpected error while writing: nothing is kept, the batch says so."""
    try:
        yield
    except Exception:
        logger.exception("Import batch %s failed while writing", batch.pk)
        batch.status = ImportBatch.Status.FAILED
        batch.errors = [
            {
                "row": None,
                "message": "The import failed unexpectedly; nothing was written. "
                "The error has been logged.",
            }
        ]
        batch.error_count = 1
        _finish(batch)
        raise


def _set_progress(batch: ImportBatch, progress: int) -> None:
    batch.progress = progress
    ImportBatch.objects.filter(pk=batch.pk).update(progress=progress)


def _reject(batch: ImportBatch, problems: list[Problem], parsed=None) -> ImportBatch:
    batch.status = ImportBatch.Status.REJECTED
    batch.errors = [p.as_dict() for p in problems[:MAX_ERRORS_SHOWN]]
    batch.error_count = len(problems)
    _finish(batch, parsed)
    return batch


def _finish(batch: ImportBatch, parsed=None, result: WriteResult | None = None):
    if parsed is not None:
        batch.format_detected = parsed.format_detected
        batch.rows_read = parsed.rows_read
        batch.rows_ignored = parsed.rows_ignored
        batch.rows_outside_england = parsed.rows_outside_england
        batch.suppressed_cells = parsed.suppressed_cells
        batch.warnings = [w.as_dict() for w in parsed.warnings[:MAX_ERRORS_SHOWN]]
    if result is not None:
        batch.rows_created = result.created
        batch.rows_updated = result.updated
        batch.rows_unchanged = result.unchanged
        batch.areas_created = result.areas_created
        batch.areas_renamed = result.areas_renamed
        batch.changed_cells = result.changes
    batch.progress = 100
    batch.finished_at = timezone.now()
    batch.save()


def figures_import(
    *,
    data: bytes,
    file_name: str,
    stage: str | None = None,
    uploaded_by=None,
    batch: ImportBatch | None = None,
    is_demo: bool = False,
    feed_indicator: bool = True,
) -> ImportBatch:
    """Import CIN / CP / CLA counts from any supported layout, all or nothing."""
    if batch is None:
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.FIGURES,
            file_name=file_name,
            uploaded_by=uploaded_by,
            stage=stage or "",
            is_demo=is_demo,
        )
    _start(batch, data)
    parsed = None
    try:
        table = read_table(data)
        parsed = parse_figures(
            table,
            labels=labels_by_source(),
            known_areas=set(Area.objects.values_list("code", flat=True)),
            stage=stage or None,
        )
    except ImportRejected as exc:
        batch.format_detected = exc.format_detected
        return _reject(batch, exc.problems)
    if parsed.problems:
        return _reject(batch, parsed.problems, parsed)
    if not parsed.records:
        return _reject(
            batch,
            [Problem(None, "The file has no ethnicity figures for areas in England.")],
            parsed,
        )
    _set_progress(batch, 50)
    result = WriteResult()
    with _failure_recorded(batch), transaction.atomic():
        write_areas(parsed.areas, result)
        write_counts(parsed.records, batch_id=batch.pk, result=result)
    batch.status = ImportBatch.Status.SUCCEEDED
    _finish(batch, parsed, result)
    if feed_indicator:
        aspiration_indicator_refresh(batch=batch)
    return batch


def population_import(
    *,
    data: bytes,
    file_name: str,
    year: int,
    age_band: str,
    source: str = "Census 2021",
    uploaded_by=None,
    batch: ImportBatch | None = None,
    is_demo: bool = False,
) -> ImportBatch:
    """Import an ONS census population by ethnic group for ``year`` and age band."""
    if batch is None:
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.POPULATION,
            file_name=file_name,
            uploaded_by=uploaded_by,
            population_year=year,
            age_band=age_band,
            population_source=source,
            is_demo=is_demo,
        )
    _start(batch, data)
    problems = []
    if not 1990 <= int(year) <= 2100:
        problems.append(Problem(None, f"year {year} is not a census or estimate year"))
    if not age_band or len(age_band) > 10:
        problems.append(Problem(None, "age band must be given, e.g. 0-17 or all"))
    if problems:
        return _reject(batch, problems)
    try:
        parsed = parse_ons_census(read_table(data), labels=labels_by_source())
    except ImportRejected as exc:
        batch.format_detected = exc.format_detected
        return _reject(batch, exc.problems)
    if parsed.problems:
        return _reject(batch, parsed.problems, parsed)
    _set_progress(batch, 50)
    result = WriteResult()
    with _failure_recorded(batch), transaction.atomic():
        write_areas(parsed.areas, result)
        write_population(
            parsed.values,
            year=year,
            source=source,
            age_band=age_band,
            batch_id=batch.pk,
            result=result,
        )
    batch.status = ImportBatch.Status.SUCCEEDED
    _finish(batch, parsed, result)
    return batch


def import_upload_create(
    *,
    uploaded_file,
    kind: str,
    uploaded_by,
    stage: str = "",
    year: int | None = None,
    age_band: str = "",
    source: str = "",
) -> ImportBatch:
    """Keep the uploaded file and queue its import (after the commit)."""
    from disproportionality.tasks import run_import_batch

    with transaction.atomic():
        batch = ImportBatch(
            kind=kind,
            file_name=uploaded_file.name[:255],
            uploaded_by=uploaded_by,
            stage=stage or "",
            population_year=year,
            age_band=age_band or "",
            population_source=source or "",
        )
        batch.file.save(
            uploaded_file.name, ContentFile(uploaded_file.read()), save=False
        )
        batch.save()
        # If the broker is down, the batch stays "waiting" and the reaper
        # queues it again (import_batches_reap).
        enqueue_on_commit(run_import_batch, batch.pk)
    return batch


REAPED_MESSAGE = (
    "The import did not finish in time and was stopped; nothing was written. "
    "Use “Try again” to import the same file once more."
)


def import_batch_retry(*, batch: ImportBatch, user) -> ImportBatch:
    """Queue a failed batch's file again, as a new batch (the failure stays)."""
    if batch.status != ImportBatch.Status.FAILED or not batch.file:
        raise DisproportionalityError("Only a failed import can be tried again.")
    from disproportionality.tasks import run_import_batch

    with transaction.atomic():
        retry = ImportBatch.objects.create(
            kind=batch.kind,
            file=batch.file.name,
            file_name=batch.file_name,
            uploaded_by=user,
            stage=batch.stage,
            population_year=batch.population_year,
            age_band=batch.age_band,
            population_source=batch.population_source,
        )
        enqueue_on_commit(run_import_batch, retry.pk)
    return retry


def import_batches_reap(*, now=None) -> dict[str, int]:
    """Fail batches past ``IMPORT_BATCH_MAX_MINUTES``; re-queue waiting ones.

    A worker killed mid-import (or a broker outage at upload) left batches
    "running 50%" or "waiting" for ever. Imports are all-or-nothing, so a
    batch that stopped wrote nothing and failing it is safe.
    """
    from arp.celery import enqueue
    from disproportionality.tasks import run_import_batch

    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.IMPORT_BATCH_MAX_MINUTES)
    stuck = ImportBatch.objects.filter(
        status__in=[ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING],
        created_at__lt=limit,
    )
    failed = stuck.update(
        status=ImportBatch.Status.FAILED,
        progress=100,
        finished_at=now,
        errors=[{"row": None, "message": REAPED_MESSAGE}],
        error_count=1,
    )
    waiting = ImportBatch.objects.filter(
        status=ImportBatch.Status.PENDING,
        created_at__lt=now - timedelta(minutes=2),
    ).values_list("pk", flat=True)
    requeued = sum(enqueue(run_import_batch, pk) for pk in waiting)
    return {"failed": failed, "requeued": requeued}


def import_batch_process(*, batch_id: int) -> ImportBatch:
    """Run a queued upload: the Celery task's body."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.is_finished:
        return batch
    try:
        with batch.file.open("rb") as handle:
            data = handle.read()
        if batch.kind == ImportBatch.Kind.POPULATION:
            return population_import(
                data=data,
                file_name=batch.file_name,
                year=batch.population_year,
                age_band=batch.age_band,
                source=batch.population_source or "Census 2021",
                batch=batch,
            )
        return figures_import(
            data=data, file_name=batch.file_name, stage=batch.stage or None, batch=batch
        )
    except Exception:
        logger.exception("Import batch %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id).exclude(
            status=ImportBatch.Status.FAILED
        ).update(
            status=ImportBatch.Status.FAILED,
            progress=100,
            finished_at=timezone.now(),
            errors=[
                {
                    "row": None,
                    "message": "The import failed unexpectedly; nothing was "
                    "written. The error has been logged.",
                }
            ],
            error_count=1,
        )
        raise


def local_area_create(*, code: str, name: str, parent: Area) -> Area:
    """A local area (e.g. a quadrant) inside an authority, for the local template."""
    code = code.strip()
    if Area.objects.filter(code=code).exists():
        raise DisproportionalityError(f"An area with code {code} already exists.")
    return Area.objects.create(
        code=code, name=name.strip(), level=Area.Level.LOCAL, parent=parent
    )


def label_mapping_save(
    *, source: str, label: str, group_code: str, mapping: LabelMapping | None = None
) -> LabelMapping:
    normalised = taxonomy.normalise_label(label)
    clash = LabelMapping.objects.filter(source=source, normalised=normalised)
    if mapping is not None:
        clash = clash.exclude(pk=mapping.pk)
    if clash.exists():
        raise DisproportionalityError(f"{label!r} is already mapped for this source.")
    mapping = mapping or LabelMapping()
    mapping.source, mapping.label, mapping.group_id = source, label.strip(), group_code
    mapping.save()
    return mapping


# --- Aspiration 1 indicator --------------------------------------------------

HEADLINE_GROUPS = ("BLACK", "MIXED")


def indicator_key(group: str, stage: str) -> str:
    return f"disproportionality-rri-{group.lower()}-{stage.lower()}"


def aspiration_indicator_refresh(*, batch: ImportBatch | None = None) -> int:
    """Feed the board's headline ratios into the programme's aspiration 1.

    For the home authority, each stage and period: the relative rate index of
    Black and of Mixed children against White British children, as the board
    sees it (after disclosure control). Returns the number of readings made.
    A failure here is recorded on the batch, never undoes the import.
    """
    from disproportionality import selectors

    try:
        with transaction.atomic():
            return _record_headlines(selectors)
    except Exception as exc:  # noqa: BLE001 - the import itself has succeeded
        logger.exception("Could not update the aspiration 1 indicators")
        if batch is not None:
            batch.warnings = [
                *batch.warnings,
                {"row": None, "message": f"Programme indicators not updated: {exc}"},
            ]
            batch.save(update_fields=["warnings"])
        return 0


def _record_headlines(selectors) -> int:
    from programme.services import indicator_ensure, indicator_record_reading

    home = settings.HOME_AREA_CODE
    readings = 0
    for stage in Stage.values:
        series = selectors.headline_series(area_code=home, stage=stage)
        for group in HEADLINE_GROUPS:
            points = [(p, v) for p, v in series.get(group, []) if v is not None]
            if not points:
                continue
            indicator = indicator_ensure(
                key=indicator_key(group, stage),
                aspiration_number=1,
                name=(
                    f"Relative rate index, {taxonomy.MAJOR_LABELS[group]} children "
                    f"vs White British — {Stage(stage).label.lower()}"
                ),
                unit="ratio",
                higher_is_better=False,
                data_source="Disproportionality dashboard (DfE / local figures, "
                "Census 2021 population)",
                target_value=1,
            )
            for period_end, value in points:
                indicator_record_reading(
                    indicator=indicator,
                    value=round(value, 2),
                    taken_on=period_end if isinstance(period_end, date) else period_end,
                    note="Imported figures; disclosure-controlled board view.",
                )
                readings += 1
    return readings
