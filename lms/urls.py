"""URL building that also works outside a request (CLI commands, tasks)."""

from flask import current_app, has_request_context, url_for


def path_for(endpoint: str, **values) -> str:
    """The path of an endpoint, e.g. '/standards/items/4.1.1-a', with or without a request."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return url_for(endpoint, **values)


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on the configured public address (for e-mail and QR codes)."""
    return current_app.config["BASE_URL"].rstrip("/") + path_for(endpoint, **values)
