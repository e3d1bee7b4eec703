"""Plain registers: meetings, lessons learnt, training and testimonials.

Simple create/read/update pages sharing one form helper; the Board reads them,
Programme admins and the Steering group add to them, and each entry is edited
by whoever added it or by a Programme admin.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from arp.roles import role_required, user_can
from arp.views import refusal_shown
from programme import selectors, services
from programme.forms import (
    HeadcountForm,
    LessonForm,
    MeetingDecisionForm,
    MeetingForm,
    TestimonialForm,
    TrainingEventForm,
    TrainingRecordForm,
)
from programme.models import (
    BoardPack,
    LessonLearnt,
    Meeting,
    Testimonial,
    TrainingEvent,
    WorkforceHeadcount,
)


def _save_form(request, form_class, instance, *, title, back_url, form_kwargs=None):
    """Add or edit a plain register entry through ``register_entry_save``.

    An existing ``instance`` comes from its access helper with ``for_change``.
    """
    form = form_class(request.POST or None, instance=instance, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, services.ProgrammeError, form=form):
            entry = services.register_entry_save(
                entry=instance, user=request.user, **form.cleaned_data
            )
            messages.success(request, f"{title} saved.")
            return redirect(
                entry.get_absolute_url()
                if hasattr(entry, "get_absolute_url")
                else back_url
            )
    return render(
        request,
        "programme/simple_form.html",
        {"form": form, "title": title, "back_url": back_url},
    )


# --- Meetings -----------------------------------------------------------------

MEETING_FORM = {
    "form_class": MeetingForm,
    "title": "Meeting",
    "back_url": "/programme/meetings/",
}


@role_required("programme.view")
def meeting_list(request):
    # Meta.ordering is not applied to a query with an aggregate: order it here
    listed = (
        Meeting.objects.annotate(decision_count=Count("decision_items"))
        .select_related("board_pack")
        .order_by("-held_on", "-pk")
    )
    meetings = Paginator(listed, 25).get_page(request.GET.get("page"))
    return render(request, "programme/meeting_list.html", {"page": meetings})


@role_required("programme.view")
def meeting_detail(request, pk: int):
    meeting = selectors.get_meeting_for_user(user=request.user, pk=pk)
    can_contribute = user_can(request.user, "programme.contribute")
    return render(
        request,
        "programme/meeting_detail.html",
        {
            "meeting": meeting,
            "actions": meeting.actions.select_related("owner"),
            "follow_up": selectors.board_meeting_follow_up(meeting),
            "pack": BoardPack.objects.filter(meeting=meeting).first(),
            "can_edit": selectors.meeting_can_change(request.user, meeting),
            "can_contribute": can_contribute,
            "decision_form": MeetingDecisionForm() if can_contribute else None,
        },
    )


@role_required("programme.contribute")
def meeting_create(request):
    return _save_form(request, instance=Meeting(), **MEETING_FORM)


@role_required("programme.contribute")
def meeting_edit(request, pk: int):
    meeting = selectors.get_meeting_for_user(user=request.user, pk=pk, for_change=True)
    return _save_form(request, instance=meeting, **MEETING_FORM)


# --- Lessons learnt -----------------------------------------------------------

LESSON_FORM = {
    "form_class": LessonForm,
    "title": "Lesson learnt",
    "back_url": "/programme/lessons/",
}


@role_required("programme.view")
def lesson_list(request):
    lessons = Paginator(LessonLearnt.objects.all(), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "programme/lesson_list.html", {"page": lessons})


@role_required("programme.view")
def lesson_detail(request, pk: int):
    lesson = selectors.get_lesson_for_user(user=request.user, pk=pk)
    return render(
        request,
        "programme/lesson_detail.html",
        {
            "lesson": lesson,
            "actions": lesson.actions.select_related("owner"),
            "can_edit": selectors.lesson_can_change(request.user, lesson),
        },
    )


@role_required("programme.contribute")
def lesson_create(request):
    return _save_form(request, instance=LessonLearnt(), **LESSON_FORM)


@role_required("programme.contribute")
def lesson_edit(request, pk: int):
    lesson = selectors.get_lesson_for_user(user=request.user, pk=pk, for_change=True)
    return _save_form(request, instance=lesson, **LESSON_FORM)


# --- Training coverage ----------------------------------------------------------


@role_required("programme.view")
def training(request):
    today = timezone.localdate()
    return render(
        request,
        "programme/training.html",
        {
            "coverage": selectors.training_coverage(as_of=today),
            "events": TrainingEvent.objects.all()[:50],
            "headcounts": WorkforceHeadcount.objects.all()[:50],
            "record_form": TrainingRecordForm(initial={"as_of": today}),
        },
    )


@role_required("programme.contribute")
def training_event_create(request):
    return _save_form(
        request,
        TrainingEventForm,
        TrainingEvent(),
        title="Training event",
        back_url="/programme/training/",
    )


@role_required("programme.contribute")
def headcount_create(request):
    return _save_form(
        request,
        HeadcountForm,
        WorkforceHeadcount(),
        title="Workforce headcount",
        back_url="/programme/training/",
    )


@role_required("programme.manage")
@require_POST
def training_record(request):
    form = TrainingRecordForm(request.POST)
    if form.is_valid():
        try:
            reading = services.training_coverage_record(
                as_of=form.cleaned_data["as_of"], user=request.user
            )
        except services.ProgrammeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"Recorded {reading.value.normalize()}% trained as a reading."
            )
            return redirect(reading.indicator)
    else:
        messages.error(request, "; ".join(form.errors.get("as_of", [])))
    return redirect("programme:training")


# --- Testimonials ----------------------------------------------------------------


@role_required("programme.view")
def testimonial_list(request):
    quotes = Testimonial.objects.visible_to(request.user)
    page = Paginator(quotes, 25).get_page(request.GET.get("page"))
    return render(request, "programme/testimonial_list.html", {"page": page})


@role_required("programme.view")
def testimonial_detail(request, pk: int):
    quote = selectors.get_testimonial_for_user(user=request.user, pk=pk)
    return render(
        request,
        "programme/testimonial_detail.html",
        {
            "quote": quote,
            "can_edit": selectors.testimonial_can_change(request.user, quote),
        },
    )


def _testimonial_form(request, quote: Testimonial | None):
    """Create or edit a quote through the services, which own the consent rule.

    An existing ``quote`` comes from its access helper with ``for_change``.
    """
    was_published = quote is not None and quote.published
    form = TestimonialForm(
        request.POST or None,
        instance=quote,
        can_publish=user_can(request.user, "programme.publish"),
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.fields}
        try:
            if quote is None:
                quote = services.testimonial_create(created_by=request.user, **fields)
            else:
                quote = services.testimonial_update(
                    testimonial=quote, user=request.user, **fields
                )
                if was_published and not quote.published:
                    messages.info(
                        request,
                        "The quote changed, so it is unpublished until the "
                        "programme team reviews it again.",
                    )
        except services.ProgrammeError as exc:
            form.add_error("published" if "published" in form.fields else None, exc)
        else:
            messages.success(request, "Quote saved.")
            return redirect(quote)
    return render(
        request,
        "programme/simple_form.html",
        {"form": form, "title": "Quote", "back_url": "/programme/testimonials/"},
    )


@role_required("programme.contribute")
def testimonial_create(request):
    return _testimonial_form(request, None)


@role_required("programme.contribute")
def testimonial_edit(request, pk: int):
    return _testimonial_form(
        request,
        selectors.get_testimonial_for_user(user=request.user, pk=pk, for_change=True),
    )
