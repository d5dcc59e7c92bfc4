"""Small valid files of every accepted type, made in the test (no recording ships with the tests)."""

import io
import struct
import wave

from PIL import Image


def png(colour: str = "red", size: int = 8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "JPEG")
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "WEBP")
    return out.getvalue()


def wav(seconds: float = 0.5, rate: int = 8000, tone: int = 440) -> bytes:
    """A short mono tone: a real WAV a browser's player can load and seek."""
    import math

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = int(seconds * rate)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * tone * i / rate)))
                               for i in range(frames)))
    return out.getvalue()


def mp3() -> bytes:
    # An MPEG-1 layer III frame header (128 kbit/s, 44.1 kHz) and silence.
    return b"\xff\xfb\x90\x64" + b"\x00" * 413


def mp3_with_id3() -> bytes:
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + mp3()


def m4a() -> bytes:
    return struct.pack(">I", 24) + b"ftypM4A " + b"\x00\x00\x02\x00" + b"M4A mp42" + b"\x00" * 64


def aac() -> bytes:
    return b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * 32


def ogg_opus() -> bytes:
    return b"OggS\x00\x02" + b"\x00" * 22 + b"OpusHead\x01\x01" + b"\x00" * 40


def ogg_vorbis() -> bytes:
    return b"OggS\x00\x02" + b"\x00" * 22 + b"\x01vorbis" + b"\x00" * 40


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
