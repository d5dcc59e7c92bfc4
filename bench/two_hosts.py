"""Two app hosts side by side: two gunicorn servers (gunicorn.conf.py, the same settings and secret key) on
one PostgreSQL database with a generated organisation, loaded by wrk on one host alone and then on both at
once (the same number of connections in all, split between the hosts), on the app's trivial route and on a
learner's home page. The session cookie is made on host A and used on both (sessions are server-side rows).

    python -m bench.two_hosts --database-url postgresql://postgres@127.0.0.1:5432/test
    python -m bench.two_hosts --database-url … --size 1000 --duration 5 --workers 2

On one machine the two hosts share its cores, so "both" measures that nothing serialises the hosts (a lock,
a shared file), not a doubling; on two machines each host brings its own cores.
"""

import argparse
import shutil
import sys
import threading

from bench.run import OUT, ROOT, Server, prepare_database, run_wrk

TARGETS = [("app trivial route", "/_bench/trivial", None), ("learner home", "/", "learner")]


def _warm(base: str, path: str, cookie: str | None) -> None:
    for _ in range(5):  # each worker builds its own caches and compiles its templates
        result = run_wrk(base + path, cookie, 1, 2)
        if result["requests"] and not result["errors"] and result["max"] < 500_000:
            return


def load_together(bases: list[str], path: str, cookie: str | None, duration: int, connections: int) -> dict:
    """wrk on every base at once, the connections split between them; the sum of their req/s."""
    results: list[dict] = [{}] * len(bases)
    share = max(1, connections // len(bases))

    def one(i: int) -> None:
        results[i] = run_wrk(bases[i] + path, cookie, duration, share, script_name=f"report-{i}.lua")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(bases))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"rps": sum(r["rps"] for r in results), "each": [r["rps"] for r in results],
            "errors": sum(r["errors"] + r["non2xx"] for r in results),
            "p50": max(r["p50"] for r in results), "p95": max(r["p95"] for r in results)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="PostgreSQL URL (two hosts need a shared server)")
    parser.add_argument("--size", type=int, default=1000, help="learners")
    parser.add_argument("--duration", type=int, default=5, help="seconds per load")
    parser.add_argument("--connections", type=int, default=8, help="in all, split between the hosts")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per host")
    parser.add_argument("--port", type=int, default=5097, help="host A's port; host B takes the next")
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        sys.exit("two hosts share a PostgreSQL database: give --database-url postgresql://…")
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    print(f"== {args.size:,} learners, two hosts of {args.workers} workers ==", flush=True)
    url, logins = prepare_database(args.database_url, args.size, name="lms_bench_two_hosts")
    host_a = Server(url, args.port, args.workers)
    host_b = Server(url, args.port + 1, args.workers)
    try:
        from bench.generate import BENCH_PASSWORD

        cookies = {"learner": host_a.session_cookie(logins["learner"], BENCH_PASSWORD)}
        rows = []
        for name, path, role in TARGETS:
            cookie = cookies.get(role) if role else None
            for base in (host_a.base, host_b.base):
                _warm(base, path, cookie)
            one = load_together([host_a.base], path, cookie, args.duration, args.connections)
            both = load_together([host_a.base, host_b.base], path, cookie, args.duration, args.connections)
            print(f"  {name:20} one host {one['rps']:7.0f} req/s   both {both['rps']:7.0f} req/s "
                  f"({' + '.join(f'{r:.0f}' for r in both['each'])})   errors {one['errors'] + both['errors']}",
                  flush=True)
            rows.append((name, one, both))
    finally:
        host_a.stop()
        host_b.stop()
    print("\n| route | one host req/s | two hosts req/s | two ÷ one | p95 ms one / two | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, one, both in rows:
        print(f"| {name} | {one['rps']:.0f} | {both['rps']:.0f} | {both['rps'] / max(one['rps'], 1):.2f} | "
              f"{one['p95'] / 1000:.1f} / {both['p95'] / 1000:.1f} | {one['errors'] + both['errors']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
