"""An observed call's scorecard, scored like a simulated call: each rated criterion counts its weight times
its credit (met 1, partly ½, missed and breached 0) over the weight of the criteria rated; a critical
criterion breached or missed is flagged whatever the score. Criteria not observed are left out. Pure."""

from dataclasses import dataclass

RATINGS = ("met", "partly", "missed", "breached")
CREDIT = {"met": 1.0, "partly": 0.5, "missed": 0.0, "breached": 0.0}


@dataclass(frozen=True)
class CriterionRef:
    id: str
    title: str
    weight: int
    critical: bool = False


@dataclass(frozen=True)
class ScorecardResult:
    percent: float | None  # None: nothing was rated
    rated: int
    critical_failed: tuple[str, ...]


def score_scorecard(criteria: list[CriterionRef], ratings: dict[str, str]) -> ScorecardResult:
    rated = [(c, ratings[c.id]) for c in criteria if ratings.get(c.id) in RATINGS]
    possible = sum(c.weight for c, _r in rated)
    points = sum(c.weight * CREDIT[r] for c, r in rated)
    percent = round(100 * points / possible, 1) if possible else None
    critical = tuple(c.id for c, r in rated if c.critical and r in ("missed", "breached"))
    return ScorecardResult(percent, len(rated), critical)


def criteria_of(definition: dict) -> list[CriterionRef]:
    """The rubric of a scenario version's plain definition."""
    return [CriterionRef(str(c["id"]), str(c["title"]), int(c["weight"]), bool(c.get("critical", False)))
            for c in definition.get("rubric") or []]


def met_share(ratings: list[dict], criterion_id: str) -> tuple[float | None, int]:
    """Among the scorecards (or simulated calls) that rated the criterion, the share that met it, and how
    many rated it. A simulated call's marks (met, missed, breached) read the same way."""
    rated = [r[criterion_id] for r in ratings if r.get(criterion_id) in RATINGS]
    return (round(sum(1 for v in rated if v == "met") / len(rated), 3) if rated else None), len(rated)
