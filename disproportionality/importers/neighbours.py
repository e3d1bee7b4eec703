"""DfE children's services statistical neighbours (e.g. the 2025 model).

One row per authority by old three-digit code: ``old_la_code, la_name, …,
SN_1, SN_1P, …, SN_10, SN_10P`` — its ten nearest neighbours, nearest first,
and how close each is ("Very close", "Close", "Somewhat close" …). Old codes
are mapped to ONS codes through the aliases the authority files taught the
tracker. Pure: the alias map is passed in.
"""

from dataclasses import dataclass, field

from disproportionality.importers.figures import _index
from disproportionality.importers.reading import (
    ImportRejected,
    ParsedFile,
    Problem,
    Table,
    data_rows,
)

RANKS = range(1, 11)


@dataclass(frozen=True)
class NeighbourRecord:
    area_code: str
    rank: int
    neighbour_code: str
    closeness: str


@dataclass
class ParsedNeighbours(ParsedFile):
    format_detected: str = "dfe_statistical_neighbours"
    records: list[NeighbourRecord] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.records


def parse_neighbours(table: Table, *, aliases: dict[str, str]) -> ParsedNeighbours:
    """``aliases`` maps an old code (881) to the current ONS code (E10000012)."""
    parsed = ParsedNeighbours()
    col = _index(table)
    needed = ["old_la_code", *(f"sn_{r}" for r in RANKS)]
    missing = [c.upper() if c.startswith("sn") else c for c in needed if c not in col]
    if missing:
        raise ImportRejected(
            [
                Problem(
                    1,
                    "not a DfE statistical neighbours file (missing column(s): "
                    f"{', '.join(missing)})",
                )
            ],
            "unknown",
        )
    unknown_subjects: list[str] = []
    unknown_neighbours: set[str] = set()
    seen: dict[str, int] = {}
    for row_no, raw in data_rows(table, parsed):
        old = raw[col["old_la_code"]]
        if not old.isdigit():
            parsed.problems.append(
                Problem(row_no, f"old_la_code {old!r} is not a code")
            )
            continue
        if old in seen:
            parsed.problems.append(
                Problem(row_no, f"authority {old} again (first at row {seen[old]})")
            )
            continue
        seen[old] = row_no
        area = aliases.get(old)
        if area is None:
            unknown_subjects.append(old)
            parsed.rows_ignored += 1
            continue
        for rank in RANKS:
            code = raw[col[f"sn_{rank}"]]
            if not code:
                continue
            if not code.isdigit():
                parsed.problems.append(
                    Problem(row_no, f"SN_{rank} {code!r} is not an authority code")
                )
                continue
            neighbour = aliases.get(code)
            if neighbour is None:
                unknown_neighbours.add(code)
                continue
            closeness = raw[col[f"sn_{rank}p"]] if f"sn_{rank}p" in col else ""
            parsed.records.append(NeighbourRecord(area, rank, neighbour, closeness))
    if unknown_subjects:
        parsed.warnings.append(
            Problem(
                None,
                f"{len(unknown_subjects)} authorities are not known yet and were "
                f"skipped (old codes {', '.join(sorted(unknown_subjects)[:20])}); "
                "import their figures or import_areas first",
            )
        )
    if unknown_neighbours:
        parsed.warnings.append(
            Problem(
                None,
                f"{len(unknown_neighbours)} neighbours are not known yet and were left "
                f"out (old codes {', '.join(sorted(unknown_neighbours)[:20])})",
            )
        )
    if parsed.rows_read and not parsed.records and not parsed.problems:
        parsed.problems.append(
            Problem(
                None,
                "none of the file's authorities is known yet: import an authority "
                "figures file (import_figures) or the area hierarchy (import_areas) "
                "first, so the old codes can be mapped to ONS codes",
            )
        )
    return parsed
