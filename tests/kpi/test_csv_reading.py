"""The KPI file reader, without a database: periods, numbers, headers, and over random files."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.kpi.csv_reading import Agent, Checked, KpiColumn, check, decode, parse_period, parse_value, values

FCR = KpiColumn(1, "fcr", "首次解決率", 0, 100, 1)
AHT = KpiColumn(2, "aht", "平均處理時間", 0, 7200, 0)
AGENTS = {"A1": Agent(11, True), "A2": Agent(12, True), "B1": Agent(21, False)}


@pytest.fixture(autouse=True)
def _context(app):
    with app.test_request_context("/"):
        yield


def test_periods():
    assert parse_period("2026-03") == ("month", date(2026, 3, 1))
    assert parse_period(" 2026-W01 ") == ("week", date(2025, 12, 29))
    assert parse_period("２０２６－０３") == ("month", date(2026, 3, 1))  # full-width, as Excel may save it
    for bad in ("2026-13", "2026-W54", "2026/03", "March", "", "2026-3"):
        assert parse_period(bad) is None, bad


def test_values():
    assert parse_value("81.26", FCR) == (81.3, None)
    assert parse_value(" 81.2% ", FCR) == (81.2, None)
    assert parse_value("８０", FCR) == (80.0, None)
    assert parse_value("1,234", AHT) == (1234.0, None)
    assert parse_value("", FCR) == (None, None)
    for bad in ("八十", "nan", "inf", "100.1", "-1"):
        value, problem = parse_value(bad, FCR)
        assert value is None and problem, bad


def test_headers_by_code_or_name_and_every_row_problem():
    text = ("工號,期間,首次解決率,aht\n"
            "A1,2026-01,80,300\n"
            "A9,2026-01,80,300\n"      # unknown
            "B1,2026-01,80,300\n"      # not allowed
            "A2,2026-W02,80,300\n"     # a week among months
            "A1,2026-01,80,300\n")     # duplicate of row 2
    result = check(text, [FCR, AHT], AGENTS)
    assert [(e.row, e.column) for e in result.errors] == [(3, "employee_number"), (4, "employee_number"),
                                                          (5, "period"), (6, "period")]
    assert "2" in result.errors[-1].message


def test_header_problems():
    result = check("employee_number,fcrr,fcr,fcr\n", [FCR], AGENTS)
    assert {(e.column, e.row) for e in result.errors} == {("fcrr", 1), ("fcr", 1), ("period", 1)}
    assert not check("employee_number,period\nA1,2026-01\n", [FCR], AGENTS).ok
    assert [e.row for e in check("employee_number,period,fcr\n", [FCR], AGENTS).errors] == [2]


def test_encodings():
    result = Checked()
    assert decode("工號\n".encode("cp950"), result) == "工號\n" and not result.errors
    assert decode(b"\xff\xfe\x00", result) is None and result.errors


cells = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str), st.text(max_size=8),
                  st.integers(-10, 9000).map(str))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A1", "A2", "B1", "Z", ""]),
                          st.sampled_from(["2026-01", "2026-02", "2026-W03", "x"]), cells, cells), max_size=20))
def test_random_files_never_crash_and_good_files_round_trip(rows):
    text = "employee_number,period,fcr,aht\n" + "".join(
        ",".join(c.replace(",", "").replace("\n", "").replace("\r", "").replace('"', "") for c in row) + "\n"
        for row in rows)
    result = check(text, [FCR, AHT], AGENTS)
    assert result.ok == (not result.errors and result.rows > 0)
    if result.ok:
        written = list(values(text, [FCR, AHT], AGENTS))
        assert len({(u, p) for u, p, _k, _v in written}) <= result.rows
        assert all(0 <= v <= 100 if k == 1 else 0 <= v <= 7200 for _u, _p, k, v in written)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_crash(data):
    result = Checked()
    text = decode(data, result)
    if text is not None:
        check(text, [FCR, AHT], AGENTS)


def test_a_header_problem_does_not_hide_the_rows_problems():
    text = "employee_number,period,fcr,csatt\nA1,2026-13,80,x\nZZ,2026-01,八十,y\n"
    result = check(text, [FCR, AHT], AGENTS)
    assert [(e.row, e.column) for e in result.errors] == [(1, "csatt"), (2, "period"), (3, "employee_number"),
                                                          (3, "fcr")]
    missing = check("fcr\n八十\n", [FCR], AGENTS)
    assert [(e.row, e.column) for e in missing.errors] == [(1, "employee_number"), (1, "period"), (2, "fcr")]
