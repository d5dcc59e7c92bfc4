"""Login, logout, password reset, own profile and the language switch."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from lms.access import authenticated, public
from lms.accounts import services
from lms.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LocaleForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
)
from lms.accounts.models import Locale
from lms.db import mark_refused
from lms.errors import DomainError
from lms.extensions import limiter

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


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("30 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.identifier.data, form.password.data, _client_ip())
        except services.LoginThrottled as exc:
            mark_refused()
            flash(str(exc.message), "error")
            return render_template("accounts/login.html", form=form), 429
        if user is None:
            mark_refused()
            # The same words whether the account exists or not.
            form.password.errors.append(_("The employee number, e-mail or password is not correct."))
            return render_template("accounts/login.html", form=form), 200
        services.start_session(user, remember=form.remember.data, user_agent=request.user_agent.string)
        session.clear()
        login_user(user, remember=form.remember.data)
        session["locale"] = str(user.locale)
        return redirect(safe_next(request.args.get("next"), url_for("dashboard.home")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@authenticated
def logout():
    services.end_session(current_user.session_token)
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.identifier.data)
        flash(_("If an active account matches, a reset link is on its way to its e-mail address. "
                "The link works once and expires in a few hours."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token):
    if services.find_valid_token(token) is None:
        return render_template("accounts/reset_invalid.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except DomainError as exc:
            mark_refused()
            form.password.errors.append(str(exc.message))
        else:
            if current_user.is_authenticated:
                logout_user()
                session.clear()
            flash(_("Your password is saved. Log in with it now."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@authenticated
def profile():
    form = ProfileForm(obj=None, locale=str(current_user.locale))
    if form.validate_on_submit():
        current_user.locale = Locale(form.locale.data)
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
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as exc:
            mark_refused()
            getattr(form, exc.field or "password").errors.append(str(exc.message))
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
        current_user.locale = Locale(form.locale.data)
    return redirect(safe_next(form.next.data, url_for("dashboard.home")))
