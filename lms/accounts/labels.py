"""Every label of the accounts domain (value → words a person reads), for forms, templates and services."""

from flask_babel import lazy_gettext as _l

from lms.accounts.models import Locale, Role

ROLE_LABELS = {
    Role.LEARNER: _l("Learner"),
    Role.TRAINER: _l("Trainer"),
    Role.MANAGER: _l("Manager"),
    Role.ADMIN: _l("Administrator"),
}
# Each language is named in itself, so whoever reads it finds their own.
LOCALE_LABELS = {
    Locale.ZH_HANT: "繁體中文",
    Locale.ZH_HANS: "简体中文",
    Locale.EN: "English",
}
# The status filter of the users list (lms.accounts.users.search_users).
USER_STATUS_LABELS = {
    "active": _l("Active"),
    "inactive": _l("Deactivated"),
    "all": _l("All"),
}
