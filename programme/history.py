"""Turning django-simple-history rows into "who changed what, when" for pages.

Values are shown as people read them: names for people and other linked
records (looked up in one query per kind of record), dates as "2 Dec 2026",
times to the minute, numbers without trailing zeros, Yes/No for flags.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: object
    who: str
    kind: str
    reason: str
    changes: list[Change]


_KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _name(obj) -> str:
    if isinstance(obj, get_user_model()):
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def readable(field, value, related: dict | None = None) -> str:
    """One field's value as a person would read it."""
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if value in (None, ""):
        return "—"
    if field.is_relation and field.many_to_one:
        obj = (related or {}).get((field.related_model, value))
        return _name(obj) if obj is not None else "(removed)"
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local.day} {local:%b %Y, %H:%M}"
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _related_objects(pending) -> dict:
    """(model, pk) → object for every linked record in ``pending``: one query
    per related model."""
    wanted: defaultdict[Any, set] = defaultdict(set)
    for field, old, new in pending:
        if field.is_relation and field.many_to_one:
            wanted[field.related_model].update(v for v in (old, new) if v is not None)
    found = {}
    for model, pks in wanted.items():
        for pk, obj in model._default_manager.in_bulk(list(pks)).items():
            found[(model, pk)] = obj
    return found


def history_with_changes(instance, *, limit: int = 50) -> list[HistoryEntry]:
    """Newest first: each historical record with the fields it changed.

    Compares each record with the one before it (one query for the records,
    one per kind of linked record that changed).
    """
    records = list(
        instance.history.select_related("history_user").order_by("-history_date")[
            : limit + 1
        ]
    )
    raw = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append((field, change.old, change.new))
        raw.append((record, changes))
    related = _related_objects(c for _record, changes in raw for c in changes)
    entries = []
    for record, changes in raw:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "System",
                kind=_KINDS.get(record.history_type, "Changed"),
                reason=record.history_change_reason or "",
                changes=[
                    Change(
                        str(field.verbose_name).capitalize(),
                        readable(field, old, related),
                        readable(field, new, related),
                    )
                    for field, old, new in changes
                ],
            )
        )
    return entries


def save_with_history(instance: Any, *, user, reason: str = "", **save_kwargs) -> None:
    """Save ``instance`` with its history row naming ``user`` (and ``reason``).

    django-simple-history reads the user and reason from these attributes.
    """
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    instance.save(**save_kwargs)
