"""Disproportionality benchmark: England-wide figures in a throwaway database.

Run:  .venv/bin/python bench/disproportionality_bench.py
Creates (and drops afterwards) the PostgreSQL database arp_bench_dp on
127.0.0.1:5432 (BENCH_DATABASE_URL to change), migrates it, imports ~90,000
count rows (150 authorities x 20 groups x 3 stages x 10 years) from generated
DfE tidy CSVs, then prints in one run:
  * the median server time of the dashboard page and the metrics API beside a
    plain SQL query reading the same rows (target: within 3x), each cold (the
    cache emptied before every request, as after an import) and warm;
  * the importer's rows/s beside a bare psycopg COPY of the same rows into a
    table of the same shape (target: at least a third of COPY's rows/s).
"""

import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/arp_bench_dp"
)
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("ARP_TESTING", "1")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arp.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import psycopg  # noqa: E402

DB_NAME = urlsplit(URL).path.lstrip("/")
ADMIN_URL = URL.rsplit("/", 1)[0] + "/postgres"
AUTHORITIES, YEARS, REPEATS = 150, range(2015, 2025), 30
STAGE_FILES = {"CIN": "cin_group", "CP": "cp_group", "CLA": "cla_group"}


def recreate_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')


def la_code(i: int) -> str:
    return f"E{6000001 + i:08d}"


def tidy_csv(stage: str, labels: list[tuple[str, str]], rng) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "time_period", "time_identifier", "geographic_level", "country_code",
            "country_name", "region_code", "region_name", "old_la_code",
            "new_la_code", "la_name", STAGE_FILES[stage], "characteristic",
            "number", "percentage",
        ]
    )  # fmt: skip
    for year in YEARS:
        for i in range(AUTHORITIES):
            region = f"E1200000{1 + i % 9}"
            for label, _code in labels:
                value = rng.randint(0, 400)
                number = "c" if value < 3 else str(value)
                writer.writerow(
                    [
                        year, "Reporting year", "Local authority", "E92000001",
                        "England", region, f"Region {1 + i % 9}", 800 + i,
                        la_code(i), f"Authority {i}", "Ethnicity", label, number, "x",
                    ]
                )  # fmt: skip
    return out.getvalue().encode()


def ons_csv(rng) -> bytes:
    from disproportionality.taxonomy import ONS_LABELS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Upper tier local authorities Code", "Upper tier local authorities",
            "Ethnic group (20 categories) Code", "Ethnic group (20 categories)",
            "Observation",
        ]
    )  # fmt: skip
    for i in range(AUTHORITIES):
        for n, label in enumerate(ONS_LABELS, start=1):
            writer.writerow(
                [la_code(i), f"Authority {i}", n, label, rng.randint(500, 90_000)]
            )
    return out.getvalue().encode()


def median_ms(func, repeats: int = REPEATS, before=None) -> float:
    """Median wall time of ``func``; ``before`` runs untimed ahead of each call."""
    func()  # warm
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    import random

    recreate_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from disproportionality import taxonomy
    from disproportionality.services import figures_import, population_import

    try:
        call_command("migrate", verbosity=0)
        rng = random.Random(1)
        labels = [
            (label, code)
            for label, code in taxonomy.DFE_LABELS.items()
            if label[0].isdigit() and "/" not in label
        ]
        assert len(labels) == 20, labels
        files = {stage: tidy_csv(stage, labels, rng) for stage in STAGE_FILES}
        # declared 0-17 so the pages compute rates (an all-ages table never
        # would); no mid-year estimates are loaded, so nothing is scaled
        population_import(
            data=ons_csv(rng), file_name="ons.csv", year=2021, age_band="0-17"
        )

        # --- import throughput ---------------------------------------------
        rows = 0
        start = time.perf_counter()
        for stage, data in files.items():
            batch = figures_import(
                data=data, file_name=f"{stage}.csv", feed_indicator=False
            )
            assert batch.status == "succeeded", batch.errors[:3]
            rows += batch.rows_created
        import_seconds = time.perf_counter() - start

        table = "disproportionality_ethnicitycount"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE bench_copy (LIKE {table} INCLUDING ALL)")
            cursor.execute(
                "SELECT area_id, period, period_end, stage, group_id, major_code, "
                "count, suppressed, marker, batch_id "
                "FROM disproportionality_ethnicitycount"
            )
            tuples = cursor.fetchall()
        columns = (
            "area_id, period, period_end, stage, group_id, major_code, count, "
            "suppressed, marker, batch_id"
        )
        with psycopg.connect(URL) as conn:
            start = time.perf_counter()
            with (
                conn.cursor() as cur,
                cur.copy(f"COPY bench_copy ({columns}) FROM STDIN") as copy,
            ):
                for row in tuples:
                    copy.write_row(row)
            conn.commit()
            copy_seconds = time.perf_counter() - start

        # --- request times ---------------------------------------------------
        user = get_user_model().objects.create_superuser("bench", password="x")  # noqa: S106
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        area = la_code(7)
        dashboard_url = f"/disproportionality/?area={area}&comparator=region&stage=CP"
        api_url = f"/disproportionality/api/metrics/?area={area}&period=2024&stage=CLA"
        assert client.get(dashboard_url).status_code == 200
        assert client.get(api_url).status_code == 200
        # cold: the cache emptied before every request, as after an import (a new
        # data version misses every entry); warm: the same request again.
        from django.core.cache import cache

        cold_dashboard_ms = median_ms(
            lambda: client.get(dashboard_url), before=cache.clear
        )
        cold_api_ms = median_ms(lambda: client.get(api_url), before=cache.clear)
        dashboard_ms = median_ms(lambda: client.get(dashboard_url))
        api_ms = median_ms(lambda: client.get(api_url))
        region = f"E1200000{1 + 7 % 9}"
        count_sql = (
            "SELECT area_id, period, period_end, stage, group_id, count, marker "
            "FROM disproportionality_ethnicitycount WHERE area_id = ANY(%s)"
        )
        pop_sql = (
            "SELECT area_id, year, source, age_band, group_id, population FROM "
            "disproportionality_population WHERE area_id = ANY(%s)"
        )

        def plain_dashboard():
            with connection.cursor() as cursor:
                cursor.execute(count_sql, [[area, region]])
                cursor.fetchall()
                cursor.execute(pop_sql, [[area, region]])
                cursor.fetchall()

        def plain_api():
            with connection.cursor() as cursor:
                cursor.execute(
                    count_sql + " AND period = %s AND stage = %s",
                    [[area], "2024", "CLA"],
                )
                cursor.fetchall()
                cursor.execute(pop_sql, [[area]])
                cursor.fetchall()

        sql_dashboard_ms = median_ms(plain_dashboard)
        sql_api_ms = median_ms(plain_api)
        import_rate, copy_rate = rows / import_seconds, len(tuples) / copy_seconds

        print(f"Data: {rows:,} count rows ({AUTHORITIES} authorities x 20 x 3 x 10)")
        for name, ms, sql_ms in (
            ("Dashboard cold", cold_dashboard_ms, sql_dashboard_ms),
            ("Dashboard warm", dashboard_ms, sql_dashboard_ms),
            ("Metrics API cold", cold_api_ms, sql_api_ms),
            ("Metrics API warm", api_ms, sql_api_ms),
        ):
            print(
                f"{name:<16} median {ms:8.2f} ms | plain SQL same rows "
                f"{sql_ms:6.2f} ms | ratio {ms / sql_ms:5.1f}x (target <= 3x)"
            )
        print(
            f"Import           {import_rate:10,.0f} rows/s ({import_seconds:.2f} s) | "
            f"bare COPY {copy_rate:10,.0f} rows/s ({copy_seconds:.2f} s) | "
            f"{import_rate / copy_rate:.2f} of COPY (target >= 0.33)"
        )
    finally:
        drop_database()


if __name__ == "__main__":
    main()
