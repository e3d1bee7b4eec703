"""DfE's older wide authority files: one row per area, ethnicity in columns.

Children looked after on 31 March, as published for every authority before the
explore-education-statistics tidy files (e.g. the 2016 and 2019 "LA tables"):

* identifying columns ``New_geog_code, geog_l (NATIONAL/REGION/LA), geog_c
  (old three-digit code, or a region letter), geog_n``, sometimes after a
  leading ``LA_order``;
* ethnicity major groups for the file's latest year: ``CLA_White, CLA_Mixed,
  CLA_Asian, CLA_Black, CLA_EOTH`` (other ethnic group) and ``CLA_Oth``
  (refused or not yet obtained); only the groups' totals, so they are stored as
  major-group-only counts;
* ``c`` or ``x`` for a suppressed figure;
* Inner and Outer London (``geog_c`` H and I) appear after London, some years
  with London's own E12000007: a sub-region, never a second London. A row with
  a blank ``geog_l`` (an authority reported with another) is skipped and counted.

The period is the latest year in the column names (``CLA_Mar2019``), unless
``--period`` says otherwise. The files carry no region column: an authority's
region comes from a tidy file (``import_areas`` or a DfE authority file).
"""

import re
from datetime import date

from disproportionality.importers.figures import (
    LONDON,
    AreaRecord,
    FigureRecord,
    ParsedFigures,
    _Collector,
    _index,
    parse_period,
    register,
)
from disproportionality.importers.reading import (
    ImportRejected,
    Problem,
    Table,
    data_rows,
    parse_count,
)

ENGLAND = "E92000001"
ETHNICITY_COLUMNS = {
    "cla_white": "WHITE",
    "cla_mixed": "MIXED",
    "cla_asian": "ASIAN",
    "cla_black": "BLACK",
    "cla_eoth": "OOTH",  # the only part of "Other ethnic group", as in tidy files
    "cla_oth": "UNKNOWN",
}
LONDON_PARTS = {"H": "Inner London", "I": "Outer London"}
_YEAR_COLUMN = re.compile(r"^cla_(?:mar)?(\d{4})$")
_SMALL_WORDS = {"and", "of", "the", "upon", "on", "with", "in"}


def tidy_name(name: str) -> str:
    """ "YORKSHIRE AND THE HUMBER" → "Yorkshire and the Humber"."""
    if not name.isupper():
        return name
    words = name.casefold().split()
    return " ".join(
        w if i and w in _SMALL_WORDS else w.capitalize() for i, w in enumerate(words)
    )


def file_period(headers: list[str]) -> str | None:
    """The latest year named by a ``CLA_Mar2019`` / ``CLA_2016`` column."""
    years = [
        int(m.group(1))
        for h in headers
        if (m := _YEAR_COLUMN.match(h.strip().casefold()))
    ]
    return str(max(years)) if years else None


def _area(
    code: str, level: str, old: str, name: str, row_no: int, parsed, seen: date
) -> AreaRecord | None:
    """The area a row is about, or None when the row is skipped."""
    if level == "national":
        return AreaRecord(code, tidy_name(name), "national", None, rename=False)
    if level == "region":
        part = LONDON_PARTS.get(old.upper())
        if part and code == LONDON:
            parsed.rows_ignored += 1
            parsed.warnings.append(
                Problem(
                    row_no,
                    f"{part} is coded with London's {LONDON}: a sub-region of London, "
                    "not a second London; skipped",
                )
            )
            return None
        if code.startswith("E13"):
            return AreaRecord(
                code, part or tidy_name(name), "subregion", LONDON, rename=False
            )
        return AreaRecord(code, tidy_name(name), "region", ENGLAND, rename=False)
    return AreaRecord(
        code,
        name,
        "local_authority",
        None,
        old_code=old if old.isdigit() else "",
        seen=seen,
    )


@register("dfe_wide")
def parse_dfe_wide(
    table: Table,
    *,
    stage: str | None,
    period: str | None,
    format_detected: str,
    **_ignored,
) -> ParsedFigures:
    parsed = ParsedFigures(format_detected)
    col = _index(table)
    if stage not in (None, "", "CLA"):
        raise ImportRejected(
            [
                Problem(
                    None,
                    "the wide authority files count children looked after "
                    f"on 31 March (CLA), not {stage}",
                )
            ],
            format_detected,
        )
    missing = [h for h in ETHNICITY_COLUMNS if h not in col]
    if missing:
        raise ImportRejected(
            [
                Problem(
                    1,
                    "this wide file has no ethnicity column(s): "
                    + ", ".join(
                        h.replace("cla_", "CLA_").title().replace("Cla_", "CLA_")
                        for h in missing
                    ),
                )
            ],
            format_detected,
        )
    chosen = parse_period(period) if period else None
    if period and chosen is None:
        raise ImportRejected(
            [Problem(None, f"--period {period!r} is not a year such as 2019")],
            format_detected,
        )
    if chosen is None:
        latest = file_period(table.headers)
        if latest is None:
            raise ImportRejected(
                [
                    Problem(
                        1,
                        "no CLA_Mar<year> column says which year the file is "
                        "for: give the period (--period 2019)",
                    )
                ],
                format_detected,
            )
        chosen = parse_period(latest)
        if chosen is None:
            raise ImportRejected(
                [Problem(1, f"the column year {latest} is not a year we can read")],
                format_detected,
            )
    else:
        parsed.period_override = chosen[0]
    period_name, period_end = chosen
    collect = _Collector(parsed)
    levels = {"national": "national", "region": "region", "la": "local_authority"}
    for row_no, raw in data_rows(table, parsed):
        code = raw[col["new_geog_code"]]
        geog_l = raw[col["geog_l"]].casefold()
        old = raw[col["geog_c"]]
        name = raw[col["geog_n"]]
        if not geog_l:
            parsed.rows_ignored += 1
            parsed.warnings.append(
                Problem(
                    row_no,
                    f"{name or code or 'a row'} has no geog_l (reported with another "
                    "authority): skipped",
                )
            )
            continue
        level = levels.get(geog_l)
        if level is None:
            parsed.problems.append(
                Problem(
                    row_no,
                    f"geog_l {raw[col['geog_l']]!r} is not NATIONAL, REGION or LA",
                )
            )
            continue
        if not code:
            parsed.problems.append(Problem(row_no, "New_geog_code is empty"))
            continue
        if not code.startswith("E"):
            parsed.rows_outside_england += 1
            continue
        area = _area(code, level, old, name, row_no, parsed, period_end)
        if area is None:
            continue
        problems = []
        cells = []
        for header, major in ETHNICITY_COLUMNS.items():
            count, marker, error = parse_count(raw[col[header]])
            if error:
                problems.append(f"{header.replace('cla_', 'CLA_')}: {error}")
            cells.append((major, count, marker))
        if problems:
            parsed.problems.append(Problem(row_no, "; ".join(problems)))
            continue
        if area.code in parsed.areas:
            parsed.problems.append(
                Problem(row_no, f"a second row for {area.code} ({name})")
            )
            continue
        parsed.areas[area.code] = area
        for major, count, marker in cells:
            collect.add(
                FigureRecord(
                    row_no,
                    area.code,
                    period_name,
                    period_end,
                    "CLA",
                    major,
                    count,
                    marker,
                )
            )
    return parsed
