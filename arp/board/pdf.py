"""The board pack as an A4 PDF, rendered by WeasyPrint from the pack template.

Tagged (document structure, language ``en-GB``) with the pack's title in the
document information; charts are inline SVG, so nothing is fetched.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string

from arp.board.charts import pack_charts
from arp.board.composition import BoardPackContent

# WeasyPrint logs every layout step at INFO; only its warnings matter here.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def pack_html(content: BoardPackContent) -> str:
    """The pack as one HTML document; links are absolute (``SITE_URL``)."""
    context = {
        "pack": content,
        "charts": pack_charts(content),
        "site": settings.SITE_URL.rstrip("/"),
    }
    return render_to_string("board/pack_pdf.html", context)


def render_pdf(content: BoardPackContent) -> bytes:
    import weasyprint  # imported here: loading Pango is slow and only PDFs need it

    document = weasyprint.HTML(string=pack_html(content), base_url=None)
    return document.write_pdf(pdf_tags=True, uncompressed_pdf=False)


def filename(content: BoardPackContent, extension: str) -> str:
    day = content.meeting.held_on if content.meeting else content.period.end
    return f"board-pack-{day:%Y-%m-%d}.{extension}"
