"""Step 2 for the ONS mid-year estimates of children aged 0 to 17 (tidy CSV).

Columns: ``time_period`` (the mid-year: 30 June of that year),
``time_identifier, geographic_level, country_code, country_name, region_code,
region_name, old_la_code, new_la_code, la_name, age_group,
population_estimate``. No ethnicity: a total per area and year, the base of
DfE's "rate per 10,000 children" and of the scaling of the Census 2021 0–17
ethnic mix to each year.
"""

from dataclasses import dataclass, field

from disproportionality.importers.figures import DFE_LEVELS, AreaRecord
from disproportionality.importers.reading import (
    ImportRejected,
    Problem,
    Table,
    normalise_header,
    parse_count,
)

SOURCE = "ONS mid-year estimates"
COLUMNS = ("time_period", "geographic_level", "age_group", "population_estimate")


def is_mid_year(headers: set[str]) -> bool:
    return {"population_estimate", "age_group", "time_period"} <= headers


def _is_children(age_group: str) -> bool:
    text = " ".join(age_group.casefold().split())
    return "0 to 17" in text or "0-17" in text or "under 18" in text


@dataclass
class ParsedMidYear:
    format_detected: str = "ons_mid_year"
    values: dict[tuple[str, int], int] = field(default_factory=dict)
    areas: dict[str, AreaRecord] = field(default_factory=dict)
    rows_read: int = 0
    rows_ignored: int = 0
    rows_outside_england: int = 0
    suppressed_cells: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.values


def _area(values: dict[str, str]) -> AreaRecord | None:
    level = DFE_LEVELS.get(values.get("geographic_level", "").casefold())
    if level == "national":
        return AreaRecord(
            values.get("country_code", ""), values.get("country_name", ""), level, None
        )
    if level == "region":
        code = values.get("region_code", "")
        # Inner and Outer London (E13…) are parts of London, not regions
        if code.startswith("E13"):
            return None
        return AreaRecord(
            code,
            values.get("region_name", ""),
            level,
            values.get("country_code") or None,
        )
    if level == "local_authority":
        return AreaRecord(
            values.get("new_la_code", ""),
            values.get("la_name", ""),
            level,
            values.get("region_code") or None,
            old_code=values.get("old_la_code", ""),
        )
    return None  # fmt: skip


def parse_mid_year(table: Table) -> ParsedMidYear:
    col = {normalise_header(h): i for i, h in enumerate(table.headers)}
    missing = [c for c in COLUMNS if c not in col]
    if missing:
        raise ImportRejected(
            [Problem(1, f"missing column(s): {', '.join(missing)}")], "ons_mid_year"
        )
    parsed = ParsedMidYear()
    seen: dict[tuple[str, int], int] = {}
    width = len(table.headers)
    for offset, raw in enumerate(table.rows):
        row_no = offset + 2
        if not any(c.strip() for c in raw):
            continue
        parsed.rows_read += 1
        raw = [c.strip() for c in raw] + [""] * (width - len(raw))
        values = {h: raw[i] for h, i in col.items()}
        if not _is_children(values["age_group"]):
            parsed.rows_ignored += 1
            continue
        area = _area(values)
        if area is None:
            parsed.rows_ignored += 1
            continue
        if not area.code.startswith("E"):
            parsed.rows_outside_england += 1
            continue
        problems = []
        period = values["time_period"]
        year = int(period) if period.isdigit() and len(period) == 4 else None
        if year is None:
            problems.append(f"time_period {period!r} is not a year (mid-year 2024)")
        count, _marker, error = parse_count(values["population_estimate"])
        if error:
            problems.append(error.replace("count", "population_estimate", 1))
        elif count is None:
            # "x": no estimate (e.g. an authority before a merger): skipped
            parsed.suppressed_cells += 1
            continue
        key = (area.code, year)
        if year is not None and key in seen:
            problems.append(f"duplicate of row {seen[key]} ({area.code}, {year})")
        if problems:
            parsed.problems.append(Problem(row_no, "; ".join(problems)))
            continue
        seen[key] = row_no
        parsed.values[key] = count
        parsed.areas.setdefault(area.code, area)
    if not parsed.values and not parsed.problems:
        parsed.problems.append(
            Problem(
                None, "The file has no estimates of children aged 0 to 17 in England."
            )
        )
    return parsed


def write_mid_year(
    values: dict[tuple[str, int], int], *, batch_id: int | None, result
) -> None:
    """Step 3: new or changed estimates only (inside the caller's transaction)."""
    from disproportionality.models import MidYearEstimate

    existing = {
        (a, y): v
        for a, y, v in MidYearEstimate.objects.filter(
            area_id__in={a for a, _y in values}, age_band="0-17"
        ).values_list("area_id", "year", "population")
    }
    to_write = []
    for (area, year), population in values.items():
        old = existing.get((area, year))
        if old == population:
            result.unchanged += 1
            continue
        if old is None:
            result.created += 1
        else:
            result.updated += 1
            result.changes.append(
                {"cell": f"{area} mid-{year}", "from": old, "to": population}
            )
        to_write.append(
            MidYearEstimate(
                area_id=area,
                year=year,
                age_band="0-17",
                population=population,
                source=SOURCE,
                batch_id=batch_id,
            )
        )
    MidYearEstimate.objects.bulk_create(
        to_write,
        update_conflicts=True,
        unique_fields=["area", "year", "age_band"],
        update_fields=["population", "source", "batch"],
    )
