"""The readiness board as CSV at scale: an administrator downloads every person of the organisation
(/board/export.csv, every team, no filter), read as it is streamed. Each size runs in a child process of its
own, which reports the rows, the seconds and the CPU seconds, the time per row, and its memory: before the
request and the highest resident size sampled every 1,000 rows while the file is read.

    python -m bench.csv_export [--sizes 10000,100000] [--database-url postgresql://…]

It uses the benchmark's generated organisation (bench/generate.py); a SQLite file that ``python -m bench.run``
left in bench/out for that size is reused when it is at the current schema (``--fresh`` generates anew).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.memory import rss_mb

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def _app(url: str):
    os.environ["LMS_INSTANCE_PATH"] = str(OUT / "instance")
    from lms import create_app

    # The login form's CSRF token is not what is measured here.
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "RATELIMIT_ENABLED": False,
                       "WTF_CSRF_ENABLED": False})


def _current_schema(url: str) -> bool:
    """Whether the database is at the newest migration (a file from an older checkout is generated anew)."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    engine.dispose()
    return bool(current) and current == set(ScriptDirectory(str(ROOT / "migrations")).get_heads())


def database_for(size: int, url: str | None, fresh: bool) -> str:
    path = OUT / f"bench-{size}.sqlite3"
    if url is None and not fresh and path.exists() and _current_schema(f"sqlite:///{path}"):
        print(f"  {size:,} learners: reusing {path.name}", flush=True)
        return f"sqlite:///{path}"
    from bench.run import prepare_database

    url, _logins = prepare_database(url, size)
    return url


def measure(url: str) -> None:
    """(child process) Download the whole board as the administrator and print what it cost."""
    from bench.generate import BENCH_PASSWORD

    app = _app(url)
    client = app.test_client()
    response = client.post("/login", data={"identifier": "BADMIN", "password": BENCH_PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    before = peak = rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get("/board/export.csv", buffered=False)
    assert response.status_code == 200, response.status_code
    rows, pending, size = 0, 0, 0
    for chunk in response.response:
        data = chunk.encode() if isinstance(chunk, str) else chunk
        size += len(data)
        lines = data.count(b"\n")
        rows += lines
        pending += lines
        if pending >= 1000:
            pending = 0
            peak = max(peak, rss_mb())
    response.close()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = max(peak, rss_mb())
    people = rows - 1  # the header
    print(f"{people} {size} {seconds:.2f} {cpu:.2f} {before:.0f} {peak:.0f} {os.getloadavg()[0]:.1f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="learner counts, comma-separated")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--fresh", action="store_true", help="generate the organisation even if a file exists")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        measure(args.measure)
        return 0
    OUT.mkdir(exist_ok=True)
    lines = []
    for size in (int(s) for s in args.sizes.split(",")):
        url = database_for(size, args.database_url, args.fresh)
        result = subprocess.run([sys.executable, "-m", "bench.csv_export", "--measure", url], capture_output=True,
                                text=True, cwd=ROOT)
        if result.returncode != 0:
            print(result.stderr[-3000:], file=sys.stderr)
            return result.returncode
        people, size_bytes, seconds, cpu, before, peak, load = result.stdout.split()[-7:]
        per_row = float(seconds) / max(1, int(people)) * 1e6
        lines.append(f"| {size:,} | {int(people):,} | {int(size_bytes) / 1e6:.1f} | {seconds} ({cpu}) | "
                     f"{per_row:.0f} | {before} | {peak} | {int(peak) - int(before)} | {load} |")
    print("| learners | rows | MB | seconds (CPU s) | µs per row | RSS before MB | peak RSS MB | growth MB | load |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
