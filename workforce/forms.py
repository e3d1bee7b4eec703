"""Forms validate and normalise only; saving goes through services."""

import re
from datetime import date

from django import forms
from django.utils import timezone

from arp.honeypot import HoneypotForm
from workforce import codes, services
from workforce.models import Report

TEXT_MAX = 5000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 5):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {TEXT_MAX:,} characters or fewer",
        },
    )


class ReportForm(HoneypotForm):
    """What a member of staff tells us. Only these fields are read."""

    involvement = forms.ChoiceField(
        label="Did you experience it or witness it?",
        choices=codes.INVOLVEMENT,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you experienced or witnessed it"},
    )
    source = forms.ChoiceField(
        label="Who was it from?",
        choices=codes.SOURCES,
        widget=forms.RadioSelect,
        error_messages={"required": "Say who it was from"},
    )
    location = forms.CharField(
        label="Team or quadrant (optional)",
        required=False,
        max_length=100,
        help_text="Leave blank if saying would identify you.",
    )
    occurred_month = forms.CharField(
        label="When did it happen?",
        help_text="The month is enough, for example 2026-03.",
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
        error_messages={"required": "Enter the month it happened"},
    )
    what_happened = _text(
        "What happened",
        help_text="In your own words. You do not need to name anyone.",
        rows=6,
    )
    impact = _text("The impact on you (optional)", required=False, rows=3)
    resolution_sought = _text("What would put it right for you", rows=3)
    wants_contact = forms.TypedChoiceField(
        label="Would you like a lead to contact you?",
        choices=[("no", "No, I will check progress with my reference"), ("yes", "Yes")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="no",
        error_messages={"required": "Say whether you would like to be contacted"},
    )
    contact_details = forms.CharField(
        label="How to contact you (optional)",
        required=False,
        max_length=200,
        help_text="A phone number or email. Only the staff support leads see it.",
    )
    named = forms.BooleanField(
        label="Put my name to this report (leads will see who I am)",
        required=False,
    )

    ANSWER_FIELDS = (
        "involvement",
        "source",
        "location",
        "occurred_month",
        "what_happened",
        "impact",
        "resolution_sought",
        "wants_contact",
        "contact_details",
    )

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not signed_in:
            del self.fields["named"]

    def clean_occurred_month(self) -> date:
        match = _MONTH.match(self.cleaned_data["occurred_month"].strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError("Enter the month as YYYY-MM, e.g. 2026-03")
        if int(match.group(1)) < 2000:  # before date(): year 0 does not exist
            raise forms.ValidationError("Enter a month from 2000 onwards")
        month = date(int(match.group(1)), int(match.group(2)), 1)
        if month > timezone.localdate():
            raise forms.ValidationError("The month cannot be in the future")
        return month

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.ANSWER_FIELDS}


class FollowUpForm(forms.Form):
    reference = forms.CharField(max_length=20, label="Reference")
    passcode = forms.CharField(
        max_length=40,
        label="Passcode",
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()

    def clean_passcode(self) -> str:
        return services.normalise_passcode(self.cleaned_data["passcode"])


class ReporterReplyForm(forms.Form):
    text = _text("Your reply", rows=4)


class ReporterResponseForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label="Do you agree that this is resolved?",
        choices=[("yes", "Yes, it is resolved"), ("no", "No, it is not resolved")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you agree it is resolved"},
    )
    comment = _text("Anything you want to add (optional)", required=False, rows=3)


def _future_date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class AcknowledgeForm(forms.Form):
    message = _text(
        "Message to the reporter",
        rows=3,
        help_text="Shown on their follow-up page.",
    )
    next_step = forms.CharField(label="Next step", max_length=200)
    next_step_due = _future_date("Next step due by")

    def clean_next_step_due(self):
        value = self.cleaned_data["next_step_due"]
        if value < timezone.localdate():
            raise forms.ValidationError("The next step cannot be due in the past")
        return value


class AssignForm(forms.Form):
    lead = forms.ModelChoiceField(queryset=None, label="Assign to")

    def __init__(self, *args, **kwargs):
        from workforce import selectors

        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = selectors.leads().order_by("first_name")
        self.fields["lead"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )


class NoteForm(forms.Form):
    text = _text("Note", rows=3)
    shared = forms.TypedChoiceField(
        label="Who sees it",
        choices=[
            ("internal", "Internal (leads only)"),
            ("shared", "Shared with the reporter"),
        ],
        coerce=lambda v: v == "shared",
        widget=forms.RadioSelect,
        initial="internal",
    )
    next_step = forms.CharField(
        label="Next step (optional)", max_length=200, required=False
    )
    next_step_due = forms.DateField(
        label="Next step due by", required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("next_step") and not data.get("next_step_due"):
            self.add_error("next_step_due", "Give the date the next step is due")
        return data


class EscalateForm(forms.Form):
    step = forms.ChoiceField(label="Escalate to", choices=())
    reason = _text("Reason", rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s, s) for s in services.escalation_path()]


class ProposeResolutionForm(forms.Form):
    summary = _text(
        "What was done (shared with the reporter)",
        rows=4,
        help_text="The reporter will be asked whether they agree it is resolved.",
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[
            (v, label)
            for v, label in Report.Outcome.choices
            if v != Report.Outcome.RESOLVED_AGREED
        ],
        widget=forms.RadioSelect,
    )
    summary = _text("Closing note (shared with the reporter)", rows=3)


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("open", "Open"), ("", "All"), *Report.Status.choices],
    )
    mine = forms.BooleanField(required=False, label="Assigned to me")


class PeriodForm(forms.Form):
    period = forms.CharField(required=False, max_length=10)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = list(periods)

    def clean_period(self) -> str | None:
        value = self.cleaned_data["period"].strip()
        if not value:
            return self.periods[-1] if self.periods else None
        if value not in self.periods:
            raise forms.ValidationError(f"No workforce figures for period {value!r}")
        return value


class WorkforceUploadForm(forms.Form):
    file = forms.FileField(
        label="Workforce file (CSV or XLSX)",
        help_text="Columns: period, measure, ethnicity, count, base.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file must be 5 MB or smaller")
        return upload
