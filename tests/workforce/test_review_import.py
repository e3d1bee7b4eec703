"""Review: odd files give a clear row-numbered message and write nothing (no 500)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workforce.models import WorkforceBatch, WorkforceFigure

HEADER = "period,measure,ethnicity,count,base\n"

ODD_FILES = {
    "undecodable bytes": (HEADER + "2025,inpost,WHITE,").encode() + b"\x81\x8d,\n",
    "infinite float": (HEADER + "2025,inpost,WHITE,1.0e999,\n").encode(),
    "beyond a database integer": (
        HEADER + "2025,inpost,WHITE,99999999999999999999,\n"
    ).encode(),
    "huge base": (HEADER + "2025,disciplinary,WHITE,1,3000000000\n").encode(),
    "band name too long": (
        HEADER + "2025,inpost_band_" + "a" * 80 + ",WHITE,5,\n"
    ).encode(),
    "field beyond the csv limit": (
        HEADER + "2025,inpost,WHITE," + "1" * 200_000 + ",\n"
    ).encode(),
    "bad xlsx": b"PK\x03\x04 not really a workbook",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ODD_FILES)
def test_odd_workforce_files_are_refused_with_a_message(client, programme_admin, name):
    client.force_login(programme_admin)
    file_name = "odd.xlsx" if name == "bad xlsx" else "odd.csv"
    response = client.post(
        "/workforce/imports/",
        {"file": SimpleUploadedFile(file_name, ODD_FILES[name], "text/csv")},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert ("Row 2:" in text) or ("Could not read" in text)
    assert not WorkforceFigure.objects.exists()
    assert not WorkforceBatch.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("file_name", ["many.csv", "many.xlsx"])
def test_a_file_far_larger_than_an_extract_is_refused_early(file_name):
    import io

    from openpyxl import Workbook

    from workforce import importer, services

    rows = [("2025", "inpost", "WHITE", n, "") for n in range(importer.MAX_ROWS + 5)]
    if file_name.endswith(".csv"):
        content = (
            HEADER + "".join(",".join(map(str, r)) + "\n" for r in rows)
        ).encode()
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(importer.COLUMNS)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    with pytest.raises(importer.ImportProblem) as caught:
        services.workforce_import(content=content, file_name=file_name)
    assert caught.value.errors == [
        f"The file has more than {importer.MAX_ROWS:,} rows: is it the aggregate "
        "extract?"
    ]
    assert not WorkforceBatch.objects.exists()
