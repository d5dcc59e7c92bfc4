"""Form helpers shared by every domain, and the built-in messages of WTForms and Flask-WTF.

WTForms ships catalogues of its own, but none for zh_Hant (Babel falls back to its simplified one) and
some of its newer messages are untranslated, so a traditional Chinese page showed 字段长度不能超过… or
"Not a valid choice.". Instead its messages are translated in the app's own catalogue like any other
(listed below so the extraction finds them), and every request hands that catalogue to the forms.
"""

from flask import request
from flask_babel import format_datetime, get_translations, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from lms.timeutil import local_zone, offset_text, read_local


def choices(pairs) -> list[SelectChoice]:
    """Build select options from (value, label) pairs."""
    return [SelectChoice(str(value) if not isinstance(value, int) else value, label) for value, label in pairs]


class CentreDateTimeField(DateTimeLocalField):
    """A date and time on the centre's clock (its data stays a wall-clock time, read in the centre's zone
    with the first of two readings). A time the clocks skip (spring forward) is refused under the field;
    a time they pass twice (fall back) means the first, and ``notice`` says so for the saved message."""

    def __init__(self, label=None, validators=None, format="%Y-%m-%dT%H:%M", **kwargs):  # noqa: A002
        super().__init__(label, validators, format=format, **kwargs)
        self.notice = ""

    def post_validate(self, form, validation_stopped):
        self.notice = ""
        if validation_stopped or self.data is None or self.data.tzinfo is not None:
            return
        read = read_local(self.data, local_zone())
        shown = format_datetime(self.data, "short", rebase=False)
        if read.missing:
            raise ValidationError(_("%(time)s does not exist in the centre's time zone: the clocks go forward "
                                    "at that hour. Choose a time before or after the change.", time=shown))
        if read.repeated:
            self.notice = _("%(time)s happens twice in the centre's time zone (the clocks go back at that hour): "
                            "the first one (%(offset)s) was used.", time=shown, offset=offset_text(read.moment))


def notices(form) -> list[str]:
    """What the form's fields have to say about values they accepted (e.g. a time that happens twice)."""
    return [field.notice for field in form if getattr(field, "notice", "")]


def error_lines(form) -> list[str]:
    """Every field's errors as 'Label: message', for a form posted from a page that does not show it."""
    return [f"{field.label.text}: {error}" for field in form for error in field.errors]


class _AppCatalogue:
    """What Flask-WTF expects of ``request.wtforms_translations``: the app's catalogue, looked up when
    a message is needed (after the login has settled the user's language)."""

    def ugettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


def use_app_catalogue_for_forms() -> None:
    """A before-request hook: Flask-WTF reads the request's translations from this attribute."""
    request.wtforms_translations = _AppCatalogue()


# The messages WTForms and Flask-WTF produce themselves (tests/test_form_messages.py checks that this
# list covers WTForms' catalogue template, so an upgrade that adds one fails the tests).
BUILT_IN_MESSAGES = (
    lazy_ngettext("Field must be at least %(min)d character long.",
                  "Field must be at least %(min)d characters long.", 1),
    lazy_ngettext("Field cannot be longer than %(max)d character.",
                  "Field cannot be longer than %(max)d characters.", 1),
    lazy_ngettext("Field must be exactly %(max)d character long.",
                  "Field must be exactly %(max)d characters long.", 1),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Field must be equal to %(other_name)s."),
    _l("Invalid field name '%s'."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid IP address."),
    _l("Invalid Mac address."),
    _l("Invalid URL."),
    _l("Invalid UUID."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Invalid CSRF Token."),
    _l("CSRF token missing."),
    _l("CSRF failed."),
    _l("CSRF token expired."),
    _l("Invalid Choice: could not coerce."),
    _l("Choices cannot be None."),
    _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    lazy_ngettext("'%(value)s' is not a valid choice for this field.",
                  "'%(value)s' are not valid choices for this field.", 1),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("File does not have an approved extension: {extensions}"),
    _l("File does not have an approved extension."),
)


class Printable:
    """A WTForms validator: the text prints on certificates and transcripts as typed (lms.pdf.printable_problem)."""

    def __call__(self, form, field):
        from lms.pdf import printable_problem

        problem = printable_problem(field.data or "")
        if problem:
            raise ValidationError(problem)
