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
