"""Registers every evaluation page: importing a view module attaches its routes to the blueprints."""

from lms.evaluation import (  # noqa: F401 - routes and sections register on import
    action_views,
    levels13_sections,
    observation_views,
    report_views,
    survey_views,
)
from lms.evaluation.blueprints import admin_bp, bp

__all__ = ["admin_bp", "bp"]
