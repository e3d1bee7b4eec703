import re
from collections.abc import Callable

from django import forms
from django.conf import settings

from disproportionality import metrics, populations, taxonomy
from disproportionality.models import (
    Area,
    EthnicGroup,
    ImportBatch,
    LabelMapping,
    Stage,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=ImportBatch.Kind.choices,
        widget=forms.RadioSelect,
        initial=ImportBatch.Kind.FIGURES,
    )
    file = forms.FileField(
        label="File (CSV or XLSX)",
        help_text="The local template, a DfE explore-education-statistics tidy CSV "
        "or wide authority file, the DfE statistical neighbours file, a tidy file "
        "naming areas (for the area hierarchy), or (for a population) an ONS "
        "Census 2021 custom-dataset CSV (ethnic group, by age for children), the "
        "DfE school census (spc_pupils_ethnicity_and_language.csv) or the ONS "
        "mid-year estimates of children aged 0 to 17.",
    )
    cohort = forms.ChoiceField(
        label="Cohort (children looked after)",
        choices=[
            ("all", "All children"),
            ("uasc", "Unaccompanied asylum-seeking children (UASC) only"),
        ],
        required=False,
        initial="all",
    )
    stage = forms.ChoiceField(
        label="Stage (when the file does not say)",
        choices=[("", "As in the file"), *Stage.choices],
        required=False,
    )
    period = forms.RegexField(
        label="Period (wide authority files)",
        regex=r"^[0-9]{4}$",
        required=False,
        help_text="Default: the latest year in the file's column names.",
    )
    year = forms.IntegerField(
        label="Population year", required=False, min_value=1990, max_value=2100
    )
    age_band = forms.ChoiceField(
        label="Age band (a Census table without an age column)",
        choices=[("", "As in the file"), ("0-17", "0-17"), ("all", "All ages")],
        required=False,
        help_text="All-ages tables are kept for workforce comparisons; children's "
        "rates never use them.",
    )
    source = forms.CharField(
        label="Population source",
        required=False,
        max_length=60,
        help_text="Default: Census 2021, School census or ONS mid-year estimates, "
        "as the file's layout says.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB.")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload

    def clean(self):
        data = super().clean() or {}
        if data.get("cohort") == "uasc" and data.get("stage") not in ("", "CLA"):
            self.add_error("cohort", "Only children looked after have a UASC cohort.")
        return data


class LabelMappingForm(forms.Form):
    source = forms.ChoiceField(choices=LabelMapping.Source.choices)
    label = forms.CharField(max_length=200, label="Label as it appears in files")
    group = forms.ModelChoiceField(
        queryset=EthnicGroup.objects.all(), label="DfE ethnicity"
    )


class LocalAreaForm(forms.Form):
    code = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{2,20}$",
        max_length=20,
        label="Code",
        help_text="Your own short code, e.g. E10000012-N (letters, digits, - or _).",
    )
    name = forms.CharField(max_length=120)
    parent = forms.ModelChoiceField(
        queryset=Area.objects.filter(level=Area.Level.LOCAL_AUTHORITY),
        label="Local authority",
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        # the import template's example rows use it; it must never be real
        if code.upper() == "EXAMPLE":
            raise forms.ValidationError(
                "EXAMPLE is reserved for the import template's example rows."
            )
        return code


def _first_error(form: forms.Form) -> tuple[str, str]:
    """(field, its messages) of the first field in error, in field order."""
    name = next(n for n in form.fields if n in form.errors)
    return name, " ".join(str(e) for e in form.errors[name])


def _league_groups() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for level in ("major", "minor"):
        for code, label, major in taxonomy.level_groups(level):
            if major != taxonomy.UNKNOWN_MAJOR:
                seen.setdefault(code, label)
    return list(seen.items())


class LeagueForm(forms.Form):
    """The league's controls: period, stage, group, reference, home area."""

    period = forms.RegexField(regex=r"^[0-9]{4}(-Q[1-4])?$", required=False)
    stage = forms.ChoiceField(choices=Stage.choices, required=False)
    group = forms.ChoiceField(choices=_league_groups, required=False)
    reference = forms.ChoiceField(
        choices=[
            ("WBRI", "White British"),
            ("WHITE", "All White"),
            ("OTHERS", "All other children"),
        ],
        required=False,
    )
    area = forms.RegexField(regex=r"^[A-Za-z0-9-]{1,20}$", required=False)
    population = forms.ChoiceField(
        choices=[("census", "Census 2021 aged 0-17"), ("school", "School census")],
        required=False,
    )
    uasc = forms.ChoiceField(
        choices=[("include", "Include UASC"), ("exclude", "Exclude UASC")],
        required=False,
    )

    def clean_population(self):
        return self.cleaned_data["population"] or "census"

    def clean_uasc(self):
        return self.cleaned_data["uasc"] or "include"

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            for name in ("stage", "group", "reference"):
                if data.get(name):
                    data[name] = data[name].strip().upper()
        super().__init__(data, **kwargs)

    def clean_stage(self):
        return self.cleaned_data["stage"] or "CLA"

    def clean_group(self):
        return self.cleaned_data["group"] or "BLACK"

    def clean_reference(self):
        return self.cleaned_data["reference"] or "WBRI"

    def clean_area(self):
        return self.cleaned_data["area"] or settings.HOME_AREA_CODE

    def first_error(self) -> tuple[str, str]:
        name, message = _first_error(self)
        return name, f"{name}: {message}"


# --- The dashboard's controls ----------------------------------------------------

# what the database can hold and the imports store (a NUL would be a 500)
AREA_PATTERN = re.compile(r"[A-Za-z0-9-]{1,20}", re.ASCII)
PERIOD_PATTERN = re.compile(r"[0-9]{4}(-Q[1-4])?", re.ASCII)


class ControlField(forms.ChoiceField):
    """One of a few words (after ``case``: upper or lower case), with a default
    when left out; every error (a wrong word, a NUL) says the one message
    that names the parameter."""

    def __init__(self, choices, *, default: str, case: Callable[[str], str], message):
        super().__init__(
            choices=[(c, c) for c in choices],
            required=False,
            error_messages={"invalid_choice": message},
        )
        self.default, self.case = default, case

    def to_python(self, value) -> str:
        return self.case(super().to_python(value).strip()) or self.default


def _either(name: str, default: str, other: str) -> ControlField:
    """A lower-case choice of two words, the first by default."""
    return ControlField(
        (default, other),
        default=default,
        case=str.lower,
        message=f"{name} must be {default} or {other}",
    )


class DashboardForm(forms.Form):
    """The dashboard's, its CSVs' and the metrics API's controls. The cleaned
    data is final: the defaults that need the data (period, group) are
    resolved by ``dashboard.build`` into a new ``dashboard.Resolved``, never
    written here.

    Fields are checked in this order; the first error is the one reported."""

    level = ControlField(
        metrics.LEVELS,
        default="major",
        case=str,  # as written: lower case only
        message="level must be major or minor",
    )
    reference = ControlField(
        metrics.REFERENCES,
        default="WBRI",
        case=str.upper,
        message="reference must be WBRI, WHITE or OTHERS",
    )
    stage = ControlField(
        [value for value, _label in Stage.choices],
        default="CLA",
        case=str.upper,
        message=f"stage must be one of {', '.join(Stage.values)}",
    )
    area = forms.CharField(
        required=False,
        error_messages={"null_characters_not_allowed": "area must be an ONS area code"},
    )
    period = forms.CharField(
        required=False,
        error_messages={
            "null_characters_not_allowed": "period must be like 2024 or 2024-Q2"
        },
    )
    base = _either("base", "population", "previous")
    comparator = forms.CharField(
        required=False,
        error_messages={
            "null_characters_not_allowed": "comparator must be region, "
            "england, neighbours or an area code"
        },
    )
    population = _either("population", *populations.CHOICES)
    uasc = _either("uasc", "include", "exclude")
    group = forms.CharField(
        required=False,
        error_messages={"null_characters_not_allowed": "group must be a group code"},
    )

    def clean_area(self) -> str:
        area = self.cleaned_data["area"] or settings.HOME_AREA_CODE
        if not AREA_PATTERN.fullmatch(area):
            raise forms.ValidationError("area must be an ONS area code")
        return area

    def clean_period(self) -> str | None:
        period = self.cleaned_data["period"] or None
        if period and not PERIOD_PATTERN.fullmatch(period):
            raise forms.ValidationError("period must be like 2024 or 2024-Q2")
        return period

    def clean_comparator(self) -> str:
        comparator = self.cleaned_data["comparator"] or "england"
        if comparator.lower() in ("england", "region", "neighbours"):
            return comparator.lower()
        if not AREA_PATTERN.fullmatch(comparator):
            raise forms.ValidationError(
                "comparator must be region, england, neighbours or an area code"
            )
        return comparator

    def clean_group(self) -> str | None:
        return self.cleaned_data["group"].upper() or None

    def first_error(self) -> tuple[str, str]:
        """(parameter, message) of the first control in error; every message
        names its parameter."""
        return _first_error(self)
