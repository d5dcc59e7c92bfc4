"""What a file is, told by its first bytes (its "magic"), never by its name. Pure: bytes in, a type out.

Accepted: PNG, JPEG and WebP images; MP3, M4A/AAC, Ogg (Opus or Vorbis) and WAV audio. SVG is refused
whatever it is called: it is a document that can carry script, and the library has no sanitiser for it
(RELIABILITY.md: refused, or served only as an attachment under a sandboxing CSP; refusing is simpler).
"""

from dataclasses import dataclass

from lms.media.models import MediaKind


@dataclass(frozen=True)
class FileType:
    kind: MediaKind
    mime: str
    extension: str
    label: str  # what a person calls it


PNG = FileType(MediaKind.IMAGE, "image/png", "png", "PNG")
JPEG = FileType(MediaKind.IMAGE, "image/jpeg", "jpg", "JPEG")
WEBP = FileType(MediaKind.IMAGE, "image/webp", "webp", "WebP")
MP3 = FileType(MediaKind.AUDIO, "audio/mpeg", "mp3", "MP3")
M4A = FileType(MediaKind.AUDIO, "audio/mp4", "m4a", "M4A")
AAC = FileType(MediaKind.AUDIO, "audio/aac", "aac", "AAC")
OGG = FileType(MediaKind.AUDIO, "audio/ogg", "ogg", "Ogg")
OPUS = FileType(MediaKind.AUDIO, "audio/ogg", "opus", "Opus")
WAV = FileType(MediaKind.AUDIO, "audio/wav", "wav", "WAV")
ACCEPTED = (PNG, JPEG, WEBP, MP3, M4A, AAC, OGG, OPUS, WAV)
BY_EXTENSION = {t.extension: t for t in ACCEPTED}

# ISO base media (MP4) brands that are audio-only or commonly hold AAC audio from recorders and phones.
_M4A_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"isom", b"mp41", b"iso2", b"dash", b"3gp4", b"3gp5", b"3g2a"}


def _mp3(data: bytes) -> bool:
    if data.startswith(b"ID3") and len(data) >= 10:
        return True
    # An MPEG audio frame header: 11 sync bits, a layer that is not "reserved", a valid bit-rate index.
    if len(data) < 4 or data[0] != 0xFF or (data[1] & 0xE0) != 0xE0:
        return False
    version, layer, bitrate = (data[1] >> 3) & 3, (data[1] >> 1) & 3, data[2] >> 4
    return version != 1 and layer != 0 and bitrate not in (0, 15) and (data[2] >> 2) & 3 != 3


def _adts(data: bytes) -> bool:
    # A raw AAC (ADTS) frame: 12 sync bits, layer 00.
    return len(data) >= 7 and data[0] == 0xFF and (data[1] & 0xF6) == 0xF0


def _ogg(data: bytes) -> FileType | None:
    if not data.startswith(b"OggS") or len(data) < 36:
        return None
    head = data[28:36]
    if head.startswith(b"OpusHead"):
        return OPUS
    if head[:7] == b"\x01vorbis":
        return OGG
    return None  # Ogg video (Theora) or something else inside an Ogg container


def _riff(data: bytes) -> FileType | None:
    if not data.startswith(b"RIFF") or len(data) < 12:
        return None
    return {b"WEBP": WEBP, b"WAVE": WAV}.get(data[8:12])


def _riff_or_ogg(data: bytes) -> FileType | None:
    return _riff(data) or _ogg(data)


def detect(data: bytes) -> FileType | None:
    """The accepted type these bytes are, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if found := _riff_or_ogg(data):
        return found
    if data[4:8] == b"ftyp" and data[8:12] in _M4A_BRANDS:
        return M4A
    if _adts(data):
        return AAC
    if _mp3(data):
        return MP3
    return None


def looks_like_svg(data: bytes) -> bool:
    """Whether the bytes are an SVG (or other XML/HTML) document, which is refused with its own message."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype", b"<html")) or b"<svg" in head
