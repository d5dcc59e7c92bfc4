"""The API's people operations (users, teams) and its OpenAPI document. Other domains' operations are in
views_*.py on the same blueprint; every view is thin: one service call, its answer as a model."""

from flask import current_app, request
from flask_login import current_user

from lms.access import public
from lms.accounts.models import Team, User
from lms.api import people
from lms.api.framework import bp, operation, spec
from lms.api.pagination import PageQuery, page
from lms.api.people_schemas import (
    MemberPage,
    TeamIn,
    TeamPage,
    TeamUpserted,
    UserIn,
    UserOut,
    UserPage,
    UsersBulkIn,
    UsersBulkOut,
    UsersQuery,
    UserUpserted,
)
from lms.api.schemas import Done


@bp.get("/openapi.json")
@public
def openapi():
    """The OpenAPI 3.1 document, generated from the models that validate every operation."""
    return current_app.json.response(spec.spec)


@bp.get("/users")
@operation("users:read", ok=UserPage, query=UsersQuery, errors=(400,))
def list_users(query: UsersQuery):
    """People in employee-number order."""
    rows, link = page(people.users_query(current_user, query.team, query.active), User.employee_no, query,
                      lambda u: u.employee_no, str)
    return UserPage(items=[people.user_out(u) for u in rows], next=link)


@bp.get("/users/<employee_no>")
@operation("users:read", ok=UserOut, errors=(404,))
def get_user(employee_no: str):
    """One person by employee number."""
    user = people.find_user(employee_no, current_user)
    return UserOut(**people.user_out(user)), 200, {"ETag": f'"{people.user_etag(user)}"'}


@bp.put("/users/<employee_no>")
@operation("users:write", ok=UserUpserted, created=True, json=UserIn, errors=(409, 412))
def put_user(employee_no: str, json: UserIn):
    """Create or update a person by employee number (201 created; 200 changed or unchanged). With
    If-Match (the ETag of GET), only while the person is unchanged since (412 otherwise)."""
    result, user = people.upsert_user(employee_no, json, current_user, request.if_match)
    return UserUpserted(result=result, user=people.user_out(user)), 201 if result == "created" else 200


@bp.post("/users/bulk")
@operation("users:write", ok=UsersBulkOut, json=UsersBulkIn, errors=(409,))
def bulk_users(json: UsersBulkIn):
    """Create or update many people: all or none; each problem names its item (from 0) and field."""
    results = people.upsert_users(json.items, current_user)
    counts = {key: sum(1 for r, _u in results if r == key) for key in ("created", "changed", "unchanged")}
    items = [{"index": i, "employee_no": u.employee_no, "result": r} for i, (r, u) in enumerate(results)]
    return UsersBulkOut(**counts, items=items)


@bp.post("/users/<employee_no>/deactivate")
@operation("users:write", ok=Done, errors=(404, 409))
def deactivate_user(employee_no: str):
    """Stop a person logging in (ends their sessions); their records stay."""
    return Done(result=people.deactivate_user(people.find_user(employee_no, current_user), current_user))


@bp.get("/teams")
@operation("teams:read", ok=TeamPage, query=PageQuery, errors=(400,))
def list_teams(query: PageQuery):
    """Teams in name order, with their managers and number of members."""
    rows, link = page(people.teams_query(current_user), Team.name, query, lambda t: t.name, str)
    counts = people.member_counts(t.id for t in rows)
    return TeamPage(items=[people.team_out(t, counts.get(t.id, 0)) for t in rows], next=link)


@bp.put("/teams/<name>")
@operation("teams:write", ok=TeamUpserted, created=True, json=TeamIn, errors=(409,))
def put_team(name: str, json: TeamIn):
    """Create or update a team by name: its description and managers (201 created; 200 otherwise)."""
    result, team = people.upsert_team(name, json)
    out = people.team_out(team, people.member_counts([team.id]).get(team.id, 0))
    return TeamUpserted(result=result, team=out), 201 if result == "created" else 200


@bp.get("/teams/<name>/members")
@operation("teams:read", ok=MemberPage, query=PageQuery, errors=(400, 404))
def team_members(name: str, query: PageQuery):
    """The team's members in employee-number order."""
    team = people.find_team(name, current_user)
    rows, link = page(people.users_query(current_user).where(User.team_id == team.id), User.employee_no, query,
                      lambda u: u.employee_no, str)
    return MemberPage(items=[people.user_out(u) for u in rows], next=link)


# The other domains' operations, on the same blueprint.
from lms.api import views_kpi, views_records  # noqa: E402, F401
