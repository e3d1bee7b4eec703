"""The library's pages: browse, read, open, add, version, publish, usage."""

from pathlib import PurePath

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from arp.roles import role_required, user_can
from arp.views import refusal_shown
from programme.tools import selectors, services
from programme.tools.filters import ToolFilter
from programme.tools.forms import PublishForm, ToolCreateForm, ToolForm, VersionForm

PAGE_SIZE = 25
USAGE_MONTHS = 12


@role_required("programme.tools_view")
def tool_list(request):
    filterset = ToolFilter(request.GET, queryset=selectors.tool_list(request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/tools/tool_list.html",
        {"filter": filterset, "page": page, "tools": page.object_list},
    )


def _detail_context(request, tool, publish_form=None) -> dict:
    versions = tool.versions_newest_first
    context = {
        "tool": tool,
        "current": versions[0] if versions else None,
        "earlier": versions[1:],
    }
    if user_can(request.user, "programme.tools_manage"):
        context["publish_form"] = publish_form or PublishForm()
        context["default_reach"] = services.tool_default_reach(tool.audience_values())
        context["downloads_total"] = selectors.tool_downloads_total(tool)
    return context


@role_required("programme.tools_view")
def tool_detail(request, pk: int):
    tool = selectors.get_tool_for_user(user=request.user, pk=pk)
    return render(
        request, "programme/tools/tool_detail.html", _detail_context(request, tool)
    )


def _publish_message(result) -> str:
    if result.achievement is None:
        return "Published: everyone signed in can now find this tool."
    if result.achievement.status == result.achievement.Status.PUBLISHED:
        return "Published, and an achievement was recorded and published."
    return (
        "Published, and an achievement was recorded and submitted for a "
        "Programme admin to publish."
    )


@role_required("programme.tools_manage")
def tool_create(request):
    form = ToolCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # a refused publication adds no draft either
                tool = services.tool_create(
                    user=request.user, **form.tool_fields(), **form.version_fields()
                )
                if "publish" in request.POST:
                    result = services.tool_publish(
                        tool=tool, user=request.user, **form.publish_fields()
                    )
        except services.ToolError as exc:
            form.add_error(None, str(exc))
        else:
            if "publish" in request.POST:
                messages.success(request, _publish_message(result))
            else:
                messages.success(request, "Saved as a draft: only tool editors see it.")
            return redirect(tool)
    return render(request, "programme/tools/tool_form.html", {"form": form})


@role_required("programme.tools_manage")
def tool_edit(request, pk: int):
    tool = selectors.get_tool_for_user(user=request.user, pk=pk, for_change=True)
    form = ToolForm(request.POST or None, initial=ToolForm.initial_for(tool))
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, services.ToolError, form=form):
            services.tool_update(tool=tool, user=request.user, **form.tool_fields())
            messages.success(request, "Saved the tool's details.")
            return redirect(tool)
    return render(
        request, "programme/tools/tool_form.html", {"form": form, "tool": tool}
    )


@role_required("programme.tools_manage")
def tool_version_create(request, pk: int):
    tool = selectors.get_tool_for_user(user=request.user, pk=pk, for_change=True)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, services.ToolError, form=form):
            version = services.tool_version_add(
                tool=tool, user=request.user, **form.version_fields()
            )
            messages.success(
                request,
                f"Version {version.number} is now the current version; "
                "earlier versions are kept.",
            )
            return redirect(tool)
    return render(
        request, "programme/tools/version_form.html", {"form": form, "tool": tool}
    )


@role_required("programme.tools_manage")
@require_POST
def tool_publish(request, pk: int):
    tool = selectors.get_tool_for_user(user=request.user, pk=pk, for_change=True)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "programme/tools/tool_detail.html",
            _detail_context(request, tool, publish_form=form),
            status=400,
        )
    with refusal_shown(request, services.ToolError):
        result = services.tool_publish(
            tool=tool, user=request.user, **form.publish_fields()
        )
        messages.success(request, _publish_message(result))
    return redirect(tool)


@role_required("programme.tools_manage")
@require_POST
def tool_withdraw(request, pk: int):
    tool = selectors.get_tool_for_user(user=request.user, pk=pk, for_change=True)
    with refusal_shown(request, services.ToolError):
        services.tool_withdraw(tool=tool, user=request.user)
        messages.success(request, "Withdrawn: the tool is a draft again.")
    return redirect(tool)


def _serve(version):
    """A version's file as a download, or a redirect to its link.

    Files never come straight from the media folder: only this view, after
    the access check, opens them.
    """
    if not version.file:
        return HttpResponseRedirect(version.link)
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file of this version is missing.") from exc
    extension = PurePath(version.file.name).suffix.lower()
    filename = f"{slugify(version.tool.title)[:80] or 'tool'}-v{version.number}"
    return FileResponse(handle, as_attachment=True, filename=filename + extension)


@role_required("programme.tools_view")
def tool_open(request, pk: int):
    """The current version, in one tap from the tool's page (counted anonymously)."""
    tool = selectors.get_tool_for_user(user=request.user, pk=pk)
    version = selectors.current_version(tool)
    if version is None:
        raise Http404("This tool has no version yet.")
    response = _serve(version)
    services.tool_download_record(tool=tool)
    return response


@role_required("programme.tools_view")
def tool_version_download(request, pk: int):
    """Any kept version, for those who need an earlier one (counted anonymously)."""
    version = selectors.get_version_for_user(user=request.user, pk=pk)
    response = _serve(version)
    services.tool_download_record(tool=version.tool)
    return response


@role_required("programme.tools_manage")
def tool_usage(request):
    months = selectors.months_ending(timezone.localdate(), USAGE_MONTHS)
    return render(
        request,
        "programme/tools/tool_usage.html",
        {"months": months, "rows": selectors.tool_usage(months=months)},
    )
