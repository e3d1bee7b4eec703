"""Indicator arithmetic (no database) and the indicator pages."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from arp import roles
from programme import indicators as calc
from programme.models import Indicator, IndicatorReading
from tests.programme.conftest import make_indicator

ADMINS, STEERING, BOARD, PRACTITIONERS, LEADS = roles.GROUPS

BASE = {"baseline_value": D(10), "baseline_date": date(2024, 1, 1),
        "target_value": D(50), "target_date": date(2026, 1, 1)}  # fmt: skip


def _assess(readings, *, higher=True, today=date(2025, 1, 1), **over):
    return calc.assess(
        readings=readings, higher_is_better=higher, today=today, **{**BASE, **over}
    )


# Halfway through the period (2025-01-01 is 366 of 731 days), so a straight line
# from 10 to 50 expects about 30.03; green from 26.03, amber from 20.03.
@pytest.mark.parametrize(
    "value,rag",
    [(D(30), "green"), (D(27), "green"), (D(25), "amber"), (D(21), "amber"),
     (D(20), "red"), (D(19), "red"), (D(5), "red"), (D(50), "green"), (D(60), "green")],
)  # fmt: skip
def test_rag_against_straight_line_trajectory(value, rag):
    assessment = _assess([(date(2025, 1, 1), value)])
    assert assessment.rag == rag


def test_progress_and_direction_higher_is_better():
    assessment = _assess([(date(2024, 10, 1), D(22)), (date(2025, 1, 1), D(30))])
    assert assessment.progress == D("0.5")  # (30-10)/(50-10)
    assert assessment.progress_percent == 50
    assert assessment.direction == calc.IMPROVING
    assert assessment.previous == D(22)


def test_lower_is_better_ratio():
    over = {"baseline_value": D("2.4"), "target_value": D("1.5")}
    assessment = _assess(
        [(date(2024, 10, 1), D("2.0")), (date(2025, 1, 1), D("2.1"))],
        higher=False,
        **over,
    )
    # (2.1-2.4)/(1.5-2.4) = 1/3; expected ~0.5 → 0.167 behind → amber
    assert assessment.progress.quantize(D("0.001")) == D("0.333")
    assert assessment.direction == calc.WORSENING
    assert assessment.rag == "amber"
    met = _assess([(date(2025, 1, 1), D("1.4"))], higher=False, **over)
    assert met.rag == "green"


def test_target_date_passed_without_meeting_target_is_red():
    assessment = _assess([(date(2025, 12, 1), D(49))], today=date(2026, 2, 1))
    assert assessment.rag == "red"


def test_grey_without_readings_or_target():
    assert _assess([]).rag == "grey"
    assert _assess([(date(2025, 1, 1), D(30))], target_value=None).rag == "grey"


def test_without_baseline_uses_direction_of_travel():
    over = {"baseline_value": None, "baseline_date": None}
    one = _assess([(date(2025, 1, 1), D(30))], **over)
    assert one.rag == "grey"
    better = _assess([(date(2024, 1, 1), D(20)), (date(2025, 1, 1), D(30))], **over)
    worse = _assess([(date(2024, 1, 1), D(40)), (date(2025, 1, 1), D(30))], **over)
    assert (better.rag, worse.rag) == ("amber", "red")


def test_percent_trained():
    assert calc.percent_trained(150, 600) == D("25.0")
    assert calc.percent_trained(2, 3) == D("66.7")
    assert calc.percent_trained(900, 600) == D("100")
    assert calc.percent_trained(5, 0) is None


TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


@pytest.fixture
def indicator(aspirations):
    indicator = make_indicator(name="% assessments reflecting ethnicity")
    for months, value in ((0, 12), (6, 25), (12, 31)):
        IndicatorReading.objects.create(
            indicator=indicator,
            value=value,
            taken_on=date(2024, 1, 1) + timedelta(days=30 * months),
        )
    return indicator


def test_detail_page_shows_chart_table_and_rule(client_for, indicator):
    response = client_for(BOARD).get(f"/programme/indicators/{indicator.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/vendor/plotly/plotly.min.js" in html
    assert "cdn.plot.ly" not in html
    assert 'id="chart-indicator"' in html and 'id="fig-indicator"' in html
    # the chart is drawn by our static file, after plotly.js has loaded
    assert html.index("vendor/plotly/plotly.min.js") < html.index("js/charts.js")
    assert "Target" in html
    assert "<caption" in html and "31" in html
    assert "straight line from baseline to target" in html
    assert response.context["assessment"].latest == D(31)


def test_steering_member_adds_a_reading(client_for, indicator, steering_member):
    response = client_for(STEERING).post(
        f"/programme/indicators/{indicator.pk}/readings/new/",
        {"value": "40.5", "taken_on": "2025-06-30", "note": "Audit Q1"},
    )
    assert response.status_code == 302
    reading = IndicatorReading.objects.get(indicator=indicator, taken_on="2025-06-30")
    assert reading.value == D("40.5") and reading.entered_by == steering_member


@pytest.mark.parametrize(
    "data,field",
    [
        ({"value": "abc", "taken_on": "2025-06-30"}, "value"),
        ({"value": "1", "taken_on": TOMORROW}, "taken_on"),
    ],
)  # fmt: skip
def test_bad_reading_saves_nothing(client_for, indicator, data, field):
    before = IndicatorReading.objects.count()
    response = client_for(STEERING).post(
        f"/programme/indicators/{indicator.pk}/readings/new/", data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert IndicatorReading.objects.count() == before


def _indicator_data(aspirations, **over):
    data = {
        "aspiration": aspirations[0].pk, "name": "CiN rate ratio", "key": "",
        "unit": "ratio", "data_source": "CiN census",
        "baseline_value": "2.4", "baseline_date": "2024-03-31",
        "target_value": "1.5", "target_date": "2027-03-31",
    }  # fmt: skip
    return {**data, **over}


def test_admin_creates_indicator_with_slug_key(client_for, aspirations):
    response = client_for(ADMINS).post(
        "/programme/indicators/new/", _indicator_data(aspirations)
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert indicator.key == "cin-rate-ratio"
    assert indicator.higher_is_better is False  # unticked checkbox


def test_target_date_before_baseline_is_refused(client_for, aspirations):
    response = client_for(ADMINS).post(
        "/programme/indicators/new/",
        _indicator_data(aspirations, target_date="2023-01-01"),
    )
    assert response.status_code == 200
    assert "must be after the baseline" in str(response.context["form"].errors)
    assert not Indicator.objects.exists()
