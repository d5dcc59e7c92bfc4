"""The call builder's edits of what belongs to the scenario as a whole: its title and summary, the rubric
(criteria, their weight, whether critical, the standard items they cite) and the variables the replies
change and the conditions read. Like lms.calls.builder_edits, a field posted as the form showed it leaves
the data untouched."""

from flask_babel import gettext

from lms.calls.builder_edits import NAME, EditRefused, _parse_lines, _put, _scalar, lines_text


def _criteria(definition: dict) -> list:
    rubric = definition.get("rubric")
    if not isinstance(rubric, list):
        definition["rubric"] = rubric = []
    return rubric


def _criterion(definition: dict, cid: str) -> dict:
    for item in _criteria(definition):
        if isinstance(item, dict) and str(item.get("id")) == cid:
            return item
    raise EditRefused(gettext("There is no such criterion."))


def _weight(value: str):
    try:
        return int(value)
    except ValueError:
        raise EditRefused(gettext("A weight is a whole number from 1 to 100.")) from None


def add_criterion(definition: dict, fields: dict) -> dict:
    """A new criterion of the rubric; its short name is how replies refer to it."""
    cid = fields.get("name", "").strip()
    if not NAME.match(cid):
        raise EditRefused(gettext("A criterion's short name is letters, digits, '_' or '-', without spaces."))
    if any(isinstance(c, dict) and str(c.get("id")) == cid for c in _criteria(definition)):
        raise EditRefused(gettext("Another criterion has this short name."))
    item = {"id": cid, "title": fields.get("title", "").strip(), "weight": _weight(fields.get("weight", "10")),
            "standards": _parse_lines(fields.get("standards", "").replace(",", "\n"))}
    if fields.get("critical"):
        item["critical"] = True
    _criteria(definition).append(item)
    return definition


def update_criterion(definition: dict, fields: dict) -> dict:
    """The criterion's title, weight, standard items and whether failing it fails the call."""
    item = _criterion(definition, fields.get("criterion", ""))
    if fields.get("title", "").strip() != str(item.get("title") or "").strip():
        item["title"] = fields.get("title", "").strip()
    if fields.get("weight", "").strip() != str(item.get("weight", "")):
        item["weight"] = _weight(fields.get("weight", ""))
    standards = _parse_lines(fields.get("standards", "").replace(",", "\n"))
    if standards != _parse_lines(lines_text(item.get("standards"))):
        item["standards"] = standards
    if bool(fields.get("critical")) != bool(item.get("critical")):
        _put(item, "critical", True if fields.get("critical") else None)
    return definition


def remove_criterion(definition: dict, fields: dict) -> dict:
    _criteria(definition).remove(_criterion(definition, fields.get("criterion", "")))
    return definition


def _value(text: str):
    text = text.strip()
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        raise EditRefused(gettext("A variable holds a whole number, true or false.")) from None


def set_variable(definition: dict, fields: dict) -> dict:
    """Declare a variable, or change its value at the start of the call."""
    name = fields.get("name", "").strip()
    if not NAME.match(name) or "-" in name:
        raise EditRefused(gettext("A variable's name is letters, digits or '_', without spaces."))
    variables = definition.get("variables") if isinstance(definition.get("variables"), dict) else {}
    value = _value(fields.get("value", ""))
    if name not in variables or _scalar(variables[name]) != _scalar(value):
        variables[name] = value
        definition["variables"] = variables
    return definition


def remove_variable(definition: dict, fields: dict) -> dict:
    variables = definition.get("variables")
    if isinstance(variables, dict):
        variables.pop(fields.get("name", ""), None)
        if not variables:
            definition.pop("variables")
    return definition


def update_scenario(definition: dict, fields: dict) -> dict:
    """The title, summary and pass mark."""
    for key in ("title", "summary"):
        if key in fields and fields[key].strip() != str(definition.get(key) or "").strip():
            _put(definition, key, fields[key].strip())
    if "pass_mark" in fields and fields["pass_mark"].strip() != str(definition.get("pass_mark", "")):
        _put(definition, "pass_mark", _weight(fields["pass_mark"]) if fields["pass_mark"].strip() else None)
    return definition
