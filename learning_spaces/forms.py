"""Forms validate and normalise only; saving goes through services."""

from django import forms
from django.db import models

from learning_spaces.models import (
    FREE_TEXT_MAX,
    FeedbackResponse,
    LearningSession,
    Space,
    Theme,
)
from programme.tools import selectors as tool_selectors

RATING_CHOICES = [
    (1, "1 – poor"),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, "5 – excellent"),
]
CONFIDENCE_CHOICES = [
    (1, "1 – not at all confident"),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, "5 – very confident"),
]


def _scale(label: str, choices, what: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Select {what} (1 to 5)",
            "invalid_choice": f"Select {what} (1 to 5)",
        },
    )


def _text(
    label: str, *, short: str, required: bool, required_message: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=FREE_TEXT_MAX,
        help_text=f"At most {FREE_TEXT_MAX:,} characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required_message,
            "max_length": f"{short} must be {FREE_TEXT_MAX:,} characters or "
            "fewer (you have %(show_value)s)",
        },
    )


class FeedbackForm(forms.Form):
    """The public, anonymous feedback form.

    Only these fields are read, so a crafted POST with extra fields (a session
    id, a date, themes) changes nothing.
    """

    rating = _scale(
        "Overall, how would you rate the session?", RATING_CHOICES, "a rating"
    )
    gained_most = _text(
        "What did you gain most from the workshop?",
        short="What you gained most",
        required=True,
        required_message="Enter what you gained most from the workshop",
    )
    do_differently = _text(
        "What will you do differently in your practice?",
        short="What you will do differently",
        required=False,
    )
    could_be_better = _text(
        "What could have been better?",
        short="What could have been better",
        required=False,
    )
    confidence_before = _scale(
        "Before the session", CONFIDENCE_CHOICES, "how confident you were before"
    )
    confidence_now = _scale("Now", CONFIDENCE_CHOICES, "how confident you are now")
    role = forms.ChoiceField(
        label="Your role (optional)",
        choices=FeedbackResponse.Role.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a role from the list"},
    )
    team = forms.CharField(
        label="Your quadrant or team (optional)",
        required=False,
        max_length=100,
        error_messages={
            "max_length": "Quadrant or team must be 100 characters or fewer"
        },
    )
    consent_to_quote = forms.TypedChoiceField(
        label="May we quote your answers anonymously?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        initial="no",
        required=False,
        empty_value=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select yes or no"},
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled by bots.
    website = forms.CharField(required=False, label="Leave this field empty")

    # Fields that go on the response, in order.
    ANSWER_FIELDS = (
        "rating",
        "confidence_before",
        "confidence_now",
        "gained_most",
        "do_differently",
        "could_be_better",
        "role",
        "team",
        "consent_to_quote",
    )

    def clean_gained_most(self):
        value = self.cleaned_data["gained_most"]
        if not value.strip():
            raise forms.ValidationError("Enter what you gained most from the workshop")
        return value

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.ANSWER_FIELDS}

    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())


def _https_urls(model_field, **kwargs):
    """Links typed without a scheme are taken as https (Django 6 default)."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class SpaceForm(forms.ModelForm):
    class Meta:
        model = Space
        formfield_callback = _https_urls
        fields = [
            "name",
            "audience",
            "description",
            "cadence_weeks",
            "facilitators",
            "default_venue",
            "default_online_link",
            "default_start_time",
            "default_duration_minutes",
            "active",
        ]
        widgets = {
            "default_start_time": forms.TimeInput(attrs={"type": "time"}),
            "facilitators": forms.CheckboxSelectMultiple,
        }


class SessionForm(forms.ModelForm):
    starts_at = forms.SplitDateTimeField(
        label="Starts",
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date"}, time_attrs={"type": "time"}
        ),
    )
    ends_at = forms.SplitDateTimeField(
        label="Ends",
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date"}, time_attrs={"type": "time"}
        ),
    )

    class Meta:
        model = LearningSession
        formfield_callback = _https_urls
        fields = [
            "space",
            "starts_at",
            "ends_at",
            "topic",
            "venue",
            "online_link",
            "facilitator",
            "capacity",
            "feedback_closes_after_days",
        ]

    # Kept by the programme's tools library (keyed by session id), not a column.
    tools = forms.ModelMultipleChoiceField(
        label="Practice tools used",
        queryset=tool_selectors.tools_for_linking(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Offered to people on the feedback thank-you page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tools"].queryset = tool_selectors.tools_for_linking()
        if self.instance.pk and "tools" not in self.initial:
            self.initial["tools"] = tool_selectors.tool_ids_for_session(
                self.instance.pk
            )

    def tool_ids(self) -> list[int]:
        return [tool.pk for tool in self.cleaned_data.get("tools", [])]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The session must end after it starts")
        return cleaned


class MarkHeldForm(forms.Form):
    attendance = forms.IntegerField(
        label="How many people attended?",
        min_value=0,
        max_value=10_000,
        error_messages={"required": "Enter how many people attended"},
    )


class ScheduleForm(forms.Form):
    count = forms.IntegerField(
        label="How many sessions ahead should be in the calendar?",
        min_value=1,
        max_value=12,
        initial=3,
    )


class ThemeReviewForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Themes",
    )


class PromoteForm(forms.Form):
    quote = forms.CharField(
        label="Quote for the board",
        max_length=FREE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Remove names, teams, places or anything else that could "
        "identify the person or a family before saving.",
    )
    source_detail = forms.CharField(
        label="Source", max_length=200, help_text="Shown with the quote."
    )


class InsightsFilterForm(forms.Form):
    space = forms.ModelChoiceField(
        queryset=Space.objects.all(), required=False, empty_label="All spaces"
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(), required=False, empty_label="All themes"
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start")
        return cleaned

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "space": data.get("space"),
            "theme": data.get("theme"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
