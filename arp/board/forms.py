"""The pack's period: a board meeting, or dates, or neither (the default)."""

from django import forms

from programme import selectors as programme_selectors
from programme.forms import DateInput


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.held_on:%-d %B %Y}" + (f" – {obj.title}" if obj.title else "")


class BoardPeriodForm(forms.Form):
    meeting = MeetingChoiceField(
        queryset=programme_selectors.board_meetings(),
        required=False,
        empty_label="Since the last board meeting",
        label="Board meeting",
    )
    start = forms.DateField(label="From", widget=DateInput(), required=False)
    end = forms.DateField(label="To", widget=DateInput(), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if cleaned.get("meeting") and (start or end):
            raise forms.ValidationError(
                "Choose a board meeting or dates, not both: a meeting's pack "
                "covers the time since the board meeting before it."
            )
        if start and end and end < start:
            self.add_error("end", "The end of the period must be after its start.")
        return cleaned

    def period(self) -> programme_selectors.BoardPeriod:
        """The period asked for; call only once the form is valid."""
        data = self.cleaned_data
        return programme_selectors.board_period(
            meeting=data.get("meeting"), start=data.get("start"), end=data.get("end")
        )
