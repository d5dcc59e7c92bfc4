"""Who may call which route. Every view declares a rule; a before-request hook enforces it.

A view without a rule is refused (deny by default), and tests/test_access_matrix.py fails for it, so a
new route cannot ship without someone deciding who may use it.
"""

from dataclasses import dataclass

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from lms.accounts.models import Role


@dataclass(frozen=True)
class AccessRule:
    kind: str  # "public" | "anonymous" | "authenticated" | "roles" | "token"
    roles: frozenset[Role] = frozenset()

    def describe(self) -> str:
        if self.kind == "roles":
            return "roles:" + ",".join(sorted(self.roles))
        return self.kind


def _declare(rule: AccessRule):
    def decorator(view):
        view.access_rule = rule
        return view

    return decorator


def public(view):
    """Anyone, logged in or not (login page, verification page, static files)."""
    return _declare(AccessRule("public"))(view)


def authenticated(view):
    """Any logged-in user, whatever their roles."""
    return _declare(AccessRule("authenticated"))(view)


def roles_required(*roles: Role):
    """Logged-in users holding at least one of the roles."""
    if not roles:
        raise ValueError("roles_required needs at least one role")
    return _declare(AccessRule("roles", frozenset(Role(r) for r in roles)))


def api_token(view):
    """API routes: the API blueprint authenticates the bearer token itself."""
    return _declare(AccessRule("token"))(view)


def rule_for_endpoint(endpoint: str | None) -> AccessRule | None:
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return AccessRule("public")
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def enforce_access():
    """before_request hook: apply the matched view's rule."""
    if request.endpoint is None:  # no route matched: let the 404/405 handler answer
        return None
    rule = rule_for_endpoint(request.endpoint)
    if rule is None:
        current_app.logger.error("route %s has no access rule; refused", request.endpoint)
        abort(403)
    if rule.kind in ("public", "token"):
        return None
    if not current_user.is_authenticated:
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        abort(401)
    if rule.kind == "roles" and not current_user.has_role(*rule.roles):
        abort(403)
    return None
