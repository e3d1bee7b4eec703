"""The league: every English authority at once, for one period, stage and group.

One query for the areas, two for every area's counts and populations (through
``selectors.load_figures``, so the children's population, UASC and disclosure
rules are those of each authority's own table), one for the home authority's
neighbours; the groups are formed for all authorities together with pandas,
not area by area. Each authority's cells pass the same disclosure control as
its own table (``FigureSet.hidden_for``), so a figure hidden on its dashboard
is hidden here, and nothing derived from it is shown.

Per authority: count, child population of the group, rate per 10,000 with its
95% interval, relative rate index against the reference group with Katz's
interval, the flag, its position (by RRI, highest first) and its funnel-plot
band against England's rate (``funnel.py``, Spiegelhalter 2005).
"""

import dataclasses
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pandas as pd

from disproportionality import funnel, metrics, taxonomy
from disproportionality.models import (
    Area,
    EthnicityCount,
    StatisticalNeighbour,
)
from disproportionality.selectors import FigureSet, NotFound, load_figures

ENGLAND = "E92000001"
LA = Area.Level.LOCAL_AUTHORITY
ROUNDING = metrics.ROUND_PLACES
CSV_COLUMNS = (
    "position",
    "area_code",
    "area_name",
    "region_code",
    "count",
    "population",
    *metrics.RATE_FIELDS,
    *metrics.RRI_FIELDS,
    "flag",
    "funnel",
    "suppressed",
)


@dataclass(frozen=True)
class LeagueRow:
    area_code: str
    area_name: str
    region_code: str | None
    count: int | str | None  # "<5", "suppressed" or "not available" when hidden
    population: float | None  # scaled to the mid-year estimate: not whole
    rate_per_10k: float | None
    rate_ci_low: float | None
    rate_ci_high: float | None
    rri: float | None
    rri_ci_low: float | None
    rri_ci_high: float | None
    flag: str | None  # None: the group contains the reference (nested)
    funnel: str | None
    suppressed: bool
    position: int | None = None
    is_home: bool = False
    is_neighbour: bool = False

    def as_dict(self) -> dict:
        out = {name: getattr(self, name) for name in ROW_FIELDS}
        if isinstance(out["population"], float):
            out["population"] = round(out["population"])  # scaled to mid-year
        for key, places in ROUNDING.items():
            if isinstance(out[key], float):
                out[key] = round(out[key], places)
        return out


ROW_FIELDS = tuple(f.name for f in dataclasses.fields(LeagueRow))
LIMIT_FIELDS = tuple(f.name for f in dataclasses.fields(funnel.LimitPoint))


@dataclass(frozen=True)
class League:
    period: str
    stage: str
    group: str
    group_label: str
    level: str
    reference: str
    target_rate: float | None
    target_source: str
    rows: tuple[LeagueRow, ...]
    limits: tuple[funnel.LimitPoint, ...]
    home: str | None
    notes: tuple[str, ...] = ()
    is_demo: bool = False

    def as_dict(self) -> dict:
        return {
            "period": self.period,
            "stage": self.stage,
            "group": self.group,
            "group_label": self.group_label,
            "level": self.level,
            "reference": self.reference,
            "target": {
                "rate_per_10k": None
                if self.target_rate is None
                else round(self.target_rate, 2),
                "source": self.target_source,
            },
            "funnel_method": "Spiegelhalter (2005) exact Poisson limits at each "
            "authority's child population, 95% and 99.8%",
            "home": self.home,
            "notes": list(self.notes),
            "rows": [r.as_dict() for r in self.rows],
            "limits": [
                {name: getattr(p, name) for name in LIMIT_FIELDS} for p in self.limits
            ],
        }

    @property
    def home_row(self) -> LeagueRow | None:
        return next((r for r in self.rows if r.is_home), None)

    def band_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(funnel.BANDS, 0)
        for row in self.rows:
            if row.funnel:
                counts[row.funnel] += 1
        return counts


def level_of(group: str) -> str:
    return "major" if taxonomy.is_major(group) else "minor"


def group_codes(level: str) -> dict[str, str]:
    """Known groups (not 'unknown') at a level: code → label."""
    return {
        c: label
        for c, label, major in taxonomy.level_groups(level)
        if major != taxonomy.UNKNOWN_MAJOR
    }


def is_nested(group: str, reference: str) -> bool:
    """The group holds part of the reference but is not it (no honest ratio)."""
    members = metrics.group_members(level_of(group), group)
    return metrics.is_nested(members, reference, group)


def latest_league_period(stage: str) -> str | None:
    return (
        EthnicityCount.objects.filter(stage=stage, area__level=LA)
        .order_by("-period_end")
        .values_list("period", flat=True)
        .first()
    )


def _load(period, stage, home, population, uasc):
    """Four queries: the areas, every area's counts, their populations and
    mid-year estimates (``load_figures``), and the home authority's neighbours.
    The figures are those each authority's own table uses, under the same
    population, UASC and disclosure rules."""
    areas = {
        code: (name, level, parent)
        for code, name, level, parent in Area.objects.filter(
            level__in=(LA, Area.Level.NATIONAL, Area.Level.LOCAL)
        ).values_list("code", "name", "level", "parent_id")
    }
    la_codes = sorted(c for c, (_n, level, _p) in areas.items() if level == LA)
    children: dict[str, list[str]] = {}
    for code, (_name, level, parent) in areas.items():
        if level == Area.Level.LOCAL and parent in areas:
            children.setdefault(parent, []).append(code)
    families = {}
    for parent, kids in children.items():
        family = (parent, tuple(sorted(kids)))
        families[parent] = family
    figures = load_figures(
        [*la_codes, ENGLAND],
        periods=[period],
        stages=[stage],
        families=families,
        population=population,
        uasc=uasc,
    )
    neighbours = set()
    if home:
        neighbours = set(
            StatisticalNeighbour.objects.filter(area_id=home).values_list(
                "neighbour_id", flat=True
            )
        )
    return figures, areas, la_codes, neighbours


def _frame(figures: FigureSet, codes, period, stage) -> tuple[pd.DataFrame, list]:
    """Every authority's cells in one frame, each with its group at both
    levels; authorities whose table cannot be formed (uasc=exclude without
    UASC figures) are listed apart.

    ``major`` is None for a major group's own total whose parts are also
    published (the parts are summed instead); ``minor`` is None for every
    major total (its parts are 'not available' at the minor level)."""
    cells: list[tuple[str, int | None, str | None, str | None]] = []
    missing = []
    for code in codes:
        try:
            counts = figures.counts_for(code, period, stage)
        except NotFound:
            missing.append(code)
            continue
        for key, cell in (counts or {}).items():
            if key in taxonomy.MAJOR_LABELS:
                whole = metrics.major_only(counts, key) is not None
                cells.append((code, cell.count, key if whole else None, None))
            else:  # MAJOR_OF and MINOR_OF give None for ALL
                cells.append((code, cell.count, MAJOR_OF.get(key), MINOR_OF.get(key)))
    frame = pd.DataFrame(cells, columns=["area", "count", "major", "minor"])
    frame["count"] = frame["count"].astype("float64")  # None → NaN
    return frame, missing


PARTIAL = "_partial"  # key of the set of lower-bound groups in ``_grouped``
MAJOR_OF = {**taxonomy.CODE_MAJOR, **{m: m for m in taxonomy.MAJOR_LABELS}}
MINOR_OF = {c: taxonomy.minor_code(c) for c in taxonomy.CODES}


def _grouped(frame: pd.DataFrame, level: str) -> dict[str, dict]:
    """Area → group → count for every authority at once, as ``metrics.aggregate``
    forms them: published parts summed; a major-group-only count stands for its
    group at the major level; its parts are 'not available' at the minor level.
    Under ``PARTIAL``, the groups whose sum is only a lower bound."""
    column = "major" if level == "major" else "minor"
    by = frame.groupby(["area", column], sort=False)["count"]  # drops None groups
    sums = by.sum(min_count=1)
    present, known = by.size(), by.count()
    # some parts published and some not: the sum is only a lower bound
    partial = (known > 0) & (known < present)
    out: dict[str, dict] = {}
    for area, group, value, is_partial in zip(
        sums.index.get_level_values(0).tolist(),
        sums.index.get_level_values(1).tolist(),
        sums.to_numpy().tolist(),
        partial.to_numpy().tolist(),
        strict=True,
    ):
        groups = out.setdefault(area, {})
        groups[group] = None if value != value else int(value)  # NaN: none known
        if is_partial:
            groups.setdefault(PARTIAL, set()).add(group)
    return out


def _small_areas(frame: pd.DataFrame, min_count: int) -> set[str]:
    small = frame[(frame["count"] >= 1) & (frame["count"] < min_count)]
    return set(small["area"])


def league_table(
    *,
    period: str,
    stage: str,
    group: str,
    reference: str = "WBRI",
    home: str | None = None,
    population: str = "census",
    uasc: str = "include",
    controlled: bool = True,
) -> League:
    """Every authority with figures for ``period`` and ``stage``: one row each."""
    level = level_of(group)
    labels = group_codes(level)
    if group not in labels:
        raise ValueError(f"group must be one of {', '.join(labels)}")
    figures, areas, all_codes, neighbours = _load(period, stage, home, population, uasc)
    frame, missing = _frame(figures, all_codes, period, stage)
    if frame.empty:
        raise NotFound(f"No {stage} figures for any authority in {period}.")
    period_end = figures.period_ends[period]
    la_codes = sorted(frame["area"].unique().tolist())
    grouped = _grouped(frame, level)
    # the reference's own grouping only where it differs from the league's
    major = (
        _grouped(frame, "major")
        if level == "minor" and reference == "WHITE"
        else grouped
    )
    small = _small_areas(frame, figures.min_count)
    target_rate, target_source = _target(
        figures, areas, period, stage, group, level, reference
    )
    req = _Request(
        figures,
        grouped,
        major,
        group,
        level,
        reference,
        labels,
        period_end,
        controlled,
        home,
        frozenset(neighbours),
        period,
        stage,
    )
    out = [_row(req, code, areas[code], code in small) for code in la_codes]
    counts = [r["count"] if isinstance(r["count"], int) else None for r in out]
    bands = (
        funnel.bands(target_rate, counts, [r["population"] for r in out])
        if target_rate
        else [None] * len(out)
    )
    ranked = sorted(
        (r for r in out if r["rri"] is not None),
        key=lambda r: (-r["rri"], r["area_name"]),
    )
    position = {r["area_code"]: i for i, r in enumerate(ranked, start=1)}
    final = tuple(
        LeagueRow(
            **r,
            funnel=b if not r["suppressed"] else None,
            position=position.get(r["area_code"]),
        )
        for r, b in zip(out, bands, strict=True)
    )
    shown = [r.population for r in final if r.population and r.rate_per_10k is not None]
    curve = (
        funnel.limit_curve(target_rate, min(shown), max(shown))
        if target_rate and shown
        else []
    )
    notes = []
    if reference == "WBRI" and any(
        r.rri is None and isinstance(r.count, int) for r in final
    ):
        notes.append(
            "Some authorities' figures give major groups only (no White British): "
            "their ratios need the reference 'all White'."
        )
    if not any(r.population for r in final):
        notes.append("No children's population by ethnicity: counts only, no rates.")
    if missing:
        notes.append(
            f"{len(missing)} authorities have no UASC figures for {period}, so "
            "their figures less UASC cannot be formed; they are left out."
        )
    return League(
        period,
        stage,
        group,
        labels[group],
        level,
        reference,
        target_rate,
        target_source,
        final,
        tuple(curve),
        home,
        tuple(notes),
        figures.is_demo,
    )


def _target(figures, areas, period, stage, group, level, reference):
    """England's own rate for the group (after disclosure control)."""
    if (ENGLAND, period, stage) in figures.counts:
        try:
            rows, _choice = figures.table(ENGLAND, period, stage, level, reference)
        except NotFound:
            rows = []
        row = next((r for r in rows if r.group_code == group), None)
        if row and row.rate_per_10k is not None:
            return row.rate_per_10k, f"England ({areas[ENGLAND][0]})"
    return None, "England's figures or population are not available"


def _group_population(population: dict, members: tuple[str, ...]) -> int | None:
    return metrics.sum_populations([population.get(c) for c in members])


def _value(grouped, code, column):
    return grouped.get(code, {}).get(column)


@dataclass(frozen=True)
class _Request:
    """What every row of one league shares, worked out once."""

    figures: FigureSet
    grouped: dict  # area → group → count at the league's level
    major: dict  # … at the major level, for the reference "all White"
    group: str
    level: str
    reference: str
    labels: dict
    period_end: date
    controlled: bool
    home: str | None
    neighbours: frozenset
    period: str
    stage: str

    @cached_property
    def members(self) -> tuple[str, ...]:
        """The DfE codes in the league's group."""
        return metrics.group_members(self.level, self.group)

    @cached_property
    def group_major(self) -> str:
        """The major group the league's group is part of."""
        return taxonomy.CODE_MAJOR[self.members[0]]

    @cached_property
    def nested(self) -> bool:
        return metrics.is_nested(self.members, self.reference, self.group)


def _reference(req: _Request, code, counts, population, count, pop):
    """The reference group's count and population, as ``compute_table`` takes them."""
    if req.reference == "WBRI":
        white_only = metrics.major_only(counts, "WHITE") is not None
        cell = counts.get("WBRI")
        return (
            None if white_only or cell is None else cell.count,
            population.get("WBRI"),
        )
    if req.reference == "WHITE":
        if "WHITE" in req.major.get(code, {}).get(PARTIAL, ()):
            return None, None  # a lower bound is no reference rate
        return (
            _value(req.major, code, "WHITE"),
            _group_population(population, metrics.group_members("major", "WHITE")),
        )
    known = [_value(req.grouped, code, g) for g in req.labels]
    pops = [
        _group_population(population, metrics.group_members(req.level, g))
        for g in req.labels
    ]
    total = sum(v for v in known if v is not None)
    total_pop = sum(v for v in pops if v is not None)
    return (
        total - count if count is not None else None,
        total_pop - pop if pop is not None else None,
    )


def _hidden(req: _Request, code, counts, small) -> tuple[bool, bool]:
    """(group hidden, reference hidden) by the area's own disclosure control."""
    hidden_group = hidden_ref = False
    cohort = req.stage == "CLA" and (code, req.period, "CLA_UASC") in (
        req.figures.counts
    )
    if req.controlled and (small or cohort or code in req.figures.families):
        hidden_minor, hidden_major = req.figures.hidden_for(code, req.period, req.stage)
        hidden_group = req.group in (
            hidden_major if req.level == "major" else hidden_minor
        )
        if req.reference == "WBRI":
            hidden_ref = "WBRI" in hidden_minor
        elif req.reference == "WHITE":
            hidden_ref = "WHITE" in hidden_major
    if req.reference == "WBRI" and metrics.major_only(counts, "WHITE") is not None:
        hidden_ref = True
    return hidden_group, hidden_ref


NO_FIGURES = dict.fromkeys((*metrics.RATE_FIELDS, *metrics.RRI_FIELDS))


def _row(req: _Request, code: str, area: tuple, small: bool) -> dict:
    """One authority's row, as ``LeagueRow``'s fields (funnel and position are
    added once every row is known)."""
    name, _level, parent = area
    counts = req.figures.counts_for(code, req.period, req.stage)
    _choice, population = req.figures.population_for(code, req.period_end)
    pop = _group_population(population, req.members)
    count = _value(req.grouped, code, req.group)
    available = (
        req.level == "major" or metrics.major_only(counts, req.group_major) is None
    )
    hidden_group, hidden_ref = _hidden(req, code, counts, small)
    row = {
        "area_code": code,
        "area_name": name,
        "region_code": parent,
        "is_home": code == req.home,
        "is_neighbour": code in req.neighbours,
        "population": pop,
        "suppressed": False,
    }
    if not available or count is None or hidden_group:
        label = (
            metrics.NOT_AVAILABLE_LABEL if not available else metrics.SUPPRESSED_LABEL
        )
        flag: str | None = (
            metrics.NOT_APPLICABLE if not available else metrics.INSUFFICIENT
        )
        return (
            row | NO_FIGURES | {"count": label, "flag": flag, "suppressed": available}
        )
    if req.group in req.grouped.get(code, {}).get(PARTIAL, ()):
        # some parts suppressed at source: "at least N", no rate nor ratio
        flag = metrics.INSUFFICIENT
        return row | NO_FIGURES | {"count": metrics.at_least(count), "flag": flag}
    rate, rate_low, rate_high = metrics.rate_per_10k(count, pop)
    if req.group == req.reference:
        rri, rri_low, rri_high = (1.0 if rate is not None else None), None, None
        flag = metrics.REFERENCE_FLAG
    elif hidden_ref:
        rri = rri_low = rri_high = None
        flag = metrics.INSUFFICIENT
    elif req.nested:
        # White against White British: never a group against its own subset
        rri = rri_low = rri_high = flag = None
    else:
        ref_count, ref_pop = _reference(req, code, counts, population, count, pop)
        rri, rri_low, rri_high = metrics.katz_rri(count, pop, ref_count, ref_pop)
        flag = metrics.flag_for(count, False, rri_low, rri_high)
    return row | {
        "count": count,
        "rate_per_10k": rate,
        "rate_ci_low": rate_low,
        "rate_ci_high": rate_high,
        "rri": rri,
        "rri_ci_low": rri_low,
        "rri_ci_high": rri_high,
        "flag": flag,
    }


# --- The page: funnel plot and sentence ----------------------------------------

STAGE_NOUNS = {
    "CIN": "children in need",
    "CP": "children on child protection plans",
    "CLA": "children looked after",
    "CLA_START": "children who started to be looked after",
    "CONTACT": "children with a contact",
    "REFERRAL": "children referred",
    "EH": "children receiving early help",
    "ASSESS": "children assessed",
}
BAND_WORDS = {
    funnel.WITHIN_95: "within the 95% limits (no more different from England than "
    "chance would explain)",
    funnel.BETWEEN: "between the 95% and 99.8% limits",
    funnel.HIGH: "above the 99.8% limit (a rate well above England's)",
    funnel.LOW: "below the 99.8% limit (a rate well below England's)",
}


def _ordinal(n: int) -> str:
    suffix = (
        "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    )
    return f"{n}{suffix}"


def sentence(league: League) -> str:
    """One plain-English summary of the league and the home authority in it."""
    noun = STAGE_NOUNS.get(league.stage, league.stage)
    shown = [r for r in league.rows if r.funnel]
    if not shown:
        return (
            f"No authority has a rate for {league.group_label} {noun} in "
            f"{league.period} that can be shown (no child population, or figures "
            "suppressed)."
        )
    bands = league.band_counts()
    text = (
        f"In {league.period}, of {len(shown)} authorities with a rate for "
        f"{league.group_label} {noun}, {bands[funnel.HIGH]} were above England's "
        f"99.8% funnel limit and {bands[funnel.LOW]} below it."
    )
    home = league.home_row
    if home is None:
        return text
    if home.funnel is None:
        return text + f" {home.area_name}'s figure is not shown ({home.count})."
    text += (
        f" {home.area_name}: {home.rate_per_10k:.1f} per 10,000, "
        f"{BAND_WORDS[home.funnel]}"
    )
    if home.rri is not None and home.position:
        ranked = sum(1 for r in league.rows if r.position)
        text += (
            f"; relative rate index {home.rri:.2f}, {_ordinal(home.position)} "
            f"highest of {ranked}"
        )
    return text + "."


def funnel_figure(league: League) -> dict:
    """Each authority's rate against its child population, with the limits."""
    traces = []
    if league.limits:
        xs = [p.population for p in league.limits]
        for name, dash, label in (
            ("high_998", "dash", "99.8% limits"),
            ("high_95", "dot", "95% limits"),
            ("low_95", "dot", None),
            ("low_998", "dash", None),
        ):
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": xs,
                    "y": [getattr(p, name) for p in league.limits],
                    "name": label or "",
                    "showlegend": label is not None,
                    "line": {"color": "#555555", "dash": dash, "width": 1},
                    "hoverinfo": "skip",
                }
            )
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [xs[0], xs[-1]],
                "y": [league.target_rate, league.target_rate],
                "name": f"England ({league.target_rate:.1f})",
                "line": {"color": "#000000", "width": 1},
                "hoverinfo": "skip",
            }
        )
    groups = (
        (
            "Other authorities",
            lambda r: not r.is_home and not r.is_neighbour,
            "#56B4E9",
            "circle",
            7,
        ),
        (
            "Statistical neighbours",
            lambda r: r.is_neighbour and not r.is_home,
            "#E69F00",
            "diamond",
            10,
        ),
        ("Home authority", lambda r: r.is_home, "#D55E00", "star", 16),
    )
    for name, keep, colour, symbol, size in groups:
        x, y, text = [], [], []
        for r in league.rows:
            # a band is given only with a rate: nothing suppressed is drawn
            if r.funnel is None or r.rate_per_10k is None or not keep(r):
                continue
            x.append(r.population)
            y.append(round(r.rate_per_10k, 2))
            text.append(
                f"{r.area_name}: {r.count} children, {r.rate_per_10k:.1f} per "
                f"10,000 ({funnel.BAND_LABELS[r.funnel].lower()})"
            )
        if not x:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "x": x,
                "y": y,
                "text": text,
                "hoverinfo": "text",
                "marker": {
                    "color": colour,
                    "symbol": symbol,
                    "size": size,
                    "line": {"color": "#000000", "width": 0.5},
                },
            }
        )
    return {
        "data": traces,
        "layout": {
            "margin": {"l": 10, "r": 10, "t": 30, "b": 40},
            "font": {"family": "system-ui, sans-serif", "size": 13},
            "plot_bgcolor": "#ffffff",
            "xaxis": {
                "title": {"text": f"Child population ({league.group_label})"},
                "type": "log",
                "automargin": True,
                "gridcolor": "#eeeeee",
            },
            "yaxis": {
                "title": {"text": "Rate per 10,000 children"},
                "automargin": True,
                "gridcolor": "#eeeeee",
                "rangemode": "tozero",
            },
            "legend": {"orientation": "h", "y": -0.2},
        },
    }
