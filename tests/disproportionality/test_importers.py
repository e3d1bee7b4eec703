"""Each importer on fixtures in the published layouts; bad files write nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from disproportionality.importers.figures import detect_format, parse_period
from disproportionality.importers.reading import read_table
from disproportionality.models import Area, EthnicityCount, ImportBatch, Population
from disproportionality.services import figures_import, population_import
from tests.disproportionality.conftest import FIXTURES, fixture_bytes

pytestmark = pytest.mark.django_db


def _import(name, **kwargs):
    return figures_import(data=fixture_bytes(name), file_name=name, **kwargs)


def test_dfe_layout_to_2024_with_bom_and_crlf():
    table = read_table(fixture_bytes("dfe_cla_2024_layout.csv"))
    assert table.headers[0] == "time_period"  # BOM gone
    assert detect_format(table) == "dfe_tidy_2024"
    batch = _import("dfe_cla_2024_layout.csv")
    assert batch.status == "succeeded", batch.errors
    assert batch.format_detected == "dfe_tidy_2024"
    # 2 years x 20 codes; OOTH comes from "5. Total other ethnic group"
    assert EthnicityCount.objects.count() == 40
    assert batch.rows_created == 40
    assert batch.rows_ignored == 4  # age and gender rows
    wbri = EthnicityCount.objects.get(period="2024", group_id="WBRI")
    assert (wbri.count, wbri.stage, wbri.area_id) == (40160, "CLA", "E92000001")
    assert str(wbri.period_end) == "2024-03-31"
    assert EthnicityCount.objects.get(period="2024", group_id="OOTH").count == 3100
    assert batch.warnings == []  # totals agree within rounding
    assert Area.objects.get(code="E92000001").name == "England"


def test_dfe_layout_from_2025_markers_financial_year_and_wales():
    batch = _import("dfe_cp_2025_layout.csv", stage="CP")
    assert batch.status == "succeeded", batch.errors
    assert batch.format_detected == "dfe_tidy_2025"
    assert batch.rows_outside_england == 1
    assert batch.rows_ignored == 1  # age row
    assert batch.suppressed_cells == 4  # c, x, low, empty
    cells = {
        c.group_id: c
        for c in EthnicityCount.objects.filter(area_id="E10000012", period="2025")
    }
    assert len(cells) == 20
    assert cells["WIRI"].count is None and cells["WIRI"].marker == "c"
    assert cells["WIRI"].suppressed
    assert cells["ABAN"].marker == "low" and cells["ABAN"].count is None
    assert cells["REFU"].suppressed and cells["REFU"].marker == ""
    assert cells["CHNE"].count == 0 and not cells["CHNE"].suppressed
    assert cells["WBRI"].stage == "CP"
    essex = Area.objects.get(code="E10000012")
    assert essex.parent_id == "E12000006" and essex.level == "local_authority"
    assert not Area.objects.filter(code__startswith="W").exists()


def test_dfe_file_without_stage_needs_one():
    batch = _import("dfe_cp_2025_layout.csv")
    assert batch.status == "rejected"
    assert "stage" in batch.errors[0]["message"]
    assert EthnicityCount.objects.count() == 0


def test_ons_census_population_skips_wales_and_does_not_apply():
    batch = population_import(
        data=fixture_bytes("ons_census_countries.csv"),
        file_name="ons.csv",
        year=2021,
        age_band="all",
    )
    assert batch.status == "succeeded", batch.errors
    assert batch.rows_outside_england == 19
    assert batch.rows_ignored == 2
    pops = dict(
        Population.objects.filter(area_id="E92000001").values_list(
            "group_id", "population"
        )
    )
    assert len(pops) == 18  # 20 ONS rows less Arab folded into OOTH, no unknowns
    assert pops["OOTH"] == 63304 + 351736
    assert pops["WIRT"] == 318933 and pops["WROM"] == 321574
    assert (
        Population.objects.get(area_id="E92000001", group_id="WBRI").age_band == "all"
    )


def test_local_template_csv(essex):
    batch = _import("local_template.csv")
    assert batch.status == "succeeded", batch.errors
    assert batch.format_detected == "local_template_csv"
    assert batch.suppressed_cells == 2
    cells = EthnicityCount.objects.filter(area_id="E10000012-N")
    assert cells.count() == 5
    bafr = cells.get(group_id="BAFR")
    assert (bafr.stage, bafr.period, str(bafr.period_end)) == (
        "CP",
        "2024-Q1",
        "2024-03-31",
    )
    assert cells.get(group_id="WIRI").marker == "c"


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_local_template_xlsx(essex):
    data = _xlsx(
        [
            ["area_code", "area_name", "period", "stage", "ethnicity", "count"],
            ["E10000012", "Essex", 2024, "CLA", "WBRI", 410],
            ["E10000012", "Essex", "2024", "Children looked after", "Caribbean", 12.0],
        ]
    )
    batch = figures_import(data=data, file_name="figures.xlsx")
    assert batch.status == "succeeded", batch.errors
    assert batch.format_detected == "local_template_xlsx"
    assert EthnicityCount.objects.get(group_id="BCRB").count == 12


def test_windows_1252_is_accepted(essex):
    text = (
        "area_code,area_name,period,stage,ethnicity,count\n"
        "E10000012,Essex – county,2024,CLA,WBRI,400\n"
    )
    batch = figures_import(data=text.encode("cp1252"), file_name="w.csv")
    assert batch.status == "succeeded", batch.errors


def test_reimport_changes_nothing_and_corrected_file_updates(essex):
    first = _import("local_template.csv")
    again = _import("local_template.csv")
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 5)
    assert again.sha256 == first.sha256
    corrected = (
        (FIXTURES / "local_template.csv")
        .read_text()
        .replace("Caribbean,12", "Caribbean,14")
        .replace("White - Irish,c", "White - Irish,6")
    )
    batch = figures_import(data=corrected.encode(), file_name="fixed.csv")
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (0, 2, 3)
    assert EthnicityCount.objects.get(group_id="BCRB").count == 14
    wiri = EthnicityCount.objects.get(group_id="WIRI")
    assert (wiri.count, wiri.suppressed, wiri.marker) == (6, False, "")
    assert {c["to"] for c in batch.changed_cells} == {14, 6}
    assert EthnicityCount.objects.get(group_id="BCRB").batch_id == batch.pk


BAD_FILES = [
    ("empty", b"", "empty"),
    ("headers", b"foo,bar\n1,2\n", "Unrecognised columns"),
    ("corrupt xlsx", b"PK\x03\x04not really a zip", "Excel file could not be opened"),
    ("binary", b"\x81\x8d\x8f\x90\x9d", "encoding"),
]


@pytest.mark.parametrize("name,data,message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_unreadable_files_are_refused(essex, name, data, message):
    batch = figures_import(data=data, file_name=f"{name}.csv")
    assert batch.status == "rejected"
    assert message in batch.errors[0]["message"]
    assert EthnicityCount.objects.count() == 0


def test_every_bad_row_is_listed_and_nothing_written(essex):
    text = (
        "area_code,area_name,period,stage,ethnicity,count\n"
        "E10000012,Essex,2024,CLA,WBRI,400\n"  # fine
        "E10000099,Nowhere,2024,CLA,WBRI,4\n"  # 3: unknown area
        "E10000012,Essex,2024,CLA,Martian,4\n"  # 4: unknown label
        "E10000012,Essex,2024,CLA,BCRB,-3\n"  # 5: negative
        "E10000012,Essex,2024,CLA,BAFR,2.5\n"  # 6: not whole
        "E10000012,Essex,2024,CLA,WBRI,401\n"  # 7: duplicate of row 2
        "E10000012,Essex,24,XX,AIND,1\n"  # 8: bad period and stage
    )
    batch = figures_import(data=text.encode(), file_name="bad.csv")
    assert batch.status == "rejected"
    rows = {e["row"]: e["message"] for e in batch.errors}
    assert set(rows) == {3, 4, 5, 6, 7, 8}
    assert "unknown area code" in rows[3]
    assert "Martian" in rows[4]
    assert "negative" in rows[5]
    assert "whole number" in rows[6]
    assert "duplicate of row 2" in rows[7]
    assert "period" in rows[8] and "stage" in rows[8]
    assert EthnicityCount.objects.count() == 0


def test_missing_column_is_named(essex):
    batch = figures_import(
        data=b"area_code,period,stage,ethnicity\nE10000012,2024,CLA,WBRI\n",
        file_name="x.csv",
    )
    assert batch.status == "rejected"
    assert "count" in batch.errors[0]["message"]


def test_first_fifty_errors_kept_with_count_of_rest(essex):
    lines = ["area_code,area_name,period,stage,ethnicity,count"]
    lines += [f"E10000012,Essex,2024,CLA,WBRI,x{i}" for i in range(120)]
    batch = figures_import(data="\n".join(lines).encode(), file_name="many.csv")
    assert batch.error_count == 120
    assert len(batch.errors) == 50
    assert batch.errors[0]["row"] == 2
    assert EthnicityCount.objects.count() == 0


@pytest.mark.parametrize("step", ["read_table", "parse_figures", "write_counts"])
def test_an_unexpected_error_at_any_step_fails_the_batch_and_writes_nothing(
    monkeypatch, step
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(f"disproportionality.services.{step}", broken)
    with pytest.raises(RuntimeError):
        _import("dfe_cla_2024_layout.csv")
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.progress, batch.error_count) == ("failed", 100, 1)
    assert "failed unexpectedly; nothing was written" in batch.errors[0]["message"]
    assert batch.finished_at is not None
    # the areas were written before the counts failed: rolled back with them
    assert not Area.objects.exists() and not EthnicityCount.objects.exists()


def test_an_error_after_the_commit_leaves_a_succeeded_batch_succeeded(monkeypatch):
    """The indicator refresh runs once the figures are committed: if it fails,
    the import log must not say "nothing was written" over data that is there
    (a "Try again" would then import it twice)."""

    def broken(**kwargs):
        raise RuntimeError("indicator refresh broke")

    monkeypatch.setattr(
        "disproportionality.services.aspiration_indicator_refresh", broken
    )
    with pytest.raises(RuntimeError):
        _import("dfe_cla_2024_layout.csv")
    batch = ImportBatch.objects.get()
    assert batch.status == "succeeded"
    assert EthnicityCount.objects.filter(batch=batch).exists()


def test_total_mismatch_is_a_warning_not_an_error():
    text = fixture_bytes("dfe_cla_2024_layout.csv").decode("utf-8-sig")
    text = text.replace("1. Total White,43560", "1. Total White,53560")
    batch = figures_import(data=text.encode(), file_name="t.csv")
    assert batch.status == "succeeded"
    assert any(
        "Total" in w["message"] or "total" in w["message"] for w in batch.warnings
    )


def test_ons_file_with_unknown_label_is_refused():
    text = (
        fixture_bytes("ons_census_countries.csv")
        .decode()
        .replace("White: Irish", "White: Martian")
    )
    batch = population_import(
        data=text.encode(), file_name="o.csv", year=2021, age_band="all"
    )
    assert batch.status == "rejected"
    assert {e["row"] for e in batch.errors} == {16}
    assert Population.objects.count() == 0


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("2024", ("2024", "2024-03-31")),
        ("202324", ("2024", "2024-03-31")),
        ("2023-24", ("2024", "2024-03-31")),
        ("2024-Q2", ("2024-Q2", "2024-06-30")),
        ("202325", None),
        ("24", None),
    ],
)
def test_periods(raw, expected):
    result = parse_period(raw)
    assert (result and (result[0], str(result[1]))) == (expected or None)


def test_commands_print_summary_and_fail_on_rejection(essex, capsys):
    call_command("import_figures", str(FIXTURES / "local_template.csv"))
    out = capsys.readouterr().out
    assert "Format detected: local_template_csv" in out
    assert "created: 5" in out
    call_command(
        "import_population",
        str(FIXTURES / "ons_census_countries.csv"),
        "--year",
        "2021",
        "--age-band",
        "all",
    )
    assert Population.objects.filter(area_id="E92000001").count() == 18
    with pytest.raises(CommandError):
        call_command("import_figures", str(FIXTURES / "ons_census_countries.csv"))
    err = capsys.readouterr().err
    assert "ONS population file" in err
    assert ImportBatch.objects.filter(status="rejected").count() == 1


def test_children_starting_care_file_is_refused_not_taken_as_31_march_counts():
    """Same layout, also has Ethnicity rows, but counts a flow, not a stock."""
    _import("dfe_cla_2024_layout.csv")
    before = list(EthnicityCount.objects.values_list("pk", "count").order_by("pk"))

    batch = _import("dfe_cla_started_2024_layout.csv")

    assert batch.status == "rejected"
    assert "started or ceased to be looked after" in batch.errors[0]["message"]
    assert "age on starting" in batch.errors[0]["message"]
    after = list(EthnicityCount.objects.values_list("pk", "count").order_by("pk"))
    assert after == before


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("2147483648", "too large"),
        ("99999999999999999999", "too large"),
        ("1e20", "not a number"),
        ("1e3", "not a number"),
        ("12.0", "whole number"),
        ("\u00b2", "not a number"),  # "²": str.isdigit() but not a count
        ("\u0661\u0662", "not a number"),  # Arabic-Indic digits
    ],
)
def test_count_that_is_not_a_small_ascii_integer_rejects_the_file(
    essex, tmp_path, capsys, count, message
):
    path = tmp_path / "counts.csv"
    path.write_text(
        "area_code,area_name,period,stage,ethnicity,count\n"
        "E10000012,Essex,2030,CLA,WBRI,40\n"
        f"E10000012,Essex,2030,CLA,BAFR,{count}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_figures", str(path))
    err = capsys.readouterr().err
    assert "Row 3" in err and message in err
    assert not EthnicityCount.objects.exists()
    assert ImportBatch.objects.get().status == "rejected"


def test_largest_count_and_whole_numeric_xlsx_cells_are_accepted(essex):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["area_code", "area_name", "period", "stage", "ethnicity", "count"])
    sheet.append(["E10000012", "Essex", "2030", "CLA", "WBRI", 2_147_483_647])
    sheet.append(["E10000012", "Essex", "2030", "CLA", "BAFR", 12.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = figures_import(data=buffer.getvalue(), file_name="counts.xlsx")
    assert batch.status == "succeeded", batch.errors
    stored = dict(EthnicityCount.objects.values_list("group_id", "count"))
    assert stored == {"WBRI": 2_147_483_647, "BAFR": 12}


def test_huge_or_fractional_xlsx_cells_are_row_errors(essex):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["area_code", "area_name", "period", "stage", "ethnicity", "count"])
    sheet.append(["E10000012", "Essex", "2030", "CLA", "WBRI", 1e20])
    sheet.append(["E10000012", "Essex", "2030", "CLA", "BAFR", 12.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = figures_import(data=buffer.getvalue(), file_name="counts.xlsx")
    assert batch.status == "rejected"
    rows = {e["row"]: e["message"] for e in batch.errors}
    assert "too large" in rows[2] and "whole number" in rows[3]
    assert not EthnicityCount.objects.exists()


def test_population_observation_must_be_ascii_digits_in_range(essex):
    data = (
        "Lower tier local authorities Code,Lower tier local authorities,"
        "Ethnic group (20 categories) Code,Ethnic group (20 categories),Observation\n"
        "E10000012,Essex,1,White: Irish,\u00b2\n"
        "E10000012,Essex,2,White: Roma,3000000000\n"
    ).encode()
    batch = population_import(data=data, file_name="p.csv", year=2021, age_band="0-17")
    assert batch.status == "rejected"
    rows = {e["row"]: e["message"] for e in batch.errors}
    assert "not a number" in rows[2] and "too large" in rows[3]
    assert not Population.objects.exists()
