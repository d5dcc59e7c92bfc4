"""Task-queue consumer entry point: ``huey_consumer lms.worker.huey``.

The consumer finds a task by its module and name, so every module that declares tasks is imported here.
"""

import lms.api.framework  # noqa: F401
import lms.audit.services  # noqa: F401
import lms.certification.bulk  # noqa: F401
import lms.certification.credential_signing  # noqa: F401
import lms.certification.documents  # noqa: F401
import lms.exams.deadline  # noqa: F401
import lms.mail  # noqa: F401
import lms.notifications.hooks  # noqa: F401
import lms.notifications.team_report  # noqa: F401
import lms.webhooks.delivery  # noqa: F401
import lms.webhooks.tasks  # noqa: F401
from lms.tasks import huey

__all__ = ["huey"]
