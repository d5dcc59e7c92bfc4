"""The pages the benchmark measures: (name, path, role). Each domain adds its pages here."""


def pages(logins: dict) -> list[tuple[str, str, str | None]]:
    return [
        ("login page", "/login", None),
        ("learner home", "/", "learner"),
        ("admin: user list", "/admin/users", "admin"),
        ("admin: user search", "/admin/users?q=BL00001", "admin"),
        ("admin: audit log", "/admin/audit/", "admin"),
    ]
