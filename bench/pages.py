"""The pages the benchmark measures: (name, path, role). Each domain adds its pages here."""


def pages(logins: dict) -> list[tuple[str, str, str | None]]:
    return [
        ("login page", "/login", None),
        ("learner home", "/", "learner"),
        ("catalogue", "/courses/", "learner"),
        ("catalogue search 投訴", "/courses/?q=%E6%8A%95%E8%A8%B4", "learner"),
        ("course page", "/courses/PRO-205", "learner"),
        ("lesson page", "/courses/PRO-205/lessons/respond-and-apologise", "learner"),
        ("standards chapter", "/standards/4", "learner"),
        ("standards search 投訴", "/standards/search?q=%E6%8A%95%E8%A8%B4", "learner"),
        ("manager: team progress", "/courses/team", "manager"),
        ("coverage matrix", "/standards/coverage", "trainer"),
        ("certification: my programmes", "/certification/", "learner"),
        ("certification: team states", "/certification/team", "manager"),
        ("certification: everyone, page 1", "/certification/team", "trainer"),
        ("admin: user list", "/admin/users", "admin"),
        ("admin: user search", "/admin/users?q=BL00001", "admin"),
        ("admin: audit log", "/admin/audit/", "admin"),
        ("admin: personal data, departed people", "/admin/privacy/", "admin"),
        ("manager: team report", f"/evaluation/manage/reports/team/{logins['team_id']}", "manager"),
        ("trainer: programme report", "/evaluation/manage/reports/programme/rep-level-1", "trainer"),
        ("trainer: course report", "/evaluation/manage/reports/course/PRO-205", "trainer"),
        ("manager: improvement actions", "/evaluation/manage/actions/", "manager"),
        ("learner: my learning", "/evaluation/my-learning", "learner"),
        ("manager: team KPIs", "/kpi/team", "manager"),
        ("manager: KPIs below threshold", "/kpi/flags", "manager"),
        ("manager: readiness board", "/board/", "manager"),
        ("admin: readiness board, every team, page 1", "/board/", "admin"),
        ("admin: readiness board, overdue by expiry", "/board/?status=overdue&sort=expiry", "admin"),
        ("manager: a person's record", f"/board/people/{logins['some_user_id']}", "manager"),
        ("manager: readiness board as CSV", "/board/export.csv", "manager"),
        ("learner: to-do", "/todo", "learner"),
        ("trainer: to-do", "/todo", "trainer"),
        ("manager: to-do", "/todo", "manager"),
        ("trainer home (queues)", "/", "trainer"),
        ("learner: classroom sessions", "/classroom/", "learner"),
        ("trainer: classroom sessions", "/classroom/", "trainer"),
        ("learner: case library", "/cases/", "learner"),
        ("learner: search with the cases 轉接", "/search/?q=%E8%BD%89%E6%8E%A5", "learner"),
        ("trainer: cases to review", "/cases/manage/", "trainer"),
        ("learner: skill competitions", "/competitions/", "learner"),
        # The API's reads take a bearer token, which the harness's cookie logins do not send; its public
        # document is built once per process from the operations' models.
        ("API: OpenAPI document", "/api/v1/openapi.json", None),
    ]


def downloads(logins: dict) -> list[tuple[str, str, str | None]]:
    """Files that grow with the organisation (a CSV of everyone): a person waits for the whole file once,
    so each is timed whole (first byte, last byte, rows) rather than loaded by wrk."""
    return [
        ("admin: readiness board as CSV, every team", "/board/export.csv", "admin"),
    ]
