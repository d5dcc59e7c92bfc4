"""What an audit event is about, in words: each object type has a describer that names a batch of objects
(a person by name and employee number, a course by its code and title, an attempt by its learner and exam).

Describers run one query or a few per object type for a whole page of events, never one per event. An
object that no longer exists, or a type without a describer, is named by its type's label and its number.
"""

from collections.abc import Callable, Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Team, User
from lms.calls.models import CallAttempt, CallTurn, ScenarioVersion
from lms.cases.models import Case
from lms.certification.models import Application, Certificate, Programme, SignOff, UpdateRequirement
from lms.courses.models import Course, CourseVersion, Enrolment, OnboardingPath
from lms.db import db
from lms.evaluation.models import Observation
from lms.exams.models import Attempt, AttemptQuestion, ExamVersion, QuestionBank
from lms.kpi.models import KpiDefinition, KpiImport

Describer = Callable[[set[int]], dict[int, str]]
DESCRIBERS: dict[str, Describer] = {}


def describer(object_type: str):
    def register(fn: Describer) -> Describer:
        DESCRIBERS[object_type] = fn
        return fn
    return register


def _pair(first: str | None, second: str | None) -> str:
    if first and second:
        return _("%(first)s: %(second)s", first=first, second=second)
    return first or second or ""


def person_label(name: str, employee_no: str) -> str:
    return _("%(name)s (%(no)s)", name=name, no=employee_no)


@describer("user")
def people(ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(select(User.id, User.name, User.employee_no).where(User.id.in_(ids))) if ids else []
    return {i: person_label(name, no) for i, name, no in rows}


@describer("team")
def teams(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Team.id, Team.name).where(Team.id.in_(ids))).all()) if ids else {}


def _latest_titles(version, parent, ids: set[int]) -> dict[int, str]:
    """The title of each parent's newest version."""
    if not ids:
        return {}
    rows = db.session.execute(select(parent, version.title).where(parent.in_(ids)).order_by(version.number))
    return {i: title for i, title in rows}


@describer("course")
def courses(ids: set[int]) -> dict[int, str]:
    titles = _latest_titles(CourseVersion, CourseVersion.course_id, ids)
    codes = dict(db.session.execute(select(Course.id, Course.code).where(Course.id.in_(ids))).all()) if ids else {}
    return {i: f"{code} {titles.get(i, '')}".strip() for i, code in codes.items()}


@describer("exam")
def exams(ids: set[int]) -> dict[int, str]:
    return _latest_titles(ExamVersion, ExamVersion.exam_id, ids)


@describer("scenario")
def scenarios(ids: set[int]) -> dict[int, str]:
    return _latest_titles(ScenarioVersion, ScenarioVersion.scenario_id, ids)


@describer("case")
def cases(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Case.id, Case.title).where(Case.id.in_(ids))).all())


@describer("question_bank")
def banks(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(QuestionBank.id, QuestionBank.title)
                                   .where(QuestionBank.id.in_(ids))).all()) if ids else {}


@describer("programme")
def programmes(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Programme.id, Programme.title).where(Programme.id.in_(ids))).all()) if ids else {}


@describer("onboarding_path")
def onboarding_paths(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(OnboardingPath.id, OnboardingPath.title)
                                   .where(OnboardingPath.id.in_(ids))).all()) if ids else {}


def _owned(model, thing_column, thing_describer: Describer, ids: set[int]) -> dict[int, str]:
    """Objects that belong to a person and name a thing: "name (employee no.): thing"."""
    if not ids:
        return {}
    rows = db.session.execute(select(model.id, model.user_id, thing_column).where(model.id.in_(ids))).all()
    names = people({r[1] for r in rows})
    things = thing_describer({r[2] for r in rows})
    return {i: _pair(names.get(u), things.get(t)) for i, u, t in rows}


@describer("enrolment")
def enrolments(ids: set[int]) -> dict[int, str]:
    return _owned(Enrolment, Enrolment.course_id, courses, ids)


@describer("application")
def applications(ids: set[int]) -> dict[int, str]:
    return _owned(Application, Application.programme_id, programmes, ids)


@describer("signoff")
def signoffs(ids: set[int]) -> dict[int, str]:
    return _owned(SignOff, SignOff.programme_id, programmes, ids)


@describer("call_attempt")
def call_attempts(ids: set[int]) -> dict[int, str]:
    return _owned(CallAttempt, CallAttempt.scenario_id, scenarios, ids)


@describer("attempt")
def attempts(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(Attempt.id, Attempt.number).where(Attempt.id.in_(ids))).all()
    owned = _owned(Attempt, Attempt.exam_id, exams, ids)
    return {i: _("%(what)s, attempt %(n)d", what=owned.get(i, ""), n=n) for i, n in rows}


@describer("attempt_question")
def attempt_questions(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(AttemptQuestion.id, AttemptQuestion.attempt_id, AttemptQuestion.position)
                              .where(AttemptQuestion.id.in_(ids))).all()
    names = attempts({r[1] for r in rows})
    return {i: _("%(what)s, question %(n)d", what=names.get(a, ""), n=p) for i, a, p in rows}


@describer("call_turn")
def call_turns(ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(select(CallTurn.id, CallTurn.attempt_id).where(CallTurn.id.in_(ids))).all() if ids else []
    names = call_attempts({a for _i, a in rows})
    return {i: names.get(a, "") for i, a in rows}


@describer("certificate")
def certificates(ids: set[int]) -> dict[int, str]:
    return {i: _pair(holder, title) for i, holder, title in db.session.execute(
        select(Certificate.id, Certificate.holder_name, Certificate.programme_title).where(Certificate.id.in_(ids)))
    } if ids else {}


@describer("update_requirement")
def update_requirements(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(UpdateRequirement.id, UpdateRequirement.title)
                                   .where(UpdateRequirement.id.in_(ids))).all()) if ids else {}


@describer("observation")
def observations(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(Observation.id, Observation.learner_id, Observation.scenario_id)
                              .where(Observation.id.in_(ids))).all()
    names, titles = people({r[1] for r in rows}), scenarios({r[2] for r in rows})
    return {i: _pair(names.get(u), titles.get(t)) for i, u, t in rows}


@describer("kpi_import")
def kpi_imports(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(KpiImport.id, KpiImport.filename).where(KpiImport.id.in_(ids))).all()) if ids else {}


def _kpis(codes: set[str]) -> dict[str, str]:
    """KPIs are named by their code in the log (the column of their CSV files)."""
    rows = db.session.execute(select(KpiDefinition.code, KpiDefinition.name).where(KpiDefinition.code.in_(codes))) if codes else []
    return {code: name for code, name in rows}


def describe_objects(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Names for (object type, object id) pairs, by type in batches; a pair without a name is left out."""
    pairs = set(pairs)
    wanted: dict[str, set[int]] = {}
    for object_type, object_id in pairs:
        if object_type in DESCRIBERS and str(object_id).isdigit():
            wanted.setdefault(object_type, set()).add(int(object_id))
    names = {("kpi", code): name for code, name in _kpis({i for t, i in pairs if t == "kpi"}).items()}
    for object_type, ids in wanted.items():
        for i, text in DESCRIBERS[object_type](ids).items():
            if text:
                names[(object_type, str(i))] = text
    return names


__all__ = ["DESCRIBERS", "describe_objects", "describer", "person_label"]
