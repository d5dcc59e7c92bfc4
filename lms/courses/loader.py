"""Read course folders and onboarding paths (courses/) into plain data, validating as it goes."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext

from lms.content.files import (
    ContentError,
    Fields,
    content_hash,
    load_yaml,
    read_text,
    relative,
    split_front_matter,
)
from lms.content.markdown import find_item_refs
from lms.courses.models import Tier

CODE = re.compile(r"^[A-Z]{3}-\d{3}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
LESSON_FILE = re.compile(r"^(\d{2})-([a-z0-9][a-z0-9-]{0,90})\.md$")
AUDIENCES = ("learner", "trainer", "manager")
COURSE_FIELDS = {"code", "title", "tier", "summary", "audience", "duration_minutes", "prerequisites", "standards",
                 "self_enrol"}
LESSON_FIELDS = {"title", "minutes", "standards"}
PATH_FIELDS = {"slug", "title", "description", "assign_to", "new_hire_days", "courses"}
SPECIAL_FOLDERS = {"standards", "paths", "programmes"}


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

    def as_data(self) -> dict:
        """Everything a version holds, as plain data (the basis of its content hash and of export)."""
        return {"code": self.code, "title": self.title, "tier": self.tier, "summary": self.summary,
                "audience": list(self.audience), "duration_minutes": self.duration_minutes,
                "prerequisites": list(self.prerequisites), "standards": list(self.standards),
                "self_enrol": self.self_enrol, "description": self.description,
                "lessons": [lesson.as_data() for lesson in self.lessons]}

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
class PathSpec:
    slug: str
    title: str
    description: str
    new_hire_days: int
    steps: tuple[PathStep, ...]
    path: str

    @property
    def content_hash(self) -> str:
        return content_hash({"slug": self.slug, "title": self.title, "description": self.description,
                             "new_hire_days": self.new_hire_days,
                             "steps": [(s.code, s.due_days) for s in self.steps]})


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
    for number, line in enumerate(body.split("\n"), start=body_line):
        if re.match(r"^# ", line):
            f.errors.append(ContentError(rel, number, "body", gettext("headings inside a lesson start at '##'")))
    if f.errors:
        return None, f.errors
    return LessonSpec(slug, position, title, minutes, tuple(standards), body, rel, meta.line, dict(meta.lines),
                      body_line), []


def load_course(folder: Path, root: Path) -> tuple[CourseSpec | None, list[ContentError], str | None]:
    """Load one course folder (course.md and lessons/NN-slug.md): the spec or errors, and the course
    code if it could be read at all (so other files citing it are not reported too)."""
    rel_folder = relative(folder, root)
    if not SLUG.match(folder.name):
        return None, [ContentError(rel_folder, None, "folder", gettext("folder names use lowercase letters, digits and '-'"))], None
    course_file = folder / "course.md"
    if not course_file.exists():
        return None, [ContentError(rel_folder, None, "course.md", gettext("a course folder needs a course.md"))], None
    rel = relative(course_file, root)
    try:
        meta, description, _ = split_front_matter(read_text(course_file, root), rel)
    except ContentError as exc:
        return None, [exc], None
    f = Fields(meta, rel)
    f.unknown(COURSE_FIELDS)
    code = f.text("code", max_len=16)
    if code and not CODE.match(code):
        f.error("code", gettext("must look like PRO-201 (three capital letters, a dash, three digits)"))
    title = f.text("title", max_len=200)
    tier = f.choice("tier", [t.value for t in Tier])
    summary = f.text("summary", max_len=200)
    audience = f.string_list("audience", required=True)
    for value in audience:
        if value not in AUDIENCES:
            f.error("audience", gettext("'%(value)s' is not one of %(values)s", value=value, values=", ".join(AUDIENCES)))
    duration = f.integer("duration_minutes", minimum=1, maximum=100000)
    prerequisites = f.string_list("prerequisites")
    for value in prerequisites:
        if not CODE.match(value):
            f.error("prerequisites", gettext("'%(value)s' is not a course code", value=value))
    standards = f.string_list("standards")
    self_enrol = f.boolean("self_enrol", True)
    errors = list(f.errors)

    lessons = []
    lesson_dir = folder / "lessons"
    files = sorted(lesson_dir.glob("*.md")) if lesson_dir.is_dir() else []
    if not files:
        errors.append(ContentError(rel_folder + "/lessons", None, "lessons", gettext("a course needs at least one lesson")))
    seen_slugs, seen_numbers = set(), set()
    for path in files:
        match = LESSON_FILE.match(path.name)
        if not match:
            errors.append(ContentError(relative(path, root), None, "file name",
                                       gettext("lesson files are named NN-slug.md (e.g. 01-greeting.md)")))
            continue
        number, slug = int(match.group(1)), match.group(2)
        if slug in seen_slugs or number in seen_numbers:
            errors.append(ContentError(relative(path, root), None, "file name", gettext("a lesson number or slug is used twice")))
            continue
        seen_slugs.add(slug)
        seen_numbers.add(number)
        try:
            lesson, problems = _load_lesson(path, root, len(lessons) + 1, slug)
        except ContentError as exc:
            errors.append(exc)
            continue
        errors.extend(problems)
        if lesson:
            lessons.append(lesson)
    if errors:
        return None, errors, code or None
    spec = CourseSpec(code, folder.name, title, tier, summary, tuple(audience), duration, tuple(prerequisites),
                      tuple(standards), self_enrol, description.strip() + "\n", tuple(lessons), rel, dict(meta.lines))
    return spec, [], code


def load_path(file: Path, root: Path) -> tuple[PathSpec | None, list[ContentError]]:
    rel = relative(file, root)
    try:
        data = load_yaml(read_text(file, root), rel)
    except ContentError as exc:
        return None, [exc]
    if not isinstance(data, dict):
        return None, [ContentError(rel, 1, None, gettext("an onboarding path is a YAML mapping"))]
    f = Fields(data, rel)
    f.unknown(PATH_FIELDS)
    slug = f.text("slug", max_len=100)
    if slug and not SLUG.match(slug):
        f.error("slug", gettext("use lowercase letters, digits and '-'"))
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
    if f.errors:
        return None, f.errors
    return PathSpec(slug, title, description, days, tuple(steps), rel), []


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
    errors = []
    by_code: dict[str, CourseSpec] = {}
    for course in curriculum.courses:
        if course.code in by_code:
            errors.append(ContentError(course.path, course.field_lines.get("code"), "code",
                                       gettext("%(slug)s is also used by %(other)s", slug=course.code, other=by_code[course.code].path)))
        by_code[course.code] = course
    for course in curriculum.courses:
        prereq_line = course.field_lines.get("prerequisites")
        for code in course.prerequisites:
            if code not in by_code and code not in curriculum.codes_with_errors:
                errors.append(ContentError(course.path, prereq_line, "prerequisites", gettext("unknown course %(value)s", value=code)))
            elif code == course.code:
                errors.append(ContentError(course.path, prereq_line, "prerequisites", gettext("a course cannot require itself")))
        for code in course.standards:
            if code not in item_codes:
                errors.append(ContentError(course.path, course.field_lines.get("standards"), "standards",
                                           gettext("no standard item %(code)s", code=code)))
        for lesson in course.lessons:
            for code in lesson.standards:
                if code not in item_codes:
                    errors.append(ContentError(lesson.path, lesson.field_lines.get("standards"), "standards",
                                               gettext("no standard item %(code)s", code=code)))
            for number, line in enumerate(lesson.body.split("\n"), start=lesson.body_line):
                for code in find_item_refs(line):
                    if code not in item_codes:
                        errors.append(ContentError(lesson.path, number, "body", gettext("[[%(code)s]] names no standard item", code=code)))
    errors.extend(_prerequisite_cycles(by_code))
    for path in curriculum.paths:
        for step in path.steps:
            if step.code not in by_code and step.code not in curriculum.codes_with_errors:
                errors.append(ContentError(path.path, step.line, "courses", gettext("unknown course %(value)s", value=step.code)))
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
