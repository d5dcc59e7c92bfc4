"""Autosave cost in process: CPU seconds per save, measured with the Flask test client on the soak's exam.

    python -m bench.autosave_cpu [--saves 3000] [--database-url postgresql://…]

The soak (bench/exam_soak.py) measures throughput through gunicorn, which needs a quiet machine: on a
loaded one its figures move by a factor of four between runs. This measures what a request costs the
app's own process — process CPU time, which other load on the machine does not inflate — so two checkouts
can be compared on a busy machine. On PostgreSQL the database server's share is not in the figure (it is
another process); the statement count per save is printed beside it.
"""

import argparse
import json
import re
import statistics
import time

from sqlalchemy import event

from bench.exam_soak import EXAM, PASSWORD, prepare


def measure(url: str, employee_no: str, saves: int, rounds: int) -> dict:
    from lms import create_app
    from lms.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"identifier": employee_no, "password": PASSWORD, "csrf_token": token})
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get(f"/exams/{EXAM}").get_data(as_text=True)).group(1)
    attempt_url = client.post(f"/exams/{EXAM}/start", data={"csrf_token": token}).headers["Location"]
    attempt_id = int(attempt_url.rstrip("/").rsplit("/", 1)[1])
    html = client.get(f"{attempt_url}?page=1").get_data(as_text=True)
    values = sorted(set(re.findall(r'name="q1" value="([^"]+)"', html)))
    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
    per_save, sequence = [], 0
    for _ in range(rounds):
        began_cpu, began_wall, statements[0] = time.process_time(), time.perf_counter(), 0
        for i in range(saves):
            sequence += 1
            response = client.post(f"/exams/attempts/{attempt_id}/save", data={
                "csrf_token": token, "position": 1, "sequence": sequence, "q1": values[i % len(values)]})
            assert response.get_json().get("saved"), response.get_data(as_text=True)[:200]
        per_save.append({"cpu_ms": 1000 * (time.process_time() - began_cpu) / saves,
                         "wall_ms": 1000 * (time.perf_counter() - began_wall) / saves,
                         "statements": statements[0] / saves})
    return {
        "database": url.split(":", 1)[0],
        "saves_per_round": saves,
        "cpu_ms_per_save": [round(r["cpu_ms"], 3) for r in per_save],
        "cpu_ms_min": round(min(r["cpu_ms"] for r in per_save), 3),
        "cpu_ms_median": round(statistics.median(r["cpu_ms"] for r in per_save), 3),
        "wall_ms_median": round(statistics.median(r["wall_ms"] for r in per_save), 3),
        "statements_per_save": per_save[-1]["statements"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url, employee_nos = prepare(args.database_url, 2)
    print(json.dumps(measure(url, employee_nos[0], args.saves, args.rounds), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
