"""The media library's form: a file with its title, alt text (images) and transcript (audio). The checks
that need the bytes — type, size, which words the kind requires — are the service's (lms.media.checks),
whose refusals land under the field they name."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from lms.media.checks import MAX_ALT, MAX_TITLE, MAX_TRANSCRIPT, Upload


class UploadForm(FlaskForm):
    file = FileField(_l("File"))
    title = StringField(_l("Title"), validators=[Length(max=MAX_TITLE)])
    alt_text = StringField(_l("Alt text (images)"), validators=[Length(max=MAX_ALT)])
    transcript = TextAreaField(_l("Transcript (audio)"), validators=[Length(max=MAX_TRANSCRIPT)],
                               render_kw={"rows": 8})
    submit = SubmitField(_l("Upload"))

    def upload(self) -> Upload:
        storage = self.file.data
        data = storage.read() if storage is not None and hasattr(storage, "read") else b""
        filename = getattr(storage, "filename", "") or ""
        return Upload(data, filename, self.title.data or "", self.alt_text.data or "", self.transcript.data or "")
