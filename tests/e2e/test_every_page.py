"""Every page of every role, in the demo data, in a real browser.

One seeded database and one live server serve the whole module (seeding and
a server per test would cost minutes). For each role the suite signs in and
walks every page it can reach by following links from its home page, at
1280 px, and checks on each page:

- the page answered (no 4xx/5xx) and logged no console error or uncaught
  exception (a chart script that runs before plotly.js is one);
- every chart (``<script id="fig-NAME">``) was drawn into ``#chart-NAME``;
- axe-core finds no violation of impact "serious" or "critical";
- the page does not scroll sideways, and on the insights and dashboard pages
  no table is clipped (every ``.table-responsive`` fits).

The practitioners' journey (their pages, the public feedback form, the
sign-in page) is walked again at 390 px, a phone, where nothing may scroll
sideways. A page that fails is photographed into var/test-results/every-page/.

axe-core is vendored in tests/e2e/vendor/axe-core (MPL-2.0, licence beside it).
"""

import io
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import Resolver404, resolve
from pytest_django.live_server_helper import LiveServer

from arp import roles
from arp.management.commands.seed_demo import DEMO_USERS
from tests.conftest import restore_migration_data

# django_db (not transactional): the tests only read, inside a transaction; the
# module's seeded data is committed before it and flushed after the module.
# The last test reads what every role's walk reached (a module fixture), so
# the module runs in one process: make test's workers take whole files.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "var" / "test-results" / "every-page"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LEAD = ("lead", "Lola Mensah", roles.STAFF_SUPPORT_LEADS, "arp-demo-lead")
# Views that answer with a file, not a page, or are not ours to check.
NOT_PAGES = re.compile(
    r"(csv|xlsx|pdf|ics|qr|export|evidence|template|download|tool_open|status"
    r"|api_metrics"
    r"|healthz|logout)",
)
SKIP_PATHS = ("/admin/", "/static/", "/media/")
# Instances of one view to open per role: one achievement's page stands for
# all (a second one costs time and finds nothing new).
PER_VIEW = 1
# Pages where a table scrolling inside its box would be clipping at 1280 px.
MUST_FIT = ("learning_spaces:insights", "disproportionality:dashboard")
BAD_IMPACTS = ("serious", "critical")
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"

AXE_RUN = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => impacts.includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(" "))}));
}"""

OVERFLOW = """() => {
  const doc = document.documentElement;
  const clipped = [...document.querySelectorAll(".table-responsive")]
    .filter(el => el.scrollWidth > el.clientWidth + 1)
    .map(el => (el.querySelector("caption") || el).textContent.trim().slice(0, 60));
  return {page: doc.scrollWidth - doc.clientWidth, clipped: clipped};
}"""

CHARTS = """() => [...document.querySelectorAll('script[id^="fig-"]')]
  .filter(s => s.type === "application/json")
  .map(s => s.id.slice(4))
  .filter(name => !document.querySelector("#chart-" + name + " .main-svg"))"""


@dataclass
class Walk:
    """What one role's walk saw: the pages opened and every problem found."""

    label: str
    opened: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    views: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _view_name(url: str) -> str | None:
    path = urlsplit(url).path
    if path.startswith(SKIP_PATHS):
        return None
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:80] or "home"


def _check(
    page, walk: Walk, url: str | None, *, phone: bool, errors: list[str]
) -> None:
    """Open ``url`` (None: check the page as it is) and record its problems."""
    started = time.monotonic()
    if url is None:
        url = page.url
    else:
        errors.clear()
        response = page.goto(url, wait_until="load")
        status = response.status if response else 0
        if status >= 400:
            errors.append(f"answered HTTP {status}")
    problems = []
    name = _view_name(page.url) or page.url
    try:
        page.wait_for_function(
            "() => document.readyState === 'complete'", timeout=10_000
        )
        page.wait_for_timeout(50)
        if page.evaluate("() => !!document.querySelector('script[id^=\"fig-\"]')"):
            page.wait_for_function(
                "() => [...document.querySelectorAll('script[id^=\"fig-\"]')]"
                ".every(s => !document.getElementById('chart-' + s.id.slice(4))"
                " || document.querySelector('#chart-' + s.id.slice(4) + ' .main-svg'))",
                timeout=10_000,
            )
    except Exception:  # noqa: S110 - a chart not drawn is reported just below
        pass
    undrawn = page.evaluate(CHARTS)
    if undrawn:
        problems.append(f"charts not drawn: {', '.join(undrawn)}")
    overflow = page.evaluate(OVERFLOW)
    if overflow["page"] > 0:
        problems.append(f"scrolls sideways by {overflow['page']} px")
    if not phone and name in MUST_FIT and overflow["clipped"]:
        problems.append(f"tables clipped at 1280 px: {overflow['clipped']}")
    page.add_script_tag(path=str(AXE))
    for v in page.evaluate(AXE_RUN, list(BAD_IMPACTS)):
        problems.append(f"axe {v['impact']} {v['id']} ({v['help']}): {v['nodes']}")
    problems += [f"console: {e}" for e in errors]
    walk.opened.append(url)
    walk.seconds[url] = time.monotonic() - started
    if problems:
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"{_slug(walk.label)}-{_slug(urlsplit(url).path)}.png"
        page.screenshot(path=str(shot), full_page=True)
        walk.problems += [f"{url} [{walk.label}]: {p}" for p in problems]


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        href = href.split("#")[0]
        if href.startswith(origin) and href not in found:
            found.append(href)
    return found


def _walk(page, origin: str, walk: Walk, starts, *, phone: bool) -> Walk:
    """Open ``starts`` and every page reachable from them by links."""
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" else None,
    )
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    queue, queued = list(starts), set(starts)
    while queue:
        url = queue.pop(0)
        _check(page, walk, url, phone=phone, errors=errors)
        name = _view_name(page.url)
        if name:
            walk.views[name] = walk.views.get(name, 0) + 1
        for link in _links(page, origin):
            view = _view_name(link)
            if view is None or NOT_PAGES.search(view) or link in queued:
                continue
            if sum(1 for u in queued if _view_name(u) == view) >= PER_VIEW:
                continue
            queued.add(link)
            queue.append(link)
    return walk


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo data in the test database and a live server, for the module."""
    # the tests' settings hash passwords with MD5 (tests/conftest.py), so the
    # demo passwords must be hashed the same way to sign in with them
    fast = override_settings(PASSWORD_HASHERS=[MD5])
    with django_db_blocker.unblock(), fast:
        server = None
        try:
            restore_migration_data()
            # seed_demo makes the demo lead (LEAD) with the other demo logins
            call_command("seed_demo", force=True, stdout=io.StringIO())
            lead = get_user_model().objects.get(username=LEAD[0])
            assert lead.groups.filter(name=LEAD[2]).exists()
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            yield server
        finally:
            if server is not None:
                server._live_server_modified_settings.disable()
                server.stop()
            # leave the database as the migrations left it, for the next tests,
            # even when the set-up itself failed
            call_command("flush", interactive=False, verbosity=0)
            restore_migration_data()


def _sign_in(browser, site, username: str, password: str, viewport):
    # bypass_csp: axe is injected as an inline script; the pages' own scripts
    # are all files, which a Content-Security-Policy allows anyway
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{site.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"
    return context, page


ROLE_USERS = {group: (name, pw) for name, _full, group, pw in (*DEMO_USERS, LEAD)}


def _timings(walk: Walk) -> None:
    slow = sorted(walk.seconds.items(), key=lambda kv: -kv[1])[:3]
    total = sum(walk.seconds.values())
    print(f"\n{walk.label}: {len(walk.opened)} pages in {total:.1f}s; slowest:")
    for url, seconds in slow:
        print(f"  {seconds:5.1f}s {urlsplit(url).path}?{urlsplit(url).query}")


def _report(walk: Walk) -> str:
    return f"{len(walk.problems)} problem(s) on {len(walk.opened)} pages:\n" + (
        "\n".join(walk.problems)
    )


@pytest.mark.parametrize("role", roles.GROUPS)
def test_every_page_of_each_role(browser, demo_site, role, every_page_views):
    username, password = ROLE_USERS[role]
    context, page = _sign_in(browser, demo_site, username, password, DESKTOP)
    try:
        walk = _walk(
            page,
            demo_site.url,
            Walk(f"{role} 1280"),
            [f"{demo_site.url}/", *_extra_pages(demo_site.url, role)],
            phone=False,
        )
    finally:
        context.close()
    every_page_views.update(walk.views)
    _timings(walk)
    assert len(walk.opened) >= 2
    assert not walk.problems, _report(walk)


def _extra_pages(origin: str, role: str) -> list[str]:
    """States no link leads to: other controls on the dashboard, and the
    children's answers of a Proud to be Me session (the walk opens one session
    page per view, which need not be that space's)."""
    if role == roles.BOARD:
        dashboard = f"{origin}/disproportionality/"
        return [
            f"{dashboard}?level=minor&stage=CP",
            f"{dashboard}?area=E92000001&reference=OTHERS",
        ]
    if role == roles.STEERING_GROUP:
        from learning_spaces.models import LearningSession

        session = (
            LearningSession.objects.filter(space__audience="proud_to_be_me")
            .order_by("-starts_at")
            .first()
        )
        if session is not None:
            return [f"{origin}/learning-spaces/sessions/{session.pk}/children/"]
    return []


@pytest.fixture(scope="module")
def every_page_views():
    return {}


def _open_feedback_path() -> str:
    from django.utils import timezone

    from learning_spaces.models import LearningSession

    session = (
        LearningSession.objects.filter(
            starts_at__lte=timezone.now(), status__in=["planned", "held"]
        )
        .order_by("-starts_at")
        .first()
    )
    assert session is not None and session.feedback_state() == "open"
    return session.feedback_path()


def test_practitioner_journey_on_a_phone(browser, demo_site):
    feedback = _open_feedback_path()
    username, password = ROLE_USERS[roles.PRACTITIONERS]
    context, page = _sign_in(browser, demo_site, username, password, PHONE)
    try:
        walk = _walk(
            page, demo_site.url, Walk("Practitioners 390"), [f"{demo_site.url}/"],
            phone=True,
        )  # fmt: skip
    finally:
        context.close()
    # The public feedback form, as a practitioner opens it from the QR code,
    # and again after sending it empty (the error summary).
    anonymous = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = anonymous.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        for url in (f"{demo_site.url}/accounts/login/", f"{demo_site.url}{feedback}"):
            _check(page, walk, url, phone=True, errors=errors)
        page.get_by_role("button", name="Send feedback").click()
        page.wait_for_load_state("load")
        assert page.locator("#error-summary").is_visible()
        focused = page.evaluate("() => document.activeElement.id")
        assert focused == "error-summary"  # static/js/error-summary.js ran
        # the answer is a 400 (the browser logs that); check the rest
        errors[:] = [e for e in errors if "status of 400" not in e]
        _check(page, walk, None, phone=True, errors=errors)
    finally:
        anonymous.close()
    assert not walk.problems, _report(walk)


# Pages every walk together must reach: each GET page in the URL map.
UNREACHABLE_BY_LINK = {
    # POST-only actions and forms reached only by a button
    "programme:achievement_submit",
    "programme:achievement_publish",
    "programme:achievement_return",
    "programme:action_status",
    "programme:reading_create",
    "programme:training_record",
    "learning_spaces:space_schedule",
    "learning_spaces:session_mark_held",
    "learning_spaces:session_cancel",
    "learning_spaces:response_promote",
    "disproportionality:mapping_delete",
    "disproportionality:import_retry",
    "programme:audit_to_action",
    "programme:audit_to_lesson",
    "programme:meeting_decision_add",
    "programme:tool_publish",
    "programme:tool_withdraw",
    # files, not pages: the league's JSON and a meeting's stored PDF
    "disproportionality:api_league",
    "programme:meeting_pack",
    # public, signed-out pages (the phone test opens the feedback form)
    "learning_spaces:feedback",
    "learning_spaces:feedback_thanks",
}


def test_the_walks_reached_every_page(browser, every_page_views):
    """After the role walks: any page in the URL map none of them opened.

    ``browser`` keeps this test in the same (chromium) parametrisation as the
    walks, so pytest runs it after them, in file order.
    """
    from django.urls import get_resolver

    if len(every_page_views) == 0:
        pytest.skip("the role walks did not run")
    names = set()
    for app in ("programme", "learning_spaces", "disproportionality"):
        app_resolver = get_resolver().namespace_dict[app][1]
        names |= {f"{app}:{n}" for n in app_resolver.reverse_dict if isinstance(n, str)}
    pages = {
        n for n in names if not NOT_PAGES.search(n) and n not in UNREACHABLE_BY_LINK
    }
    missing = sorted(pages - set(every_page_views))
    assert not missing, f"no walk opened: {missing}"
