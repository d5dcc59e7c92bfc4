"""Gunicorn settings used by `make run`, the benchmarks and production (override with GUNICORN_CMD_ARGS)."""

import multiprocessing
import os

bind = os.environ.get("LMS_BIND", "127.0.0.1:5000")
# Sync workers: measured here, gthread raised throughput slightly but made p99 several times worse.
worker_class = "sync"
workers = int(os.environ.get("LMS_WORKERS", max(2, multiprocessing.cpu_count())))
timeout = 60
graceful_timeout = 30
# The app is built once in the master and workers are forked from it: a new worker (at start, and each
# time one is recycled after max_requests) serves at once instead of spending seconds importing and
# building the app while requests queue behind it (issue 11: p95 of 1.5 s on a 2 ms route).
preload_app = True
max_requests = 5000
max_requests_jitter = 500
accesslog = "-" if os.environ.get("LMS_ACCESS_LOG") else None
errorlog = "-"
control_socket_disable = True
wsgi_app = "lms.wsgi:app"


def when_ready(server):
    # Once per server start, in the master (the app is preloaded): SQLite's query planner gets statistics
    # (lms/db.py refresh_planner_statistics; nothing on PostgreSQL), committed before any worker forks.
    app = server.app.wsgi()
    if "sqlalchemy" not in getattr(app, "extensions", {}):  # the benchmark's bare reference app
        return
    from lms.db import db, refresh_planner_statistics

    with app.app_context():
        refresh_planner_statistics()
        db.session.commit()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def post_fork(server, _worker):
    # Nothing in the master opens a database connection, but a forked worker must never share one: each
    # worker starts with empty connection pools whatever the master did.
    app = server.app.wsgi()
    if "sqlalchemy" not in getattr(app, "extensions", {}):  # the benchmark's bare reference app
        return
    from lms.db import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


def worker_exit(server, _worker):
    # A worker leaving (recycled after max_requests, or at shutdown) has finished its last request. Left
    # to Python, tearing down the interpreter's modules and objects took about a second, during which the
    # master does not yet start its replacement; the worker runs its own clean-up (the app's connection
    # pools, then the atexit handlers: the PDF renderer, logging) and leaves at once. Measured with
    # max_requests 300 under wrk: 266 → 924 req/s, p99 1.55 s → 98 ms (bench/README.md).
    import atexit
    import sys

    app = server.app.wsgi()
    if "sqlalchemy" in getattr(app, "extensions", {}):
        from lms.db import db

        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
