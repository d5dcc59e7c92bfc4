"""The documents of certification: the certificate PDF (rendered once and kept), the learner's
transcript PDF and the QR code of the verification page (the Open Badges 3.0 credential: achievements.py)."""

from contextlib import nullcontext
from dataclasses import dataclass

import segno
from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.certification.layout import name_fit, title_fit
from lms.certification.models import Certificate
from lms.certification.rules import certificate_state
from lms.content_language import html_in_readers_script
from lms.db import db, read_then_release, utcnow
from lms.pdf import PdfError, font_css, render_pdf, without_bidi_controls
from lms.tasks import app_task
from lms.urls import external_url


def verify_url(cert: Certificate) -> str:
    return external_url("verify.certificate", public_id=cert.public_id)


def qr_svg(url: str, scale: int = 3) -> Markup:
    """The QR code of a URL as inline SVG (nothing to fetch, crisp at any print size)."""
    return Markup(segno.make(url, error="m").svg_inline(scale=scale, dark="#1d2733", omitsize=False))


def _request():
    # Templates need a request (for the language and the context processors), also in a task.
    return nullcontext() if has_request_context() else current_app.test_request_context("/")


def certificate_html(cert: Certificate, locale: str | None = None) -> str:
    locale = locale or current_app.config["DEFAULT_LOCALE"]
    with _request(), force_locale(locale):
        url = verify_url(cert)
        holder, title = without_bidi_controls(cert.holder_name), without_bidi_controls(cert.programme_title)
        context = {"cert": cert, "verify_url": url, "qr": qr_svg(url, scale=3), "holder": holder,
                   "programme_title": title, "name_fit": name_fit(holder), "title_fit": title_fit(title)}
        body = render_template("certification/pdf/certificate.html", fonts=("", "sans-serif"), **context)
        return render_template("certification/pdf/certificate.html", fonts=font_css(body), **context)


def certificate_pdf(cert: Certificate) -> bytes:
    """The certificate's PDF: rendered once (when it is issued) and then served from the database.
    A download that comes before the rendering task renders it without keeping it (a GET writes nothing)."""
    if cert.pdf is not None:
        return cert.pdf
    return render_pdf(certificate_html(cert))


def _html_to_render(certificate_id: int) -> tuple[str | None, str]:
    """The certificate's HTML unless its PDF is kept already, and its holder's employee number."""
    cert = db.session.get(Certificate, certificate_id)
    if cert is None or cert.pdf_rendered_at is not None:
        return None, ""
    return certificate_html(cert), cert.user.employee_no


def keep_pdf(certificate_id: int, pdf: bytes) -> None:
    """Keep a rendered PDF, unless another render was kept first."""
    db.session.execute(update(Certificate).where(Certificate.id == certificate_id,
                                                 Certificate.pdf_rendered_at.is_(None))
                       .values(pdf=pdf, pdf_rendered_at=utcnow()))


@app_task()
def render_certificate(certificate_id: int, job_id: int | None = None) -> None:
    """Render a certificate's PDF and keep it: read, then render with no transaction open, then write in
    one short transaction, so parallel workers never wait for a render. For bulk issue (``job_id``), a
    PDF that cannot be made is reported in the job; the certificate stands and renders on download."""
    from lms.certification.bulk import record_progress

    with read_then_release():
        html, employee_no = _html_to_render(certificate_id)
    message = ""
    if html is not None:
        try:
            keep_pdf(certificate_id, render_pdf(html))
        except PdfError as exc:
            if job_id is None:
                raise
            message = f"{employee_no}: PDF not kept ({exc})"
    if job_id is not None:
        record_progress(job_id, done=1, message=message)


@dataclass
class Transcript:
    user: User
    courses: list
    exams: list
    calls: list
    certificates: list


def transcript(user: User) -> Transcript:
    from lms.calls.models import CallAttempt, CallMode, CallStatus, ScenarioVersion
    from lms.courses.models import Course, CourseVersion, Enrolment
    from lms.exams.models import Attempt, AttemptStatus
    from lms.exams.review import visible_to_learner

    courses = db.session.execute(
        select(Course.code, CourseVersion.title, Enrolment.completed_at)
        .join(Course, Course.id == Enrolment.course_id).join(CourseVersion, CourseVersion.id == Course.published_version_id)
        .where(Enrolment.user_id == user.id, Enrolment.completed_at.is_not(None)).order_by(Enrolment.completed_at)).all()
    best: dict = {}
    for attempt in db.session.scalars(
            select(Attempt).where(Attempt.user_id == user.id, Attempt.status == AttemptStatus.GRADED)
            .options(selectinload(Attempt.exam), selectinload(Attempt.exam_version))):
        if not visible_to_learner(attempt):
            continue  # the exam's review rule has not released this result to the learner yet
        slug, percent = attempt.exam.slug, attempt.percent
        if slug not in best or (percent or 0) > (best[slug][1] or 0):
            best[slug] = (attempt.exam_version.title, percent, attempt.passed, attempt.graded_at)
    calls: dict = {}
    for slug_id, title, percent, at in db.session.execute(
            select(CallAttempt.scenario_id, ScenarioVersion.title, CallAttempt.percent, CallAttempt.finished_at)
            .join(ScenarioVersion, ScenarioVersion.id == CallAttempt.version_id)
            .where(CallAttempt.user_id == user.id, CallAttempt.mode == CallMode.ASSESSMENT,
                   CallAttempt.status == CallStatus.FINISHED, CallAttempt.passed.is_(True))):
        if slug_id not in calls or (percent or 0) > calls[slug_id][1]:
            calls[slug_id] = (title, percent, at)
    certs = list(db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                    .order_by(Certificate.issued_at)))
    return Transcript(user, courses, sorted(best.values(), key=lambda r: r[3] or utcnow()),
                      sorted(calls.values(), key=lambda r: r[2] or utcnow()),
                      [(c, certificate_state(c)) for c in certs])


def transcript_pdf(user: User) -> bytes:
    from lms.certification.labels import certification_labels

    data = transcript(user)
    with _request():
        # The reader's own copy: in their script, like their pages. The certificate is not converted: it is
        # one record, rendered once in the centre's language, the same for its holder and anyone who checks it.
        in_script = html_in_readers_script()
        context = dict(t=data, now=utcnow(), plain=without_bidi_controls, **certification_labels())
        body = in_script(render_template("certification/pdf/transcript.html", fonts=("", "sans-serif"), **context))
        html = in_script(render_template("certification/pdf/transcript.html", fonts=font_css(body), **context))
    return render_pdf(html)
