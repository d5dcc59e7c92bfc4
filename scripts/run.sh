#!/usr/bin/env bash
# Serve the app on http://127.0.0.1:5000 with gunicorn (as in production) and run the task-queue
# consumer beside it; Ctrl-C stops both.
set -eu
cd "$(dirname "$0")/.."
BIN=.venv/bin
# The local demo sends its Content-Security-Policy as report-only, so accessibility checkers that inject
# a script (axe-core through Playwright) can inspect it; production keeps the policy enforced.
export LMS_CSP_REPORT_ONLY="${LMS_CSP_REPORT_ONLY:-true}"
# Rate limits are shared by every worker through the local Redis when one answers on 127.0.0.1:6379;
# without it each worker counts on its own (the app logs a warning; README.md, Settings).
export LMS_RATELIMIT_STORAGE_URI="${LMS_RATELIMIT_STORAGE_URI:-auto}"
$BIN/huey_consumer lms.worker.huey --workers 1 --quiet &
consumer=$!
trap 'kill $consumer 2>/dev/null || true' EXIT INT TERM
echo
echo "The training platform is starting on http://127.0.0.1:5000"
echo "Demo logins (password demo-pass-2026): A0001 admin, T0001 trainer, M0001 manager, L0001 new hire"
echo
$BIN/gunicorn -c gunicorn.conf.py
