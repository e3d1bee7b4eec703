"""Achievements: list, snapshot, detail, edit, submit, publish, return, export."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from arp.roles import role_required, user_can
from arp.views import refusal_shown
from programme import exports, selectors, services
from programme.filters import AchievementFilter
from programme.forms import AchievementForm, PeriodForm, ReturnForm
from programme.history import history_with_changes

PAGE_SIZE = 25


def _filtered(request):
    return AchievementFilter(
        request.GET, queryset=selectors.achievement_list(request.user)
    )


@role_required("programme.view")
def achievement_list(request):
    filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/achievement_list.html",
        {"filter": filterset, "page": page, "achievements": page.object_list},
    )


@role_required("programme.view")
def achievement_export(request, fmt: str):
    header, rows = exports.achievement_rows(
        _filtered(request).qs, site=settings.SITE_URL
    )
    if fmt == "csv":
        return exports.csv_response(header, rows, filename="arp-achievements")
    return exports.xlsx_response(
        header, rows, filename="arp-achievements", title="Achievements"
    )


@role_required("programme.view")
def achievement_snapshot(request):
    form = PeriodForm(request.GET or None)
    start, end = form.period(default_days=365)
    groups = selectors.published_by_reach(start=start, end=end)
    return render(
        request,
        "programme/achievement_snapshot.html",
        {"form": form, "start": start, "end": end, "groups": groups},
        status=400 if form.errors else 200,
    )


def _detail(request, achievement, return_form=None):
    return render(
        request,
        "programme/achievement_detail.html",
        {
            "achievement": achievement,
            "can_edit": selectors.achievement_can_change(request.user, achievement),
            "return_form": return_form or ReturnForm(),
            # The Board reads the published record, not the review trail
            # (return comments, earlier drafts).
            "history": history_with_changes(achievement)
            if user_can(request.user, "programme.contribute")
            else [],
        },
    )


@role_required("programme.view")
def achievement_detail(request, pk: int):
    return _detail(
        request, selectors.get_achievement_for_user(user=request.user, pk=pk)
    )


@role_required("programme.contribute")
def achievement_create(request):
    form = AchievementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        achievement = services.achievement_create(
            user=request.user,
            submit="submit" in request.POST,
            **form.service_fields(),
        )
        messages.success(request, _saved_message(achievement))
        return redirect(achievement)
    return render(request, "programme/achievement_form.html", {"form": form})


def _saved_message(achievement) -> str:
    if achievement.status == achievement.Status.SUBMITTED:
        return "Achievement submitted. A Programme admin will review and publish it."
    return "Achievement saved as a draft. Submit it when it is ready."


@role_required("programme.contribute")
def achievement_edit(request, pk: int):
    achievement = selectors.get_achievement_for_user(
        user=request.user, pk=pk, for_change=True
    )
    form = AchievementForm(
        request.POST or None, request.FILES or None, instance=achievement
    )
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, services.ProgrammeError, form=form):
            services.achievement_update(
                achievement=achievement,
                user=request.user,
                submit="submit" in request.POST,
                **form.service_fields(),
            )
            messages.success(request, _saved_message(achievement))
            return redirect(achievement)
    return render(
        request,
        "programme/achievement_form.html",
        {"form": form, "achievement": achievement},
    )


def _step(capability: str, service, message):
    """A POST that moves an achievement on (submit, publish), then shows it."""

    @role_required(capability)
    @require_POST
    def view(request, pk: int):
        achievement = selectors.get_achievement_for_user(
            user=request.user, pk=pk, for_change=True
        )
        with refusal_shown(request, services.ProgrammeError):
            service(achievement=achievement, user=request.user)
            messages.success(request, message(achievement))
        return redirect(achievement)

    view.__name__ = service.__name__
    return view


achievement_submit = _step(
    "programme.contribute", services.achievement_submit, _saved_message
)
achievement_publish = _step(
    "programme.publish",
    services.achievement_publish,
    lambda _: "Published: the Board can now see this achievement.",
)


@role_required("programme.publish")
@require_POST
def achievement_return(request, pk: int):
    achievement = selectors.get_achievement_for_user(
        user=request.user, pk=pk, for_change=True
    )
    form = ReturnForm(request.POST)
    if form.is_valid():
        with refusal_shown(request, services.ProgrammeError):
            services.achievement_return(
                achievement=achievement,
                user=request.user,
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, "Returned to its author with your comment.")
            return redirect(achievement)
    return _detail(request, achievement, return_form=form)


@role_required("programme.view")
def achievement_evidence(request, pk: int):
    """Evidence files go through the same access check as the achievement."""
    achievement = selectors.get_achievement_for_user(user=request.user, pk=pk)
    if not achievement.evidence_file:
        raise Http404("No evidence file")
    try:
        handle = achievement.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Evidence file missing") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=achievement.evidence_file.name.rsplit("/", 1)[-1],
    )
