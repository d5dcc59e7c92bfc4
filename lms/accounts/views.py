"""Login, logout, password reset, own profile and the language switch."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from lms.access import authenticated, public
from lms.accounts.authentication import LoginThrottled, log_in
from lms.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LocaleForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
)
from lms.accounts.passwords import change_password as change_own_password
from lms.accounts.passwords import find_valid_token, request_password_reset
from lms.accounts.passwords import reset_password as reset_password_with_token
from lms.accounts.sessions import end_session
from lms.accounts.users import set_locale
from lms.errors import DomainError
from lms.extensions import limiter
from lms.views import refuse

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None, default: str) -> str:
    """Only follow same-site relative paths after login (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def _client_ip() -> str:
    return request.remote_addr or "-"


def _open_browser_session(user, remember: bool) -> None:
    session.clear()
    login_user(user, remember=remember)
    session["locale"] = str(user.locale)


def _close_browser_session() -> None:
    logout_user()
    session.clear()


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("30 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = log_in(form.identifier.data, form.password.data, _client_ip(), remember=form.remember.data,
                          user_agent=request.user_agent.string)
        except LoginThrottled as exc:
            refuse(exc)
            return render_template("accounts/login.html", form=form), 429
        except DomainError as exc:
            refuse(exc, form)  # the failed attempt is kept all the same: it counts towards throttling
        else:
            _open_browser_session(user, form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("dashboard.home")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@authenticated
def logout():
    end_session(current_user.session_token)
    _close_browser_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.identifier.data)
        flash(_("If an active account matches, a reset link is on its way to its e-mail address. "
                "The link works once and expires in a few hours."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token):
    if find_valid_token(token) is None:
        return render_template("accounts/reset_invalid.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password_with_token(token, form.password.data)
        except DomainError as exc:
            refuse(exc, form)
        else:
            if current_user.is_authenticated:
                _close_browser_session()
            flash(_("Your password is saved. Log in with it now."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@authenticated
def profile():
    form = ProfileForm(obj=None, locale=str(current_user.locale))
    if form.validate_on_submit():
        set_locale(current_user, form.locale.data)
        session["locale"] = form.locale.data
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@authenticated
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user, form.current_password.data, form.password.data)
        except DomainError as exc:
            refuse(exc, form)
        else:
            flash(_("Your password is changed. Your other sessions have been logged out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/locale", methods=["POST"])
@public
def switch_locale():
    form = LocaleForm()
    if not form.validate_on_submit():
        abort(400)
    session["locale"] = form.locale.data
    if current_user.is_authenticated:
        set_locale(current_user, form.locale.data)
    return redirect(safe_next(form.next.data, url_for("dashboard.home")))
