"""Builders for practice tools tests (plain functions; fixtures in conftest)."""

import io
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programme.models import Aspiration
from programme.tools import services
from programme.tools.models import Tool

PDF_V1 = b"%PDF-1.7\n% version one\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF_V2 = b"%PDF-1.7\n% version two\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ooxml_bytes(main_part: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def pdf(name="tool.pdf", content=PDF_V1):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_tool(
    user,
    *,
    title="Race, Ethnicity, Culture and Religion Thinking Tool",
    published=True,
    file=None,
    link="",
    kind=Tool.Kind.THINKING_TOOL,
    audiences=(Tool.Audience.PRACTITIONERS,),
    aspiration_numbers=(6,),
    description="Questions to think through before a visit.",
    authored_by="",
):
    if not file and not link:
        file = pdf()
    tool = services.tool_create(
        user=user,
        title=title,
        description=description,
        kind=kind,
        audiences=list(audiences),
        aspirations=Aspiration.objects.filter(number__in=aspiration_numbers),
        authored_by=authored_by,
        file=file,
        link=link,
        released_on=date(2024, 1, 18),
    )
    if published:
        tool.published_at = timezone.now()
        tool.save()
    return tool
