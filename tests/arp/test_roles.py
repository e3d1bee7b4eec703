import pytest
from django.contrib.auth.models import Group

from arp import roles


@pytest.mark.django_db
def test_migration_creates_the_four_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Programme admins",
        "Steering group",
        "Board",
        "Practitioners",
    }


def test_every_capability_names_only_known_groups():
    for capability, groups in roles.CAPABILITIES.items():
        assert groups <= set(roles.GROUPS), capability


def test_unknown_capability_is_a_programming_error():
    with pytest.raises(KeyError):
        roles.role_required("programme.fly")


@pytest.mark.django_db
def test_superuser_can_everything_but_members_only_capabilities(django_user_model):
    root = django_user_model.objects.create_superuser("root", "r@example.org", "x")
    assert all(
        roles.user_can(root, c)
        for c in roles.CAPABILITIES
        if c not in roles.MEMBERS_ONLY
    )
    # reading staff reports of racism needs membership of Staff support leads
    assert not roles.user_can(root, "workforce.reports")
    root.groups.add(Group.objects.get_or_create(name=roles.STAFF_SUPPORT_LEADS)[0])
    root._arp_groups = None
    assert roles.user_can(root, "workforce.reports")


@pytest.mark.django_db
def test_inactive_user_can_nothing(steering_member):
    steering_member.is_active = False
    assert not roles.user_can(steering_member, "programme.view")


@pytest.mark.django_db
def test_navigation_shows_each_role_only_what_it_may_use(client_for):
    from arp.roles import BOARD, PRACTITIONERS

    board_page = client_for(BOARD).get("/disproportionality/").content.decode()
    assert 'href="/disproportionality/"' in board_page
    assert 'href="/learning-spaces/insights/"' in board_page
    assert 'href="/learning-spaces/"' not in board_page

    practitioner_page = (
        client_for(PRACTITIONERS).get("/learning-spaces/").content.decode()
    )
    assert 'href="/learning-spaces/"' in practitioner_page
    assert 'href="/programme/"' not in practitioner_page
    assert 'href="/disproportionality/"' not in practitioner_page
