"""The formulas against independent references; no database."""

import math

import pytest
from scipy import stats

from arp import statistics
from disproportionality import metrics, taxonomy
from disproportionality.metrics import Cell

Z = stats.norm.ppf(0.975)


@pytest.mark.parametrize("k", [0, 1, 2, 3, 5, 9, 10, 25])
def test_exact_poisson_matches_chi_square_and_gamma(k):
    low, high = statistics.exact_poisson_ci(k)
    ref_low = 0.0 if k == 0 else stats.chi2.ppf(0.025, 2 * k) / 2
    ref_high = stats.chi2.ppf(0.975, 2 * k + 2) / 2
    assert low == pytest.approx(ref_low, rel=1e-7, abs=1e-9)
    assert high == pytest.approx(ref_high, rel=1e-7)
    # the same bounds as gamma quantiles
    if k:
        assert low == pytest.approx(stats.gamma.ppf(0.025, k), rel=1e-7)
    assert high == pytest.approx(stats.gamma.ppf(0.975, k + 1), rel=1e-7)


@pytest.mark.parametrize("k", [10, 11, 50, 389, 5000])
def test_byar_matches_its_formula(k):
    low, high = statistics.byar_ci(k)
    ref_low = k * (1 - 1 / (9 * k) - Z / (3 * math.sqrt(k))) ** 3
    ref_high = (k + 1) * (1 - 1 / (9 * (k + 1)) + Z / (3 * math.sqrt(k + 1))) ** 3
    assert (low, high) == pytest.approx((ref_low, ref_high), rel=1e-12)
    # Byar approximates the exact interval closely
    exact = (stats.chi2.ppf(0.025, 2 * k) / 2, stats.chi2.ppf(0.975, 2 * k + 2) / 2)
    assert (low, high) == pytest.approx(exact, rel=0.01)


def test_byar_fingertips_worked_example():
    # PHE Fingertips "Confidence intervals for rates" worked example:
    # 75 events in a population of 35,000 -> crude rate 214.3 per 100,000,
    # 95% CI 168.5 to 268.6 per 100,000.
    rate, low, high = metrics.rate_per_10k(75, 35_000)
    assert rate * 10 == pytest.approx(214.3, abs=0.05)
    assert low * 10 == pytest.approx(168.5, abs=0.05)
    assert high * 10 == pytest.approx(268.6, abs=0.05)


def test_rate_uses_exact_below_ten_and_byar_from_ten():
    _, low9, high9 = metrics.rate_per_10k(9, 10_000)
    assert low9 == pytest.approx(stats.chi2.ppf(0.025, 18) / 2, rel=1e-7)
    _, low10, _ = metrics.rate_per_10k(10, 10_000)
    assert low10 == pytest.approx(statistics.byar_ci(10)[0])
    assert high9 == pytest.approx(stats.chi2.ppf(0.975, 20) / 2, rel=1e-7)
    assert metrics.rate_per_10k(None, 100) == (None, None, None)
    assert metrics.rate_per_10k(5, 0) == (None, None, None)


def test_katz_interval_against_independent_formula():
    a, n1, c, n0 = 120, 8_000, 900, 150_000
    rri, low, high = metrics.katz_rri(a, n1, c, n0)
    p1, p0 = a / n1, c / n0
    se = math.sqrt((1 - p1) / a + (1 - p0) / c)  # statsmodels' riskratio form
    assert rri == pytest.approx(p1 / p0)
    assert low == pytest.approx(math.exp(math.log(p1 / p0) - Z * se))
    assert high == pytest.approx(math.exp(math.log(p1 / p0) + Z * se))


def test_katz_hand_worked_example():
    # 50 of 1,000 against 100 of 10,000: RRI 5.0, SE = sqrt(1/50-1/1000+1/100-1/10000)
    rri, low, high = metrics.katz_rri(50, 1_000, 100, 10_000)
    assert rri == pytest.approx(5.0)
    se = math.sqrt(0.02 - 0.001 + 0.01 - 0.0001)
    assert se == pytest.approx(0.17)
    assert low == pytest.approx(5 * math.exp(-1.959964 * se), rel=1e-6)
    assert low == pytest.approx(3.5832, abs=1e-3)
    assert high == pytest.approx(6.9771, abs=1e-3)


def test_katz_has_no_interval_when_a_count_is_zero():
    assert metrics.katz_rri(0, 1000, 50, 10_000) == (0.0, None, None)
    assert metrics.katz_rri(5, 1000, 0, 10_000) == (None, None, None)
    assert metrics.katz_rri(None, 1000, 5, 10_000) == (None, None, None)


@pytest.mark.parametrize(
    "count,suppressed,low,high,expected",
    [
        (50, False, 1.2, 2.0, "over"),
        (50, False, 0.3, 0.8, "under"),
        (50, False, 0.9, 1.3, "no_difference"),
        (9, False, 1.5, 3.0, "insufficient"),
        (None, True, None, None, "insufficient"),
        (10, False, 1.01, 2.0, "over"),
        (30, False, None, None, "insufficient"),
    ],
)
def test_flags(count, suppressed, low, high, expected):
    assert metrics.flag_for(count, suppressed, low, high) == expected


def _cells(values):
    return {code: Cell(v) if v is not None else Cell(None, "c") for code, v in values}


def _example():
    counts = dict.fromkeys(taxonomy.CODES, 20)
    counts.update(WBRI=300, BCRB=60, BAFR=40, REFU=7, NOBT=3)
    pops = dict.fromkeys(taxonomy.CODES, 2_000)
    pops.update(WBRI=150_000, BCRB=3_000, BAFR=5_000)
    del pops["REFU"], pops["NOBT"]
    return {c: Cell(v) for c, v in counts.items()}, pops


def test_major_table_by_hand():
    counts, pops = _example()
    rows = {
        r["group_code"]: r
        for r in metrics.compute_table(
            counts=counts, populations=pops, level="major", reference="WBRI"
        )
    }
    known_total = sum(v.count for c, v in counts.items() if c not in {"REFU", "NOBT"})
    black = rows["BLACK"]
    assert black["count"] == 60 + 40 + 20
    assert black["population"] == 3_000 + 5_000 + 2_000
    assert black["share"] == pytest.approx(120 / known_total)
    pop_total = sum(pops.values())
    assert black["population_share"] == pytest.approx(10_000 / pop_total)
    assert black["representation_index"] == pytest.approx(
        (120 / known_total) / (10_000 / pop_total)
    )
    assert black["rate_per_10k"] == pytest.approx(120)
    assert black["rri"] == pytest.approx(120 / 20)  # WBRI rate is 20 per 10,000
    assert black["flag"] == "over"
    unknown = rows["UNKNOWN"]
    assert unknown["count"] == 10
    assert unknown["share"] is None and unknown["rri"] is None
    assert unknown["flag"] == "not_applicable"


def test_references_white_and_others():
    counts, pops = _example()
    white = {
        r["group_code"]: r
        for r in metrics.compute_table(
            counts=counts, populations=pops, level="major", reference="WHITE"
        )
    }
    assert white["WHITE"]["flag"] == "reference"
    assert white["WHITE"]["rri"] == 1.0
    white_rate = (300 + 4 * 20) / (150_000 + 4 * 2_000)
    assert white["BLACK"]["rri"] == pytest.approx((120 / 10_000) / white_rate)
    others = {
        r["group_code"]: r
        for r in metrics.compute_table(
            counts=counts, populations=pops, level="major", reference="OTHERS"
        )
    }
    known = sum(v.count for c, v in counts.items() if c not in {"REFU", "NOBT"})
    known_pop = sum(pops.values())
    ref_rate = (known - 120) / (known_pop - 10_000)
    assert others["BLACK"]["rri"] == pytest.approx((120 / 10_000) / ref_rate)


def test_minor_level_combines_gypsy_roma_and_irish_traveller():
    counts, pops = _example()
    rows = metrics.compute_table(counts=counts, populations=pops, level="minor")
    codes = [r["group_code"] for r in rows]
    assert "GRT" in codes and "WIRT" not in codes and "WROM" not in codes
    assert len(codes) == 19
    grt = next(r for r in rows if r["group_code"] == "GRT")
    assert grt["count"] == 40 and grt["population"] == 4_000
    assert grt["group_label"] == "Gypsy, Roma and Irish Traveller"
    wbri = next(r for r in rows if r["group_code"] == "WBRI")
    assert wbri["flag"] == "reference"


def test_suppressed_cells_never_count_as_zero():
    counts, pops = _example()
    counts["BCRB"] = Cell(None, "c")
    counts["BAFR"] = Cell(None, "c")
    counts["BOTH"] = Cell(None, "x")
    rows = {
        r["group_code"]: r
        for r in metrics.compute_table(counts=counts, populations=pops, level="major")
    }
    assert rows["BLACK"]["count"] is None
    assert rows["BLACK"]["suppressed"] is True
    assert rows["BLACK"]["rate_per_10k"] is None
    assert rows["BLACK"]["flag"] == "insufficient"


def test_primary_and_secondary_suppression_within_a_major_group():
    values = dict.fromkeys(taxonomy.CODES, 50)
    values.update(BCRB=3, BAFR=40, BOTH=12)
    counts = {c: Cell(v) for c, v in values.items()}
    hidden_minor, hidden_major = metrics.disclosure_control(counts)
    # BCRB is primary; the Black total is shown, so the next smallest goes too
    assert {"BCRB", "BOTH"} <= hidden_minor
    assert "BAFR" not in hidden_minor
    assert hidden_major == set()


def test_hidden_major_group_hides_the_next_smallest_and_a_minor_part():
    values = dict.fromkeys(taxonomy.CODES, 0)
    values.update(WBRI=500, WOTH=30, MWBC=2, AIND=25, APKN=8, BAFR=40, OOTH=12)
    counts = {c: Cell(v) for c, v in values.items()}
    hidden_minor, hidden_major = metrics.disclosure_control(counts)
    assert "MIXED" in hidden_major  # 2 children
    assert "OTHER" in hidden_major  # next smallest major (12): total is derivable
    assert "OOTH" in hidden_minor  # else the Other total shows in the minor view
    assert "MWBC" in hidden_minor
    # no sum "major = its minors" has exactly one hidden cell: with the major
    # hidden too, its one non-zero minor (MIXED = MWBC + zeros) is enough
    for major in ("MIXED", "OTHER"):
        parts = [c for c in taxonomy.CODES if taxonomy.CODE_MAJOR[c] == major]
        hidden = [c for c in parts if c in hidden_minor] + [major]
        assert len(hidden) >= 2


def test_board_table_hides_small_counts_under_one_label_and_hides_derived():
    values = dict.fromkeys(taxonomy.CODES, 30)
    values.update(WBRI=400, CHNE=2, AOTH=6)
    counts = {c: Cell(v) for c, v in values.items()}
    pops = dict.fromkeys(taxonomy.CODES, 3_000)
    rows = metrics.compute_table(counts=counts, populations=pops, level="minor")
    safe = {
        r["group_code"]: r
        for r in metrics.apply_disclosure_control(rows, counts, "minor", "WBRI")
    }
    # small (1-5) and secondary look alike: a reader cannot tell which is small
    assert safe["CHNE"]["count"] == "suppressed"
    assert safe["CHNE"]["rate_per_10k"] is None and safe["CHNE"]["rri"] is None
    assert safe["AOTH"]["count"] == "suppressed"  # secondary
    assert safe["AOTH"]["share"] is None
    assert safe["AOTH"]["flag"] == "insufficient"
    assert safe["AIND"]["count"] == 30 and safe["AIND"]["rri"] is not None
    for row in safe.values():
        assert not (isinstance(row["count"], int) and 1 <= row["count"] <= 5)


def test_hidden_reference_group_hides_every_ratio():
    values = dict.fromkeys(taxonomy.CODES, 30)
    values.update(WBRI=3)
    counts = {c: Cell(v) for c, v in values.items()}
    pops = dict.fromkeys(taxonomy.CODES, 3_000)
    rows = metrics.compute_table(counts=counts, populations=pops, level="major")
    safe = metrics.apply_disclosure_control(rows, counts, "major", "WBRI")
    assert all(r["rri"] is None for r in safe)
    assert all(r["rate_per_10k"] is not None for r in safe if not r["unknown"])
