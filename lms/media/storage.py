"""Where the bytes of media files live: one small interface, two implementations.

- ``DiskStorage`` (the default): files under the instance folder (``MEDIA_DIR``, default
  ``<instance>/media``), named by their SHA-256 and extension, written to a temporary file and renamed into
  place, so a reader never sees half a file.
- ``S3Storage`` (``MEDIA_STORAGE = "s3"``): an S3-compatible bucket (AWS, MinIO, Ceph…) through boto3, with
  ``MEDIA_S3_ENDPOINT_URL``, ``MEDIA_S3_BUCKET``, ``MEDIA_S3_PREFIX``, ``MEDIA_S3_REGION``,
  ``MEDIA_S3_ACCESS_KEY`` and ``MEDIA_S3_SECRET_KEY`` from the settings (the environment, never the code).

Keys are content addresses (``<sha256>.<ext>``): writing a key twice writes the same bytes, so a file
written for an upload whose transaction then failed is harmless (the next upload of those bytes reuses it).
"""

import os
import tempfile
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app


class Storage(Protocol):
    def put(self, key: str, data: bytes, mime: str) -> None: ...

    def read(self, key: str) -> bytes | None: ...

    def exists(self, key: str) -> bool: ...

    def local_path(self, key: str) -> Path | None:
        """A file on this machine holding the key's bytes (served without reading them into memory), or None."""


class DiskStorage:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if "/" in key or "\\" in key or key.startswith("."):
            raise ValueError(f"not a media key: {key!r}")
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes, mime: str) -> None:
        path = self._path(key)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, key: str) -> bytes | None:
        path = self._path(key)
        return path.read_bytes() if path.is_file() else None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def local_path(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None


class S3Storage:
    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def put(self, key: str, data: bytes, mime: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=mime)

    def read(self, key: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except self.client.exceptions.NoSuchKey:
            return None
        return answer["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def local_path(self, key: str) -> Path | None:
        return None


def _s3_storage(config) -> S3Storage:
    import boto3

    client = boto3.client("s3", endpoint_url=config.get("MEDIA_S3_ENDPOINT_URL") or None,
                          region_name=config.get("MEDIA_S3_REGION") or None,
                          aws_access_key_id=config.get("MEDIA_S3_ACCESS_KEY") or None,
                          aws_secret_access_key=config.get("MEDIA_S3_SECRET_KEY") or None)
    return S3Storage(client, config["MEDIA_S3_BUCKET"], config.get("MEDIA_S3_PREFIX") or "")


def make_storage(app: Flask) -> Storage:
    """The storage the settings choose (created once per app)."""
    if app.config.get("MEDIA_STORAGE") == "s3":
        return _s3_storage(app.config)
    return DiskStorage(Path(app.config.get("MEDIA_DIR") or Path(app.instance_path) / "media"))


def media_storage() -> Storage:
    """The current app's storage."""
    storage = current_app.extensions.get("lms_media_storage")
    if storage is None:
        storage = current_app.extensions["lms_media_storage"] = make_storage(current_app)
    return storage
