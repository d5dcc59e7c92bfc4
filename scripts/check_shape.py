"""The code-shape rules ruff cannot check (docs/architecture.md explains them).

    python scripts/check_shape.py     # exit status 1 and one line per breach

- a view function (any function decorated with a blueprint's ``route``) is at most 25 lines long;
- no module under lms/ passes 450 lines;
- no view module calls ``commit()`` or ``rollback()``: a request commits once at its end (lms/db.py);
- no view module reads ``request.form`` by hand: forms are WTForms classes in the domain's forms.py.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_VIEW_LINES = 25
MAX_MODULE_LINES = 450


def _is_route(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr == "route"


def _is_view_module(path: Path) -> bool:
    return path.name == "views.py" or path.name.endswith("_views.py")


def breaches(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted((root / "lms").rglob("*.py")):
        rel = path.relative_to(root)
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n") + (0 if source.endswith("\n") else 1)
        if lines > MAX_MODULE_LINES:
            found.append(f"{rel}: {lines} lines (a module stays within {MAX_MODULE_LINES}; split it by job)")
        tree = ast.parse(source, filename=str(rel))
        view_module = _is_view_module(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(_is_route(d) for d in node.decorator_list):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_VIEW_LINES:
                    found.append(f"{rel}:{node.lineno}: view {node.name} has {length} lines "
                                 f"(at most {MAX_VIEW_LINES}; move the work into a service)")
            if not view_module:
                continue
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("commit", "rollback")):
                found.append(f"{rel}:{node.lineno}: {node.func.attr}() in a view module "
                             "(the request commits once at its end; see lms/db.py)")
            if (isinstance(node, ast.Attribute) and node.attr == "form" and isinstance(node.value, ast.Name)
                    and node.value.id == "request"):
                found.append(f"{rel}:{node.lineno}: request.form read by hand (use a form class from forms.py)")
    return found


def main() -> int:
    found = breaches()
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
