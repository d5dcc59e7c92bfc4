"""Every media route by role, the upload form's refusals under their fields, and the serving rules: who may
fetch a file, its caching headers, 304 and byte ranges."""

import hashlib
import io

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.media.checks import Upload
from lms.media.library import upload_media
from lms.media.models import MediaFile
from tests.conftest import Auth
from tests.media import samples
from tests.media.conftest import TRANSCRIPT


def _client(app, user=None):
    client = app.test_client()
    if user is not None:
        Auth(client).login(user)
    return client


def _upload(user, data=None, name="clip.wav", **words) -> MediaFile:
    data = data if data is not None else samples.wav()
    media = upload_media(user, Upload(data, name, words.get("title", "通話片段"), words.get("alt", ""),
                                      words.get("transcript", TRANSCRIPT)))
    db.session.commit()
    return media


LIBRARY = [("GET", "/media/manage/"), ("GET", "/media/manage/upload"), ("POST", "/media/manage/upload"),
           ("GET", "/media/manage/{id}")]


@pytest.mark.parametrize(("method", "path"), LIBRARY)
@pytest.mark.parametrize("role", ["learner", "manager", "trainer", "admin"])
def test_the_library_is_for_trainers_and_admins(app, people, method, path, role):
    media = _upload(people["trainer"])
    response = _client(app, people[role]).open(path.format(id=media.id), method=method, data={})
    assert (response.status_code == 403) is (role in ("learner", "manager"))
    assert response.status_code < 500


@pytest.mark.parametrize(("method", "path"), [*LIBRARY, ("GET", "/media/files/" + "0" * 64 + ".png")])
def test_anonymous_visitors_are_sent_to_log_in(app, people, method, path):
    response = _client(app).open(path.format(id=1), method=method, data={})
    assert response.status_code in (302, 400, 401)
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]


def test_a_trainer_uploads_and_sees_the_reference_and_uses(app, people):
    client = _client(app, people["trainer"])
    response = client.post("/media/manage/upload", data={
        "file": (io.BytesIO(samples.png()), "退費 流程.png"), "title": "退費流程", "alt_text": "退費的三個步驟"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    media = db.session.scalar(select(MediaFile))
    assert (media.name, media.kind, media.uploaded_by_id) == ("退費-流程.png", "image", people["trainer"].id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "![退費的三個步驟](media:退費-流程.png)" in page and "尚未使用" in page
    assert f'src="/media/files/{media.digest}.png"' in page
    listing = client.get("/media/manage/").get_data(as_text=True)
    assert "退費流程" in listing and "媒體庫" in listing


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"title": "t", "alt_text": "a"}, "file", "請選擇要上傳的檔案"),
    ({"file": (io.BytesIO(samples.SVG), "x.png"), "title": "t", "alt_text": "a"}, "file", "SVG"),
    ({"file": (io.BytesIO(b"MZ\x90\x00program"), "song.mp3"), "title": "t", "transcript": "x"}, "file", "不論檔名"),
    ({"file": (io.BytesIO(samples.png()), "x.png"), "title": "t"}, "alt_text", "描述圖片"),
    ({"file": (io.BytesIO(samples.wav()), "x.wav"), "title": "t"}, "transcript", "聽不到的人"),
    ({"file": (io.BytesIO(samples.wav()), "x.wav"), "transcript": "x"}, "title", "標題"),
])
def test_refusals_are_shown_under_their_field_and_nothing_is_stored(app, people, fields, field, message):
    # A fresh file object for each run (the parameters are shared by both databases' runs; a posted one is closed).
    data = {key: (io.BytesIO(value[0].getbuffer().tobytes()), value[1]) if key == "file" else value
            for key, value in fields.items()}
    response = _client(app, people["trainer"]).post("/media/manage/upload", data=data,
                                                    content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="{field}-error"' in page and message in page
    assert db.session.scalar(select(func.count(MediaFile.id))) == 0


def test_the_same_bytes_twice_are_refused_naming_the_first_file(app, people):
    first = _upload(people["trainer"])
    response = _client(app, people["admin"]).post("/media/manage/upload", data={
        "file": (io.BytesIO(samples.wav()), "again.wav"), "title": "t", "transcript": "x"},
        content_type="multipart/form-data")
    assert 'id="file-error"' in response.get_data(as_text=True) and first.name in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(MediaFile.id))) == 1


def test_colliding_names_get_a_number(app, people):
    first = _upload(people["trainer"], samples.png("red"), "圖.png", alt="紅")
    second = _upload(people["trainer"], samples.png("blue"), "圖.png", alt="藍")
    third = _upload(people["trainer"], samples.png("white"), "other/圖.PNG", alt="白")
    assert (first.name, second.name, third.name) == ("圖.png", "圖-2.png", "圖-3.png")


# ---------------------------------------------------------------- serving


def test_staff_fetch_any_file_with_immutable_caching(app, people):
    media = _upload(people["trainer"])
    for role in ("trainer", "manager", "admin"):
        response = _client(app, people[role]).get(f"/media/files/{media.filename}")
        assert response.status_code == 200 and response.data == samples.wav()
        assert response.mimetype == "audio/wav" and response.headers["ETag"] == f'"{media.digest}"'
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and "max-age=31536000" in cache and "private" in cache and "public" not in cache
        assert "no-store" not in cache and response.headers["Accept-Ranges"] == "bytes"


def test_a_learner_fetches_only_files_published_content_uses(app, make, people, media_tree):
    unused = _upload(people["trainer"], samples.png("yellow"), "unused.png", alt="黃")
    make.content(media_tree)
    used = db.session.scalar(select(MediaFile).where(MediaFile.name == "double-charge.wav"))
    learner = _client(app, people["learner"])
    assert learner.get(f"/media/files/{used.filename}").status_code == 200
    assert learner.get(f"/media/files/{unused.filename}").status_code == 404
    assert learner.get("/media/files/" + "0" * 64 + ".png").status_code == 404
    assert learner.get(f"/media/files/{used.digest}.png").status_code == 404  # the wrong extension
    assert _client(app, people["trainer"]).get(f"/media/files/{unused.filename}").status_code == 200


def test_304_for_a_known_etag_and_206_for_a_range(app, people):
    media = _upload(people["trainer"])
    client = _client(app, people["trainer"])
    url = f"/media/files/{media.filename}"
    assert client.get(url, headers={"If-None-Match": f'"{media.digest}"'}).status_code == 304
    partial = client.get(url, headers={"Range": "bytes=10-19"})
    assert partial.status_code == 206 and partial.data == samples.wav()[10:20]
    assert partial.headers["Content-Range"] == f"bytes 10-19/{len(samples.wav())}"
    assert client.get(url, headers={"Range": "bytes=999999-"}).status_code == 416


def test_files_from_s3_are_served_the_same_way(app, people):
    import boto3
    from moto import mock_aws

    from lms.media.storage import S3Storage

    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
        s3.create_bucket(Bucket="media")
        app.extensions["lms_media_storage"] = S3Storage(s3, "media", "lms/")
        media = _upload(people["trainer"])
        assert s3.get_object(Bucket="media", Key=f"lms/{media.filename}")["Body"].read() == samples.wav()
        client = _client(app, people["trainer"])
        whole = client.get(f"/media/files/{media.filename}")
        assert whole.status_code == 200 and hashlib.sha256(whole.data).hexdigest() == media.digest
        assert client.get(f"/media/files/{media.filename}", headers={"Range": "bytes=0-3"}).data == b"RIFF"


def test_a_file_larger_than_a_request_may_be_is_refused_under_the_file_field(app, people):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    response = _client(app, people["trainer"]).post("/media/manage/upload", data={
        "file": (io.BytesIO(samples.wav(seconds=5)), "long.wav"), "title": "t", "transcript": "x"},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and 'id="file-error"' in page and "49 KB" in page
    assert db.session.scalar(select(func.count(MediaFile.id))) == 0
