"""Every workforce URL against every role, and the rules behind them:

* only Staff support leads read reports: Programme admins (superusers too)
  who are not leads get 403 on every report URL, and nothing changes;
* the reporting form and follow-up are public;
* every other page shows disclosure-controlled aggregates only.
"""

import pytest

from arp import roles
from tests.access import LOGIN, assert_access, role_matrix
from tests.conftest import ANONYMOUS, make_user
from workforce.models import Report, ReportEntry, ReportView

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS

LEADS_ONLY = {ANONYMOUS: LOGIN, ADMINS: 403, STEERING: 403, BOARD: 403,
              PRACTITIONERS: 403, LEADS: 200}  # fmt: skip
LEADS_POST = {**LEADS_ONLY, LEADS: 302}
LEADS_GET_OF_POST = {**LEADS_ONLY, LEADS: 405}
VIEW = {**LEADS_ONLY, ADMINS: 200, STEERING: 200, BOARD: 200}
IMPORT = {**LEADS_ONLY, ADMINS: 200}
EVERYONE = dict.fromkeys((ANONYMOUS, *roles.GROUPS), 200)

CASES = [
    ("GET /workforce/report/", EVERYONE),
    ("GET /workforce/report/follow-up/", EVERYONE),
    ("POST /workforce/report/follow-up/leave/", dict.fromkeys(EVERYONE, 302)),
    # without a passcode check in this session: back to the passcode form
    ("POST /workforce/report/follow-up/reply/", dict.fromkeys(EVERYONE, 302)),
    ("POST /workforce/report/follow-up/respond/", dict.fromkeys(EVERYONE, 302)),
    ("GET /workforce/report/follow-up/reply/", dict.fromkeys(EVERYONE, 405)),
    ("GET /workforce/reports/", LEADS_ONLY),
    ("GET /workforce/reports/{report}/", LEADS_ONLY),
    ("POST /workforce/reports/{report}/acknowledge/", LEADS_POST),
    ("GET /workforce/reports/{report}/acknowledge/", LEADS_GET_OF_POST),
    ("POST /workforce/reports/{report}/assign/", LEADS_POST),
    ("POST /workforce/reports/{report}/note/", LEADS_POST),
    ("POST /workforce/reports/{report}/escalate/", LEADS_POST),
    ("POST /workforce/reports/{report}/propose/", LEADS_POST),
    ("POST /workforce/reports/{report}/close/", LEADS_POST),
    # issue 15: a report that is not there is a 404 for leads, 403 as ever
    # for everyone else (they may read no report at all)
    ("GET /workforce/reports/987654/", {**LEADS_ONLY, LEADS: 404}),
    ("POST /workforce/reports/987654/close/", {**LEADS_ONLY, LEADS: 404}),
    ("GET /workforce/", VIEW),
    ("GET /workforce/reports/summary.csv", VIEW),
    ("GET /workforce/api/measures/", VIEW),
    ("GET /workforce/measures.csv", VIEW),
    ("GET /workforce/imports/", IMPORT),
    ("GET /workforce/imports/template.csv", IMPORT),
    ("GET /workforce/imports/template.xlsx", IMPORT),
]

VALID_POSTS = {
    "acknowledge": {"message": "Thank you.", "next_step": "Call",
                    "next_step_due": "2099-01-01"},
    "note": {"text": "Spoke to the manager.", "shared": "internal"},
    "escalate": {"step": "HR grievance", "reason": "Not resolved."},
    "propose": {"summary": "We did this."},
    "close": {"outcome": "withdrawn", "summary": "Withdrawn at their request."},
}  # fmt: skip


@pytest.mark.parametrize("case,role,expected", role_matrix(CASES))
def test_access(client_for, users_by_role, report, case, role, expected):
    method, template = case.split(" ", 1)
    url = template.format(report=report.pk)
    action = url.rstrip("/").rsplit("/", 1)[-1]
    data = VALID_POSTS.get(action) if method == "POST" else None
    if action == "assign":
        data = {"lead": users_by_role[LEADS].pk}
    entries_before = ReportEntry.objects.count()
    assert_access(client_for(role), url, expected, method=method.lower(), data=data)
    if expected in (403, LOGIN):
        # a refused request writes nothing, and no view is recorded
        assert ReportEntry.objects.count() == entries_before
        assert not ReportView.objects.exists()


@pytest.mark.parametrize(
    "url", ["/workforce/reports/", "/workforce/reports/{pk}/"], ids=["list", "detail"]
)
def test_superuser_admin_who_is_not_a_lead_is_refused(
    client, django_user_model, report, url
):
    admin = make_user(
        django_user_model, "root", roles.PROGRAMME_ADMINS, is_superuser=True
    )
    client.force_login(admin)
    assert client.get(url.format(pk=report.pk)).status_code == 403
    assert not ReportView.objects.exists()


def test_admin_who_is_also_a_lead_reads_and_the_view_is_recorded(
    client, django_user_model, report
):
    person = make_user(django_user_model, "ama", roles.PROGRAMME_ADMINS)
    person.groups.add(roles_group(roles.STAFF_SUPPORT_LEADS))
    client.force_login(person)
    response = client.get(f"/workforce/reports/{report.pk}/")
    assert response.status_code == 200
    assert report.what_happened in response.content.decode()
    view = ReportView.objects.get()
    assert (view.report, view.viewer) == (report, person)
    assert view.viewed_at is not None


def test_admin_site_hides_reports_from_admins_who_are_not_leads(
    client, django_user_model, report
):
    admin = make_user(
        django_user_model, "root", roles.PROGRAMME_ADMINS, is_superuser=True,
        is_staff=True,
    )  # fmt: skip
    client.force_login(admin)
    url = f"/admin/workforce/report/{report.pk}/change/"
    assert client.get(url).status_code == 403
    assert client.get("/admin/workforce/report/").status_code == 403


def test_every_view_is_recorded(client_for, report, users_by_role):
    client = client_for(LEADS)
    client.get(f"/workforce/reports/{report.pk}/")
    client.get(f"/workforce/reports/{report.pk}/")
    assert (
        ReportView.objects.filter(report=report, viewer=users_by_role[LEADS]).count()
        == 2
    )


def test_lead_home_page_is_the_reports_list(client_for):
    response = client_for(LEADS).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/workforce/reports/"


def test_refused_acknowledge_changes_nothing(client_for, report):
    client_for(ADMINS).post(
        f"/workforce/reports/{report.pk}/acknowledge/", VALID_POSTS["acknowledge"]
    )
    report.refresh_from_db()
    assert report.status == Report.Status.NEW and report.acknowledged_on is None


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=name)[0]


def test_board_sees_only_suppressed_aggregates(client_for, make_report):
    from datetime import date

    secret = "UNIQUE-FREE-TEXT-42"
    for _ in range(3):
        make_report(answers={"what_happened": secret}, today=date(2026, 7, 1))
    client = client_for(BOARD)
    page = client.get("/workforce/").content.decode()
    assert secret not in page
    assert "2026 Q3" in page
    row = page[page.index("2026 Q3") : page.index("</tr>", page.index("2026 Q3"))]
    assert ">3<" not in row and "suppressed" in row
    csv_text = client.get("/workforce/reports/summary.csv").content.decode()
    assert "2026 Q3,suppressed" in csv_text
    assert secret not in csv_text
    for url in (
        "/workforce/reports/",
        f"/workforce/reports/{Report.objects.first().pk}/",
    ):
        assert client.get(url).status_code == 403
