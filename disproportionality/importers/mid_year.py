"""Step 2 for the ONS mid-year estimates of children aged 0 to 17 (tidy CSV).

Columns: ``time_period`` (the mid-year: 30 June of that year),
``time_identifier, geographic_level, country_code, country_name, region_code,
region_name, old_la_code, new_la_code, la_name, age_group,
population_estimate``. No ethnicity: a total per area and year, the base of
DfE's "rate per 10,000 children" and of the scaling of the Census 2021 0–17
ethnic mix to each year.
"""

from dataclasses import dataclass, field

from disproportionality.importers.figures import AreaRecord, dfe_area, in_england
from disproportionality.importers.reading import (
    ImportRejected,
    ParsedFile,
    Problem,
    Table,
    data_rows,
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
class ParsedMidYear(ParsedFile):
    format_detected: str = "ons_mid_year"
    # (area code, year) → children aged 0 to 17
    values: dict[tuple[str, int], int] = field(default_factory=dict)
    areas: dict[str, AreaRecord] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.values


def parse_mid_year(table: Table) -> ParsedMidYear:
    col = {normalise_header(h): i for i, h in enumerate(table.headers)}
    missing = [c for c in COLUMNS if c not in col]
    if missing:
        raise ImportRejected(
            [Problem(1, f"missing column(s): {', '.join(missing)}")], "ons_mid_year"
        )
    parsed = ParsedMidYear()
    seen: dict[tuple[str, int], int] = {}
    for row_no, raw in data_rows(table, parsed):
        values = {h: raw[i] for h, i in col.items()}
        if not _is_children(values["age_group"]):
            parsed.rows_ignored += 1
            continue
        area = dfe_area(values)
        if area is not None and area.level == "subregion":
            area = None  # Inner and Outer London are parts of London: ignored
        if not in_england(area, parsed):
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
        if year is not None and (area.code, year) in seen:
            first = seen[area.code, year]
            problems.append(f"duplicate of row {first} ({area.code}, {year})")
        # each None below has put its problem in the list
        if problems or year is None or count is None:
            parsed.problems.append(Problem(row_no, "; ".join(problems)))
            continue
        key = (area.code, year)
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
