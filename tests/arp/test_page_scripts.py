"""Issue 13: no page runs an inline script, and charts load after plotly.

Inline chart scripts ran before plotly.js had loaded ("Plotly is not
defined": every indicator chart was blank), and a Content-Security-Policy of
script-src 'self' refuses them anyway. Every script is a static file; chart
data travels as ``<script type="application/json">``.
"""

import io
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from arp import roles
from disproportionality.models import ImportBatch

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS
pytestmark = pytest.mark.django_db


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []  # (src or None, type, body)
        self._open = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            attrs = dict(attrs)
            self._open = [attrs.get("src"), attrs.get("type") or "", ""]

    def handle_data(self, data):
        if self._open is not None:
            self._open[2] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.found.append(tuple(self._open))
            self._open = None


def _scripts(response):
    parser = Scripts()
    parser.feed(response.content.decode())
    return parser.found


def _assert_no_inline_script(response):
    assert response.status_code in (200, 400), response.status_code
    scripts = _scripts(response)
    inline = [s for s in scripts if not s[0] and s[1] != "application/json"]
    assert inline == [], inline
    sources = [s[0] for s in scripts if s[0]]
    if any("js/charts.js" in s for s in sources):
        plotly = next(i for i, s in enumerate(sources) if "plotly.min.js" in s)
        charts = next(i for i, s in enumerate(sources) if "js/charts.js" in s)
        assert plotly < charts
    return scripts


@pytest.fixture
def demo(db):
    from arp.management.commands.seed_demo import Command

    Command(stdout=io.StringIO()).handle(force=True)


def test_chart_pages_have_no_inline_script(client_for, demo):
    from programme.models import Indicator

    indicator = Indicator.objects.filter(readings__isnull=False).first()
    pages = {
        BOARD: [
            f"/programme/indicators/{indicator.pk}/",
            "/disproportionality/",
            "/disproportionality/?level=minor&stage=CP",
            "/learning-spaces/insights/",
            "/programme/",
            "/programme/summary/",
        ],
        ADMINS: ["/disproportionality/unsuppressed/", "/disproportionality/imports/"],
        PRACTITIONERS: ["/learning-spaces/"],
    }
    charted = 0
    for role, urls in pages.items():
        client = client_for(role)
        for url in urls:
            scripts = _assert_no_inline_script(client.get(url))
            charted += any(s[1] == "application/json" for s in scripts)
    assert charted >= 4  # indicator, dashboard (twice), insights carry charts


def test_import_progress_and_feedback_errors_use_static_scripts(client_for, db):
    from learning_spaces.models import LearningSession, Space

    batch = ImportBatch.objects.create(kind="figures", file_name="x.csv")
    page = client_for(ADMINS).get(f"/disproportionality/imports/{batch.pk}/")
    scripts = _assert_no_inline_script(page)
    assert any(s[0] and "js/import-progress.js" in s[0] for s in scripts)
    assert (
        f'data-status-url="/disproportionality/imports/{batch.pk}/status/"'
        in page.content.decode()
    )

    space = Space.objects.create(name="Space", audience="practitioners")
    starts = timezone.now() - timedelta(hours=1)
    session = LearningSession.objects.create(
        space=space, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    client = client_for("anonymous")
    form = client.get(session.feedback_path())
    client.cookies.update(form.cookies)
    token = form.context["form_token"]
    errors = client.post(session.feedback_path(), {"form_token": token})
    assert b'id="error-summary"' in errors.content
    scripts = _assert_no_inline_script(errors)
    assert any(s[0] and "js/error-summary.js" in s[0] for s in scripts)
    assert not session.responses.exists()
