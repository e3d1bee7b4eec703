import io

import pytest

from workforce import seed, selectors
from workforce.models import Report, WorkforceBatch


@pytest.mark.django_db(transaction=True)
def test_demo_has_every_state_two_years_and_is_marked(support_lead):
    seed.seed_demo(stdout=io.StringIO())
    reports = Report.objects.all()
    assert set(reports.values_list("status", flat=True)) == set(Report.Status.values)
    closed = reports.filter(status=Report.Status.CLOSED)
    assert set(closed.values_list("outcome", flat=True)) == set(Report.Outcome.values)
    assert all(r.is_demo for r in reports)
    assert [p for p, _end in selectors.periods()] == ["2024", "2025"]
    assert WorkforceBatch.objects.get().is_demo
    assert selectors.is_demo_data()
    # idempotent
    seed.seed_demo(stdout=io.StringIO())
    assert Report.objects.count() == len(seed.DEMO_REPORTS)
