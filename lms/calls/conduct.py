"""That a call's endings follow the learner's conduct: an ending praises only what every call reaching it
did, and a call that failed a critical criterion never ends with a pleased customer. Checked on every
set of marks a call can reach each ending with (lms.calls.paths.marks_at_endings). Pure."""

from flask_babel import gettext

from lms.calls.engine import Scenario, ScenarioError
from lms.calls.labels import MARK_LABELS, MOOD_LABELS
from lms.calls.paths import marks_at_endings

PLEASED = ("relieved", "satisfied")


def _not_met(reached: list[dict[str, str]], cid: str) -> str | None:
    """The worst mark (missed or breached) a call reaching the ending can have on the criterion."""
    marks = {worst.get(cid) for worst in reached}
    return "breached" if "breached" in marks else "missed" if "missed" in marks else None


def closing_moods(scenario: Scenario, end: str) -> set[str]:
    """How the customer sounds as the call ends here: the ending's mood when it has last words, else the
    moods of the customer's lines that lead straight to it."""
    node = scenario.nodes[end]
    if node.say:
        return {node.mood}
    return {other.mood for other in scenario.nodes.values() if other.kind == "customer"
            and {target for target, _outcome in other.successors()} == {end}} | {node.mood}


def conduct_problems(scenario: Scenario) -> list[ScenarioError]:
    """Endings whose praise or pleased customer a call can reach after failing the behaviour."""
    problems = []
    critical = [c for c in scenario.rubric if c.critical]
    for end, reached in sorted(marks_at_endings(scenario).items()):
        node, where = scenario.nodes[end], f"node {end}"
        for cid in getattr(node, "praises", ()):
            if (mark := _not_met(reached, cid)) is not None:
                problems.append(ScenarioError(gettext(
                    "praises %(criterion)s, but a call can end here with it %(mark)s: make the way here "
                    "depend on it (a variable the reply sets, a condition on the branch)",
                    criterion=cid, mark=MARK_LABELS[mark]), where))
        for mood in sorted(closing_moods(scenario, end) & set(PLEASED)):
            for criterion in critical:
                if (mark := _not_met(reached, criterion.id)) is not None:
                    problems.append(ScenarioError(gettext(
                        "the customer ends %(mood)s, but a call can end here with the critical criterion "
                        "%(criterion)s %(mark)s: a call handled so badly needs an ending of its own",
                        mood=MOOD_LABELS[mood], criterion=criterion.id, mark=MARK_LABELS[mark]), where))
    return problems
