"""The local template the upload page offers, as CSV and XLSX.

The example rows must never change real figures when someone uploads the
template unchanged: in the CSV they name the area ``EXAMPLE``, which no
published file uses and a local area may not take (``forms.LocalAreaForm``),
so the importer rejects them as an unknown area and writes nothing; in the
XLSX they sit on a second sheet, and the importer reads only the first.
"""

import csv
import io

from disproportionality.importers.figures import LOCAL_COLUMNS

EXAMPLE_AREA = "EXAMPLE"
EXAMPLE_NAME = "Example row: replace with your area's code"
# the optional last column: all (the default) or uasc, for children looked
# after who are unaccompanied asylum-seeking children
COLUMNS = (*LOCAL_COLUMNS, "cohort")
EXAMPLE_ROWS = [
    (EXAMPLE_AREA, EXAMPLE_NAME, "2024", "CLA", "WBRI", "412", "all"),
    (EXAMPLE_AREA, EXAMPLE_NAME, "2024", "CLA", "Any other ethnic group", "c", "all"),
    (EXAMPLE_AREA, EXAMPLE_NAME, "2024", "CLA", "BAFR", "23", "uasc"),
    (EXAMPLE_AREA, EXAMPLE_NAME, "2024-Q2", "CP", "BCRB", "17", ""),
]


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    return out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append(COLUMNS)
    example = workbook.create_sheet("Example")
    example.append(COLUMNS)
    for row in EXAMPLE_ROWS:
        example.append([int(v) if v.isdigit() else v for v in row])
    example.append([])
    example.append(
        [
            "Fill in the Figures sheet; this sheet is only an example and is "
            "never imported."
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
