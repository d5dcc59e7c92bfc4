"""Who the personal-data pages list, and what a person's page shows."""

from dataclasses import dataclass

from sqlalchemy import or_, select

from lms.accounts.models import User
from lms.certification.models import Certificate
from lms.certification.rules import certificate_state
from lms.db import db, get_row
from lms.privacy.erasure import erasure_of, erasure_problem
from lms.privacy.export import TableSummary, summaries
from lms.privacy.models import Erasure

LIST_LIMIT = 50


def find_people(query: str) -> list[tuple[User, Erasure | None]]:
    """People whose name or employee number contains the query; without one, the departed (deactivated)
    people not erased yet. At most LIST_LIMIT, by employee number."""
    statement = select(User, Erasure).outerjoin(Erasure, Erasure.user_id == User.id)
    if query:
        statement = statement.where(
            or_(User.name.contains(query, autoescape=True), User.employee_no.contains(query, autoescape=True))
        )
    else:
        statement = statement.where(User.is_active.is_(False), Erasure.id.is_(None))
    return [tuple(row) for row in db.session.execute(statement.order_by(User.employee_no).limit(LIST_LIMIT))]


@dataclass(frozen=True)
class PersonPage:
    user: User
    erasure: Erasure | None
    problem: str | None  # why the data may not be erased now; None: it may
    tables: list[TableSummary]
    certificates: list[tuple[Certificate, str]]  # each with its state (valid, expired, revoked …)


def person_page(user_id: int, acting: User) -> PersonPage:
    user = get_row(User, user_id)
    certs = db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.issued_at)
    ).all()
    return PersonPage(
        user,
        erasure_of(user.id),
        erasure_problem(user, acting),
        summaries(user),
        [(c, certificate_state(c)) for c in certs],
    )
