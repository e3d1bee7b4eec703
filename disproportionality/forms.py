from django import forms
from django.conf import settings

from disproportionality import taxonomy
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
        data = super().clean()
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


def _league_groups():
    seen = {}
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
        name, errors = next(iter(self.errors.items()))
        return name, f"{name}: {' '.join(errors)}"
