"""What the certification pages show, read in a fixed number of queries: a learner's programmes and one
programme's requirements, a reviewer's queue and one application, a certificate, the team overview."""

from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.certification import documents
from lms.certification.eligibility import eligibility, evaluate
from lms.certification.models import OPEN_STATUSES, Application, Certificate, Programme
from lms.certification.programmes import get_programme, list_programmes, requirement_titles
from lms.certification.requirement_kinds import RequirementLine, show_requirement
from lms.certification.reviewers import application_for_review, certificate_for_viewer, reviewable_team_ids
from lms.certification.rules import Eligibility, certificate_state
from lms.certification.updates import UpdateState, updates_for
from lms.db import db
from lms.generations import cached_results


def _lines(state: Eligibility) -> list[RequirementLine]:
    titles = requirement_titles([state.programme])
    return [show_requirement(r, titles) for r in state.results]


def my_overview(user: User) -> list[Eligibility]:
    """The learner's standing in every programme."""
    progs = list_programmes()
    found = evaluate([user], progs)
    return [found[(user.id, p.id)] for p in progs]


def applications_of(user: User, programme: Programme) -> list[Application]:
    return list(db.session.scalars(select(Application).where(
        Application.user_id == user.id, Application.programme_id == programme.id).order_by(Application.applied_at.desc())))


@dataclass
class ProgrammePage:
    programme: Programme
    state: Eligibility
    lines: list[RequirementLine]
    applications: list[Application]
    updates: list[UpdateState]
    prerequisites: list[Programme] = field(default_factory=list)  # the programmes it needs first


def programme_overview(user: User, slug: str) -> ProgrammePage:
    """A programme as the learner sees it: their standing, each requirement, their applications and the
    updates they owe."""
    programme = get_programme(slug)
    state = eligibility(user, programme)
    needed = programme.definition.get("prerequisites", [])
    found = {p.slug: p for p in db.session.scalars(select(Programme).where(Programme.slug.in_(needed)))} if needed else {}
    return ProgrammePage(programme, state, _lines(state), applications_of(user, programme),
                         [u for u in updates_for(user) if u.update.programme_id == programme.id],
                         [found[slug] for slug in needed if slug in found])


def review_queue(actor: User) -> list[Application]:
    """The open applications the actor may decide, oldest first."""
    stmt = (select(Application).where(Application.status.in_(OPEN_STATUSES))
            .options(selectinload(Application.user), selectinload(Application.programme))
            .order_by(Application.applied_at))
    teams = reviewable_team_ids(actor)
    if teams is not None:
        stmt = stmt.join(User, User.id == Application.user_id).where(User.team_id.in_(teams or [-1]),
                                                                      User.id != actor.id)
    return list(db.session.scalars(stmt.limit(500)))


@dataclass
class ApplicationPage:
    application: Application
    state: Eligibility  # the requirements today
    lines: list[RequirementLine]
    certificate: Certificate | None
    decidable: bool = False  # it can be issued (workflow.still_met: on the version it was made under)


def application_overview(application_id: int, reviewer: User) -> ApplicationPage:
    application = application_for_review(application_id, reviewer)
    state = eligibility(application.user, application.programme)
    certificate = db.session.scalar(select(Certificate).where(Certificate.application_id == application.id))
    from lms.certification.workflow import still_met

    return ApplicationPage(application, state, _lines(state), certificate, still_met(application, state))


@dataclass
class CertificatePage:
    cert: Certificate
    state: str
    verify_url: str
    qr: Markup
    mine: bool
    can_revoke: bool


def certificate_overview(public_id: str, viewer: User) -> CertificatePage:
    cert = certificate_for_viewer(public_id, viewer)
    url = documents.verify_url(cert)
    return CertificatePage(cert, certificate_state(cert), url, documents.qr_svg(url, scale=4), cert.user_id == viewer.id,
                           viewer.has_role(Role.TRAINER, Role.ADMIN) and cert.revoked_at is None)


@dataclass
class TeamRow:
    user: User
    states: dict = field(default_factory=dict)  # programme id → Eligibility


def team_overview(actor: User, text: str = "", page: int = 1, per_page: int = 50):
    """One page of the people the actor may see (a manager's teams; everyone for trainers), found by name
    or employee number, with each programme's state: a fixed number of queries whatever the page size."""
    from lms.accounts.users import where_user_matches

    teams = reviewable_team_ids(actor)
    conditions = [User.is_active.is_(True)] + ([User.team_id.in_(teams or [-1])] if teams is not None else [])
    stmt = where_user_matches(select(User).where(*conditions).order_by(User.employee_no), text)
    found_page = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=False)
    # A count of ids alone, not of the whole rows paginate() would wrap in a subquery; everyone's count reads the
    # whole index (6 ms at 100,000 people on SQLite), so it is kept while no result changes.
    count = where_user_matches(select(func.count(User.id)).where(*conditions), text)
    found_page.total = cached_results(("people-count", None if teams is None else tuple(teams), text),
                                      lambda: db.session.scalar(count))
    users = list(found_page.items)
    progs = list_programmes()
    found = evaluate(users, progs)
    return progs, found_page, [TeamRow(u, {p.id: found[(u.id, p.id)] for p in progs}) for u in users]
