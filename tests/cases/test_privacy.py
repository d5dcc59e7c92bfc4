"""The personal-data detector: every valid phone, ID and card number and e-mail address is found in any
surrounding Chinese text; amounts, dates and order numbers are not."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.cases.privacy import (
    CARD,
    EMAIL,
    NATIONAL_ID,
    PHONE,
    find_personal_data,
    luhn_valid,
    mask,
    national_id_valid,
)

# Chinese text around a number: CJK characters and full-width punctuation, never a digit or a Latin letter.
chinese = st.text(st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                            st.sampled_from("，。：；「」（）！？、 \n")), max_size=30)
digits = st.text("0123456789", min_size=1, max_size=1)
FULL_WIDTH = str.maketrans("0123456789-+", "０１２３４５６７８９－＋")


# The machine the suite runs on is shared: a slow draw is not a failure.
def _digits(n: int):
    return st.text("0123456789", min_size=n, max_size=n)


@st.composite
def mobiles(draw) -> str:
    body = draw(_digits(8))
    a, b, c = "9" + body[:2], body[2:5], body[5:]
    sep = draw(st.sampled_from(["-", " ", ""]))
    prefix = draw(st.sampled_from(["0", "+886 ", "+886-", "+886", "(+886) ", "00886 "]))
    text = f"{prefix}{a}{sep}{b}{sep}{c}"
    return text.translate(FULL_WIDTH) if draw(st.booleans()) else text


@st.composite
def landlines(draw) -> str:
    area = draw(st.sampled_from(["02", "03", "037", "04", "049", "05", "06", "07", "08", "089", "0836"]))
    local = draw(_digits(8 if area == "02" else 7 if len(area) == 2 else 6 if len(area) == 3 else 5))
    local = local if local[0] != "0" else "2" + local[1:]
    split = len(local) - 4
    style = draw(st.sampled_from(["dash", "space", "brackets", "intl"]))
    if style == "dash":
        return f"{area}-{local[:split]}-{local[split:]}"
    if style == "space":
        return f"{area} {local[:split]} {local[split:]}"
    if style == "brackets":
        return f"({area}){local[:split]}-{local[split:]}"
    return f"+886-{area[1:]}-{local[:split]}-{local[split:]}"


_ID_LETTERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


@st.composite
def national_ids(draw) -> str:
    letter = draw(st.sampled_from(sorted(_ID_LETTERS)))
    body = draw(st.sampled_from("12")) + draw(_digits(7))
    for check in "0123456789":
        if national_id_valid(letter + body + check):
            return letter + body + check
    raise AssertionError("one check digit always fits")


@st.composite
def card_numbers(draw) -> str:
    length = draw(st.sampled_from([13, 15, 16, 16, 16, 19]))
    body = draw(st.sampled_from("3456")) + draw(_digits(length - 2))
    number = next(body + c for c in "0123456789" if luhn_valid(body + c))
    sep = draw(st.sampled_from(["", " ", "-"]))
    if length == 15 and sep:
        return f"{number[:4]}{sep}{number[4:10]}{sep}{number[10:]}"
    return sep.join(number[i:i + 4] for i in range(0, length, 4)) if sep else number


emails = st.builds(lambda user, host, tld: f"{user}@{host}.{tld}",
                   st.from_regex(r"[a-z][a-z0-9._]{0,10}[a-z0-9]", fullmatch=True),
                   st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True),
                   st.sampled_from(["com", "com.tw", "tw", "net", "org"]))


def _kinds(text: str) -> list[str]:
    return [f.kind for f in find_personal_data(text)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chinese, st.one_of(mobiles(), landlines()), chinese)
def test_phone_numbers_are_found_in_any_chinese_text(before, number, after):
    findings = find_personal_data(before + number + after)
    assert [f.kind for f in findings] == [PHONE]
    assert (before + number + after)[findings[0].start:findings[0].end].endswith(number[-3:])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chinese, national_ids(), chinese, st.booleans())
def test_national_ids_are_found(before, number, after, lower):
    assert _kinds(before + (number.lower() if lower else number) + after) == [NATIONAL_ID]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chinese, card_numbers(), chinese)
def test_card_numbers_are_found(before, number, after):
    assert _kinds(before + number + after) == [CARD]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chinese, emails, chinese)
def test_email_addresses_are_found(before, address, after):
    assert _kinds(before + address + after) == [EMAIL]


amounts = st.builds(lambda n, unit: f"{n:,}{unit}", st.integers(0, 9_999_999), st.sampled_from(["元", " 元", ""]))
dates = st.builds(lambda d, sep: d.strftime(f"%Y{sep}%m{sep}%d"), st.dates(), st.sampled_from(["-", "/", "."]))
chinese_dates = st.builds(lambda d: f"{d.year}年{d.month}月{d.day}日", st.dates())
order_numbers = st.builds(lambda d, n, prefix: f"{prefix}{d.strftime('%Y%m%d')}-{n:04d}", st.dates(),
                          st.integers(0, 9999), st.sampled_from(["ORD", "#", "單號 ", "RMA-", "TK"]))
times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chinese, st.one_of(amounts, dates, chinese_dates, order_numbers, times,
                          st.builds(lambda n: f"NT${n:,}", st.integers(0, 10**7)),
                          st.builds(lambda n: f"工號{n}", st.integers(1, 99999))), chinese)
def test_ordinary_numbers_are_not_flagged(before, value, after):
    assert find_personal_data(before + value + after) == []


@pytest.mark.parametrize("text", [
    "客戶的手機是0912-345-678，請回電", "市話(02)2758-3316", "+886 912 345 678", "０９１２３４５６７８",
    "身分證A123456789", "卡號4111 1111 1111 1111", "寄到 someone@example.com.tw 謝謝"])
def test_examples_are_found(text):
    assert len(find_personal_data(text)) == 1


@pytest.mark.parametrize("text", [
    "A123456788",  # a wrong check digit
    "4111 1111 1111 1112",  # fails the Luhn check
    "訂單 20261207-0042 金額 1,280 元", "2026-12-07 下午 3 點", "12345", "第 3.3 節"])
def test_near_misses_are_not_flagged(text):
    assert find_personal_data(text) == []


def test_findings_are_masked():
    (phone,) = find_personal_data("0912-345-678")
    (card,) = find_personal_data("4111-1111-1111-1111")
    (mail,) = find_personal_data("someone@example.com")
    assert (phone.masked, card.masked, mail.masked) == ("****-***-678", "****-****-****-1111", "s***@example.com")
    assert mask("A123456789", 2) == "********89"
