"""Write the database's content back to files in the layout the importer reads (courses/…)."""

from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from lms.content.phrases import export_phrases
from lms.courses.models import Course, CourseVersion, LessonVersion, OnboardingPath, OnboardingStep
from lms.courses.versions import version_data
from lms.db import db
from lms.media.transfer import export_media
from lms.mentoring.models import MentoringPlan
from lms.standards.models import StandardSection
from lms.standards.sources import source_line


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def _yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def export_standards(target: Path) -> int:
    sections = list(db.session.scalars(select(StandardSection).options(selectinload(StandardSection.items))
                                       .order_by(StandardSection.position)))
    files: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for section in sections:
        out = files.setdefault(section.chapter, [])
        if section.level == 1:
            names[section.chapter] = f"{section.chapter:02d}-chapter.md"
        if out:
            out.append("")
        out.append(f"{'#' * section.level} {section.number} {section.title}")
        body = section.body_md.strip("\n")
        if body:
            out += ["", body]
        if section.items:
            out.append("")
            for item in section.items:
                out.append(f"- `{item.code}` **{item.title}**：{item.description_md}")
                if line := source_line(item.source, item.source_note):
                    out.append(f"  {line}")
    folder = target / "courses" / "standards"
    folder.mkdir(parents=True, exist_ok=True)
    for chapter, lines in files.items():
        (folder / names.get(chapter, f"{chapter:02d}-chapter.md")).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(files)


def export_courses(target: Path) -> int:
    versions = db.session.scalars(
        select(CourseVersion).join(Course, Course.published_version_id == CourseVersion.id)
        .options(selectinload(CourseVersion.lesson_versions).selectinload(LessonVersion.lesson),
                 selectinload(CourseVersion.course)))
    count = 0
    for version in versions:
        data = version_data(version)
        folder = target / "courses" / version.course.slug
        (folder / "lessons").mkdir(parents=True, exist_ok=True)
        meta = {k: data[k] for k in ("code", "title", "tier", "summary", "audience", "duration_minutes",
                                     "prerequisites", "standards", "self_enrol")}
        if data.get("requires_session"):
            meta["requires_session"] = True
        (folder / "course.md").write_text(f"---\n{_yaml(meta)}---\n{data['description']}", encoding="utf-8")
        for lesson in data["lessons"]:
            lesson_meta = {"title": lesson["title"], "minutes": lesson["minutes"], "standards": lesson["standards"]}
            (folder / "lessons" / f"{lesson['position']:02d}-{lesson['slug']}.md").write_text(
                f"---\n{_yaml(lesson_meta)}---\n{lesson['body']}", encoding="utf-8")
        count += 1
    return count


def export_paths(target: Path) -> int:
    """courses/paths/*.yaml: each path as its file holds it (lms.courses.path_editor.file_data: its courses, its
    classroom sessions and its mentoring plan), so that importing the export gives the same paths."""
    from lms.courses.path_editor import file_data

    paths = list(db.session.scalars(select(OnboardingPath).options(
        selectinload(OnboardingPath.steps).selectinload(OnboardingStep.course), undefer(OnboardingPath.session_steps))
        .order_by(OnboardingPath.slug)))
    folder = target / "courses" / "paths"
    plans = {p.path_id: p for p in db.session.scalars(select(MentoringPlan))}
    if paths:
        folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        (folder / f"{path.slug}.yaml").write_text(_yaml(file_data(path, plans.get(path.id))), encoding="utf-8")
    return len(paths)


def export_scenarios(target: Path) -> int:
    """The current version of every scenario that belongs to a course, into that course's folder: the YAML
    text it was made from when kept (comments and layout as written), else its definition written out."""
    from sqlalchemy import and_

    from lms.calls.models import Scenario, ScenarioVersion

    rows = db.session.execute(
        select(Course.slug, Scenario.slug, ScenarioVersion.definition, ScenarioVersion.source_text).join(Scenario, Scenario.course_id == Course.id)
        .join(ScenarioVersion, and_(ScenarioVersion.scenario_id == Scenario.id,
                                    ScenarioVersion.number == Scenario.current_number)))
    count = 0
    for course_slug, slug, definition, text in rows:
        folder = target / "courses" / course_slug / "scenarios"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.yaml").write_text(text or _yaml(definition), encoding="utf-8")
        count += 1
    return count


def export_programmes(target: Path) -> int:
    from lms.certification.models import Programme

    folder = target / "courses" / "programmes"
    count = 0
    for programme in db.session.scalars(select(Programme).order_by(Programme.slug)):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{programme.slug}.yaml").write_text(_yaml(programme.definition), encoding="utf-8")
        count += 1
    return count


def export_evaluation(target: Path) -> tuple[int, int]:
    """The current version of every reaction survey and every observation plan."""
    from lms.evaluation.models import ObservationPlan, Survey

    surveys = list(db.session.scalars(select(Survey).where(Survey.current_version_id.is_not(None))
                                      .options(selectinload(Survey.current_version)).order_by(Survey.slug)))
    for survey in surveys:
        version = survey.current_version
        data = {"slug": survey.slug, "title": version.title, "offer": version.offer, "items": version.items}
        (target / "courses" / "surveys").mkdir(parents=True, exist_ok=True)
        (target / "courses" / "surveys" / f"{survey.slug}.yaml").write_text(_yaml(data), encoding="utf-8")
    plans = list(db.session.scalars(select(ObservationPlan).order_by(ObservationPlan.slug)))
    for plan in plans:
        after = {"course" if plan.source_kind == "course" else "programme": plan.source_key}
        data = {"slug": plan.slug, "title": plan.definition["title"], "after": after,
                **{k: plan.definition[k] for k in ("scenario", "days", "observer")}}
        (target / "courses" / "observations").mkdir(parents=True, exist_ok=True)
        (target / "courses" / "observations" / f"{plan.slug}.yaml").write_text(_yaml(data), encoding="utf-8")
    return len(surveys), len(plans)


def export_kpis(target: Path) -> int:
    """courses/kpis.yaml: the active KPIs with the standard items trainers mapped them to."""
    from lms.kpi.definitions import kpis_with_items

    entries = [{"code": e.kpi.code, "name": e.kpi.name, "unit": e.kpi.unit, "direction": str(e.kpi.direction),
                "range": [e.kpi.min_value, e.kpi.max_value], "decimals": e.kpi.decimals,
                **({"threshold": e.kpi.threshold} if e.kpi.threshold is not None else {}),
                **({"reference_lines": e.kpi.reference_lines} if e.kpi.reference_lines else {}),
                "items": [i.code for i in e.items],
                **({"description": e.kpi.description} if e.kpi.description else {})} for e in kpis_with_items()]
    if entries:
        (target / "courses").mkdir(parents=True, exist_ok=True)
        (target / "courses" / "kpis.yaml").write_text(_yaml({"kpis": entries}), encoding="utf-8")
    return len(entries)


def export_cases(target: Path) -> int:
    """courses/cases/*.yaml: the shipped example cases (those with a slug; staff's cases stay in the database)."""
    from lms.cases.models import TEXT_FIELDS, Case

    cases = list(db.session.scalars(select(Case).where(Case.slug.is_not(None)).options(selectinload(Case.items))
                                    .order_by(Case.slug)))
    for case in cases:
        data = {"slug": case.slug, "title": case.title, "channel": case.channel, "tier": str(case.tier),
                "items": [i.code for i in case.items], **{k: getattr(case, k) for k in TEXT_FIELDS[1:]}}
        (target / "courses" / "cases").mkdir(parents=True, exist_ok=True)
        (target / "courses" / "cases" / f"{case.slug}.yaml").write_text(_yaml(data), encoding="utf-8")
    return len(cases)


def export_tree(target: Path) -> dict[str, int]:
    """Export standards, published courses, onboarding paths, call scenarios, programmes, reaction surveys,
    observation plans, KPIs, the simplified Chinese phrase corrections, the example cases and the media files
    under ``target``."""
    surveys, plans = export_evaluation(target)
    return {"standard chapters": export_standards(target), "courses": export_courses(target),
            "onboarding paths": export_paths(target), "call scenarios": export_scenarios(target),
            "programmes": export_programmes(target), "surveys": surveys, "observation plans": plans,
            "KPIs": export_kpis(target), "simplified Chinese phrases": export_phrases(target),
            "service cases": export_cases(target), "media files": export_media(target)}
