"""Gunicorn settings used by `make run`, the benchmarks and production (override with GUNICORN_CMD_ARGS)."""

import multiprocessing
import os

bind = os.environ.get("LMS_BIND", "127.0.0.1:5000")
# Sync workers: measured here, gthread raised throughput slightly but made p99 several times worse.
worker_class = "sync"
workers = int(os.environ.get("LMS_WORKERS", max(2, multiprocessing.cpu_count())))
timeout = 60
graceful_timeout = 30
max_requests = 5000
max_requests_jitter = 500
accesslog = "-" if os.environ.get("LMS_ACCESS_LOG") else None
errorlog = "-"
control_socket_disable = True
wsgi_app = "lms.wsgi:app"
