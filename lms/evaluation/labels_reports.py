"""Labels and number formats of the report pages, their PDF and CSV, and the improvement actions."""

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.evaluation.models import ActionStatus

SCOPE_LABELS = {
    "course": _l("Course"),
    "cohort": _l("Cohort"),
    "team": _l("Team"),
    "programme": _l("Programme"),
    "period": _l("Period"),
}
ACTION_STATUS_LABELS = {
    ActionStatus.OPEN: _l("Open"),
    ActionStatus.IN_PROGRESS: _l("Under way"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.DROPPED: _l("Dropped"),
}
# The figures an improvement action compares, by "<section>.<figure>"; the figures of sections of other
# domains are named by a labeller they register (register_figure_labeller), so no code reaches the page.
FIGURE_LABELS = {
    "learning.paired": _l("Learners with both tests"),
    "learning.pre_mean": _l("Mean pre-test score (%)"),
    "learning.post_mean": _l("Mean post-test score (%)"),
    "learning.raw_gain": _l("Raw gain (points)"),
    "learning.class_gain": _l("Normalised gain of the cohort"),
    "learning.pass_rate": _l("Post-test pass rate (%)"),
    "learning.attempts_to_pass": _l("Attempts to pass (mean)"),
    "completion.enrolled": _l("Enrolled"),
    "completion.started": _l("Opened a lesson"),
    "completion.completed": _l("Completed"),
    "completion.completion_rate": _l("Completion rate (%)"),
    "completion.overdue": _l("Overdue"),
    "reaction.responded": _l("Survey answers"),
    "reaction.response_rate": _l("Survey response rate (0–1)"),
    "reaction.mean": _l("Mean survey answer (1–5)"),
    "reaction.nps": _l("Recommendation (NPS)"),
    "behaviour.observed": _l("Calls observed"),
    "behaviour.mean_percent": _l("Mean observation score (%)"),
}
_FIGURE_LABELLERS: dict[str, Callable[[str], str | None]] = {}
ITEM_FIGURE_PREFIX = "learning_items.wrong."
FIGURE_DIGITS = {"learning.class_gain": 2}  # decimals a figure is shown with (1 unless named here)


def register_figure_labeller(section: str, labeller: Callable[[str], str | None]) -> None:
    """``labeller(figure)`` names the figures of ``section`` ("did_csat" of "results"), or None."""
    _FIGURE_LABELLERS[section] = labeller


def figure_label(name: str) -> str:
    if name in FIGURE_LABELS:
        return str(FIGURE_LABELS[name])
    if name.startswith(ITEM_FIGURE_PREFIX):
        return _("Still wrong on %(item)s (%%)", item=name.removeprefix(ITEM_FIGURE_PREFIX))
    section, _dot, figure = name.partition(".")
    labeller = _FIGURE_LABELLERS.get(section)
    return (labeller(figure) if labeller else None) or name


def percent(value: float | None, digits: int = 0) -> str:
    """A share (0–1) as a percentage, or a dash."""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def score(value: float | None) -> str:
    """A score already in percent, or a dash."""
    return "—" if value is None else f"{value:.1f}"


def signed(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:+.{digits}f}"


def gain(value: float | None, undefined: bool = False) -> str:
    if value is None:
        return str(_("undefined (pre-test already perfect)")) if undefined else "—"
    return f"{value:.2f}"


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.{digits}f}"
