"""The token pages (a person's own tokens; every token for administrators) and the API reference page."""

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated, roles_required
from lms.accounts.models import Role
from lms.api import reference, tokens
from lms.api.forms import TokenForm
from lms.api.framework import spec
from lms.api.labels import KIND_LABELS, STATE_LABELS, scope_label
from lms.api.models import TokenKind
from lms.api.scopes import ALL_SCOPES, allowed_scopes
from lms.errors import DomainError
from lms.views import act, refuse

bp = Blueprint("api_admin", __name__, url_prefix="/api")


def _create(form: TokenForm, kind: TokenKind):
    """The new token's secret when the form was posted and accepted, else None."""
    if not form.validate_on_submit():
        return None
    try:
        return tokens.create_token(kind, form.name.data, form.scopes.data, form.expires_on.data, current_user).secret
    except DomainError as exc:
        refuse(exc, form)
        return None


def _page(template: str, form: TokenForm, secret: str | None, rows):
    return render_template(template, form=form, secret=secret, tokens=[(t, tokens.token_state(t)) for t in rows],
                           kind_labels=KIND_LABELS, state_labels=STATE_LABELS,
                           scope_labels={s: scope_label(s) for s in ALL_SCOPES})


@bp.route("/tokens", methods=["GET", "POST"])
@authenticated
def my_tokens():
    form = TokenForm(allowed_scopes(current_user))
    secret = _create(form, TokenKind.PERSONAL)
    return _page("api/my_tokens.html", form, secret, tokens.personal_tokens(current_user))


@bp.post("/tokens/<int:token_id>/revoke")
@authenticated
def revoke_my_token(token_id: int):
    token = tokens.get_token(token_id)
    return act(lambda: tokens.revoke_token(token, current_user), url_for("api_admin.my_tokens"),
               _("The token is revoked."))


@bp.route("/manage/tokens", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def all_tokens():
    form = TokenForm(allowed_scopes(current_user))
    secret = _create(form, TokenKind.SERVICE)
    return _page("api/all_tokens.html", form, secret, tokens.all_tokens())


@bp.post("/manage/tokens/<int:token_id>/revoke")
@roles_required(Role.ADMIN)
def revoke_token(token_id: int):
    token = tokens.get_token(token_id)
    return act(lambda: tokens.revoke_token(token, current_user), url_for("api_admin.all_tokens"),
               _("The token is revoked."))


@bp.get("/reference")
@authenticated
def reference_page():
    return render_template("api/reference.html", sections=reference.sections(spec.spec))
