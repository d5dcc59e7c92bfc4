"""The evaluation domain's two blueprints. Its pages are split by job over several view modules
(``survey_views``, ``observation_views``, ``report_views``, ``action_views``), all imported by
``lms/evaluation/views.py`` so that registering the blueprints registers every route."""

from flask import Blueprint

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")
admin_bp = Blueprint("evaluation_admin", __name__, url_prefix="/evaluation/manage")
