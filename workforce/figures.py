"""Workforce race equality figures: pure functions over counts, no Django.

For each measure and period (SC-WRES; NHS England, "WRES technical guidance"):

* each group's rate = count ÷ base; for representation measures (in post, pay
  bands, senior managers) the share of staff with a known ethnicity instead;
* the relative likelihood between White staff and staff from all ethnic
  minority groups pooled (row ``MINORITY`` = Mixed + Asian + Black + Other),
  in the WRES direction: White rate ÷ minority rate for favourable measures
  (appointment, CPD), minority rate ÷ White rate for adverse ones
  (disciplinary, fitness to practise, leavers, harassment). Its 95% interval is
  Katz's log interval, the method of the children's relative rate index
  (``arp.statistics.katz_rate_ratio``); each minority group gets the same
  ratio against White beside its own rate;
* disclosure control: counts and bases from 1 to ``min_count − 1`` are hidden
  with everything derived from them, then secondary suppression so no hidden
  cell can be worked out from a sum a reader can redo (MINORITY = the four
  minority groups), and White British is hidden when White − White British
  (other White, never shown) is small.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from arp.statistics import katz_log_se, katz_rate_ratio, ratio_change
from workforce import codes

Cells = Mapping[str, tuple[int, int | None]]  # group → (count, base)


@dataclass(frozen=True)
class MeasureRow:
    measure: str
    group_code: str
    count: int | None
    base: int | None
    rate: float | None
    relative_likelihood: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    log_se: float | None = None

    @property
    def group_label(self) -> str:
        return codes.GROUP_LABELS.get(self.group_code, self.group_code)

    def as_dict(self) -> dict:
        return {
            "measure": self.measure,
            "group_code": self.group_code,
            "count": self.count,
            "base": self.base,
            "rate": None if self.rate is None else round(self.rate, 4),
            "relative_likelihood": _round(self.relative_likelihood),
            "ci_low": _round(self.ci_low),
            "ci_high": _round(self.ci_high),
            "suppressed": self.suppressed,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def pooled(cells: Cells) -> dict[str, tuple[int, int | None]]:
    """The cells with the MINORITY row added (sums of the four minority groups)."""
    out = dict(cells)
    present = [cells[g] for g in codes.MINORITY_GROUPS if g in cells]
    if present:
        count = sum(c for c, _b in present)
        bases = [b for _c, b in present if b is not None]
        base = sum(bases) if len(bases) == len(present) else None
        out[codes.MINORITY] = (count, base)
    return out


def _ratio(measure: codes.Measure, group, ref):
    """(ratio, low, high, log SE) of ``group`` against White in the WRES direction."""
    (count, base), (ref_count, ref_base) = group, ref
    if measure.kind == codes.FAVOURABLE:
        args = (ref_count, ref_base, count, base)
    else:
        args = (count, base, ref_count, ref_base)
    ratio, low, high = katz_rate_ratio(*args)
    se = katz_log_se(*args) if low is not None else None
    return ratio, low, high, se


def _usable(cell: tuple[int, int | None] | None) -> bool:
    if cell is None:
        return False
    count, base = cell
    return base is not None and bool(base) and count <= base


def compute(measure: codes.Measure, cells: Cells) -> list[MeasureRow]:
    """Every group's figures for one measure and period, before disclosure control."""
    cells = pooled(cells)
    rows = []
    if measure.kind == codes.REPRESENTATION:
        known = sum(cells[g][0] for g in codes.KNOWN_MAJOR if g in cells)
        for group in codes.DISPLAY_ORDER:
            if group not in cells:
                continue
            count, _base = cells[group]
            unknown = group in ("UNKNOWN", "REFUSED")
            share = count / known if known and not unknown else None
            rows.append(
                MeasureRow(
                    measure.code, group, count, known or None, share, None, None,
                    None, False,
                )
            )  # fmt: skip
        return rows
    white = cells.get(codes.WHITE)
    for group in codes.DISPLAY_ORDER:
        if group not in cells:
            continue
        count, base = cells[group]
        # a base taken from another measure can be smaller than the count (the
        # in-post figures re-imported later): no rate then, rather than a wrong one
        rate = count / base if base is not None and _usable((count, base)) else None
        ratio = low = high = se = None
        comparable = group in (codes.MINORITY, *codes.MINORITY_GROUPS)
        if comparable and _usable((count, base)) and _usable(white):
            ratio, low, high, se = _ratio(measure, (count, base), white)
        rows.append(
            MeasureRow(
                measure.code, group, count, base, rate, ratio, low, high, False, se
            )
        )
    return rows


# --- disclosure control -------------------------------------------------------


KNOWN_TOTAL = "_KNOWN"  # a representation table's known-ethnicity total


def _relations(values: Mapping[str, int | None]):
    """Sums of published cells a reader can redo: MINORITY = its four groups;
    in a representation table the known total (every row's base) = White +
    MINORITY (or White + the groups present when there is no MINORITY)."""
    relations = []
    parts = [g for g in codes.MINORITY_GROUPS if values.get(g) is not None]
    if values.get(codes.MINORITY) is not None:
        relations.append([codes.MINORITY, *parts])
    if values.get(KNOWN_TOTAL) is not None and values.get(codes.WHITE) is not None:
        pooled = [codes.MINORITY] if values.get(codes.MINORITY) is not None else parts
        relations.append([KNOWN_TOTAL, codes.WHITE, *pooled])
    return relations


def hidden_cells(
    values: Mapping[str, int | None], min_count: int, forced: Iterable[str] = ()
) -> set[str]:
    """Primary suppression (1 to min_count − 1), then secondary.

    * The line rule: no sum a reader can redo may have exactly one hidden
      non-zero cell; the smallest other non-zero cell (a part before the
      total) is hidden with it. Hidden zeros do not count: a zero elsewhere
      (a band's column total, say) can pin them.
    * Other White is never published, but White − White British would give it:
      when it is small, White British is hidden.
    """
    values = dict(values)

    def small(v):
        return v is not None and 0 < v < min_count

    hidden = {g for g, v in values.items() if small(v)} | (set(forced) & set(values))
    white, wbri = values.get(codes.WHITE), values.get(codes.WBRI)
    if white is not None and wbri is not None and small(white - wbri):
        hidden.add(codes.WBRI)
    relations = _relations(values)
    changed = True
    while changed:
        changed = False
        for members in relations:
            # a hidden 0 protects nothing: another sum of 0 may pin it
            if sum(m in hidden and values[m] != 0 for m in members) != 1:
                continue
            visible = [m for m in members if m not in hidden and values[m] != 0]
            if visible:
                total = members[0]
                hidden.add(min(visible, key=lambda m: (m == total, values[m])))
                changed = True
        if (
            codes.WHITE in hidden
            and values.get(codes.WBRI)
            and codes.WBRI not in hidden
        ):
            # White British is a part of White: shown, it would bound White
            hidden.add(codes.WBRI)
            changed = True
    return hidden


def controlled(
    rows: list[MeasureRow],
    min_count: int,
    forced_counts: Iterable[str] = (),
    forced_bases: Iterable[str] = (),
) -> list[MeasureRow]:
    """Hide small counts and bases and everything derived from them.

    ``forced_*`` are groups hidden because of another measure (see
    ``controlled_period``)."""
    if not rows:
        return rows
    by_group = {r.group_code: r for r in rows}
    counts = {g: r.count for g, r in by_group.items()}
    measure = codes.measure_for(rows[0].measure)
    if measure is not None and measure.kind == codes.REPRESENTATION:
        # every row shows the known total as its base: a sum a reader can redo
        counts[KNOWN_TOTAL] = rows[0].base
    hidden = hidden_cells(counts, min_count, forced_counts)
    if measure is not None and measure.kind == codes.REPRESENTATION:
        # every share is over the known total: all hidden when it is small
        if KNOWN_TOTAL in hidden:
            hidden |= set(by_group)
    else:
        hidden |= hidden_cells(
            {g: r.base for g, r in by_group.items()}, min_count, forced_bases
        )
    out = []
    for row in rows:
        if row.group_code in hidden:
            out.append(_blank(row))
        elif row.relative_likelihood is not None and codes.WHITE in hidden:
            out.append(
                replace(
                    row, relative_likelihood=None, ci_low=None, ci_high=None,
                    log_se=None,
                )
            )  # fmt: skip
        else:
            out.append(row)
    return out


def controlled_period(
    tables: Mapping[str, list[MeasureRow]], min_count: int
) -> dict[str, list[MeasureRow]]:
    """Disclosure control of one period's measures together.

    Each table is controlled on its own, then two sums that cross measures
    are made safe, repeating until nothing changes:

    * a base taken from another measure (disciplinary's base is the count in
      post) is hidden wherever that count is hidden there;
    * pay bands that add up to in post for a group form a sum a reader can
      redo: no such column may have exactly one hidden cell (the smallest
      other band's cell is hidden with it).
    """
    raw = {code: {r.group_code: r for r in rows} for code, rows in tables.items()}
    forced_counts: dict[str, set[str]] = {code: set() for code in tables}
    forced_bases: dict[str, set[str]] = {code: set() for code in tables}
    bands = [c for c in tables if c.startswith(codes.BAND_PREFIX)]
    while True:
        out = {
            code: controlled(rows, min_count, forced_counts[code], forced_bases[code])
            for code, rows in tables.items()
        }
        hidden = {
            code: {r.group_code for r in rows if r.suppressed}
            for code, rows in out.items()
        }
        changed = False
        for code in tables:
            measure = codes.measure_for(code)
            source = measure.base_from if measure else None
            if source not in raw:
                continue
            for group in hidden[source] - hidden[code] - forced_bases[code]:
                mine, theirs = raw[code].get(group), raw[source].get(group)
                if (
                    mine is not None
                    and theirs is not None
                    and mine.base == theirs.count
                ):
                    forced_bases[code].add(group)
                    changed = True
        if "inpost" in raw and bands:
            for group in raw["inpost"]:
                cells = [b for b in bands if group in raw[b]]
                if not cells:
                    continue
                members = ["inpost", *cells]
                count = {m: _raw_count(raw[m][group]) for m in members}
                if sum(count[b] for b in cells) != count["inpost"]:
                    continue
                if sum(group in hidden[m] and count[m] > 0 for m in members) != 1:
                    continue  # hidden zeros do not count: see hidden_cells
                visible = [m for m in members if group not in hidden[m] and count[m]]
                if visible:
                    pick = min(visible, key=lambda m: (m == "inpost", count[m]))
                    forced_counts[pick].add(group)
                    changed = True
        if not changed:
            return out


def _raw_count(row: MeasureRow) -> int:
    """The count of a row before disclosure control: compute always gives one."""
    if row.count is None:
        raise ValueError(f"{row.measure} {row.group_code}: no count before control")
    return row.count


def _blank(row: MeasureRow) -> MeasureRow:
    return replace(
        row,
        count=None,
        base=None,
        rate=None,
        relative_likelihood=None,
        ci_low=None,
        ci_high=None,
        log_se=None,
        suppressed=True,
    )


# --- trend and words ----------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    earlier_period: str
    later_period: str
    earlier: float
    later: float
    direction: str  # arp.statistics RISEN / FALLEN / NO_CLEAR_CHANGE
    ratio_of_ratios: float
    p_value: float


def trend(series: list[tuple[str, MeasureRow]]) -> Trend | None:
    """The honest change test between the last two periods with a ratio and SE."""
    usable = [
        (p, r.relative_likelihood, r.log_se)
        for p, r in series
        if r.relative_likelihood and r.log_se
    ]
    if len(usable) < 2:
        return None
    (p1, ratio1, se1), (p2, ratio2, se2) = usable[-2], usable[-1]
    change = ratio_change(ratio1, se1, ratio2, se2)
    return Trend(
        p1, p2, ratio1, ratio2, change.direction, change.ratio_of_ratios,
        change.p_value,
    )  # fmt: skip


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def sentence(measure: codes.Measure, rows: list[MeasureRow]) -> str:
    """One plain sentence in Ethnicity Facts and Figures wording."""
    by_group = {r.group_code: r for r in rows}
    white, minority = by_group.get(codes.WHITE), by_group.get(codes.MINORITY)
    if white is None or minority is None or white.rate is None or minority.rate is None:
        return (
            f"{measure.label}: the figures for White staff or for staff from other "
            "ethnic groups are too small to show or are missing."
        )
    who = measure.who
    if measure.kind == codes.REPRESENTATION:
        return (
            f"{measure.label}: {_pct(white.rate)} are White and "
            f"{_pct(minority.rate)} are from other ethnic groups (of those whose "
            "ethnicity is known)."
        )
    text = (
        f"{_pct(white.rate)} of White {who} and {_pct(minority.rate)} of {who} "
        f"from other ethnic groups {measure.action}."
    )
    if minority.relative_likelihood is None:
        return text
    ratio = minority.relative_likelihood
    if measure.kind == codes.FAVOURABLE:
        subject, other = f"White {who}", f"{who} from other ethnic groups"
    else:
        subject, other = f"{who.capitalize()} from other ethnic groups", f"White {who}"
    likely = codes.LIKELY.get(measure.code, measure.action)
    text += f" {subject} were {ratio:.2f} times as likely as {other} {likely}"
    if minority.ci_low is None or minority.ci_high is None:  # set together
        return text + "."
    clear = minority.ci_low > 1 or minority.ci_high < 1
    text += f" (95% CI {minority.ci_low:.2f} to {minority.ci_high:.2f}; " + (
        "a difference unlikely to be chance)." if clear else "no clear difference)."
    )
    return text
