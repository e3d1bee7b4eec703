"""Turning django-simple-history rows into "who changed what, when" for pages."""

from dataclasses import dataclass


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


def _display(record, field_name: str, value) -> str:
    field = record.instance_type._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if value in (None, ""):
        return "—"
    return str(value)


def history_with_changes(instance, *, limit: int = 50) -> list[HistoryEntry]:
    """Newest first: each historical record with the fields it changed.

    Compares each record with the one before it (two passes over one query).
    """
    records = list(
        instance.history.select_related("history_user").order_by("-history_date")[
            : limit + 1
        ]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append(
                    Change(
                        str(field.verbose_name).capitalize(),
                        _display(record, change.field, change.old),
                        _display(record, change.field, change.new),
                    )
                )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "System",
                kind=_KINDS.get(record.history_type, "Changed"),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
