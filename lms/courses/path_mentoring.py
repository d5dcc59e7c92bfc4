"""The mentoring section of an onboarding path file: the days after the start at which the mentor checks in,
and the standard items the mentor signs off. Read here into plain data, every problem naming file, line
and field; the mentoring domain (lms/mentoring) keeps it and acts on it."""

from dataclasses import dataclass

from flask_babel import gettext

from lms.content.files import ContentError, LineDict

MENTORING_FIELDS = {"check_in_days", "sign_off"}
MAX_DAYS = 3650
MAX_ITEMS = 60


@dataclass(frozen=True)
class MentoringSpec:
    check_in_days: tuple[int, ...]
    sign_off: tuple[str, ...]  # standard item codes
    sign_off_lines: tuple[int, ...]  # the line of each code, for cross-file errors

    def as_data(self) -> dict:
        return {"check_in_days": list(self.check_in_days), "sign_off": list(self.sign_off)}


def _line(value, index: int, default: int | None) -> int | None:
    lines = getattr(value, "lines", None)
    return lines[index] if isinstance(lines, list) and index < len(lines) else default


def _days(value, rel: str, line: int | None) -> tuple[tuple[int, ...], list[ContentError]]:
    field = "mentoring.check_in_days"
    if not isinstance(value, list) or not value:
        return (), [ContentError(rel, line, field, gettext("list the days after the start, e.g. [7, 30, 60, 90]"))]
    errors, days = [], []
    for index, day in enumerate(value):
        at = _line(value, index, line)
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= MAX_DAYS:
            errors.append(ContentError(rel, at, field, gettext("%(value)s is not a day between 1 and %(high)s",
                                                               value=day, high=MAX_DAYS)))
        elif days and day <= days[-1]:
            errors.append(ContentError(rel, at, field, gettext("list the days in increasing order, each once")))
        else:
            days.append(day)
    return tuple(days), errors


def _items(value, rel: str, line: int | None) -> tuple[tuple[str, ...], tuple[int, ...], list[ContentError]]:
    field = "mentoring.sign_off"
    if not isinstance(value, list) or not value:
        return (), (), [ContentError(rel, line, field, gettext("list the standard items the mentor signs off"))]
    if len(value) > MAX_ITEMS:
        return (), (), [ContentError(rel, line, field, gettext("at most %(n)d items", n=MAX_ITEMS))]
    errors, codes, lines = [], [], []
    for index, code in enumerate(value):
        at = _line(value, index, line)
        if not isinstance(code, str) or not code.strip():
            errors.append(ContentError(rel, at, field, gettext("each item is a standard item code such as 4.1.1-a")))
        elif code.strip() in codes:
            errors.append(ContentError(rel, at, field, gettext("%(code)s is listed twice", code=code.strip())))
        else:
            codes.append(code.strip())
            lines.append(at)
    return tuple(codes), tuple(lines), errors


def load_mentoring(data: LineDict, rel: str) -> tuple[MentoringSpec | None, list[ContentError]]:
    """The path's ``mentoring:`` section (None when the path has none)."""
    if "mentoring" not in data:
        return None, []
    section, line = data["mentoring"], data.line_of("mentoring")
    if not isinstance(section, dict):
        return None, [ContentError(rel, line, "mentoring",
                                   gettext("mentoring is a mapping with check_in_days and sign_off"))]
    errors = [ContentError(rel, section.line_of(key) if isinstance(section, LineDict) else line, f"mentoring.{key}",
                           gettext("unknown field; expected one of %(fields)s", fields=", ".join(sorted(MENTORING_FIELDS))))
              for key in section if key not in MENTORING_FIELDS]
    lines = getattr(section, "lines", {})
    at = lambda key: lines.get(key, line)  # noqa: E731 - a missing field: the section's own line
    days, problems = _days(section.get("check_in_days"), rel, at("check_in_days"))
    errors += problems
    codes, lines, problems = _items(section.get("sign_off"), rel, at("sign_off"))
    errors += problems
    if errors:
        return None, errors
    return MentoringSpec(days, codes, lines), []


def mentoring_item_errors(rel: str, spec: MentoringSpec | None, item_codes: set[str]) -> list[ContentError]:
    """The sign-off items must name standard items that exist."""
    if spec is None:
        return []
    return [ContentError(rel, line, "mentoring.sign_off", gettext("no standard item %(code)s", code=code))
            for code, line in zip(spec.sign_off, spec.sign_off_lines, strict=True) if code not in item_codes]
