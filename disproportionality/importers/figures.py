"""Step 2 for CIN / CP / CLA figures: detect the layout, parse, validate.

Pure functions over a ``Table``: no database. Label lookups and the set of
known area codes are passed in, so each layout is testable on its own.

One parser per layout, registered under the name ``detect_format`` gives it
(``PARSERS``); ``parse_figures`` is the one entry point. The older wide DfE
authority files live in ``dfe_wide.py`` and register themselves here.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeGuard

from disproportionality import taxonomy
from disproportionality.importers.reading import (
    AREA_CODE_MAX,
    ImportRejected,
    ParsedFile,
    Problem,
    Table,
    area_problem,
    data_rows,
    normalise_header,
    parse_count,
)

LOCAL_COLUMNS = ("area_code", "area_name", "period", "stage", "ethnicity", "count")
LOCAL_REQUIRED = ("area_code", "period", "stage", "ethnicity", "count")
DFE_BASE = ("time_period", "time_identifier", "geographic_level")
STAGES = ("CIN", "CP", "CLA", "CLA_START", "CONTACT", "REFERRAL", "EH", "ASSESS")
STAGE_WORDS = {
    "cla_start": "CLA_START",
    "cla start": "CLA_START",
    "started to be looked after": "CLA_START",
    "contact": "CONTACT",
    "contacts": "CONTACT",
    "referral": "REFERRAL",
    "referrals": "REFERRAL",
    "eh": "EH",
    "early help": "EH",
    "assess": "ASSESS",
    "assessment": "ASSESS",
    "assessments": "ASSESS",
    "cin": "CIN",
    "children in need": "CIN",
    "child in need": "CIN",
    "cp": "CP",
    "cpp": "CP",
    "child protection": "CP",
    "child protection plan": "CP",
    "cla": "CLA",
    "cic": "CLA",
    "children looked after": "CLA",
    "looked after": "CLA",
    "children in care": "CLA",
}
DFE_LEVELS = {
    "national": "national",
    "regional": "region",
    "local authority": "local_authority",
}
# the "<stage>_group" column of the layout up to 2024 names the stage
GROUP_COLUMN_STAGE = {"cla_group": "CLA", "cin_group": "CIN", "cp_group": "CP"}
GROUP_COLUMN_STAGE["cpp_group"] = "CP"


@dataclass(slots=True)
class FigureRecord:
    """One cell. ``code`` is a DfE code (WBRI …) or, for a count of a whole
    major group without its parts, the major code (WHITE …)."""

    row: int
    area_code: str
    period: str
    period_end: date
    stage: str
    code: str
    count: int | None
    marker: str


@dataclass(slots=True)
class AreaRecord:
    code: str
    name: str
    level: str
    parent: str | None
    old_code: str = ""  # DfE's three-digit authority code, kept as an alias
    seen: date | None = None  # the latest period the file names it in
    rename: bool = True  # False when the file's name is a shouted variant


LONDON = "E12000007"


def region_of(code: str | None) -> str | None:
    """An authority's region: Inner/Outer London (E13…) belong to London."""
    if not code:
        return None
    return LONDON if code.startswith("E13") else code


@dataclass
class ParsedFigures(ParsedFile):
    records: list[FigureRecord] = field(default_factory=list)
    areas: dict[str, AreaRecord] = field(default_factory=dict)
    period_override: str = ""
    # outside label (as written) → [DfE code, rows, children]: the local
    # template's labels, so the mapping page shows what each label fed
    label_rows: dict[str, list] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.records

    def count_label(self, label: str, code: str | None, count: int | None) -> None:
        if not code or label.strip().upper() == code:
            return  # a DfE code written as such is no outside label
        entry = self.label_rows.setdefault(label, [code, 0, 0])
        entry[1] += 1
        entry[2] += count or 0


_YEAR = re.compile(r"^(\d{4})$")
_FINANCIAL = re.compile(r"^(\d{4})[-/]?(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})\s*[- ]?\s*q([1-4])$", re.IGNORECASE)
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def parse_period(raw: str) -> tuple[str, date] | None:
    """ "2024" / "202324" / "2023-24" → ("2024", 31 Mar 2024); "2024-Q2" → 30 Jun."""
    value = raw.strip()
    if match := _YEAR.match(value):
        year = int(match.group(1))
        return (str(year), date(year, 3, 31)) if 1990 <= year <= 2100 else None
    if match := _FINANCIAL.match(value):
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 != end or not 1990 <= start <= 2100:
            return None
        return str(start + 1), date(start + 1, 3, 31)
    if match := _QUARTER.match(value):
        year, quarter = int(match.group(1)), int(match.group(2))
        month, day = _QUARTER_END[quarter]
        return f"{year}-Q{quarter}", date(year, month, day)
    return None


def parse_stage(raw: str) -> str | None:
    return STAGE_WORDS.get(" ".join(raw.casefold().split()))


def lookup_label(label: str, labels: dict[str, dict[str, str]], sources) -> str | None:
    """The DfE code for a label in one of ``sources``' mappings (code itself ok)."""
    if label.strip().upper() in taxonomy.CODES:
        return label.strip().upper()
    normalised = taxonomy.normalise_label(label)
    bare = taxonomy.normalise_label(taxonomy.strip_numbering(label))
    for source in sources:
        mapping = labels.get(source, {})
        code = mapping.get(normalised) or mapping.get(bare)
        if code:
            return code
    return None


WIDE_ID = ("new_geog_code", "geog_l", "geog_c", "geog_n")


def detect_format(table: Table) -> str:
    headers = {normalise_header(h) for h in table.headers}
    if table.kind == "xlsx" or set(LOCAL_REQUIRED) <= headers:
        return f"local_template_{table.kind}"
    if set(WIDE_ID) <= headers:
        return "dfe_wide"
    if set(DFE_BASE) <= headers:
        if {"characteristic", "breakdown"} <= headers and ("children_count" in headers):
            return "dfe_tidy_2025"
        if {"characteristic", "number"} <= headers and any(
            h.endswith("_group") for h in headers
        ):
            return "dfe_tidy_2024"
        return "dfe_tidy_without_ethnicity"
    if headers and any(h.startswith("ethnic group") for h in headers):
        return "ons_census"
    return "unknown"


class _Collector:
    """Shared bookkeeping: duplicates, suppressed cells, problems."""

    def __init__(self, parsed: ParsedFigures):
        self.parsed = parsed
        self.seen: dict[tuple, int] = {}

    def add(self, record: FigureRecord) -> None:
        key = (record.area_code, record.period, record.stage, record.code)
        first = self.seen.get(key)
        if first is not None:
            self.parsed.problems.append(
                Problem(
                    record.row,
                    f"duplicate of row {first} ({record.area_code}, {record.period}, "
                    f"{record.stage}, {record.code})",
                )
            )
            return
        self.seen[key] = record.row
        if record.count is None:
            self.parsed.suppressed_cells += 1
        self.parsed.records.append(record)

    def check_majors(self) -> None:
        """A major total and its parts for the same cell must agree exactly;
        when they do, the parts are kept and the total dropped as redundant."""
        by_cell: dict[tuple, dict[str, FigureRecord]] = {}
        for r in self.parsed.records:
            by_cell.setdefault((r.area_code, r.period, r.stage), {})[r.code] = r
        drop = set()
        for (area, period, stage), cells in by_cell.items():
            for major in [c for c in cells if taxonomy.is_major(c)]:
                total = cells[major]
                parts = [cells.get(c) for c in taxonomy.major_members(major)]
                given = [p for p in parts if p is not None]
                if not given:
                    continue
                whole = all(p is not None and p.count is not None for p in parts)
                if (
                    whole
                    and total.count is not None
                    and sum(p.count or 0 for p in given) == total.count
                ):
                    drop.add(id(total))
                    continue
                self.parsed.problems.append(
                    Problem(
                        total.row,
                        f"{area} {period} {stage}: the file gives both a total for "
                        f"{taxonomy.MAJOR_LABELS[major]} and its parts (rows "
                        f"{', '.join(str(p.row) for p in given)}), and they do not "
                        "agree; give one or the other",
                    )
                )
        if drop:
            self.parsed.records = [r for r in self.parsed.records if id(r) not in drop]


def _index(table: Table) -> dict[str, int]:
    return {normalise_header(h): i for i, h in enumerate(table.headers)}


def _cohort_stage(stage: str | None, cohort: str, problems: list[str]):
    """The optional ``cohort`` column: all (the default) or uasc, which keeps
    children looked after as the UASC cohort (stage CLA_UASC)."""
    cohort = cohort.strip().casefold()
    if cohort in ("", "all"):
        return stage
    if cohort != "uasc":
        problems.append(f"cohort {cohort!r} is not all or uasc")
    elif stage not in (None, "CLA"):
        problems.append("only children looked after (CLA) have a UASC cohort")
    return "CLA_UASC" if stage == "CLA" and cohort == "uasc" else stage


def parse_local_template(
    table: Table,
    *,
    labels: dict[str, dict[str, str]],
    known_areas: set[str],
    stage: str | None,
    format_detected: str,
    period: str | None = None,
) -> ParsedFigures:
    default_stage = stage
    parsed = ParsedFigures(format_detected)
    col = _index(table)
    missing = [c for c in LOCAL_REQUIRED if c not in col]
    if missing:
        raise ImportRejected(
            [
                Problem(
                    1,
                    f"missing column(s): {', '.join(missing)}. The local template's "
                    f"columns are: {', '.join(LOCAL_COLUMNS)}.",
                )
            ],
            format_detected,
        )
    collect = _Collector(parsed)
    for row_no, raw in data_rows(table, parsed):
        area_code = raw[col["area_code"]]
        when = parse_period(raw[col["period"]])
        stage_raw = raw[col["stage"]].strip()
        stage = parse_stage(stage_raw) if stage_raw else default_stage
        ethnicity = raw[col["ethnicity"]].strip()
        code = lookup_label(ethnicity, labels, ("local", "dfe", "ons"))
        code = code or taxonomy.major_of_label(ethnicity)
        count, marker, count_error = parse_count(raw[col["count"]])
        parsed.count_label(ethnicity, code, count)
        problems = []
        if not area_code:
            problems.append("area_code is empty")
        elif len(area_code) > AREA_CODE_MAX:
            problems.append(f"area code {area_code[:30]!r}… is too long")
        elif area_code not in known_areas:
            problems.append(
                f"unknown area code {area_code!r} (add local areas first; "
                "published areas come with DfE / ONS files)"
            )
        if when is None:
            problems.append(
                f"period {raw[col['period']]!r} is not a year (2024), a financial "
                "year (202324) or a quarter (2024-Q2)"
            )
        if stage is None:
            problems.append(f"stage {stage_raw!r} is not one of {', '.join(STAGES)}")
        stage = _cohort_stage(
            stage, raw[col["cohort"]] if "cohort" in col else "", problems
        )
        if code is None:
            problems.append(
                f"unknown ethnicity {ethnicity!r} (use a DfE code such as WBRI, a "
                "major group such as White, or add the label under label mappings)"
            )
        if count_error:
            problems.append(count_error)
        # each None below has put its problem in the list
        if problems or when is None or stage is None or code is None:
            parsed.problems.append(Problem(row_no, "; ".join(problems)))
            continue
        collect.add(
            FigureRecord(
                row_no, area_code, when[0], when[1], stage, code, count, marker
            )
        )
    collect.check_majors()
    return parsed


# The area columns every explore-education-statistics file (and the ONS
# mid-year 0–17 file) shares.
AREA_COLUMNS = (
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)


def dfe_area(values: dict[str, str]) -> AreaRecord | None:
    """The area a tidy DfE / ONS row is about, from its ``AREA_COLUMNS``; None
    for a level that is not national, regional or an authority. Inner and
    Outer London (E13…) are sub-regions of London, and so an authority's
    region is London when the file names either."""
    level = DFE_LEVELS.get(values.get("geographic_level", "").casefold())
    if level == "national":
        return AreaRecord(
            values.get("country_code", ""), values.get("country_name", ""), level, None
        )
    if level == "region":
        code = values.get("region_code", "")
        if code.startswith("E13"):
            return AreaRecord(code, values.get("region_name", ""), "subregion", LONDON)
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
            region_of(values.get("region_code")),
            old_code=values.get("old_la_code", ""),
        )
    return None


def in_england(area: AreaRecord | None, parsed: ParsedFile) -> TypeGuard[AreaRecord]:
    """Whether a row's area is in England. A row about no area (another level)
    is counted as ignored, one about Wales or Scotland as outside England."""
    if area is None:
        parsed.rows_ignored += 1
        return False
    if not area.code.startswith("E"):
        parsed.rows_outside_england += 1
        return False
    return True


# Groups that only appear in DfE's files of children who started or ceased to
# be looked after during the year (a flow), never in the 31 March counts.
FLOW_GROUP_MARKERS = ("on starting", "previous permanence", "ceas", "reason for")


def _reject_flow_measures(
    table: Table, i_group: int, format_detected: str, stage: str
) -> None:
    """Refuse a file of children starting/ceasing care: it is not a CLA count.

    Both kinds of file share one layout and both have "Ethnicity" rows, so
    without this check a "started during the year" file would silently
    overwrite the 31 March figures.
    """
    groups = {
        raw[i_group].strip().casefold() for raw in table.rows if len(raw) > i_group
    }
    flow = sorted(g for g in groups if any(m in g for m in FLOW_GROUP_MARKERS))
    if flow and stage == "CLA_START":
        if any("ceas" in g for g in flow):
            raise ImportRejected(
                [
                    Problem(
                        None,
                        "This file counts children who ceased to be looked after; "
                        "the CLA_START measure is children who started.",
                    )
                ],
                format_detected,
            )
        return
    if stage == "CLA_START" and not flow:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "CLA_START is children who started to be looked after during the "
                    "year, but this file has none of the groups of a starters' file "
                    "(e.g. 'Age on starting'): it looks like a 31 March count.",
                )
            ],
            format_detected,
        )
    if flow:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "This file counts children who started or ceased to be looked "
                    "after during the year (it has the group "
                    f"'{flow[0]}'), not children looked after on 31 March. Import "
                    "it as the measure of its own with --stage CLA_START (or choose "
                    "'Started to be looked after' on the upload page), or import the "
                    "'children looked after at 31 March by characteristics' file.",
                )
            ],
            format_detected,
        )


def parse_dfe_tidy(
    table: Table,
    *,
    labels: dict[str, dict[str, str]],
    stage: str | None,
    format_detected: str,
    period: str | None = None,
    **_ignored,
) -> ParsedFigures:
    parsed = ParsedFigures(format_detected)
    col = _index(table)
    if format_detected == "dfe_tidy_2025":
        group_col, label_col, number_col = (
            "characteristic",
            "breakdown",
            "children_count",
        )
        file_stage = None
    else:
        group_col = next(h for h in col if h.endswith("_group"))
        label_col, number_col = "characteristic", "number"
        file_stage = GROUP_COLUMN_STAGE.get(group_col)
    if file_stage == "CLA" and stage == "CLA_START":
        file_stage = "CLA_START"  # a starters' file shares the cla_group column
    if file_stage and stage and stage != file_stage:
        raise ImportRejected(
            [Problem(1, f"the file's {group_col} column is {file_stage}, not {stage}")],
            format_detected,
        )
    stage = stage or file_stage
    if not stage:
        raise ImportRejected(
            [Problem(None, "this file does not say its stage: choose CIN, CP or CLA")],
            format_detected,
        )
    needed = ["country_code", "country_name", group_col, label_col, number_col]
    missing = [c for c in needed if c not in col]
    if missing:
        raise ImportRejected(
            [Problem(1, f"missing column(s): {', '.join(missing)}")], format_detected
        )
    _reject_flow_measures(table, col[group_col], format_detected, stage)
    collect = _Collector(parsed)
    totals: dict[tuple, dict[str, tuple[int, int | None, str]]] = {}
    # published files repeat a few distinct values thousands of times: parse once
    periods: dict[str, tuple[str, date] | None] = {}
    codes: dict[str, tuple[str | None, str | None]] = {}
    areas: dict[tuple, AreaRecord | None] = {}
    area_cols = [col.get(c) for c in AREA_COLUMNS]
    i_group, i_label, i_number = col[group_col], col[label_col], col[number_col]
    i_period = col["time_period"]
    only_period = None
    if period:
        chosen = parse_period(period)
        if chosen is None:
            raise ImportRejected(
                [Problem(None, f"--period {period!r} is not a year such as 2019")],
                format_detected,
            )
        only_period = chosen[0]
    for row_no, raw in data_rows(table, parsed, strip=False):
        if not raw[i_group].strip().casefold().startswith("ethnic"):
            parsed.rows_ignored += 1
            continue
        area_key = tuple(raw[i].strip() if i is not None else "" for i in area_cols)
        if area_key not in areas:
            areas[area_key] = dfe_area(dict(zip(AREA_COLUMNS, area_key, strict=True)))
        area = areas[area_key]
        if not in_england(area, parsed):
            continue
        raw_period = raw[i_period].strip()
        if raw_period not in periods:
            periods[raw_period] = parse_period(raw_period)
        when = periods[raw_period]
        if when and only_period and when[0] != only_period:
            parsed.rows_ignored += 1
            continue
        label = raw[i_label].strip()
        count, marker, count_error = parse_count(raw[i_number])
        if label not in codes:
            total = taxonomy.dfe_total_of(label)
            code = None if total else lookup_label(label, labels, ("dfe",))
            if total is None and code is None:
                # authority files may give a major group by its name alone
                total = taxonomy.major_of_label(label)
            codes[label] = (total, code)
        total_of, code = codes[label]
        problems = []
        too_long = area_problem(area.code, area.name, area.parent)
        if too_long:
            problems.append(too_long)
        if when is None:
            problems.append(f"time_period {raw_period!r} is not a year")
        if count_error:
            problems.append(count_error)
        if total_of is None and code is None:
            problems.append(
                f"unknown ethnicity label {label!r} (add it under label mappings)"
            )
        # each None below has put its problem in the list
        if problems or when is None or (total_of is None and code is None):
            parsed.problems.append(Problem(row_no, "; ".join(problems)))
            continue
        known_area = parsed.areas.setdefault(area.code, area)
        if known_area.seen is None or when[1] > known_area.seen:
            known_area.seen = when[1]
        if total_of is not None:
            key = (area.code, when[0], when[1])
            totals.setdefault(key, {})[total_of] = (row_no, count, marker)
            continue
        assert code is not None  # a label is a total or a code (checked above)
        collect.add(
            FigureRecord(
                row_no, area.code, when[0], when[1], stage, code, count, marker
            )
        )
    _check_totals(parsed, collect, totals, stage)
    if only_period and not parsed.records:
        parsed.problems.append(
            Problem(None, f"the file has no figures for {only_period}")
        )
    return parsed


def _check_totals(
    parsed: ParsedFigures,
    collect: _Collector,
    totals: dict[tuple, dict[str, tuple[int, int | None, str]]],
    stage: str,
) -> None:
    """Totals are not stored; a mismatch beyond rounding is a warning.

    "5. Total other ethnic group" is stored as "Any other ethnic group" when the
    file has no separate row for it (the DfE publishes only the total).
    """
    by_key: dict[tuple, dict[str, FigureRecord]] = {}
    for record in parsed.records:
        by_key.setdefault((record.area_code, record.period), {})[record.code] = record
    for (area_code, period, period_end), rows in totals.items():
        parts = by_key.setdefault((area_code, period), {})
        if "OTHER" in rows and "OOTH" not in parts:
            row_no, count, marker = rows.pop("OTHER")
            record = FigureRecord(
                row_no, area_code, period, period_end, stage, "OOTH", count, marker
            )
            collect.add(record)
            parts["OOTH"] = record
        for total_of, (row_no, count, marker) in rows.items():
            if total_of != taxonomy.ALL_CHILDREN and not any(
                c in parts for c in taxonomy.major_members(total_of)
            ):
                # a group total without its parts: stored as such
                collect.add(
                    FigureRecord(
                        row_no,
                        area_code,
                        period,
                        period_end,
                        stage,
                        total_of,
                        count,
                        marker,
                    )
                )
                continue
            if count is None:
                continue
            members = [
                c
                for c in taxonomy.CODES
                if total_of == taxonomy.ALL_CHILDREN
                or taxonomy.CODE_MAJOR[c] == total_of
            ]
            found = [parts.get(c) for c in members]
            if any(r is None or r.count is None for r in found):
                continue
            summed = sum(r.count or 0 for r in found if r is not None)
            # each figure is rounded to the nearest 10 nationally: ±5 apiece
            if abs(summed - count) > 5 * (len(found) + 1):
                parsed.warnings.append(
                    Problem(
                        row_no,
                        f"{area_code} {period}: the total ({count:,}) differs from "
                        f"the sum of its parts ({summed:,}) by more than rounding",
                    )
                )


Parser = Callable[..., ParsedFigures]
PARSERS: dict[str, Parser] = {
    "local_template_csv": parse_local_template,
    "local_template_xlsx": parse_local_template,
    "dfe_tidy_2024": parse_dfe_tidy,
    "dfe_tidy_2025": parse_dfe_tidy,
}
REFUSALS = {
    "dfe_tidy_without_ethnicity": (
        "This DfE file has no ethnicity breakdown (expected the columns "
        "cla_group, characteristic, number — up to 2024 — or characteristic, "
        "breakdown, children_count — from 2025)."
    ),
    "ons_census": (
        "This is an ONS population file: import it as a population "
        "(import_population), not as figures."
    ),
}


def register(format_detected: str):
    """Add a layout's parser: ``parser(table, *, labels, known_areas, stage,
    period, format_detected) -> ParsedFigures``."""

    def decorator(func: Parser) -> Parser:
        PARSERS[format_detected] = func
        return func

    return decorator


def parse_figures(
    table: Table,
    *,
    labels: dict[str, dict[str, str]],
    known_areas: set[str],
    stage: str | None,
    period: str | None = None,
) -> ParsedFigures:
    """Detect the layout and parse; ImportRejected when the file cannot be read."""
    fmt = detect_format(table)
    parser = PARSERS.get(fmt)
    if parser is None:
        message = REFUSALS.get(fmt) or (
            "Unrecognised columns. Use the local template ("
            + ", ".join(LOCAL_COLUMNS)
            + "), a DfE explore-education-statistics tidy CSV or a DfE wide "
            "authority file (New_geog_code, geog_l, geog_c, geog_n, CLA_White …)."
        )
        raise ImportRejected([Problem(1, message)], fmt)
    parsed = parser(
        table,
        labels=labels,
        known_areas=known_areas,
        stage=stage,
        period=period,
        format_detected=fmt,
    )
    return parsed


from disproportionality.importers import dfe_wide  # noqa: E402, F401  registers
