"""The board page, its PDF and XLSX, and storing a meeting's pack of record."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from arp.board import composition, pdf, xlsx
from arp.board.charts import pack_charts
from arp.board.forms import BoardPeriodForm
from arp.roles import role_required, user_can
from arp.views import refusal_shown
from programme import selectors as programme_selectors
from programme import services as programme_services
from programme.exports import XLSX_TYPE


def _pack_or_form(request):
    """(content, form): content is None when the period asked for is invalid."""
    form = BoardPeriodForm(request.GET)
    if not form.is_valid():
        return None, form
    return composition.compose(period=form.period()), form


def _bad_period(form) -> HttpResponse:
    errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    return HttpResponse(
        f"Bad period: {errors}", status=400, content_type="text/plain; charset=utf-8"
    )


@role_required("board.view")
def board_page(request):
    content, form = _pack_or_form(request)
    context = {
        "form": form,
        "pack": content,
        "charts": pack_charts(content) if content else {},
        "query": request.GET.urlencode(),
        "can_store": user_can(request.user, "programme.contribute"),
    }
    return render(request, "board/page.html", context, status=200 if content else 400)


@role_required("board.view")
def pack_pdf(request):
    content, form = _pack_or_form(request)
    if content is None:
        return _bad_period(form)
    response = HttpResponse(pdf.render_pdf(content), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{pdf.filename(content, "pdf")}"'
    )
    return response


@role_required("board.view")
def pack_xlsx(request):
    content, form = _pack_or_form(request)
    if content is None:
        return _bad_period(form)
    response = HttpResponse(xlsx.render_xlsx(content), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{pdf.filename(content, "xlsx")}"'
    )
    return response


@role_required("programme.contribute")
@require_POST
def pack_store(request, pk: int):
    """Produce the pack for a board meeting and store it with the meeting, once.

    Storing adds the pack of record to the meeting without changing it: any
    contributor may (the role check), so the meeting is asked for to see.
    """
    meeting = programme_selectors.get_meeting_for_user(user=request.user, pk=pk)
    if meeting.kind != meeting.Kind.BOARD:
        raise Http404("Only a governance board meeting has a board pack.")
    period = programme_selectors.board_period(meeting=meeting)
    content = composition.compose(period=period)
    with refusal_shown(request, programme_services.ProgrammeError):
        pack = programme_services.board_pack_store(
            meeting=meeting,
            pdf=pdf.render_pdf(content),
            period_start=period.start,
            period_end=period.end,
            user=request.user,
        )
        messages.success(
            request,
            f"The board pack is stored with the meeting (SHA-256 {pack.sha256}).",
        )
    return redirect(meeting)
