"""The area hierarchy from any tidy DfE or ONS file that names its areas.

Authority → region → England, with each authority's old three-digit code kept
as an alias. Read from the area columns every explore-education-statistics
file and the ONS mid-year 0–17 file share: ``time_period, geographic_level,
country_code, country_name, region_code, region_name, old_la_code,
new_la_code, la_name``. An authority in Inner or Outer London (``E13…``)
belongs to London (``E12000007``). Pure: no database.
"""

from dataclasses import dataclass, field

from disproportionality.importers.figures import (
    AREA_COLUMNS,
    DFE_LEVELS,
    AreaRecord,
    _index,
    dfe_area,
    in_england,
    parse_period,
)
from disproportionality.importers.reading import (
    ImportRejected,
    ParsedFile,
    Problem,
    Table,
    data_rows,
)


@dataclass
class ParsedAreas(ParsedFile):
    format_detected: str = "tidy_areas"
    areas: dict[str, AreaRecord] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.areas


def parse_area_hierarchy(table: Table) -> ParsedAreas:
    parsed = ParsedAreas()
    col = _index(table)
    needed = ("geographic_level", "country_code", "region_code", "new_la_code")
    missing = [c for c in needed if c not in col]
    if missing:
        raise ImportRejected(
            [
                Problem(
                    1,
                    "this file does not name its areas the DfE / ONS tidy way "
                    f"(missing column(s): {', '.join(missing)})",
                )
            ],
            "unknown",
        )
    i_period = col.get("time_period")
    seen_keys: dict[tuple, AreaRecord | None] = {}
    for _row_no, raw in data_rows(table, parsed, strip=False):
        key = tuple(raw[col[c]].strip() if c in col else "" for c in AREA_COLUMNS)
        if key not in seen_keys:
            found = dfe_area(dict(zip(AREA_COLUMNS, key, strict=True)))
            seen_keys[key] = found if found and found.code else None
        area = seen_keys[key]
        if not in_england(area, parsed):
            continue
        period = parse_period(raw[i_period]) if i_period is not None else None
        record = parsed.areas.get(area.code)
        if record is None:
            record = parsed.areas[area.code] = AreaRecord(
                area.code, area.name, area.level, area.parent, area.old_code
            )
        if period and (record.seen is None or period[1] > record.seen):
            # the latest year's name, region and old code win
            record.seen, record.name = period[1], area.name
            record.parent = area.parent or record.parent
            record.old_code = area.old_code or record.old_code
    return parsed


__all__ = ["AREA_COLUMNS", "DFE_LEVELS", "ParsedAreas", "parse_area_hierarchy"]
