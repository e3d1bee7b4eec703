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
