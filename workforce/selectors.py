"""Reads: reports for leads and reporters, board aggregates, workforce tables."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db.models import Q

from arp.access import get_for_user, visible_with
from arp.roles import user_can
from workforce import codes, figures
from workforce.models import Report, WorkforceBatch, WorkforceFigure

REPORT_MIN_COUNT = 5  # the children's figures' rule: counts 1–4 are hidden


# --- reports ------------------------------------------------------------------


def reports_for_leads(*, status: str = "", mine_for=None):
    reports = Report.objects.select_related("assigned_to")
    if status == "open":
        reports = reports.filter(status__in=Report.OPEN_STATUSES)
    elif status:
        reports = reports.filter(status=status)
    if mine_for is not None:
        reports = reports.filter(assigned_to=mine_for)
    return reports


def report_can_change(user, report: Report) -> bool:
    """Acknowledge, assign, note, escalate, propose, close: the leads alone."""
    return user_can(user, "workforce.reports")


def get_report_for_user(*, user, pk: int, for_change: bool = False) -> Report:
    """A report for a staff support lead; 404 for anyone else (arp.access)."""
    visible = visible_with(
        "workforce.reports",
        Report.objects.select_related("assigned_to", "reporter"),
        user,
    )
    return get_for_user(visible, report_can_change, user, for_change, pk=pk)


def report_timeline(report: Report, *, shared_only: bool = False):
    entries = report.entries.select_related("author")
    return entries.filter(shared=True) if shared_only else entries


def report_for_reporter(*, reference: str, passcode: str) -> Report | None:
    """The report with this reference if the passcode matches, else None.

    A wrong reference costs the same hash as a wrong passcode, so timing does
    not tell anyone which references exist."""
    report = Report.objects.filter(reference=reference.strip().upper()).first()
    if report is None or report.passcode_hash == "!":
        make_password(passcode)
        return None
    return report if check_password(passcode, report.passcode_hash) else None


def reports_overdue(*, today: date):
    """Open reports whose acknowledgement or next step is past its date."""
    return Report.objects.select_related("assigned_to").filter(
        Q(acknowledged_on__isnull=True, acknowledge_by__lt=today)
        | Q(acknowledged_on__isnull=False, next_step_due__lt=today),
        status__in=Report.OPEN_STATUSES,
    )


def lead_emails() -> list[str]:
    from arp import roles

    return list(
        get_user_model()
        .objects.filter(groups__name=roles.STAFF_SUPPORT_LEADS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def leads():
    from arp import roles

    return get_user_model().objects.filter(
        groups__name=roles.STAFF_SUPPORT_LEADS, is_active=True
    )


def agreed_resolution_counts(*, start: date, end: date) -> tuple[int, int]:
    """(agreed, closed other than withdrawn) for reports closed in [start, end]."""
    closed = Report.objects.filter(
        status=Report.Status.CLOSED, closed_on__gte=start, closed_on__lte=end
    ).exclude(outcome=Report.Outcome.WITHDRAWN)
    outcomes = list(closed.values_list("outcome", flat=True))
    return outcomes.count(Report.Outcome.RESOLVED_AGREED), len(outcomes)


# --- board aggregates ---------------------------------------------------------


def quarter_of(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class QuarterSummary:
    quarter: str
    received: int | None
    by_source: dict[str, int | None]
    closed: int | None
    by_outcome: dict[str, int | None]
    median_days_to_acknowledge: float | None
    median_days_to_resolve: float | None
    agreed_percent: float | None
    suppressed: bool

    @property
    def sources(self) -> list[tuple[str, int | None]]:
        return [(codes.SOURCE_LABELS[k], v) for k, v in self.by_source.items()]

    @property
    def outcomes(self) -> list[tuple[str, int | None]]:
        labels = dict(Report.Outcome.choices)
        return [(labels[k], v) for k, v in self.by_outcome.items()]


def _hide(values: dict[str, int], total_key: str) -> set[str]:
    """Counts 1–4 hidden; then no sum (the total) with exactly one hidden part."""
    hidden = {k for k, v in values.items() if 0 < v < REPORT_MIN_COUNT}
    parts = [k for k in values if k != total_key]
    while sum(k in hidden for k in [*parts, total_key]) == 1:
        visible = [k for k in [*parts, total_key] if k not in hidden]
        hidden.add(
            min(visible, key=lambda k: (values[k] == 0, k == total_key, values[k]))
        )
    return hidden


def quarterly_summary() -> list[QuarterSummary]:
    """Reports by quarter received (sources) and closed (outcomes), after
    disclosure control: one query. Medians and the agreed share need at least 5
    reports behind them."""
    rows = Report.objects.values_list(
        "received_on", "acknowledged_on", "closed_on", "source", "outcome"
    )
    received = defaultdict(list)
    closed = defaultdict(list)
    for received_on, acknowledged_on, closed_on, source, outcome in rows:
        received[quarter_of(received_on)].append((received_on, acknowledged_on, source))
        if closed_on:
            closed[quarter_of(closed_on)].append((received_on, closed_on, outcome))
    out = []
    for quarter in sorted(set(received) | set(closed)):
        out.append(
            _quarter(quarter, received.get(quarter, []), closed.get(quarter, []))
        )
    return out


def _quarter(quarter, received, closed) -> QuarterSummary:
    sources = {code: 0 for code, _l in codes.SOURCES}
    for _r, _a, source in received:
        sources[source] += 1
    sources["_total"] = len(received)
    hidden = _hide(sources, "_total")
    outcomes = dict.fromkeys(Report.Outcome.values, 0)
    for _r, _c, outcome in closed:
        outcomes[outcome] += 1
    outcomes["_total"] = len(closed)
    hidden_outcomes = _hide(outcomes, "_total")
    ack = [(a - r).days for r, a, _s in received if a]
    res = [(c - r).days for r, c, _o in closed]
    decided = [o for _r, _c, o in closed if o != Report.Outcome.WITHDRAWN]
    # The share would give away a hidden count (agreed = share × decided,
    # withdrawn = closed − decided): shown only when neither is hidden.
    shareable = len(decided) >= REPORT_MIN_COUNT and not (
        {Report.Outcome.RESOLVED_AGREED, Report.Outcome.WITHDRAWN, "_total"}
        & hidden_outcomes
    )
    agreed = (
        100 * decided.count(Report.Outcome.RESOLVED_AGREED) / len(decided)
        if shareable
        else None
    )
    return QuarterSummary(
        quarter=quarter,
        received=None if "_total" in hidden else sources["_total"],
        by_source={
            k: None if k in hidden else v for k, v in sources.items() if k != "_total"
        },
        closed=None if "_total" in hidden_outcomes else outcomes["_total"],
        by_outcome={
            k: None if k in hidden_outcomes else v
            for k, v in outcomes.items()
            if k != "_total"
        },
        median_days_to_acknowledge=(
            statistics.median(ack) if len(ack) >= REPORT_MIN_COUNT else None
        ),
        median_days_to_resolve=(
            statistics.median(res) if len(res) >= REPORT_MIN_COUNT else None
        ),
        agreed_percent=agreed,
        suppressed=bool(hidden or hidden_outcomes),
    )


# --- workforce figures --------------------------------------------------------


def min_count() -> int:
    return int(getattr(settings, "WORKFORCE_MIN_COUNT", 10))


def periods() -> list[tuple[str, date]]:
    return list(
        WorkforceFigure.objects.order_by("period_end", "period")
        .values_list("period", "period_end")
        .distinct()
    )


def latest_period() -> str | None:
    found = periods()
    return found[-1][0] if found else None


@dataclass(frozen=True)
class MeasureTable:
    measure: codes.Measure
    period: str
    period_end: date
    rows: list[figures.MeasureRow]
    sentence: str
    trend: figures.Trend | None = None
    series: list[tuple[str, figures.MeasureRow]] = field(default_factory=list)

    @property
    def minority(self) -> figures.MeasureRow | None:
        return next((r for r in self.rows if r.group_code == codes.MINORITY), None)


def _measure(code: str) -> codes.Measure:
    """The measure of a stored figure: the importer takes known codes only."""
    measure = codes.measure_for(code)
    if measure is None:
        raise ValueError(f"{code!r} is not an SC-WRES measure")
    return measure


def _cells_by_measure(queryset) -> dict[tuple[str, str], dict]:
    """(period, measure) → {group: (count, base)}, blank bases filled from the
    measure's base measure (appointed ← shortlisted; others ← in post)."""
    raw: dict[tuple[str, str], dict] = defaultdict(dict)
    for period, measure, group, count, base in queryset.values_list(
        "period", "measure", "ethnicity", "count", "base"
    ):
        raw[(period, measure)][group] = (count, base)
    out = {}
    for (period, code), cells in raw.items():
        measure = _measure(code)
        source = raw.get((period, measure.base_from), {}) if measure.base_from else {}
        out[(period, code)] = {
            g: (c, b if b is not None else source.get(g, (None,))[0])
            for g, (c, b) in cells.items()
        }
    return out


def measure_tables(
    *, period: str, controlled: bool = True, with_trend: bool = False
) -> list[MeasureTable]:
    """Every measure's table for ``period`` (disclosure-controlled by default);
    with ``with_trend``, the MINORITY series over all periods and its change test.
    One query."""
    ends = dict(periods())
    if period not in ends:
        return []
    queryset = WorkforceFigure.objects.all()
    if not with_trend:
        queryset = queryset.filter(period=period)
    cells = _cells_by_measure(queryset)
    limit = min_count()
    computed: dict[tuple[str, str], list[figures.MeasureRow]] = {}
    by_period: dict[str, dict[str, list[figures.MeasureRow]]] = defaultdict(dict)
    for (p, code), table in cells.items():
        by_period[p][code] = figures.compute(_measure(code), table)
    for p, tables_of_period in by_period.items():
        if controlled:  # across the period's measures, not one table at a time
            tables_of_period = figures.controlled_period(tables_of_period, limit)
        for code, rows in tables_of_period.items():
            computed[(p, code)] = rows
    tables = []
    order = sorted(ends, key=lambda p: ends[p])
    for (p, code), rows in sorted(
        computed.items(), key=lambda kv: codes.measure_sort_key(kv[0][1])
    ):
        if p != period:
            continue
        measure = _measure(code)
        series = [
            (q, r)
            for q in order
            for r in computed.get((q, code), [])
            if r.group_code == codes.MINORITY
        ]
        tables.append(
            MeasureTable(
                measure=measure,
                period=p,
                period_end=ends[p],
                rows=rows,
                sentence=figures.sentence(measure, rows),
                trend=figures.trend(series) if with_trend else None,
                series=series,
            )
        )
    return tables


def is_demo_data() -> bool:
    return WorkforceBatch.objects.filter(is_demo=True, figures__isnull=False).exists()


@dataclass(frozen=True)
class RepresentationRow:
    group_code: str
    label: str
    shares: dict[str, float | None]  # column → share


def representation(*, period: str) -> tuple[list[str], list[RepresentationRow], str]:
    """The mix of staff in post, by band and senior managers, beside residents
    (all ages, Census) and the children in CIN, CP and CLA.

    Returns (column labels, rows, population note). Staff shares are
    disclosure-controlled; the comparison figures come through the
    disproportionality app's selectors."""
    from disproportionality import selectors as dp

    columns: dict[str, dict[str, float | None]] = {}
    for table in measure_tables(period=period):
        if table.measure.kind != codes.REPRESENTATION:
            continue
        columns[table.measure.label] = {
            r.group_code: r.rate
            for r in table.rows
            if r.group_code in codes.KNOWN_MAJOR
        }
    area = settings.HOME_AREA_CODE
    choice, residents = dp.resident_major_shares(area_code=area)
    note = f"Residents: {choice}." if choice else "No all-ages population imported."
    if residents:
        columns["Residents (all ages)"] = dict(residents)
    names = {
        "CIN": "Children in need",
        "CP": "Child protection",
        "CLA": "Children looked after",
    }
    for stage, shares in dp.major_group_shares(area_code=area).items():
        columns[names[stage]] = shares
    rows = [
        RepresentationRow(
            g, codes.GROUP_LABELS[g], {c: v.get(g) for c, v in columns.items()}
        )
        for g in codes.KNOWN_MAJOR
    ]
    return list(columns), rows, note
