"""Item analysis: classical test statistics from graded attempts. Pure functions on plain numbers.

- facility: mean score as a fraction of the item's maximum (how easy the item is)
- discrimination: correlation between the item score and the rest of the test (total minus the item)
- Cronbach's alpha: internal consistency of the test, from item and total variances
Flags follow common practice: discrimination below 0.3, or facility outside 0.3–0.7, needs checking;
figures backed by fewer than 30 attempts are marked as unreliable.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

MIN_RELIABLE = 30


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def stdev(values: list[float]) -> float:
    """Sample standard deviation (n − 1)."""
    if len(values) < 2:
        return 0.0
    m = mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson correlation, or None when either side does not vary."""
    if len(xs) < 2:
        return None
    mx, my = mean(xs), mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


@dataclass
class ItemStats:
    key: int
    n: int
    max_points: float
    facility: float | None
    sd: float | None
    discrimination: float | None
    choices: Counter = field(default_factory=Counter)

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.discrimination is not None and self.discrimination < 0.3:
            flags.append("low_discrimination")
        if self.facility is not None and not 0.3 <= self.facility <= 0.7:
            flags.append("too_easy" if self.facility > 0.7 else "too_hard")
        return flags

    @property
    def reliable(self) -> bool:
        return self.n >= MIN_RELIABLE


@dataclass
class TestStats:
    n: int
    mean_percent: float
    sd_percent: float
    alpha: float | None
    items: list[ItemStats]

    @property
    def reliable(self) -> bool:
        return self.n >= MIN_RELIABLE


def analyse(rows: list[tuple]) -> TestStats:
    """Statistics from (attempt id, item key, score, max points, choice key[, position]) rows.

    Attempts that did not draw an item simply do not count for it (random draws). Cronbach's alpha is
    computed over the question slots (positions) of the test, as Moodle does, so it is defined even
    when every attempt drew different questions."""
    by_slot: dict[int, dict[int, float]] = {}
    per_item: dict[int, list[tuple[int, float]]] = {}
    max_by_item: dict[int, float] = {}
    choices: dict[int, Counter] = {}
    totals: dict[int, float] = {}
    attempt_max: dict[int, float] = {}
    for attempt_id, item, score, max_points, choice, *position in rows:
        per_item.setdefault(item, []).append((attempt_id, score))
        by_slot.setdefault(attempt_id, {})[position[0] if position else item] = score
        totals[attempt_id] = totals.get(attempt_id, 0.0) + score
        attempt_max[attempt_id] = attempt_max.get(attempt_id, 0.0) + max_points
        max_by_item[item] = max_points
        if choice is not None:
            choices.setdefault(item, Counter())[choice] += 1
    percents = [100 * totals[a] / attempt_max[a] for a in totals if attempt_max[a]]
    items = []
    for item, max_points in sorted(max_by_item.items()):
        scores = [score for _a, score in per_item[item]]
        rest = [totals[a] - score for a, score in per_item[item]]
        facility = mean(scores) / max_points if scores and max_points else None
        sd = stdev([s / max_points for s in scores]) if max_points else None
        items.append(ItemStats(item, len(scores), max_points, facility, sd, correlation(scores, rest),
                               choices.get(item, Counter())))
    return TestStats(len(totals), mean(percents), stdev(percents), cronbach_alpha(by_slot), items)


def cronbach_alpha(by_attempt: dict[int, dict[int, float]]) -> float | None:
    """α = k/(k−1) · (1 − Σ item variances / variance of totals), over the items all attempts share."""
    if len(by_attempt) < 2:
        return None
    shared = set.intersection(*(set(scores) for scores in by_attempt.values()))
    k = len(shared)
    if k < 2:
        return None
    item_var = sum(stdev([scores[i] for scores in by_attempt.values()]) ** 2 for i in shared)
    total_var = stdev([sum(scores[i] for i in shared) for scores in by_attempt.values()]) ** 2
    if total_var <= 1e-12:
        return None
    return k / (k - 1) * (1 - item_var / total_var)
