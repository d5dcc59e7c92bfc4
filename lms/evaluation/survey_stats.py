"""Survey statistics (level 1), pure: the summary of each Likert item, the recommendation score (NPS:
the percentage of promoters, 9–10, minus that of detractors, 0–6), the response rate, and the rule that
hides everything about a group smaller than the minimum (comments too, which are never tied to anyone)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

LIKERT_VALUES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class ItemSummary:
    id: str
    text: str
    n: int
    mean: float | None
    distribution: tuple[int, ...]  # how many answered 1, 2, 3, 4, 5


@dataclass(frozen=True)
class NpsSummary:
    n: int
    promoters: int
    passives: int
    detractors: int

    @property
    def score(self) -> float | None:
        """From −100 (every respondent a detractor) to 100 (every one a promoter); None without answers."""
        return round(100 * (self.promoters - self.detractors) / self.n, 1) if self.n else None


@dataclass(frozen=True)
class SurveyAggregate:
    offered: int
    responded: int
    hidden: bool  # fewer respondents than the minimum group: nothing below is shown
    items: tuple[ItemSummary, ...] = ()
    nps: NpsSummary | None = None
    comments: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (question, answers sorted) per comment item
    overall_mean: float | None = None  # mean of every Likert answer
    figures: dict = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        return response_rate(self.responded, self.offered)


def response_rate(responded: int, offered: int) -> float | None:
    """The share of invitations answered, 0–1; None when nothing was offered."""
    return round(responded / offered, 3) if offered else None


def likert_summary(item_id: str, text: str, values: Iterable[int]) -> ItemSummary:
    counts = [0] * len(LIKERT_VALUES)
    for v in values:
        if v in LIKERT_VALUES and not isinstance(v, bool):
            counts[v - 1] += 1
    n = sum(counts)
    mean = round(sum(v * c for v, c in zip(LIKERT_VALUES, counts, strict=True)) / n, 2) if n else None
    return ItemSummary(item_id, text, n, mean, tuple(counts))


def nps_summary(values: Iterable[int]) -> NpsSummary:
    scores = [v for v in values if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10]
    return NpsSummary(len(scores), sum(1 for v in scores if v >= 9), sum(1 for v in scores if 7 <= v <= 8),
                      sum(1 for v in scores if v <= 6))


def aggregate(items: list[dict], answers: list[dict], offered: int, minimum: int) -> SurveyAggregate:
    """Summarise the answers (one mapping per respondent) to the items; hidden below ``minimum`` respondents."""
    responded = len(answers)
    if responded < minimum:
        return SurveyAggregate(offered, responded, hidden=True)
    likert = tuple(likert_summary(i["id"], i["text"], [a.get(i["id"]) for a in answers])
                   for i in items if i["kind"] == "likert")
    nps_items = [i for i in items if i["kind"] == "nps"]
    nps = nps_summary(a.get(nps_items[0]["id"]) for a in answers) if nps_items else None
    comments = tuple((i["text"], tuple(sorted(str(a[i["id"]]).strip() for a in answers
                                              if isinstance(a.get(i["id"]), str) and a[i["id"]].strip())))
                     for i in items if i["kind"] == "comment")
    total = sum(s.n for s in likert)
    overall = round(sum(s.mean * s.n for s in likert if s.mean is not None) / total, 2) if total else None
    figures = {"reaction.responded": responded, "reaction.response_rate": response_rate(responded, offered),
               "reaction.mean": overall, "reaction.nps": nps.score if nps else None}
    return SurveyAggregate(offered, responded, False, likert, nps, comments, overall, figures)
