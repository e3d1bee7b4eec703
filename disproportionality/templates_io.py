"""The local template the upload page offers, as CSV and XLSX."""

import csv
import io

from django.conf import settings

from disproportionality.importers.figures import LOCAL_COLUMNS

# the optional last column: all (the default) or uasc, for children looked
# after who are unaccompanied asylum-seeking children
COLUMNS = (*LOCAL_COLUMNS, "cohort")
EXAMPLE_ROWS = [
    ("{home}", "Home authority", "2024", "CLA", "WBRI", "412", "all"),
    ("{home}", "Home authority", "2024", "CLA", "Any other ethnic group", "c", "all"),
    ("{home}", "Home authority", "2024", "CLA", "BAFR", "23", "uasc"),
    ("{home}", "Home authority", "2024-Q2", "CP", "BCRB", "17", ""),
]


def _rows():
    home = settings.HOME_AREA_CODE
    return [tuple(v.format(home=home) for v in row) for row in EXAMPLE_ROWS]


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_rows())
    return out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append(COLUMNS)
    for row in _rows():
        sheet.append([int(v) if v.isdigit() else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
