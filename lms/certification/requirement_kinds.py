"""The kinds of certification requirement, each owning everything about itself.

A kind says which fields a programme file gives it (and checks them), reads its evidence from the
database for many people at once, decides from that plain evidence whether a requirement is met, names
the requirement, links to the page where a learner does it, and lists the standard items it evidences.
``REQUIREMENT_KINDS`` maps a kind's name (the ``kind:`` of a requirement) to its object; adding a kind is
one class registered with ``@register_kind`` and nothing else (tests/certification/test_requirement_kinds.py
does exactly that).
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from lms.certification.models import Acknowledgement, SignOff
from lms.content.files import Fields, LineDict
from lms.db import db


@dataclass(frozen=True)
class Proof:
    """One piece of a person's evidence, as plain data: when, with what score, and whether it passed."""

    at: datetime | None
    percent: float | None = None
    passed: bool = True


@dataclass(frozen=True)
class Scope:
    """What a requirement belongs to: a programme, or one update requirement of a programme."""

    programme_id: int
    update_id: int | None = None


Scoped = tuple[dict, Scope]  # a requirement with what it belongs to
Verdict = tuple[bool, str, datetime | None]  # met, detail (e.g. the best score), when it was met


class RequirementKind:
    """The base of every kind; the defaults fit a kind that points at nothing and has no evidence."""

    name: str = ""
    label = ""  # a lazy_gettext text
    fields: frozenset[str] = frozenset()  # the kind's own fields in a programme file, besides id and kind
    in_programme_files = True  # False: only update requirements use it
    target: str | None = None  # the field naming what the requirement points at (course code, exam slug)
    step_endpoint: tuple[str, str] | None = None  # (endpoint, its argument) of the page where it is done
    open_hint = None  # what a learner reads about the requirement while it is open
    confirmed_by_holder = False  # met by the holder pressing "I have read it"

    # ------------------------------------------------------------ files

    def load(self, raw: LineDict, fields: Fields, lines: dict) -> dict:
        """The kind's own fields of a requirement from a programme file; problems go to ``fields``.
        Every reference to other content goes into ``lines`` as (reference kind, value) → line."""
        return {}

    # ------------------------------------------------------------ evidence

    def evidence_key(self, req: dict, scope: Scope) -> Hashable:
        return req[self.target] if self.target else (scope.programme_id, req["id"])

    def gather(self, requirements: list[Scoped], user_ids: list[int]) -> dict[tuple[int, Hashable], list[Proof]]:
        """The evidence of these people for these requirements: (user id, evidence key) → proofs."""
        return {}

    def decide(self, req: dict, proofs: list[Proof], since: datetime | None) -> Verdict:
        """Whether the proofs meet the requirement (only proofs from ``since`` on count, when given)."""
        return False, "", None

    # ------------------------------------------------------------ showing

    def short_name(self, req: dict) -> str:
        """The requirement as its file names it (a code or slug, with the score it asks for)."""
        return req[self.target] if self.target else req["id"]

    def plain_name(self, req: dict) -> str | None:
        """The name in the criteria of the certificate's Open Badges credential."""
        return req.get(self.target) if self.target else None

    def titles(self, requirements: list[dict]) -> dict[str, str]:
        """Titles of what the requirements point at, by target (a few queries for many requirements)."""
        return {}

    def name_link(self, req: dict) -> str | None:
        """Where the requirement's name links to, if anywhere."""
        return None

    def step_prefix(self) -> str | None:
        """The path before the target in the link to the step (one url_for serves every requirement)."""
        if self.step_endpoint is None:
            return None
        from lms.urls import path_for

        endpoint, argument = self.step_endpoint
        return path_for(endpoint, **{argument: "x"}).rsplit("/", 1)[0] + "/"

    def step_link(self, req: dict, prefix: str | None) -> str | None:
        return prefix + req[self.target] if prefix is not None and self.target else None

    def covered_items(self, requirements: list[dict]) -> set[str]:
        """The standard items the evidence of these requirements cites."""
        return set()

    def course_codes(self, requirements: list[dict]) -> set[str]:
        """The courses a learner takes to meet these requirements (assigning a programme assigns them)."""
        return set()


REQUIREMENT_KINDS: dict[str, RequirementKind] = {}


def register_kind(cls: type[RequirementKind]) -> type[RequirementKind]:
    """Class decorator: make a requirement kind known to files, eligibility and pages."""
    REQUIREMENT_KINDS[cls.name] = cls()
    return cls


def kind_of(req: dict) -> RequirementKind:
    return REQUIREMENT_KINDS[req["kind"]]


def file_kind_names() -> list[str]:
    """The kinds a programme file may use, in the order of registration."""
    return [name for name, kind in REQUIREMENT_KINDS.items() if kind.in_programme_files]


def by_kind(requirements: Iterable[dict]) -> dict[RequirementKind, list[dict]]:
    grouped: dict[RequirementKind, list[dict]] = {}
    for req in requirements:
        grouped.setdefault(kind_of(req), []).append(req)
    return grouped


def targets(requirements: Iterable, field: str) -> set[str]:
    """The values of ``field`` in requirements (plain, or (requirement, scope) pairs)."""
    return {(r[0] if isinstance(r, tuple) else r)[field] for r in requirements}


@dataclass(frozen=True)
class RequirementLine:
    """A requirement as a page shows it, ready to print."""

    kind_label: str
    name: str  # the title of what it points at, when known; else its short name
    short_name: str
    name_link: str | None
    met: bool
    detail: str
    evidence_at: datetime | None
    link: str | None  # where to do it, while it is open
    hint: str | None  # what to know about it, while it is open
    confirm_id: str | None  # while open: the holder meets it by confirming this requirement id


def show_requirement(result, titles: dict[str, str] | None = None) -> RequirementLine:
    """A RequirementResult as a line of a page (``titles``: from lms.certification.programmes.requirement_titles)."""
    req = result.requirement
    kind = kind_of(req)
    short = kind.short_name(req)
    title = (titles or {}).get(f"{kind.name}:{req[kind.target]}") if kind.target else None
    still_open = not result.met
    return RequirementLine(
        kind_label=str(kind.label), name=title or short, short_name=short, name_link=kind.name_link(req),
        met=result.met, detail=result.detail, evidence_at=result.evidence_at, link=result.link,
        hint=str(kind.open_hint) if still_open and kind.open_hint else None,
        confirm_id=req["id"] if still_open and kind.confirmed_by_holder else None)


def _score_detail(best: float | None) -> str:
    return f"{best:.0f}%" if best is not None and best >= 0 else ""


# ---------------------------------------------------------------- the kinds


@register_kind
class CourseRequirement(RequirementKind):
    """Complete a course (its enrolment is marked completed)."""

    name, label, fields, target = "course", _l("Course"), frozenset({"course"}), "course"
    step_endpoint = ("courses.course", "code")

    def load(self, raw, fields, lines):
        code = fields.text("course", max_len=16)
        lines[("course", code)] = raw.line_of("course")
        return {"course": code}

    def gather(self, requirements, user_ids):
        from lms.courses.models import Course, Enrolment

        rows = db.session.execute(
            select(Enrolment.user_id, Course.code, Enrolment.completed_at).join(Course, Course.id == Enrolment.course_id)
            .where(Enrolment.user_id.in_(user_ids), Course.code.in_(targets(requirements, "course")),
                   Enrolment.completed_at.is_not(None)))
        return {(uid, code): [Proof(done)] for uid, code, done in rows}

    def decide(self, req, proofs, since):
        at = proofs[-1].at if proofs else None
        return at is not None and (since is None or at >= since), "", at

    def titles(self, requirements):
        from lms.courses.models import Course, CourseVersion

        return {code: f"{code} {title}" for code, title in db.session.execute(
            select(Course.code, CourseVersion.title).join(CourseVersion, CourseVersion.id == Course.published_version_id)
            .where(Course.code.in_(targets(requirements, "course"))))}

    def course_codes(self, requirements):
        return targets(requirements, "course")

    def covered_items(self, requirements):
        from lms.standards.models import StandardCitation, StandardItem

        prefixes = [StandardCitation.link.like(f"%/courses/{code}/%") for code in targets(requirements, "course")]
        return set(db.session.scalars(
            select(StandardItem.code).join(StandardCitation, StandardCitation.item_id == StandardItem.id)
            .where(StandardCitation.kind == "lesson", or_(*prefixes))))


class ScoredRequirement(RequirementKind):
    """Reach a minimum score in something attempted again and again (an exam, an assessment call)."""

    default_min_score = 100
    min_score_required = True

    def load(self, raw, fields, lines):
        out = {self.target: fields.text(self.target, max_len=100)}
        lines[(self.target, out[self.target])] = raw.line_of(self.target)
        if self.min_score_required or "min_score" in raw:
            out["min_score"] = fields.integer("min_score", required=self.min_score_required, minimum=0, maximum=100)
        return out

    def decide(self, req, proofs, since):
        rows = [p for p in proofs if since is None or (p.at is not None and p.at >= since)]
        minimum = req.get("min_score", self.default_min_score)
        good = [p for p in rows if p.percent >= minimum]
        best = max((p.percent for p in rows), default=None)
        return bool(good), _score_detail(best), min((p.at for p in good), default=None)

    def short_name(self, req):
        return f"{req[self.target]}（≥ {req['min_score']}%）" if req.get("min_score") else req[self.target]


@register_kind
class ExamRequirement(ScoredRequirement):
    """Pass an exam with at least ``min_score`` percent."""

    name, label, fields, target = "exam", _l("Exam"), frozenset({"exam", "min_score"}), "exam"
    step_endpoint = ("exams.exam", "exam_slug")

    def gather(self, requirements, user_ids):
        from lms.exams.models import Attempt, AttemptStatus, Exam, ExamVersion
        from lms.exams.review import release_policy

        found = defaultdict(list)
        for uid, slug, percent, at, settings, released_at in db.session.execute(
                select(Attempt.user_id, Exam.slug, Attempt.percent, Attempt.graded_at, ExamVersion.settings,
                       Exam.results_released_at).join(Exam, Exam.id == Attempt.exam_id)
                .join(ExamVersion, ExamVersion.id == Attempt.exam_version_id)
                .where(Attempt.user_id.in_(user_ids), Exam.slug.in_(targets(requirements, "exam")),
                       Attempt.status == AttemptStatus.GRADED, Attempt.percent.is_not(None))):
            # A result the review rule has not released to the learner is no evidence yet.
            if release_policy(AttemptStatus.GRADED, settings, released_at).show_marks:
                found[(uid, slug)].append(Proof(at, percent))
        return found

    def short_name(self, req):
        return f"{req['exam']}（≥ {req.get('min_score', '')}%）"

    def titles(self, requirements):
        from lms.exams.models import Exam, ExamVersion

        return dict(db.session.execute(select(Exam.slug, ExamVersion.title).join(
            ExamVersion, ExamVersion.id == Exam.current_version_id).where(Exam.slug.in_(targets(requirements, "exam"))))
            .all())

    def course_codes(self, requirements):
        from lms.courses.models import Course
        from lms.exams.models import Exam

        return set(db.session.scalars(select(Course.code).join(Exam, Exam.course_id == Course.id)
                                      .where(Exam.slug.in_(targets(requirements, "exam")))))

    def covered_items(self, requirements):
        from lms.exams.models import Exam
        from lms.exams.queries import exam_items

        items: set[str] = set()
        for slug in targets(requirements, "exam"):
            exam = db.session.scalar(select(Exam).where(Exam.slug == slug))
            if exam is not None and exam.current_version is not None:
                items |= exam_items(exam.current_version)
        return items


@register_kind
class CallAssessmentRequirement(ScoredRequirement):
    """Pass a simulated call in assessment mode (with at least ``min_score`` percent, if given)."""

    name, label, fields, target = "scenario", _l("Simulated call (assessment)"), frozenset({"scenario", "min_score"}), \
        "scenario"
    step_endpoint = ("calls.briefing", "scenario_slug")
    default_min_score, min_score_required = 0, False

    def gather(self, requirements, user_ids):
        from lms.calls.models import CallAttempt, CallMode, CallStatus, Scenario

        found = defaultdict(list)
        for uid, slug, percent, passed, at in db.session.execute(
                select(CallAttempt.user_id, Scenario.slug, CallAttempt.percent, CallAttempt.passed,
                       CallAttempt.finished_at).join(Scenario, Scenario.id == CallAttempt.scenario_id)
                .where(CallAttempt.user_id.in_(user_ids), Scenario.slug.in_(targets(requirements, "scenario")),
                       CallAttempt.mode == CallMode.ASSESSMENT, CallAttempt.status == CallStatus.FINISHED)):
            found[(uid, slug)].append(Proof(at, percent if passed else -1.0))  # a failed call never counts
        return found

    @staticmethod
    def _of_current_versions(columns, requirements):
        from lms.calls.models import Scenario, ScenarioVersion

        return select(*columns).select_from(Scenario).join(ScenarioVersion, and_(
            ScenarioVersion.scenario_id == Scenario.id, ScenarioVersion.number == Scenario.current_number)) \
            .where(Scenario.slug.in_(targets(requirements, "scenario")))

    def titles(self, requirements):
        from lms.calls.models import Scenario, ScenarioVersion

        return dict(db.session.execute(self._of_current_versions((Scenario.slug, ScenarioVersion.title), requirements))
                    .all())

    def course_codes(self, requirements):
        from lms.calls.models import Scenario
        from lms.courses.models import Course

        return set(db.session.scalars(select(Course.code).join(Scenario, Scenario.course_id == Course.id)
                                      .where(Scenario.slug.in_(targets(requirements, "scenario")))))

    def covered_items(self, requirements):
        from lms.calls.models import ScenarioVersion

        return {code for definition in db.session.scalars(
                    self._of_current_versions((ScenarioVersion.definition,), requirements))
                for criterion in definition["rubric"] for code in criterion.get("standards", [])}


@register_kind
class SignOffRequirement(RequirementKind):
    """A trainer observes the learner at work and rates a checklist; ``pass_mark`` percent passes."""

    name, label = "signoff", _l("Observed practice (trainer sign-off)")
    fields = frozenset({"title", "pass_mark", "checklist"})
    open_hint = _l("A trainer observes you at work and scores the checklist; ask your trainer for a time.")

    def load(self, raw, fields, lines):
        out = {"title": fields.text("title", max_len=200),
               "pass_mark": fields.integer("pass_mark", minimum=1, maximum=100)}
        checklist = raw.get("checklist")
        if not isinstance(checklist, list) or not checklist:
            fields.error("checklist", gettext("list the observed behaviours, each with text and standards"))
            checklist = []
        out["checklist"] = [line for line in (self._line(item, fields, lines) for item in checklist) if line]
        return out

    @staticmethod
    def _line(item, fields: Fields, lines: dict) -> dict | None:
        if not isinstance(item, dict):
            fields.error("checklist", gettext("each line is {text: …, standards: [...]}"), line=getattr(item, "line", None))
            return None
        c = Fields(item, fields.path)
        c.unknown({"text", "standards"})
        text, codes = c.text("text", max_len=300), c.string_list("standards", required=True)
        for code in codes:
            lines[("item", code)] = item.line_of("standards")
        fields.errors += c.errors
        return {"text": text, "standards": codes}

    def gather(self, requirements, user_ids):
        programme_ids = {scope.programme_id for _req, scope in requirements}
        found = defaultdict(list)
        for s in db.session.scalars(select(SignOff).where(SignOff.user_id.in_(user_ids),
                                                          SignOff.programme_id.in_(programme_ids))):
            found[(s.user_id, (s.programme_id, s.requirement_id))].append(Proof(s.created_at, s.percent, s.passed))
        return found

    def decide(self, req, proofs, since):
        passed = [p for p in proofs if p.passed and (since is None or p.at >= since)]
        best = max((p.percent for p in proofs), default=None)
        return bool(passed), _score_detail(best), passed[0].at if passed else None

    def short_name(self, req):
        return f"{req['title']}（≥ {req['pass_mark']}%）"

    def plain_name(self, req):
        return req["title"]

    def covered_items(self, requirements):
        return {code for req in requirements for line in req["checklist"] for code in line["standards"]}


@register_kind
class AcknowledgeRequirement(RequirementKind):
    """After a standard item is revised: the holder reads it and confirms (update requirements only)."""

    name, label, fields, target = "acknowledge", _l("Read and confirm"), frozenset({"item"}), None
    in_programme_files, confirmed_by_holder = False, True

    def load(self, raw, fields, lines):
        code = fields.text("item", max_len=30)
        lines[("item", code)] = raw.line_of("item")
        return {"item": code}

    def evidence_key(self, req, scope):
        return scope.update_id, req["id"]

    def gather(self, requirements, user_ids):
        update_ids = {scope.update_id for _req, scope in requirements}
        return {(a.user_id, (a.update_id, a.requirement_id)): [Proof(a.created_at)] for a in db.session.scalars(
            select(Acknowledgement).where(Acknowledgement.user_id.in_(user_ids),
                                          Acknowledgement.update_id.in_(update_ids)))}

    def decide(self, req, proofs, since):
        return bool(proofs), "", proofs[0].at if proofs else None

    def short_name(self, req):
        return req.get("item") or req["id"]

    def name_link(self, req):
        from lms.urls import path_for

        return path_for("standards.item", item_code=req["item"])

    def covered_items(self, requirements):
        return {req["item"] for req in requirements}


# Kinds that live with their own domain register themselves on import (a session attended: lms/classroom).
from lms.classroom import requirement as _classroom_requirement  # noqa: E402, F401

# Kinds another domain owns register here too, so that every reader of the registry knows them.
from lms.mentoring import requirement as _mentoring_requirement  # noqa: E402, F401
