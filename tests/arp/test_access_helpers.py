"""Every view that takes an object's key fetches it through an access helper.

The rule: a route is an *object route* when one of its parameters is an
object key, that is named ``pk`` or ``id``, ends in ``_pk`` or ``_id``, or is
``reference`` (a feedback response's random key). Its view, after unwrapping
its decorators, must call a function named ``get_<object>_for_user`` passing
that key by keyword (``pk=pk``), and must not call ``get_object_or_404`` (or
``get_list_or_404``) itself. For a class-based view the same holds for its own
``get_object``. Every other route parameter must be listed in
``NOT_OBJECT_KEYS`` with the reason it names no object, so a new kind of key
fails here until someone decides which it is.

The helpers (``arp.access``) give 404 for an object the user may not see and
403 for a change they may not make; the role matrices check the statuses.
"""

import ast
import importlib
import inspect
import re
import textwrap

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

OBJECT_KEY = re.compile(r"^(pk|id|\w+_pk|\w+_id|reference)$")
HELPER = re.compile(r"^get_\w+_for_user$")
BARE_FETCH = {"get_object_or_404", "get_list_or_404"}

# Route parameters that name no object a user is authorised on.
NOT_OBJECT_KEYS = {
    # the feedback form's link: the unguessable token is itself the permission
    # (anonymous, no sign-in); Django's password reset link carries one too
    "token": "a capability token, checked by the view that reads it",
    "uidb64": "Django's password reset link (checked with its token)",
    "chart": "the name of a chart to download, not an object",
}

# Django's admin checks its own per-object permissions (ModelAdmin).
SKIP_NAMESPACES = {"admin"}


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                pattern.namespace or namespace,
            )
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def _parameters(route: str, pattern: URLPattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return list(converters)
    return list(re.compile(pattern.pattern.regex.pattern).groupindex)


def _routes():
    """(route, url name, view, its object keys) for every non-admin route."""
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        if namespace in SKIP_NAMESPACES:
            continue
        name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
        yield route, name, pattern.callback, _parameters(route, pattern)


def _object_routes():
    params = []
    for route, name, view, keys in _routes():
        object_keys = [k for k in keys if OBJECT_KEY.match(k)]
        if not object_keys:
            continue
        params.append(pytest.param(route, view, object_keys, id=name))
    return params


def _function_to_read(view):
    """The code that fetches the object: the view itself, or a class-based
    view's own ``get_object``."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        get_object = getattr(view_class, "get_object", None)
        assert get_object is not None and get_object.__module__ == (
            view_class.__module__
        ), f"{view_class.__name__} must define get_object with an access helper"
        return get_object
    return inspect.unwrap(view)


def _calls(function) -> list[ast.Call]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


@pytest.mark.parametrize("route,view,keys", _object_routes())
def test_object_views_go_through_an_access_helper(route, view, keys):
    function = _function_to_read(view)
    calls = _calls(function)
    where = f"{route} ({function.__module__}.{function.__qualname__})"
    helpers = [call for call in calls if HELPER.match(_name(call))]
    assert helpers, f"{where} fetches its object without a get_*_for_user helper"
    for key in keys:
        assert any(key in {kw.arg for kw in call.keywords} for call in helpers), (
            f"{where} does not pass {key}= to its access helper"
        )
    bare = sorted({_name(call) for call in calls} & BARE_FETCH)
    assert not bare, f"{where} also fetches with {bare}"


def test_every_route_parameter_is_classified():
    unknown = {
        (route, key)
        for route, _name_, _view, keys in _routes()
        for key in keys
        if not OBJECT_KEY.match(key) and key not in NOT_OBJECT_KEYS
    }
    assert not unknown, (
        f"Route parameters neither object keys nor in NOT_OBJECT_KEYS: {unknown}"
    )


def test_there_are_object_routes_to_check():
    """The walk finds the views (a broken walk would pass vacuously)."""
    names = {param.id for param in _object_routes()}
    assert {
        "programme:achievement_edit",
        "programme:tool_version_download",
        "learning_spaces:response_review",
        "workforce:report_close",
        "board:pack_store",
    } <= names
    assert len(names) > 50


HELPER_MODULES = [
    "programme.selectors",
    "programme.audits.selectors",
    "programme.tools.selectors",
    "learning_spaces.selectors",
    "workforce.selectors",
]


def _helpers():
    for module_name in HELPER_MODULES:
        module = importlib.import_module(module_name)
        for name, function in vars(module).items():
            defined_here = getattr(function, "__module__", None) == module_name
            if HELPER.match(name) and inspect.isfunction(function) and defined_here:
                yield pytest.param(module, name, function, id=name)


@pytest.mark.parametrize("module,name,helper", list(_helpers()))
def test_helpers_share_one_shape(module, name, helper):
    """get_<object>_for_user(*, user, <key>, for_change=False), with an
    <object>_can_change(user, obj) predicate beside it."""
    parameters = inspect.signature(helper).parameters
    assert all(p.kind is p.KEYWORD_ONLY for p in parameters.values()), name
    assert list(parameters)[0] == "user"
    assert parameters["for_change"].default is False
    assert any(OBJECT_KEY.match(key) for key in parameters), name
    predicate = name.removeprefix("get_").removesuffix("_for_user") + "_can_change"
    assert callable(getattr(module, predicate, None)), (
        f"{module.__name__} has {name} but no {predicate}"
    )
    assert list(inspect.signature(getattr(module, predicate)).parameters)[0] == "user"
