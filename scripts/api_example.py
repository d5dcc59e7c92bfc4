"""An example client of the API (/api/v1), as an HR or QA system would write one: standard library only.

    LMS_API_TOKEN=lms_svc_… python scripts/api_example.py --base http://127.0.0.1:5000 provision 50
    LMS_API_TOKEN=lms_svc_… python scripts/api_example.py --base … push-kpis 2026-11 --people 50 [--bad 17]

``provision`` creates (or brings up to date) N people HR0001… in one all-or-nothing bulk request and
prints how many were created, changed and left unchanged: running it again changes nothing.
``push-kpis`` pushes a month of first-contact-resolution values for them; ``--bad`` spoils one item to
show the refusal, which names the item. Prints the API's JSON answer; exits 1 when the API refuses.
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.request


def call(base: str, method: str, path: str, body=None) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{base.rstrip('/')}/api/v1{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {os.environ['LMS_API_TOKEN']}", "Content-Type": "application/json",
                 "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def people(count: int, team: str | None) -> list[dict]:
    return [{"employee_no": f"HR{n:04d}", "name": f"新進客服{n:02d}", "email": f"hr{n:04d}@example.com",
             "hire_date": "2026-11-02", "team": team, "roles": ["learner"]} for n in range(1, count + 1)]


def kpis(period: str, count: int, bad: int | None) -> list[dict]:
    items = [{"employee_no": f"HR{n:04d}", "period": period, "values": {"fcr": 70 + n % 20}}
             for n in range(1, count + 1)]
    if bad is not None:
        items[bad]["values"]["fcr"] = 170  # a rate above 100 %
    return items


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    commands = parser.add_subparsers(dest="command", required=True)
    provision = commands.add_parser("provision")
    provision.add_argument("count", type=int)
    provision.add_argument("--team", default=None)
    push = commands.add_parser("push-kpis")
    push.add_argument("period")
    push.add_argument("--people", type=int, default=50)
    push.add_argument("--bad", type=int, default=None)
    args = parser.parse_args(argv)
    if args.command == "provision":
        status, answer = call(args.base, "POST", "/users/bulk", {"items": people(args.count, args.team)})
    else:
        status, answer = call(args.base, "POST", "/kpi/records", {"items": kpis(args.period, args.people, args.bad)})
    print(json.dumps(answer, ensure_ascii=False))
    return 0 if status < 400 else 1


if __name__ == "__main__":
    sys.exit(main())
