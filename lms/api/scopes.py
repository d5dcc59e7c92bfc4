"""What a token may do: read or write, per domain. A personal token carries at most what its owner's
roles allow (checked again on every request, so a lost role takes the token's rights with it)."""

from lms.accounts.models import Role, User

DOMAINS = ("users", "teams", "assignments", "progress", "results", "certificates", "kpi", "surveys")
# Domains with no write operation offer only read.
WRITABLE = frozenset({"users", "teams", "assignments", "kpi"})
ALL_SCOPES = tuple(f"{d}:{a}" for d in DOMAINS for a in ("read", "write") if a == "read" or d in WRITABLE)

# The most a token acting as a person with these roles may do. An administrator's reads cover the whole
# centre; a manager's only the members of their teams (lms.api.visibility), to whom they may assign
# courses and whose KPIs they may push (lms.courses.enrolment, lms.kpi.imports), as in the web pages.
ROLE_SCOPES: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(ALL_SCOPES),
    Role.MANAGER: frozenset({"users:read", "teams:read", "assignments:read", "assignments:write", "progress:read",
                             "results:read", "certificates:read", "surveys:read", "kpi:write"}),
}


def allowed_scopes(user: User) -> frozenset[str]:
    """Every scope the user's roles allow a token acting as them."""
    if not user.is_active:
        return frozenset()
    return frozenset().union(*(ROLE_SCOPES.get(role, frozenset()) for role in user.roles))


def grants(scopes, needed: str) -> bool:
    """Whether ``scopes`` allow ``needed`` ("users:read"); write implies read."""
    domain, action = needed.split(":")
    return needed in scopes or (action == "read" and f"{domain}:write" in scopes)
