"""The action plan: list, My actions, detail with status history, create/edit."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from arp.roles import role_required
from programme import exports, selectors, services
from programme.filters import ActionFilter
from programme.forms import ActionForm, ActionStatusForm
from programme.history import history_with_changes
from programme.models import Action

PAGE_SIZE = 50


def _actions():
    return Action.objects.select_related("owner", "aspiration")


def _filtered(request, queryset=None):
    # an empty queryset is falsy: "queryset or _actions()" showed everyone's
    # actions to an owner of none
    return ActionFilter(
        request.GET, queryset=_actions() if queryset is None else queryset
    )


def _render_list(request, filterset, *, mine: bool):
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/action_list.html",
        {
            "filter": filterset,
            "page": page,
            "actions": page.object_list,
            "mine": mine,
            "today": timezone.localdate(),
        },
    )


@role_required("programme.view")
def action_list(request):
    return _render_list(request, _filtered(request), mine=False)


@role_required("programme.view")
def my_actions(request):
    return _render_list(
        request, _filtered(request, _actions().filter(owner=request.user)), mine=True
    )


@role_required("programme.view")
def action_export(request, fmt: str):
    header, rows = exports.action_rows(_filtered(request).qs, site=settings.SITE_URL)
    if fmt == "csv":
        return exports.csv_response(header, rows, filename="arp-actions")
    return exports.xlsx_response(header, rows, filename="arp-actions", title="Actions")


@role_required("programme.view")
def action_detail(request, pk: int):
    action = selectors.get_action_for_user(user=request.user, pk=pk)
    return render(
        request,
        "programme/action_detail.html",
        {
            "action": action,
            "can_update": selectors.action_can_change(request.user, action),
            "status_changes": action.status_changes.select_related("changed_by"),
            "history": history_with_changes(action),
            "today": timezone.localdate(),
        },
    )


@role_required("programme.contribute")
def action_create(request):
    form = ActionForm(request.POST or None, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        action = services.action_create(user=request.user, **form.cleaned_data)
        messages.success(request, "Action added to the plan.")
        return redirect(action)
    return render(request, "programme/action_form.html", {"form": form})


@role_required("programme.contribute")
def action_edit(request, pk: int):
    action = selectors.get_action_for_user(user=request.user, pk=pk, for_change=True)
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        services.action_update(action=action, user=request.user, **form.cleaned_data)
        messages.success(request, "Action updated.")
        return redirect(action)
    return render(
        request, "programme/action_form.html", {"form": form, "action": action}
    )


@role_required("programme.contribute")
def action_status(request, pk: int):
    action = selectors.get_action_for_user(user=request.user, pk=pk, for_change=True)
    form = ActionStatusForm(request.POST or None, current_status=action.status)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_change_status(
                action=action, user=request.user, **form.cleaned_data
            )
        except services.ProgrammeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Status changed to {action.get_status_display()}."
            )
            return redirect(action)
    return render(
        request, "programme/action_status_form.html", {"form": form, "action": action}
    )
