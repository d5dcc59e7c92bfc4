"""The trainer's exam builder: an exam version shown in the form, the sections written as lines of text,
and the form checked (the course exists, every draw can be filled) and saved as a new version."""

import contextlib
import dataclasses

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.conflicts import as_text, check_based_on, fingerprint, posted_base
from lms.content.files import SLUG
from lms.courses.models import Course
from lms.db import db
from lms.errors import DomainError
from lms.exams import exam_builder
from lms.exams.availability import parse_time
from lms.exams.exam_builder import rows_from_sections, sections_from_rows
from lms.exams.exam_rules import SectionProblem, draw_reference_problems, section_problems
from lms.exams.loader import DrawSpec, ExamSpec, SectionSpec
from lms.exams.models import Exam, Question, QuestionBank
from lms.exams.queries import draw_pool, get_exam
from lms.exams.question_editor import split_list
from lms.exams.question_types import QUESTION_TYPES
from lms.exams.sync import save_exam
from lms.standards.models import StandardItem
from lms.timeutil import local_zone
from lms.views import refuse

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
        return dict(NEW_EXAM_DEFAULTS, builder="rows")
    version = exam.current_version
    values = {"slug": exam.slug, "title": version.title, "kind": str(exam.kind),
              "course": db.session.scalar(select(Course.code).where(Course.id == exam.course_id)) or "",
              "sections": sections_to_text(version.sections), "parts": rows_from_sections(version.sections),
              "builder": "rows"}
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
    sections = sections_from_rows(form.parts.data) if form.builder.data == "rows" else sections_from_text(form.sections.data)
    return ExamSpec(form.slug.data, form.title.data.strip(), form.kind.data,
                    (form.course.data or "").strip().upper() or None, None, settings, tuple(sections))


def _pool_uids(draw: DrawSpec) -> set[str]:
    ids = draw_pool(draw.as_data())
    return set(db.session.scalars(select(Question.uid).where(Question.id.in_(ids)))) if ids else set()


def check_exam(spec: ExamSpec, field: str = "sections") -> None:
    """The builder's checks: the course exists, draws name banks and items that exist, and the sections pass
    the check the importer runs too. ``field`` is the control the sections were written in."""
    if spec.course and db.session.scalar(select(Course.id).where(Course.code == spec.course)) is None:
        raise DomainError(_("There is no course %(code)s.", code=spec.course), field="course")
    banks = {d.bank for s in spec.sections if (d := s.draw) and d.bank}
    codes = {code for s in spec.sections if s.draw for code in s.draw.standards}
    known_banks = set(db.session.scalars(select(QuestionBank.slug).where(QuestionBank.slug.in_(banks)))) if banks else set()
    known_items = set(db.session.scalars(select(StandardItem.code).where(StandardItem.code.in_(codes)))) if codes else set()
    wrong = draw_reference_problems(spec.sections, known_banks, known_items)
    if wrong:
        raise DomainError(" ".join(wrong), field=field)
    fixed = {uid for section in spec.sections for uid in section.questions}
    existing = set(db.session.scalars(select(Question.uid).where(Question.uid.in_(fixed)))) if fixed else set()
    titles = dict(db.session.execute(select(QuestionBank.slug, QuestionBank.title).where(QuestionBank.slug.in_(banks))
                                     ).all()) if banks else {}
    problems = section_problems(spec.sections, existing, _pool_uids, titles)
    if problems:
        raise SectionErrors(problems, field)


class SectionErrors(DomainError):
    """Sections that would shorten attempts; in the builder each message also goes beside its section."""

    def __init__(self, problems: list[SectionProblem], field: str):
        super().__init__(" ".join(problem.message for problem in problems), field=field)
        self.problems = problems

    def show_on(self, form) -> bool:
        if self.field != "parts":
            return False
        entries = form.parts.entries
        for problem in self.problems:
            if 0 < problem.section <= len(entries):
                row = entries[problem.section - 1].form
                target = row.count if row.kind.data == "draw" else row.questions
                target.errors = [*target.errors, problem.message]
        form.parts.errors = [*(e for e in form.parts.errors if isinstance(e, str)), str(self.message)]
        return True


def _posted(form, names) -> dict:
    """The posted values under the saved ones' names; sections built with the controls are shown as lines."""
    values = {name: getattr(form, name).data for name in names}
    if form.builder.data == "rows":
        with contextlib.suppress(DomainError):
            values["sections"] = sections_to_text([{"questions": list(s.questions)} if s.draw is None
                                                   else {"draw": s.draw.as_data()}
                                                   for s in sections_from_rows(form.parts.data)])
    return values


def save_exam_form(exam: Exam | None, form, actor: User) -> Exam:
    """Check the builder's form and save it as the exam's next version (or a new exam). A form filled from
    a version someone else has replaced since is refused, showing theirs against it (lms.conflicts)."""
    if exam is not None:
        saved = {name: value for name, value in form_values(exam).items()
                 if name not in ("based_on", "parts", "builder")}
        check_based_on(posted_base(form.based_on), exam.current_version.content_hash, as_text(saved),
                       as_text(_posted(form, saved)))
    spec = _spec_from_form(form)
    if exam is None and get_exam(spec.slug):
        raise DomainError(_("Another exam already has this id."), field="slug")
    if exam is not None:
        spec = dataclasses.replace(spec, slug=exam.slug, pair=exam.pair_slug)
    check_exam(spec, "parts" if form.builder.data == "rows" else "sections")
    saved, _changed = save_exam(spec, actor, source="editor")
    return saved


# ---------------------------------------------------------------- the builder page around the form


def choose_builder(form, asked: str | None, exam: Exam | None) -> None:
    """A form not yet posted shows the sections' controls, or the lines of text when asked and they can say
    everything the exam draws (lines cannot name a bank, standard items or difficulties)."""
    if not form.is_submitted():
        draws = [s["draw"] for s in exam.current_version.sections if "draw" in s] if exam else []
        writable = not any(d.get("bank") or d.get("standards") or d.get("difficulties") for d in draws)
        form.builder.data = "text" if asked == "text" and writable else "rows"


def try_sample(form):
    """A sample draw of the form's sections (nothing saved), or None with the reason beside the sections."""
    try:
        sections = sections_from_rows(form.parts.data)
        check_exam(dataclasses.replace(_bare_spec(), sections=tuple(sections)), "parts")
    except DomainError as exc:
        refuse(exc, form)
        return None
    return exam_builder.sample_draw(sections)


def _bare_spec() -> ExamSpec:
    return ExamSpec("sample", "", "quiz", None, None, {}, ())


def builder_page(form, found: dict, sample) -> dict:
    """What the builder page shows around the form: the picker's list, the blueprint and question names."""
    exam_builder.fill_choices(form, found)
    picker_fields = (form.min_facility, form.max_facility, form.min_discrimination, form.unused_in)
    if form.is_submitted():
        for picker_field in picker_fields:
            picker_field.validate(form)
    try:
        sections = sections_from_rows(form.parts.data)
    except DomainError:
        sections = []
    uids = [uid for row in form.parts.data if row.get("kind") == "fixed" for uid in (row.get("questions") or "").split()]
    named = {q.uid: q.current_version for q in db.session.scalars(
        select(Question).where(Question.uid.in_(uids)).options(selectinload(Question.current_version)))} if uids else {}
    return {"picker": exam_builder.pick_questions(exam_builder.picker_filters(form)), "named": named,
            "blueprint": exam_builder.blueprint(sections) if sections else None, "sample": sample,
            "rows": form.builder.data == "rows"}
