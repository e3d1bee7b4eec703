"""Forms validate and normalise; saving goes through programme.services."""

from datetime import date, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import slugify

from programme import evidence
from programme.models import (
    Achievement,
    Action,
    Aspiration,
    Indicator,
    LessonLearnt,
    Meeting,
    MeetingDecision,
    Testimonial,
    TrainingEvent,
    WorkforceHeadcount,
    Workstream,
)
from programme.selectors import contributors
from programme.services import ACTION_FIELDS, INDICATOR_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _not_in_future(value, message):
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


class AchievementForm(forms.ModelForm):
    aspirations = forms.ModelMultipleChoiceField(
        queryset=Aspiration.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every aspiration this achievement contributes to.",
        error_messages={
            "required": "Choose at least one aspiration.",
            "invalid_choice": "That aspiration does not exist; choose from the list.",
            "invalid_pk_value": "That aspiration does not exist; choose from the list.",
        },
    )
    workstream = forms.ModelChoiceField(
        queryset=Workstream.objects.all(), required=False
    )
    evidence_url = forms.URLField(
        label="Evidence link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Optional: a link to a report, news item or shared document.",
    )

    class Meta:
        model = Achievement
        fields = [
            "title",
            "summary",
            "achieved_on",
            "reach",
            "aspirations",
            "workstream",
            "evidence_url",
            "evidence_file",
        ]
        labels = {
            "achieved_on": "Date achieved",
            "evidence_url": "Evidence link",
            "evidence_file": "Evidence file",
        }
        help_texts = {
            "summary": "What happened, who it reached and why it matters.",
            "reach": "How far the achievement reaches, as in the programme slides.",
            "evidence_file": (
                f"Optional. {evidence.ALLOWED_EXTENSIONS_TEXT}; up to "
                f"{evidence.MAX_EVIDENCE_BYTES // 1024 // 1024} MB."
            ),
        }
        widgets = {
            "achieved_on": DateInput(),
            "reach": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reach"].choices = Achievement.Reach.choices
        self.fields["aspirations"].label_from_instance = lambda aspiration: (
            f"{aspiration.number}. {aspiration.title}"
        )

    def clean_achieved_on(self):
        return _not_in_future(
            self.cleaned_data.get("achieved_on"),
            "The date achieved cannot be in the future.",
        )

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if isinstance(upload, UploadedFile):
            try:
                evidence.check_evidence_file(upload)
            except evidence.EvidenceError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return upload

    def service_fields(self) -> dict:
        """Cleaned values for the achievement services (files only when changed)."""
        data = {
            name: self.cleaned_data[name]
            for name in ("title", "summary", "achieved_on", "reach", "workstream")
        }
        data["evidence_url"] = self.cleaned_data.get("evidence_url") or ""
        upload = self.cleaned_data.get("evidence_file")
        if upload is False:  # "Clear" ticked
            data["evidence_file"] = ""
        elif isinstance(upload, UploadedFile):
            data["evidence_file"] = upload
        data["aspirations"] = list(self.cleaned_data["aspirations"])
        return data


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what needs to change before returning it."},
    )


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ACTION_FIELDS  # what action_create and action_update take
        labels = {"due_on": "Due date", "next_review_on": "Next review date"}
        widgets = {
            "due_on": DateInput(),
            "next_review_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = contributors()
        self.fields["owner"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )


class ActionStatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label="New status", choices=Action.Status.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give a reason for the change of status."},
    )
    corrective_action = forms.CharField(
        label="Corrective action",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the action is off track.",
    )
    completed_on = forms.DateField(
        label="Completion date",
        required=False,
        widget=DateInput(),
        help_text="When the action is complete; today if left empty.",
    )

    def __init__(self, *args, current_status=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_status = current_status

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason for the change of status.")
        return reason

    def clean_completed_on(self):
        return _not_in_future(
            self.cleaned_data.get("completed_on"),
            "The completion date cannot be in the future.",
        )

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("to_status")
        if status and status == self.current_status:
            self.add_error(
                "to_status", "Choose a status different from the current one."
            )
        if (
            status == Action.Status.OFF_TRACK
            and not (cleaned.get("corrective_action") or "").strip()
        ):
            self.add_error(
                "corrective_action",
                "An action that is off track needs a corrective action.",
            )
        return cleaned


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS  # what indicator_save takes
        labels = {
            "key": "Short key",
            "higher_is_better": "A higher value is better",
        }
        help_texts = {
            "key": "Letters, numbers and hyphens; left empty, made from the name.",
        }
        widgets = {"baseline_date": DateInput(), "target_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].required = False

    def clean_key(self):
        key = self.cleaned_data.get("key") or slugify(self.data.get("name", ""))[:80]
        if not key:
            raise forms.ValidationError("Give the indicator a name or a key.")
        clash = Indicator.objects.filter(key=key).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another indicator already uses this key.")
        return key

    def clean(self):
        cleaned = super().clean()
        baseline_date = cleaned.get("baseline_date")
        target_date = cleaned.get("target_date")
        if baseline_date and target_date and target_date <= baseline_date:
            self.add_error(
                "target_date", "The target date must be after the baseline date."
            )
        for value, day in (
            ("baseline_value", "baseline_date"),
            ("target_value", "target_date"),
        ):
            one_missing = (cleaned.get(value) is None) != (cleaned.get(day) is None)
            if one_missing and value in cleaned and day in cleaned:
                self.add_error(day, "Give both the value and the date, or neither.")
        return cleaned


class ReadingForm(forms.Form):
    value = forms.DecimalField(max_digits=14, decimal_places=4)
    taken_on = forms.DateField(label="Date of the reading", widget=DateInput())
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )

    def clean_taken_on(self):
        return _not_in_future(
            self.cleaned_data.get("taken_on"),
            "A reading cannot be dated in the future.",
        )


class PeriodForm(forms.Form):
    """The period the board summary and snapshot cover (default: last 6 months)."""

    start = forms.DateField(label="From", widget=DateInput(), required=False)
    end = forms.DateField(label="To", widget=DateInput(), required=False)
    # ?end=0001-01-01 overflowed the default start (end − 6 months): a 500.
    EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)

    def _in_range(self, value):
        if value and not self.EARLIEST <= value <= self.LATEST:
            raise forms.ValidationError(
                f"Choose a date between {self.EARLIEST:%Y} and {self.LATEST:%Y}."
            )
        return value

    def clean_start(self):
        return self._in_range(self.cleaned_data.get("start"))

    def clean_end(self):
        return self._in_range(self.cleaned_data.get("end"))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("start")
            and cleaned.get("end")
            and cleaned["end"] < cleaned["start"]
        ):
            self.add_error("end", "The end of the period must be after its start.")
        return cleaned

    def period(self, *, default_days: int = 183):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=default_days)
        return start, end


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "held_on", "title", "attendees", "decisions", "actions"]
        labels = {
            "kind": "Type of meeting",
            "held_on": "Date",
            "decisions": "Notes",
            "actions": "Actions arising",
        }
        help_texts = {
            "decisions": "Record each decision as its own item on the meeting's "
            "page, where actions can be raised from it.",
        }
        widgets = {
            "held_on": DateInput(),
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
            "actions": forms.CheckboxSelectMultiple,
        }


class LessonForm(forms.ModelForm):
    class Meta:
        model = LessonLearnt
        fields = ["kind", "theme", "title", "description", "recorded_on", "actions"]
        labels = {
            "kind": "Type of lesson",
            "recorded_on": "Date recorded",
            "actions": "Linked actions",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "recorded_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "actions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = LessonLearnt.Kind.choices


class TrainingEventForm(forms.ModelForm):
    class Meta:
        model = TrainingEvent
        fields = ["course", "held_on", "audience", "attended"]
        labels = {"held_on": "Date", "attended": "Number who attended"}
        widgets = {"held_on": DateInput()}

    def clean_held_on(self):
        return _not_in_future(
            self.cleaned_data.get("held_on"),
            "Record training once it has taken place.",
        )


class HeadcountForm(forms.ModelForm):
    class Meta:
        model = WorkforceHeadcount
        fields = ["team", "quadrant", "headcount", "as_of"]
        labels = {"as_of": "Headcount date"}
        widgets = {"as_of": DateInput()}


class TrainingRecordForm(forms.Form):
    as_of = forms.DateField(label="Work out % trained as of", widget=DateInput())

    def clean_as_of(self):
        return _not_in_future(
            self.cleaned_data.get("as_of"), "Choose today or an earlier date."
        )


class TestimonialForm(forms.ModelForm):
    class Meta:
        model = Testimonial
        fields = [
            "quote",
            "source_type",
            "source_detail",
            "quoted_on",
            "consent_recorded",
            "published",
        ]
        labels = {"quoted_on": "Date", "consent_recorded": "Consent to quote recorded"}
        widgets = {"quoted_on": DateInput(), "quote": forms.Textarea(attrs={"rows": 3})}

    # The consent rule is the data's (programme.services.testimonial_update and
    # a database constraint), not this form's.

    def __init__(self, *args, can_publish: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_publish:
            del self.fields["published"]


class MeetingDecisionForm(forms.Form):
    """One decision of a meeting: what was decided and, optionally, who owns it."""

    text = forms.CharField(
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write the decision."},
    )
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Owner"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = contributors()
        self.fields["owner"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the decision.")
        return text


class MeetingActionForm(ActionForm):
    """An action raised at a meeting, optionally from one of its decisions."""

    decision = forms.ModelChoiceField(
        queryset=MeetingDecision.objects.none(),
        required=False,
        label="Raised from the decision",
        empty_label="(not from a particular decision)",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = MeetingDecision.objects.filter(
            meeting=meeting
        )
        self.fields["decision"].label_from_instance = lambda d: d.text[:80]
