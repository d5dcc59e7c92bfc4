"""The public side of the Open Badges credentials (no login): the issuer's Profile and each programme's
Achievement (a page for people, JSON for machines: ``Accept: application/json`` or the ``.json``
address), the issuer's published keys (a JWKS and each key at its ``kid`` URL) and the signed status
lists. What a verifier needs is here and nowhere behind a login (docs/open-badges.md)."""

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from lms.access import public
from lms.certification import achievements, credential_signing
from lms.certification.credential_status import PURPOSES
from lms.certification.programmes import find_programme
from lms.extensions import limiter

bp = Blueprint("badges", __name__)
JSON_TYPES = ("application/json", "application/ld+json")
JWT_TYPE = "application/vc+jwt"


def _limit():
    return current_app.config.get("VERIFY_RATE_LIMIT", "60 per minute")


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(("text/html", *JSON_TYPES)) in JSON_TYPES


@bp.after_request
def _headers(response):
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    if response.mimetype != "text/html":  # a page shows the signed-in person's header: never a shared cache
        response.headers.setdefault("Cache-Control", "public, max-age=300")
        response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers run in other sites' pages too
    return response


@bp.route("/issuer")
@public
def issuer():
    if _wants_json():
        return issuer_json()
    return render_template("certification/issuer.html", profile=achievements.issuer_profile(),
                           name=achievements.issuer_name())


@bp.route("/issuer.json")
@public
def issuer_json():
    return jsonify(achievements.issuer_profile())


@bp.route("/issuer/jwks.json")
@public
def jwks():
    return jsonify(credential_signing.jwks())


@bp.route("/issuer/keys/<thumbprint>")
@public
def public_key(thumbprint):
    key = credential_signing.published_key(thumbprint)
    if key is None:
        return jsonify(status="not_found"), 404
    return jsonify(credential_signing.public_jwk(key))


@bp.route("/issuer/status/<purpose>/<int:list_number>")
@public
@limiter.limit(_limit)
def status_list(purpose, list_number):
    if purpose not in PURPOSES or list_number > 10_000:
        abort(404)
    response = Response(achievements.signed_status_list(purpose, list_number), mimetype=JWT_TYPE)
    response.headers["Cache-Control"] = "public, max-age=60"  # a revocation shows within the minute
    return response


@bp.route("/achievements/<slug>")
@public
def achievement(slug):
    programme = find_programme(slug)
    if programme is None:
        abort(404)
    if _wants_json():
        return jsonify(achievements.achievement(programme))
    return render_template("certification/achievement.html", programme=programme,
                           criteria=achievements.criteria(programme), achievement_id=achievements.achievement_id(slug),
                           issuer_name=achievements.issuer_name())


@bp.route("/achievements/<slug>.json")
@public
def achievement_json(slug):
    programme = find_programme(slug)
    if programme is None:
        return jsonify(status="not_found"), 404
    return jsonify(achievements.achievement(programme))
