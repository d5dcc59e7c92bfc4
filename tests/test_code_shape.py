"""scripts/check_shape.py, the lint for what ruff cannot see: it finds each breach, and the project has none."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _checker():
    spec = importlib.util.spec_from_file_location("check_shape", ROOT / "scripts" / "check_shape.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_project_keeps_its_shape():
    assert _checker().breaches() == []


def test_each_breach_is_reported(tmp_path):
    package = tmp_path / "lms" / "things"
    package.mkdir(parents=True)
    body = "\n".join(f"    x{i} = {i}" for i in range(30))
    (package / "views.py").write_text(
        "from flask import request\n\n\n@bp.route('/')\ndef long_view():\n" + body + "\n"
        "    db.session.commit()\n    return request.form.get('x')\n", encoding="utf-8")
    (package / "services.py").write_text("\n".join(f"x{i} = {i}" for i in range(460)) + "\n", encoding="utf-8")
    found = _checker().breaches(tmp_path)
    assert any("view long_view has 33 lines" in line for line in found)
    assert any("commit() in a view module" in line for line in found)
    assert any("request.form read by hand" in line for line in found)
    assert any("services.py: 460 lines" in line for line in found)
