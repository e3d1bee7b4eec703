"""Forms for audits: validate and normalise only; services save."""

from django import forms
from django.utils import timezone

from disproportionality.taxonomy import ETHNIC_GROUPS, MAJOR_LABELS
from programme.audits.models import Audit, AuditAnswer, AuditQuestionSet
from programme.audits.services import AuditInput, QuestionSpec
from programme.models import LessonLearnt
from programme.selectors import contributors

MONTH_FORMATS = ["%Y-%m", "%m/%Y", "%Y-%m-%d"]


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


def _ethnicity_choices():
    grouped: dict[str, list[tuple[str, str]]] = {}
    for code, label, major in ETHNIC_GROUPS:
        grouped.setdefault(MAJOR_LABELS[major], []).append((code, label))
    return [("", "Choose the child's ethnicity"), *grouped.items()]


class AuditForm(forms.Form):
    case_reference = forms.CharField(
        label="Case reference",
        max_length=60,
        help_text="The case-system id. It is turned into a keyed code at once and "
        "never stored, so re-audits of the same case link up without the id "
        "being kept.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    team = forms.CharField(
        label="Team or quadrant",
        max_length=120,
        widget=forms.TextInput(attrs={"list": "audit-teams"}),
    )
    month = forms.DateField(
        label="Month audited", input_formats=MONTH_FORMATS, widget=MonthInput()
    )
    ethnicity = forms.ChoiceField(
        label="Child's ethnicity (DfE categories)", choices=_ethnicity_choices
    )
    stage = forms.ChoiceField(choices=Audit.Stage.choices, widget=forms.RadioSelect)
    learning = forms.CharField(
        label="Learning from this audit",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What should practice learn? Leave out names and anything else "
        "that could identify the child or family.",
    )

    def __init__(self, *args, question_set: AuditQuestionSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(question_set.questions.all())
        for question in self.questions:
            self.fields[f"q_{question.code}"] = forms.ChoiceField(
                label=question.text,
                help_text=question.guidance,
                choices=AuditAnswer.Answer.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Answer Yes, Partly, No or Not applicable."
                },
            )

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        if month > timezone.localdate():
            raise forms.ValidationError("The month audited cannot be in the future.")
        return month

    def audit_input(self) -> AuditInput:
        data = self.cleaned_data
        return AuditInput(
            case_reference=data["case_reference"],
            team=data["team"],
            month=data["month"],
            ethnicity=data["ethnicity"],
            stage=data["stage"],
            answers={q.code: data[f"q_{q.code}"] for q in self.questions},
            learning=data["learning"],
        )


class ResultsFilterForm(forms.Form):
    date_from = forms.DateField(
        label="From month", required=False, input_formats=MONTH_FORMATS,
        widget=MonthInput(),
    )  # fmt: skip
    date_to = forms.DateField(
        label="To month", required=False, input_formats=MONTH_FORMATS,
        widget=MonthInput(),
    )  # fmt: skip
    stage = forms.ChoiceField(
        required=False, choices=[("", "All stages"), *Audit.Stage.choices]
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end month must be on or after the start.")
        return cleaned

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("date_to")
        return {
            "date_from": data.get("date_from"),
            # the whole of the last month: audits are dated the 1st
            "date_to": end.replace(day=1) if end else None,
            "stage": data.get("stage", ""),
        }


class LessonFromAuditForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        label="Type of lesson", choices=LessonLearnt.Kind.choices,
        widget=forms.RadioSelect,
    )  # fmt: skip
    theme = forms.ChoiceField(choices=LessonLearnt.Theme.choices)


class ActionFromAuditForm(forms.Form):
    title = forms.CharField(max_length=200)
    owner = forms.ModelChoiceField(queryset=None)
    due_on = forms.DateField(
        label="Due date", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = contributors()

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError("The due date cannot be in the past.")
        return due


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Completed template (.csv or .xlsx)",
        help_text="Nothing is imported unless every row is right.",
    )


class QuestionForm(forms.Form):
    code = forms.SlugField(
        max_length=60,
        help_text="Short code; keep it when only the wording changes, so results "
        "line up across versions.",
    )
    text = forms.CharField(max_length=300, label="Question")
    guidance = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_overall = forms.BooleanField(required=False, label="Overall judgement")

    def spec(self) -> QuestionSpec:
        d = self.cleaned_data
        return QuestionSpec(
            code=d["code"], text=d["text"], guidance=d["guidance"],
            is_overall=d["is_overall"],
        )  # fmt: skip


QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=1, can_delete=True, max_num=30
)
