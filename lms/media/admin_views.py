"""The media library for trainers and administrators: the list with each file's reference and uses, an
upload, and one file's page."""

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from lms.access import roles_required
from lms.accounts.models import Role
from lms.media.checks import human_size
from lms.media.forms import UploadForm
from lms.media.library import upload_media
from lms.media.pages import library_page, media_page
from lms.views import save_form

bp = Blueprint("media_admin", __name__, url_prefix="/media/manage")
STAFF = (Role.TRAINER, Role.ADMIN)


@bp.route("/")
@roles_required(*STAFF)
def index():
    return render_template("media/index.html", page=library_page())


@bp.route("/upload", methods=["GET", "POST"])
@roles_required(*STAFF)
def upload():
    form = UploadForm()
    done = save_form(form, lambda: upload_media(current_user, form.upload()),
                     then=lambda media: url_for("media_admin.detail", media_id=media.id),
                     success=_("The file is in the library. Copy its reference into a lesson, a question or a call."))
    return done or render_template("media/upload.html", form=form, page=library_page(with_files=False))


@bp.route("/<int:media_id>")
@roles_required(*STAFF)
def detail(media_id):
    return render_template("media/detail.html", page=media_page(media_id))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """A file larger than a request may be (MAX_CONTENT_LENGTH) is refused under the file field too."""
    form = UploadForm(formdata=None)
    form.file.errors = [_("The file is larger than this server accepts (%(limit)s).",
                          limit=human_size(int(current_app.config["MAX_CONTENT_LENGTH"])))]
    return render_template("media/upload.html", form=form, page=library_page(with_files=False)), 413
