"""Level 2, learning: pre-test against post-test, as pure functions (no Flask, no session).

Scores are percentages (0–100), so the maximum is 100 whatever the number of questions drawn.

- raw gain: post − pre, in percentage points;
- normalised gain g = (post − pre) / (100 − pre): the share of what the learner did not know before that
  they know after. Undefined (None) when pre = 100: there was nothing left to gain. g ≤ 1 always; it is
  negative when the post-test went worse than the pre-test.
- the cohort's gain (Hake's class gain) is computed from the cohort's mean pre and post scores of the
  learners who took both tests; the mean of the individual gains is given beside it (learners with an
  undefined g left out and counted).
- pass rate: learners who passed the post-test ÷ learners who took it; attempts to pass: the number of
  the first passed post-test attempt (every attempt started counts).
- per standard item: of the learners whose post-test asked about the item, the share who did not get
  every question on it fully right.
"""

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from statistics import median

MAX_PERCENT = 100.0


@dataclass(frozen=True)
class PostAttempt:
    number: int  # 1, 2, 3 … in the order taken
    percent: float
    passed: bool


@dataclass(frozen=True)
class LearnerTests:
    """One learner's graded results on a course's two tests."""

    user_id: int
    pre: float | None  # the first graded pre-test, or None
    posts: tuple[PostAttempt, ...] = ()


@dataclass(frozen=True)
class LearnerGain:
    user_id: int
    pre: float | None
    post: float | None  # the best graded post-test
    raw_gain: float | None  # None unless both tests were taken
    normalised_gain: float | None  # None unless both were taken, and when pre = 100
    passed: bool
    attempts_to_pass: int | None  # None when the post-test was never passed

    @property
    def gain_undefined(self) -> bool:
        """Both tests taken but the pre-test was already perfect: g has no value."""
        return self.pre is not None and self.post is not None and self.normalised_gain is None


@dataclass(frozen=True)
class CohortGain:
    learners: int  # everyone with at least one of the tests
    paired: int  # learners with both tests: the gain is about them
    pre_mean: float | None
    post_mean: float | None
    raw_gain: float | None  # post_mean − pre_mean over the paired learners
    class_gain: float | None  # Hake: (post_mean − pre_mean) / (100 − pre_mean); None when pre_mean = 100
    mean_gain: float | None  # mean of the individual g over the paired learners whose g is defined
    undefined_gains: int  # paired learners whose pre-test was already perfect
    took_post: int
    passed: int
    pass_rate: float | None  # passed / took_post
    attempts_to_pass_mean: float | None
    attempts_to_pass_median: float | None


@dataclass(frozen=True)
class ItemResult:
    item: str
    tested: int  # learners whose post-test asked about the item
    still_wrong: int

    @property
    def share_wrong(self) -> float | None:
        return self.still_wrong / self.tested if self.tested else None


def normalised_gain(pre: float, post: float, maximum: float = MAX_PERCENT) -> float | None:
    """(post − pre) / (maximum − pre), or None when pre = maximum. Scores are clamped into 0…maximum."""
    pre, post = _clamp(pre, maximum), _clamp(post, maximum)
    if pre >= maximum:
        return None
    return (post - pre) / (maximum - pre)


def _clamp(value: float, maximum: float) -> float:
    return min(max(float(value), 0.0), maximum)


def attempts_to_pass(posts: Iterable[PostAttempt]) -> int | None:
    """The number of the first passed attempt: every attempt started counts, also one that was discarded."""
    return min((a.number for a in posts if a.passed), default=None)


def learner_gain(tests: LearnerTests) -> LearnerGain:
    post = max((a.percent for a in tests.posts), default=None)
    pre = tests.pre
    both = pre is not None and post is not None
    return LearnerGain(
        user_id=tests.user_id, pre=pre, post=post,
        raw_gain=(_clamp(post, MAX_PERCENT) - _clamp(pre, MAX_PERCENT)) if both else None,
        normalised_gain=normalised_gain(pre, post) if both else None,
        passed=any(a.passed for a in tests.posts), attempts_to_pass=attempts_to_pass(tests.posts))


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None  # statistics.mean adds exact fractions: slow


def cohort_gain(gains: Sequence[LearnerGain]) -> CohortGain:
    paired = [g for g in gains if g.pre is not None and g.post is not None]
    pre_mean = _mean([_clamp(g.pre, MAX_PERCENT) for g in paired])
    post_mean = _mean([_clamp(g.post, MAX_PERCENT) for g in paired])
    defined = [g.normalised_gain for g in paired if g.normalised_gain is not None]
    took_post = [g for g in gains if g.post is not None]
    passed = [g for g in took_post if g.passed]
    tries = [g.attempts_to_pass for g in passed if g.attempts_to_pass is not None]
    return CohortGain(
        learners=len(gains), paired=len(paired), pre_mean=pre_mean, post_mean=post_mean,
        raw_gain=(post_mean - pre_mean) if paired else None,
        class_gain=normalised_gain(pre_mean, post_mean) if paired else None,
        mean_gain=_mean(defined), undefined_gains=len(paired) - len(defined),
        took_post=len(took_post), passed=len(passed),
        pass_rate=len(passed) / len(took_post) if took_post else None,
        attempts_to_pass_mean=_mean(tries), attempts_to_pass_median=median(tries) if tries else None)


@dataclass(frozen=True)
class CohortSums:
    """A cohort as sums, as a database can add them up (and as cohorts add up into a larger one)."""

    learners: int = 0
    paired: int = 0
    pre_sum: float = 0.0  # over paired learners
    post_sum: float = 0.0
    gain_sum: float = 0.0  # individual normalised gains over paired learners whose gain is defined
    undefined_gains: int = 0
    took_post: int = 0
    passed: int = 0
    attempts_sum: float = 0.0  # attempts to pass, over those who passed

    def __add__(self, other: "CohortSums") -> "CohortSums":
        return CohortSums(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def cohort_from_sums(s: CohortSums) -> CohortGain:
    pre_mean = s.pre_sum / s.paired if s.paired else None
    post_mean = s.post_sum / s.paired if s.paired else None
    defined = s.paired - s.undefined_gains
    return CohortGain(
        learners=s.learners, paired=s.paired, pre_mean=pre_mean, post_mean=post_mean,
        raw_gain=(post_mean - pre_mean) if s.paired else None,
        class_gain=normalised_gain(pre_mean, post_mean) if s.paired else None,
        mean_gain=s.gain_sum / defined if defined else None, undefined_gains=s.undefined_gains,
        took_post=s.took_post, passed=s.passed, pass_rate=s.passed / s.took_post if s.took_post else None,
        attempts_to_pass_mean=s.attempts_sum / s.passed if s.passed else None, attempts_to_pass_median=None)


def items_still_wrong(answers: Iterable[tuple[int, str, bool]]) -> list[ItemResult]:
    """``answers``: (learner id, standard item, fully right) for every question of each learner's post-test
    and every item the question cites. A learner is still wrong on an item when any of their questions on
    it was not fully right. Sorted with the most-missed items first, then by item."""
    right: dict[str, dict[int, bool]] = {}
    for user_id, item, correct in answers:
        per_item = right.setdefault(item, {})
        per_item[user_id] = per_item.get(user_id, True) and bool(correct)
    results = [ItemResult(item, len(people), sum(1 for ok in people.values() if not ok))
               for item, people in right.items()]
    return sorted(results, key=lambda r: (-(r.share_wrong or 0.0), r.item))


def distribution(scores: Iterable[float], width: int = 10) -> list[int]:
    """How many scores fall in each band of ``width`` points: 0–9, 10–19, …, 90–100 (100 in the last)."""
    bands = int(MAX_PERCENT // width)
    counts = [0] * bands
    for score in scores:
        counts[min(int(_clamp(score, MAX_PERCENT) // width), bands - 1)] += 1
    return counts


def blueprint(sections: Sequence[dict]) -> frozenset:
    """What an exam draws from, ignoring how many questions: the fixed questions and, for each draw, its
    tags and allowed types. Two tests have the same blueprint when these are equal."""
    parts = set()
    for section in sections:
        if section.get("questions"):
            parts.update(("question", uid) for uid in section["questions"])
        draw = section.get("draw")
        if draw:
            parts.add(("draw", tuple(sorted(draw.get("tags") or ())), tuple(sorted(draw.get("types") or ()))))
    return frozenset(parts)


def same_blueprint(pre_sections: Sequence[dict], post_sections: Sequence[dict]) -> bool:
    return blueprint(pre_sections) == blueprint(post_sections)
