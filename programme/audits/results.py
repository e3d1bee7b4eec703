"""Audit results: % meeting each standard by team, ethnic group and quarter.

Plain functions over typed rows (no database), so the arithmetic and the
disclosure control can be tested on their own.

Rule: an answer of Yes meets the standard; Partly and No do not; Not
applicable leaves the audit out of that standard's denominator.

Disclosure control (``min_count``, the ``DISCLOSURE_MIN_COUNT`` setting):

* a group (a team, an ethnic group, a quarter) with fewer than ``min_count``
  audits is not shown at all, and nor is any standard whose denominator in a
  group is below ``min_count``;
* secondary suppression: the "All audits" column is the sum of the groups, so
  when exactly one group (or one cell in a standard's row) is hidden, the
  next smallest is hidden too, and nothing hidden can be worked out by
  taking the shown figures from the total;
* when all audits together are fewer than ``min_count``, nothing is shown.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

YES, PARTLY, NO, NOT_APPLICABLE = "yes", "partly", "no", "na"
ANSWERS = (YES, PARTLY, NO, NOT_APPLICABLE)


@dataclass(frozen=True)
class AuditFact:
    """One audit, as results need it: where it falls and what was answered."""

    audit_id: int
    team: str
    group: str  # the child's major ethnic group code
    month: date
    answers: Mapping[str, str]  # question code -> answer


@dataclass(frozen=True)
class AuditTally:
    """Audits sharing a team, ethnic group and month, added up per standard.

    The database sums answers into these, so results cost one row per
    (team, ethnicity, month), not one per answer.
    """

    team: str
    group: str
    month: date
    audits: int
    met: Mapping[str, int]  # question code -> audits answering Yes
    applicable: Mapping[str, int]  # question code -> audits not answering N/A


def tally(facts: Iterable[AuditFact]) -> list[AuditTally]:
    """Single audits as tallies (tests and small lists)."""
    return [
        AuditTally(
            team=f.team,
            group=f.group,
            month=f.month,
            audits=1,
            met={c: int(a == YES) for c, a in f.answers.items()},
            applicable={c: int(a != NOT_APPLICABLE) for c, a in f.answers.items()},
        )
        for f in facts
    ]


@dataclass(frozen=True)
class Question:
    code: str
    text: str


@dataclass(frozen=True)
class Cell:
    met: int | None
    applicable: int | None
    suppressed: bool

    @property
    def percent(self) -> float | None:
        if self.suppressed or self.met is None or not self.applicable:
            return None
        return round(100 * self.met / self.applicable, 1)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    audits: int | None  # None when suppressed
    suppressed: bool


@dataclass(frozen=True)
class Row:
    question: Question
    cells: tuple[Cell, ...]  # in the order of Breakdown.groups
    total: Cell


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    title: str
    groups: tuple[Group, ...]
    rows: tuple[Row, ...]
    total_audits: int | None
    suppressed_groups: int
    min_count: int

    @property
    def shown_groups(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if not g.suppressed)

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.question.code == code), None)


def quarter_of(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(label: str) -> tuple[date, date]:
    """First and last day of a quarter labelled like "2026 Q3"."""
    year, q = int(label[:4]), int(label[-1])
    start = date(year, 3 * (q - 1) + 1, 1)
    after = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start, after - timedelta(days=1)


def _tally(tallies: Iterable[AuditTally], code: str) -> tuple[int, int]:
    met = applicable = 0
    for t in tallies:
        met += t.met.get(code, 0)
        applicable += t.applicable.get(code, 0)
    return met, applicable


def _audits(tallies: Iterable[AuditTally]) -> int:
    return sum(t.audits for t in tallies)


def hide_small(counts: Mapping[str, int], min_count: int) -> set[str]:
    """Keys to hide: those under ``min_count``, then one more if only one is hidden.

    ``counts`` are the parts of a total that is shown, so a single hidden part
    would be the total minus the rest. Zero-count parts reveal nothing and are
    never hidden for their own sake, but one may be the second cell hidden.
    """
    hidden = {k for k, n in counts.items() if 0 < n < min_count}
    if len(hidden) == 1:
        others = sorted((n, k) for k, n in counts.items() if k not in hidden and n > 0)
        if others:
            hidden.add(others[0][1])
    return hidden


def breakdown(
    facts: Sequence[AuditTally],
    questions: Sequence[Question],
    *,
    dimension: str,
    title: str,
    key: Callable[[AuditTally], str],
    labels: Mapping[str, str] | Callable[[str], str],
    order: Sequence[str] | None = None,
    min_count: int,
) -> Breakdown:
    """% meeting each standard for each group of ``key``, disclosure-controlled."""
    by_group: dict[str, list[AuditTally]] = {}
    for fact in facts:
        by_group.setdefault(key(fact), []).append(fact)
    keys = [k for k in order if k in by_group] if order else sorted(by_group)
    keys += sorted(k for k in by_group if k not in keys)
    label = labels if callable(labels) else (lambda k: labels.get(k, k))
    total_audits = _audits(facts)
    everything_hidden = total_audits < min_count

    group_hidden = (
        set(keys)
        if everything_hidden
        else hide_small({k: _audits(by_group[k]) for k in keys}, min_count)
    )
    groups = tuple(
        Group(
            key=k,
            label=label(k),
            audits=None if k in group_hidden else _audits(by_group[k]),
            suppressed=k in group_hidden,
        )
        for k in keys
    )

    rows = []
    for question in questions:
        tallies = {k: _tally(by_group[k], question.code) for k in keys}
        total_met, total_applicable = _tally(facts, question.code)
        total_hidden = everything_hidden or total_applicable < min_count
        hidden = set(group_hidden)
        if total_hidden:
            hidden = set(keys)
        else:
            hidden |= {k for k, (_, n) in tallies.items() if 0 < n < min_count}
            if len(hidden) == 1:
                others = sorted(
                    (n, k) for k, (_, n) in tallies.items() if k not in hidden and n
                )
                if others:
                    hidden.add(others[0][1])
        cells = tuple(
            Cell(None, None, True)
            if k in hidden
            else Cell(tallies[k][0], tallies[k][1], False)
            for k in keys
        )
        total = (
            Cell(None, None, True)
            if total_hidden
            else Cell(total_met, total_applicable, False)
        )
        rows.append(Row(question=question, cells=cells, total=total))
    return Breakdown(
        dimension=dimension,
        title=title,
        groups=groups,
        rows=tuple(rows),
        total_audits=None if everything_hidden else total_audits,
        suppressed_groups=len(group_hidden),
        min_count=min_count,
    )


def overall_sentence(
    groups: Breakdown, *, overall_code: str, what: str = "ethnic group"
) -> str:
    """A plain-English reading of the overall judgement by ``what``."""
    if groups.total_audits is None:
        return (
            f"Fewer than {groups.min_count} audits match these filters, so no "
            "results are shown."
        )
    row = groups.row(overall_code)
    if row is None or row.total.suppressed:
        return f"{groups.total_audits} audits; too few overall judgements to show."
    text = (
        f"Across {groups.total_audits} audits, {row.total.percent:g}% of "
        "assessments met the overall standard of reflecting the child's "
        "ethnicity, race and culture."
    )
    shown = [
        (cell.percent, group.label)
        for group, cell in zip(groups.groups, row.cells, strict=True)
        if not cell.suppressed and cell.percent is not None
    ]
    if len(shown) >= 2:
        low, high = min(shown), max(shown)
        text += (
            f" By {what}, it ranged from {low[0]:g}% ({low[1]}) to "
            f"{high[0]:g}% ({high[1]})."
        )
        if high[0] - low[0] >= 10:
            text += (
                f" Practice looks weaker for children in “{low[1]}”"
                if what == "ethnic group"
                else f" The lowest figure is for {low[1]}"
            ) + "; read it with the group sizes in the table."
    elif len(shown) == 1:
        text += f" Only one {what} has enough audits to show on its own."
    hidden = sum(1 for c in row.cells if c.suppressed)
    if hidden:
        text += (
            f" {hidden} {what}{'s' if hidden != 1 else ''} with too few audits "
            f"(under {groups.min_count}, or hidden so that a small group cannot "
            "be worked out from the total) are not shown."
        )
    return text


def indicator_value(
    facts: Sequence[AuditTally], *, overall_code: str, min_count: int
) -> tuple[int, int] | None:
    """(met, judged) for the overall judgement, or None when under ``min_count``."""
    met, applicable = _tally(facts, overall_code)
    if applicable < min_count:
        return None
    return met, applicable
