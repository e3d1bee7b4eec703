"""Access to one object: the shape of every app's ``get_<object>_for_user``.

As in healthchecks (``_get_check_for_user`` and ``_get_rw_check_for_user`` in
``hc/front/views.py``): an object the user may not see is a 404, as if it did
not exist; an object they may see but ask to change without the right is a
403. Each app's selectors define, per object type, the queryset of what a user
may see (``Model.objects.visible_to(user)`` where that is a row filter) and an
``<object>_can_change(user, obj)`` predicate, and call ``get_for_user``.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from arp.roles import user_can

M = TypeVar("M", bound=Model)


def get_for_user(
    queryset: QuerySet[M],
    can_change: Callable[[Any, M], bool],
    user: Any,
    for_change: bool = False,
    /,
    **lookup: Any,
) -> M:
    """The object ``lookup`` finds in ``queryset`` (what ``user`` may see).

    Http404 when it is not there; PermissionDenied when ``for_change`` and
    ``can_change(user, obj)`` says no.
    """
    obj = get_object_or_404(queryset, **lookup)
    if for_change and not can_change(user, obj):
        raise PermissionDenied
    return obj


def visible_with(capability: str, queryset: QuerySet[M], user: Any) -> QuerySet[M]:
    """All of ``queryset`` for holders of ``capability``; nothing for the rest.

    For registers every holder of the role sees whole (actions, meetings...).
    """
    return queryset if user_can(user, capability) else queryset.none()
