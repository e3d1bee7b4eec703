"""Practice tools, their versions, anonymous download counts and session links."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from arp.roles import user_can

USER = settings.AUTH_USER_MODEL


class ToolQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Those who manage tools see drafts too; everyone else published tools."""
        if user_can(user, "programme.tools_manage"):
            return self
        return self.filter(published_at__isnull=False)


class Tool(models.Model):
    class Kind(models.TextChoices):
        THINKING_TOOL = "thinking_tool", "Thinking tool"
        PROMPT_SHEET = "prompt_sheet", "Prompt sheet"
        EXEMPLAR = "exemplar", "Exemplar"
        GUIDANCE = "guidance", "Guidance"
        RECORDING = "recording", "Recording"
        PODCAST = "podcast", "Podcast"
        LINK = "link", "Link"

    class Audience(models.TextChoices):
        PRACTITIONERS = "practitioners", "Practitioners"
        MANAGERS = "managers", "Managers"
        LEADERS = "leaders", "Leaders"
        FOSTER_CARERS = "foster_carers", "Foster carers"
        YOUNG_PEOPLE = "young_people", "Young people"

    title = models.CharField(max_length=200)
    description = models.TextField(help_text="A short description: what it is for.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    aspirations = models.ManyToManyField(
        "programme.Aspiration", blank=True, related_name="tools"
    )
    authored_by = models.CharField(
        "Authored or co-produced by", max_length=200, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The achievement recorded when the tool was published, if any.
    achievement = models.ForeignKey(
        "programme.Achievement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tools",
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ToolQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programme:tool_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def audience_values(self) -> list[str]:
        return [row.audience for row in self.audience_rows.all()]

    def audience_labels(self) -> list[str]:
        labels = dict(self.Audience.choices)
        order = list(labels)
        return [labels[v] for v in sorted(self.audience_values(), key=order.index)]


# django-simple-history files the historical model under the app's package
# ("programme") when the model lives outside programme/models.py; point it at
# this module, where it is defined, so imports by name (the shell) find it.
Tool.history.model.__module__ = __name__


class ToolAudience(models.Model):
    """One audience a tool is for (a tool may serve several)."""

    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="audience_rows"
    )
    audience = models.CharField(max_length=20, choices=Tool.Audience.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "audience"], name="tool_audience_once"
            )
        ]
        indexes = [models.Index(fields=["audience", "tool"])]

    def __str__(self):
        return f"{self.tool}: {self.get_audience_display()}"


class ToolVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Versions of the tools this user may see."""
        return self.filter(tool__in=Tool.objects.visible_to(user))


class ToolVersion(models.Model):
    """One version of a tool: a file or an external link, never both.

    Versions are only ever added; the highest number is the current one.
    """

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(
        upload_to="programme/tools/%Y/%m/", max_length=255, blank=True
    )
    link = models.URLField(max_length=500, blank=True)
    released_on = models.DateField()
    change_note = models.TextField()
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ToolVersionQuerySet.as_manager()

    class Meta:
        ordering = ["tool", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "number"], name="tool_version_number"
            ),
            models.CheckConstraint(
                condition=Q(~Q(file=""), link="") | Q(~Q(link=""), file=""),
                name="tool_version_file_or_link",
            ),
        ]

    def __str__(self):
        return f"{self.tool} v{self.number}"

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    @property
    def extension(self) -> str:
        name = (self.file.name or "") if self.file else ""
        return name.rsplit(".", 1)[-1].upper() if "." in name else ""


class ToolDownloadMonth(models.Model):
    """How many times a tool was opened in a calendar month.

    Deliberately no user, address, browser or time of day: the programme
    sees which tools are used, never who used them.
    """

    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="download_months"
    )
    month = models.DateField(help_text="The first day of the month.")
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["tool", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "month"], name="tool_download_month"
            )
        ]

    def __str__(self):
        return f"{self.tool}, {self.month:%b %Y}: {self.downloads}"


class SessionTool(models.Model):
    """A tool used in a learning-space session.

    Keyed by the session's id rather than a foreign key so the programme
    never imports the learning_spaces app's models; learning_spaces sets and
    reads these links through ``programme.tools.services`` and ``selectors``.
    """

    session_id = models.PositiveIntegerField(db_index=True)
    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="session_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session_id", "tool"], name="session_tool_once"
            )
        ]

    def __str__(self):
        return f"Session {self.session_id}: {self.tool}"
