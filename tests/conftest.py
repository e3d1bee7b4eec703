"""Shared fixtures: the cast of users, one per role, and test-friendly settings."""

import os

import pytest
from django.contrib.auth.models import Group

from arp import roles

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-staple"

# Role names used across the access matrices: anonymous plus the four groups.
ANONYMOUS = "anonymous"
ALL_ROLES = (ANONYMOUS, *roles.GROUPS)


@pytest.fixture(autouse=True)
def _celery_inline():
    """Run tasks inline in tests even when CELERY_BROKER_URL is set (as in CI).

    The integration tests start a real worker and switch this off themselves.
    """
    from arp.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.CELERY_TASK_ALWAYS_EAGER = True


def make_user(django_user_model, username: str, group: str | None = None, **extra):
    user = django_user_model.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        first_name=username.title(),
        **extra,
    )
    if group:
        # get_or_create: transactional tests flush the groups the migration made
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def programme_admin(db, django_user_model):
    return make_user(django_user_model, "alice", roles.PROGRAMME_ADMINS)


@pytest.fixture
def steering_member(db, django_user_model):
    return make_user(django_user_model, "sam", roles.STEERING_GROUP)


@pytest.fixture
def other_steering_member(db, django_user_model):
    return make_user(django_user_model, "sasha", roles.STEERING_GROUP)


@pytest.fixture
def board_member(db, django_user_model):
    return make_user(django_user_model, "bella", roles.BOARD)


@pytest.fixture
def practitioner(db, django_user_model):
    return make_user(django_user_model, "pat", roles.PRACTITIONERS)


@pytest.fixture
def support_lead(db, django_user_model):
    return make_user(django_user_model, "lee", roles.STAFF_SUPPORT_LEADS)


@pytest.fixture
def users_by_role(
    programme_admin, steering_member, board_member, practitioner, support_lead
):
    return {
        ANONYMOUS: None,
        roles.PROGRAMME_ADMINS: programme_admin,
        roles.STEERING_GROUP: steering_member,
        roles.BOARD: board_member,
        roles.PRACTITIONERS: practitioner,
        roles.STAFF_SUPPORT_LEADS: support_lead,
    }


@pytest.fixture
def client_for(client, users_by_role):
    """``client_for(role)`` gives a test client logged in as that role's user."""

    def _client_for(role: str):
        client.logout()
        user = users_by_role[role]
        if user is not None:
            client.force_login(user)
        return client

    return _client_for


def pytest_collection_modifyitems(config, items):
    """Browser tests last (a stable sort keeps each file's order).

    They run against a live server, so their database is flushed after each
    one, taking with it what the data migrations made (ethnic groups, roles,
    aspirations); tests after them would find those tables empty.
    """
    items.sort(key=lambda item: "e2e" in item.keywords)


OUR_APPS = ("arp", "programme", "learning_spaces", "disproportionality", "workforce")


def restore_migration_data() -> None:
    """Re-run our apps' data migrations (groups, ethnic groups, themes,
    aspirations): a transactional test before this one flushed them."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection)
    for (app, _name), migration in sorted(loader.disk_migrations.items()):
        if app not in OUR_APPS:
            continue
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(apps, None)


def _flushes_the_database(item) -> bool:
    """A transactional test (or any browser test: live server, or a module
    fixture that commits and flushes) empties every table when it ends."""
    marker = item.get_closest_marker("django_db")
    return (
        "e2e" in item.keywords
        or bool({"transactional_db", "live_server"} & set(item.fixturenames))
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that flushed the database, put back what the migrations
    made, so the tests after it (on this worker, in any order) find the roles,
    ethnic groups and aspirations a migrated database has."""
    result = yield
    # nextitem None: the session ends, and the test database is already gone
    if nextitem is not None and _flushes_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            restore_migration_data()
    return result
