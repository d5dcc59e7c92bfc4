"""Item-writing cues in question banks: patterns a test-wise learner can use to score without knowing the
content. Pure functions on plain data (LintItem); the registry's types say which options a question has.

Spread checks, over a bank (or every bank), each a significance test at ALPHA against what chance gives:
- keys first: the correct option(s) open the list more often than chance. Exams shuffle options, but
  practice, previews and exports keep the written order, where writers tend to put the key first.
- key position: the key's position over single-answer questions is unevenly spread (Pearson's chi-square,
  only over groups of questions whose expected count per position is at least 5, Cochran's rule).
- true/false balance: the statements' keys lean to "true" or "false" beyond a fair coin (exact, two-sided).
- longest key: the strictly longest option is the key more often than if the key were a random option.
Question checks: the question's text contains a key's text; two options of a question say the same.

The exact tests sum probabilities of independent yes/no events with different chances (a question with
three options has its key first with chance 1/3, one with four with 1/4): the Poisson binomial
distribution, computed exactly by convolution. The project has no SciPy; the chi-square tail is the
closed form for whole and half-whole degrees of freedom.
"""

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext, ngettext

from lms.exams.question_types import QUESTION_TYPES

ALPHA = 0.05
MIN_KEY_CHARS = 4  # shorter keys (是, 三聲) turn up in stems by accident
MIN_EXPECTED = 5  # Cochran's rule for the chi-square approximation
ALL_BANKS = ""  # the scope of a spread finding over every bank

CHECKS = ("keys_first", "key_position", "truefalse_balance", "longest_key", "stem_has_key", "duplicate_options")


@dataclass(frozen=True)
class LintItem:
    bank: str
    uid: str
    text: str
    options: tuple[tuple[str, bool], ...] = ()  # written options in order: (text, is part of the key)
    statement: bool | None = None  # a true/false question's key


@dataclass(frozen=True)
class Finding:
    check: str  # one of CHECKS
    bank: str  # ALL_BANKS: over every bank
    uid: str | None = None  # None: about the bank as a whole
    figures: dict = field(default_factory=dict, hash=False, compare=False)
    uids: tuple[str, ...] = ()  # the questions a spread finding is about

    @property
    def message(self) -> str:
        return describe(self)


@dataclass(frozen=True)
class Test:
    observed: float
    expected: float
    total: int
    p: float

    @property
    def significant(self) -> bool:
        return self.p < ALPHA


@dataclass(frozen=True)
class CueFigures:
    """What the spread checks measured (bank pages show them; item writers aim for no finding)."""

    key_positions: tuple[int, ...]  # single-answer questions whose key is at position 1, 2, …
    keys_first: Test
    key_position_p: float | None  # None: too few questions for the chi-square
    true_count: int
    false_count: int
    truefalse_p: float
    longest_key: Test
    longest_key_uids: tuple[str, ...]


# ---------------------------------------------------------------- from questions


def lint_item(bank: str, uid: str, qtype: str, text: str, data: dict) -> LintItem:
    """A question as the checks read it; its type says what its written options and its key are."""
    question_type = QUESTION_TYPES.get(qtype)
    if question_type is None:
        return LintItem(bank, uid, text)
    options = tuple((str(t), bool(right)) for t, right in question_type.written_options(data))
    return LintItem(bank, uid, text, options, question_type.statement_key(data))


def bank_items(bank) -> list[LintItem]:
    """The questions of a loaded bank (lms.exams.loader.BankSpec)."""
    return [lint_item(bank.slug, q.uid, q.qtype, q.text, q.data) for q in bank.questions]


# ---------------------------------------------------------------- probabilities


def fair_coin_two_sided(k: int, n: int) -> float:
    """Exact two-sided binomial p-value of k heads in n fair tosses: the chance of any outcome no likelier."""
    if n <= 0:
        return 1.0
    observed = math.comb(n, k)
    return min(1.0, sum(c for c in (math.comb(n, i) for i in range(n + 1)) if c <= observed) / 2 ** n)


def poisson_binomial(probabilities: Iterable[float]) -> list[float]:
    """P(exactly j successes) for j = 0…n, of independent events with these chances."""
    dist = [1.0]
    for p in probabilities:
        p = min(1.0, max(0.0, p))
        dist = [(dist[j] if j < len(dist) else 0.0) * (1 - p) + (dist[j - 1] * p if j else 0.0)
                for j in range(len(dist) + 1)]
    return dist


def at_least(k: int, probabilities: list[float]) -> float:
    """One-sided exact p-value: the chance of k or more successes among independent events."""
    dist = poisson_binomial(probabilities)
    return min(1.0, max(0.0, math.fsum(dist[max(0, k):])))


def chi_square_tail(x: float, df: int) -> float:
    """P(χ² with df degrees of freedom ≥ x): the regularised upper incomplete gamma Q(df/2, x/2)."""
    if df <= 0:
        return 1.0
    if x <= 0:
        return 1.0
    y = x / 2
    if df % 2 == 0:  # Q(m, y) = e^-y Σ_{i<m} y^i / i!
        term = total = math.exp(-y)
        for i in range(1, df // 2):
            term *= y / i
            total += term
    else:  # Q(m + 1/2, y) = erfc(√y) + e^-y Σ_{i=1..m} y^(i-1/2) / Γ(i + 1/2)
        total = math.erfc(math.sqrt(y))
        term = math.exp(-y) * math.sqrt(y) / math.gamma(1.5) if df > 1 else 0.0
        for i in range(1, (df - 1) // 2 + 1):
            if i > 1:
                term *= y / (i - 0.5)
            total += term
    return min(1.0, max(0.0, total))


# ---------------------------------------------------------------- the checks


def normalise(text: str) -> str:
    """Text as the checks compare it: full/half width folded, case ignored, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZC")


def _keyed(item: LintItem) -> bool:
    """A choice question with both right and wrong options (others give the spread checks nothing)."""
    keys = sum(right for _t, right in item.options)
    return 0 < keys < len(item.options)


def _keys_first(item: LintItem) -> tuple[bool, float]:
    """Whether the key options open the list, and the chance of that if the order were random."""
    flags = [right for _t, right in item.options]
    k = sum(flags)
    return all(flags[:k]), 1 / math.comb(len(flags), k)


def _longest(item: LintItem) -> tuple[bool, float] | None:
    """Whether the one strictly longest option is a key, and the chance of that for a random key;
    None when no single option is the longest."""
    lengths = [len("".join(t.split())) for t, _right in item.options]
    top = max(lengths)
    if lengths.count(top) != 1:
        return None
    flags = [right for _t, right in item.options]
    return flags[lengths.index(top)], sum(flags) / len(flags)


def _position_p(items: list[LintItem]) -> tuple[tuple[int, ...], float | None]:
    """Counts of the key's position over single-answer questions, and the chi-square p-value over the
    groups of questions with the same number of options that are large enough for it."""
    single = [item for item in items if _keyed(item) and sum(r for _t, r in item.options) == 1]
    width = max((len(item.options) for item in single), default=0)
    counts = [0] * width
    groups: dict[int, list[int]] = {}
    for item in single:
        position = next(i for i, (_t, right) in enumerate(item.options) if right)
        counts[position] += 1
        groups.setdefault(len(item.options), [0] * len(item.options))[position] += 1
    statistic, df = 0.0, 0
    for n_options, observed in groups.items():
        expected = sum(observed) / n_options
        if expected < MIN_EXPECTED:
            continue
        statistic += sum((o - expected) ** 2 / expected for o in observed)
        df += n_options - 1
    return tuple(counts), (chi_square_tail(statistic, df) if df else None)


def cue_figures(items: list[LintItem]) -> CueFigures:
    """The figures the spread checks test, for one bank or several."""
    keyed = [item for item in items if _keyed(item)]
    firsts = [_keys_first(item) for item in keyed]
    observed_first = sum(first for first, _p in firsts)
    keys_first = Test(observed_first, sum(p for _f, p in firsts), len(firsts),
                      at_least(observed_first, [p for _f, p in firsts]))
    positions, position_p = _position_p(items)
    statements = [item.statement for item in items if item.statement is not None]
    trues = sum(statements)
    longest = [(item.uid, found) for item in keyed if (found := _longest(item)) is not None]
    longest_uids = tuple(uid for uid, (is_key, _p) in longest if is_key)
    longest_key = Test(len(longest_uids), sum(p for _u, (_k, p) in longest), len(longest),
                       at_least(len(longest_uids), [p for _u, (_k, p) in longest]))
    return CueFigures(positions, keys_first, position_p, trues, len(statements) - trues,
                      fair_coin_two_sided(trues, len(statements)), longest_key, longest_uids)


def spread_findings(items: list[LintItem], scope: str) -> list[Finding]:
    """The spread checks over these questions; ``scope`` is the bank they are (ALL_BANKS: every bank)."""
    figures, findings = cue_figures(items), []
    first = figures.keys_first
    if first.significant:
        findings.append(Finding("keys_first", scope, figures={
            "observed": first.observed, "total": first.total, "expected": first.expected, "p": first.p}))
    if figures.key_position_p is not None and figures.key_position_p < ALPHA:
        findings.append(Finding("key_position", scope, figures={
            "counts": figures.key_positions, "total": sum(figures.key_positions), "p": figures.key_position_p}))
    if figures.truefalse_p < ALPHA:
        findings.append(Finding("truefalse_balance", scope, figures={
            "true": figures.true_count, "false": figures.false_count,
            "total": figures.true_count + figures.false_count, "p": figures.truefalse_p}))
    longest = figures.longest_key
    if longest.significant:
        findings.append(Finding("longest_key", scope, figures={
            "observed": longest.observed, "total": longest.total, "expected": longest.expected, "p": longest.p},
            uids=figures.longest_key_uids))
    return findings


def question_findings(item: LintItem) -> list[Finding]:
    """What is wrong with one question on its own: a stem that holds a key, options that repeat."""
    findings = []
    stem = normalise(item.text)
    for text, right in item.options:
        key = normalise(text)
        if right and len(key) >= MIN_KEY_CHARS and key in stem:
            findings.append(Finding("stem_has_key", item.bank, item.uid, {"option": text}))
    seen = set()
    for text, _right in item.options:
        key = normalise(text) or text.strip()
        if key in seen:
            findings.append(Finding("duplicate_options", item.bank, item.uid, {"option": text}))
        seen.add(key)
    return findings


def longest_key_cue(item: LintItem) -> list[str]:
    """For the question editor: whether this question's key is its one strictly longest option (the bank's
    spread check counts these; one question alone is only a hint to its writer)."""
    found = _longest(item) if _keyed(item) else None
    if found is None or not found[0]:
        return []
    return [gettext("The correct option is the longest one: learners who pick the longest option get it right "
                    "without knowing the answer. Shorten it, or give the wrong options the same detail.")]


def lint_bank(items: list[LintItem], bank: str) -> list[Finding]:
    """Every finding for one bank: the spread checks over it, then each question's own."""
    return spread_findings(items, bank) + [f for item in items for f in question_findings(item)]


def lint_banks(banks: dict[str, list[LintItem]]) -> list[Finding]:
    """Every bank's findings, then the spread checks over all of them together."""
    findings = [f for slug, items in banks.items() for f in lint_bank(items, slug)]
    if len(banks) > 1:
        findings += spread_findings([item for items in banks.values() for item in items], ALL_BANKS)
    return findings


# ---------------------------------------------------------------- words for trainers


def chance(p: float) -> str:
    """A p-value as a trainer reads it."""
    return "< 0.1%" if p < 0.001 else f"{p:.1%}"


def describe(finding: Finding) -> str:
    """The finding in words a trainer understands (in the current language)."""
    f = finding.figures
    if finding.check == "keys_first":
        return gettext(
            "In %(observed)d of %(total)d choice questions the correct option comes first (or the correct options "
            "come before every wrong one); chance alone would give about %(expected).0f. Practice, previews and "
            "exports keep the written order: vary where the key goes. (Probability by chance: %(p)s.)",
            observed=f["observed"], total=f["total"], expected=f["expected"], p=chance(f["p"]))
    if finding.check == "key_position":
        counts = gettext(", ").join(gettext("option %(n)d: %(count)d", n=i, count=c)
                                    for i, c in enumerate(f["counts"], start=1))
        return gettext(
            "The correct option's place is unevenly spread over the %(total)d single-answer questions (%(counts)s): "
            "move some keys to the places used least. (Probability by chance: %(p)s.)",
            total=f["total"], counts=counts, p=chance(f["p"]))
    if finding.check == "truefalse_balance":
        return ngettext(
            "%(true)d of %(num)d true/false statement is true and %(false)d false: learners who notice can guess "
            "the common answer. Rewrite some statements so that the other answer is right. (Probability by chance: "
            "%(p)s.)",
            "%(true)d of %(num)d true/false statements are true and %(false)d false: learners who notice can guess "
            "the common answer. Rewrite some statements so that the other answer is right. (Probability by chance: "
            "%(p)s.)", f["total"], true=f["true"], false=f["false"], p=chance(f["p"]))
    if finding.check == "longest_key":
        return gettext(
            "In %(observed)d of %(total)d choice questions the longest option is the correct one; chance alone would "
            "give about %(expected).0f. Shorten keys, or give the wrong options the same detail. (Probability by "
            "chance: %(p)s.)",
            observed=f["observed"], total=f["total"], expected=f["expected"], p=chance(f["p"]))
    if finding.check == "stem_has_key":
        return gettext("The question's text contains the correct option \u201c%(option)s\u201d: learners can match "
                       "the words instead of knowing the answer.", option=f["option"])
    if finding.check == "duplicate_options":
        return gettext("Two options say the same thing: \u201c%(option)s\u201d.", option=f["option"])
    return finding.check
