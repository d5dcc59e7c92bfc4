"""Events reach a local HTTP receiver: signed, with public ids only; a failing receiver is retried with
backoff and every attempt logged; expiry is announced once; "send again" sends the same event."""

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.certification import programmes, workflow
from lms.courses.models import Course, Enrolment, EnrolmentSource
from lms.db import db, utcnow
from lms.tasks import huey
from lms.webhooks import delivery as sending
from lms.webhooks import endpoints, events, signing
from lms.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEvent
from tests.certification.helpers import make_ready
from tests.webhooks.receiver import start_receiver

ALL = list(events.EVENT_TYPES)


@pytest.fixture
def people(make):
    make.content()
    return {"learner": make.user(Role.LEARNER, name="學員甲", employee_no="K0042"),
            "trainer": make.user(Role.TRAINER), "admin": make.user(Role.ADMIN)}


def _endpoint(admin, url, wanted=ALL, active=True):
    endpoint = endpoints.create_endpoint(admin, url, "人資系統", wanted, active)
    db.session.commit()
    return endpoint


def _issue(people):
    make_ready(people["learner"], people["trainer"])
    application = workflow.apply_for_certificate(people["learner"], programmes.get_programme("tst-cert"))
    cert = workflow.issue_certificate(application, people["trainer"], render=False)
    db.session.commit()
    return cert


def _run(delivery_id, ticket):
    """Run a queued send as the consumer would (the test's own transaction ended first: on SQLite it holds
    the write lock)."""
    db.session.rollback()
    sending.deliver_webhook.call_local(delivery_id, ticket)


def _deliveries():
    db.session.rollback()
    return db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def test_an_issued_certificate_is_posted_signed_with_public_ids_only(people, receiver):
    endpoint = _endpoint(people["admin"], receiver.url)
    cert = _issue(people)
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request.path == "/hooks/lms"
    assert signing.verify(endpoint.secret, request.headers["LMS-Signature"], request.body, now=time.time())
    assert not signing.verify("whsec_wrong", request.headers["LMS-Signature"], request.body, now=time.time())
    payload = json.loads(request.body)
    assert payload["type"] == "certificate.issued" == request.headers["LMS-Event-Type"]
    assert payload["id"] == request.headers["LMS-Event-Id"]
    assert payload["occurred_at"].endswith("Z")
    data = payload["data"]["certificate"]
    assert data["public_id"] == cert.public_id and data["holder"]["employee_number"] == "K0042"
    assert data["programme"]["slug"] == "tst-cert"
    assert data["verification_url"].endswith(f"/verify/{cert.public_id}")
    assert f'"{cert.id}"' not in request.body.decode() and '"id":' + str(cert.id) not in request.body.decode()
    [delivery] = _deliveries()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    [attempt] = delivery.log
    assert attempt.status_code == 200 and attempt.error == "" and attempt.next_retry_at is None
    assert attempt.duration_ms >= 0


def test_a_failing_receiver_is_retried_with_backoff_and_every_attempt_logged(people):
    receiver, server = start_receiver(statuses=[500, 503, 200])
    try:
        _endpoint(people["admin"], receiver.url, [events.CERTIFICATE_ISSUED])
        _issue(people)
        [delivery] = _deliveries()
        assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 1
        first = delivery.log[0]
        assert first.status_code == 500 and first.error == "status"
        assert timedelta(seconds=55) < first.next_retry_at - first.attempted_at <= timedelta(seconds=61)
        [scheduled] = huey.scheduled()
        assert scheduled.args == (delivery.id, delivery.ticket)
        # The consumer runs the scheduled retry when it is due; here, at once.
        _run(*scheduled.args)
        [delivery] = _deliveries()
        assert delivery.attempts == 2 and delivery.log[1].status_code == 503
        assert delivery.log[1].next_retry_at - delivery.log[1].attempted_at > timedelta(minutes=4)
        _run(delivery.id, delivery.ticket)
        [delivery] = _deliveries()
        assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
        assert [a.status_code for a in delivery.log] == [500, 503, 200]
        # The same event each time: same id, same body; a fresh signature.
        assert len({r.headers["LMS-Event-Id"] for r in receiver.requests}) == 1
        assert len({r.body for r in receiver.requests}) == 1
        assert [r.headers["LMS-Delivery-Attempt"] for r in receiver.requests] == ["1", "2", "3"]
        # Delivered: a stale retry does nothing.
        _run(delivery.id, delivery.ticket)
        assert len(receiver.requests) == 3
    finally:
        server.shutdown()
        server.server_close()


def test_a_receiver_that_never_answers_is_given_up_after_the_last_attempt(people, receiver):
    receiver.url = "http://127.0.0.1:9/nobody-listens"  # the discard port: connection refused
    _endpoint(people["admin"], receiver.url, [events.CERTIFICATE_ISSUED])
    _issue(people)
    for _ in range(signing.MAX_ATTEMPTS - 1):
        [delivery] = _deliveries()
        _run(delivery.id, delivery.ticket)
    [delivery] = _deliveries()
    assert delivery.attempts == signing.MAX_ATTEMPTS and delivery.status == DeliveryStatus.FAILED
    assert {a.error for a in delivery.log} == {"connection"} and all(a.status_code is None for a in delivery.log)
    assert delivery.log[-1].next_retry_at is None and delivery.next_attempt_at is None
    _run(delivery.id, delivery.ticket)  # given up: nothing more
    assert len(_deliveries()[0].log) == signing.MAX_ATTEMPTS

    # "Send again" after giving up: the same event, retries counted afresh, the old ticket stale.
    receiver.url = "unused"
    old_ticket = delivery.ticket
    endpoint = delivery.endpoint
    good, server = start_receiver()
    try:
        endpoint.url = good.url
        db.session.commit()
        sending.send_again(db.session.get(WebhookDelivery, delivery.id))
        db.session.commit()
        [delivery] = _deliveries()
        assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
        assert delivery.ticket != old_ticket and len(delivery.log) == signing.MAX_ATTEMPTS + 1
        assert json.loads(good.requests[0].body)["id"] == delivery.event.event_id
    finally:
        server.shutdown()
        server.server_close()


def test_send_again_makes_a_scheduled_retry_stale(people):
    receiver, server = start_receiver(statuses=[500, 200])
    try:
        _endpoint(people["admin"], receiver.url, [events.CERTIFICATE_ISSUED])
        _issue(people)
        [delivery] = _deliveries()
        stale = delivery.ticket
        sending.send_again(delivery)
        db.session.commit()
        assert _deliveries()[0].status == DeliveryStatus.DELIVERED
        _run(delivery.id, stale)
        assert len(receiver.requests) == 2
    finally:
        server.shutdown()
        server.server_close()


def test_only_active_endpoints_that_asked_for_the_event_get_it(people, receiver):
    _endpoint(people["admin"], receiver.url, [events.CERTIFICATE_REVOKED])
    _endpoint(people["admin"], receiver.url + "/off", ALL, active=False)
    cert = _issue(people)
    assert receiver.requests == [] and db.session.scalar(select(func.count()).select_from(WebhookEvent)) == 0
    workflow.revoke_certificate(db.session.get(type(cert), cert.id), people["trainer"], "資格不符")
    db.session.commit()
    [request] = receiver.requests
    payload = json.loads(request.body)
    assert payload["type"] == "certificate.revoked" and payload["data"]["certificate"]["revoked_at"]
    assert request.path == "/hooks/lms"


def test_a_rolled_back_change_sends_nothing(people, receiver):
    _endpoint(people["admin"], receiver.url)
    make_ready(people["learner"], people["trainer"])
    application = workflow.apply_for_certificate(people["learner"], programmes.get_programme("tst-cert"))
    workflow.issue_certificate(application, people["trainer"], render=False)
    db.session.rollback()
    assert receiver.requests == [] and _deliveries() == []


def _complete(learner, source):
    from lms.courses.completion import complete_course_if_done
    from lms.courses.models import LessonProgress

    course = db.session.scalar(select(Course).where(Course.code == "TST-201"))
    enrolment = Enrolment(user_id=learner.id, course_id=course.id, source=source)
    db.session.add(enrolment)
    version = course.published_version
    for lv in version.lesson_versions:
        db.session.add(LessonProgress(user_id=learner.id, lesson_id=lv.lesson_id, completed_at=utcnow()))
    db.session.flush()
    complete_course_if_done(learner, course, version, enrolment)
    db.session.commit()
    return enrolment


def test_an_assigned_course_completed_is_posted_and_a_chosen_one_is_not(people, make, receiver):
    _endpoint(people["admin"], receiver.url, [events.ASSIGNMENT_COMPLETED])
    _complete(people["learner"], EnrolmentSource.SELF)
    assert receiver.requests == []
    other = make.user(Role.LEARNER, employee_no="K0043")
    enrolment = _complete(other, EnrolmentSource.ASSIGNED)
    assert enrolment.completed_at is not None
    [request] = receiver.requests
    data = json.loads(request.body)["data"]["assignment"]
    assert data == {**data, "employee_number": "K0043", "course_code": "TST-201", "source": "assigned"}
    assert data["completed_at"].endswith("Z")


def test_expired_certificates_are_announced_once(people, receiver):
    endpoint = _endpoint(people["admin"], receiver.url, [events.CERTIFICATE_EXPIRED])
    cert = _issue(people)
    assert events.raise_expired() == 0
    db.session.commit()
    assert receiver.requests == []
    later = cert.grace_until + timedelta(hours=1)
    assert events.raise_expired(later) == 1
    db.session.commit()
    assert events.raise_expired(later + timedelta(hours=1)) == 0
    db.session.commit()
    [request] = receiver.requests
    assert json.loads(request.body)["data"]["certificate"]["public_id"] == cert.public_id
    assert signing.verify(endpoint.secret, request.headers["LMS-Signature"], request.body, now=time.time())
    # Long-expired certificates are not announced to an endpoint registered afterwards.
    assert events.raise_expired(cert.grace_until + events.EXPIRY_LOOKBACK + timedelta(days=1)) == 0


def test_the_cli_announces_expiries(people, receiver, runner):
    _endpoint(people["admin"], receiver.url, [events.CERTIFICATE_EXPIRED])
    result = runner.invoke(args=["lms", "webhook-expiries"])
    assert result.exit_code == 0 and "0 expired certificates announced." in result.output


def test_a_test_event_goes_to_one_endpoint_even_when_it_asked_for_nothing_like_it(people, receiver):
    endpoint = _endpoint(people["admin"], receiver.url, [events.CERTIFICATE_REVOKED])
    _endpoint(people["admin"], receiver.url + "/other", ALL)
    endpoints.send_test(db.session.get(type(endpoint), endpoint.id))
    db.session.commit()
    [request] = receiver.requests
    assert request.path == "/hooks/lms" and json.loads(request.body)["type"] == "webhook.test"
    assert db.session.scalar(select(func.count()).select_from(WebhookAttempt)) == 1


def test_the_consumers_hourly_check_announces_expiries(people, receiver):
    from lms.webhooks.tasks import raise_expired_task

    _endpoint(people["admin"], receiver.url, [events.CERTIFICATE_EXPIRED])
    cert = _issue(people)
    db.session.execute(db.update(type(cert)).where(type(cert).id == cert.id)
                       .values(grace_until=utcnow() - timedelta(days=1), expires_at=utcnow() - timedelta(days=30),
                               renew_from=utcnow() - timedelta(days=60)))
    db.session.commit()
    assert raise_expired_task.call_local() == 1
    [request] = receiver.requests
    assert request.headers["LMS-Event-Type"] == "certificate.expired"
