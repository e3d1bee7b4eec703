"""The workforce import: all or nothing, row-numbered errors, indicators after."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from programme.models import IndicatorReading
from workforce import importer, services
from workforce.models import WorkforceBatch, WorkforceFigure

from .conftest import FIGURES_CSV

BROKEN = """period,measure,ethnicity,count,base
2025,inpost,WHITE,400,
2025,promoted,WHITE,4,40
2025,disciplinary,PURPLE,3,40
20x5,disciplinary,WHITE,3,40
2025,disciplinary,BLACK,50,40
2025,disciplinary,ASIAN,-1,40
2025,inpost,WHITE,401,
"""


@pytest.mark.django_db
def test_a_file_with_any_problem_writes_nothing_and_lists_every_row():
    with pytest.raises(importer.ImportProblem) as caught:
        services.workforce_import(content=BROKEN.encode(), file_name="bad.csv")
    errors = caught.value.errors
    assert errors == [
        "Row 3: measure 'promoted' is not an SC-WRES measure.",
        "Row 4: ethnicity 'PURPLE' is not one of WHITE, WBRI, MIXED, ASIAN, BLACK, "
        "OTHER, UNKNOWN, REFUSED.",
        "Row 5: period '20x5' is not a year or a date.",
        "Row 6: count 50 is more than its base 40.",
        "Row 7: count '-1' is not a whole number.",
        "Row 8: repeats row 2.",
    ]
    assert not WorkforceFigure.objects.exists()
    assert not WorkforceBatch.objects.exists()


@pytest.mark.django_db
def test_white_british_cannot_exceed_white():
    content = (
        "period,measure,ethnicity,count,base\n"
        "2025,inpost,WHITE,10,\n"
        "2025,inpost,WBRI,11,\n"
    )
    with pytest.raises(importer.ImportProblem) as caught:
        services.workforce_import(content=content.encode(), file_name="x.csv")
    assert caught.value.errors == [
        "Row 3: White British (11) is more than White (10, row 2)."
    ]


@pytest.mark.django_db
def test_missing_columns_are_named():
    with pytest.raises(importer.ImportProblem) as caught:
        services.workforce_import(
            content=b"period,measure\n2025,inpost\n", file_name="x.csv"
        )
    assert "missing column(s) ethnicity, count, base" in caught.value.errors[0]


@pytest.mark.django_db
def test_command_imports_and_reimport_replaces(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(FIGURES_CSV)
    call_command("import_workforce", str(path))
    assert WorkforceFigure.objects.count() == FIGURES_CSV.count("\n") - 1
    cell = WorkforceFigure.objects.get(
        period="2025", measure="inpost", ethnicity="BLACK"
    )
    assert (cell.count, cell.base) == (98, None)
    path.write_text("period,measure,ethnicity,count,base\n2025,inpost,BLACK,99,\n")
    call_command("import_workforce", str(path))
    cell.refresh_from_db()
    assert cell.count == 99
    assert WorkforceFigure.objects.count() == FIGURES_CSV.count("\n") - 1


@pytest.mark.django_db
def test_command_failure_says_why_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BROKEN)
    with pytest.raises(CommandError, match="(?s)Nothing imported.*Row 3"):
        call_command("import_workforce", str(path))
    assert not WorkforceFigure.objects.exists()


@pytest.mark.django_db
def test_template_downloads_round_trip(client, programme_admin):
    client.force_login(programme_admin)
    csv_bytes = client.get("/workforce/imports/template.csv").content
    xlsx_bytes = client.get("/workforce/imports/template.xlsx").content
    header = load_workbook(io.BytesIO(xlsx_bytes)).active[1]
    assert [c.value for c in header] == list(importer.COLUMNS)
    assert len(importer.validate(importer.read(csv_bytes, "t.csv"))) == 6
    assert len(importer.validate(importer.read(xlsx_bytes, "t.xlsx"))) == 6


@pytest.mark.django_db
def test_upload_page_imports_or_lists_problems(client, programme_admin):
    client.force_login(programme_admin)
    bad = client.post(
        "/workforce/imports/",
        {"file": SimpleUploadedFile("bad.csv", BROKEN.encode(), "text/csv")},
    )
    assert bad.status_code == 400
    assert "Row 3: measure" in bad.content.decode()
    assert not WorkforceFigure.objects.exists()
    good = client.post(
        "/workforce/imports/",
        {"file": SimpleUploadedFile("good.csv", FIGURES_CSV.encode(), "text/csv")},
    )
    assert good.status_code == 302
    assert WorkforceBatch.objects.get().imported_by == programme_admin


@pytest.mark.django_db
def test_indicators_update_after_an_import(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.workforce_import(content=FIGURES_CSV.encode(), file_name="f.csv")
    reading = IndicatorReading.objects.get(
        indicator__key="workforce-disciplinary-relative-likelihood"
    )
    # 2025 disciplinary: minority 21/220 ÷ White 10/410
    assert float(reading.value) == pytest.approx((21 / 220) / (10 / 410), abs=5e-4)
    assert reading.indicator.aspiration.number == 4
    assert str(reading.taken_on) == "2025-03-31"
    # a corrected file moves the reading
    corrected = "period,measure,ethnicity,count,base\n2025,disciplinary,WHITE,20,410\n"
    with django_capture_on_commit_callbacks(execute=True):
        services.workforce_import(content=corrected.encode(), file_name="c.csv")
    reading.refresh_from_db()
    assert float(reading.value) == pytest.approx((21 / 220) / (20 / 410), abs=5e-4)


@pytest.mark.django_db
def test_indicator_link_needs_a_measure_with_a_ratio():
    from django.core.exceptions import ValidationError

    from workforce.models import IndicatorLink

    with pytest.raises(ValidationError):
        IndicatorLink(measure="inpost", aspiration_number=2).full_clean()
    with pytest.raises(ValidationError):
        IndicatorLink(measure="promotions", aspiration_number=2).full_clean()
    IndicatorLink(measure="leavers", aspiration_number=2).full_clean()
