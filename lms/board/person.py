"""One person's full record, read-only, for the manager of their team (or an administrator): courses with
progress and due dates, exams (the marks; the answers only where the review policy shows them and the
reader may open the review), calls with their debriefs, observations and certificates. Reading another
person's results is audited (by a task: the page only reads)."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.audit.services import record_read
from lms.calls.models import CallAttempt, CallStatus, ScenarioVersion
from lms.certification.models import Certificate
from lms.certification.reviewers import person_for_review
from lms.certification.rules import certificate_state
from lms.competitions.running import honours_of
from lms.courses.progress import MyCourse
from lms.courses.team import members_progress
from lms.db import db, get_row, utcnow
from lms.evaluation.models import Observation, ObservationStatus
from lms.exams.models import Attempt, AttemptStatus
from lms.exams.review import review_policy

SHOWN = 50  # the most recent of each kind


@dataclass(frozen=True)
class ExamLine:
    attempt: Attempt
    title: str
    graded: bool
    review_link: bool  # the reader may open the attempt with its answers (policy and role permitting)


@dataclass(frozen=True)
class CallLine:
    call: CallAttempt
    title: str


@dataclass(frozen=True)
class ObservationLine:
    observation: Observation
    title: str


@dataclass(frozen=True)
class CertificateLine:
    certificate: Certificate
    state: str


@dataclass
class PersonRecord:
    person: User
    courses: list[MyCourse]
    exams: list[ExamLine]
    calls: list[CallLine]
    observations: list[ObservationLine]
    certificates: list[CertificateLine]
    honours: list = field(default_factory=list)  # lms.competitions: places and winning teams

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.courses if c.overdue)


def _exams(person: User, staff: bool) -> list[ExamLine]:
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.user_id == person.id, Attempt.status != AttemptStatus.IN_PROGRESS)
        .options(selectinload(Attempt.exam), selectinload(Attempt.exam_version))
        .order_by(Attempt.id.desc()).limit(SHOWN))
    return [ExamLine(a, a.exam_version.title, a.status == AttemptStatus.GRADED,
                     staff and review_policy(a).show_answers) for a in attempts]


def _calls(person: User) -> list[CallLine]:
    calls = db.session.scalars(
        select(CallAttempt).where(CallAttempt.user_id == person.id, CallAttempt.status != CallStatus.IN_PROGRESS)
        .options(selectinload(CallAttempt.version)).order_by(CallAttempt.id.desc()).limit(SHOWN))
    return [CallLine(c, c.version.title) for c in calls]


def _observations(person: User) -> list[ObservationLine]:
    rows = db.session.execute(
        select(Observation, ScenarioVersion.title)
        .join(ScenarioVersion, ScenarioVersion.id == Observation.scenario_version_id)
        .where(Observation.learner_id == person.id, Observation.status != ObservationStatus.CANCELLED)
        .order_by(Observation.due_on.desc()).limit(SHOWN))
    return [ObservationLine(o, title) for o, title in rows]


def _certificates(person: User, now: datetime) -> list[CertificateLine]:
    certs = db.session.scalars(select(Certificate).where(Certificate.user_id == person.id)
                               .order_by(Certificate.issued_at.desc()).limit(SHOWN))
    return [CertificateLine(c, certificate_state(c, now)) for c in certs]


def call_of(actor: User, user_id: int, call_id: int) -> CallAttempt:
    """A finished call of a person the actor may see, for its debrief; RowNotFound (404) otherwise."""
    person = person_for_review(user_id, actor)
    call = get_row(CallAttempt, call_id, where=(CallAttempt.user_id == person.id,
                                                CallAttempt.status != CallStatus.IN_PROGRESS))
    record_read("board.person_read", "call_attempt", call.id, summary=person.employee_no)
    return call


def person_record(actor: User, user_id: int) -> PersonRecord:
    """The record of a person the actor may see; RowNotFound (404) for anyone else (another manager's
    people, the actor themselves)."""
    person = person_for_review(user_id, actor)
    record_read("board.person_read", "user", person.id, summary=person.employee_no)
    staff = actor.has_role(Role.TRAINER, Role.ADMIN)  # who may open exams' and calls' staff pages
    progress = members_progress([person])
    return PersonRecord(person, progress[0].courses if progress else [], _exams(person, staff), _calls(person),
                        _observations(person), _certificates(person, utcnow()), honours_of(person.id))
