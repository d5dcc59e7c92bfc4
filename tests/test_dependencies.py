"""Package dependencies run one way: the shared building blocks import no domain, and the whole-tree
importer (lms/curriculum) depends on the domains, never the other way round."""

import ast
from pathlib import Path

import pytest

LMS = Path(__file__).resolve().parent.parent / "lms"
PACKAGES = sorted(p.name for p in LMS.iterdir() if (p / "__init__.py").is_file())


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def lms_packages_imported(path: Path) -> set[str]:
    return {name.split(".")[1] for name in imported_modules(path)
            if name.startswith("lms.") and name.split(".")[1] in PACKAGES}


def test_the_packages_are_found():
    assert {"accounts", "content", "curriculum", "standards", "search"} <= set(PACKAGES)


@pytest.mark.parametrize("path", sorted((LMS / "content").rglob("*.py")), ids=lambda p: p.name)
def test_content_imports_no_domain(path):
    assert lms_packages_imported(path) <= {"content"}


def test_db_does_not_import_search():
    assert not any(name == "lms.search" or name.startswith("lms.search.") for name in imported_modules(LMS / "db.py"))


def test_only_the_cli_uses_the_curriculum_package():
    users = {path.relative_to(LMS).as_posix() for path in LMS.rglob("*.py")
             if "curriculum" in lms_packages_imported(path) and path.parent.name != "curriculum"}
    assert users <= {"cli.py"}
