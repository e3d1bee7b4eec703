"""Review: a linear-programming audit of workforce disclosure control.

A reader sees every published count, base and share. Each hidden count is a
non-negative unknown tied to the published figures by the sums a reader knows
(MINORITY = its four groups; the known-ethnicity total shown as every
representation row's base = White + the four groups; White British ≤ White).
scipy's linprog gives the least and the most each hidden count can be; if
they are equal the count was recovered.
"""

import pytest
from scipy.optimize import linprog

from workforce import codes, figures

GROUPS = ("WHITE", "WBRI", *codes.MINORITY_GROUPS, "MINORITY")


def _audit(rows):
    """{hidden group: (least, most)} a reader can work out from ``rows``."""
    shown = {r.group_code: r for r in rows}
    hidden = [g for g in GROUPS if g in shown and shown[g].suppressed]
    index = {g: i for i, g in enumerate(hidden)}
    known_total = next((r.base for r in rows if r.base is not None), None)

    def term(group):
        """(coefficients, constant) of a group's count in the unknowns."""
        coefficients = [0.0] * len(hidden)
        if group in index:
            coefficients[index[group]] = 1.0
            return coefficients, 0.0
        return coefficients, float(shown[group].count if group in shown else 0)

    equalities, values = [], []

    def equal(left, rights):
        coefficients, constant = term(left)
        for group in rights:
            c, k = term(group)
            coefficients = [a - b for a, b in zip(coefficients, c, strict=True)]
            constant -= k
        equalities.append(coefficients)
        values.append(-constant)

    present = [g for g in codes.MINORITY_GROUPS if g in shown]
    if "MINORITY" in shown:
        equal("MINORITY", present)
    if known_total is not None:
        coefficients, constant = term("WHITE")
        for group in present:
            c, k = term(group)
            coefficients = [a + b for a, b in zip(coefficients, c, strict=True)]
            constant += k
        equalities.append(coefficients)
        values.append(known_total - constant)
    upper, upper_values = [], []
    if "WBRI" in shown and "WHITE" in shown:  # White British ≤ White
        w, kw = term("WHITE")
        b, kb = term("WBRI")
        upper.append([x - y for x, y in zip(b, w, strict=True)])
        upper_values.append(kw - kb)
    ranges = {}
    for group, i in index.items():
        objective = [0.0] * len(hidden)
        found = []
        for sign in (1, -1):
            objective[i] = sign
            result = linprog(
                objective,
                A_eq=equalities or None,
                b_eq=values or None,
                A_ub=upper or None,
                b_ub=upper_values or None,
                bounds=[(0, None)] * len(hidden),
            )
            assert result.status in (0, 3), result.message
            found.append(sign * result.fun if result.status == 0 else float("inf"))
        ranges[group] = (found[0], found[1])
    return ranges


def _assert_nothing_recovered(rows):
    for group, (least, most) in _audit(rows).items():
        assert most - least > 0.5, f"{group} recovered: {least}..{most}"


INPOST_CASES = {
    "small minority total": {"WHITE": 100, "ASIAN": 5, "BLACK": 3},
    "one small group": {"WHITE": 300, "WBRI": 250, "MIXED": 4, "ASIAN": 40,
                        "BLACK": 60, "OTHER": 25},
    "small White": {"WHITE": 6, "MIXED": 40, "ASIAN": 50, "BLACK": 70,
                    "OTHER": 20},
    "small White, White British shown": {"WHITE": 9, "WBRI": 9, "ASIAN": 50,
                                         "BLACK": 70},
}  # fmt: skip


@pytest.mark.parametrize("name", INPOST_CASES)
@pytest.mark.parametrize("code", ["inpost", "senior_managers", "inpost_band_7"])
def test_no_hidden_staff_count_is_recovered_from_the_known_total(name, code):
    cells = {g: (c, None) for g, c in INPOST_CASES[name].items()}
    measure = codes.measure_for(code)
    rows = figures.controlled(figures.compute(measure, cells), 10)
    assert any(r.suppressed for r in rows)  # the case has something to protect
    _assert_nothing_recovered(rows)


# --- across measures: bases taken from in post, pay bands that add up to it ---


def _cross_audit(published, raw, band_codes):
    """LP audit over a whole period's published tables.

    Unknowns: every raw count (measure, group), MINORITY included; a derived
    measure's base is its base measure's count. Constraints a reader has: the
    published numbers, MINORITY = its groups, White British ≤ White, the known
    total of a representation table, and in post = the sum of its pay bands.
    Returns {(measure, group): (least, most)} for the small hidden counts."""
    keys = sorted({(m, g) for m, g in raw} | {(m, "MINORITY") for m, _g in raw})
    index = {k: i for i, k in enumerate(keys)}
    n = len(keys)
    eq, eq_values, ub, ub_values = [], [], [], []

    def row(pairs):
        coefficients = [0.0] * n
        for key, weight in pairs:
            coefficients[index[key]] += weight
        return coefficients

    measures = {m for m, _g in raw}
    for m in measures:
        parts = [(m, g) for g in codes.MINORITY_GROUPS if (m, g) in index]
        eq.append(row([((m, "MINORITY"), 1)] + [(p, -1) for p in parts]))
        eq_values.append(0)
        if (m, "WBRI") in index and (m, "WHITE") in index:
            ub.append(row([((m, "WBRI"), 1), ((m, "WHITE"), -1)]))
            ub_values.append(0)
    for g in {g for _m, g in keys}:
        bands = [(b, g) for b in band_codes if (b, g) in index]
        if bands and ("inpost", g) in index:
            eq.append(row([(("inpost", g), 1)] + [(b, -1) for b in bands]))
            eq_values.append(0)
    for r in published:
        if r["suppressed"]:
            continue
        measure = codes.measure_for(r["measure"])
        key = (r["measure"], r["group_code"])
        if key in index:
            eq.append(row([(key, 1)]))
            eq_values.append(r["count"])
        if measure.kind == codes.REPRESENTATION and r["base"] is not None:
            known = [(r["measure"], g) for g in codes.KNOWN_MAJOR]
            eq.append(row([(k, 1) for k in known if k in index]))
            eq_values.append(r["base"])
        elif measure.base_from and (measure.base_from, r["group_code"]) in index:
            eq.append(row([((measure.base_from, r["group_code"]), 1)]))
            eq_values.append(r["base"])
    ranges = {}
    truth = [raw.get(k, 0) for k in keys]
    for coefficients, value in zip(eq, eq_values, strict=True):
        assert sum(c * t for c, t in zip(coefficients, truth, strict=True)) == value, (
            [(k, c) for k, c in zip(keys, coefficients, strict=True) if c],
            value,
        )
    for coefficients, value in zip(ub, ub_values, strict=True):
        assert sum(c * t for c, t in zip(coefficients, truth, strict=True)) <= value, (
            [(k, c) for k, c in zip(keys, coefficients, strict=True) if c],
            value,
        )
    for key, value in raw.items():
        if not 0 < value < 10:
            continue
        found = []
        for sign in (1, -1):
            objective = [0.0] * n
            objective[index[key]] = sign
            result = linprog(
                objective, A_eq=eq, b_eq=eq_values, A_ub=ub or None,
                b_ub=ub_values or None, bounds=[(0, None)] * n,
            )  # fmt: skip
            assert result.status in (0, 3), result.message
            found.append(sign * result.fun if result.status == 0 else float("inf"))
        ranges[key] = tuple(found)
    return ranges


CROSS_CSV = """period,measure,ethnicity,count,base
2025,inpost,WHITE,100,
2025,inpost,ASIAN,5,
2025,inpost,BLACK,3,
2025,inpost,UNKNOWN,20,
2025,disciplinary,WHITE,0,
2025,disciplinary,ASIAN,0,
2025,disciplinary,BLACK,0,
2025,leavers,WHITE,12,
2025,leavers,ASIAN,0,
2025,leavers,BLACK,0,
2026,inpost,WHITE,300,
2026,inpost,MIXED,20,
2026,inpost,ASIAN,40,
2026,inpost,BLACK,60,
2026,inpost,OTHER,30,
2026,inpost_band_a,WHITE,150,
2026,inpost_band_a,MIXED,15,
2026,inpost_band_a,ASIAN,35,
2026,inpost_band_a,BLACK,30,
2026,inpost_band_a,OTHER,20,
2026,inpost_band_b,WHITE,150,
2026,inpost_band_b,MIXED,5,
2026,inpost_band_b,ASIAN,5,
2026,inpost_band_b,BLACK,30,
2026,inpost_band_b,OTHER,10,
2026,cpd,WHITE,100,
2026,cpd,MIXED,10,
2026,cpd,ASIAN,20,
2026,cpd,BLACK,30,
2026,cpd,OTHER,0,
"""


@pytest.mark.django_db
@pytest.mark.parametrize("period", ["2025", "2026"])
def test_no_hidden_count_is_recovered_across_measures(client, board_member, period):
    from workforce import services

    services.workforce_import(content=CROSS_CSV.encode(), file_name="cross.csv")
    client.force_login(board_member)
    published = client.get(f"/workforce/api/measures/?period={period}").json()["rows"]
    raw = {}
    for line in CROSS_CSV.strip().splitlines()[1:]:
        p, measure, group, count, _base = line.split(",")
        if p == period:
            raw[(measure, group)] = int(count)
    for measure in {m for m, _g in raw}:
        raw[(measure, "MINORITY")] = sum(
            raw.get((measure, g), 0) for g in codes.MINORITY_GROUPS
        )
    bands = sorted({m for m, _g in raw if m.startswith(codes.BAND_PREFIX)})
    assert any(r["suppressed"] for r in published)
    for key, (least, most) in _cross_audit(published, raw, bands).items():
        assert most - least > 0.5, f"{key} = {raw[key]} recovered: {least}..{most}"


def _period_audit(inpost_bands: dict[str, dict[str, int]], disciplinary):
    """Control in post, its bands and disciplinary (base: in post) together,
    then audit every small count."""
    inpost = {
        g: sum(band[g] for band in inpost_bands.values())
        for g in next(iter(inpost_bands.values()))
    }
    raw_cells = {"inpost": {g: (c, None) for g, c in inpost.items()}}
    for code, band in inpost_bands.items():
        raw_cells[code] = {g: (c, None) for g, c in band.items()}
    raw_cells["disciplinary"] = {g: (c, inpost[g]) for g, c in disciplinary.items()}
    tables = {
        code: figures.compute(codes.measure_for(code), cells)
        for code, cells in raw_cells.items()
    }
    out = figures.controlled_period(tables, 10)
    published = [r.as_dict() for rows in out.values() for r in rows]
    raw = {(m, g): c for m, cells in raw_cells.items() for g, (c, _b) in cells.items()}
    for m in raw_cells:
        raw[(m, "MINORITY")] = sum(raw[(m, g)] for g in codes.MINORITY_GROUPS)
    return raw, _cross_audit(published, raw, sorted(inpost_bands))


def _assert_safe(raw, ranges):
    for key, (least, most) in ranges.items():
        assert most - least > 0.5, f"{key} = {raw[key]} recovered: {least}..{most}"


def test_hidden_zeros_are_not_counted_as_protection():
    """Band a's hidden zeros (Mixed, Other) were pinned by in post's zeros, so
    band a's minority total, then band b's (8), could be worked out."""
    groups = ("WHITE", "WBRI", "MIXED", "ASIAN", "BLACK", "OTHER", "UNKNOWN")
    band_a = dict(zip(groups, (11, 11, 0, 0, 23, 0, 6), strict=True))
    band_b = dict(zip(groups, (0, 0, 0, 3, 5, 0, 18), strict=True))
    disciplinary = dict(zip(groups, (1, 1, 0, 2, 4, 0, 12), strict=True))
    raw, ranges = _period_audit(
        {"inpost_band_a": band_a, "inpost_band_b": band_b}, disciplinary
    )
    assert ("inpost_band_b", "MINORITY") in ranges
    _assert_safe(raw, ranges)


@pytest.mark.parametrize("seed", range(4))
def test_random_periods_leave_nothing_recoverable(seed):
    import random

    rng = random.Random(seed)
    groups = ("WHITE", "WBRI", "MIXED", "ASIAN", "BLACK", "OTHER", "UNKNOWN")

    def value():
        return rng.choice(
            [0, rng.randint(1, 9), rng.randint(10, 40), rng.randint(40, 200)]
        )

    for _case in range(10):
        bands = {}
        for code in ("inpost_band_a", "inpost_band_b"):
            band = {g: value() for g in groups}
            band["WBRI"] = min(band["WBRI"], band["WHITE"])
            bands[code] = band
        inpost = {g: sum(b[g] for b in bands.values()) for g in groups}
        disciplinary = {g: rng.randint(0, min(inpost[g], 15)) for g in groups}
        disciplinary["WBRI"] = min(disciplinary["WBRI"], disciplinary["WHITE"])
        _assert_safe(*_period_audit(bands, disciplinary))
