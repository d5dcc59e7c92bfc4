"""The public verification of a certificate (no login): a page for people, JSON for machines, and the
Open Badges credential (as JSON, and signed as a JWT to download). Only the policy fields are shown; the
holder may hide them all. A revoked certificate's credential is still served: its status says revoked."""

from flask import Blueprint, Response, current_app, jsonify, render_template

from lms.access import public
from lms.certification import achievements
from lms.certification.labels import certification_labels
from lms.certification.reviewers import certificate_by_public_id
from lms.certification.rules import certificate_state
from lms.extensions import limiter
from lms.timeutil import local_date

bp = Blueprint("verify", __name__, url_prefix="/verify")
bp.context_processor(certification_labels)


def _limit():
    return current_app.config.get("VERIFY_RATE_LIMIT", "60 per minute")


@bp.after_request
def _noindex(response):
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"  # revocation shows on the next request
    response.headers["Referrer-Policy"] = "no-referrer"
    response.vary.add("Accept-Language")  # the page speaks the visitor's language (lms/i18n.py)
    return response


def _facts(cert) -> dict:
    """What the verification shows: status, holder's name, programme, dates, issuer. Nothing else."""
    state = certificate_state(cert)
    # An empty holder's name: the holder's personal data was erased (lms/privacy); the rest stays verifiable.
    facts = {"status": state, "holder": cert.holder_name or None, "programme": cert.programme_title,
             "issued_on": local_date(cert.issued_at).isoformat(),
             "valid_until": local_date(cert.expires_at).isoformat(),
             "issuer": cert.issuer_name}
    if not cert.holder_name:
        facts["holder_withheld"] = True
    if state == "revoked":
        facts["revoked_on"] = local_date(cert.revoked_at).isoformat()
    return facts


@bp.route("/<public_id>")
@public
@limiter.limit(_limit)
def certificate(public_id):
    cert = certificate_by_public_id(public_id)
    if cert is None:
        return render_template("certification/verify.html", cert=None, hidden=False, public_id=public_id), 404
    if not cert.public:
        return render_template("certification/verify.html", cert=None, hidden=True, public_id=public_id), 404
    return render_template("certification/verify.html", cert=cert, facts=_facts(cert), hidden=False,
                           public_id=public_id)


@bp.route("/<public_id>.json")
@public
@limiter.limit(_limit)
def certificate_json(public_id):
    cert = certificate_by_public_id(public_id)
    if cert is None or not cert.public:
        return jsonify(status="not_found"), 404
    return jsonify(id=cert.public_id, **_facts(cert))


@bp.route("/<public_id>/credential.json")
@public
@limiter.limit(_limit)
def badge(public_id):
    cert = certificate_by_public_id(public_id)
    if cert is None or not cert.public:
        return jsonify(status="not_found"), 404
    return jsonify(achievements.credential(cert))


@bp.route("/<public_id>/credential.jwt")
@public
@limiter.limit(_limit)
def signed_badge(public_id):
    cert = certificate_by_public_id(public_id)
    if cert is None or not cert.public:
        return jsonify(status="not_found"), 404
    return signed_download(achievements.signed_credential(cert), cert.public_id)


def signed_download(token: str, public_id: str) -> Response:
    """A signed credential as a file to keep (also the holder's own download)."""
    response = Response(token, mimetype="application/vc+jwt")
    response.headers["Content-Disposition"] = f'attachment; filename="open-badge-{public_id[:10]}.jwt"'
    return response
