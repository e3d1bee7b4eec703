import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_steering_member_logs_in_and_lands_on_programme(
    page, live_server, login, steering_member
):
    login(page, steering_member)

    assert page.url == f"{live_server.url}/programme/"
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert page.get_by_role("link", name="Programme").is_visible()


def test_wrong_password_shows_error_and_stays_signed_out(
    page, live_server, login, board_member
):
    login(page, board_member, password="not-the-password")

    assert "/accounts/login/" in page.url
    assert page.get_by_text("did not match").is_visible()
