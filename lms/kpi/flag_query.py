"""The KPI flagging rule of lms/kpi/flags.py as SQL conditions, for what has to count flags in one statement
(the header's to-do count): the latest value of an agent's KPI in the main period kind, on the wrong side of
the threshold that applies (the team's, else the centre's, else the file's), and whether a course was
already assigned in answer to that flag (lms/kpi/flag_assign.py). The two must agree: the tests compare
them on the same data."""

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from lms.accounts.models import User
from lms.kpi.models import KpiDefinition, KpiDirection, KpiFlagAssignment, KpiRecord, KpiThreshold, PeriodKind


def main_period_kind_expression(member_ids):
    """``main_period_kind`` in SQL: months when the agents have any monthly values, else weeks."""
    monthly = exists().where(KpiRecord.user_id.in_(member_ids), KpiRecord.period_kind == PeriodKind.MONTH)
    return case((monthly, PeriodKind.MONTH.value), else_=PeriodKind.WEEK.value)


def _override(record, team_id_column):
    """The latest threshold set for the record's KPI and this team (None: the centre's)."""
    scope = KpiThreshold.team_id.is_(None) if team_id_column is None else KpiThreshold.team_id == team_id_column
    return (select(KpiThreshold.value).where(KpiThreshold.kpi_id == record.kpi_id, scope)
            .order_by(KpiThreshold.set_at.desc(), KpiThreshold.id.desc()).limit(1).scalar_subquery())


def members_of(team_ids):
    """A select of the ids of the active members of these teams (a select or a list of team ids); its own
    alias of User, so that it never correlates with a query it is put in."""
    member = aliased(User)
    return select(member.id).where(member.team_id.in_(team_ids), member.is_active.is_(True))


def unanswered_flags(team_ids):
    """(record, conditions): the KPI records (an alias) that are flags of the active members of these teams
    with no course assigned in answer yet. The conditions expect User and KpiDefinition joined to the
    record: ``select(...).select_from(record).join(User, ...).join(KpiDefinition, ...)``."""
    member_ids = members_of(team_ids)
    record, newer = aliased(KpiRecord), aliased(KpiRecord)
    threshold = func.coalesce(_override(record, User.team_id), _override(record, None), KpiDefinition.threshold)
    latest = ~exists().where(newer.user_id == record.user_id, newer.kpi_id == record.kpi_id,
                             newer.period_kind == record.period_kind, newer.period_start > record.period_start)
    answered = exists().where(KpiFlagAssignment.user_id == record.user_id, KpiFlagAssignment.kpi_id == record.kpi_id,
                              KpiFlagAssignment.period_kind == record.period_kind,
                              KpiFlagAssignment.period_start == record.period_start)
    wrong_side = or_(and_(KpiDefinition.direction == KpiDirection.HIGHER, record.value < threshold),
                     and_(KpiDefinition.direction == KpiDirection.LOWER, record.value > threshold))
    conditions = (record.user_id.in_(member_ids), KpiDefinition.is_active.is_(True),
                  record.period_kind == main_period_kind_expression(member_ids), latest, wrong_side, ~answered)
    return record, conditions


def count_flagged_agents(team_ids):
    """A scalar SELECT: how many active members of these teams have a flag with no course assigned in answer."""
    record, conditions = unanswered_flags(team_ids)
    return (select(func.count(func.distinct(record.user_id))).select_from(record)
            .join(User, User.id == record.user_id).join(KpiDefinition, KpiDefinition.id == record.kpi_id)
            .where(*conditions))
