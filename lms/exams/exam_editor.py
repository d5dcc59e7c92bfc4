"""The trainer's exam builder: an exam version shown in the form, the sections written as lines of text,
and the form checked (the course exists, every draw can be filled) and saved as a new version."""

import dataclasses

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.conflicts import as_text, check_based_on, fingerprint, posted_base
from lms.content.files import SLUG
from lms.courses.models import Course
from lms.db import db
from lms.errors import DomainError
from lms.exams.availability import parse_time
from lms.exams.exam_rules import section_problems
from lms.exams.loader import DrawSpec, ExamSpec, SectionSpec
from lms.exams.models import Exam, Question
from lms.exams.queries import get_exam, question_pool
from lms.exams.question_editor import split_list
from lms.exams.question_types import QUESTION_TYPES
from lms.exams.sync import save_exam
from lms.timeutil import local_zone

SETTINGS_IN_FORM = ("description", "time_limit_minutes", "overdue", "grace_minutes", "attempts", "cooldown_minutes",
                    "pass_mark", "shuffle_questions", "shuffle_options", "layout", "review")
NEW_EXAM_DEFAULTS = {"time_limit_minutes": 30, "attempts": 3, "pass_mark": 80}


def _draw_line(words: list[str], number: int) -> SectionSpec:
    if len(words) < 4 or not words[1].isdigit() or words[2].lower() != "from":
        raise DomainError(_("Line %(n)d: write 'draw 5 from tag1 tag2'.", n=number), field="sections")
    tags, types = words[3:], []
    if "only" in tags:
        index = tags.index("only")
        tags, types = tags[:index], tags[index + 1:]
    if not tags or any(t not in QUESTION_TYPES for t in types):
        raise DomainError(_("Line %(n)d: name at least one tag, and only known types.", n=number), field="sections")
    return SectionSpec(draw=DrawSpec(tuple(tags), int(words[1]), tuple(types)))


def sections_from_text(text: str) -> list[SectionSpec]:
    """One section per line: 'phone-service-001 phone-service-002' (fixed questions) or
    'draw 5 from pro-201 phone' (random, questions carrying every tag), optionally
    'only single multiple truefalse'."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    sections = []
    for number, line in enumerate(lines, start=1):
        words = split_list(line)
        sections.append(_draw_line(words, number) if words[0].lower() == "draw" else SectionSpec(questions=tuple(words)))
    if not sections:
        raise DomainError(_("Add at least one line of questions."), field="sections")
    return sections


def sections_to_text(sections: list[dict]) -> str:
    lines = []
    for section in sections:
        if "draw" in section:
            draw = section["draw"]
            lines.append(f"draw {draw['count']} from {' '.join(draw['tags'])}"
                         + (f" only {' '.join(draw['types'])}" if draw.get("types") else ""))
        else:
            lines.append(" ".join(section["questions"]))
    return "\n".join(lines)


def form_values(exam: Exam | None) -> dict:
    """The exam form's field values: the exam's current version, or a new exam's defaults."""
    if exam is None:
        return dict(NEW_EXAM_DEFAULTS)
    version = exam.current_version
    values = {"slug": exam.slug, "title": version.title, "kind": str(exam.kind),
              "course": db.session.scalar(select(Course.code).where(Course.id == exam.course_id)) or "",
              "sections": sections_to_text(version.sections)}
    values |= {name: version.settings.get(name) for name in SETTINGS_IN_FORM}
    for name in ("available_from", "available_until"):
        moment = parse_time(version.settings.get(name))
        values[name] = moment.astimezone(local_zone()).replace(tzinfo=None) if moment else None
    return values | {"based_on": fingerprint(version.content_hash)}


def _spec_from_form(form) -> ExamSpec:
    if not SLUG.match(form.slug.data or ""):
        raise DomainError(_("Use lowercase letters, digits and '-'."), field="slug")
    if form.overdue.data == "grace" and not form.grace_minutes.data:
        raise DomainError(_("A grace period needs some minutes."), field="grace_minutes")
    opens, closes = form.available_from.data, form.available_until.data
    if opens and closes and closes <= opens:
        raise DomainError(_("The exam must close after it opens."), field="available_until")
    settings = {name: getattr(form, name).data for name in SETTINGS_IN_FORM}
    settings["description"] = settings["description"] or ""
    settings["available_from"] = opens.isoformat() if opens else None
    settings["available_until"] = closes.isoformat() if closes else None
    return ExamSpec(form.slug.data, form.title.data.strip(), form.kind.data,
                    (form.course.data or "").strip().upper() or None, None, settings,
                    tuple(sections_from_text(form.sections.data)))


def _pool_uids(draw: DrawSpec) -> set[str]:
    ids = question_pool(list(draw.tags), list(draw.types))
    return set(db.session.scalars(select(Question.uid).where(Question.id.in_(ids)))) if ids else set()


def check_exam(spec: ExamSpec) -> None:
    """The builder's checks: the course exists, and the sections pass the check the importer runs too."""
    if spec.course and db.session.scalar(select(Course.id).where(Course.code == spec.course)) is None:
        raise DomainError(_("There is no course %(code)s.", code=spec.course), field="course")
    fixed = {uid for section in spec.sections for uid in section.questions}
    existing = set(db.session.scalars(select(Question.uid).where(Question.uid.in_(fixed)))) if fixed else set()
    problems = section_problems(spec.sections, existing, _pool_uids)
    if problems:
        raise DomainError(" ".join(problem.message for problem in problems), field="sections")


def save_exam_form(exam: Exam | None, form, actor: User) -> Exam:
    """Check the builder's form and save it as the exam's next version (or a new exam). A form filled from
    a version someone else has replaced since is refused, showing theirs against it (lms.conflicts)."""
    if exam is not None:
        saved = {name: value for name, value in form_values(exam).items() if name != "based_on"}
        check_based_on(posted_base(form.based_on), exam.current_version.content_hash, as_text(saved),
                       as_text({name: getattr(form, name).data for name in saved}))
    spec = _spec_from_form(form)
    if exam is None and get_exam(spec.slug):
        raise DomainError(_("Another exam already has this id."), field="slug")
    if exam is not None:
        spec = dataclasses.replace(spec, slug=exam.slug, pair=exam.pair_slug)
    check_exam(spec)
    saved, _changed = save_exam(spec, actor, source="editor")
    return saved
