"""The storage interface, run against both implementations: the disk (the default) and S3-compatible storage
(boto3 against moto's in-process S3, no network)."""

import boto3
import pytest
from moto import mock_aws

from lms.media.storage import DiskStorage, S3Storage, make_storage

KEY = "ab" + "c" * 62 + ".png"


@pytest.fixture(params=["disk", "s3"])
def storage(request, tmp_path):
    if request.param == "disk":
        yield DiskStorage(tmp_path / "media")
        return
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
        client.create_bucket(Bucket="lms-media")
        yield S3Storage(client, "lms-media", "media/")


def test_put_read_and_exists(storage):
    assert not storage.exists(KEY) and storage.read(KEY) is None
    storage.put(KEY, b"\x89PNG bytes", "image/png")
    assert storage.exists(KEY) and storage.read(KEY) == b"\x89PNG bytes"
    storage.put(KEY, b"\x89PNG bytes", "image/png")  # the same key again: the same bytes, no error
    assert storage.read(KEY) == b"\x89PNG bytes"


def test_disk_writes_whole_files_only_and_refuses_paths(tmp_path):
    disk = DiskStorage(tmp_path)
    disk.put(KEY, b"x" * 1000, "image/png")
    files = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [KEY]  # no temporary file left behind
    assert disk.local_path(KEY).read_bytes() == b"x" * 1000
    for bad in ("../secret", "a/b", ".hidden", "a\\b"):
        with pytest.raises(ValueError):
            disk.put(bad, b"x", "image/png")


def test_s3_stores_under_the_prefix_with_the_type():
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
        client.create_bucket(Bucket="lms-bucket")
        S3Storage(client, "lms-bucket", "media/").put(KEY, b"data", "image/png")
        head = client.head_object(Bucket="lms-bucket", Key="media/" + KEY)
        assert head["ContentType"] == "image/png" and S3Storage(client, "lms-bucket", "media/").local_path(KEY) is None


def test_the_setting_chooses_the_storage(app, tmp_path):
    app.config.update(MEDIA_STORAGE="s3", MEDIA_S3_BUCKET="b", MEDIA_S3_ENDPOINT_URL="http://127.0.0.1:9000",
                      MEDIA_S3_ACCESS_KEY="k", MEDIA_S3_SECRET_KEY="s", MEDIA_S3_REGION="us-east-1")
    chosen = make_storage(app)
    assert isinstance(chosen, S3Storage) and chosen.bucket == "b" and chosen.prefix == "media/"
    assert chosen.client.meta.endpoint_url == "http://127.0.0.1:9000"
    app.config.update(MEDIA_STORAGE="disk", MEDIA_DIR=str(tmp_path))
    assert isinstance(make_storage(app), DiskStorage) and make_storage(app).root == tmp_path
