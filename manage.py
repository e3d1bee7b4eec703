#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arp.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as exc:
        # A well-formed DATABASE_URL that points nowhere: one line, no traceback.
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else exc
        print(
            f"Database error: cannot use the database in DATABASE_URL ({first_line})",
            file=sys.stderr,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
