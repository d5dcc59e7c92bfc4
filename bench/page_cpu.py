"""CPU time of signed-in pages, in process (test client, no server), on the generated organisation of
`bench.run` (bench/out/bench-SIZE.sqlite3, generated here if missing). Process CPU time, so a busy machine
changes the figures less than a served benchmark's; compare two checkouts by running each in turn.

    python -m bench.page_cpu                                  # the learner pages, 1,000 learners, 3 rounds
    python -m bench.page_cpu --size 100000 --role manager /board/
    python -m bench.page_cpu --profile /courses/             # and the costliest calls of one page
    python -m bench.page_cpu --database-url postgresql://postgres@127.0.0.1:5432/lms_bench --statements \
        --role manager /certification/team                   # the data bench.run left; the slowest statements

With --database-url the database is used as it is (the organisation bench.run generated last); on
PostgreSQL the figure leaves out the database server's own CPU, so --statements prints each statement's
wall time (the slowest five of one request), which includes it.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time

from bench.run import OUT, prepare_database

LEARNER_PAGES = ["/", "/courses/", "/courses/PRO-205", "/courses/PRO-205/lessons/respond-and-apologise",
                 "/standards/4", "/todo"]
LOGINS = {"learner": "BL000000", "trainer": "BTRAINER", "manager": "BM00000", "admin": "BADMIN"}


def signed_in_client(size: int, role: str, database_url: str | None = None):
    path = OUT / f"bench-{size}.sqlite3"
    url = database_url or f"sqlite:///{path}"
    if database_url is None and not path.exists():
        url, _logins = prepare_database(None, size)
    os.environ["LMS_INSTANCE_PATH"] = str(OUT / "instance")
    from bench.generate import BENCH_PASSWORD
    from lms import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    response = client.post("/login", data={"identifier": LOGINS[role], "password": BENCH_PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"could not sign in as {LOGINS[role]} ({response.status_code})")
    return client


def cpu_ms(client, path: str, count: int) -> float:
    for _ in range(3):  # warm: first-request work and caches
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    started = time.process_time()
    for _ in range(count):
        client.get(path)
    return (time.process_time() - started) / count * 1000


def slowest_statements(client, path: str, shown: int = 5) -> None:
    """One request's statements, by wall time (the database server's work included)."""
    from sqlalchemy import event

    from lms.db import db

    timings = []

    def before(conn, _cursor, statement, _parameters, context, _many):
        context._bench_started = time.perf_counter()

    def after(conn, _cursor, statement, _parameters, context, _many):
        timings.append(((time.perf_counter() - context._bench_started) * 1000, " ".join(statement.split())))

    with client.application.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    client.get(path)
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    print(f"\n{path}: {len(timings)} statements, {sum(t for t, _ in timings):.1f} ms in all")
    for ms, statement in sorted(timings, reverse=True)[:shown]:
        print(f"  {ms:7.1f} ms  {statement[:400]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=LEARNER_PAGES)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--role", choices=sorted(LOGINS), default="learner")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help="one of the paths: print its 40 costliest calls")
    parser.add_argument("--database-url", help="a database bench.run filled (used as it is)")
    parser.add_argument("--statements", action="store_true", help="each path's five slowest statements")
    args = parser.parse_args(argv)
    client = signed_in_client(args.size, args.role, args.database_url)
    print("| page | " + " | ".join(f"round {n} ms" for n in range(1, args.rounds + 1)) + " |")
    print("|---|" + "---:|" * args.rounds)
    for path in args.paths:
        figures = [cpu_ms(client, path, args.requests) for _ in range(args.rounds)]
        print(f"| {path} | " + " | ".join(f"{f:.2f}" for f in figures) + " |", flush=True)
    if args.statements:
        for path in args.paths:
            slowest_statements(client, path)
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            client.get(args.profile)
        profile.disable()
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
