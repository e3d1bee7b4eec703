"""The board pack as a workbook: one sheet per section, figures unrounded,
and a "notes" sheet naming the population and the suppression rules.

Every text cell goes through ``programme.exports.spreadsheet_safe`` (the one
place formulas are defused).
"""

import io

from openpyxl import Workbook

from arp.board.composition import SECTION_TITLES, BoardPackContent
from programme.exports import spreadsheet_safe

SUPPRESSION_NOTES = (
    "Disproportionality figures pass the dashboard's disclosure control: counts "
    "of 1 to {hidden_up_to} show as 'suppressed'; rates, shares and ratios built "
    "on them are not shown; "
    "further counts are shown as 'suppressed' where a hidden count could "
    "otherwise be worked out from a sum (groups within a major group, groups "
    "within the total, local areas within the authority).",
    "Learning spaces: a session's answers count towards the mean rating, "
    "% more confident and theme counts only when it has at least {min_group} "
    "responses; smaller sessions count towards the number of responses only.",
    "Achievements: published ones only. Quotes: consented learning-space "
    "answers that a reviewer redacted and approved, their redacted text only.",
    "Relative rate index (RRI): a group's rate per 10,000 divided by the rate "
    "for {reference} children, with a 95% confidence interval (Katz log "
    "method); 'over' when the whole interval is above 1.",
)


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _sheet(workbook, title: str, header: list[str], rows: list[list]):
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([spreadsheet_safe(value) for value in row])
    sheet.freeze_panes = "A2"
    for column, name in zip(sheet.iter_cols(max_row=1), header, strict=True):
        sheet.column_dimensions[column[0].column_letter].width = min(
            60, max(12, len(name) + 2)
        )
    return sheet


def _attention_rows(pack: BoardPackContent) -> list[list]:
    rows = []
    for item in pack.attention.red_indicators:
        a = item.assessment
        rows.append(["Red indicator", item.indicator.name, a.latest, a.latest_on,
                     a.rag_label, a.direction_label, "", "", ""])  # fmt: skip
    for item in pack.attention.worsening_indicators:
        a = item.assessment
        rows.append(["Getting worse", item.indicator.name, a.latest, a.latest_on,
                     a.rag_label, a.direction_label, "", "", ""])  # fmt: skip
    for r in pack.rising:
        rows.append([f"Over-representation rising ({r.stage})", r.group_label,
                     r.rri, r.period, "", f"Up from {r.previous_rri} in "
                     f"{r.previous_period}", "", "", 1])  # fmt: skip
    for action in pack.attention.actions:
        rows.append(["Action off track or overdue", action.title, None,
                     action.due_on, action.get_status_display(), "",
                     _person(action.owner), action.corrective_action,
                     action.aspiration.number])  # fmt: skip
    return rows


def _aspiration_rows(pack: BoardPackContent) -> list[list]:
    rows = []
    for glance in pack.aspirations:
        for item in glance.indicators or [None]:
            a = item.assessment if item else None
            rows.append([
                glance.aspiration.number, glance.aspiration.title,
                item.indicator.name if item else "(no indicators)",
                a.latest if a else None, a.latest_on if a else None,
                item.indicator.target_value if item else None,
                a.rag_label if a else "", a.direction_label if a else "",
            ])  # fmt: skip
    return rows


def _headline_rows(pack: BoardPackContent) -> list[list]:
    """The top group of each stage, then every other group flagged over."""
    h = pack.headline
    rows = []
    for stage in h.stages:
        listed = [stage.top] if stage.top else []
        listed += [r for r in stage.over if r is not stage.top]
        for row in listed:
            is_top = row is stage.top
            comparator = stage.comparator_top if is_top else None
            rows.append([
                stage.stage, stage.period, row["group_label"],
                "Highest RRI" if is_top else "Over-represented",
                row["count"], row["rri"], row["rri_ci_low"], row["rri_ci_high"],
                row["flag"], h.comparator_name,
                comparator["rri"] if comparator else None, h.population,
            ])  # fmt: skip
    return rows


def _trend_rows(pack: BoardPackContent) -> list[list]:
    return [
        [stage.stage, stage.top["group_label"], t["period"], t["count"], t["rri"],
         t["rri_ci_low"], t["rri_ci_high"], t["flag"]]
        for stage in pack.headline.stages if stage.top
        for t in stage.trend
    ]  # fmt: skip


def render_xlsx(pack: BoardPackContent) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    t = SECTION_TITLES
    _sheet(workbook, t["attention"],
           ["What", "Name", "Latest value", "Date", "RAG or status",
            "Direction of travel", "Owner", "Corrective action", "Aspiration"],
           _attention_rows(pack))  # fmt: skip
    _sheet(workbook, t["aspirations"],
           ["Aspiration", "Aspiration title", "Indicator", "Latest value",
            "Latest reading", "Target", "RAG", "Direction of travel"],
           _aspiration_rows(pack))  # fmt: skip
    _sheet(workbook, "Over-representation",
           ["Stage", "Period", "Ethnic group", "Why listed", "Children",
            "RRI", "RRI 95% CI low", "RRI 95% CI high", "Flag", "Comparator",
            "Comparator RRI", "Population"],
           _headline_rows(pack))  # fmt: skip
    _sheet(workbook, "Over-representation trend",
           ["Stage", "Ethnic group", "Period", "Children", "RRI",
            "RRI 95% CI low", "RRI 95% CI high", "Flag"],
           _trend_rows(pack))  # fmt: skip
    ls = pack.learning
    _sheet(workbook, t["learning"], ["Measure", "Value"], [
        ["Sessions held", ls.sessions],
        ["Responses", ls.responses],
        ["Mean rating (1 to 5)", ls.mean_rating],
        ["% more confident", ls.pct_more_confident],
        *[[f"Theme: {name}", n] for name, n in ls.top_themes],
        *[[f"Quote ({q.space_name}, {q.month:%B %Y}; reviewed and redacted)",
           q.text] for q in pack.quotes],
    ])  # fmt: skip
    _sheet(workbook, t["achievements"],
           ["Reach", "Title", "Date achieved", "Workstream", "Total in period"],
           [[label, a.title, a.achieved_on,
             a.workstream.name if a.workstream else "", total]
            for label, achievements, total in pack.achievements
            for a in achievements])  # fmt: skip
    _sheet(workbook, "Last meeting", ["Item", "Text", "Owner", "Status now", "Due"],
           _meeting_rows(pack))  # fmt: skip
    reference = pack.headline.reference_label or "White British"
    notes = [
        ["Title", pack.title],
        ["Period", f"{pack.period.start:%-d %B %Y} to {pack.period.end:%-d %B %Y}"],
        ["Meeting", f"{pack.meeting.held_on:%-d %B %Y}" if pack.meeting else ""],
        ["Produced", f"{pack.produced:%-d %B %Y, %H:%M}"],
        ["Area", pack.headline.area_name],
        ["Population", pack.headline.population],
        ["Comparator", pack.headline.comparator_name],
        *[["Rule", text.format(min_group=ls.min_group, reference=reference,
                                hidden_up_to=pack.hidden_up_to)]
          for text in SUPPRESSION_NOTES],
        ["RAG rule", pack.rag_rule],
    ]  # fmt: skip
    _sheet(workbook, "notes", ["Note", "Text"], notes)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _meeting_rows(pack: BoardPackContent) -> list[list]:
    follow = pack.follow_up
    if follow is None:
        return []
    rows = []
    for decision in follow.decisions:
        rows.append(["Decision", decision.text, _person(decision.owner), "", None])
        for action in decision.actions.all():
            rows.append(["Action from the decision", action.title,
                         _person(action.owner), action.get_status_display(),
                         action.due_on])  # fmt: skip
    for action in follow.actions:
        rows.append(["Action arising", action.title, _person(action.owner),
                     action.get_status_display(), action.due_on])  # fmt: skip
    return rows
