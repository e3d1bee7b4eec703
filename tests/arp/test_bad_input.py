"""The six causes of 500 become a clear 400 or a refused file; hostile uploads
are refused; the Board reads the published record only."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from arp import exports
from programme import evidence

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/programme/summary/", "/programme/achievements/snapshot/"]
)
@pytest.mark.parametrize("end", ["0001-01-01", "9999-12-31"])
def test_extreme_period_dates_are_400(client_for, url, end):
    page = client_for("Board").get(url, {"end": end})
    assert page.status_code == 400
    assert b"Choose a date between" in page.content


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "abc"])
def test_bad_space_on_new_session_page_is_400(client_for, value):
    page = client_for("Programme admins").get(
        "/learning-spaces/sessions/new/", {"space": value}
    )
    assert page.status_code == 400
    assert b"That space does not exist" in page.content


def test_session_in_year_9999_is_refused(client_for, db):
    from learning_spaces.models import LearningSession, Space

    space = Space.objects.create(name="Leaders", audience="leaders")
    page = client_for("Programme admins").post(
        "/learning-spaces/sessions/new/",
        {"space": space.pk, "starts_at": "9999-12-30T10:00",
         "ends_at": "9999-12-31T12:00", "feedback_closes_after_days": 14},
    )  # fmt: skip
    assert page.status_code == 200
    assert "Choose a date between" in str(page.context["form"].errors)
    assert not LearningSession.objects.exists()


@pytest.mark.parametrize("bad", ["\x0b", "\ufffe", "\x00", "\x1f", "\x85"])
def test_control_characters_never_break_a_spreadsheet(bad):
    header = ["Answer", "When"]
    rows = [[f"before{bad}after", timezone.localdate()], [f"={bad}1+1", 3]]
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(header, rows))).active
    values = [c.value for c in sheet[2]]
    assert values[0] == "beforeafter"
    assert sheet["A3"].value == "'=1+1" and sheet["A3"].data_type != "f"
    text = exports.csv_bytes(header, rows).decode("utf-8-sig")
    assert bad not in text and "beforeafter" in text


def test_anonymous_answer_with_u000b_does_not_break_the_export(client_for, db):
    from learning_spaces.models import LearningSession, Space
    from tests.learning_spaces.conftest import make_response

    space = Space.objects.create(name="Leaders", audience="leaders")
    start = timezone.now() - timedelta(hours=1)
    session = LearningSession.objects.create(
        space=space, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    for text in ("tab\x0bbed", "odd\ufffe", "plain"):
        make_response(session, gained_most=text)
    page = client_for("Steering group").get(
        f"/learning-spaces/sessions/{session.pk}/responses.xlsx"
    )
    assert page.status_code == 200
    sheet = load_workbook(io.BytesIO(page.content)).active
    answers = {row[9] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert answers == {"tabbed", "odd", "plain"}


# --- Evidence archives ------------------------------------------------------------


def _docx(members: dict[str, bytes], *, compress=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(data: bytes, name="report.docx"):
    return SimpleUploadedFile(name, data)


def test_zip_bomb_docx_is_refused(settings):
    settings.EVIDENCE_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    bomb = _docx({"word/document.xml": b"0" * (2 * 1024 * 1024)})
    assert len(bomb) < 20_000  # small on the wire
    with pytest.raises(evidence.EvidenceError, match="unpack"):
        evidence.check_evidence_file(_upload(bomb))


def test_too_many_members_is_refused(settings):
    settings.EVIDENCE_MAX_ARCHIVE_MEMBERS = 50
    many = _docx({f"word/media/{i}.xml": b"x" for i in range(60)})
    with pytest.raises(evidence.EvidenceError, match="parts"):
        evidence.check_evidence_file(_upload(many))


@pytest.mark.parametrize("name", ["../../etc/passwd", "/abs/path.xml", "C:\\x.xml"])
def test_unsafe_member_names_are_refused(name):
    with pytest.raises(evidence.EvidenceError, match="unsafe name"):
        evidence.check_evidence_file(_upload(_docx({name: b"x"})))


def test_ordinary_docx_is_accepted():
    evidence.check_evidence_file(_upload(_docx({"word/document.xml": b"<w/>"})))


def test_evidence_limits_default_to_100_mb_and_1000_members(settings):
    assert settings.EVIDENCE_MAX_UNCOMPRESSED_BYTES == 100 * 1024 * 1024
    assert settings.EVIDENCE_MAX_ARCHIVE_MEMBERS == 1000


# --- Import files -------------------------------------------------------------------


def _xlsx(rows: int, cols: int = 3) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([f"h{c}" for c in range(cols)])
    for r in range(rows):
        sheet.append([r] * cols)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_import_capped_by_rows_and_cells(settings):
    from disproportionality.importers.reading import ImportRejected, read_table

    settings.IMPORT_XLSX_MAX_ROWS = 100
    with pytest.raises(ImportRejected, match="rows"):
        read_table(_xlsx(150))
    settings.IMPORT_XLSX_MAX_ROWS = 10_000
    settings.IMPORT_XLSX_MAX_CELLS = 300
    with pytest.raises(ImportRejected, match="cells"):
        read_table(_xlsx(50, cols=10))
    assert len(read_table(_xlsx(20)).rows) == 20


def test_long_area_code_or_name_is_a_row_problem_not_a_crash():
    from disproportionality.models import EthnicityCount
    from disproportionality.services import figures_import
    from tests.disproportionality.conftest import fixture_bytes

    text = fixture_bytes("dfe_cla_2024_layout.csv").decode("utf-8-sig")
    long_code = text.replace("E92000001", "E" * 25)
    batch = figures_import(data=long_code.encode(), file_name="x.csv")
    assert batch.status == "rejected"
    assert "longer than 20 characters" in str(batch.errors)
    long_name = text.replace(",England,", "," + "N" * 300 + ",")
    batch = figures_import(data=long_name.encode(), file_name="y.csv")
    assert batch.status == "rejected"
    assert "longer than 120 characters" in str(batch.errors)
    assert EthnicityCount.objects.count() == 0


# --- History --------------------------------------------------------------------------


def test_board_sees_published_record_not_the_review_trail(
    client_for, programme_admin, steering_member
):
    from programme import services

    achievement = services.achievement_create(
        user=steering_member, aspirations=[],
        title="Draft title", summary="First draft wording",
        achieved_on=timezone.localdate(), reach="local",
    )  # fmt: skip
    services.achievement_submit(achievement=achievement, user=steering_member)
    services.achievement_return(
        achievement=achievement, user=programme_admin, comment="Name removed: Jane"
    )
    services.achievement_update(
        achievement=achievement, user=steering_member, aspirations=[],
        title="Final title", summary="Final wording",
    )  # fmt: skip
    services.achievement_submit(achievement=achievement, user=steering_member)
    services.achievement_publish(achievement=achievement, user=programme_admin)
    board = client_for("Board").get(achievement.get_absolute_url()).content.decode()
    assert "Final wording" in board
    assert "Name removed: Jane" not in board
    assert "First draft wording" not in board
    staff = client_for("Steering group").get(achievement.get_absolute_url())
    assert "Name removed: Jane" in staff.content.decode()
