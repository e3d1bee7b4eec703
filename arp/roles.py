"""Who may do what: the one permission matrix for the whole tracker.

Each capability names the groups that hold it. Superusers hold every
capability. Views use ``role_required``; templates read ``can.<capability>``
(dots become underscores) from the context processor.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

PROGRAMME_ADMINS = "Programme admins"
STEERING_GROUP = "Steering group"
BOARD = "Board"
PRACTITIONERS = "Practitioners"
# Designated leads who read and handle staff reports of racism (workforce app).
# Nobody else reads a report, Programme admins included, unless also a lead.
STAFF_SUPPORT_LEADS = "Staff support leads"

GROUPS = (PROGRAMME_ADMINS, STEERING_GROUP, BOARD, PRACTITIONERS, STAFF_SUPPORT_LEADS)

CAPABILITIES: dict[str, frozenset[str]] = {
    # programme
    "programme.view": frozenset({PROGRAMME_ADMINS, STEERING_GROUP, BOARD}),
    "programme.contribute": frozenset({PROGRAMME_ADMINS, STEERING_GROUP}),
    "programme.publish": frozenset({PROGRAMME_ADMINS}),
    "programme.manage": frozenset({PROGRAMME_ADMINS}),
    # practice tools library: everyone signed in reads; editors add and version
    "programme.tools_view": frozenset(GROUPS),
    "programme.tools_manage": frozenset({PROGRAMME_ADMINS, STEERING_GROUP}),
    # learning spaces
    "learning_spaces.view_sessions": frozenset(
        {PROGRAMME_ADMINS, STEERING_GROUP, PRACTITIONERS}
    ),
    "learning_spaces.manage": frozenset({PROGRAMME_ADMINS, STEERING_GROUP}),
    "learning_spaces.insights": frozenset({PROGRAMME_ADMINS, STEERING_GROUP, BOARD}),
    "learning_spaces.responses": frozenset({PROGRAMME_ADMINS, STEERING_GROUP}),
    # disproportionality
    "disproportionality.view": frozenset({PROGRAMME_ADMINS, STEERING_GROUP, BOARD}),
    "disproportionality.import": frozenset({PROGRAMME_ADMINS}),
    "disproportionality.unsuppressed": frozenset({PROGRAMME_ADMINS}),
}

# Where each role starts, in order of precedence (first match wins).
HOME_PAGES = (
    (PROGRAMME_ADMINS, "programme:overview"),
    (STEERING_GROUP, "programme:overview"),
    (BOARD, "disproportionality:dashboard"),
    (PRACTITIONERS, "learning_spaces:index"),
)


def user_groups(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_arp_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._arp_groups = cached
    return cached


def user_can(user, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user_groups(user) & CAPABILITIES[capability])


def role_required(capability: str) -> Callable:
    """Anonymous users go to the login page; users without the role get 403."""
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def home_page_for(user) -> str | None:
    groups = user_groups(user)
    if user.is_superuser:
        return HOME_PAGES[0][1]
    for group, url_name in HOME_PAGES:
        if group in groups:
            return url_name
    return None


class _Can:
    """Lazy ``can.programme_view`` lookups for templates."""

    def __init__(self, user):
        self.user = user

    def __getattr__(self, name: str) -> bool:
        for capability in CAPABILITIES:
            if capability.replace(".", "_") == name:
                return user_can(self.user, capability)
        raise AttributeError(name)


def context_processor(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"can": _Can(user)}
