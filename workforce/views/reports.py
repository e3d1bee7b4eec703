"""The staff support leads' casework. Nobody else reads a report."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from arp.roles import role_required
from arp.views import refusal_shown
from workforce import forms, selectors, services

CAPABILITY = "workforce.reports"


@role_required(CAPABILITY)
def report_list(request):
    form = forms.ReportFilterForm(request.GET or {"status": "open"})
    data = form.cleaned_data if form.is_valid() else {"status": "open", "mine": False}
    reports = selectors.reports_for_leads(
        status=data["status"], mine_for=request.user if data["mine"] else None
    )
    return render(
        request,
        "workforce/report_list.html",
        {"form": form, "reports": list(reports[:500]), "today": timezone.localdate()},
    )


def _forms(report, **bound):
    return {
        "acknowledge_form": bound.get("acknowledge") or forms.AcknowledgeForm(),
        "assign_form": bound.get("assign") or forms.AssignForm(),
        "note_form": bound.get("note") or forms.NoteForm(),
        "escalate_form": bound.get("escalate") or forms.EscalateForm(),
        "propose_form": bound.get("propose") or forms.ProposeResolutionForm(),
        "close_form": bound.get("close") or forms.CloseForm(),
    }


def _detail(request, report, status=200, **bound):
    services.report_record_view(report=report, viewer=request.user)
    return render(
        request,
        "workforce/report_detail.html",
        {
            "report": report,
            "entries": selectors.report_timeline(report),
            "views": report.views.select_related("viewer")[:50],
            **_forms(report, **bound),
        },
        status=status,
    )


@role_required(CAPABILITY)
@never_cache
def report_detail(request, pk: int):
    return _detail(request, selectors.get_report_for_user(user=request.user, pk=pk))


def _action(name, form_class, call, done):
    @role_required(CAPABILITY)
    @require_POST
    def view(request, pk: int):
        report = selectors.get_report_for_user(
            user=request.user, pk=pk, for_change=True
        )
        form = form_class(request.POST)
        if not form.is_valid():
            return _detail(request, report, status=400, **{name: form})
        with refusal_shown(request, services.ReportError):
            call(report=report, user=request.user, **form.cleaned_data)
            messages.success(request, done)
        return redirect(report)

    view.__name__ = f"report_{name}"
    return view


report_acknowledge = _action(
    "acknowledge",
    forms.AcknowledgeForm,
    services.report_acknowledge,
    "Acknowledged. The reporter sees your message on their follow-up page.",
)
report_assign = _action("assign", forms.AssignForm, services.report_assign, "Assigned.")
report_note = _action("note", forms.NoteForm, services.report_add_note, "Note added.")
report_escalate = _action(
    "escalate", forms.EscalateForm, services.report_escalate, "Escalated."
)
report_propose = _action(
    "propose",
    forms.ProposeResolutionForm,
    services.report_propose_resolution,
    "Resolution proposed. The reporter is asked whether they agree.",
)
report_close = _action("close", forms.CloseForm, services.report_close, "Closed.")
