"""The administrator's webhook pages: the endpoints, registering and editing one (its secret shown once),
its delivery log with "send again", and a test event."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import roles_required
from lms.accounts.models import Role
from lms.db import get_row
from lms.errors import DomainError
from lms.views import act, refuse, save_form
from lms.webhooks.endpoints import (
    create_endpoint,
    delivery_log,
    endpoint_rows,
    new_secret_for,
    send_delivery_again,
    send_test,
    update_endpoint,
)
from lms.webhooks.forms import ButtonForm, EndpointForm
from lms.webhooks.labels import webhook_labels
from lms.webhooks.models import WebhookDelivery, WebhookEndpoint

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")
bp.context_processor(webhook_labels)


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    return render_template("webhooks/index.html", rows=endpoint_rows())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new():
    form = EndpointForm()
    if form.validate_on_submit():
        try:
            endpoint = create_endpoint(current_user, form.url.data, form.description.data, form.events.data,
                                       form.is_active.data)
        except DomainError as exc:
            refuse(exc, form)
        else:  # the secret is shown on this answer only
            return render_template("webhooks/secret.html", endpoint=endpoint, created=True)
    return render_template("webhooks/form.html", form=form, endpoint=None)


@bp.route("/<int:endpoint_id>")
@roles_required(Role.ADMIN)
def endpoint(endpoint_id):
    row = get_row(WebhookEndpoint, endpoint_id)
    return render_template("webhooks/endpoint.html", endpoint=row, deliveries=delivery_log(row),
                           button=ButtonForm())


@bp.route("/<int:endpoint_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(endpoint_id):
    row = get_row(WebhookEndpoint, endpoint_id, lock=request.method == "POST")
    form = EndpointForm(obj=row)
    done = save_form(form, lambda: update_endpoint(row, current_user, form.url.data, form.description.data,
                                                   form.events.data, form.is_active.data),
                     then=lambda _r: url_for("webhooks.endpoint", endpoint_id=row.id), success=_("Saved."))
    return done or render_template("webhooks/form.html", form=form, endpoint=row)


@bp.route("/<int:endpoint_id>/secret", methods=["POST"])
@roles_required(Role.ADMIN)
def secret(endpoint_id):
    row = get_row(WebhookEndpoint, endpoint_id, lock=True)
    return render_template("webhooks/secret.html", endpoint=new_secret_for(row, current_user), created=False)


@bp.route("/<int:endpoint_id>/test", methods=["POST"])
@roles_required(Role.ADMIN)
def test(endpoint_id):
    row = get_row(WebhookEndpoint, endpoint_id)
    return act(lambda: send_test(row), then=url_for("webhooks.endpoint", endpoint_id=row.id),
               success=_("A test event was sent: its delivery is below."))


@bp.route("/deliveries/<int:delivery_id>/send-again", methods=["POST"])
@roles_required(Role.ADMIN)
def send_again(delivery_id):
    delivery = get_row(WebhookDelivery, delivery_id, lock=True)
    return act(lambda: send_delivery_again(delivery), then=url_for("webhooks.endpoint",
                                                                   endpoint_id=delivery.endpoint_id),
               success=_("The event is being sent again."))
