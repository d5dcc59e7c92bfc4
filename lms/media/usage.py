"""Where media files are used: the published lessons, the current questions and the current call scenarios
that name them (``media:<name>`` or ``media:<sha256>`` in Markdown, ``media:`` on a customer line).

The library page asks for every file at once (three statements whatever the number of files); serving a
file to a learner asks whether published content uses that one file (lms.media.serving)."""

import re
from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from lms.calls.models import Scenario, ScenarioVersion
from lms.courses.models import Course, Lesson, LessonVersion
from lms.db import db
from lms.exams.models import Question, QuestionVersion
from lms.media.models import MediaFile

USE_KINDS = {"lesson": _l("Lesson"), "question": _l("Question"), "call": _l("Call scenario")}
# ![alt](media:key), [text](media:key) and raw <img src="media:key"> (not the words "media:" in a sentence)
_REFERENCE = re.compile(r"""(?:\]\(\s*<?|(?:src|href)\s*=\s*["']?)media:([^\s)"'<>]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Use:
    kind: str  # lesson | question | call
    title: str
    url: str


def markdown_keys(text: str) -> set[str]:
    return set(_REFERENCE.findall(text or ""))


def scenario_keys(definition: dict) -> set[str]:
    nodes = definition.get("nodes") if isinstance(definition, dict) else None
    return {str(n["media"]) for n in nodes or [] if isinstance(n, dict) and n.get("media")}


def _lesson_uses():
    rows = db.session.execute(
        select(Course.code, Lesson.slug, LessonVersion.title, LessonVersion.body_md)
        .join(LessonVersion, LessonVersion.course_version_id == Course.published_version_id)
        .join(Lesson, Lesson.id == LessonVersion.lesson_id))
    for code, slug, title, body in rows:
        yield markdown_keys(body), Use("lesson", f"{code} · {title}", url_for("courses.lesson", code=code, slug=slug))


def _question_uses():
    rows = db.session.execute(
        select(Question.uid, QuestionVersion.name, QuestionVersion.text_md, QuestionVersion.feedback_md)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id))
    for uid, name, text, feedback in rows:
        yield markdown_keys(text) | markdown_keys(feedback), Use("question", name, url_for("exams_admin.question", uid=uid))


def _call_uses():
    rows = db.session.execute(
        select(Scenario.slug, ScenarioVersion.title, ScenarioVersion.definition)
        .join(ScenarioVersion, and_(ScenarioVersion.scenario_id == Scenario.id,
                                    ScenarioVersion.number == Scenario.current_number)))
    for slug, title, definition in rows:
        yield scenario_keys(definition), Use("call", title, url_for("calls_admin.scenario", scenario_slug=slug))


def uses_of(files: list[MediaFile]) -> dict[int, list[Use]]:
    """Each file's uses (by file id), from one pass over the content."""
    from urllib.parse import unquote

    by_key = {}
    for media in files:
        by_key[media.name] = by_key[media.digest] = media.id
    found: dict[int, list[Use]] = {media.id: [] for media in files}
    for source in (_lesson_uses(), _question_uses(), _call_uses()):
        for keys, use in source:
            for media_id in dict.fromkeys(by_key[k] for k in map(unquote, keys) if k in by_key):
                found[media_id].append(use)
    return found


def is_in_use(media: MediaFile) -> bool:
    """Whether published content shows the file: a published lesson, a current question, a current call."""
    needles = [f"media:{media.name}", f"media:{media.digest}"]
    lesson = db.session.scalar(
        select(LessonVersion.id).join(Course, Course.published_version_id == LessonVersion.course_version_id)
        .where(or_(*(LessonVersion.body_md.contains(n, autoescape=True) for n in needles))).limit(1))
    if lesson is not None:
        return True
    question = db.session.scalar(
        select(QuestionVersion.id).join(Question, Question.current_version_id == QuestionVersion.id)
        .where(or_(*(column.contains(n, autoescape=True) for n in needles
                     for column in (QuestionVersion.text_md, QuestionVersion.feedback_md)))).limit(1))
    if question is not None:
        return True
    keys = {media.name, media.digest}
    return any(found & keys for found, _use in _call_uses())
