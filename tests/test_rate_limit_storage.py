"""Where request rate limits are counted (issue 12, item 12): `make run` asks for "auto", which shares the
counts through a local Redis when one answers, and otherwise says that each worker counts on its own."""

import socket
import socketserver
import threading

import pytest

from lms import create_app
from tests.conftest import TEST_CONFIG


class _FakeRedis(socketserver.BaseRequestHandler):
    """Answers every RESP command with +OK, and PING with +PONG: enough for a client's handshake and ping."""

    def handle(self):
        buffer = b""
        while True:
            data = self.request.recv(4096)
            if not data:
                return
            buffer += data
            while b"\r\n" in buffer:
                # One command per array: "*n", then n pairs of "$len" and the argument.
                lines = buffer.split(b"\r\n")
                if not lines[0].startswith(b"*"):
                    return
                count = int(lines[0][1:])
                if len(lines) < 1 + 2 * count + 1:
                    break
                args = lines[2:2 + 2 * count:2]
                buffer = b"\r\n".join(lines[1 + 2 * count:])
                self.request.sendall(b"+PONG\r\n" if args[0].upper() == b"PING" else b"+OK\r\n")


@pytest.fixture
def fake_redis():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _FakeRedis)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"redis://127.0.0.1:{server.server_address[1]}/1"
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _app(**config):
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://", **config})


def test_auto_shares_counts_through_redis_when_one_answers(fake_redis):
    app = _app(RATELIMIT_STORAGE_URI="auto", RATELIMIT_AUTO_REDIS_URL=fake_redis)
    assert app.config["RATELIMIT_STORAGE_URI"] == fake_redis
    assert app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True


def test_auto_without_redis_counts_in_memory_and_says_it_is_per_worker(caplog):
    url = f"redis://127.0.0.1:{_closed_port()}/1"
    with caplog.at_level("WARNING"):
        app = _app(RATELIMIT_STORAGE_URI="auto", RATELIMIT_AUTO_REDIS_URL=url)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert any("each worker" in r.getMessage() and "LMS_WORKERS" in r.getMessage() for r in caplog.records)


def test_an_explicit_store_is_kept_without_probing():
    url = f"redis://127.0.0.1:{_closed_port()}/3"
    assert _app(RATELIMIT_STORAGE_URI=url).config["RATELIMIT_STORAGE_URI"] == url
    assert _app().config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_make_run_asks_for_auto():
    from pathlib import Path

    script = (Path(__file__).parent.parent / "scripts" / "run.sh").read_text()
    assert 'LMS_RATELIMIT_STORAGE_URI="${LMS_RATELIMIT_STORAGE_URI:-auto}"' in script
