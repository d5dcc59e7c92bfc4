"""The facts a typed reply must carry (an amount, a name, a date, the service or plan), read out of what
the learner typed. Pure: text in, normalised values out.

A reply is read the way a person would read it, whatever the keyboard did: full-width digits and letters,
thousands separators (1,299 / 1，299), currency marks (NT$、新臺幣、元、塊), Chinese numerals (一千二百九十九,
一千兩百九十九, 壹仟貳佰玖拾玖) and traditional or simplified script all come to the same value.

Each kind of fact (``FACT_KINDS``) says how to read one value it expects (``expected``, from the
definition's value filled from the call's customer) and which values of its kind a reply mentions
(``mentioned``): a reply that mentions one of them other than the expected one says a WRONG fact.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from opencc import OpenCC

FACT_STATES = ("ok", "missing", "wrong")

# Chinese numerals, after conversion to simplified script (萬→万, 兩→两, 貳→贰…).
_DIGITS = {ch: value for value, chars in enumerate(
    ("零〇", "一壹幺", "二两贰", "三叁参", "四肆", "五伍", "六陆", "七柒", "八捌", "九玖")) for ch in chars}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_CHINESE_NUMBER = "[" + "".join(_DIGITS) + "".join(_UNITS) + "".join(_BIG) + "]+"
_ARABIC = r"\d+(?:\.\d+)?"
_BEFORE_MONEY = r"(?:nt\$|\$|新台币|台币)"
_AFTER_MONEY = r"(?:元|块|圆)"
_MONEY = re.compile(rf"({_BEFORE_MONEY})?\s*({_ARABIC}|{_CHINESE_NUMBER})\s*({_AFTER_MONEY})?")
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?:,\d{3})+)(?!\d|,\d)")
_HONORIFIC = re.compile(r"(?<![您的位這这那])([\u4e00-\u9fff])(先生|小姐|太太|女士)")
_DATE_PARTS = rf"(\d{{1,2}}|[{''.join(_DIGITS)}十]{{1,3}})"
# "9-12點" is a time of day (9 to 12 o'clock), not 12 September: a range followed by an hour is no date.
_MONTH_DAY = re.compile(rf"(?<!\d)(?:\d{{4}}\s*[年/.-]\s*)?{_DATE_PARTS}\s*(?:月|/|-)\s*{_DATE_PARTS}(?!\d)"
                        rf"(?!\s*(?:点|點|时|時|:|：))\s*(?:日|号)?")
_DAY_ONLY = re.compile(rf"(?<![月/\d.-]){_DATE_PARTS}\s*(?:日|号)")


@lru_cache(maxsize=1)
def _t2s():
    return OpenCC("t2s")


def plain_text(text: str) -> str:
    """NFKC (full-width to half-width), simplified script, lower case: the form every fact is read in."""
    return _t2s().convert(unicodedata.normalize("NFKC", text or "")).casefold()


def phrase_key(text: str) -> str:
    """A phrase as it is compared: plain text without spaces, punctuation or symbols."""
    return "".join(ch for ch in plain_text(text) if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"))


def chinese_number(text: str) -> int | None:
    """一千二百九十九, 两千零五, 十五, 五九七 (digit by digit) → the number; None if it is not one."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS and ch not in _BIG for ch in text):
        return None
    if text[0] in _BIG or (text[0] in _UNITS and text[0] not in "十拾"):
        return None  # 万元, 百元: a unit with no number before it
    if not any(ch in _UNITS or ch in _BIG for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text)) if len(text) > 1 else _DIGITS[text]
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            total = (total + section + (digit or 0)) * _BIG[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def _number(token: str) -> float | None:
    if re.fullmatch(_ARABIC, token):
        return float(token)
    value = chinese_number(token)
    return None if value is None else float(value)


def money_mentions(text: str) -> list[tuple[float, bool]]:
    """(amount, marked as money) for every number in the text; Chinese numerals count only when a
    currency mark stands beside them ("一下" is not an amount, "一千元" is)."""
    said = _THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(",", ""), plain_text(text))
    found = []
    for match in _MONEY.finditer(said):
        before, token, after = match.groups()
        marked = bool(before or after)
        if not token or (not token[0].isdigit() and not marked):
            continue
        value = _number(token)
        if value is not None:
            found.append((value, marked))
    return found


def read_amount(text: str) -> float | None:
    """The one amount a definition's value names ("1,299", "NT$1299", "一千二百九十九元"), or None."""
    values = {value for value, _marked in money_mentions(text)}
    return values.pop() if len(values) == 1 else None


def _date_part(token: str) -> int | None:
    value = int(token) if token.isdigit() else chinese_number(token)
    return value if value is not None and 1 <= value <= 31 else None


def date_mentions(text: str) -> set[tuple[int | None, int]]:
    """(month, day) of every date in the text ("3月2日", "3/2", "2026-03-02", "三月二號"); a day alone
    ("2號") has no month."""
    said = plain_text(text)
    found: set[tuple[int | None, int]] = set()
    for match in _MONTH_DAY.finditer(said):
        month, day = _date_part(match.group(1)), _date_part(match.group(2))
        if month is not None and month <= 12 and day is not None:
            found.add((month, day))
    for match in _DAY_ONLY.finditer(_MONTH_DAY.sub(" ", said)):
        if (day := _date_part(match.group(1))) is not None:
            found.add((None, day))
    return found


# ---------------------------------------------------------------- the kinds of fact


class AmountFact:
    """A sum of money: a number marked as money (元, NT$…) that is not an accepted amount is wrong."""

    @staticmethod
    def expected(value: str) -> set:
        amount = read_amount(value)
        return set() if amount is None else {amount}

    @staticmethod
    def mentioned(text: str) -> tuple[dict, set]:
        """({value the reply names: how to show it}, the values that make it wrong when not expected)."""
        mentions = money_mentions(text)
        return {v: f"{v:,.0f}" if v.is_integer() else f"{v:,}" for v, _m in mentions}, \
            {v for v, marked in mentions if marked}


class DateFact:
    """A date: another date in the reply is wrong; a day alone counts when it is the expected day."""

    @staticmethod
    def expected(value: str) -> set:
        dates = {d for d in date_mentions(value) if d[0] is not None}
        return dates | {(None, day) for _month, day in dates} if len(dates) == 1 else set()

    @staticmethod
    def mentioned(text: str) -> tuple[dict, set]:
        dates = date_mentions(text)
        return {d: f"{d[0]}/{d[1]}" if d[0] else str(d[1]) for d in dates}, dates


class TextFact:
    """A name for a thing (the service, the plan): found when one of its forms is in the reply; wrong
    when one of the definition's ``wrong`` forms is."""

    @staticmethod
    def expected(value: str) -> set:
        key = phrase_key(value)
        return {key} if key else set()

    @staticmethod
    def mentioned(text: str) -> tuple[dict, set]:
        return {}, set()


class NameFact(TextFact):
    """A person's name: as a text fact, and any other surname with 先生/小姐/太太/女士 is wrong."""

    @staticmethod
    def mentioned(text: str) -> tuple[dict, set]:
        names = {phrase_key(m.group(0)): m.group(0) for m in _HONORIFIC.finditer(unicodedata.normalize("NFKC", text))}
        return names, set(names)


FACT_KINDS = {"amount": AmountFact, "date": DateFact, "name": NameFact, "text": TextFact}


@dataclass(frozen=True)
class FactCheck:
    """What one fact came to in a reply: ok, missing or wrong, the expected value and what was said."""

    label: str
    state: str
    expected: str
    found: str = ""


def expected_values(kind: str, forms: Iterable[str]) -> set:
    """The normalised values the forms of a fact stand for (empty when none can be read)."""
    reader = FACT_KINDS[kind]
    return set().union(*(reader.expected(form) for form in forms))


def check_fact(kind: str, label: str, accepted: list[str], text: str, wrong: Iterable[str] = (),
               allowed: Iterable[str] = ()) -> FactCheck:
    """Whether the reply carries the fact. ``accepted`` are its forms filled from the call's customer (the
    first is shown), ``wrong`` forms make the reply wrong when present, ``allowed`` are other values of
    the kind the reply may also name (the monthly fee beside the total)."""
    reader = FACT_KINDS[kind]
    expected = expected_values(kind, accepted)
    harmless = expected | expected_values(kind, allowed)
    said_key = phrase_key(text)
    named, decisive = reader.mentioned(text)
    others = [named[v] for v in sorted(decisive - harmless, key=str)]
    others += [form for form in wrong if (key := phrase_key(form)) and key not in harmless and key in said_key]
    shown = accepted[0] if accepted else ""
    if others:
        return FactCheck(label, "wrong", shown, "、".join(dict.fromkeys(others)))
    if set(named) & expected or (reader in (TextFact, NameFact) and any(key in said_key for key in expected)):
        return FactCheck(label, "ok", shown)
    return FactCheck(label, "missing", shown)
