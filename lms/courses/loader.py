"""Read course folders and onboarding paths (courses/) into plain data, validating as it goes."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext

from lms.content.files import (
    SLUG,
    ContentError,
    Fields,
    content_hash,
    load_mapping_file,
    read_text,
    relative,
    split_front_matter,
)
from lms.content.markdown import find_item_refs, markdown_problem
from lms.courses.models import Tier
from lms.courses.path_mentoring import MentoringSpec, load_mentoring, mentoring_item_errors

CODE = re.compile(r"^[A-Z]{3}-\d{3}$")
LESSON_FILE = re.compile(r"^(\d{2})-([a-z0-9][a-z0-9-]{0,90})\.md$")
AUDIENCES = ("learner", "trainer", "manager")
COURSE_FIELDS = {"code", "title", "tier", "summary", "audience", "duration_minutes", "prerequisites", "standards",
                 "self_enrol", "requires_session"}
LESSON_FIELDS = {"title", "minutes", "standards"}
PATH_FIELDS = {"slug", "title", "description", "assign_to", "new_hire_days", "courses", "sessions", "mentoring"}
SPECIAL_FOLDERS = {"standards", "paths", "programmes", "surveys", "observations", "sessions", "cases", "media"}


@dataclass(frozen=True)
class LessonSpec:
    slug: str
    position: int
    title: str
    minutes: int
    standards: tuple[str, ...]
    body: str
    path: str
    line: int
    field_lines: dict = field(default_factory=dict, compare=False, hash=False)
    body_line: int = 1

    def as_data(self) -> dict:
        return {"slug": self.slug, "position": self.position, "title": self.title, "minutes": self.minutes,
                "standards": list(self.standards), "body": self.body}


@dataclass(frozen=True)
class CourseSpec:
    code: str
    slug: str
    title: str
    tier: str
    summary: str
    audience: tuple[str, ...]
    duration_minutes: int
    prerequisites: tuple[str, ...]
    standards: tuple[str, ...]
    self_enrol: bool
    description: str
    lessons: tuple[LessonSpec, ...]
    path: str
    field_lines: dict = field(default_factory=dict, compare=False, hash=False)
    requires_session: bool = False  # completes only with a classroom session of it attended (lms/classroom)

    def as_data(self) -> dict:
        """Everything a version holds, as plain data (the basis of its content hash and of export)."""
        data = {"code": self.code, "title": self.title, "tier": self.tier, "summary": self.summary,
                "audience": list(self.audience), "duration_minutes": self.duration_minutes,
                "prerequisites": list(self.prerequisites), "standards": list(self.standards),
                "self_enrol": self.self_enrol, "description": self.description,
                "lessons": [lesson.as_data() for lesson in self.lessons]}
        if self.requires_session:  # only when set, so that the hashes of the other courses stay as they were
            data["requires_session"] = True
        return data

    @property
    def content_hash(self) -> str:
        return content_hash(self.as_data())

    def cited_items(self) -> set[str]:
        cited = set(self.standards)
        for lesson in self.lessons:
            cited.update(lesson.standards)
            cited.update(find_item_refs(lesson.body))
        return cited


@dataclass(frozen=True)
class PathStep:
    code: str
    due_days: int
    line: int


@dataclass(frozen=True)
class PathSession:
    """A classroom session the path asks for, by its template (courses/sessions), within ``due_days``."""

    template: str
    due_days: int
    line: int


@dataclass(frozen=True)
class PathSpec:
    slug: str
    title: str
    description: str
    new_hire_days: int
    steps: tuple[PathStep, ...]
    path: str
    sessions: tuple[PathSession, ...] = ()
    mentoring: MentoringSpec | None = None  # check-in days and the items the mentor signs off (lms/mentoring)

    @property
    def content_hash(self) -> str:
        data = {"slug": self.slug, "title": self.title, "description": self.description,
                "new_hire_days": self.new_hire_days, "steps": [(s.code, s.due_days) for s in self.steps]}
        # The mentoring section is kept by lms/mentoring (its own hash), not in the path's.
        if self.sessions:  # only when there are some, so that a path without sessions keeps its hash
            data["sessions"] = [(s.template, s.due_days) for s in self.sessions]
        return content_hash(data)


def _load_lesson(path: Path, root: Path, position: int, slug: str) -> tuple[LessonSpec | None, list[ContentError]]:
    rel = relative(path, root)
    meta, body, body_line = split_front_matter(read_text(path, root), rel)
    f = Fields(meta, rel)
    f.unknown(LESSON_FIELDS)
    title = f.text("title", max_len=200)
    minutes = f.integer("minutes", minimum=1, maximum=600)
    standards = f.string_list("standards", required=True)
    if not standards and "standards" in meta:
        f.error("standards", gettext("cite at least one standard item"))
    if not body.strip():
        f.errors.append(ContentError(rel, body_line, "body", gettext("the lesson has no text")))
    if problem := markdown_problem(body):
        f.errors.append(ContentError(rel, body_line, "body", problem))
    for number, line in enumerate(body.split("\n"), start=body_line):
        if re.match(r"^# ", line):
            f.errors.append(ContentError(rel, number, "body", gettext("headings inside a lesson start at '##'")))
    if f.errors:
        return None, f.errors
    return LessonSpec(slug, position, title, minutes, tuple(standards), body, rel, meta.line, dict(meta.lines),
                      body_line), []


def _text_like(f: Fields, key: str, pattern: re.Pattern, max_len: int, message: str) -> str:
    """A required text field that must match ``pattern``."""
    value = f.text(key, max_len=max_len)
    if value and not pattern.match(value):
        f.error(key, message)
    return value


def _list_of(f: Fields, key: str, valid, message, required: bool = False) -> list[str]:
    """A list field whose every value must pass ``valid``; ``message(value)`` says why one does not."""
    values = f.string_list(key, required=required)
    for value in values:
        if not valid(value):
            f.error(key, message(value))
    return values


def _course_fields(f: Fields) -> dict:
    """The fields of course.md, in CourseSpec's names; problems go into ``f.errors``."""
    f.unknown(COURSE_FIELDS)
    return {
        "code": _text_like(f, "code", CODE, 16,
                           gettext("must look like PRO-201 (three capital letters, a dash, three digits)")),
        "title": f.text("title", max_len=200),
        "tier": f.choice("tier", [t.value for t in Tier]),
        "summary": f.text("summary", max_len=200),
        "audience": tuple(_list_of(f, "audience", lambda v: v in AUDIENCES, lambda v: gettext(
            "'%(value)s' is not one of %(values)s", value=v, values=", ".join(AUDIENCES)), required=True)),
        "duration_minutes": f.integer("duration_minutes", minimum=1, maximum=100000),
        "prerequisites": tuple(_list_of(f, "prerequisites", CODE.match,
                                        lambda v: gettext("'%(value)s' is not a course code", value=v))),
        "standards": tuple(f.string_list("standards")),
        "self_enrol": f.boolean("self_enrol", True),
        "requires_session": f.boolean("requires_session", False),
    }


def _lesson_slug(path: Path, root: Path, seen: set) -> tuple[str | None, ContentError | None]:
    """The slug a lesson file's name gives (NN-slug.md), or why the name will not do."""
    match = LESSON_FILE.match(path.name)
    if not match:
        return None, ContentError(relative(path, root), None, "file name",
                                  gettext("lesson files are named NN-slug.md (e.g. 01-greeting.md)"))
    number, slug = int(match.group(1)), match.group(2)
    if ("slug", slug) in seen or ("number", number) in seen:
        return None, ContentError(relative(path, root), None, "file name", gettext("a lesson number or slug is used twice"))
    seen.update({("slug", slug), ("number", number)})
    return slug, None


def _load_lessons(folder: Path, root: Path) -> tuple[list[LessonSpec], list[ContentError]]:
    """The lessons of a course folder (lessons/NN-slug.md) in order, and the problems of any."""
    lesson_dir = folder / "lessons"
    paths = sorted(lesson_dir.glob("*.md")) if lesson_dir.is_dir() else []
    if not paths:
        return [], [ContentError(relative(folder, root) + "/lessons", None, "lessons",
                                 gettext("a course needs at least one lesson"))]
    lessons, errors, seen = [], [], set()
    for path in paths:
        slug, problem = _lesson_slug(path, root, seen)
        if problem:
            errors.append(problem)
            continue
        try:
            lesson, problems = _load_lesson(path, root, len(lessons) + 1, slug)
        except ContentError as exc:
            errors.append(exc)
            continue
        errors.extend(problems)
        if lesson:
            lessons.append(lesson)
    return lessons, errors


def _course_folder_problem(folder: Path, root: Path) -> ContentError | None:
    rel_folder = relative(folder, root)
    if not SLUG.match(folder.name):
        return ContentError(rel_folder, None, "folder", gettext("folder names use lowercase letters, digits and '-'"))
    if not (folder / "course.md").exists():
        return ContentError(rel_folder, None, "course.md", gettext("a course folder needs a course.md"))
    return None


def load_course(folder: Path, root: Path) -> tuple[CourseSpec | None, list[ContentError], str | None]:
    """Load one course folder (course.md and lessons/NN-slug.md): the spec or errors, and the course
    code if it could be read at all (so other files citing it are not reported too)."""
    problem = _course_folder_problem(folder, root)
    if problem:
        return None, [problem], None
    rel = relative(folder / "course.md", root)
    try:
        meta, description, description_line = split_front_matter(read_text(folder / "course.md", root), rel)
    except ContentError as exc:
        return None, [exc], None
    f = Fields(meta, rel)
    fields = _course_fields(f)
    if problem := markdown_problem(description):
        f.error("description", problem, line=description_line)
    lessons, lesson_errors = _load_lessons(folder, root)
    errors = f.errors + lesson_errors
    if errors:
        return None, errors, fields["code"] or None
    spec = CourseSpec(slug=folder.name, description=description.strip() + "\n", lessons=tuple(lessons), path=rel,
                      field_lines=dict(meta.lines), **fields)
    return spec, [], fields["code"]


def load_path(file: Path, root: Path) -> tuple[PathSpec | None, list[ContentError]]:
    data, rel, errors = load_mapping_file(file, root, gettext("an onboarding path is a YAML mapping"))
    return (None, errors) if errors else path_from_data(data, rel)


def path_from_data(data, rel: str) -> tuple[PathSpec | None, list[ContentError]]:
    """Check one path mapping (from a file, or the browser's path editor) into its spec."""
    f = Fields(data, rel)
    f.unknown(PATH_FIELDS)
    slug = _text_like(f, "slug", SLUG, 100, gettext("use lowercase letters, digits and '-'"))
    title = f.text("title", max_len=200)
    description = f.text("description", required=False, max_len=2000)
    if data.get("assign_to", "new_hires") != "new_hires":
        f.error("assign_to", gettext("must be new_hires"))
    days = f.integer("new_hire_days", required=False, minimum=1, maximum=3650, default=90)
    steps = []
    courses = data.get("courses")
    if not isinstance(courses, list) or not courses:
        f.error("courses", gettext("list the path's courses: - {code: FND-101, due_days: 7}"))
    else:
        for index, step in enumerate(courses):
            line = courses.lines[index] if hasattr(courses, "lines") else None
            if not isinstance(step, dict):
                f.error("courses", gettext("each step is {code: …, due_days: …}"), line=line)
                continue
            sf = Fields(step, rel)
            sf.unknown({"code", "due_days"})
            code = sf.text("code", max_len=16)
            due = sf.integer("due_days", minimum=0, maximum=3650)
            f.errors.extend(sf.errors)
            if not sf.errors:
                steps.append(PathStep(code, due, step.line))
    sessions = _path_sessions(data, f, rel)
    mentoring, problems = load_mentoring(data, rel)
    f.errors.extend(problems)
    if f.errors:
        return None, f.errors
    return PathSpec(slug, title, description, days, tuple(steps), rel, sessions, mentoring), []


def _path_sessions(data, f: Fields, rel: str) -> tuple[PathSession, ...]:
    """The path's classroom sessions: - {template: induction-day, due_days: 5} (optional)."""
    listed = data.get("sessions")
    if listed is None:
        return ()
    if not isinstance(listed, list):
        f.error("sessions", gettext("list the path's sessions: - {template: induction-day, due_days: 5}"))
        return ()
    sessions = []
    for index, step in enumerate(listed):
        if not isinstance(step, dict):
            f.error("sessions", gettext("each session is {template: …, due_days: …}"), line=listed.lines[index])
            continue
        sf = Fields(step, rel)
        sf.unknown({"template", "due_days"})
        template, due = sf.text("template", max_len=100), sf.integer("due_days", minimum=0, maximum=3650)
        f.errors.extend(sf.errors)
        if not sf.errors:
            sessions.append(PathSession(template, due, step.line))
    return tuple(sessions)


def check_path_sessions(curriculum: "Curriculum", template_slugs: set[str] | None) -> list[ContentError]:
    """Every session template a path names must exist (None: the templates had errors of their own)."""
    if template_slugs is None:
        return []
    return [ContentError(path.path, step.line, "sessions", gettext("unknown session template %(value)s",
                                                                   value=step.template))
            for path in curriculum.paths for step in path.sessions if step.template not in template_slugs]


@dataclass
class Curriculum:
    courses: list[CourseSpec] = field(default_factory=list)
    paths: list[PathSpec] = field(default_factory=list)
    codes_with_errors: set[str] = field(default_factory=set)


def load_curriculum(root: Path) -> tuple[Curriculum, list[ContentError]]:
    """Load every course folder and onboarding path under ``root`` (the courses/ folder)."""
    curriculum, errors = Curriculum(), []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name in SPECIAL_FOLDERS or folder.name.startswith("."):
            continue
        spec, problems, code = load_course(folder, root)
        errors.extend(problems)
        if spec:
            curriculum.courses.append(spec)
        elif code:
            curriculum.codes_with_errors.add(code)
    for file in sorted((root / "paths").glob("*.yaml")) if (root / "paths").is_dir() else []:
        spec, problems = load_path(file, root)
        errors.extend(problems)
        if spec:
            curriculum.paths.append(spec)
    return curriculum, errors


def check_references(curriculum: Curriculum, item_codes: set[str]) -> list[ContentError]:
    """Cross-file checks: unique codes, known prerequisites without cycles, known cited items."""
    by_code, errors = _codes_of(curriculum.courses)
    known = set(by_code) | curriculum.codes_with_errors  # a course with errors is reported once, in its file
    for course in curriculum.courses:
        errors.extend(_prerequisite_errors(course, known))
        errors.extend(_cited_item_errors(course, item_codes))
    errors.extend(_prerequisite_cycles(by_code))
    for path in curriculum.paths:
        errors.extend(ContentError(path.path, step.line, "courses", gettext("unknown course %(value)s", value=step.code))
                      for step in path.steps if step.code not in known)
        errors.extend(mentoring_item_errors(path.path, path.mentoring, item_codes))
    return errors


def _codes_of(courses: list[CourseSpec]) -> tuple[dict[str, CourseSpec], list[ContentError]]:
    """The courses by code, and an error for each code used twice."""
    errors, by_code = [], {}
    for course in courses:
        if course.code in by_code:
            errors.append(ContentError(course.path, course.field_lines.get("code"), "code",
                                       gettext("%(slug)s is also used by %(other)s", slug=course.code, other=by_code[course.code].path)))
        by_code[course.code] = course
    return by_code, errors


def _prerequisite_errors(course: CourseSpec, known: set[str]) -> list[ContentError]:
    errors, line = [], course.field_lines.get("prerequisites")
    for code in course.prerequisites:
        if code not in known:
            errors.append(ContentError(course.path, line, "prerequisites", gettext("unknown course %(value)s", value=code)))
        elif code == course.code:
            errors.append(ContentError(course.path, line, "prerequisites", gettext("a course cannot require itself")))
    return errors


def _cited_item_errors(course: CourseSpec, item_codes: set[str]) -> list[ContentError]:
    """Standard items the course and its lessons cite (in their fields and as [[item]] in the text) must exist."""
    errors = [ContentError(course.path, course.field_lines.get("standards"), "standards",
                           gettext("no standard item %(code)s", code=code))
              for code in course.standards if code not in item_codes]
    for lesson in course.lessons:
        errors.extend(ContentError(lesson.path, lesson.field_lines.get("standards"), "standards",
                                   gettext("no standard item %(code)s", code=code))
                      for code in lesson.standards if code not in item_codes)
        for number, line in enumerate(lesson.body.split("\n"), start=lesson.body_line):
            errors.extend(ContentError(lesson.path, number, "body", gettext("[[%(code)s]] names no standard item", code=code))
                          for code in find_item_refs(line) if code not in item_codes)
    return errors


def _prerequisite_cycles(by_code: dict[str, CourseSpec]) -> list[ContentError]:
    errors, state = [], {}

    def visit(code: str, trail: list[str]):
        if state.get(code) == "done" or code not in by_code:
            return
        if state.get(code) == "active":
            cycle = trail[trail.index(code):] + [code]
            errors.append(ContentError(by_code[code].path, None, "prerequisites",
                                       gettext("prerequisite loop: %(loop)s", loop=" → ".join(cycle))))
            return
        state[code] = "active"
        for nxt in by_code[code].prerequisites:
            visit(nxt, trail + [code])
        state[code] = "done"

    for code in sorted(by_code):
        visit(code, [])
    return errors
