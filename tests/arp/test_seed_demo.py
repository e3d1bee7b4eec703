import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="board").exists()


def test_seed_demo_creates_one_user_per_role_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")

    User = get_user_model()
    for username, group in [
        ("admin", "Programme admins"),
        ("steering", "Steering group"),
        ("board", "Board"),
        ("practitioner", "Practitioners"),
    ]:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [group]
    out = capsys.readouterr().out
    assert "username: board" in out
    assert "password: arp-demo-board" in out
    assert User.objects.filter(username="board").get().check_password("arp-demo-board")


def test_seed_demo_force_runs_without_debug(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()


def test_seed_demo_feeds_aspiration_indicators_from_the_other_apps(settings):
    from programme.models import Aspiration, IndicatorReading

    settings.DEBUG = True
    call_command("seed_demo")

    first = Aspiration.objects.get(number=1)
    keys = set(first.indicators.values_list("key", flat=True))
    assert keys and all(key.startswith("disproportionality-rri-") for key in keys)
    assert IndicatorReading.objects.filter(indicator__aspiration=first).exists()
    third = Aspiration.objects.get(number=3)
    assert third.indicators.filter(key="learning-spaces-increased-confidence").exists()
