"""Printing from the browser: the board summary is titled and dated, with no
blank page (Chromium's own print to PDF, read back with pdftotext)."""

import io
import shutil

import pytest

from programme.seed import seed_demo
from tests.board.conftest import pdf_pages, pdf_text

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", ["/programme/summary/", "/board/"])
def test_printed_page_is_titled_dated_and_has_no_blank_page(
    page, live_server, login, board_member, path
):
    seed_demo(stdout=io.StringIO())
    login(page, board_member)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    assert not page.locator("header.arp-header").is_visible()
    pdf = page.pdf(format="A4")
    first = _words(pdf_text(pdf, page=1))
    assert "Anti-Racist Practice programme" in first
    assert "Produced" in first
    pages = pdf_pages(pdf)
    for number in range(1, pages + 1):
        assert _words(pdf_text(pdf, page=number)), f"page {number} is blank"
