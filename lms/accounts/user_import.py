"""Bulk user import from CSV: every bad row reported with its number, nothing written unless all are good.

Parsing and row validation are pure (``parse_user_csv``); ``import_users`` adds the checks that need
the database and writes the users in the caller's transaction.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.accounts.identifiers import normalise_email, normalise_employee_no
from lms.accounts.models import Locale, Role, Team, User
from lms.accounts.passwords import send_invitation
from lms.accounts.users import users_created
from lms.audit.services import record_event
from lms.content.uploads import UploadTextError, decode_upload
from lms.db import db
from lms.pdf import printable_problem

MAX_ROWS = 20000

# Accepted header names (English and Chinese, any case) for each field.
HEADERS = {
    "employee_no": {"employee_no", "employee number", "工號", "工号", "員工編號", "员工编号"},
    "name": {"name", "姓名", "名稱"},
    "email": {"email", "e-mail", "電子郵件", "电子邮件", "郵件", "邮箱"},
    "hire_date": {"hire_date", "hire date", "到職日", "到职日", "入職日期", "入职日期"},
    "team": {"team", "團隊", "团队", "組別"},
    "roles": {"roles", "role", "角色"},
    "locale": {"locale", "language", "語言", "语言"},
}
REQUIRED = ("employee_no", "name", "email")

ROLE_NAMES = {
    "learner": Role.LEARNER, "學員": Role.LEARNER, "学员": Role.LEARNER,
    "trainer": Role.TRAINER, "講師": Role.TRAINER, "讲师": Role.TRAINER, "培訓師": Role.TRAINER,
    "manager": Role.MANAGER, "主管": Role.MANAGER, "經理": Role.MANAGER, "经理": Role.MANAGER,
    "admin": Role.ADMIN, "管理員": Role.ADMIN, "管理员": Role.ADMIN,
}
LOCALE_NAMES = {
    "zh_hant": Locale.ZH_HANT, "zh-hant": Locale.ZH_HANT, "zh-tw": Locale.ZH_HANT, "zh_tw": Locale.ZH_HANT,
    "zh-hk": Locale.ZH_HANT, "繁體中文": Locale.ZH_HANT, "繁體": Locale.ZH_HANT,
    "zh_hans": Locale.ZH_HANS, "zh-hans": Locale.ZH_HANS, "zh-cn": Locale.ZH_HANS, "zh_cn": Locale.ZH_HANS,
    "简体中文": Locale.ZH_HANS, "簡體中文": Locale.ZH_HANS,
    "en": Locale.EN, "english": Locale.EN, "英文": Locale.EN,
}
EMPLOYEE_NO = re.compile(r"^[A-Z0-9][A-Z0-9_.\-]{0,31}$")
ROLE_SPLIT = re.compile(r"[;；,，|/、\s]+")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")

# The example file the import page offers (Excel opens it as UTF-8 thanks to the BOM the view adds).
EXAMPLE_CSV = (
    "employee_no,name,email,hire_date,team,roles,locale\r\n"
    "A1001,陳小明,xiaoming.chen@example.com,2026-03-02,客服一組,learner,zh_Hant\r\n"
    "A1002,林美華,meihua.lin@example.com,2026-03-02,客服一組,learner;trainer,zh_Hant\r\n"
)


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return str(_l("Row %(row)d, %(column)s: %(message)s", row=self.row, column=self.column,
                      message=self.message))


@dataclass
class UserRow:
    row: int
    employee_no: str
    name: str
    email: str
    hire_date: date | None
    team: str
    roles: set[Role]
    locale: Locale


@dataclass
class ImportResult:
    rows: list[UserRow] = field(default_factory=list)  # the rows without problems
    read: list[UserRow] = field(default_factory=list)  # every row read, good or not: all are checked
    errors: list[RowError] = field(default_factory=list)
    encoding: str = "utf-8"

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _clean(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def _has_control_chars(value: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in value)


def _map_headers(header: list[str], result: ImportResult) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = _clean(raw).lower()
        if not name:
            continue
        key = next((k for k, names in HEADERS.items() if name in names), None)
        if key is None:
            result.errors.append(RowError(1, raw.strip()[:40], str(_l(
                "unknown column. Use: employee_no, name, email, hire_date, team, roles, locale."))))
        elif key in columns:
            result.errors.append(RowError(1, raw.strip()[:40], str(_l("this column appears twice."))))
        else:
            columns[key] = index
    for key in REQUIRED:
        if key not in columns:
            result.errors.append(RowError(1, key, str(_l("this required column is missing."))))
    return None if result.errors else columns


def _parse_date(value: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError


# ---------------------------------------------------------------- one parser per column
# Each reads its cell, appends what is wrong with it to ``problems`` and returns the value.


def _employee_no_cell(raw: str, problems: list, _today: date) -> str:
    employee_no = normalise_employee_no(raw)
    if not employee_no:
        problems.append(_l("the employee number is empty."))
    elif not EMPLOYEE_NO.match(employee_no):
        problems.append(_l("use up to 32 letters, digits, dots, dashes or underscores."))
    return employee_no


def _name_cell(raw: str, problems: list, _today: date) -> str:
    name = _clean(raw)
    if not name:
        problems.append(_l("the name is empty."))
    elif len(name) > 100 or _has_control_chars(name):
        problems.append(_l("the name must be at most 100 characters without control characters."))
    elif problem := printable_problem(name):
        problems.append(problem)
    return name


def _email_cell(raw: str, problems: list, _today: date) -> str:
    email_raw = normalise_email(raw)
    if not email_raw:
        problems.append(_l("the e-mail is empty."))
        return ""
    email = ""
    try:
        email = validate_email(email_raw, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        problems.append(_l("\"%(value)s\" is not a valid e-mail address.", value=email_raw[:60]))
    if len(email_raw) > 254:
        problems.append(_l("the e-mail is longer than 254 characters."))
    return email


def _hire_date_cell(raw: str, problems: list, today: date) -> date | None:
    hire_raw = _clean(raw)
    if not hire_raw:
        return None
    try:
        hire_date = _parse_date(hire_raw)
    except ValueError:
        problems.append(_l("\"%(value)s\" is not a date like 2026-03-01.", value=hire_raw[:20]))
        return None
    if hire_date.year < 1950 or (hire_date - today).days > 366:
        problems.append(_l("%(value)s is outside the plausible range.", value=hire_raw[:20]))
    return hire_date


def _team_cell(raw: str, problems: list, _today: date) -> str:
    team = _clean(raw)
    if len(team) > 100:
        problems.append(_l("the team name is longer than 100 characters."))
    return team


def _roles_cell(raw: str, problems: list, _today: date) -> set[Role]:
    roles: set[Role] = set()
    for part in filter(None, ROLE_SPLIT.split(_clean(raw))):
        role = ROLE_NAMES.get(part.lower())
        if role is None:
            problems.append(_l("unknown role \"%(value)s\" (learner, trainer, manager, admin).", value=part[:20]))
        else:
            roles.add(role)
    return roles or {Role.LEARNER}


def _locale_cell(raw: str, problems: list, _today: date) -> Locale:
    locale_raw = _clean(raw).lower()
    if locale_raw and locale_raw not in LOCALE_NAMES:
        problems.append(_l("unknown language \"%(value)s\" (zh_Hant, zh_Hans, en).", value=locale_raw[:20]))
    return LOCALE_NAMES.get(locale_raw, Locale.ZH_HANT)


# In the order of UserRow's fields (and of the errors a row reports).
CELL_PARSERS = {
    "employee_no": _employee_no_cell,
    "name": _name_cell,
    "email": _email_cell,
    "hire_date": _hire_date_cell,
    "team": _team_cell,
    "roles": _roles_cell,
    "locale": _locale_cell,
}


def _validate_row(number: int, cells: dict[str, str], today: date) -> tuple[UserRow, list[RowError]]:
    """The row as read (every cell parsed, even after a bad one) and every problem of its cells."""
    errors: list[RowError] = []
    values = {}
    for column, parse in CELL_PARSERS.items():
        problems: list = []
        values[column] = parse(cells.get(column, ""), problems, today)
        errors += [RowError(number, column, str(message)) for message in problems]
    return UserRow(number, **values), errors


# ---------------------------------------------------------------- the whole file


def _read_text(data: bytes, result: ImportResult) -> str | None:
    """The file's text (the reader shared by every upload), or None with the reason in ``result``."""
    try:
        upload = decode_upload(data)
    except UploadTextError as exc:
        result.errors.append(RowError(exc.line or 1, "-", str(exc)))
        return None
    result.encoding = upload.encoding
    return upload.text


def _delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


class _SeenInFile:
    """Employee numbers and e-mails of the rows so far: a second row with either is an error."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.emails: dict[str, int] = {}

    def clashes(self, row: UserRow) -> list[RowError]:
        found = []
        for column, seen, value in (("employee_no", self.numbers, row.employee_no),
                                    ("email", self.emails, row.email)):
            if value and value in seen:
                found.append(RowError(row.row, column, str(_l("%(value)s also appears in row %(other)d.",
                                                              value=value, other=seen[value]))))
            elif value:
                seen[value] = row.row
        return found


def _read_rows(reader, header: list[str], columns: dict[str, int], today: date, result: ImportResult) -> None:
    seen = _SeenInFile()
    number = 1
    for cells in reader:
        number += 1
        if not any(c.strip() for c in cells):
            continue
        if len(result.read) >= MAX_ROWS:
            result.errors.append(RowError(number, "-", str(_l(
                "too many rows; import at most %(n)d users at a time.", n=MAX_ROWS))))
            break
        values = {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()}
        row, problems = _validate_row(number, values, today)
        if len(cells) > len(header):  # reported with the row's other problems
            problems.insert(0, RowError(number, "-", str(_l("%(found)d cells but the header has %(expected)d columns.",
                                                            found=len(cells), expected=len(header)))))
        problems += seen.clashes(row)
        result.read.append(row)
        result.errors += problems
        if not problems:
            result.rows.append(row)


def parse_user_csv(data: bytes, today: date) -> ImportResult:
    """Parse and validate a users CSV without touching the database."""
    result = ImportResult()
    text = _read_text(data, result)
    if text is None:
        return result
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            result.errors.append(RowError(1, "-", str(_l("the file is empty; the first row must name the columns."))))
            return result
        columns = _map_headers(header, result)
        if columns is None:
            return result
        _read_rows(reader, header, columns, today, result)
    except csv.Error as exc:
        result.errors.append(RowError(reader.line_num or 1, "-", str(_l(
            "the CSV is malformed (%(detail)s).", detail=str(exc)[:80]))))
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "-", str(_l("the file has a header but no users."))))
    return result


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def check_against_database(result: ImportResult, db_session) -> dict[str, Team]:
    """Add errors for rows (every row read, good or not) that clash with existing users or name unknown
    teams; return teams by name."""
    teams = {t.name: t for t in db_session.scalars(select(Team))}
    teams_lower = {name.lower(): t for name, t in teams.items()}
    taken_numbers: set[str] = set()
    taken_emails: set[str] = set()
    for chunk in _chunks(result.read):
        taken_numbers.update(db_session.scalars(
            select(User.employee_no).where(User.employee_no.in_([r.employee_no for r in chunk if r.employee_no]))))
        taken_emails.update(db_session.scalars(
            select(User.email).where(User.email.in_([r.email for r in chunk if r.email]))))
    for row in result.read:
        if row.employee_no and row.employee_no in taken_numbers:
            result.errors.append(RowError(row.row, "employee_no", str(_l(
                "a user with employee number %(value)s already exists.", value=row.employee_no))))
        if row.email and row.email in taken_emails:
            result.errors.append(RowError(row.row, "email", str(_l(
                "a user with e-mail %(value)s already exists.", value=row.email))))
        if row.team and row.team.lower() not in teams_lower:
            result.errors.append(RowError(row.row, "team", str(_l(
                "there is no team called \"%(value)s\"; create it first.", value=row.team))))
    result.errors.sort(key=lambda e: (e.row, e.column))
    return teams_lower


def import_users(data: bytes, today: date, invite: bool) -> ImportResult:
    """Validate the whole file, then create every user in the current transaction, or none."""
    result = parse_user_csv(data, today)
    # Database checks run on the rows that parsed, so one upload lists every problem at once.
    teams = check_against_database(result, db.session)
    if result.errors:
        return result
    users = []
    for row in result.rows:
        user = User(employee_no=row.employee_no, name=row.name, email=row.email, hire_date=row.hire_date,
                    locale=row.locale, team=teams[row.team.lower()] if row.team else None)
        user.set_roles(row.roles)
        users.append(user)
    db.session.add_all(users)
    db.session.flush()
    record_event("user.imported", "user", "-", summary=f"{len(users)} users imported from CSV",
                 after={"employee_nos": [u.employee_no for u in users]})
    if invite:
        for user in users:
            send_invitation(user)
    users_created.send(current_app._get_current_object(), users=users)
    return result
