"""Questions made ready for their template partials: the type works out what was chosen and, where the
page may show it, which answer is right; templates/exams/_question.html only draws the result."""

from dataclasses import dataclass, field

from lms.exams.models import QuestionVersion
from lms.exams.question_types import QUESTION_TYPES


@dataclass(frozen=True)
class DisplayedQuestion:
    position: int
    points: float
    qtype: str
    text_html: str
    partial: str
    view: dict
    mode: str  # take (inputs) | review (the learner's answer, read-only) | preview (a trainer's)
    grader_notes: str = ""

    @property
    def field(self) -> str:
        """The name of the question's form fields (q3, q3-0 …)."""
        return f"q{self.position}"

    @property
    def disabled(self) -> bool:
        return self.mode != "take"


def display_question(slot, mode: str = "take", show_correct: bool = False) -> DisplayedQuestion:
    """``slot`` is an AttemptQuestion or a PreviewQuestion (a version, its position, presentation,
    response and points)."""
    version = slot.version
    question_type = QUESTION_TYPES[version.qtype]
    correct = question_type.correct_response(version.data) if show_correct else None
    return DisplayedQuestion(
        slot.position, slot.points, version.qtype, version.text_html, question_type.partial,
        question_type.view(version.data, slot.presentation or {}, slot.response, correct), mode,
        question_type.grader_notes(version.data))


@dataclass
class PreviewQuestion:
    """A question shown as a learner would see it, with the correct answer filled in."""

    version: QuestionVersion
    position: int = 1
    presentation: dict = field(default_factory=dict)
    response: dict | None = None
    points: float = 1.0


def preview_question(version: QuestionVersion) -> DisplayedQuestion:
    """A trainer's preview: the file's own order, the correct answer chosen and marked."""
    question_type = QUESTION_TYPES[version.qtype]
    preview = PreviewQuestion(version, presentation=question_type.preview_presentation(version.data),
                              response=question_type.correct_response(version.data), points=version.points)
    return display_question(preview, "preview", show_correct=True)
