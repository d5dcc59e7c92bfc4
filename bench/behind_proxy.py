"""The serving stack, measured: gunicorn's sync workers alone, and behind Debian's nginx configured as
deploy/nginx.conf does (whole requests and answers buffered), with and without slow clients.

    python -m bench.behind_proxy                       # SQLite, 1,000 learners
    python -m bench.behind_proxy --database-url postgresql://postgres@127.0.0.1:5432/test --size 1000

Three loads on each front (gunicorn direct, nginx in front of the same gunicorn):
- the app's trivial route and a learner's home page, loaded by wrk (what the proxy's hop costs);
- the trivial route while ``--slow`` clients each send a request one header byte per second and never finish
  it (a phone on a bad line, a stalled upload): a sync worker reading such a request serves no one else, so
  with as many slow clients as workers the direct server stops answering until gunicorn's ``timeout`` kills
  the worker, while nginx holds the slow requests itself and passes only whole ones on.
"""

import argparse
import contextlib
import shutil
import socket
import subprocess
import sys
import threading
import time

from bench.run import OUT, ROOT, Server, prepare_database, run_wrk

NGINX_CONF = """worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_header_timeout 60s;
    upstream lms_app {{ server 127.0.0.1:{app_port}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 8m;
        client_body_buffer_size 1m;
        location / {{
            proxy_pass http://lms_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_request_buffering on;
            proxy_buffering on;
            proxy_buffers 16 64k;
            proxy_buffer_size 16k;
            proxy_read_timeout 65s;
        }}
    }}
}}
"""


class Nginx:
    def __init__(self, port: int, app_port: int):
        self.dir = OUT / "nginx"
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        conf = self.dir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=self.dir, port=port, app_port=app_port))
        self.base = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(["nginx", "-p", str(self.dir), "-c", str(conf), "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start; see {self.dir / 'error.log'}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def slow_clients(port: int, count: int, seconds: float) -> threading.Thread:
    """``count`` connections that each trickle a request's headers, a byte a second, for ``seconds``."""
    def trickle():
        sockets = []
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /_bench/trivial HTTP/1.1\r\nHost: bench\r\nX-Slow: ")
            sockets.append(s)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(1)
            for s in sockets:
                with contextlib.suppress(OSError):
                    s.sendall(b"a")
        for s in sockets:
            s.close()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    time.sleep(1.5)  # let the slow requests reach the workers
    return thread


def _row(front: str, load: str, result: dict) -> dict:
    print(f"  {front:16} {load:44} {result['rps']:8.0f} req/s  p50 {result['p50'] / 1000:7.1f} ms  "
          f"p95 {result['p95'] / 1000:7.1f} ms  timeouts/errors {result['errors'] + result['non2xx']}", flush=True)
    return {"front": front, "load": load, **result}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--slow", type=int, default=2, help="slow clients (default: as many as workers)")
    parser.add_argument("--port", type=int, default=5199)
    args = parser.parse_args(argv)
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: apt-get install {tool}")
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    url, logins = prepare_database(args.database_url, args.size)
    server = Server(url, args.port, args.workers)
    nginx = Nginx(args.port + 1, args.port)
    rows = []
    try:
        from bench.generate import BENCH_PASSWORD

        cookie = server.session_cookie(logins["learner"], BENCH_PASSWORD)
        for front, base in (("gunicorn direct", server.base), ("nginx in front", nginx.base)):
            for _ in range(2):  # warm: each worker builds its caches once
                run_wrk(base + "/", cookie, 1, 2)
            rows.append(_row(front, "app trivial route", run_wrk(base + "/_bench/trivial", None, args.duration,
                                                                 args.connections)))
            rows.append(_row(front, "learner home", run_wrk(base + "/", cookie, args.duration, args.connections)))
        for front, base in (("nginx in front", nginx.base), ("gunicorn direct", server.base)):
            port = int(base.rsplit(":", 1)[1])
            trickling = slow_clients(port, args.slow, args.duration + 3)
            rows.append(_row(front, f"app trivial route, {args.slow} slow clients",
                             run_wrk(base + "/_bench/trivial", None, args.duration, args.connections)))
            trickling.join()
            if front == "gunicorn direct":
                server.restart()  # workers pinned until gunicorn's timeout: start clean for anything after
    finally:
        nginx.stop()
        server.stop()
    print("\n| front | load | req/s | p50 ms | p95 ms | timeouts or errors |\n|---|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['front']} | {r['load']} | {r['rps']:.0f} | {r['p50'] / 1000:.1f} | {r['p95'] / 1000:.1f} | "
              f"{r['errors'] + r['non2xx']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
