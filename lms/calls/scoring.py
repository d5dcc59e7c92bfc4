"""Where a call is scored: each criterion takes its worst mark on the call, the score is the weight met
over the weight assessed, and a critical criterion not met fails the call whatever the score. Pure."""

from dataclasses import dataclass

from lms.calls.engine import Criterion, Scenario

RANK = {"breached": 0, "missed": 1, "met": 2}


@dataclass
class CriterionResult:
    criterion: Criterion
    status: str | None  # met | missed | breached | None (not assessed)

    @property
    def points(self) -> int:
        return self.criterion.weight if self.status == "met" else 0


@dataclass
class ScoreResult:
    criteria: list[CriterionResult]
    points: int
    possible: int
    percent: float
    critical_failed: list[str]
    passed: bool


def worst_marks(marks: list) -> dict[str, str]:
    """Criterion → its worst mark, from marks [criterion, mark, …]."""
    worst: dict[str, str] = {}
    for cid, mark, *_ in marks:
        if cid not in worst or RANK[mark] < RANK[worst[cid]]:
            worst[cid] = mark
    return worst


def score(scenario: Scenario, marks: list) -> ScoreResult:
    """Score the call's marks against the rubric; criteria never marked are left out of the score."""
    worst = worst_marks(marks)
    results = [CriterionResult(c, worst.get(c.id)) for c in scenario.rubric]
    assessed = [r for r in results if r.status is not None]
    points = sum(r.points for r in assessed)
    possible = sum(r.criterion.weight for r in assessed)
    percent = round(100 * points / possible, 1) if possible else 0.0
    critical = [r.criterion.id for r in assessed if r.criterion.critical and r.status != "met"]
    return ScoreResult(results, points, possible, percent, critical, percent >= scenario.pass_mark and not critical)
