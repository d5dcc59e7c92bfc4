"""Import the content tree (courses/ with their call scenarios and certification programmes, and
quizzes/) into the database, all or nothing.

Everything is loaded and validated first; only a tree without a single error is written, and the
caller commits once. Unchanged files change nothing; a changed file publishes a new version, except
over an item edited in the browser since (kept unless told to overwrite: lms.content.edits).
"""

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext

from lms.calls.loader import ScenarioSpec, load_scenarios
from lms.calls.sync import sync_scenarios
from lms.cases.loader import CaseSpec, check_case_references, load_cases
from lms.cases.sync import sync_cases
from lms.certification.loader import ProgrammeSpec, References, check_programme_references, load_programmes
from lms.certification.programmes import sync_programmes
from lms.classroom.loader import (
    TemplateSpec,
    check_programme_sessions,
    check_template_references,
    load_templates,
)
from lms.classroom.sync import sync_templates
from lms.content.edits import BrowserEdits
from lms.content.files import ContentError, ContentErrors
from lms.content.phrases import load_phrases, sync_phrases
from lms.courses.loader import Curriculum, check_path_sessions, check_references, load_curriculum
from lms.courses.sync import sync_courses, sync_paths
from lms.courses.versions import rerender_published
from lms.evaluation.plan_loader import PlanSpec, check_plan_references, load_plans
from lms.evaluation.survey_loader import SurveySpec, check_survey_references, load_surveys
from lms.evaluation.sync import sync_plans, sync_surveys
from lms.exams.loader import QuizContent, check_quiz_references, load_quizzes
from lms.exams.sync import sync_banks, sync_exams
from lms.kpi.definitions import sync_kpis
from lms.kpi.loader import KpiSpec, load_kpis
from lms.media.transfer import MediaSpec, check_media_references, load_media, media_keys, sync_media
from lms.mentoring.plans import sync_mentoring_plans
from lms.standards.loader import load_standards
from lms.standards.services import sync_standards


@dataclass
class ImportReport:
    lines: list[tuple[str, str]] = field(default_factory=list)  # (what, counts)
    edits: BrowserEdits = field(default_factory=BrowserEdits)  # items edited in the browser: kept or overwritten

    def add(self, what: str, counts) -> None:
        self.lines.append((what, str(counts)))


@dataclass
class ContentTree:
    chapters: list
    curriculum: Curriculum
    quizzes: QuizContent
    scenarios: list[ScenarioSpec]
    programmes: list[ProgrammeSpec]
    surveys: list[SurveySpec] = field(default_factory=list)
    plans: list[PlanSpec] = field(default_factory=list)
    kpis: list[KpiSpec] = field(default_factory=list)
    phrases: dict[str, str] = field(default_factory=dict)  # simplified Chinese corrections
    session_templates: list[TemplateSpec] = field(default_factory=list)
    cases: list[CaseSpec] = field(default_factory=list)  # the case library's examples
    media: list[MediaSpec] = field(default_factory=list)  # images and audio (courses/media)


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
    programme_errors = bool(problems)
    # A file that failed to load is already named; do not repeat it as "unknown" wherever it is used.
    errors += check_programme_references(programmes, References(
        course_codes=course_codes, exam_slugs=None if quiz_errors else {e.slug for e in quizzes.exams},
        scenario_slugs=None if scenario_errors else {s.slug for s in scenarios}, item_codes=item_codes,
        path_slugs={p.slug for p in curriculum.paths}))
    surveys, problems = load_surveys(courses_dir)
    errors += problems + check_survey_references(surveys, course_codes)
    plans, problems = load_plans(courses_dir)
    errors += problems + check_plan_references(plans, {
        "course": course_codes, "programme": None if programme_errors else {p.slug for p in programmes},
        "scenario": None if scenario_errors else {s.slug for s in scenarios}})
    kpis, problems = load_kpis(courses_dir, item_codes)
    errors += problems
    phrases, problems = load_phrases(courses_dir)
    errors += problems
    cases, problems = load_cases(courses_dir)
    errors += problems + check_case_references(cases, item_codes)
    session_templates, problems = load_templates(courses_dir)
    errors += problems + check_template_references(session_templates, course_codes, item_codes)
    errors += check_path_sessions(curriculum, {t.slug for t in session_templates} if not problems else None)
    if not problems:
        errors += check_programme_sessions(programmes, {t.slug for t in session_templates})
    media, problems = load_media(courses_dir)
    errors += problems or check_media_references(
        media_keys(media), [lesson for course in curriculum.courses for lesson in course.lessons],
        [question for bank in quizzes.banks for question in bank.questions], scenarios)
    if errors:
        raise ContentErrors(errors)
    return ContentTree(chapters, curriculum, quizzes, scenarios, programmes, surveys, plans, kpis, phrases,
                       session_templates, cases, media)


def import_tree(root: Path, progress=None, overwrite_edited: bool = False) -> ImportReport:
    """Validate and write the whole content tree in the current transaction. Items edited in the browser
    since the last import keep the browser's version unless ``overwrite_edited``; the report lists them."""
    tree = load_tree(root)
    report = ImportReport(edits=BrowserEdits(overwrite=overwrite_edited))
    edits = report.edits
    standards = sync_standards(tree.chapters)  # first: everything else cites the standards
    report.add("standard sections", standards.sections)
    report.add("standard items", standards.items)
    if progress:
        progress("standards")
    steps = [("media files", lambda: sync_media(tree.media)),  # before the content that shows them
             ("courses", lambda: sync_courses(tree.curriculum.courses, edits)),
             ("onboarding paths", lambda: sync_paths(tree.curriculum.paths)),
             ("mentoring plans", lambda: sync_mentoring_plans(tree.curriculum.paths)),
             ("questions", lambda: sync_banks(tree.quizzes.banks, edits)),
             ("exams", lambda: sync_exams(tree.quizzes.exams, edits)),
             ("call scenarios", lambda: sync_scenarios(tree.scenarios, edits)),
             ("programmes", lambda: sync_programmes(tree.programmes)),
             ("surveys", lambda: sync_surveys(tree.surveys)),
             ("observation plans", lambda: sync_plans(tree.plans)),
             ("KPIs", lambda: sync_kpis(tree.kpis)),
             ("simplified Chinese phrases", lambda: sync_phrases(tree.phrases)),
             ("session templates", lambda: sync_templates(tree.session_templates)),
             ("service cases", lambda: sync_cases(tree.cases))]
    for name, step in steps:
        report.add(name, step())
        if progress:
            progress(name)
    rerender_published(standards.revised_items)
    return report
