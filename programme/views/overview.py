"""The programme overview and the printable board summary."""

from django.shortcuts import render
from django.utils import timezone

from arp.roles import role_required
from programme import indicators as calc
from programme import selectors
from programme.activity import activity_feed
from programme.forms import PeriodForm

SUMMARY_ACHIEVEMENTS_PER_REACH = 12


@role_required("programme.view")
def overview(request):
    return render(
        request,
        "programme/overview.html",
        {
            "aspirations": selectors.aspirations_with_indicators(),
            "counts": selectors.overview_counts(),
            "activity": activity_feed(request.user),
            "rag_rule": calc.RAG_RULE,
        },
    )


@role_required("programme.view")
def summary(request):
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    return render(
        request,
        "programme/summary.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "generated": timezone.localtime(),
            "aspirations": selectors.aspirations_with_indicators(),
            "reach_groups": selectors.published_by_reach(
                start=start, end=end, limit_per_reach=SUMMARY_ACHIEVEMENTS_PER_REACH
            ),
            "per_reach": SUMMARY_ACHIEVEMENTS_PER_REACH,
            "actions": selectors.actions_off_track_or_overdue()[:25],
            "lessons": selectors.lessons_in_period(start=start, end=end),
            "quotes": selectors.published_quotes(),
            "rag_rule": calc.RAG_RULE,
        },
        status=400 if form.errors else 200,
    )
