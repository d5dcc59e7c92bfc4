"""Benchmark the app as production runs it: gunicorn (gunicorn.conf.py, sync workers) on generated data,
loaded by wrk from a second process on loopback. Every page is reported beside two references of the
same run: H, a bare three-line Flask app (bench/bare.py) served by a second gunicorn with the same
settings, and the app's own trivial route; both are loaded before and after the pages.

    python -m bench.run                          # SQLite, 1,000 and 100,000 learners
    python -m bench.run --sizes 1000 --duration 5
    python -m bench.run --database-url postgresql://postgres@127.0.0.1:5432/test

See bench/README.md for the figures of a run.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
WARM_UP_LIMIT_S = 30
WARM_MAX_LATENCY_US = 500_000  # no request of a one-second warm-up round slower than this: both workers warm
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d, "max": %d}\\n', summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def prepare_database(url: str | None, size: int, name: str = "lms_bench") -> tuple[str, dict]:
    """Create a fresh database (PostgreSQL: named ``name``) with the schema and a generated organisation;
    return its URL."""
    if url is None:
        path = OUT / f"bench-{size}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        import psycopg

        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                         "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
        url = re.sub(r"/[^/?]*(\?|$)", f"/{name}\\1", plain, count=1)
    os.environ["LMS_INSTANCE_PATH"] = str(OUT / "instance")
    from flask_migrate import upgrade

    from bench.generate import generate
    from lms import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        logins = generate(size)
        print(f"  generated {size:,} learners in {time.perf_counter() - started:.1f} s", flush=True)
        from lms.db import db

        if db.engine.dialect.name == "postgresql":
            # A live database's autovacuum keeps the planner's statistics; tables filled a second ago have
            # none, and with none PostgreSQL read all 1.2 million attempts for 50 people (57 ms instead of
            # 0.7; the certification pages at 100,000 learners measured 4x slower than they are).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("ANALYZE")

        db.engine.dispose()
    return url, logins


class Server:
    def __init__(self, url: str, port: int, workers: int, wsgi_app: str = "lms.wsgi:app", probe="/_bench/trivial"):
        self._args, self._kwargs = (url, port, workers), {"wsgi_app": wsgi_app, "probe": probe}
        self.base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "LMS_DATABASE_URL": url, "LMS_BENCH_ROUTES": "true", "LMS_BIND": f"127.0.0.1:{port}",
               "LMS_WORKERS": str(workers), "LMS_SECRET_KEY": "bench-secret", "LMS_RATELIMIT_ENABLED": "false",
               "LMS_LOGIN_MAX_FAILURES_PER_IP": "100000", "LMS_INSTANCE_PATH": str(OUT / "instance")}
        log_name = "gunicorn.log" if wsgi_app == "lms.wsgi:app" else "gunicorn-bare.log"
        self.log = open(OUT / log_name, "w")  # noqa: SIM115 - open for the server's lifetime
        # The same settings file for the app and the bare reference; the positional argument names the app.
        self.proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
                                      wsgi_app], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log)
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + probe, timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start; see bench/out/gunicorn.log")

    def session_cookie(self, employee_no: str, password: str) -> str:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(self.base + "/login").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"identifier": employee_no, "password": password, "csrf_token": token}).encode()
        opener.open(self.base + "/login", data=data)
        cookie = next(c for c in jar if c.name == "session")
        return f"session={cookie.value}"

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def restart(self):
        self.stop()
        self.__init__(*self._args, **self._kwargs)


def run_wrk(url: str, cookie: str | None, duration: int, connections: int, script_name: str = "report.lua") -> dict:
    script = OUT / script_name  # a name of its own for each wrk running at the same time (bench.two_hosts)
    script.write_text(LUA)
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(script), url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    result = json.loads(out.split("WRKJSON ", 1)[1].splitlines()[0])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def _load(base: str, name: str, path: str, cookie: str | None, duration: int, connections: int) -> dict:
    # Warm up the workers first (imports, template compilation, and the page's own cache, which each worker
    # builds once: a report's first build at 10,000 learners takes seconds). The figure is the page as it is
    # served once warm; the seconds of warming are printed, and cold builds are measured on their own.
    warming = 0
    while warming < WARM_UP_LIMIT_S:
        warm = run_wrk(base + path, cookie, 1, 2)
        warming += 1
        if warm["requests"] and not warm["errors"] and warm["max"] < WARM_MAX_LATENCY_US:
            break
    result = run_wrk(base + path, cookie, duration, connections)
    print(f"  {name:34} {result['rps']:8.0f} req/s  p50 {result['p50'] / 1000:6.1f} ms  "
          f"p95 {result['p95'] / 1000:6.1f} ms  errors {result['errors'] + result['non2xx']}"
          f"  (warm after {warming} s)", flush=True)
    result["warm_up_s"] = warming
    return result


def measure(server: Server, bare: Server, logins: dict, duration: int, connections: int,
            only: set[str]) -> tuple[list[dict], dict]:
    """Every page, with the bare reference (H) and the app's trivial route loaded before the pages and
    again after them: each page is quoted against the mean of the two, and the spread says how steady the
    machine was."""
    from bench.pages import pages

    references = {"bare": [], "trivial": []}

    def load_references():
        references["bare"].append(_load(bare.base, "bare Flask (H)", "/", None, duration, connections)["rps"])
        references["trivial"].append(_load(server.base, "app trivial route", "/_bench/trivial", None, duration,
                                           connections)["rps"])

    cookies = {}
    rows = []
    load_references()
    targets = [("one indexed read", f"/_bench/read/{logins['some_user_id']}", None)] + pages(logins)
    for name, path, role in targets:
        if only and name not in only and not name.startswith("one indexed"):
            continue
        if role and role not in cookies:
            from bench.generate import BENCH_PASSWORD

            cookies[role] = server.session_cookie(logins[role], BENCH_PASSWORD)
        result = _load(server.base, name, path, cookies.get(role), duration, connections)
        rows.append({"page": name, "path": path, "role": role or "anonymous", **result})
        if result["requests"] == 0 or result["errors"]:
            # Requests that outlive wrk's 2-second timeout keep the workers busy after wrk has gone: without
            # a fresh server every page measured next would queue behind them (and read as 0 req/s).
            print(f"  {name}: requests did not finish within wrk's timeout; restarting the server", flush=True)
            server.restart()
            cookies.clear()
    load_references()
    references["downloads"] = _downloads(server, logins, only)
    bare_rps = sum(references["bare"]) / 2
    trivial_rps = sum(references["trivial"]) / 2
    for row in rows:
        row["ratio_bare"] = row["rps"] / bare_rps
        row["ratio"] = row["rps"] / trivial_rps
    return rows, references


def _time_download(base: str, path: str, cookie: str | None) -> dict:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        first = response.read(1)
        first_byte = time.perf_counter() - start
        body = first + response.read()
    return {"first_byte_s": first_byte, "total_s": time.perf_counter() - start, "bytes": len(body),
            "rows": body.count(b"\n")}


def _downloads(server: "Server", logins: dict, only: set[str], runs: int = 3) -> list[dict]:
    """Each download fetched whole, one at a time, ``runs`` times (the first warms the workers)."""
    from bench.generate import BENCH_PASSWORD
    from bench.pages import downloads

    found = []
    for name, path, role in downloads(logins):
        if only and name not in only:
            continue
        cookie = server.session_cookie(logins[role], BENCH_PASSWORD) if role else None
        times = [_time_download(server.base, path, cookie) for _ in range(runs)]
        print(f"  {name:34} whole file {min(t['total_s'] for t in times):.1f}–{max(t['total_s'] for t in times):.1f} s"
              f"  first byte {min(t['first_byte_s'] for t in times) * 1000:.0f} ms  {times[-1]['rows']:,} rows",
              flush=True)
        found.append({"page": name, "role": role, "runs": times})
    return found


def print_table(size: int, rows: list[dict], references: dict) -> None:
    bare, trivial = references["bare"], references["trivial"]
    print(f"\n### {size:,} learners\n")
    print(f"Bare Flask (H) {bare[0]:,.0f} and {bare[1]:,.0f} req/s, app trivial route {trivial[0]:,.0f} and "
          f"{trivial[1]:,.0f} req/s (before and after the pages): app trivial ÷ H = "
          f"{sum(trivial) / sum(bare):.2f}.\n")
    print("| page | role | req/s | × H | × app trivial | p50 ms | p95 ms | p95 ÷ p50 | errors |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if r["requests"] == 0:
            print(f"| {r['page']} | {r['role']} | none within wrk's 2 s timeout | – | – | – | – | – | – |")
            continue
        print(f"| {r['page']} | {r['role']} | {r['rps']:.0f} | {r['ratio_bare']:.3f} | {r['ratio']:.3f} | "
              f"{r['p50'] / 1000:.1f} | {r['p95'] / 1000:.1f} | {r['p95'] / max(r['p50'], 1):.1f} | "
              f"{r['errors'] + r['non2xx']} |")
    if references.get("downloads"):
        print("\n| download | role | whole file, s (runs) | first byte, ms | rows | rows per s |")
        print("|---|---|---|---:|---:|---:|")
        for d in references["downloads"]:
            totals = [t["total_s"] for t in d["runs"]]
            rows_count = d["runs"][-1]["rows"]
            print(f"| {d['page']} | {d['role']} | {min(totals):.1f}–{max(totals):.1f} ({len(totals)}) | "
                  f"{min(t['first_byte_s'] for t in d['runs']) * 1000:.0f} | {rows_count:,} | "
                  f"{rows_count / min(totals):,.0f} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000", help="learner counts, comma-separated")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--only", default="", help="page names to run, separated by | (names contain commas)")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"== {size:,} learners ==", flush=True)
        url, logins = prepare_database(args.database_url, size)
        server = Server(url, args.port, args.workers)
        bare = Server(url, args.port + 1, args.workers, wsgi_app="bench.bare:app", probe="/")
        try:
            results[size] = measure(server, bare, logins, args.duration, args.connections,
                                    {s.strip() for s in args.only.split("|") if s.strip()})
        finally:
            server.stop()
            bare.stop()
    for size, (rows, references) in results.items():
        print_table(size, rows, references)
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = results[sizes[0]][0], results[sizes[-1]][0]
        print(f"\n### throughput at {sizes[-1]:,} learners ÷ at {sizes[0]:,}\n")
        print("| page | ratio |")
        print("|---|---:|")
        for a, b in zip(small, large, strict=True):
            print(f"| {a['page']} | {b['rps'] / a['rps']:.2f} |" if a["rps"] else f"| {a['page']} | – |")
    (OUT / "results.json").write_text(json.dumps({str(k): v for k, v in results.items()}, indent=1,
                                                 ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
