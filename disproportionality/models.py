"""Figures by ethnicity: groups, areas, counts, populations, label mappings, imports."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from disproportionality import taxonomy


class Stage(models.TextChoices):
    CIN = "CIN", "Children in need"
    CP = "CP", "Child protection plans"
    CLA = "CLA", "Children looked after"
    # a flow, not a 31 March count: its own measure, never mixed with CLA
    CLA_START = "CLA_START", "Started to be looked after during the year"
    # unaccompanied asylum-seeking children looked after on 31 March: a cohort
    # within CLA, imported with --cohort uasc, subtracted by uasc=exclude
    CLA_UASC = "CLA_UASC", "Unaccompanied asylum-seeking children looked after"
    # local stages before CIN, from the council's own extract (local template)
    CONTACT = "CONTACT", "Contacts"
    REFERRAL = "REFERRAL", "Referrals"
    EH = "EH", "Early help"
    ASSESS = "ASSESS", "Assessments"


STAGE_SENTENCES = {
    "CIN": "to be a child in need",
    "CP": "to be on a child protection plan",
    "CLA": "to be looked after",
    "CLA_START": "to start to be looked after during the year",
    "CLA_UASC": "to be looked after as unaccompanied asylum-seeking children",
    "CONTACT": "to be the subject of a contact",
    "REFERRAL": "to be referred",
    "EH": "to receive early help",
    "ASSESS": "to be assessed",
}
# Published stages (DfE files) and the local ones only a council's extract has.
PUBLISHED_STAGES = ("CIN", "CP", "CLA", "CLA_START", "CLA_UASC")
# a cohort's stage: --cohort uasc stores CLA figures under CLA_UASC
COHORT_STAGES = {("CLA", "uasc"): "CLA_UASC"}
LOCAL_STAGES = ("CONTACT", "REFERRAL", "EH", "ASSESS")
STAGE_MAX_LENGTH = 10


class EthnicGroup(models.Model):
    """One of the DfE's 20 child-level ethnicity codes (WBRI … NOBT)."""

    code = models.CharField(max_length=4, primary_key=True)
    label = models.CharField(max_length=80)
    major_code = models.CharField(
        max_length=8, choices=list(taxonomy.MAJOR_LABELS.items())
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return f"{self.label} ({self.code})"

    @property
    def major_label(self) -> str:
        return taxonomy.MAJOR_LABELS[self.major_code]


class Area(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", "National"
        REGION = "region", "Region"
        # Inner and Outer London (E13…): parts of London, never a second London
        SUBREGION = "subregion", "Sub-region"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        LOCAL = "local", "Local area"

    code = models.CharField(
        "ONS code",
        max_length=20,
        primary_key=True,
        help_text="ONS code (e.g. E10000012), or your own code for a local area.",
    )
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Part of the data version that keys the dashboard cache (selectors.data_version):
    # a local area added or renamed by hand must not leave a stale cached page.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# largest first, as Area.Level lists them: parents before children
LEVEL_ORDER = {level: i for i, level in enumerate(Area.Level.values)}


class AreaAlias(models.Model):
    """An authority's old three-digit DfE code (e.g. 881 for Essex).

    Not unique: an old code can outlive an ONS code (Gateshead, 390, was
    E08000020 and is E08000037). ``seen_until`` is the latest period a file
    named the pair, so the current area wins when an old code is resolved.
    """

    code = models.CharField(max_length=3)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="aliases")
    seen_until = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "area"], name="dp_alias_unique")
        ]

    def __str__(self):
        return f"{self.code} → {self.area_id}"


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        FIGURES = "figures", "CIN / CP / CLA figures"
        POPULATION = "population", "Population"
        NEIGHBOURS = "neighbours", "Statistical neighbours"
        AREAS = "areas", "Area hierarchy (regions, old codes)"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Importing"
        SUCCEEDED = "succeeded", "Imported"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    file = models.FileField(upload_to="disproportionality/imports/", blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    format_detected = models.CharField(max_length=40, blank=True)
    stage = models.CharField(max_length=STAGE_MAX_LENGTH, choices=Stage, blank=True)
    period_override = models.CharField(max_length=10, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    age_band = models.CharField(max_length=10, blank=True)
    population_source = models.CharField(max_length=60, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_ignored = models.PositiveIntegerField(default=0)
    rows_outside_england = models.PositiveIntegerField(default=0)
    suppressed_cells = models.PositiveIntegerField(default=0)
    areas_created = models.PositiveIntegerField(default=0)
    areas_renamed = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    changed_cells = models.JSONField(
        default=list, blank=True, help_text="Cells a re-import changed (first 50)."
    )
    is_demo = models.BooleanField(
        default=False, help_text="Synthetic demonstration data, not real figures."
    )
    label_rows = models.JSONField(
        default=dict,
        blank=True,
        help_text="Outside ethnicity label → [DfE code, rows, children] (local "
        "template imports), for the label-mapping page.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {
            self.Status.SUCCEEDED,
            self.Status.REJECTED,
            self.Status.FAILED,
        }


class EthnicityCount(models.Model):
    """Children at a stage, in an area and period, of one ethnic group.

    A suppressed or unavailable figure has ``count`` NULL and keeps its marker
    (c, x, z, k, u, low, :, .., .) — it is never stored as 0.

    A major-group-only count (e.g. "White 817" in DfE's older authority files)
    has no ``group`` and names its ``major_code``: a total without its parts.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="counts")
    period = models.CharField(
        max_length=10, help_text="2024 (as at 31 March 2024) or 2024-Q2."
    )
    period_end = models.DateField()
    stage = models.CharField(max_length=STAGE_MAX_LENGTH, choices=Stage)
    group = models.ForeignKey(
        EthnicGroup, null=True, blank=True, on_delete=models.PROTECT
    )
    major_code = models.CharField(
        max_length=8,
        blank=True,
        choices=list(taxonomy.MAJOR_LABELS.items()),
        help_text="Set only for a major-group-only count (no group).",
    )
    count = models.PositiveIntegerField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    marker = models.CharField(max_length=4, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "period", "stage", "group"],
                name="dp_count_unique_cell",
            ),
            models.UniqueConstraint(
                fields=["area", "period", "stage", "major_code"],
                condition=Q(group__isnull=True),
                name="dp_count_unique_major_cell",
            ),
            models.CheckConstraint(
                condition=Q(suppressed=True, count__isnull=True)
                | Q(suppressed=False, count__isnull=False),
                name="dp_count_suppressed_is_null",
            ),
            models.CheckConstraint(
                condition=Q(group__isnull=False, major_code="")
                | (Q(group__isnull=True) & ~Q(major_code="")),
                name="dp_count_group_or_major",
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "period"], name="dp_count_stage_period"),
            models.Index(fields=["area", "stage", "period_end"], name="dp_count_trend"),
            models.Index(fields=["period_end", "stage"], name="dp_count_period"),
        ]

    def __str__(self):
        group = self.group_id or self.major_code
        return f"{self.area_id} {self.period} {self.stage} {group}"


class Population(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=60, default="Census 2021")
    age_band = models.CharField(
        max_length=10,
        help_text="0-17 (children), pupils (school census) or all (all ages: "
        "never a children's denominator).",
    )
    group = models.ForeignKey(EthnicGroup, on_delete=models.PROTECT)
    population = models.PositiveIntegerField()
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "source", "age_band", "group"],
                name="dp_population_unique_cell",
            )
        ]

    def __str__(self):
        return f"{self.area_id} {self.year} {self.age_band} {self.group_id}"


class MidYearEstimate(models.Model):
    """ONS mid-year (30 June) estimate of an area's children aged 0 to 17, all
    ethnic groups together: the base of DfE's rates per 10,000 and the total
    the Census 2021 0–17 ethnic mix is scaled to for each year."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="Mid-year: 30 June of this year.")
    age_band = models.CharField(max_length=10, default="0-17")
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=60, default="ONS mid-year estimates")
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["area", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "age_band"], name="dp_mid_year_unique"
            )
        ]

    def __str__(self):
        return f"{self.area_id} mid-{self.year} {self.age_band}: {self.population}"


class StatisticalNeighbour(models.Model):
    """One of an authority's ten nearest statistical neighbours (DfE model)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    neighbour = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    closeness = models.CharField(max_length=40, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["area", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["area", "rank"], name="dp_neighbour_rank")
        ]

    def __str__(self):
        return f"{self.area_id} #{self.rank}: {self.neighbour_id}"


class LabelMapping(models.Model):
    class Source(models.TextChoices):
        DFE = "dfe", "DfE publication"
        ONS = "ons", "ONS census"
        LOCAL = "local", "Case-management system (e.g. Mosaic)"

    source = models.CharField(max_length=8, choices=Source.choices)
    label = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200, editable=False)
    group = models.ForeignKey(EthnicGroup, on_delete=models.PROTECT)

    class Meta:
        ordering = ["source", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "normalised"], name="dp_mapping_unique_label"
            )
        ]

    def __str__(self):
        return f"{self.label} → {self.group_id}"

    def save(self, *args, **kwargs):
        self.normalised = taxonomy.normalise_label(self.label)
        super().save(*args, **kwargs)
