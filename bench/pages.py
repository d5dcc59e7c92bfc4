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
    ]
