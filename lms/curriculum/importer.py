"""Import the content tree (courses/ with their call scenarios and certification programmes, and
quizzes/) into the database, all or nothing.

Everything is loaded and validated first; only a tree without a single error is written, and the
caller commits once. Unchanged files change nothing; a changed file publishes a new version.
"""

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext

from lms.calls.loader import ScenarioSpec, load_scenarios
from lms.calls.sync import sync_scenarios
from lms.certification.loader import ProgrammeSpec, References, check_programme_references, load_programmes
from lms.certification.programmes import sync_programmes
from lms.content.files import ContentError, ContentErrors
from lms.courses.loader import Curriculum, check_references, load_curriculum
from lms.courses.sync import sync_courses, sync_paths
from lms.courses.versions import rerender_published
from lms.exams.loader import QuizContent, check_quiz_references, load_quizzes
from lms.exams.sync import sync_banks, sync_exams
from lms.standards.loader import load_standards
from lms.standards.services import sync_standards


@dataclass
class ImportReport:
    lines: list[tuple[str, str]] = field(default_factory=list)  # (what, counts)

    def add(self, what: str, counts) -> None:
        self.lines.append((what, str(counts)))


@dataclass
class ContentTree:
    chapters: list
    curriculum: Curriculum
    quizzes: QuizContent
    scenarios: list[ScenarioSpec]
    programmes: list[ProgrammeSpec]


def load_tree(root: Path) -> ContentTree:
    """Load and cross-check every content file under ``root``; raise ContentErrors listing every problem."""
    courses_dir, errors = root / "courses", []
    if not courses_dir.is_dir():
        raise ContentErrors([ContentError(str(courses_dir), None, None, gettext("no courses/ folder here"))])
    chapters, problems, item_codes = load_standards(courses_dir / "standards")
    errors += problems
    curriculum, problems = load_curriculum(courses_dir)
    errors += problems
    errors += check_references(curriculum, item_codes)
    quizzes, problems = load_quizzes(root / "quizzes")
    errors += problems
    course_codes = {c.code for c in curriculum.courses} | curriculum.codes_with_errors
    errors += check_quiz_references(quizzes, item_codes, course_codes)
    quiz_errors = bool(problems)
    scenarios, problems = load_scenarios(courses_dir, item_codes)
    errors += problems
    scenario_errors = bool(problems)
    programmes, problems = load_programmes(courses_dir)
    errors += problems
    # A file that failed to load is already named; do not repeat it as "unknown" wherever it is used.
    errors += check_programme_references(programmes, References(
        course_codes=course_codes, exam_slugs=None if quiz_errors else {e.slug for e in quizzes.exams},
        scenario_slugs=None if scenario_errors else {s.slug for s in scenarios}, item_codes=item_codes))
    if errors:
        raise ContentErrors(errors)
    return ContentTree(chapters, curriculum, quizzes, scenarios, programmes)


def import_tree(root: Path, progress=None) -> ImportReport:
    """Validate and write the whole content tree in the current transaction."""
    tree = load_tree(root)
    report = ImportReport()
    standards = sync_standards(tree.chapters)  # first: everything else cites the standards
    report.add("standard sections", standards.sections)
    report.add("standard items", standards.items)
    if progress:
        progress("standards")
    steps = [("courses", lambda: sync_courses(tree.curriculum.courses)),
             ("onboarding paths", lambda: sync_paths(tree.curriculum.paths)),
             ("questions", lambda: sync_banks(tree.quizzes.banks)),
             ("exams", lambda: sync_exams(tree.quizzes.exams)),
             ("call scenarios", lambda: sync_scenarios(tree.scenarios)),
             ("programmes", lambda: sync_programmes(tree.programmes))]
    for name, step in steps:
        report.add(name, step())
        if progress:
            progress(name)
    rerender_published(standards.revised_items)
    return report
