"""Step 2 for populations: the ONS Census 2021 "custom dataset" CSV.

Columns: ``<geography> Code, <geography>, Ethnic group (20 categories) Code,
Ethnic group (20 categories), Observation``. Code -8 ("Does not apply") is
ignored; "Arab" and "Any other ethnic group" both go to the DfE's OOTH.
"""

from dataclasses import dataclass, field

from disproportionality.importers.figures import AreaRecord, lookup_label
from disproportionality.importers.reading import (
    ImportRejected,
    Problem,
    Table,
    area_problem,
    normalise_header,
    parse_count,
)


@dataclass
class ParsedPopulation:
    format_detected: str = "ons_census"
    values: dict[tuple[str, str], int] = field(default_factory=dict)
    areas: dict[str, AreaRecord] = field(default_factory=dict)
    rows_read: int = 0
    rows_ignored: int = 0
    rows_outside_england: int = 0
    suppressed_cells: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def area_level_for(code: str) -> str:
    if code.startswith("E92"):
        return "national"
    if code.startswith("E12"):
        return "region"
    return "local_authority"


def _columns(table: Table) -> tuple[int, int, int, int, int]:
    headers = [normalise_header(h) for h in table.headers]
    try:
        category_code = next(
            i
            for i, h in enumerate(headers)
            if h.startswith("ethnic group") and h.endswith(" code")
        )
        category = next(
            i
            for i, h in enumerate(headers)
            if h.startswith("ethnic group") and not h.endswith(" code")
        )
        area_code = next(
            i
            for i, h in enumerate(headers)
            if h.endswith(" code") and i != category_code
        )
        area_name = headers.index(headers[area_code][: -len(" code")])
        observation = headers.index("observation")
    except (StopIteration, ValueError):
        raise ImportRejected(
            [
                Problem(
                    1,
                    "expected the ONS census columns '<geography> Code, <geography>, "
                    "Ethnic group (20 categories) Code, Ethnic group (20 categories), "
                    "Observation'",
                )
            ],
            "unknown",
        ) from None
    return area_code, area_name, category_code, category, observation


def parse_ons_census(
    table: Table, *, labels: dict[str, dict[str, str]]
) -> ParsedPopulation:
    area_col, name_col, code_col, label_col, obs_col = _columns(table)
    parsed = ParsedPopulation()
    seen: dict[tuple[str, str], int] = {}
    width = len(table.headers)
    for offset, raw in enumerate(table.rows):
        row_no = offset + 2
        if not any(c.strip() for c in raw):
            continue
        parsed.rows_read += 1
        raw = [c.strip() for c in raw] + [""] * (width - len(raw))
        area_code, category_code = raw[area_col], raw[code_col]
        if category_code == "-8":
            parsed.rows_ignored += 1
            continue
        if not area_code.startswith("E"):
            parsed.rows_outside_england += 1
            continue
        problems = []
        key = (area_code, category_code or raw[label_col])
        if key in seen:
            problems.append(
                f"duplicate of row {seen[key]} ({area_code}, {raw[label_col]})"
            )
        seen.setdefault(key, row_no)
        code = lookup_label(raw[label_col], labels, ("ons",))
        if code is None:
            problems.append(
                f"unknown ethnic group {raw[label_col]!r} (add it under label mappings)"
            )
        too_long = area_problem(area_code, raw[name_col])
        if too_long:
            problems.append(too_long)
        count, marker, error = parse_count(raw[obs_col])
        if error:
            problems.append(error.replace("count", "observation", 1))
        elif count is None:
            problems.append(f"observation {raw[obs_col]!r} is missing")
        if problems:
            parsed.problems.append(Problem(row_no, "; ".join(problems)))
            continue
        parsed.areas.setdefault(
            area_code,
            AreaRecord(area_code, raw[name_col], area_level_for(area_code), None),
        )
        parsed.values[(area_code, code)] = (
            parsed.values.get((area_code, code), 0) + count
        )
    if not parsed.values and not parsed.problems:
        parsed.problems.append(
            Problem(None, "The file has no rows for areas in England.")
        )
    return parsed
