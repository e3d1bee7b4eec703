"""Create demonstration users and each app's demo content. Safe to run twice."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from arp import roles

# username, full name, group, password
DEMO_USERS = (
    ("admin", "Amira Khan", roles.PROGRAMME_ADMINS, "arp-demo-admin"),
    ("steering", "Sam Okafor", roles.STEERING_GROUP, "arp-demo-steering"),
    ("board", "Beth Williams", roles.BOARD, "arp-demo-board"),
    ("practitioner", "Priya Shah", roles.PRACTITIONERS, "arp-demo-practitioner"),
)

# Each app's demo content, in dependency order; each module has
# ``seed_demo(*, stdout) -> None`` and is idempotent.
APP_SEEDERS = (
    "programme.seed",
    "learning_spaces.seed",
    "programme.tools.seed",
    "disproportionality.seed",
)


class Command(BaseCommand):
    help = "Create one demo user per role and demo content for every app."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even when DEBUG is off (never on a live service).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off; pass --force if this "
                "really is a demonstration database."
            )
        with transaction.atomic():
            self._seed_users()
            for module_name in APP_SEEDERS:
                try:
                    module = import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                module.seed_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins:"))
        for username, _full_name, group, password in DEMO_USERS:
            self.stdout.write(
                f"  {group:<18} username: {username:<13} password: {password}"
            )

    def _seed_users(self):
        User = get_user_model()
        for username, full_name, group_name, password in DEMO_USERS:
            first, last = full_name.split(" ", 1)
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                },
            )
            user.set_password(password)
            user.is_staff = group_name == roles.PROGRAMME_ADMINS
            user.is_superuser = group_name == roles.PROGRAMME_ADMINS
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
