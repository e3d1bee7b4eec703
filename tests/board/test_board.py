"""The governance board's page, PDF and XLSX: access, sections, query counts,
disclosure control, and the stored pack of record."""

import hashlib
import io
from datetime import date, timedelta
from html import unescape

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from arp import roles
from arp.board import composition
from disproportionality.models import EthnicityCount
from learning_spaces import selectors as ls_selectors
from programme import selectors as programme_selectors
from programme import services as programme_services
from programme.models import (
    Achievement,
    Action,
    Aspiration,
    BoardPack,
    BoardPackImmutable,
    Indicator,
    Meeting,
)
from tests.access import LOGIN, assert_access, role_matrix
from tests.board.conftest import (
    needs_poppler,
    pdf_info,
    pdf_objects_text,
    pdf_pages,
    pdf_text,
)
from tests.conftest import ANONYMOUS

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS
pytestmark = pytest.mark.django_db

VIEW = {ANONYMOUS: LOGIN, ADMINS: 200, STEERING: 200, BOARD: 200, PRACTITIONERS: 403,
        LEADS: 403}  # fmt: skip
POST_ONLY_CONTRIBUTE = {**VIEW, ADMINS: 405, STEERING: 405, BOARD: 403}

CASES = [
    ("/board/", VIEW),
    ("/board/?start=2026-01-01&end=2026-06-30", VIEW),
    ("/board/?meeting={meeting}", VIEW),
    ("/board/pack.pdf", VIEW),
    ("/board/pack.xlsx", VIEW),
    ("/board/meetings/{meeting}/pack/", POST_ONLY_CONTRIBUTE),
]

HEADINGS = [heading for _key, heading in composition.SECTIONS]


@pytest.fixture
def board_meeting(db):
    return Meeting.objects.create(kind="board", held_on=date(2026, 9, 1))


def _text(value: str) -> str:
    return " ".join(value.split())


@pytest.mark.parametrize("url,role,expected", role_matrix(CASES))
def test_access_matrix(client_for, board_meeting, url, role, expected):
    assert_access(client_for(role), url.format(meeting=board_meeting.pk), expected)


def test_every_board_url_is_in_the_matrix():
    from arp.board.urls import urlpatterns

    covered = {url.split("?")[0] for url, _ in CASES}
    for pattern in urlpatterns:
        route = "/board/" + str(pattern.pattern).replace("<int:pk>", "{meeting}")
        assert route in covered, f"{pattern.name} has no row in the access matrix"


@pytest.mark.parametrize("role", [PRACTITIONERS, LEADS, BOARD, ANONYMOUS])
def test_only_contributors_store_a_pack(client_for, board_meeting, role):
    response = client_for(role).post(f"/board/meetings/{board_meeting.pk}/pack/")
    assert response.status_code in (302, 403)
    if role == ANONYMOUS:
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403
    assert not BoardPack.objects.exists()


# --- The page ---


def _grow(n: int) -> None:
    """More of everything the page lists: the query count must not move."""
    steering = programme_selectors.contributors().first()
    aspiration = Aspiration.objects.get(number=2)
    today = timezone.localdate()
    for i in range(n):
        achievement = Achievement.objects.create(
            title=f"Extra achievement {i}", summary="s", achieved_on=today,
            reach=["national", "regional", "countywide", "local"][i % 4],
            status="published", created_by=steering,
        )  # fmt: skip
        achievement.aspirations.set([aspiration])
        Action.objects.create(
            title=f"Overdue action {i}", aspiration=aspiration, owner=steering,
            due_on=today - timedelta(days=i + 1), status="off_track",
            corrective_action="Catch up",
        )  # fmt: skip
        indicator = Indicator.objects.create(
            key=f"extra-{i}", aspiration=aspiration, name=f"Extra indicator {i}",
            unit="count", target_value=100, baseline_value=0,
        )  # fmt: skip
        for j, value in enumerate((50, 40)):
            programme_services.indicator_record_reading(
                indicator=indicator, value=value, taken_on=today - timedelta(days=j)
            )
    last = Meeting.objects.filter(kind="board", held_on__lte=today).first()
    for i in range(n):
        programme_services.meeting_decision_add(
            meeting=last, user=steering, text=f"Decision {i}", owner=steering
        )


@pytest.mark.parametrize("grow", [0, 15])
def test_board_page_shows_every_section_with_fixed_queries(
    client_for, demo, django_assert_num_queries, grow
):
    if grow:
        _grow(grow)
    client = client_for(BOARD)
    # user, groups; period (2); attention (4); aspirations (3); headline (12);
    # learning (2); quotes (1); achievements (3); follow-up (3); the form's
    # meeting choices (1)
    with django_assert_num_queries(33):
        response = client.get("/board/")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    for heading in HEADINGS:
        assert heading in html
    pack = response.context["pack"]
    # what needs attention: the demo has red indicators and off-track actions
    assert pack.attention.red_indicators and pack.attention.actions
    assert any(a.status == "off_track" for a in pack.attention.actions)
    assert len(pack.aspirations) == 6
    assert [s.stage for s in pack.headline.stages] == ["CIN", "CP", "CLA"]
    assert all(s.top is not None and s.trend for s in pack.headline.stages)
    assert pack.headline.comparator_name == "East of England"
    # demo CP: Mixed 1.22 in 2024, 1.92 in 2025; CIN and CLA fell
    assert [(r.stage, r.previous_period, r.period) for r in pack.rising] == [
        ("CP", "2024", "2025")
    ]
    assert "Over-representation rising" in html
    assert 'class="sparkline"' in html
    assert pack.learning.sessions > 0 and pack.learning.responses > 0
    # reviewed, redacted learning-space quotes from the period only
    approved = {
        q.reference: q.text
        for q in ls_selectors.reviewed_quotes(
            start=pack.period.start, end=pack.period.end
        )
    }
    assert 1 <= len(pack.quotes) <= 3
    assert all(approved[q.reference] == q.text for q in pack.quotes)
    # the demo's next meeting is the pack's; its follow-up is the one before
    assert pack.meeting.title == "Quarterly governance board (next)"
    assert pack.follow_up.meeting.held_on == date(2026, 9, 17)
    assert len(pack.follow_up.decisions) == 3 + grow
    assert pack.period.start == date(2026, 9, 17)
    if grow:
        published = {label: total for label, _rows, total in pack.achievements}
        assert sum(published.values()) >= grow
        assert all(
            len(rows) <= programme_selectors.BOARD_ACHIEVEMENTS_PER_REACH
            for _label, rows, _total in pack.achievements
        )


def test_headline_is_the_dashboards_controlled_figures(client_for, demo):
    """The top group's RRI and CI match the dashboard API for the same table."""
    pack = client_for(BOARD).get("/board/").context["pack"]
    for stage in pack.headline.stages:
        api = client_for(BOARD).get(
            "/disproportionality/api/metrics/",
            {"area": "E10000012", "period": stage.period, "stage": stage.stage},
        )
        rows = {r["group_code"]: r for r in api.json()["rows"]}
        known = [r for c, r in rows.items() if c != "UNKNOWN" and r["rri"] is not None]
        best = max(known, key=lambda r: r["rri"])
        assert stage.top["group_code"] == best["group_code"]
        assert round(stage.top["rri"], 3) == best["rri"]
        assert round(stage.top["rri_ci_low"], 3) == best["rri_ci_low"]
        over = {c for c, r in rows.items() if r["flag"] == "over"}
        assert {r["group_code"] for r in stage.over} == over


def test_bad_period_is_400_with_a_message_not_500(client_for, board_meeting):
    client = client_for(BOARD)
    response = client.get("/board/", {"start": "2026-06-30", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "The end of the period must be after its start." in response.content.decode()
    assert client.get("/board/", {"meeting": "not-a-number"}).status_code == 400
    both = client.get("/board/pack.pdf", {"meeting": board_meeting.pk, "start": "x"})
    assert both.status_code == 400
    assert both["Content-Type"].startswith("text/plain")


def test_period_follows_the_meeting_dates(db):
    first = Meeting.objects.create(kind="board", held_on=date(2026, 3, 10))
    steering = Meeting.objects.create(kind="steering", held_on=date(2026, 5, 1))
    second = Meeting.objects.create(kind="board", held_on=date(2026, 6, 20))
    period = programme_selectors.board_period(meeting=second)
    assert (period.start, period.end) == (date(2026, 3, 10), date(2026, 6, 20))
    assert period.last_meeting == first and period.meeting == second
    period = programme_selectors.board_period(meeting=first)
    assert (period.start, period.last_meeting) == (date(2025, 12, 10), None)
    period = programme_selectors.board_period(today=date(2026, 5, 31))
    assert (period.start, period.end) == (date(2026, 3, 10), date(2026, 5, 31))
    assert period.meeting == second and period.last_meeting == first
    assert steering not in (period.meeting, period.last_meeting)
    Meeting.objects.filter(kind="board").delete()
    period = programme_selectors.board_period(today=date(2026, 5, 31))
    assert (period.start, period.meeting) == (date(2026, 2, 28), None)


# --- The PDF ---


@needs_poppler
def test_pack_pdf_has_cover_headings_and_fits(client_for, demo):
    response = client_for(BOARD).get("/board/pack.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf_text(pdf))
    period = programme_selectors.board_period()
    start = f"{period.start.day} {period.start:%B %Y}"
    end = f"{period.end.day} {period.end:%B %Y}"
    meeting_day = period.meeting.held_on
    cover = _text(pdf_text(pdf, page=1))
    assert "Anti-Racist Practice programme — board pack" in cover
    assert f"Period {start} to {end}" in cover
    assert f"Meeting date {meeting_day.day} {meeting_day:%B %Y}" in cover
    today = timezone.localdate()
    assert f"Produced {today.day} {today:%B %Y}" in cover
    for number, heading in enumerate(HEADINGS, start=1):
        assert f"{number}. {heading}" in text
    pages = pdf_pages(pdf)
    assert pages <= 16
    for page in range(1, pages + 1):
        assert _text(pdf_text(pdf, page=page)), f"page {page} is blank"
        assert f"Page {page} of {pages}" in _text(pdf_text(pdf, page=page))
    info = pdf_info(pdf)
    assert info["Title"] == "Anti-Racist Practice programme — board pack"
    assert info["Tagged"] == "yes"
    objects = pdf_objects_text(pdf)
    assert b"/Lang (en-GB)" in objects or b"/Lang(en-GB)" in objects


@needs_poppler
def test_pack_pdf_for_a_meeting_uses_its_dates(client_for, demo):
    meeting = Meeting.objects.get(kind="board", held_on=date(2026, 9, 17))
    response = client_for(STEERING).get("/board/pack.pdf", {"meeting": meeting.pk})
    cover = _text(pdf_text(response.content, page=1))
    assert "Meeting date 17 September 2026" in cover
    assert "Period 17 June 2026 to 17 September 2026" in cover
    assert 'filename="board-pack-2026-09-17.pdf"' in response["Content-Disposition"]


# --- The XLSX ---


def test_pack_xlsx_has_a_sheet_per_section_and_unrounded_figures(client_for, demo):
    response = client_for(BOARD).get("/board/pack.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "What needs the board's attention"[:31],
        "Aspirations at a glance",
        "Over-representation",
        "Over-representation trend",
        "Learning spaces",
        "Achievements published",
        "Last meeting",
        "notes",
    ]
    notes = " ".join(
        str(c.value) for row in workbook["notes"].iter_rows() for c in row if c.value
    )
    assert "Demonstration data (2021), aged 0-17" in notes
    assert "counts of 1 to 5 show as 'suppressed'" in notes
    assert "at least 3 responses" in notes
    sheet = workbook["Over-representation"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, (c.value for c in r), strict=True))
        for r in sheet.iter_rows(min_row=2)
    ]
    api = (
        client_for(BOARD)
        .get(
            "/disproportionality/api/metrics/",
            {
                "area": "E10000012",
                "period": rows[0]["Period"],
                "stage": rows[0]["Stage"],
            },
        )
        .json()["rows"]
    )
    top = next(r for r in rows if r["Why listed"] == "Highest RRI")
    api_top = next(r for r in api if r["group_label"] == top["Ethnic group"])
    assert round(top["RRI"], 3) == api_top["rri"]
    assert top["RRI"] != round(top["RRI"], 3)  # unrounded, not the API's 3 places


# --- Disclosure control: no hidden count anywhere ---

HIDDEN_COUNT = 4271  # distinctive, so finding it anywhere means it leaked
SMALL_AREA = "E06999999"


def _small_area_with_a_hidden_count(settings):
    """An authority of our own whose CP table forces secondary suppression.

    Mixed = 3 children (primary: hidden); the known total can be worked out from
    the shares, so one more major group must hide: Asian, the smallest of the
    rest, with a count of 4,271.
    """
    from disproportionality.models import Area, Population

    Area.objects.create(code=SMALL_AREA, name="Smallshire", level="local_authority")
    settings.HOME_AREA_CODE = SMALL_AREA
    counts = {"WBRI": 9100, "MWBC": 3, "AIND": HIDDEN_COUNT, "BCRB": 9800,
              "OOTH": 8800}  # fmt: skip
    for group, count in counts.items():
        EthnicityCount.objects.create(
            area_id=SMALL_AREA, period="2025", period_end=date(2025, 3, 31),
            stage="CP", group_id=group, count=count,
        )  # fmt: skip
        Population.objects.create(
            area_id=SMALL_AREA, year=2021, source="Census 2021", age_band="0-17",
            group_id=group, population=200_000,
        )  # fmt: skip


@needs_poppler
def test_no_hidden_count_in_page_pdf_or_xlsx(client_for, demo, settings):
    from disproportionality.selectors import metrics_table

    _small_area_with_a_hidden_count(settings)
    # the test can fail: the count is real, and disclosure control hides it
    raw = metrics_table(area_code=SMALL_AREA, period="2025", stage="CP",
                        controlled=False)  # fmt: skip
    shown = metrics_table(area_code=SMALL_AREA, period="2025", stage="CP")
    assert {r["group_code"]: r["count"] for r in raw.rows}["ASIAN"] == HIDDEN_COUNT
    controlled = {r["group_code"]: r["count"] for r in shown.rows}
    # one label for every hidden count (issue 9), primary and secondary alike
    assert controlled["ASIAN"] == "suppressed" and controlled["MIXED"] == "suppressed"

    client = client_for(BOARD)
    page = client.get("/board/")
    assert page.status_code == 200
    stage = next(s for s in page.context["pack"].headline.stages if s.stage == "CP")
    assert stage.top["group_code"] not in {"ASIAN", "MIXED"}
    html = page.content.decode()
    pdf = _text(pdf_text(client.get("/board/pack.pdf").content))
    assert "Smallshire" in html and "Smallshire" in pdf  # the area is the one shown
    workbook = load_workbook(io.BytesIO(client.get("/board/pack.xlsx").content))
    cells = [c.value for sheet in workbook for row in sheet.iter_rows() for c in row]
    for text in (html, pdf):
        assert str(HIDDEN_COUNT) not in text and f"{HIDDEN_COUNT:,}" not in text
    assert str(HIDDEN_COUNT) not in {str(c) for c in cells}
    headline = workbook["Over-representation"]
    children = [row[4].value for row in headline.iter_rows(min_row=2)]
    assert children and not any(isinstance(c, int) and 1 <= c <= 4 for c in children)


# --- The stored pack of record ---


def _admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")


@needs_poppler
def test_stored_pack_is_unchanged_after_later_imports(client_for, demo):
    meeting = Meeting.objects.get(title="Quarterly governance board (next)")
    client = client_for(STEERING)
    response = client.post(f"/board/meetings/{meeting.pk}/pack/")
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    pack = BoardPack.objects.get(meeting=meeting)
    stored = client.get(f"/programme/meetings/{meeting.pk}/pack.pdf")
    original = stored.content
    assert hashlib.sha256(original).hexdigest() == pack.sha256
    assert pack.size == len(original) and original.startswith(b"%PDF-")
    before_text = _text(pdf_text(original))

    # later: new figures arrive and an achievement is published
    EthnicityCount.objects.filter(area_id="E10000012", stage="CP").update(count=777)
    programme_services.achievement_publish(
        achievement=Achievement.objects.filter(status="submitted").first(),
        user=_admin(),
    )
    fresh = client.get("/board/pack.pdf", {"meeting": meeting.pk}).content
    assert _text(pdf_text(fresh)) != before_text  # today's pack differs ...
    again = client.get(f"/programme/meetings/{meeting.pk}/pack.pdf")
    assert again.content == original  # ... the stored one does not

    # asking again changes nothing
    client.post(f"/board/meetings/{meeting.pk}/pack/")
    assert BoardPack.objects.filter(meeting=meeting).count() == 1
    assert BoardPack.objects.get(meeting=meeting).sha256 == pack.sha256
    assert pack.sha256 in client.get(meeting.get_absolute_url()).content.decode()
    with pytest.raises(BoardPackImmutable):
        pack.save()
    with pytest.raises(BoardPackImmutable):
        pack.delete()


def test_no_stored_pack_is_404_and_only_board_meetings_have_packs(
    client_for, board_meeting
):
    client = client_for(STEERING)
    url = f"/programme/meetings/{board_meeting.pk}/pack.pdf"
    assert client.get(url).status_code == 404
    steering_meeting = Meeting.objects.create(kind="steering", held_on=date(2026, 9, 2))
    response = client.post(f"/board/meetings/{steering_meeting.pk}/pack/")
    assert response.status_code == 404
    assert not BoardPack.objects.exists()


@needs_poppler
def test_empty_tracker_gives_a_pack_that_says_so(client_for, db):
    client = client_for(BOARD)
    page = client.get("/board/")
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert "No earlier board meeting is recorded." in html
    assert "There are no figures for the home authority (E10000012) yet." in html
    pdf = client.get("/board/pack.pdf").content
    text = _text(pdf_text(pdf))
    assert "No board meeting recorded for this pack" in text
    assert client.get("/board/pack.xlsx").status_code == 200


@pytest.mark.parametrize("threshold,shown", [(0.0, True), (100.0, False)])
def test_headline_carries_the_recording_caveat_above_its_threshold(
    client_for, demo, settings, threshold, shown
):
    """Issue 17: a board-pack section built on poorly recorded ethnicity says so."""
    settings.ETHNICITY_UNKNOWN_CAVEAT_PERCENT = threshold
    html = unescape(client_for(BOARD).get("/board/").content.decode())
    assert ("Ethnicity was not recorded for" in html) is shown
