"""Step 2 for populations: the ONS Census 2021 "custom dataset" CSV.

Columns: ``<geography> Code, <geography>, Ethnic group (20 categories) Code,
Ethnic group (20 categories), Observation``, in any order, optionally with
``Age (N categories) Code, Age (N categories)``. Code -8 ("Does not apply") is
ignored; "Arab" and "Any other ethnic group" both go to the DfE's OOTH.

With an age column, the bands that lie wholly within 0–17 are summed into the
band "0-17"; a band that straddles 17/18 ("Aged 15 to 19 years") refuses the
file, as no share of it can honestly be called children.
"""

import re
from dataclasses import dataclass, field

from disproportionality.importers.figures import AreaRecord, lookup_label
from disproportionality.importers.reading import (
    ImportRejected,
    ParsedFile,
    Problem,
    Table,
    area_problem,
    data_rows,
    normalise_header,
    parse_count,
)


@dataclass
class ParsedPopulation(ParsedFile):
    format_detected: str = "ons_census"
    # (area code, DfE code) → people
    values: dict[tuple[str, str], int] = field(default_factory=dict)
    # the age band the file itself gives ("0-17" from an age column), else ""
    age_band: str = ""
    year: int | None = None
    areas: dict[str, AreaRecord] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.values


CENSUS_YEAR = 2021  # the Census 2021 custom datasets
CHILD_MAX_AGE = 17
_AGE_RANGE = re.compile(r"aged (\d+) to (\d+) years?")
_AGE_UNDER = re.compile(r"aged (\d+) years? and under")
_AGE_OVER = re.compile(r"aged (\d+) years? and over")
_AGE_SINGLE = re.compile(r"aged (\d+) years?$")


def age_range(label: str) -> tuple[int, int | None] | None:
    """(first, last) year of age in an ONS band label; last None = and over.

    "Aged 2 years and under" → (0, 2); "Aged 3 to 4 years" → (3, 4);
    "Aged 15 years" → (15, 15); "Aged under 1 year" → (0, 0);
    "Aged 85 years and over" → (85, None). None when not an age band.
    """
    text = " ".join(label.casefold().split())
    if text in {"aged under 1 year", "under 1 year", "aged under 1"}:
        return 0, 0
    if match := _AGE_RANGE.fullmatch(text):
        return int(match.group(1)), int(match.group(2))
    if match := _AGE_UNDER.fullmatch(text):
        return 0, int(match.group(1))
    if match := _AGE_OVER.fullmatch(text):
        return int(match.group(1)), None
    if match := _AGE_SINGLE.fullmatch(text):
        return int(match.group(1)), int(match.group(1))
    return None


def child_band(label: str) -> tuple[bool | None, str | None]:
    """(within 0–17, problem): True to count, False to skip, None on a problem."""
    found = age_range(label)
    if found is None:
        return (
            None,
            f"age band {label!r} is not an ONS age band (e.g. 'Aged 3 to 4 years')",
        )
    first, last = found
    if last is not None and last <= CHILD_MAX_AGE:
        return True, None
    if first > CHILD_MAX_AGE:
        return False, None
    return None, (
        f"age band {label!r} straddles 17 and 18, so the children aged 0 to 17 "
        "cannot be separated: choose an age classification whose bands end at 17 "
        "(e.g. Age (23 categories))"
    )


def area_level_for(code: str) -> str:
    if code.startswith("E92"):
        return "national"
    if code.startswith("E12"):
        return "region"
    return "local_authority"


def _age_column(table: Table) -> int | None:
    """The age label column (not its code), if the file has one."""
    headers = [normalise_header(h) for h in table.headers]
    return next(
        (
            i
            for i, h in enumerate(headers)
            if h.startswith("age") and not h.endswith(" code")
        ),
        None,
    )


def _columns(table: Table) -> tuple[int, int, int, int, int]:
    headers = [normalise_header(h) for h in table.headers]
    age_cols = {
        i for i, h in enumerate(headers) if h.startswith("age") and h.endswith(" code")
    }
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
            if h.endswith(" code") and i != category_code and i not in age_cols
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
    age_col = _age_column(table)
    parsed = ParsedPopulation()
    if age_col is not None:
        parsed.format_detected, parsed.age_band = "ons_census_age", "0-17"
    parsed.year = CENSUS_YEAR
    seen: dict[tuple[str, ...], int] = {}
    for row_no, raw in data_rows(table, parsed):
        area_code, category_code = raw[area_col], raw[code_col]
        if category_code == "-8":
            parsed.rows_ignored += 1
            continue
        if not area_code.startswith("E"):
            parsed.rows_outside_england += 1
            continue
        problems = []
        key: tuple[str, ...] = (area_code, category_code or raw[label_col])
        if age_col is not None:
            within, age_problem = child_band(raw[age_col])
            if age_problem:
                parsed.problems.append(Problem(row_no, age_problem))
                continue
            if not within:
                parsed.rows_ignored += 1
                continue
            key = (*key, raw[age_col])
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
        # each None below has put its problem in the list
        if problems or code is None or count is None:
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
