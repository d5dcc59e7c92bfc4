"""Read question banks (YAML and GIFT) and exam definitions from quizzes/, validating as it goes."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask_babel import gettext

from lms.content.files import (
    SLUG,
    ContentError,
    Fields,
    LineDict,
    content_hash,
    load_mapping_file,
    read_text,
    relative,
)
from lms.content.markdown import find_item_refs, markdown_problem
from lms.exams.exam_rules import QuestionFacts, draw_matches, draw_reference_problems, section_problems
from lms.exams.gift import parse_gift
from lms.exams.question_types import QUESTION_TYPES
from lms.timeutil import local_zone, read_local

UID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")
COMMON_QUESTION_FIELDS = {"id", "type", "text", "standards", "tags", "difficulty", "points", "feedback", "name"}


def question_fields() -> set[str]:
    """The keys a question in a YAML bank may have: the common ones and every type's own."""
    return COMMON_QUESTION_FIELDS.union(*(t.file_fields for t in QUESTION_TYPES.values()))
EXAM_FIELDS = {"slug", "title", "kind", "course", "pair", "time_limit_minutes", "overdue", "grace_minutes",
               "attempts", "cooldown_minutes", "pass_mark", "shuffle_questions", "shuffle_options", "layout",
               "review", "sections", "description", "available_from", "available_until"}
EXAM_KINDS = ("quiz", "pre_test", "post_test", "exam")
OVERDUE = ("autosubmit", "grace", "discard")
LAYOUTS = ("one_per_page", "all_on_one")
REVIEW = ("after_submit", "after_close", "never")


@dataclass(frozen=True)
class QuestionSpec:
    uid: str
    qtype: str
    name: str
    text: str
    text_format: str
    standards: tuple[str, ...]
    tags: tuple[str, ...]
    difficulty: int
    points: float
    feedback: str
    data: dict = field(hash=False)
    path: str = ""
    line: int | None = None

    def as_data(self) -> dict:
        return {"uid": self.uid, "type": self.qtype, "name": self.name, "text": self.text,
                "text_format": self.text_format, "standards": list(self.standards), "tags": list(self.tags),
                "difficulty": self.difficulty, "points": self.points, "feedback": self.feedback, "data": self.data}

    @property
    def content_hash(self) -> str:
        return content_hash(self.as_data())


@dataclass(frozen=True)
class BankSpec:
    slug: str
    title: str
    questions: tuple[QuestionSpec, ...]
    path: str
    source: str  # yaml | gift


@dataclass(frozen=True)
class DrawSpec:
    """A random draw: ``count`` questions carrying every tag, of one of the types (if given), and, when
    given, from one bank, citing every standard item listed, of one of the difficulties."""

    tags: tuple[str, ...]
    count: int
    types: tuple[str, ...] = ()
    bank: str = ""
    standards: tuple[str, ...] = ()
    difficulties: tuple[int, ...] = ()

    def as_data(self) -> dict:
        """As an exam version stores it (the newer filters only when used, so older exams keep their hash)."""
        data = {"tags": list(self.tags), "count": self.count, "types": list(self.types)}
        extra = {"bank": self.bank, "standards": list(self.standards), "difficulties": list(self.difficulties)}
        return data | {key: value for key, value in extra.items() if value}

    @classmethod
    def from_data(cls, data: dict) -> "DrawSpec":
        return cls(tuple(data.get("tags") or ()), int(data.get("count") or 0), tuple(data.get("types") or ()),
                   data.get("bank") or "", tuple(data.get("standards") or ()), tuple(data.get("difficulties") or ()))


@dataclass(frozen=True)
class SectionSpec:
    questions: tuple[str, ...] = ()
    draw: DrawSpec | None = None


@dataclass(frozen=True)
class ExamSpec:
    slug: str
    title: str
    kind: str
    course: str | None
    pair: str | None
    settings: dict = field(hash=False)
    sections: tuple[SectionSpec, ...] = ()
    path: str = ""
    line_of: dict = field(default_factory=dict, hash=False, compare=False)

    def as_data(self) -> dict:
        return {"slug": self.slug, "title": self.title, "kind": self.kind, "course": self.course, "pair": self.pair,
                "settings": self.settings,
                "sections": [{"questions": list(s.questions)} if s.draw is None else {"draw": s.draw.as_data()}
                             for s in self.sections]}

    @property
    def content_hash(self) -> str:
        return content_hash(self.as_data())


def _short_name(text: str) -> str:
    """A question's list name when the file gives none: the start of its text, without Markdown."""
    flat = re.sub(r"[#*_`>\[\]]", "", " ".join(text.split()))
    return flat[:40] + ("…" if len(flat) > 40 else "")


def _points(q, qf: Fields) -> float:
    points = q.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int | float) or not 0 < points <= 100:
        qf.error("points", gettext("must be a number above 0 and at most 100"))
        return 1.0
    return float(points)


def _question_spec(q: LineDict, rel: str) -> tuple[QuestionSpec | None, list[ContentError]]:
    """One question of a YAML bank; its type reads its own fields."""
    qf = Fields(q, rel)
    qf.unknown(question_fields())
    uid = qf.text("id", max_len=80)
    if uid and not UID.match(uid):
        qf.error("id", gettext("use lowercase letters, digits, '-', '_' or '.'"))
    qtype = qf.choice("type", list(QUESTION_TYPES))
    text = qf.text("text", max_len=20000)
    standards = qf.string_list("standards", required=True)
    if "standards" in q and not standards:
        qf.error("standards", gettext("cite at least one standard item"))
    tags = qf.string_list("tags")
    difficulty = qf.integer("difficulty", required=False, minimum=1, maximum=3, default=2)
    points = _points(q, qf)
    feedback = qf.text("feedback", required=False, max_len=20000)
    if not qtype:
        return None, qf.errors
    question_type = QUESTION_TYPES[qtype]
    data = question_type.from_file(q, qf)
    if not qf.errors:
        for problem in question_type.validate(data):
            qf.error("type", gettext("%(type)s question: %(problems)s", type=question_type.label, problems=problem),
                     q.line)
    if qf.errors:
        return None, qf.errors
    name = str(q.get("name") or "").strip() or _short_name(text)
    return QuestionSpec(uid, qtype, name, text, "markdown", tuple(standards), tuple(tags), difficulty, points,
                        feedback, data, rel, q.line), []


def _load_yaml_bank(path: Path, root: Path) -> tuple[BankSpec | None, list[ContentError]]:
    data, rel, errors = load_mapping_file(path, root,
                                          gettext("a question bank is a YAML mapping with bank, title, questions"))
    if errors:
        return None, errors
    f = Fields(data, rel)
    f.unknown({"bank", "title", "questions"})
    slug = f.text("bank", max_len=100)
    if slug and not SLUG.match(slug):
        f.error("bank", gettext("use lowercase letters, digits and '-'"))
    title = f.text("title", max_len=200)
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        f.error("questions", gettext("a bank needs a list of questions"))
        raw = []
    questions = []
    for q in raw:
        if not isinstance(q, dict):
            f.error("questions", gettext("each question is a mapping"), getattr(raw, "line", None))
            continue
        spec, problems = _question_spec(q, rel)
        f.errors.extend(problems)
        if spec:
            questions.append(spec)
    if f.errors:
        return None, f.errors
    return BankSpec(slug, title, tuple(questions), rel, "yaml"), []


def gift_to_specs(source: str, rel: str, default_tags: tuple[str, ...] = (), id_prefix: str | None = None,
                  default_standards: tuple[str, ...] = ()) -> tuple[list[QuestionSpec], list[ContentError], list[ContentError]]:
    """GIFT text → question specs (errors and warnings name the line). Standard items are cited with
    tags std:<id>; difficulty:<n> and points:<n> tags set those fields. Questions without an [id:…]
    get '<id_prefix>-<n>' (the file's name by default), so importing the same file again finds them."""
    prefix = re.sub(r"[^a-z0-9_.-]+", "-", (id_prefix or Path(rel).stem).lower()).strip("-") or "gift"
    result = parse_gift(source)
    errors = [ContentError(rel, e.line, "gift", e.message) for e in result.errors]
    warnings = [ContentError(rel, w.line, "gift", w.message) for w in result.warnings]
    specs = []
    for index, q in enumerate(result.questions, start=1):
        standards = tuple(t[4:] for t in q.tags if t.startswith("std:")) or tuple(default_standards)
        difficulty, points, tags = 2, 1.0, []
        for tag in q.tags:
            if tag.startswith("difficulty:") and tag[11:].isdigit():
                difficulty = min(3, max(1, int(tag[11:])))
            elif tag.startswith("points:"):
                try:
                    points = float(tag[7:])
                except ValueError:
                    errors.append(ContentError(rel, q.line, "gift", gettext("tag %(tag)s is not a number of points", tag=tag)))
            elif not tag.startswith("std:"):
                tags.append(tag)
        suffix = f"-{index:03d}"  # a generated id fits the 80 characters ids may have, however long the prefix
        uid = q.uid or prefix[:80 - len(suffix)].rstrip("-_.") + suffix
        if not UID.match(uid):
            errors.append(ContentError(rel, q.line, "gift", gettext(
                "[id:%(id)s] must use lowercase letters, digits, '-', '_' or '.'", id=uid)))
            continue
        if not standards:
            errors.append(ContentError(rel, q.line, "gift", gettext(
                "cite at least one standard item with [tag:std:<id>], or name the items for uncited questions")))
            continue
        if problem := markdown_problem(q.text) or markdown_problem(q.feedback):
            errors.append(ContentError(rel, q.line, "gift", problem))
            continue
        warnings += [ContentError(rel, q.line, "gift", w) for w in QUESTION_TYPES[q.qtype].gift_warnings(q.data)]
        text_format = "markdown" if q.text_format in ("moodle", "markdown") else q.text_format
        specs.append(QuestionSpec(uid, q.qtype, q.name, q.text, text_format, standards,
                                  tuple(dict.fromkeys(list(default_tags) + tags)), difficulty, points, q.feedback,
                                  q.data, rel, q.line))
    return specs, errors, warnings


def _load_gift_bank(path: Path, root: Path) -> tuple[BankSpec | None, list[ContentError]]:
    rel = relative(path, root)
    try:
        source = read_text(path, root)
    except ContentError as exc:
        return None, [exc]
    specs, errors, _warnings = gift_to_specs(source, rel)
    if errors:
        return None, errors
    # People read the bank's title: the top level of the file's first category names it (else the file).
    category = next((q.category for q in parse_gift(source).questions if q.category), "")
    title = category.split("/")[0].strip() or path.stem
    return BankSpec(path.stem, title[:200], tuple(specs), rel, "gift"), []


def _exam_settings(f: Fields) -> dict:
    settings = {
        "description": f.text("description", required=False, max_len=5000),
        "time_limit_minutes": f.integer("time_limit_minutes", required=False, minimum=1, maximum=1440, default=0),
        "overdue": f.choice("overdue", OVERDUE, required=False, default="autosubmit"),
        "grace_minutes": f.integer("grace_minutes", required=False, minimum=0, maximum=1440, default=0),
        "attempts": f.integer("attempts", required=False, minimum=0, maximum=100, default=0),
        "cooldown_minutes": f.integer("cooldown_minutes", required=False, minimum=0, maximum=525600, default=0),
        "pass_mark": f.integer("pass_mark", minimum=0, maximum=100),
        "shuffle_questions": f.boolean("shuffle_questions", True),
        "shuffle_options": f.boolean("shuffle_options", True),
        "layout": f.choice("layout", LAYOUTS, required=False, default="one_per_page"),
        "review": f.choice("review", REVIEW, required=False, default="after_submit"),
        "available_from": _exam_time(f, "available_from"),
        "available_until": _exam_time(f, "available_until"),
    }
    if settings["overdue"] == "grace" and not settings["grace_minutes"]:
        f.error("grace_minutes", gettext("the grace policy needs grace_minutes above 0"))
    return settings


def _exam_time(f: Fields, key: str) -> str | None:
    """An opening or closing time: ISO 8601, without an offset on the centre's clock. A time the clocks skip
    there is refused, and one they pass twice must say which by its offset."""
    text = f.text(key, required=False, max_len=40) or None
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        f.error(key, gettext("is not a date and time such as 2026-03-01T09:00"))
        return None
    if moment.tzinfo is None:
        read = read_local(moment, local_zone())
        if read.missing:
            f.error(key, gettext("%(time)s does not exist in the centre's time zone: the clocks go forward at that "
                                 "hour", time=text))
        elif read.repeated:
            second = moment.replace(tzinfo=local_zone(), fold=1)
            f.error(key, gettext("%(time)s happens twice in the centre's time zone (the clocks go back at that hour): "
                                 "write %(first)s or %(second)s", time=text, first=read.moment.isoformat(),
                                 second=second.isoformat()))
    return text


def _draw_section(draw, f: Fields, line: int | None) -> SectionSpec | None:
    if not isinstance(draw, dict):
        f.error("sections", gettext("draw: needs {tags: [...], count: n}"), line)
        return None
    df = Fields(draw, f.path)
    df.unknown({"tags", "count", "types", "bank", "standards", "difficulties"})
    tags, bank, standards = df.string_list("tags"), df.text("bank", required=False), df.string_list("standards")
    if not (tags or bank or standards):
        df.error("tags", gettext("a draw names its pool: tags, a bank or standard items"), line)
    count = df.integer("count", minimum=1, maximum=500)
    types = df.string_list("types")
    for t in types:
        if t not in QUESTION_TYPES:
            df.error("types", gettext("unknown question type %(type)s", type=t))
    difficulties = df.string_list("difficulties")
    if any(d not in ("1", "2", "3") for d in difficulties):
        df.error("difficulties", gettext("difficulties are 1, 2 or 3"))
    f.errors.extend(df.errors)
    return None if df.errors else SectionSpec(draw=DrawSpec(tuple(tags), count, tuple(types), bank, tuple(standards),
                                                            tuple(int(d) for d in difficulties)))


def _section(section, f: Fields, line: int | None) -> SectionSpec | None:
    if not isinstance(section, dict) or len(section) != 1 or next(iter(section)) not in ("questions", "draw"):
        f.error("sections", gettext("a section is either questions: [ids] or draw: {tags, count, types}"), line)
        return None
    if "draw" in section:
        return _draw_section(section["draw"], f, line)
    ids = section["questions"]
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        f.error("sections", gettext("questions: needs a list of question ids"), line)
        return None
    return SectionSpec(questions=tuple(ids))


def _sections(data: dict, f: Fields) -> list[SectionSpec]:
    raw = data.get("sections")
    if not isinstance(raw, list) or not raw:
        f.error("sections", gettext("list the sections: - questions: [...] or - draw: {tags: [...], count: n}"))
        return []
    sections = [_section(section, f, raw.lines[index] if hasattr(raw, "lines") else None)
                for index, section in enumerate(raw)]
    return [s for s in sections if s is not None]


def _load_exam(path: Path, root: Path) -> tuple[ExamSpec | None, list[ContentError]]:
    data, rel, errors = load_mapping_file(path, root, gettext("an exam is a YAML mapping"))
    if errors:
        return None, errors
    f = Fields(data, rel)
    f.unknown(EXAM_FIELDS)
    slug = f.text("slug", max_len=100)
    if slug and not SLUG.match(slug):
        f.error("slug", gettext("use lowercase letters, digits and '-'"))
    settings = _exam_settings(f)
    sections = _sections(data, f)
    spec = ExamSpec(slug, f.text("title", max_len=200), f.choice("kind", EXAM_KINDS) or "quiz",
                    f.text("course", required=False, max_len=16) or None,
                    f.text("pair", required=False, max_len=100) or None, settings, tuple(sections), rel,
                    dict(data.lines))
    if f.errors:
        return None, f.errors
    return spec, []


@dataclass
class QuizContent:
    banks: list[BankSpec] = field(default_factory=list)
    exams: list[ExamSpec] = field(default_factory=list)


def load_quizzes(root: Path) -> tuple[QuizContent, list[ContentError]]:
    """Load quizzes/banks/*.yaml, quizzes/gift/*.gift and quizzes/exams/*.yaml under ``root``."""
    content, errors = QuizContent(), []
    for path in sorted((root / "banks").glob("*.yaml")) if (root / "banks").is_dir() else []:
        bank, problems = _load_yaml_bank(path, root)
        errors += problems
        if bank:
            content.banks.append(bank)
    for path in sorted((root / "gift").glob("*.gift")) if (root / "gift").is_dir() else []:
        bank, problems = _load_gift_bank(path, root)
        errors += problems
        if bank:
            content.banks.append(bank)
    for path in sorted((root / "exams").glob("*.yaml")) if (root / "exams").is_dir() else []:
        exam, problems = _load_exam(path, root)
        errors += problems
        if exam:
            content.exams.append(exam)
    return content, errors


def _question_errors(content: QuizContent, item_codes: set[str]) -> tuple[list[ContentError], dict[str, str]]:
    errors, seen = [], {}
    for q in (q for bank in content.banks for q in bank.questions):
        if q.uid in seen:
            errors.append(ContentError(q.path, q.line, "id", gettext("%(id)s is also used in %(other)s", id=q.uid,
                                                                     other=seen[q.uid])))
        seen[q.uid] = q.path
        errors += [ContentError(q.path, q.line, "standards", gettext("no standard item %(code)s", code=code))
                   for code in list(q.standards) + find_item_refs(q.text) + find_item_refs(q.feedback)
                   if code not in item_codes]
    return errors, seen


def _exam_section_errors(exam: ExamSpec, questions: list[QuestionSpec], seen: dict[str, str],
                         bank_of: dict[str, str]) -> list[ContentError]:
    """The exam's sections, by the check the browser's exam builder runs too (lms/exams/exam_rules.py)."""
    def pool_of(draw: DrawSpec) -> set[str]:
        return {q.uid for q in questions
                if draw_matches(draw, QuestionFacts(q.qtype, q.tags, q.standards, q.difficulty, bank_of.get(q.uid, "")))}

    line = exam.line_of.get("sections")
    return [ContentError(exam.path, line, "sections", problem.message)
            for problem in section_problems(exam.sections, set(seen), pool_of)]


def check_quiz_references(content: QuizContent, item_codes: set[str], course_codes: set[str]) -> list[ContentError]:
    """Unique ids and slugs, known standard items and courses, draws that the pools can fill."""
    errors, seen = _question_errors(content, item_codes)
    questions = [q for bank in content.banks for q in bank.questions]
    bank_of = {q.uid: getattr(bank, "slug", "") for bank in content.banks for q in bank.questions}
    slugs = {}
    for exam in content.exams:
        if exam.slug in slugs:
            errors.append(ContentError(exam.path, exam.line_of.get("slug"), "slug", gettext(
                "%(slug)s is also used by %(other)s", slug=exam.slug, other=slugs[exam.slug])))
        slugs[exam.slug] = exam.path
    for exam in content.exams:
        if exam.course and exam.course not in course_codes:
            errors.append(ContentError(exam.path, exam.line_of.get("course"), "course",
                                       gettext("unknown course %(value)s", value=exam.course)))
        if exam.pair and exam.pair not in slugs:
            errors.append(ContentError(exam.path, exam.line_of.get("pair"), "pair",
                                       gettext("unknown exam %(value)s", value=exam.pair)))
        errors += _exam_section_errors(exam, questions, seen, bank_of)
        errors += [ContentError(exam.path, exam.line_of.get("sections"), "sections", message)
                   for message in draw_reference_problems(exam.sections, set(bank_of.values()), item_codes)]
    return errors
