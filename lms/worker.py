"""Task-queue consumer entry point: ``huey_consumer lms.worker.huey``."""

import lms.mail  # noqa: F401  (register the tasks)
from lms.tasks import huey

__all__ = ["huey"]
