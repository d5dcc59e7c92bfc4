"""Import every model so that Alembic and create_all see the whole schema."""

from lms.accounts.models import *  # noqa: F403
from lms.audit.models import *  # noqa: F403
from lms.catalogue.models import *  # noqa: F403
from lms.certification.models import *  # noqa: F403
from lms.quizzes.models import *  # noqa: F403
from lms.scenarios.models import *  # noqa: F403
from lms.search.models import *  # noqa: F403
from lms.standards.models import *  # noqa: F403
