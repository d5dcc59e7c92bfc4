"""The task consumer knows every task: a task declared in a module the worker does not import would sit
in the queue for ever."""

import importlib.util
import pkgutil
import subprocess
import sys
from pathlib import Path

import lms
import lms.worker


def test_the_worker_registers_every_task_declared_in_the_package():
    from lms.tasks import huey

    declared = set()
    for module in pkgutil.walk_packages(lms.__path__, "lms."):
        if module.ispkg:
            continue
        source = importlib.util.find_spec(module.name).origin or ""
        if source.endswith(".py") and "@app_task(" in Path(source).read_text(encoding="utf-8"):
            declared.add(module.name)
    # In a process of its own that imports only the worker, as huey_consumer does: in this one the app (and
    # every module it imports) already registered its tasks, which hid a module the worker never imported.
    script = "import lms.worker\nfor name in lms.worker.huey._registry._registry: print(name)"
    listed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    registered = {name.rsplit(".", 1)[0] for name in listed.split()}
    assert lms.worker.huey is huey
    assert declared and declared <= registered, declared - registered
