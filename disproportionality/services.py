"""Writes with side effects: imports, local areas, label mappings, indicator feed."""

import hashlib
import logging
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from arp.celery import enqueue_on_commit
from disproportionality import taxonomy
from disproportionality.importers.areas import parse_area_hierarchy
from disproportionality.importers.figures import ParsedFigures, parse_figures
from disproportionality.importers.neighbours import ParsedNeighbours, parse_neighbours
from disproportionality.importers.reading import (
    MAX_ERRORS_SHOWN,
    ImportRejected,
    ParsedFile,
    Problem,
    Table,
    read_table,
)
from disproportionality.importers.writing import (
    WriteResult,
    write_areas,
    write_counts,
    write_neighbours,
)
from disproportionality.models import (
    Area,
    AreaAlias,
    ImportBatch,
    LabelMapping,
    MidYearEstimate,
    Stage,
)
from disproportionality.recording_services import recording_indicator_refresh

logger = logging.getLogger(__name__)

# Queued by name: services never import their tasks (tests/arp/test_layering.py).
RUN_IMPORT_BATCH = "disproportionality.tasks.run_import_batch"


class DisproportionalityError(Exception):
    """A request the domain refuses, with a message for the user."""


def labels_by_source() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for source, normalised, code in LabelMapping.objects.values_list(
        "source", "normalised", "group_id"
    ):
        labels.setdefault(source, {})[normalised] = code
    return labels


def _batch(batch: ImportBatch | None, **fields) -> ImportBatch:
    """The queued upload's batch, or a new one for a direct import."""
    return batch if batch is not None else ImportBatch.objects.create(**fields)


def _start(batch: ImportBatch, data: bytes) -> None:
    batch.sha256 = hashlib.sha256(data).hexdigest()
    batch.status = ImportBatch.Status.RUNNING
    batch.progress = 10
    batch.save()


FAILED_MESSAGE = (
    "The import failed unexpectedly; nothing was written. The error has been logged."
)


def _mark_failed(
    batches: QuerySet[ImportBatch], message: str, *, now: datetime | None = None
) -> int:
    """Finish ``batches`` as failed with one message; how many there were."""
    return batches.update(
        status=ImportBatch.Status.FAILED,
        progress=100,
        finished_at=now or timezone.now(),
        errors=[{"row": None, "message": message}],
        error_count=1,
    )


@contextmanager
def _failure_recorded(batch: ImportBatch):
    """The one failure path: an unexpected error anywhere in an import leaves
    the data as it was and the batch "failed" (never "running"), then raises."""
    try:
        yield
    except Exception:
        if batch.status != ImportBatch.Status.FAILED:  # not yet recorded
            logger.exception("Import batch %s failed", batch.pk)
            # Only an unfinished batch fails: one that succeeded has its data
            # committed (the error came after, e.g. an indicator refresh).
            unfinished = ImportBatch.objects.filter(
                pk=batch.pk,
                status__in=[ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING],
            )
            _mark_failed(unfinished, FAILED_MESSAGE)
            batch.refresh_from_db()
        raise


def _set_progress(batch: ImportBatch, progress: int) -> None:
    batch.progress = progress
    ImportBatch.objects.filter(pk=batch.pk).update(progress=progress)


def _reject(
    batch: ImportBatch, problems: list[Problem], parsed: ParsedFile | None = None
) -> ImportBatch:
    batch.status = ImportBatch.Status.REJECTED
    batch.errors = [p.as_dict() for p in problems[:MAX_ERRORS_SHOWN]]
    batch.error_count = len(problems)
    _finish(batch, parsed)
    return batch


def _finish(
    batch: ImportBatch,
    parsed: ParsedFile | None = None,
    result: WriteResult | None = None,
) -> None:
    if parsed is not None:
        batch.format_detected = parsed.format_detected
        batch.rows_read = parsed.rows_read
        batch.rows_ignored = parsed.rows_ignored
        batch.rows_outside_england = parsed.rows_outside_england
        batch.suppressed_cells = parsed.suppressed_cells
        batch.label_rows = getattr(parsed, "label_rows", {})
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


Parsed = TypeVar("Parsed", bound=ParsedFile)


def import_run(
    batch: ImportBatch,
    data: bytes,
    *,
    parse: Callable[[Table], Parsed],
    write: Callable[[Parsed, WriteResult], None],
    empty_message: str,
) -> ImportBatch:
    """The one import pipeline: read → parse and validate → write, all or nothing.

    ``parse`` turns the table into a ``ParsedFile`` (``problems``, ``warnings``,
    row counters, ``is_empty``) or raises ImportRejected; ``write`` stores it
    inside one transaction. A file that cannot be imported ends the batch
    "rejected" with its row-numbered problems; any other error ends it
    "failed" (``_failure_recorded``). Either way nothing is written.
    """
    _start(batch, data)
    with _failure_recorded(batch):
        try:
            parsed = parse(read_table(data))
        except ImportRejected as exc:
            batch.format_detected = exc.format_detected
            return _reject(batch, exc.problems)
        if parsed.problems:
            return _reject(batch, parsed.problems, parsed)
        if parsed.is_empty:
            return _reject(batch, [Problem(None, empty_message)], parsed)
        _set_progress(batch, 50)
        result = WriteResult()
        # the data and the batch's "succeeded" are committed together
        with transaction.atomic():
            write(parsed, result)
            batch.status = ImportBatch.Status.SUCCEEDED
            _finish(batch, parsed, result)
    return batch


def figures_import(
    *,
    data: bytes,
    file_name: str,
    stage: str | None = None,
    period: str | None = None,
    cohort: str = "all",
    uploaded_by=None,
    batch: ImportBatch | None = None,
    is_demo: bool = False,
    feed_indicator: bool = True,
) -> ImportBatch:
    """Import counts by ethnicity (CIN, CP, CLA, CLA_START and the local stages)
    from any supported layout, all or nothing. ``period`` names the year of a
    wide authority file, or picks one year out of a tidy file."""
    batch = _batch(
        batch,
        kind=ImportBatch.Kind.FIGURES,
        file_name=file_name,
        uploaded_by=uploaded_by,
        stage=stage or "",
        period_override=period or "",
        is_demo=is_demo,
    )
    batch_id = batch.pk

    def parse(table: Table) -> ParsedFigures:
        parsed = parse_figures(
            table,
            labels=labels_by_source(),
            known_areas=set(Area.objects.values_list("code", flat=True)),
            stage=stage or None,
            period=period or None,
        )
        if cohort == "uasc":
            _check_uasc_cohort(parsed)
        return parsed

    def write(parsed: ParsedFigures, result: WriteResult) -> None:
        if cohort == "uasc":
            _as_uasc_cohort(parsed)
        write_areas(parsed.areas, result)
        write_counts(parsed.records, batch_id=batch_id, result=result)
        _warn_parentless(parsed)

    batch = import_run(
        batch,
        data,
        parse=parse,
        write=write,
        empty_message="The file has no ethnicity figures for areas in England.",
    )
    if batch.status == ImportBatch.Status.SUCCEEDED and feed_indicator:
        aspiration_indicator_refresh(batch=batch)
        recording_indicator_refresh(batch=batch)
    return batch


def _check_uasc_cohort(parsed: ParsedFigures) -> None:
    """A UASC file (--cohort uasc) holds children looked after only."""
    other = sorted({r.stage for r in parsed.records} - {"CLA", "CLA_UASC"})
    if other:
        parsed.problems.append(
            Problem(
                None,
                f"a UASC cohort is of children looked after (CLA); this file also "
                f"has {', '.join(other)}",
            )
        )


def _as_uasc_cohort(parsed: ParsedFigures) -> None:
    """Store the file's CLA figures as the UASC cohort (stage CLA_UASC)."""
    for record in parsed.records:
        record.stage = Stage.CLA_UASC


def _warn_parentless(parsed: ParsedFigures) -> None:
    """Authorities still without a region get the region comparator wrong:
    say so, and how to fix it (the wide files carry no region)."""
    codes = [
        c for c, a in parsed.areas.items() if a.level == Area.Level.LOCAL_AUTHORITY
    ]
    orphans = sorted(
        Area.objects.filter(code__in=codes, parent__isnull=True).values_list(
            "code", flat=True
        )
    )
    if orphans:
        parsed.warnings.append(
            Problem(
                None,
                f"{len(orphans)} authorities have no region yet ("
                + ", ".join(orphans[:10])
                + ("…" if len(orphans) > 10 else "")
                + "): import the ONS mid-year 0–17 file or a DfE authority tidy "
                "file with import_areas to learn them",
            )
        )


def areas_import(
    *, data: bytes, file_name: str, uploaded_by=None, batch: ImportBatch | None = None
) -> ImportBatch:
    """Learn the area hierarchy (authority → region → England, old codes) from
    any tidy DfE or ONS file with the standard area columns."""
    batch = _batch(
        batch, kind=ImportBatch.Kind.AREAS, file_name=file_name, uploaded_by=uploaded_by
    )
    return import_run(
        batch,
        data,
        parse=parse_area_hierarchy,
        write=lambda parsed, result: write_areas(parsed.areas, result),
        empty_message="The file names no areas in England.",
    )


def alias_map() -> dict[str, str]:
    """Old three-digit code → the ONS code most recently seen with it."""
    latest: dict[str, tuple] = {}
    for code, area, seen in AreaAlias.objects.values_list(
        "code", "area_id", "seen_until"
    ):
        key = (seen or date.min, area)
        if code not in latest or key > latest[code]:
            latest[code] = key
    return {code: area for code, (_seen, area) in latest.items()}


def neighbours_import(
    *, data: bytes, file_name: str, uploaded_by=None, batch: ImportBatch | None = None
) -> ImportBatch:
    """Import the DfE statistical-neighbour model; replaces the previous one for
    every authority the file names."""
    batch = _batch(
        batch,
        kind=ImportBatch.Kind.NEIGHBOURS,
        file_name=file_name,
        uploaded_by=uploaded_by,
    )
    batch_id = batch.pk

    def write(parsed: ParsedNeighbours, result: WriteResult) -> None:
        write_neighbours(parsed.records, batch_id=batch_id, result=result)

    aliases = alias_map()
    return import_run(
        batch,
        data,
        parse=lambda table: parse_neighbours(table, aliases=aliases),
        write=write,
        empty_message="The file gives no statistical neighbours.",
    )


def population_import(
    *,
    data: bytes,
    file_name: str,
    year: int | None = None,
    age_band: str = "",
    source: str = "",
    uploaded_by=None,
    batch: ImportBatch | None = None,
    is_demo: bool = False,
) -> ImportBatch:
    """Import a population, all or nothing; the layout is detected.

    * ONS Census 2021 ethnic group (20 categories), with an age column (the
      bands within 0–17 summed to "0-17") or without one (``age_band`` must
      say 0-17 or all);
    * the DfE school census, pupils by ethnicity (source "School census", age
      band "pupils", one population per January);
    * the ONS mid-year estimates of children aged 0 to 17 (totals, no
      ethnicity).

    ``year`` is needed only where the file does not say it (ONS Census tables
    are 2021); for a file of several years it picks one. A population stored
    as 0–17 whose total is more than 10% from the area's mid-year estimate of
    children for that year is refused: an all-ages table passed off as children.
    """
    batch = _batch(
        batch,
        kind=ImportBatch.Kind.POPULATION,
        file_name=file_name,
        uploaded_by=uploaded_by,
        population_year=year,
        age_band=age_band or "",
        population_source=source or "",
        is_demo=is_demo,
    )
    population_batch = batch
    from disproportionality.importers import child_population

    def parse(table: Table) -> child_population.ParsedPopulations:
        parsed = child_population.parse(
            table,
            labels=labels_by_source(),
            year=year,
            age_band=age_band or "",
            source=source or "",
        )
        areas = {a for p in parsed.populations for a, _g in p.values}
        estimates = {
            (a, y): v
            for a, y, v in MidYearEstimate.objects.filter(
                area_id__in=areas, age_band=child_population.CHILDREN
            ).values_list("area_id", "year", "population")
        }
        child_population.sanity_check(parsed, estimates)
        return parsed

    def write(parsed: child_population.ParsedPopulations, result: WriteResult) -> None:
        child_population.write(parsed, batch=population_batch, result=result)

    return import_run(
        batch,
        data,
        parse=parse,
        write=write,
        empty_message="The file has no population figures for areas in England.",
    )


def import_upload_create(
    *,
    uploaded_file,
    kind: str,
    uploaded_by,
    stage: str = "",
    period: str = "",
    year: int | None = None,
    age_band: str = "",
    source: str = "",
) -> ImportBatch:
    """Keep the uploaded file and queue its import (after the commit)."""
    with transaction.atomic():
        batch = ImportBatch(
            kind=kind,
            file_name=uploaded_file.name[:255],
            uploaded_by=uploaded_by,
            stage=stage or "",
            period_override=period or "",
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
        enqueue_on_commit(RUN_IMPORT_BATCH, batch.pk)
    return batch


REAPED_MESSAGE = (
    "The import did not finish in time and was stopped; nothing was written. "
    "Use “Try again” to import the same file once more."
)


def import_batch_retry(*, batch: ImportBatch, user) -> ImportBatch:
    """Queue a failed batch's file again, as a new batch (the failure stays)."""
    if batch.status != ImportBatch.Status.FAILED or not batch.file:
        raise DisproportionalityError("Only a failed import can be tried again.")

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
        enqueue_on_commit(RUN_IMPORT_BATCH, retry.pk)
    return retry


def import_batches_reap(*, now=None) -> dict[str, int]:
    """Fail batches past ``IMPORT_BATCH_MAX_MINUTES``; re-queue waiting ones.

    A worker killed mid-import (or a broker outage at upload) left batches
    "running 50%" or "waiting" for ever. Imports are all-or-nothing, so a
    batch that stopped wrote nothing and failing it is safe.
    """
    from arp.celery import enqueue

    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.IMPORT_BATCH_MAX_MINUTES)
    stuck = ImportBatch.objects.filter(
        status__in=[ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING],
        created_at__lt=limit,
    )
    failed = _mark_failed(stuck, REAPED_MESSAGE, now=now)
    waiting = ImportBatch.objects.filter(
        status=ImportBatch.Status.PENDING,
        created_at__lt=now - timedelta(minutes=2),
    ).values_list("pk", flat=True)
    requeued = sum(enqueue(RUN_IMPORT_BATCH, pk) for pk in waiting)
    return {"failed": failed, "requeued": requeued}


def import_batch_process(*, batch_id: int) -> ImportBatch:
    """Run a queued upload: the Celery task's body."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.is_finished:
        return batch
    with _failure_recorded(batch):
        with batch.file.open("rb") as handle:
            data = handle.read()
        if batch.kind == ImportBatch.Kind.NEIGHBOURS:
            return neighbours_import(data=data, file_name=batch.file_name, batch=batch)
        if batch.kind == ImportBatch.Kind.AREAS:
            return areas_import(data=data, file_name=batch.file_name, batch=batch)
        if batch.kind == ImportBatch.Kind.POPULATION:
            return population_import(
                data=data,
                file_name=batch.file_name,
                year=batch.population_year,
                age_band=batch.age_band,
                source=batch.population_source or "Census 2021",
                batch=batch,
            )
        uasc = batch.stage == Stage.CLA_UASC
        return figures_import(
            data=data,
            file_name=batch.file_name,
            stage="CLA" if uasc else batch.stage or None,
            cohort="uasc" if uasc else "all",
            period=batch.period_override or None,
            batch=batch,
        )


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


def label_mapping_delete(*, mapping: LabelMapping) -> None:
    """Remove a mapping: later imports no longer know its label (figures stay)."""
    mapping.delete()


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
    for stage in ("CIN", "CP", "CLA"):
        series = selectors.headline_series(
            area_code=home, stage=stage, with_population=True
        )
        for group in HEADLINE_GROUPS:
            # children's populations only: a ratio on an all-ages table, or with
            # no population for the period, is never a reading
            points = [
                (p, v, c)
                for p, v, c in series.get(group, [])
                if v is not None and c is not None and c.age_band != "all"
            ]
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
                data_source="Disproportionality dashboard (DfE / local figures; "
                "children aged 0 to 17: Census 2021 scaled to ONS mid-year estimates)",
                target_value=1,
            )
            for period_end, value, choice in points:
                indicator_record_reading(
                    indicator=indicator,
                    value=round(value, 2),
                    taken_on=period_end if isinstance(period_end, date) else period_end,
                    note="Imported figures; disclosure-controlled board view. "
                    f"Population: {choice}.",
                )
                readings += 1
    return readings
