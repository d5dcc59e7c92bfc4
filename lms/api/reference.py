"""The reference page's ready data, read from the OpenAPI document itself (pure: a dict in, lists out), so
the page and the document cannot disagree."""

from lms.api.labels import DOMAIN_LABELS

METHOD_ORDER = {"get": 0, "put": 1, "post": 2, "delete": 3}


def coded(text: str) -> list[tuple[str, bool]]:
    """A description's parts, each marked when it is code (written between backticks)."""
    return [(part, index % 2 == 1) for index, part in enumerate((text or "").split("`")) if part]


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


def type_text(schema: dict, components: dict) -> str:
    """A schema's type in a few words: string, integer, array of UserItem, string or null …"""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_text(s, components) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if schema.get("type") == "array":
        return f"array of {type_text(schema.get('items', {}), components)}"
    if schema.get("type") == "object" and "additionalProperties" in schema:
        return f"object of {type_text(schema['additionalProperties'], components)}"
    return str(schema.get("type", schema.get("format", "any")))


def fields(schema: dict, components: dict) -> list[dict]:
    schema = _resolve(schema, components)
    required = set(schema.get("required", []))
    return [{"name": name, "type": type_text(prop, components), "required": name in required,
             "description": coded(prop.get("description", ""))}
            for name, prop in schema.get("properties", {}).items()]


def _operation(path: str, method: str, op: dict, components: dict) -> dict:
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    ok = next((r for code, r in sorted(op.get("responses", {}).items()) if code.startswith("2")), {})
    ok_schema = ok.get("content", {}).get("application/json", {}).get("schema")
    return {
        "method": method.upper(), "path": path, "summary": op.get("summary", ""),
        "description": coded(op.get("description", "")), "id": op.get("operationId", ""),
        "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                        "type": type_text(p.get("schema", {}), components), "description": coded(p.get("description", ""))}
                       for p in op.get("parameters", [])],
        "body": fields(body, components) if body else [],
        "body_name": type_text(body, components) if body else "",
        "answer": fields(ok_schema, components) if ok_schema else [],
        "answer_name": type_text(ok_schema, components) if ok_schema else "",
        "statuses": sorted(op.get("responses", {})),
    }


def sections(document: dict) -> list[dict]:
    """The operations grouped by domain, in the order of the scopes' domains."""
    components = document.get("components", {}).get("schemas", {})
    grouped: dict[str, list] = {}
    for path, methods in document.get("paths", {}).items():
        for method, op in methods.items():
            tag = (op.get("tags") or ["other"])[0]
            grouped.setdefault(tag, []).append(_operation(path, method, op, components))
    order = list(DOMAIN_LABELS)
    return [{"tag": tag, "label": DOMAIN_LABELS.get(tag, tag),
             "operations": sorted(ops, key=lambda o: (o["path"], METHOD_ORDER.get(o["method"].lower(), 9)))}
            for tag, ops in sorted(grouped.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)]
