"""Registering and editing endpoints, and what the administrator's pages show: the endpoints with their
latest delivery, and one endpoint's delivery log."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.db import db
from lms.errors import DomainError
from lms.webhooks import signing
from lms.webhooks.events import EVENT_TYPES
from lms.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

LOG_PAGE_SIZE = 50


def url_problem(url: str) -> str | None:
    """Why this cannot be an endpoint's URL (only http and https, with a host), or None."""
    url = (url or "").strip()
    if not url:
        return str(_l("Enter the endpoint's URL."))
    if len(url) > 2000:
        return str(_l("The URL is longer than 2,000 characters."))
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        return str(_l("This is not a valid URL."))
    if parts.scheme not in ("http", "https"):
        return str(_l("The URL must start with http:// or https://."))
    if not parts.hostname or any(c.isspace() for c in url):
        return str(_l("The URL must name a host, as in https://hr.example.com/hooks/lms."))
    return None


def _checked(url: str, events: list[str]) -> tuple[str, list[str]]:
    if problem := url_problem(url):
        raise DomainError(problem, field="url")
    chosen = [e for e in EVENT_TYPES if e in set(events or [])]
    if not chosen or len(chosen) != len(set(events)):
        raise DomainError(_l("Choose at least one event."), field="events")
    return url.strip(), chosen


def create_endpoint(actor: User, url: str, description: str, events: list[str], active: bool = True
                    ) -> WebhookEndpoint:
    """Register an endpoint with a new signing secret (shown to the administrator once)."""
    url, events = _checked(url, events)
    endpoint = WebhookEndpoint(url=url, description=(description or "").strip()[:200], events=events,
                               secret=signing.new_secret(), is_active=active, created_by_id=actor.id)
    db.session.add(endpoint)
    db.session.flush()
    record_event("webhook.created", "webhook_endpoint", endpoint.id, summary=url,
                 after={"url": url, "webhook_events": events, "is_active": active}, actor=actor)
    return endpoint


def update_endpoint(endpoint: WebhookEndpoint, actor: User, url: str, description: str, events: list[str],
                    active: bool) -> WebhookEndpoint:
    url, events = _checked(url, events)
    before = {"url": endpoint.url, "webhook_events": endpoint.events, "is_active": endpoint.is_active}
    endpoint.url, endpoint.description, endpoint.events, endpoint.is_active = (
        url, (description or "").strip()[:200], events, active)
    db.session.flush()
    record_event("webhook.updated", "webhook_endpoint", endpoint.id, summary=url, before=before,
                 after={"url": url, "webhook_events": events, "is_active": active}, actor=actor)
    return endpoint


def new_secret_for(endpoint: WebhookEndpoint, actor: User) -> WebhookEndpoint:
    """Replace the signing secret (shown once); deliveries from now on are signed with the new one."""
    endpoint.secret = signing.new_secret()
    db.session.flush()
    record_event("webhook.secret_replaced", "webhook_endpoint", endpoint.id, summary=endpoint.url, actor=actor)
    return endpoint


def send_test(endpoint: WebhookEndpoint) -> None:
    from lms.webhooks.delivery import send_test_event

    if not endpoint.is_active:
        raise DomainError(_l("This endpoint is switched off: switch it on to send it events."))
    send_test_event(endpoint)


def send_delivery_again(delivery: WebhookDelivery) -> None:
    from lms.webhooks.delivery import send_again

    if not delivery.endpoint.is_active:
        raise DomainError(_l("This endpoint is switched off: switch it on to send it events."))
    send_again(delivery)


@dataclass(frozen=True)
class EndpointRow:
    endpoint: WebhookEndpoint
    deliveries: int
    failing: int  # retrying or given up


def endpoint_rows() -> list[EndpointRow]:
    """Every endpoint with its number of deliveries and of those not (yet) delivered: two statements."""
    endpoints = db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
    counts = {row.endpoint_id: row for row in db.session.execute(
        select(WebhookDelivery.endpoint_id, func.count().label("total"),
               func.count().filter(WebhookDelivery.status.in_([DeliveryStatus.RETRYING, DeliveryStatus.FAILED]))
               .label("failing"))
        .group_by(WebhookDelivery.endpoint_id))}
    return [EndpointRow(e, counts[e.id].total if e.id in counts else 0, counts[e.id].failing if e.id in counts else 0)
            for e in endpoints]


def delivery_log(endpoint: WebhookEndpoint, limit: int = LOG_PAGE_SIZE) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first, each with its event and every attempt."""
    return list(db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit)
        .options(selectinload(WebhookDelivery.event), selectinload(WebhookDelivery.log))))
