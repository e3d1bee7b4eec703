"""Demonstration data: synthetic but plausible figures, clearly labelled as such.

England, the home authority's region, the home authority (settings
HOME_AREA_CODE, Essex by default) and its four quadrants; CIN, CP and CLA counts
at 31 March 2019–2025; a Census 2021 population by ethnic group and age in the
ONS custom-dataset layout (children's bands and adults', so the importer's
0–17 selection is exercised) and ONS-style mid-year estimates of children for
2018–2024, both imported through ``population_import``. Idempotent: a second
run finds every cell unchanged and writes nothing.
"""

import csv
import hashlib
import io
import random
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from disproportionality import taxonomy
from disproportionality.importers.figures import AreaRecord, FigureRecord
from disproportionality.importers.writing import (
    WriteResult,
    write_areas,
    write_counts,
    write_population,
)
from disproportionality.models import ImportBatch
from disproportionality.recording_services import recording_indicator_refresh
from disproportionality.services import aspiration_indicator_refresh, population_import

DEMO_NAME = "Demonstration data (synthetic)"
DEMO_SOURCE = "Demonstration data"
YEARS = range(2019, 2026)
ENGLAND = "E92000001"

# Shares of children aged 0-17 by group, roughly England's at Census 2021.
POPULATION_SHARES = {
    "WBRI": 0.700, "WIRI": 0.003, "WIRT": 0.002, "WROM": 0.003, "WOTH": 0.050,
    "MWBC": 0.015, "MWBA": 0.008, "MWAS": 0.017, "MOTH": 0.017,
    "AIND": 0.030, "APKN": 0.035, "ABAN": 0.014, "CHNE": 0.006, "AOTH": 0.016,
    "BCRB": 0.008, "BAFR": 0.035, "BOTH": 0.006, "OOTH": 0.020,
}  # fmt: skip
# Rate relative to White British children: the pattern published nationally.
RELATIVE_RATE = {
    "WBRI": 1.0, "WIRI": 0.9, "WIRT": 4.0, "WROM": 2.5, "WOTH": 0.8,
    "MWBC": 2.6, "MWBA": 1.6, "MWAS": 1.1, "MOTH": 1.9,
    "AIND": 0.35, "APKN": 0.7, "ABAN": 0.6, "CHNE": 0.2, "AOTH": 0.9,
    "BCRB": 2.2, "BAFR": 1.3, "BOTH": 2.4, "OOTH": 1.8,
}  # fmt: skip
# White British rate per 10,000 children at each stage.
BASE_RATE = {"CIN": 300.0, "CP": 38.0, "CLA": 62.0}


def _areas(home: str) -> list[tuple[AreaRecord, int, float]]:
    """(area, children aged 0-17, diversity: 1 = England's mix)."""
    region = "E12000006" if home == "E10000012" else f"{home}-REGION"
    region_name = "East of England" if home == "E10000012" else "Home region"
    home_name = "Essex" if home == "E10000012" else "Home authority"
    areas = [
        (AreaRecord(ENGLAND, "England", "national", None), 12_000_000, 1.0),
        (AreaRecord(region, region_name, "region", ENGLAND), 1_330_000, 0.75),
    ]
    for suffix, name, children, diversity in (
        ("N", "North", 78_000, 0.35),
        ("S", "South", 92_000, 0.70),
        ("W", "West", 70_000, 0.45),
        ("M", "Mid", 84_000, 0.30),
    ):
        areas.append(
            (
                AreaRecord(f"{home}-{suffix}", f"{home_name} {name}", "local", home),
                children,
                diversity,
            )
        )
    return [(AreaRecord(home, home_name, "local_authority", region), 0, 0.0), *areas]


def _population(children: int, diversity: float) -> dict[str, int]:
    shares = {
        c: s * (diversity if c != "WBRI" else 1) for c, s in POPULATION_SHARES.items()
    }
    shares["WBRI"] = 1 - sum(s for c, s in shares.items() if c != "WBRI")
    return {c: round(children * s) for c, s in shares.items()}


def _counts(code_pop: dict[str, int], stage: str, year: int, rng) -> dict[str, int]:
    trend = 1 + 0.02 * (year - 2019)
    counts = {}
    for code, pop in code_pop.items():
        # the gap for Black and Mixed children narrows a little each year
        narrowing = 1 - 0.03 * (year - 2019) if RELATIVE_RATE[code] > 1.5 else 1
        expected = pop * BASE_RATE[stage] / 10_000 * RELATIVE_RATE[code] * trend
        expected *= narrowing
        noise = rng.gauss(0, max(expected, 1) ** 0.5)
        counts[code] = max(0, round(expected + noise))
    known = sum(counts.values())
    counts["REFU"] = max(0, round(known * 0.01 + rng.gauss(0, 1)))
    counts["NOBT"] = max(0, round(known * 0.02 + rng.gauss(0, 1)))
    return counts


# ONS "Age (23 categories)" bands up to 17, with the share of 0-17s in each,
# and two adult bands (all ages = children ÷ CHILD_SHARE)
CHILD_BANDS = (
    ("1", "Aged 2 years and under", 0.16),
    ("2", "Aged 3 to 4 years", 0.11),
    ("3", "Aged 5 to 7 years", 0.17),
    ("4", "Aged 8 to 9 years", 0.115),
    ("5", "Aged 10 to 14 years", 0.29),
    ("6", "Aged 15 years", 0.055),
    ("7", "Aged 16 to 17 years", 0.10),
)
ADULT_BANDS = (("8", "Aged 18 to 19 years", 0.03), ("9", "Aged 20 to 24 years", 0.97))
CHILD_SHARE = 0.21
ONS_NAMES = {code: label for label, code in taxonomy.ONS_LABELS.items()}
ONS_NAMES["OOTH"] = "Other ethnic group: Any other ethnic group"
GROWTH = {2018: 0.985, 2019: 0.99, 2020: 0.995, 2021: 1.0, 2022: 1.008}
GROWTH.update({2023: 1.016, 2024: 1.024})


def ons_age_csv(populations: dict[str, dict[str, int]], names: dict[str, str]) -> bytes:
    """Census 2021 ethnic group by age, as an ONS custom dataset (UTLA)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "Upper tier local authorities Code",
            "Upper tier local authorities",
            "Age (23 categories) Code",
            "Age (23 categories)",
            "Ethnic group (20 categories) Code",
            "Ethnic group (20 categories)",
            "Observation",
        ]
    )
    for area, groups in populations.items():
        for code, children in groups.items():
            if code not in ONS_NAMES:
                continue
            adults = round(children / CHILD_SHARE) - children
            for band_code, band, share in CHILD_BANDS:
                writer.writerow(
                    [area, names[area], band_code, band, code, ONS_NAMES[code],
                     round(children * share)]
                )  # fmt: skip
            for band_code, band, share in ADULT_BANDS:
                writer.writerow(
                    [area, names[area], band_code, band, code, ONS_NAMES[code],
                     round(adults * share)]
                )  # fmt: skip
    return out.getvalue().encode()


def mid_year_csv(totals: dict[str, int], areas: dict[str, AreaRecord]) -> bytes:
    """ONS mid-year estimates of children aged 0 to 17, in the tidy layout."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["time_period", "time_identifier", "geographic_level", "country_code",
         "country_name", "region_code", "region_name", "old_la_code", "new_la_code",
         "la_name", "age_group", "population_estimate"]
    )  # fmt: skip
    levels = {"national": "National", "region": "Regional"}
    for code, total in totals.items():
        area = areas[code]
        level = levels.get(area.level, "Local authority")
        region = (
            ""
            if level == "National"
            else (code if level == "Regional" else area.parent)
        )
        la = code if level == "Local authority" else ""
        for year, growth in GROWTH.items():
            writer.writerow(
                [year, "Reporting year", level, ENGLAND, "England", region,
                 area.name if level == "Regional" else "", "", la,
                 area.name if la else "", "Children aged 0 to 17 years",
                 round(total * growth)]
            )  # fmt: skip
    return out.getvalue().encode()


def _demo_population_import(data: bytes, file_name: str, **kwargs) -> ImportBatch:
    """Through the real importer; a second run of the same file is skipped."""
    done = ImportBatch.objects.filter(
        file_name=file_name,
        is_demo=True,
        status=ImportBatch.Status.SUCCEEDED,
        sha256=hashlib.sha256(data).hexdigest(),
    ).first()
    return done or population_import(
        data=data, file_name=file_name, is_demo=True, **kwargs
    )


def demo_batch() -> ImportBatch:
    batch, _ = ImportBatch.objects.get_or_create(
        file_name=DEMO_NAME,
        is_demo=True,
        defaults={
            "kind": ImportBatch.Kind.FIGURES,
            "status": ImportBatch.Status.SUCCEEDED,
            "format_detected": "demonstration",
            "progress": 100,
        },
    )
    return batch


def seed_demo(*, stdout) -> None:
    home = settings.HOME_AREA_CODE
    rng = random.Random(20240331)  # fixed: the same figures every run
    batch = demo_batch()
    areas = _areas(home)
    records: list[FigureRecord] = []
    populations: dict[tuple[str, str], int] = {}
    home_counts: dict[tuple, int] = {}
    for area, children, diversity in areas[1:]:
        pop = _population(children, diversity)
        for code, value in pop.items():
            populations[(area.code, code)] = value
            if area.level == "local":
                key = (home, code)
                populations[key] = populations.get(key, 0) + value
        for year in YEARS:
            for stage in BASE_RATE:
                for code, count in _counts(pop, stage, year, rng).items():
                    records.append(_record(area.code, year, stage, code, count))
                    if area.level == "local":
                        key = (year, stage, code)
                        home_counts[key] = home_counts.get(key, 0) + count
    for (year, stage, code), count in home_counts.items():
        records.append(_record(home, year, stage, code, count))
    result = WriteResult()
    with transaction.atomic():
        write_areas({a.code: a for a, _c, _d in areas}, result)
        write_counts(records, batch_id=batch.pk, result=result)
    by_area: dict[str, dict[str, int]] = {}
    for (area_code, code), value in populations.items():
        by_area.setdefault(area_code, {})[code] = value
    names = {a.code: a.name for a, _c, _d in areas}
    # quadrants are the council's own areas: no ONS table covers them
    published = {
        c: g for c, g in by_area.items() if "-" not in c or c.endswith("REGION")
    }
    census = _demo_population_import(
        ons_age_csv(published, names),
        "Demonstration Census 2021 ethnic group by age (synthetic).csv",
        source=DEMO_SOURCE,
    )
    mid_year = _demo_population_import(
        mid_year_csv(
            {c: sum(g.values()) for c, g in published.items()},
            {a.code: a for a, _c, _d in areas},
        ),
        "Demonstration mid-year estimates of children (synthetic).csv",
    )
    with transaction.atomic():
        local = {k: v for k, v in populations.items() if k[0] not in published}
        write_population(
            local,
            year=2021,
            source=DEMO_SOURCE,
            age_band="0-17",
            batch_id=batch.pk,
            result=result,
        )
    for imported in (census, mid_year):
        if imported.status != ImportBatch.Status.SUCCEEDED:
            raise RuntimeError(f"demo population not imported: {imported.errors}")
    batch.rows_read = len(records) + len(populations)
    batch.rows_created += result.created
    # A new finish time changes selectors.data_version, so no cached page outlives
    # the figures written here.
    batch.finished_at = timezone.now()
    batch.save(update_fields=["rows_read", "rows_created", "finished_at"])
    # as after any import: the board's headline ratios feed aspiration 1
    readings = aspiration_indicator_refresh(batch=batch)
    # and the share with ethnicity recorded feeds aspiration 6
    recording_indicator_refresh(batch=batch)
    stdout.write(
        f"Disproportionality: demonstration figures for {len(areas)} areas "
        f"({result.created} cells created, {result.unchanged} unchanged); "
        f"{readings} aspiration 1 indicator readings."
    )


def _record(area: str, year: int, stage: str, code: str, count: int) -> FigureRecord:
    return FigureRecord(0, area, str(year), date(year, 3, 31), stage, code, count, "")


assert (
    set(POPULATION_SHARES)
    == set(RELATIVE_RATE)
    == set(taxonomy.CODES)
    - {
        "REFU",
        "NOBT",
    }
)
