"""Calendar dates are the centre's (Asia/Taipei in the tests) wherever a certificate's dates appear: the
verification JSON, the Open Badges credential and the reminder mail agree with the page and the PDF,
also for a certificate issued in the small hours, when the UTC date is the day before."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from jsonschema.validators import validator_for

from lms import mail
from lms.certification import reminders, workflow
from lms.certification.models import Certificate
from lms.db import db
from tests.certification.test_documents import cert  # noqa: F401 - the fixture

SCHEMAS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "openbadges").glob("*.json"))
ISSUED = datetime(2026, 12, 6, 17, 30, tzinfo=UTC)  # 7 Dec, 01:30 in Taipei
EXPIRES = datetime(2029, 2, 4, 17, 30, tzinfo=UTC)  # 5 Feb, 01:30 in Taipei


def _small_hours(cert):  # noqa: F811
    row = db.session.get(Certificate, cert.id)
    row.issued_at, row.expires_at = ISSUED, EXPIRES
    db.session.commit()
    return row


def test_the_verification_json_gives_the_centres_dates(cert, client):  # noqa: F811
    _small_hours(cert)
    data = client.get(f"/verify/{cert.public_id}.json").get_json()
    assert (data["issued_on"], data["valid_until"]) == ("2026-12-07", "2029-02-05")
    page = client.get(f"/verify/{cert.public_id}").get_data(as_text=True)
    assert "2026年12月7日" in page and "2029年2月5日" in page


def test_a_revocation_date_is_the_centres_too(cert, client):  # noqa: F811
    row = _small_hours(cert)
    workflow.revoke_certificate(row, row.user, "測試")
    row.revoked_at = datetime(2027, 3, 1, 16, 5, tzinfo=UTC)  # 2 March in Taipei
    db.session.commit()
    assert client.get(f"/verify/{cert.public_id}.json").get_json()["revoked_on"] == "2027-03-02"
    assert client.get(f"/verify/{cert.public_id}/credential.json").get_json()["credentialStatus"]


def test_the_credential_carries_the_centres_offset_and_stays_valid(cert, client):  # noqa: F811
    _small_hours(cert)
    credential = client.get(f"/verify/{cert.public_id}/credential.json").get_json()
    assert credential["validFrom"] == credential["awardedDate"] == "2026-12-07T01:30:00+08:00"
    assert credential["validUntil"] == "2029-02-05T01:30:00+08:00"
    for path in SCHEMAS:
        schema = json.loads(path.read_text(encoding="utf-8"))
        validator = validator_for(schema)
        validator(schema, format_checker=validator.FORMAT_CHECKER).validate(credential)


def test_the_reminder_mail_names_the_centres_expiry_date(cert):  # noqa: F811
    row = _small_hours(cert)
    mail.outbox.clear()
    assert reminders.send_reminders(row.expires_at - timedelta(days=59)) == 1
    db.session.commit()
    body = mail.outbox[0].get_content()
    assert "2029-02-05 到期" in body and "2029-02-04" not in body
