"""Insights for staff and the board, and the filtered exports.

Disclosure control: a session's answers count towards means, percentages and
theme counts only when that session has at least ``services.MIN_GROUP_SIZE``
responses (``insights.is_reportable``), at every level — session, quarter,
space and the whole selection — and for every role. Smaller sessions add to
the counts of responses and the response rate only, so no figure can be taken
from another to single someone out. Date filters take whole sessions. The
board sees aggregates and the answers of people who agreed to be quoted —
never anyone else's free text, and of those only the approved, redacted
version a reviewer made (``FeedbackResponse.quote_text``).
"""

from django.core.paginator import Paginator
from django.shortcuts import render

from arp.roles import role_required, user_can
from learning_spaces import charts, exports, selectors, services
from learning_spaces.forms import InsightsFilterForm
from learning_spaces.insights import is_reportable, overall, quarter_label, summarise
from learning_spaces.views.staff import _export


def _filters(request) -> tuple[InsightsFilterForm, dict]:
    form = InsightsFilterForm(request.GET or None)
    return form, form.filters() if form.is_bound else InsightsFilterForm().filters()


@role_required("learning_spaces.insights")
def insights(request):
    form, filters = _filters(request)
    full_access = user_can(request.user, "learning_spaces.responses")
    min_group = services.MIN_GROUP_SIZE
    period = {k: filters[k] for k in ("space", "date_from", "date_to")}

    rows = selectors.session_totals(**period)
    total = overall(rows, min_group=min_group)
    spaces = summarise(
        rows, lambda r: r.space_id, lambda r: r.space_name, min_group=min_group
    )
    spaces.sort(key=lambda s: s.label)
    quarters = summarise(
        rows,
        lambda r: quarter_label(r.day),
        lambda r: quarter_label(r.day),
        min_group=min_group,
    )
    sessions = summarise(
        reversed(rows),
        lambda r: r.session_id,
        lambda r: f"{r.space_name}, {r.day:%-d %b %Y}",
        min_group=min_group,
    )
    for summary, row in zip(sessions, reversed(rows), strict=True):
        summary.extra = {"session_id": row.session_id, "topic": row.topic}

    theme_counts = []
    if not total.suppressed:
        theme_counts = selectors.theme_counts(
            session_ids=[r.session_id for r in rows if is_reportable(r, min_group)]
        )

    answers = selectors.responses_for_reading(**filters, approved_only=not full_access)
    page = Paginator(answers, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)

    context = {
        "form": form,
        "full_access": full_access,
        "min_group": min_group,
        "total": total,
        "spaces": spaces,
        "quarters": quarters,
        "sessions": sessions,
        "theme_counts": theme_counts,
        "page": page,
        "query": query.urlencode(),
        "chart_over_time": charts.over_time(quarters) if quarters else "",
        "chart_by_space": charts.by_space(spaces) if spaces else "",
        "chart_themes": charts.themes(theme_counts) if theme_counts else "",
    }
    return render(request, "learning_spaces/insights.html", context)


def _insights_export(request, kind: str):
    _, filters = _filters(request)
    rows = exports.response_rows(selectors.responses_for_reading(**filters))
    return _export(rows, kind, "learning-space-responses")


@role_required("learning_spaces.responses")
def insights_export_csv(request):
    return _insights_export(request, "csv")


@role_required("learning_spaces.responses")
def insights_export_xlsx(request):
    return _insights_export(request, "xlsx")
