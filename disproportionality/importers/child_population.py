"""Populations in: detect the layout, parse, check against the mid-year
estimate, write. The ONS Census (with or without an age column), the DfE
school census and the ONS mid-year estimates of children all come through
``import_population`` and the upload page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from disproportionality.importers import mid_year, school_census
from disproportionality.importers.figures import AreaRecord
from disproportionality.importers.population import (
    CENSUS_YEAR,
    ParsedPopulation,
    parse_ons_census,
)
from disproportionality.importers.reading import (
    ImportRejected,
    ParsedFile,
    Problem,
    Table,
    normalise_header,
)
from disproportionality.importers.writing import (
    WriteResult,
    write_areas,
    write_mid_year,
    write_population,
)
from disproportionality.models import ImportBatch

CHILDREN = "0-17"
ALL_AGES = "all"
AGE_BANDS = (CHILDREN, ALL_AGES)
CENSUS_SOURCE = "Census 2021"
# a 0-17 population further than this from the mid-year estimate is refused
SANITY_TOLERANCE = 0.10


@dataclass
class PopulationSet:
    """What one file holds, ready to write."""

    year: int
    source: str
    age_band: str
    values: dict[tuple[str, str], int]


@dataclass
class ParsedPopulations(ParsedFile):
    populations: list[PopulationSet] = field(default_factory=list)
    mid_year: dict[tuple[str, int], int] = field(default_factory=dict)
    areas: dict[str, AreaRecord] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.mid_year and not any(p.values for p in self.populations)


def detect(table: Table) -> str:
    headers = {normalise_header(h) for h in table.headers}
    if school_census.is_school_census(headers):
        return "school_census"
    if mid_year.is_mid_year(headers):
        return "ons_mid_year"
    if any(h.startswith("ethnic group") for h in headers):
        return "ons_census"
    return "unknown"


def _counters(
    target: ParsedPopulations, parsed: mid_year.ParsedMidYear | ParsedPopulation
) -> None:
    for name in ("rows_read", "rows_ignored", "rows_outside_england"):
        setattr(target, name, getattr(target, name) + getattr(parsed, name))
    target.suppressed_cells += parsed.suppressed_cells
    target.problems += parsed.problems
    target.warnings += parsed.warnings
    target.areas.update(parsed.areas)


@dataclass(frozen=True)
class Options:
    """What the upload says about the file; each layout reads what it needs."""

    labels: dict[str, dict[str, str]]
    year: int | None  # the year of a file that does not say, or the one to take
    age_band: str  # the ages of an ONS table without an age column
    source: str


# one layout's parser: fills the ParsedPopulations, or raises ImportRejected
PopulationParser = Callable[[Table, ParsedPopulations, Options], None]


def parse_mid_year(table: Table, out: ParsedPopulations, options: Options) -> None:
    """The ONS mid-year estimates of children (``year`` picks one)."""
    parsed = mid_year.parse_mid_year(table)
    _counters(out, parsed)
    out.mid_year = {
        k: v
        for k, v in parsed.values.items()
        if options.year is None or k[1] == options.year
    }


def parse_school_census(table: Table, out: ParsedPopulations, options: Options) -> None:
    """The DfE school census: a population for each January (``year`` picks one)."""
    by_year = school_census.parse_school_census(table, labels=options.labels)
    for census_year, parsed in sorted(by_year.items()):
        _counters(out, parsed)
        if parsed.problems or options.year not in (None, census_year):
            continue
        out.populations.append(
            PopulationSet(
                census_year, school_census.SOURCE, school_census.AGE_BAND, parsed.values
            )
        )


def parse_census(table: Table, out: ParsedPopulations, options: Options) -> None:
    """An ONS Census 2021 table: children from its age column, or the ages
    ``age_band`` says a table without one covers."""
    parsed = parse_ons_census(table, labels=options.labels)
    age_band = options.age_band
    out.format_detected = parsed.format_detected
    _counters(out, parsed)
    band = parsed.age_band or age_band
    if parsed.age_band and age_band and age_band != parsed.age_band:
        out.problems.append(
            Problem(
                None,
                f"the file has an age column, so it is read as children aged 0 to 17; "
                f"--age-band {age_band} does not apply",
            )
        )
    elif not band:
        out.problems.append(
            Problem(
                None,
                "this file has no age column: say which ages it covers "
                "(age band 0-17 or all)",
            )
        )
    elif band not in AGE_BANDS:
        out.problems.append(Problem(None, f"age band {band!r} must be 0-17 or all"))
    if not out.problems:
        out.populations.append(
            PopulationSet(
                options.year or parsed.year or CENSUS_YEAR,
                options.source or CENSUS_SOURCE,
                band,
                parsed.values,
            )
        )


# one parser a layout, under the name ``detect`` gives it
PARSERS: dict[str, PopulationParser] = {
    "ons_mid_year": parse_mid_year,
    "school_census": parse_school_census,
    "ons_census": parse_census,
}
UNRECOGNISED = (
    "Unrecognised columns. A population is an ONS Census 2021 custom dataset "
    "(ethnic group, optionally by age), the DfE school census "
    "(spc_pupils_ethnicity_and_language.csv) or the ONS mid-year estimates of "
    "children aged 0 to 17."
)


def parse(
    table: Table,
    *,
    labels: dict[str, dict[str, str]],
    year: int | None,
    age_band: str,
    source: str,
) -> ParsedPopulations:
    """Detect the layout and parse; ImportRejected when the file cannot be read."""
    fmt = detect(table)
    if year is not None and not 1990 <= int(year) <= 2100:
        message = f"year {year} is not a census or estimate year"
        raise ImportRejected([Problem(None, message)], fmt)
    parser = PARSERS.get(fmt)
    if parser is None:
        raise ImportRejected([Problem(1, UNRECOGNISED)], fmt)
    out = ParsedPopulations(fmt)
    parser(table, out, Options(labels, year, age_band, source))
    return out


def sanity_check(
    parsed: ParsedPopulations, estimates: dict[tuple[str, int], int]
) -> None:
    """Refuse a 0–17 population whose total is more than 10% from the area's
    mid-year estimate of children for the same year (when one is imported)."""
    for population in parsed.populations:
        if population.age_band != CHILDREN:
            continue
        totals: dict[str, int] = {}
        for (area, _group), value in population.values.items():
            totals[area] = totals.get(area, 0) + value
        for area, total in sorted(totals.items()):
            estimate = estimates.get((area, population.year))
            if not estimate:
                continue
            gap = abs(total - estimate) / estimate
            if gap > SANITY_TOLERANCE:
                parsed.problems.append(
                    Problem(
                        None,
                        f"{area}: this population, given as children aged 0 to 17 in "
                        f"{population.year}, totals {total:,}, {gap:.0%} away from "
                        f"the ONS mid-year estimate of children aged 0 to 17 "
                        f"({estimate:,}). Is it an all-ages table? Import it with "
                        "age band all (it will not be used for children's rates).",
                    )
                )


def write(
    parsed: ParsedPopulations, *, batch: ImportBatch, result: WriteResult
) -> None:
    """Areas, then each population and the mid-year estimates; the batch notes
    what it holds."""
    write_areas(parsed.areas, result)
    for population in parsed.populations:
        write_population(
            population.values,
            year=population.year,
            source=population.source,
            age_band=population.age_band,
            batch_id=batch.pk,
            result=result,
        )
    if parsed.mid_year:
        write_mid_year(parsed.mid_year, batch_id=batch.pk, result=result)
    if parsed.populations:
        first = parsed.populations[0]
        batch.population_year = first.year
        batch.population_source = first.source
        batch.age_band = first.age_band
    elif parsed.mid_year:
        batch.population_year = max(y for _a, y in parsed.mid_year)
        batch.population_source = mid_year.SOURCE
        batch.age_band = CHILDREN
