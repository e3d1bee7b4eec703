"""League benchmark: every authority at once against one authority's metrics.

Run:  .venv/bin/python bench/league_bench.py
Creates (and drops afterwards) the PostgreSQL database arp_bench_league on
127.0.0.1:5432 (BENCH_LEAGUE_DATABASE_URL to change), migrates it, imports
~90,000 count rows (150 authorities x 20 groups x 3 stages x 10 years, plus
England as their sum) and a population for every authority, then prints the
median cold server time (the cache emptied before every request, as after an
import) of:
  * the league API for all 150 authorities, with funnel bands;
  * the metrics API for one authority, in the same run (the yardstick);
and their ratio (target: at most 10x).
"""

import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
os.environ.setdefault(
    "BENCH_DATABASE_URL",
    os.environ.get(
        "BENCH_LEAGUE_DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/arp_bench_league",
    ),
)

import disproportionality_bench as base  # noqa: E402


def add_england(connection) -> None:
    """England's counts and population as the sums of the authorities'."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO disproportionality_area (code, name, level, updated_at) "
            "VALUES ('E92000001', 'England', 'national', now()) ON CONFLICT DO NOTHING"
        )
        cursor.execute(
            "INSERT INTO disproportionality_ethnicitycount (area_id, period, "
            "period_end, stage, group_id, major_code, count, suppressed, marker) "
            "SELECT 'E92000001', period, period_end, stage, group_id, '', "
            "SUM(count), false, '' FROM disproportionality_ethnicitycount "
            "WHERE count IS NOT NULL GROUP BY period, period_end, stage, group_id"
        )
        cursor.execute(
            "INSERT INTO disproportionality_population (area_id, year, source, "
            "age_band, group_id, population) SELECT 'E92000001', year, source, "
            "age_band, group_id, SUM(population) FROM disproportionality_population "
            "GROUP BY year, source, age_band, group_id"
        )


def main() -> None:
    import random

    base.recreate_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from disproportionality import league, taxonomy
    from disproportionality.services import figures_import, population_import

    try:
        call_command("migrate", verbosity=0)
        rng = random.Random(1)
        labels = [
            (label, code)
            for label, code in taxonomy.DFE_LABELS.items()
            if label[0].isdigit() and "/" not in label
        ]
        population_import(
            data=base.ons_csv(rng), file_name="ons.csv", year=2021, age_band="0-17"
        )
        rows = 0
        for stage in base.STAGE_FILES:
            batch = figures_import(
                data=base.tidy_csv(stage, labels, rng),
                file_name=f"{stage}.csv",
                feed_indicator=False,
            )
            assert batch.status == "succeeded", batch.errors[:3]
            rows += batch.rows_created
        add_england(connection)

        user = get_user_model().objects.create_superuser("bench", password="x")  # noqa: S106
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        area = base.la_code(7)
        one_url = (
            f"/disproportionality/api/metrics/?area={area}&period=2024&stage=CLA"
            "&level=major&reference=WBRI"
        )
        league_url = (
            "/disproportionality/api/league/?period=2024&stage=CLA&group=BLACK"
            f"&reference=WBRI&area={area}"
        )
        response = client.get(league_url)
        assert response.status_code == 200, response.content[:300]
        data = response.json()
        assert len(data["rows"]) == base.AUTHORITIES, len(data["rows"])
        assert sum(1 for r in data["rows"] if r["funnel"]) > 100
        assert client.get(one_url).status_code == 200

        one_ms = base.median_ms(lambda: client.get(one_url), before=cache.clear)
        league_ms = base.median_ms(lambda: client.get(league_url), before=cache.clear)
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            league.league_table(
                period="2024", stage="CLA", group="BLACK", reference="WBRI", home=area
            )
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        start = time.perf_counter()
        for _ in range(10):
            league.league_table(
                period="2024", stage="CLA", group="BLACK", reference="WBRI", home=area
            )
        compute_ms = (time.perf_counter() - start) * 100
        print(
            f"Data: {rows:,} count rows ({base.AUTHORITIES} authorities x 20 x 3 x 10)"
        )
        print(f"One authority's metrics API, cold  median {one_ms:8.2f} ms")
        print(
            f"League API, {base.AUTHORITIES} authorities, cold median "
            f"{league_ms:8.2f} ms (league_table alone {compute_ms:.2f} ms)"
        )
        print(
            f"Ratio league / one authority: {league_ms / one_ms:5.1f}x "
            f"(target <= 10x; {base.AUTHORITIES} authorities)"
        )
    finally:
        base.drop_database()


if __name__ == "__main__":
    main()
