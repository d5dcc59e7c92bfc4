"""Every code of the media domain a person reads, with its label."""

from flask_babel import lazy_gettext as _l

from lms.media.models import MediaKind

KIND_LABELS = {MediaKind.IMAGE: _l("Image"), MediaKind.AUDIO: _l("Audio clip")}
