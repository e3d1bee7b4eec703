"""Review: odd input to the public report form is a message, not a 500."""

import pytest
from django.core.cache import cache

from learning_spaces import protection
from workforce.models import Report
from workforce.views.public import REPORT_SCOPE


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["0000-01", "1999-12", "2026-13", "2026-00"])
def test_an_impossible_month_is_a_message(client, month):
    response = client.post(
        "/workforce/report/",
        {
            "involvement": "experienced",
            "source": "colleague",
            "occurred_month": month,
            "what_happened": "Comments about my hair.",
            "resolution_sought": "For it to stop.",
            "wants_contact": "no",
            "form_token": protection.issue_form_token(REPORT_SCOPE),
        },
    )
    assert response.status_code == 400
    assert "Enter" in response.content.decode()
    assert not Report.objects.exists()


COUNT_OVER_FILLED_BASE = """period,measure,ethnicity,count,base
2025,inpost,WHITE,40,
2025,inpost,BLACK,20,
2025,disciplinary,WHITE,50,
2025,disciplinary,BLACK,20,
"""


@pytest.mark.django_db
def test_a_count_above_the_in_post_base_is_refused_not_a_500(client, board_member):
    """A blank base is the in-post count: 50 disciplinary of 40 in post is an
    error in the file (it made the Katz variance negative: a 500 on every page)."""
    from workforce import importer, services
    from workforce.models import WorkforceFigure

    with pytest.raises(importer.ImportProblem) as caught:
        services.workforce_import(
            content=COUNT_OVER_FILLED_BASE.encode(), file_name="x.csv"
        )
    assert caught.value.errors == [
        "Row 4: count 50 is more than its base 40 (inpost, row 2)."
    ]
    assert not WorkforceFigure.objects.exists()


@pytest.mark.django_db
def test_pages_survive_a_count_above_a_base_from_another_import(client, board_member):
    """The in-post figures can be re-imported later, smaller: no 500, no ratio."""
    from workforce import services

    first, second = COUNT_OVER_FILLED_BASE.split("2025,disciplinary,WHITE")
    services.workforce_import(
        content=(
            "period,measure,ethnicity,count,base\n2025,inpost,WHITE,60,\n"
            "2025,inpost,BLACK,20,\n2025,disciplinary,WHITE" + second
        ).encode(),
        file_name="a.csv",
    )
    services.workforce_import(content=first.encode(), file_name="b.csv")  # 40 now
    client.force_login(board_member)
    response = client.get("/workforce/api/measures/?period=2025&measure=disciplinary")
    assert response.status_code == 200
    rows = {r["group_code"]: r for r in response.json()["rows"]}
    assert rows["WHITE"]["rate"] is None
    assert rows["BLACK"]["relative_likelihood"] is None
    assert client.get("/workforce/?period=2025").status_code == 200
    assert client.get("/workforce/measures.csv?period=2025").status_code == 200
