"""Demo tools from the programme's launch material. Safe to run twice.

Each tool is looked up by title and created only when missing. Files are
small generated documents so the demo opens something real; the podcast is a
link. Runs after the learning-spaces seed so the latest held session can say
which tools it used.
"""

import io
import zipfile
from datetime import date, datetime, time, timedelta
from xml.sax.saxutils import escape

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programme.models import Aspiration
from programme.tools import services
from programme.tools.models import Tool

P, M, L, FC, YP = (
    Tool.Audience.PRACTITIONERS,
    Tool.Audience.MANAGERS,
    Tool.Audience.LEADERS,
    Tool.Audience.FOSTER_CARERS,
    Tool.Audience.YOUNG_PEOPLE,
)

# title, kind, description, audiences, aspirations, authored by,
# versions: (file name or link, date, change note, lines of the document)
TOOLS = (
    (
        "Race, Ethnicity, Culture and Religion Thinking Tool",
        Tool.Kind.THINKING_TOOL,
        "Questions to think through a child's race, ethnicity, culture and "
        "religion before a visit and when writing an assessment or plan.",
        [P, M], [3, 6], "The anti-racist practice steering group",
        (
            ("recr-thinking-tool.pdf", date(2024, 1, 18), "First version.",
             ["What do I know about this family's ethnicity, culture and faith?",
              "What have I assumed? Who could I ask?"]),
            ("recr-thinking-tool.pdf", date(2025, 2, 3),
             "Adds prompts on recording the ethnicity and culture of carers.",
             ["What do I know about this family's ethnicity, culture and faith?",
              "How have I recorded the ethnicity and culture of carers?",
              "Stop, pause and consider the intent of a comment."]),
        ),
    ),
    (
        "Thinking tool developed by young people",
        Tool.Kind.THINKING_TOOL,
        "What young people in care want workers to ask about who they are, "
        "in their own words.",
        [P, FC], [3, 6], "Young people in care, with the Children in Care Council",
        (
            ("young-peoples-thinking-tool.pdf", date(2024, 10, 1), "First version.",
             ["Ask me what my culture means to me.",
              "Do not guess my ethnicity from my name."]),
        ),
    ),
    (
        "Culture and Ethnicity Prompt Sheet",
        Tool.Kind.PROMPT_SHEET,
        "A one-page prompt sheet for front door and early help workers: how to "
        "ask families about ethnicity and culture and record it in their words.",
        [P], [5, 6], "Front door and early help practitioners",
        (
            ("culture-and-ethnicity-prompt-sheet.docx", date(2024, 3, 5),
             "First version.",
             ["How would you describe your family's ethnicity?",
              "Is there anything about your culture or faith we should know?"]),
        ),
    ),
    (
        "Practice Guidance – Thinking Tools, Cultural Genogram Exemplars",
        Tool.Kind.EXEMPLAR,
        "Worked cultural genograms and guidance on using the thinking tools in "
        "assessments, supervision and care planning.",
        [P, M], [2, 6], "Principal social worker and practice educators",
        (
            ("cultural-genogram-exemplars.pdf", date(2025, 6, 30), "First version.",
             ["Exemplar 1: a cultural genogram across three generations.",
              "Exemplar 2: faith and community networks."]),
        ),
    ),
    (
        "Adultification Podcast",
        Tool.Kind.PODCAST,
        "A podcast with partners on adultification: how Black children can be "
        "seen as older and less in need of protection, and what to do about it.",
        [P, M, L, FC], [3], "Our safeguarding partners",
        (
            ("https://podcasts.example.org/arp/adultification", date(2025, 3, 12),
             "First episode.", None),
        ),
    ),
)  # fmt: skip


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and lines of text (Helvetica, A4)."""

    def text(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ascii_lines = [
        line.encode("latin-1", "replace").decode("latin-1") for line in lines
    ]
    ops = [f"BT /F1 16 Tf 56 780 Td ({text(title)}) Tj ET"]
    for i, line in enumerate(ascii_lines):
        ops.append(f"BT /F1 11 Tf 56 {740 - i * 20} Td ({text(line)}) Tj ET")
    stream = "\n".join(ops).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _docx(title: str, lines: list[str]) -> bytes:
    """A minimal Word document: one paragraph per line."""
    paragraphs = "".join(
        f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in [title, *lines]
    )
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension='
            '"rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application'
            '/xml"/><Override PartName="/word/document.xml" ContentType="application'
            '/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
            "/></Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
            'schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}">'
            f"<w:body>{paragraphs}</w:body></w:document>",
        )
    return buffer.getvalue()


def demo_file(name: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    content = _docx(title, lines) if name.endswith(".docx") else _pdf(title, lines)
    return SimpleUploadedFile(name, content)


def _version_fields(spec, title: str) -> dict:
    target, released_on, note, lines = spec
    if lines is None:
        return {"link": target, "released_on": released_on, "change_note": note}
    return {
        "file": demo_file(target, title, lines),
        "released_on": released_on,
        "change_note": note,
    }


def seed_demo(*, stdout) -> None:
    admin = get_user_model().objects.filter(username="admin").first()
    created = []
    for title, kind, description, audiences, numbers, authored_by, versions in TOOLS:
        if Tool.objects.filter(title=title).exists():
            continue
        first, *later = versions
        tool = services.tool_create(
            user=admin,
            title=title,
            description=description,
            kind=kind,
            audiences=audiences,
            aspirations=Aspiration.objects.filter(number__in=numbers),
            authored_by=authored_by,
            **_version_fields(first, title),
        )
        for spec in later:
            services.tool_version_add(
                tool=tool, user=admin, **_version_fields(spec, title)
            )
        tool.published_at = timezone.make_aware(datetime.combine(first[1], time(9)))
        tool.published_by = admin
        tool.save(update_fields=["published_at", "published_by"])
        created.append(tool)
    if not created:
        stdout.write("Practice tools: demo tools already present.")
        return
    _seed_downloads(created)
    linked = _link_latest_session(created)
    stdout.write(
        f"Practice tools: {len(created)} tools"
        + (f", linked to the session of {linked:%d %b %Y}." if linked else ".")
    )


def _seed_downloads(tools) -> None:
    """A plausible year of monthly download counts (no users, as in real use)."""
    from programme.tools.models import ToolDownloadMonth

    today = timezone.localdate().replace(day=1)
    rows = []
    for rank, tool in enumerate(tools):
        month = today
        for age in range(12):
            rows.append(
                ToolDownloadMonth(
                    tool=tool, month=month, downloads=max(0, 30 - 4 * rank - age)
                )
            )
            month = (month - timedelta(days=1)).replace(day=1)
    ToolDownloadMonth.objects.bulk_create(rows)


def _link_latest_session(tools):
    # Demo only: the programme reads learning spaces through their selectors.
    try:
        from learning_spaces.selectors import sessions_past
    except ImportError:  # pragma: no cover - the app is always installed here
        return None
    session = sessions_past().filter(status="held").order_by("-starts_at").first()
    if session is None:
        return None
    services.session_tools_set(
        session_id=session.pk, tool_ids=[t.pk for t in tools[:3]]
    )
    return timezone.localtime(session.starts_at)
