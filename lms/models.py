"""Import every model so that Alembic and create_all see the whole schema."""

from lms.accounts.models import *  # noqa: F403
from lms.api.models import *  # noqa: F403
from lms.audit.models import *  # noqa: F403
from lms.calls.models import *  # noqa: F403
from lms.cases.models import *  # noqa: F403
from lms.certification.models import *  # noqa: F403
from lms.classroom.models import *  # noqa: F403
from lms.competitions.models import *  # noqa: F403
from lms.content.phrases import ContentPhrase  # noqa: F401
from lms.courses.models import *  # noqa: F403
from lms.evaluation.models import *  # noqa: F403
from lms.exams.models import *  # noqa: F403
from lms.generations import DataGeneration  # noqa: F401
from lms.kpi.models import *  # noqa: F403
from lms.media.models import *  # noqa: F403
from lms.mentoring.models import *  # noqa: F403
from lms.notifications.models import *  # noqa: F403
from lms.privacy.models import *  # noqa: F403
from lms.search.models import *  # noqa: F403
from lms.standards.models import *  # noqa: F403
from lms.webhooks.models import *  # noqa: F403
