"""The app's fixed cost per request, in process: CPU time of the app's trivial route (every hook of the
middleware chain, no server) beside the bare Flask app of bench/bare.py, and optionally a profile.

    python -m bench.request_cost                     # 3 rounds of 5,000 requests each
    python -m bench.request_cost --profile 20        # and the 20 costliest calls of the app's chain
    python -m bench.request_cost --path /login       # another anonymous route

Process CPU time, so a busy machine changes the figures less than it changes a served benchmark's.
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time

from werkzeug.test import EnvironBuilder


def cpu_per_request(app, path: str, count: int) -> float:
    environ = EnvironBuilder(path=path).get_environ()

    def start_response(_status, _headers, _exc_info=None):
        return None

    def once():
        body = app(dict(environ), start_response)
        b"".join(body)
        getattr(body, "close", lambda: None)()

    for _ in range(200):  # warm up: imports, first-request work, caches
        once()
    started = time.process_time()
    for _ in range(count):
        once()
    return (time.process_time() - started) / count * 1e6


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--path", default="/_bench/trivial")
    parser.add_argument("--profile", type=int, default=0, help="print this many of the costliest calls")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="lms-request-cost-")
    os.environ["LMS_INSTANCE_PATH"] = folder
    from flask_migrate import upgrade

    from bench.bare import app as bare
    from lms import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/cost.sqlite3", "TESTING": False,
                      "BENCH_ROUTES": True, "SECRET_KEY": "request-cost"})
    with app.app_context():
        upgrade()
    print("| round | bare Flask µs | app µs | bare ÷ app |\n|---:|---:|---:|---:|")
    for round_no in range(1, args.rounds + 1):
        h = cpu_per_request(bare, "/", args.requests)
        t = cpu_per_request(app, args.path, args.requests)
        print(f"| {round_no} | {h:.0f} | {t:.0f} | {h / t:.2f} |", flush=True)
    if args.profile:
        environ = EnvironBuilder(path=args.path).get_environ()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(2000):
            b"".join(app(dict(environ), lambda *_: None))
        profile.disable()
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
