"""DfE authority files (wide and tidy), the area hierarchy, neighbours, CLA_START."""

import io

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from disproportionality import selectors
from disproportionality.models import (
    Area,
    AreaAlias,
    EthnicityCount,
    ImportBatch,
    StatisticalNeighbour,
)
from disproportionality.services import (
    areas_import,
    figures_import,
    neighbours_import,
)
from tests.disproportionality.conftest import FIXTURES, fixture_bytes

pytestmark = pytest.mark.django_db

WIDE_COLUMNS = {
    "CLA_White": "WHITE",
    "CLA_Mixed": "MIXED",
    "CLA_Asian": "ASIAN",
    "CLA_Black": "BLACK",
    "CLA_EOTH": "OOTH",
    "CLA_Oth": "UNKNOWN",
}


def _import(name, **kwargs):
    return figures_import(data=fixture_bytes(name), file_name=name, **kwargs)


def _cells(area, period, stage="CLA"):
    return {
        (c.group_id or c.major_code): (c.count, c.marker)
        for c in EthnicityCount.objects.filter(area_id=area, period=period, stage=stage)
    }


@pytest.mark.parametrize(
    "name,period,skipped",
    [
        ("dfe_cla_la_wide_2019_layout.csv", "2019", 1),
        ("dfe_cla_la_wide_2016_layout.csv", "2016", 2),
    ],
)
def test_wide_file_every_cell_matches_the_file(name, period, skipped):
    batch = _import(name)
    assert batch.status == "succeeded", batch.errors
    assert batch.format_detected == "dfe_wide"
    # pandas reads the same file independently: every area, every cell
    frame = pd.read_csv(FIXTURES / name, dtype=str, keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    frame = frame[frame["geog_l"] != ""]
    london_parts = (frame["geog_c"].isin(["H", "I"])) & (
        frame["New_geog_code"] == "E12000007"
    )
    frame = frame[~london_parts]
    checked = 0
    for _i, row in frame.iterrows():
        cells = _cells(row["New_geog_code"], period)
        for column, major in WIDE_COLUMNS.items():
            raw = row[column]
            expected = (None, raw) if raw in ("c", "x") else (int(raw), "")
            assert cells[major] == expected, (row["New_geog_code"], column)
            checked += 1
    assert checked == len(frame) * 6
    assert EthnicityCount.objects.count() == checked
    assert batch.rows_ignored == skipped  # blank geog_l / London parts as London
    assert len(batch.warnings) >= skipped


def test_essex_2019_cell_by_cell_and_suppressed_stays_suppressed():
    _import("dfe_cla_la_wide_2019_layout.csv")
    assert _cells("E10000012", "2019") == {
        "WHITE": (817, ""),
        "MIXED": (91, ""),
        "ASIAN": (None, "c"),
        "BLACK": (48, ""),
        "OOTH": (72, ""),
        "UNKNOWN": (None, "c"),
    }
    cell = EthnicityCount.objects.get(area_id="E10000012", major_code="ASIAN")
    assert cell.suppressed and cell.group_id is None


def test_wide_file_hierarchy_subregions_and_aliases():
    _import("dfe_cla_la_wide_2019_layout.csv")
    inner = Area.objects.get(code="E13000001")
    assert (inner.level, inner.parent_id, inner.name) == (
        "subregion",
        "E12000007",
        "Inner London",
    )
    assert Area.objects.get(code="E12000007").name == "London"
    assert Area.objects.get(code="E12000006").parent_id == "E92000001"
    assert set(AreaAlias.objects.values_list("code", "area_id")) >= {
        ("881", "E10000012"),
        ("301", "E09000002"),
        ("390", "E08000037"),
    }
    # the wide file has no region column: say so, do not guess
    assert Area.objects.get(code="E10000012").parent_id is None
    batch = ImportBatch.objects.get()
    assert any("no region yet" in w["message"] for w in batch.warnings)


def test_2016_inner_and_outer_london_coded_as_london_are_not_a_second_london():
    batch = _import("dfe_cla_la_wide_2016_layout.csv")
    assert batch.status == "succeeded"
    assert Area.objects.filter(code="E12000007").count() == 1
    assert _cells("E12000007", "2016")["WHITE"] == (4080, "")  # London, not Inner
    assert not Area.objects.filter(level="subregion").exists()
    messages = " ".join(w["message"] for w in batch.warnings)
    assert "Inner London" in messages and "Outer London" in messages


def test_period_override_and_bad_period():
    batch = _import("dfe_cla_la_wide_2019_layout.csv", period="2018")
    assert batch.status == "succeeded"
    assert set(EthnicityCount.objects.values_list("period", flat=True)) == {"2018"}
    bad = _import("dfe_cla_la_wide_2016_layout.csv", period="16")
    assert bad.status == "rejected"
    assert "--period" in bad.errors[0]["message"]
    assert EthnicityCount.objects.filter(period="2016").count() == 0


def test_wide_file_refuses_another_stage_and_missing_column():
    batch = _import("dfe_cla_la_wide_2019_layout.csv", stage="CP")
    assert batch.status == "rejected" and "CLA" in batch.errors[0]["message"]
    text = (FIXTURES / "dfe_cla_la_wide_2016_layout.csv").read_text()
    broken = text.replace("CLA_EOTH", "CLA_XXX").encode()
    batch = figures_import(data=broken, file_name="broken.csv")
    assert batch.status == "rejected"
    assert (
        "CLA_Eoth" in batch.errors[0]["message"]
        or "EOTH" in batch.errors[0]["message"].upper()
    )
    assert EthnicityCount.objects.count() == 0


def test_reimport_changes_nothing_and_a_corrected_cell_updates():
    _import("dfe_cla_la_wide_2019_layout.csv")
    again = _import("dfe_cla_la_wide_2019_layout.csv")
    assert (again.rows_created, again.rows_updated) == (0, 0)
    assert again.rows_unchanged == EthnicityCount.objects.count()
    text = (FIXTURES / "dfe_cla_la_wide_2019_layout.csv").read_text()
    fixed = text.replace(
        "Essex,1006,1004,1030,1050,1054,305000,35,580,474,817",
        "Essex,1006,1004,1030,1050,1054,305000,35,580,474,818",
    )
    batch = figures_import(data=fixed.encode(), file_name="fixed.csv")
    assert (batch.rows_created, batch.rows_updated) == (0, 1)
    assert _cells("E10000012", "2019")["WHITE"] == (818, "")
    assert (
        EthnicityCount.objects.filter(major_code="WHITE", area_id="E10000012").count()
        == 1
    )


def test_tidy_authority_file_2024_layout_regions_aliases_and_london():
    batch = _import("dfe_cla_la_2024_layout.csv")
    assert batch.status == "succeeded", batch.errors
    assert batch.rows_outside_england == 1 and batch.rows_ignored == 1
    essex = Area.objects.get(code="E10000012")
    assert (essex.level, essex.parent_id) == ("local_authority", "E12000006")
    # an Outer London borough's region is London, not a second region
    assert Area.objects.get(code="E09000002").parent_id == "E12000007"
    assert AreaAlias.objects.filter(code="881", area_id="E10000012").exists()
    assert _cells("E10000012", "2024") == {
        "WHITE": (850, ""),
        "MIXED": (95, ""),
        "ASIAN": (None, "c"),
        "BLACK": (55, ""),
        "OOTH": (70, ""),
        "UNKNOWN": (None, "c"),
    }
    assert _cells("E92000001", "2024")["WHITE"] == (61000, "")


def test_tidy_authority_file_2025_layout():
    batch = _import("dfe_cla_la_2025_layout.csv", stage="CLA")
    assert batch.status == "succeeded", batch.errors
    assert batch.format_detected == "dfe_tidy_2025"
    cells = _cells("E10000012", "2025")
    assert cells["BLACK"] == (None, "x") and cells["UNKNOWN"] == (12, "")
    england = _cells("E92000001", "2025")
    # White British given with only a total for White: the part is kept, the
    # partial total is not stored; Mixed comes as a total alone
    assert england == {"WBRI": (40100, ""), "MIXED": (7900, "")}


def test_minor_level_says_not_available_for_major_only_figures():
    _import("dfe_cla_la_wide_2019_layout.csv")
    table = selectors.metrics_table(
        area_code="E10000012", period="2019", stage="CLA", level="minor"
    )
    by = {r["group_code"]: r for r in table.rows}
    assert by["WBRI"]["count"] == "not available"
    assert by["BCRB"]["count"] == "not available"
    assert by["WBRI"]["rate_per_10k"] is None
    assert all(r["count"] != 0 for r in table.rows)
    major = selectors.metrics_table(
        area_code="E10000012", period="2019", stage="CLA", level="major"
    )
    assert {r["group_code"]: r["count"] for r in major.rows}["WHITE"] == 817


def test_local_template_major_labels_and_conflicting_totals():
    Area.objects.create(code="E10000012", name="Essex", level="local_authority")
    ok = (
        b"area_code,period,stage,ethnicity,count\nE10000012,2024,CIN,White,120\n"
        b"E10000012,2024,CIN,Black,30\nE10000012,2024,CIN,BAFR,20\n"
        b"E10000012,2024,CIN,BCRB,6\nE10000012,2024,CIN,BOTH,4\n"
    )
    batch = figures_import(data=ok, file_name="ok.csv")
    assert batch.status == "succeeded", batch.errors
    # Black agrees with its parts: the parts are kept, the total dropped
    assert _cells("E10000012", "2024", "CIN") == {
        "WHITE": (120, ""),
        "BAFR": (20, ""),
        "BCRB": (6, ""),
        "BOTH": (4, ""),
    }
    bad = ok.replace(b"Black,30", b"Black,31")
    batch = figures_import(data=bad, file_name="bad.csv")
    assert batch.status == "rejected"
    assert "both a total" in batch.errors[0]["message"]
    assert batch.errors[0]["row"] == 3


def test_area_hierarchy_from_the_ons_mid_year_file_fills_wide_authorities():
    _import("dfe_cla_la_wide_2016_layout.csv")
    _import("dfe_cla_la_wide_2019_layout.csv")
    batch = areas_import(
        data=fixture_bytes("ons_mid_year_areas_layout.csv"), file_name="mid.csv"
    )
    assert batch.status == "succeeded", batch.errors
    parents = dict(
        Area.objects.filter(level="local_authority").values_list("code", "parent_id")
    )
    assert parents["E10000012"] == "E12000006"
    assert parents["E09000002"] == "E12000007"  # E13 Outer London → London
    # Gateshead's 2016 code is not in the mid-year file; its old code is
    assert parents["E08000020"] == "E12000001"
    # two areas, each with its own years: not merged
    assert _cells("E08000020", "2016") and not _cells("E08000020", "2019")
    assert _cells("E08000037", "2019") and not _cells("E08000037", "2016")
    assert selectors.latest_period("E08000020") == "2016"


def test_neighbours_import_maps_old_codes_and_skips_unknown():
    _import("dfe_cla_la_wide_2019_layout.csv")
    batch = neighbours_import(
        data=fixture_bytes("dfe_statistical_neighbours_layout.csv"), file_name="sn.csv"
    )
    assert batch.status == "succeeded", batch.errors
    essex = list(
        StatisticalNeighbour.objects.filter(area_id="E10000012").values_list(
            "rank", "neighbour_id", "closeness"
        )
    )
    # 886 (Kent) is not known: left out, with a warning; 390 is Gateshead now
    assert essex == [
        (1, "E10000015", "Very close"),
        (2, "E06000033", "Close"),
        (3, "E09000002", "Somewhat close"),
        (5, "E08000037", "Somewhat close"),
    ]
    messages = " ".join(w["message"] for w in batch.warnings)
    assert "886" in messages and "999" in messages
    again = neighbours_import(
        data=fixture_bytes("dfe_statistical_neighbours_layout.csv"), file_name="sn.csv"
    )
    assert again.rows_unchanged == 6 and again.rows_created == 0


def test_neighbours_before_any_authority_is_rejected_with_a_reason():
    batch = neighbours_import(
        data=fixture_bytes("dfe_statistical_neighbours_layout.csv"), file_name="sn.csv"
    )
    assert batch.status == "rejected"
    assert "import_areas" in batch.errors[0]["message"]
    assert not StatisticalNeighbour.objects.exists()


def test_starters_file_is_its_own_measure():
    started = _import("dfe_cla_started_2024_layout.csv", stage="CLA_START")
    assert started.status == "succeeded", started.errors
    stages = set(EthnicityCount.objects.values_list("stage", flat=True))
    assert stages == {"CLA_START"}
    wbri = EthnicityCount.objects.get(group_id="WBRI", period="2024")
    assert wbri.count == 16240
    # without the stage it is still refused, saying what to do
    refused = _import("dfe_cla_started_2024_layout.csv")
    assert refused.status == "rejected"
    assert "CLA_START" in refused.errors[0]["message"]
    # and a 31 March file is not a starters' file
    stock = _import("dfe_cla_2024_layout.csv", stage="CLA_START")
    assert stock.status == "rejected"
    assert EthnicityCount.objects.exclude(stage="CLA_START").count() == 0


def test_commands(tmp_path):
    out = io.StringIO()
    call_command(
        "import_figures",
        str(FIXTURES / "dfe_cla_la_wide_2019_layout.csv"),
        "--stage",
        "CLA",
        "--period",
        "2019",
        stdout=out,
    )
    assert "dfe_wide" in out.getvalue()
    call_command(
        "import_areas", str(FIXTURES / "ons_mid_year_areas_layout.csv"), stdout=out
    )
    call_command(
        "import_neighbours",
        str(FIXTURES / "dfe_statistical_neighbours_layout.csv"),
        stdout=out,
    )
    assert StatisticalNeighbour.objects.filter(area_id="E10000012").count() == 4
    assert Area.objects.get(code="E10000012").parent_id == "E12000006"
    with pytest.raises(CommandError):
        call_command(
            "import_neighbours",
            str(FIXTURES / "local_template.csv"),
            stdout=out,
            stderr=io.StringIO(),
        )


def test_upload_page_takes_wide_files_areas_and_neighbours(
    client_for, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from arp import roles

    client = client_for(roles.GROUPS[0])  # Programme admins
    uploads = [
        ("figures", "dfe_cla_la_wide_2019_layout.csv", {"period": "2019"}),
        ("areas", "ons_mid_year_areas_layout.csv", {}),
        ("neighbours", "dfe_statistical_neighbours_layout.csv", {}),
    ]
    for kind, name, extra in uploads:
        upload = SimpleUploadedFile(name, fixture_bytes(name))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/disproportionality/imports/", {"kind": kind, "file": upload, **extra}
            )
        assert response.status_code == 302
        batch = ImportBatch.objects.order_by("-pk").first()
        assert (batch.kind, batch.status) == (kind, "succeeded"), batch.errors
    assert Area.objects.get(code="E10000012").parent_id == "E12000006"
    assert StatisticalNeighbour.objects.filter(area_id="E10000012").count() == 4
    bad = SimpleUploadedFile("x.csv", fixture_bytes("dfe_cla_la_wide_2019_layout.csv"))
    response = client.post(
        "/disproportionality/imports/", {"kind": "figures", "file": bad, "period": "19"}
    )
    assert response.status_code == 400
