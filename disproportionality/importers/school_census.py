"""Step 2 for the DfE school census, pupils by ethnicity
(``spc_pupils_ethnicity_and_language.csv``, explore education statistics).

Columns: ``time_period`` (``202324`` = the January 2024 census),
``time_identifier, geographic_level, country_code, country_name, region_code,
region_name, old_la_code, new_la_code, la_name, phase_type_grouping, ethnicity,
language, headcount, percent_of_pupils``. Only ``phase_type_grouping = Total``
is read; within it the ``language = Total`` row where there is one, else the
sum of the language breakdown. "Unclassified" is an unknown ethnicity (NOBT).
Stored as source "School census", age band "pupils", year = the census's
calendar year, one population per January.
"""

from disproportionality import taxonomy
from disproportionality.importers.figures import (
    AreaRecord,
    dfe_area,
    in_england,
    lookup_label,
)
from disproportionality.importers.population import ParsedPopulation
from disproportionality.importers.reading import (
    ImportRejected,
    Problem,
    Table,
    data_rows,
    normalise_header,
    parse_count,
)

SOURCE = "School census"
AGE_BAND = "pupils"
COLUMNS = (
    "time_period",
    "geographic_level",
    "phase_type_grouping",
    "ethnicity",
    "language",
    "headcount",
)

# DfE school census wording → DfE child-level code
SCHOOL_LABELS = {
    "White - White British": "WBRI",
    "White - Irish": "WIRI",
    "White - Traveller of Irish heritage": "WIRT",
    "White - Gypsy/Roma": "WROM",
    "White - Any other White background": "WOTH",
    "Mixed - White and Black Caribbean": "MWBC",
    "Mixed - White and Black African": "MWBA",
    "Mixed - White and Asian": "MWAS",
    "Mixed - Any other Mixed background": "MOTH",
    "Asian - Indian": "AIND",
    "Asian - Pakistani": "APKN",
    "Asian - Bangladeshi": "ABAN",
    "Asian - Chinese": "CHNE",
    "Chinese": "CHNE",
    "Asian - Any other Asian background": "AOTH",
    "Black - Black Caribbean": "BCRB",
    "Black - Black African": "BAFR",
    "Black - Any other Black background": "BOTH",
    "Any other ethnic group": "OOTH",
    "Unclassified": "NOBT",
}
_LABELS = {taxonomy.normalise_label(k): v for k, v in SCHOOL_LABELS.items()}
TOTAL_WORDS = {"total", "all pupils", "total pupils"}


def is_school_census(headers: set[str]) -> bool:
    return {"phase_type_grouping", "ethnicity", "headcount"} <= headers


def census_year(raw: str) -> int | None:
    """ "202324" → 2024 (the January census of the 2023/24 school year)."""
    value = raw.strip()
    if len(value) == 6 and value.isdigit():
        start, end = int(value[:4]), int(value[4:])
        if (start + 1) % 100 == end:
            return start + 1
    if len(value) == 4 and value.isdigit():
        return int(value)
    return None


def parse_school_census(
    table: Table, *, labels: dict[str, dict[str, str]]
) -> dict[int, ParsedPopulation]:
    """One parsed population per census year in the file."""
    col = {normalise_header(h): i for i, h in enumerate(table.headers)}
    missing = [c for c in COLUMNS if c not in col]
    if missing:
        raise ImportRejected(
            [Problem(1, f"missing column(s): {', '.join(missing)}")], "school_census"
        )
    # (year, area, code) → the Total row's headcount / the languages' sum
    totals: dict[tuple[int, str, str], int] = {}
    parts: dict[tuple[int, str, str], int] = {}
    summary = ParsedPopulation(format_detected="school_census", age_band=AGE_BAND)
    areas: dict[str, AreaRecord] = {}
    for row_no, raw in data_rows(table, summary):
        values = {h: raw[i] for h, i in col.items()}
        if values["phase_type_grouping"].casefold() != "total":
            summary.rows_ignored += 1
            continue
        label = values["ethnicity"]
        if taxonomy.normalise_label(label) in TOTAL_WORDS:
            summary.rows_ignored += 1
            continue
        area = dfe_area(values)
        if not in_england(area, summary):
            continue
        problems = []
        year = census_year(values["time_period"])
        if year is None:
            problems.append(
                f"time_period {values['time_period']!r} is not a school year (202324)"
            )
        code = _LABELS.get(taxonomy.normalise_label(label)) or lookup_label(
            label, labels, ("dfe",)
        )
        if code is None:
            problems.append(
                f"unknown ethnicity {label!r} (add it under label mappings)"
            )
        count, _marker, error = parse_count(values["headcount"])
        if error:
            problems.append(error.replace("count", "headcount", 1))
        # each None below has put its problem in the list
        if problems or year is None or code is None:
            summary.problems.append(Problem(row_no, "; ".join(problems)))
            continue
        if count is None:
            summary.suppressed_cells += 1
            continue
        areas.setdefault(area.code, area)
        key = (year, area.code, code)
        if values["language"].casefold() in {"total", ""}:
            totals[key] = totals.get(key, 0) + count
        else:
            parts[key] = parts.get(key, 0) + count
    by_year: dict[int, ParsedPopulation] = {}
    for key in {*totals, *parts}:
        year, area_code, code = key
        parsed = by_year.setdefault(
            year,
            ParsedPopulation(
                format_detected="school_census", age_band=AGE_BAND, year=year
            ),
        )
        # the Total row where there is one, else the language breakdown's sum
        value = totals[key] if key in totals else parts[key]
        cell = (area_code, code)
        parsed.values[cell] = parsed.values.get(cell, 0) + value
        parsed.areas[area_code] = areas[area_code]
    if not by_year and not summary.problems:
        summary.problems.append(
            Problem(
                None, "The file has no phase_type_grouping = Total rows for England."
            )
        )
    if summary.problems:
        return {0: summary}
    first = min(by_year)
    for name in (
        "rows_read",
        "rows_ignored",
        "rows_outside_england",
        "suppressed_cells",
    ):
        setattr(by_year[first], name, getattr(summary, name))
    return by_year
