import re

import pytest
from django.core import mail

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_next_returns_to_the_page(client, board_member):
    response = client.post(
        "/accounts/login/",
        {"username": "bella", "password": PASSWORD, "next": "/disproportionality/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/disproportionality/"


def test_wrong_password_is_refused(client, board_member):
    response = client.post(
        "/accounts/login/", {"username": "bella", "password": "nope"}
    )
    assert response.status_code == 200
    assert b"did not match" in response.content
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_signs_out(client, board_member):
    client.force_login(board_member)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, steering_member):
    client.force_login(steering_member)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    steering_member.refresh_from_db()
    assert steering_member.check_password("a-new-long-passphrase-2026")


def test_password_reset_by_email(client, practitioner):
    response = client.post("/accounts/password_reset/", {"email": "pat@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(
        1
    )

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url,
        {
            "new_password1": "reset-passphrase-2026!",
            "new_password2": "reset-passphrase-2026!",
        },
    )
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.check_password("reset-passphrase-2026!")


def test_password_reset_for_unknown_email_sends_nothing(client, db):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
