"""Forms for the library: validate and normalise; saving goes through services."""

from pathlib import PurePath

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from programme import evidence
from programme.models import Achievement, Aspiration
from programme.tools.models import Tool

# A version's file is a document a practitioner opens on a phone or prints.
TOOL_FILE_EXTENSIONS = (".pdf", ".docx", ".pptx")
TOOL_FILE_TYPES_TEXT = "PDF, Word (.docx) or PowerPoint (.pptx)"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ToolForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A sentence or two: what it is for and when to use it.",
    )
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind")] + list(Tool.Kind.choices),
        error_messages={"required": "Choose what kind of tool it is."},
    )
    audiences = forms.MultipleChoiceField(
        label="Who it is for",
        choices=Tool.Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who the tool is for."},
    )
    aspirations = forms.ModelMultipleChoiceField(
        label="Aspirations it supports",
        queryset=Aspiration.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "That aspiration does not exist; choose from the list.",
            "invalid_pk_value": "That aspiration does not exist; choose from the list.",
        },
    )
    authored_by = forms.CharField(
        label="Authored or co-produced by",
        max_length=200,
        required=False,
        help_text="For example “developed by young people in care”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aspirations"].label_from_instance = lambda aspiration: (
            f"{aspiration.number}. {aspiration.title}"
        )

    @classmethod
    def initial_for(cls, tool: Tool) -> dict:
        return {
            "title": tool.title,
            "description": tool.description,
            "kind": tool.kind,
            "audiences": tool.audience_values(),
            "aspirations": list(tool.aspirations.all()),
            "authored_by": tool.authored_by,
        }

    def tool_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "kind": data["kind"],
            "audiences": list(data["audiences"]),
            "aspirations": list(data["aspirations"]),
            "authored_by": data.get("authored_by", ""),
        }


class VersionForm(forms.Form):
    file = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(TOOL_FILE_EXTENSIONS)}
        ),
        help_text=(
            f"{TOOL_FILE_TYPES_TEXT}, up to "
            f"{evidence.MAX_EVIDENCE_BYTES // 1024 // 1024} MB. Or give a link instead."
        ),
    )
    link = forms.URLField(
        label="Or a link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="For a podcast, recording or web page. Leave empty with a file.",
    )
    released_on = forms.DateField(
        label="Version date", widget=DateInput(), initial=timezone.localdate
    )
    change_note = forms.CharField(
        label="What changed",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what changed in this version."},
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return None
        extension = PurePath(upload.name or "").suffix.lower()
        if extension not in TOOL_FILE_EXTENSIONS:
            raise forms.ValidationError(
                f"Files of type “{extension or 'unknown'}” are not accepted for "
                f"tools. Upload a {TOOL_FILE_TYPES_TEXT} file, or give a link."
            )
        # The same check as achievement evidence: size and honest content.
        try:
            evidence.check_evidence_file(upload)
        except evidence.EvidenceError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload

    def clean_released_on(self):
        value = self.cleaned_data.get("released_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The version date cannot be in the future.")
        return value

    def clean_change_note(self):
        note = self.cleaned_data.get("change_note", "").strip()
        if not note:
            raise forms.ValidationError("Say what changed in this version.")
        return note

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file"))
        has_link = bool(cleaned.get("link"))
        file_failed = "file" in self.errors
        if has_file and has_link:
            self.add_error(
                "link",
                "Give a file or a link, not both: a version is one or the other.",
            )
        elif (
            not has_file
            and not has_link
            and not file_failed
            and "link" not in self.errors
        ):
            self.add_error("file", "Upload a file or give a link for this version.")
        return cleaned

    def version_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "file": data.get("file"),
            "link": data.get("link") or "",
            "released_on": data["released_on"],
            "change_note": data["change_note"],
        }


class PublishForm(forms.Form):
    record_achievement = forms.BooleanField(
        label="Also record an achievement for the programme",
        required=False,
        help_text=(
            "Uses the tool's aspirations and today's date. A Programme admin's "
            "achievement is published at once; otherwise it is submitted for one "
            "to publish."
        ),
    )
    reach = forms.ChoiceField(
        label="Reach of the achievement",
        choices=[("", "From the audience")] + list(Achievement.Reach.choices),
        required=False,
        help_text=(
            "From the audience: Countywide when the tool is for practitioners, "
            "Local when it is for a particular group."
        ),
    )

    def publish_fields(self) -> dict:
        return {
            "record_achievement": self.cleaned_data["record_achievement"],
            "reach": self.cleaned_data.get("reach") or None,
        }


class ToolCreateForm(ToolForm, VersionForm, PublishForm):
    """A new tool with its first version, saved as a draft or published at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_note"].initial = "First version."

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("record_achievement")
            and "aspirations" not in self.errors
            and not cleaned.get("aspirations")
        ):
            self.add_error(
                "aspirations",
                "Choose the aspirations the tool supports to record an achievement.",
            )
        return cleaned
