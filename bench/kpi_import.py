"""The KPI import at scale: a file of N agents × M months × every shipped KPI, imported by an administrator
through the same service as the import page (checked whole, then written), and imported again (every
value replaced). Each import runs in a child process of its own, which reports its time and its memory
above what it had before the import began, so the memory of generating the file is not counted.

    python -m bench.kpi_import [--agents 10000 --months 24] [--database-url postgresql://…]
"""

import argparse
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.memory import rss_mb

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parent.parent


def _app(url: str):
    os.environ["LMS_INSTANCE_PATH"] = str(OUT / "instance")
    from lms import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})


def _months(count: int) -> list[str]:
    return [f"{2024 + m // 12}-{m % 12 + 1:02d}" for m in range(count)]


def write_file(path: Path, agents: int, months: int, kpis: list) -> int:
    """The CSV: employee_number, period, then a column per KPI with values inside its range."""
    rng = random.Random(13)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(["employee_number", "period", *(k.code for k in kpis)]) + "\n")
        for i in range(agents):
            for month in _months(months):
                cells = [f"{rng.uniform(k.min_value + (k.max_value - k.min_value) * .2, k.max_value * .8):.{k.decimals}f}"
                         for k in kpis]
                out.write(f"BL{i:06d},{month}," + ",".join(cells) + "\n")
    return path.stat().st_size


def prepare(url: str | None, agents: int, months: int) -> tuple[str, Path]:
    OUT.mkdir(exist_ok=True)
    if url is None:
        db_path = OUT / f"kpi-{agents}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{db_path}"
    else:  # a database of its own on that server, created afresh (never the one the URL names)
        import psycopg

        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "lms_bench_kpi" WITH (FORCE)')
            conn.execute("CREATE DATABASE \"lms_bench_kpi\" TEMPLATE template0 ENCODING 'UTF8'")
        url = re.sub(r"/[^/?]*(\?|$)", r"/lms_bench_kpi\1", plain, count=1)
    app = _app(url)
    from flask_migrate import upgrade

    from bench.generate import generate_users_and_teams
    from lms.db import db
    from lms.kpi.definitions import active_kpis, sync_kpis
    from lms.kpi.loader import load_kpis

    with app.app_context():
        upgrade()
        generate_users_and_teams(agents)
        with app.test_request_context("/"):
            specs, errors = load_kpis(ROOT / "courses")
            assert not errors, errors
            sync_kpis(specs)
        db.session.commit()
        csv_path = OUT / f"kpi-{agents}x{months}.csv"
        size = write_file(csv_path, agents, months, active_kpis())
        db.engine.dispose()
    print(f"  {agents:,} agents × {months} months: {csv_path.name}, {size / 1e6:.1f} MB", flush=True)
    return url, csv_path


def measure(url: str, csv_path: Path) -> None:
    """(child process) Import the file once as the administrator and print seconds and memory."""
    app = _app(url)
    from sqlalchemy import select

    from lms.accounts.models import User
    from lms.db import db
    from lms.kpi.imports import import_kpis

    with app.app_context(), app.test_request_context("/"):
        admin = db.session.scalar(select(User).where(User.employee_no == "BADMIN"))
        data = csv_path.read_bytes()
        before = rss_mb()
        started, cpu = time.perf_counter(), time.process_time()
        outcome = import_kpis(data, csv_path.name, admin)
        assert outcome.record is not None, [str(e) for e in outcome.checked.errors[:5]]
        db.session.commit()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{seconds:.1f} {cpu:.1f} {outcome.record.values_written} {outcome.record.values_replaced} "
              f"{before:.0f} {peak:.0f} {os.getloadavg()[0]:.1f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", default="1000,10000", help="comma-separated sizes")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--database-url")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]))
        return 0
    print("| agents × months | values | file MB | first import s (CPU s) | re-import, all replaced s (CPU s) | "
          "RSS before MB | peak RSS MB | load average |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for agents in (int(a) for a in args.agents.split(",")):
        url, csv_path = prepare(args.database_url, agents, args.months)
        runs = []
        for _ in range(2):
            result = subprocess.run([sys.executable, "-m", "bench.kpi_import", "--measure", url, str(csv_path)],
                                    capture_output=True, text=True, cwd=ROOT, check=True)
            runs.append(result.stdout.split()[-7:])
        (first, cpu1, values, _r, before, peak1, load1), (second, cpu2, _v, replaced, _b, peak2, load2) = runs
        assert int(replaced) == int(values)
        print(f"| {agents:,} × {args.months} | {int(values):,} | {csv_path.stat().st_size / 1e6:.1f} | {first} ({cpu1}) | "
              f"{second} ({cpu2}) | {before} | {max(int(peak1), int(peak2))} | {load1}–{load2} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
