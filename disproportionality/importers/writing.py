"""Step 3: write validated records, in bulk, inside the caller's transaction.

Existing cells in the file's scope are read once; only new or changed cells are
written. On PostgreSQL the rows go through COPY into a temporary table and one
INSERT … ON CONFLICT DO UPDATE; elsewhere through ``bulk_create`` with
``update_conflicts``.
"""

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import connection
from django.utils import timezone

from disproportionality import taxonomy
from disproportionality.importers import mid_year
from disproportionality.importers.figures import LONDON, AreaRecord, FigureRecord
from disproportionality.importers.neighbours import NeighbourRecord
from disproportionality.models import (
    LEVEL_ORDER,
    Area,
    AreaAlias,
    EthnicityCount,
    MidYearEstimate,
    Population,
    StatisticalNeighbour,
)

BATCH_SIZE = 2_000
ENGLAND = "E92000001"
MAX_CHANGES_KEPT = 50


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    areas_created: int = 0
    areas_renamed: int = 0
    changes: list[dict] = field(default_factory=list)

    def note_change(self, change: dict) -> None:
        """Keep the first ``MAX_CHANGES_KEPT`` changed cells for the batch."""
        if len(self.changes) < MAX_CHANGES_KEPT:
            self.changes.append(change)


Key = TypeVar("Key", bound=Hashable)


def changed_values(
    values: Mapping[Key, int],
    existing: Mapping[Key, int],
    result: WriteResult,
    *,
    cell: Callable[[Key], str],
) -> list[tuple[Key, int]]:
    """The new or changed values, counted in ``result`` (``cell`` names a
    changed one for the batch)."""
    to_write = []
    for key, value in values.items():
        old = existing.get(key)
        if old == value:
            result.unchanged += 1
            continue
        if old is None:
            result.created += 1
        else:
            result.updated += 1
            result.note_change({"cell": cell(key), "from": old, "to": value})
        to_write.append((key, value))
    return to_write


def write_areas(areas: dict[str, AreaRecord], result: WriteResult) -> None:
    """Create England's areas a file names, rename those whose name changed,
    learn each one's parent (authority → region → England) and old code."""
    if not areas:
        return
    parents = {r.parent for r in areas.values() if r.parent}
    existing = Area.objects.in_bulk(list(set(areas) | parents | {ENGLAND}))
    if LONDON in parents and LONDON not in existing and LONDON not in areas:
        # a borough's file names Inner/Outer London (E13…): its region is London
        england = ENGLAND if ENGLAND in existing or ENGLAND in areas else None
        areas = {LONDON: AreaRecord(LONDON, "London", "region", england), **areas}
    known = set(existing) | set(areas)
    new, renamed, parented = [], [], []
    for code, record in areas.items():
        parent = record.parent if record.parent in known else None
        area = existing.get(code)
        if area is None:
            new.append(
                Area(code=code, name=record.name, level=record.level, parent_id=parent)
            )
            continue
        if record.rename and record.name and area.name != record.name:
            area.name = record.name
            renamed.append(area)
        if parent and area.parent_id != parent and area.level != Area.Level.LOCAL:
            area.parent_id = parent
            parented.append(area)
    # parents before children so the foreign keys hold
    Area.objects.bulk_create(sorted(new, key=lambda a: LEVEL_ORDER.get(a.level, 9)))
    Area.objects.bulk_update(renamed, ["name"])
    Area.objects.bulk_update(parented, ["parent"])
    result.areas_created += len(new)
    result.areas_renamed += len(renamed)
    write_aliases(areas)


def write_aliases(areas: dict[str, AreaRecord]) -> None:
    """Keep each authority's old three-digit code, and the latest period seen."""
    wanted = {(r.old_code, code): r.seen for code, r in areas.items() if r.old_code}
    if not wanted:
        return
    existing = {
        (a.code, a.area_id): a
        for a in AreaAlias.objects.filter(area_id__in={c for _o, c in wanted})
    }
    new, later = [], []
    for (old, code), seen in wanted.items():
        alias = existing.get((old, code))
        if alias is None:
            new.append(AreaAlias(code=old, area_id=code, seen_until=seen))
        elif seen and (alias.seen_until is None or seen > alias.seen_until):
            alias.seen_until = seen
            later.append(alias)
    AreaAlias.objects.bulk_create(new)
    AreaAlias.objects.bulk_update(later, ["seen_until"])
    _parents_through_aliases()


def _parents_through_aliases() -> None:
    """An authority whose ONS code changed but whose old code did not (Gateshead,
    390: E08000020 then E08000037) is in the same region as its successor. It
    keeps its own figures and years; only its region is learned."""
    orphans = list(
        AreaAlias.objects.filter(
            area__level=Area.Level.LOCAL_AUTHORITY, area__parent__isnull=True
        ).values_list("code", "area_id")
    )
    if not orphans:
        return
    regions = dict(
        AreaAlias.objects.filter(
            code__in={c for c, _a in orphans}, area__parent__isnull=False
        ).values_list("code", "area__parent_id")
    )
    for code, area in orphans:
        if code in regions:
            Area.objects.filter(code=area).update(parent_id=regions[code])


def _diff_counts(
    records: list[FigureRecord], result: WriteResult
) -> list[FigureRecord]:
    areas = {r.area_code for r in records}
    periods = {r.period for r in records}
    stages = {r.stage for r in records}
    existing = {
        (a, p, s, g or mj): (c, m)
        for a, p, s, g, mj, c, m in EthnicityCount.objects.filter(
            area_id__in=areas, period__in=periods, stage__in=stages
        ).values_list(
            "area_id", "period", "stage", "group_id", "major_code", "count", "marker"
        )
    }
    to_write = []
    for r in records:
        key = (r.area_code, r.period, r.stage, r.code)
        old = existing.get(key)
        if old is None:
            result.created += 1
        elif old == (r.count, r.marker):
            result.unchanged += 1
            continue
        else:
            result.updated += 1
            result.note_change(
                {
                    "row": r.row,
                    "cell": " ".join(key),
                    "from": old[0] if old[0] is not None else old[1] or "suppressed",
                    "to": r.count if r.count is not None else r.marker or "suppressed",
                }
            )
        to_write.append(r)
    return to_write


# the model's columns but its key, in its order: ``_copy_rows`` writes them so
_COUNT_COLUMNS = tuple(
    f.column
    for f in EthnicityCount._meta.concrete_fields
    if f.column and not f.primary_key
)


def _copy_rows(copy, records: list[FigureRecord], batch_id: int | None) -> None:
    write_row = copy.write_row
    for r in records:
        write_row(
            (
                r.area_code,
                r.period,
                r.period_end,
                r.stage,
                r.code,
                "",
                r.count,
                r.count is None,
                r.marker,
                batch_id,
            )
        )


def _count(r: FigureRecord, batch_id: int | None) -> EthnicityCount:
    """A cell as a model row: a major code is a major-group-only count."""
    major = taxonomy.is_major(r.code)
    return EthnicityCount(
        area_id=r.area_code,
        period=r.period,
        period_end=r.period_end,
        stage=r.stage,
        group_id=None if major else r.code,
        major_code=r.code if major else "",
        count=r.count,
        suppressed=r.count is None,
        marker=r.marker,
        batch_id=batch_id,
    )


def _copy_insert(records: list[FigureRecord], batch_id: int | None) -> None:
    """Every cell is new: COPY straight into the table."""
    table = EthnicityCount._meta.db_table
    columns = ", ".join(_COUNT_COLUMNS)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        _copy_rows(copy, records, batch_id)


def _copy_upsert(records: list[FigureRecord], batch_id: int | None) -> None:
    table = EthnicityCount._meta.db_table
    columns = ", ".join(_COUNT_COLUMNS)
    updates = ", ".join(
        f"{c} = EXCLUDED.{c}"
        for c in ("period_end", "count", "suppressed", "marker", "batch_id")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS dp_count_stage (area_id varchar(20), "
            "period varchar(10), period_end date, stage varchar(10), "
            "group_id varchar(4), major_code varchar(8), count integer, "
            "suppressed boolean, marker varchar(4), batch_id bigint) ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE dp_count_stage")
        with cursor.cursor.copy(f"COPY dp_count_stage ({columns}) FROM STDIN") as copy:
            _copy_rows(copy, records, batch_id)
        # identifiers only, all from this module's constants: no user input
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM dp_count_stage "  # noqa: S608
            f"ON CONFLICT (area_id, period, stage, group_id) DO UPDATE SET {updates}"
        )


def _bulk_upsert(records: list[FigureRecord], batch_id: int | None) -> None:
    EthnicityCount.objects.bulk_create(
        [_count(r, batch_id) for r in records],
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["area", "period", "stage", "group"],
        update_fields=["period_end", "count", "suppressed", "marker", "batch"],
    )


def _write_majors(records: list[FigureRecord], batch_id: int | None) -> None:
    """Major-group-only cells (few: six an area): replace the old row, if any.

    Their uniqueness is a partial index (no group), which ON CONFLICT cannot
    name through the ORM, so changed cells are deleted and written again.
    """
    keys = {(r.area_code, r.period, r.stage, r.code) for r in records}
    stale = [
        pk
        for pk, *key in EthnicityCount.objects.filter(
            group__isnull=True,
            area_id__in={k[0] for k in keys},
            period__in={k[1] for k in keys},
            stage__in={k[2] for k in keys},
        ).values_list("pk", "area_id", "period", "stage", "major_code")
        if tuple(key) in keys
    ]
    EthnicityCount.objects.filter(pk__in=stale).delete()
    EthnicityCount.objects.bulk_create(
        [_count(r, batch_id) for r in records], batch_size=BATCH_SIZE
    )


def write_counts(
    records: list[FigureRecord],
    *,
    batch_id: int | None,
    result: WriteResult,
    use_copy: bool | None = None,
) -> None:
    to_write = _diff_counts(records, result)
    majors = [r for r in to_write if taxonomy.is_major(r.code)]
    if majors:
        _write_majors(majors, batch_id)
        to_write = [r for r in to_write if not taxonomy.is_major(r.code)]
    if not to_write:
        return
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    if not use_copy:
        _bulk_upsert(to_write, batch_id)
    elif result.updated == 0:
        _copy_insert(to_write, batch_id)
    else:
        _copy_upsert(to_write, batch_id)


def write_population(
    values: dict[tuple[str, str], int],
    *,
    year: int,
    source: str,
    age_band: str,
    batch_id: int | None,
    result: WriteResult,
) -> None:
    existing = {
        (a, g): p
        for a, g, p in Population.objects.filter(
            area_id__in={a for a, _g in values},
            year=year,
            source=source,
            age_band=age_band,
        ).values_list("area_id", "group_id", "population")
    }
    to_write = [
        Population(
            area_id=area,
            year=year,
            source=source,
            age_band=age_band,
            group_id=group,
            population=population,
            batch_id=batch_id,
        )
        for (area, group), population in changed_values(
            values, existing, result, cell=lambda key: f"{key[0]} {key[1]}"
        )
    ]
    Population.objects.bulk_create(
        to_write,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["area", "year", "source", "age_band", "group"],
        update_fields=["population", "batch"],
    )


def write_mid_year(
    values: dict[tuple[str, int], int], *, batch_id: int | None, result: WriteResult
) -> None:
    """The mid-year estimates of children aged 0 to 17: new or changed only."""
    existing = {
        (a, y): v
        for a, y, v in MidYearEstimate.objects.filter(
            area_id__in={a for a, _y in values}, age_band="0-17"
        ).values_list("area_id", "year", "population")
    }
    MidYearEstimate.objects.bulk_create(
        [
            MidYearEstimate(
                area_id=area,
                year=year,
                age_band="0-17",
                population=population,
                source=mid_year.SOURCE,
                batch_id=batch_id,
            )
            for (area, year), population in changed_values(
                values, existing, result, cell=lambda key: f"{key[0]} mid-{key[1]}"
            )
        ],
        update_conflicts=True,
        unique_fields=["area", "year", "age_band"],
        update_fields=["population", "source", "batch"],
    )


def write_neighbours(
    records: list[NeighbourRecord], *, batch_id: int | None, result: WriteResult
) -> None:
    """Replace the statistical neighbours of every authority the file names
    (when any of them changed)."""
    areas = {r.area_code for r in records}
    existing = {
        (a, r): (n, c)
        for a, r, n, c in StatisticalNeighbour.objects.filter(
            area_id__in=areas
        ).values_list("area_id", "rank", "neighbour_id", "closeness")
    }
    wanted = {(r.area_code, r.rank): (r.neighbour_code, r.closeness) for r in records}
    for key, value in wanted.items():
        old = existing.get(key)
        if old is None:
            result.created += 1
        elif old == value:
            result.unchanged += 1
        else:
            result.updated += 1
    if existing == wanted:
        return
    StatisticalNeighbour.objects.filter(area_id__in=areas).delete()
    StatisticalNeighbour.objects.bulk_create(
        StatisticalNeighbour(
            area_id=r.area_code,
            rank=r.rank,
            neighbour_id=r.neighbour_code,
            closeness=r.closeness,
            batch_id=batch_id,
        )
        for r in records
    )
    # the data version keys the cache by areas' updated_at: touch them
    Area.objects.filter(code__in=areas).update(updated_at=timezone.now())
