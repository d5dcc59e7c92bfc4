"""Course and programme reports read the KPI values of every agent who has any: at 10,000 agents × 24
months that is seconds of work; a team's is small but draws a chart (about 20 ms). The finished section is
kept per worker process and reused while the data behind it is unchanged: its key holds the scope, the
language and a version read in one statement (the latest import, the latest KPI or mapping change, and
the course's published version and completions, the team's members and their completions, or the
programme's certificates)."""

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.certification.models import Certificate, Programme
from lms.courses.models import Course, Enrolment
from lms.db import db
from lms.evaluation.report_sections import ReportScope, Section
from lms.kpi.models import KpiDefinition, KpiImport
from lms.kpi.records import team_id_of

SIZE = 32
_sections: OrderedDict[tuple, Section | None] = OrderedDict()
_lock = Lock()


def _version(scope: ReportScope) -> tuple:
    common = [select(func.max(KpiImport.id)).scalar_subquery(),
              select(func.max(KpiDefinition.updated_at)).scalar_subquery()]
    if scope.kind == "course":
        course = select(Course.id).where(Course.code == scope.key).scalar_subquery()
        done = Enrolment.completed_at.is_not(None)
        common += [select(Course.published_version_id).where(Course.code == scope.key).scalar_subquery(),
                   select(func.count()).where(Enrolment.course_id == course, done).scalar_subquery(),
                   select(func.max(Enrolment.completed_at)).where(Enrolment.course_id == course, done).scalar_subquery()]
    elif scope.kind == "team":
        in_team = User.team_id == team_id_of(scope.key)
        done = Enrolment.user_id.in_(select(User.id).where(in_team)), Enrolment.completed_at.is_not(None)
        common += [select(func.count()).select_from(User).where(in_team).scalar_subquery(),
                   select(func.max(User.updated_at)).where(in_team).scalar_subquery(),
                   select(func.count()).where(*done).scalar_subquery(),
                   select(func.max(Enrolment.completed_at)).where(*done).scalar_subquery()]
    else:
        programme = select(Programme.id).where(Programme.slug == scope.key).scalar_subquery()
        common += [select(func.count()).where(Certificate.programme_id == programme).scalar_subquery(),
                   select(func.max(Certificate.issued_at)).where(Certificate.programme_id == programme).scalar_subquery(),
                   select(func.max(Certificate.revoked_at)).where(Certificate.programme_id == programme).scalar_subquery()]
    return tuple(db.session.execute(select(*common)).one())


def cached(scope: ReportScope, build: Callable[[ReportScope], Section | None]) -> Section | None:
    if scope.kind not in ("course", "team", "programme"):
        return build(scope)
    key = (id(current_app._get_current_object()), scope, str(get_locale()), _version(scope))
    with _lock:
        if key in _sections:
            _sections.move_to_end(key)
            return _sections[key]
    section = build(scope)
    with _lock:
        _sections[key] = section
        while len(_sections) > SIZE:
            _sections.popitem(last=False)
    return section
