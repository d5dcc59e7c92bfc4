"""Notifications to managers about their teams' KPIs: an agent whose KPI a KPI import put on the wrong side
of its threshold. Told once per agent, KPI and period (a re-imported period is not told again), and only
when the agent crossed: the period before was on the right side, or there was none. An agent who stays
below is on the manager's to-do list and the KPI flags page, not in a mail every period."""

from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased, selectinload

from lms.accounts.models import Team, User
from lms.db import db
from lms.kpi.charts import period_label
from lms.kpi.definitions import active_kpis
from lms.kpi.flag_rules import wrong_side
from lms.kpi.labels import format_value
from lms.kpi.models import KpiImport, KpiRecord
from lms.kpi.thresholds import thresholds_for
from lms.notifications.kinds import Event, NotificationKind, mailable, register_kind
from lms.urls import external_url

IMPORT_DAYS = 2  # the daily run still tells of imports this recent (if the import's task did not)


def _latest_with_previous(*where):
    """(user id, KPI id, period kind, period start, value, previous value) of each KPI record that is its
    agent's latest for the KPI and that the conditions (callables of the record's alias) keep; the previous
    value is that of the period before. One statement."""
    record, newer, previous = aliased(KpiRecord), aliased(KpiRecord), aliased(KpiRecord)

    def same(other):
        return other.user_id == record.user_id, other.kpi_id == record.kpi_id, other.period_kind == record.period_kind

    previous_value = (select(previous.value).where(*same(previous), previous.period_start < record.period_start)
                      .order_by(previous.period_start.desc()).limit(1).scalar_subquery())
    latest = ~exists().where(*same(newer), newer.period_start > record.period_start)
    return db.session.execute(
        select(record.user_id, record.kpi_id, record.period_kind, record.period_start, record.value, previous_value)
        .join(User, User.id == record.user_id)
        .where(User.is_active.is_(True), User.team_id.is_not(None), latest, *(condition(record) for condition in where))).all()


def _crossing_events(*where) -> list[Event]:
    rows = _latest_with_previous(*where)
    if not rows:
        return []
    kpis = {k.id: k for k in active_kpis()}
    agents = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_({r[0] for r in rows})).options(selectinload(User.team)
                                                                      .selectinload(Team.managers)))}
    thresholds = thresholds_for(list(kpis.values()), {a.team_id for a in agents.values()})
    events = []
    for user_id, kpi_id, kind, period, value, before in rows:
        kpi, agent = kpis.get(kpi_id), agents[user_id]
        threshold = thresholds.for_team(kpi_id, agent.team_id) if kpi else None
        if threshold is None or not wrong_side(value, threshold, kpi.direction):
            continue
        if before is not None and wrong_side(before, threshold, kpi.direction):
            continue  # below already: not a crossing
        key = f"kpi:{user_id}:{kpi_id}:{kind}:{period.isoformat()}"
        for manager in agent.team.managers:
            if not mailable(manager) or manager.id == user_id:
                continue
            with force_locale(str(manager.locale)):  # the unit's words, in the recipient's language
                values = {"learner": agent.name, "kpi": kpi.name, "period": period_label(period, kind),
                          "value": format_value(value, kpi.unit, kpi.decimals),
                          "threshold": format_value(threshold, kpi.unit, kpi.decimals),
                          "link": external_url("kpi.flags", team_id=agent.team_id)}
            events.append(Event("kpi_below_threshold", manager, key, values))
    return events


def kpi_events_for(import_ids: list[int], _now: datetime) -> list[Event]:
    """The crossings the given imports brought (values they wrote that are still the latest)."""
    return _crossing_events(lambda record: record.import_id.in_(import_ids))


def recent_kpi_events(now: datetime) -> list[Event]:
    recent = select(KpiImport.id).where(KpiImport.created_at >= now - timedelta(days=IMPORT_DAYS))
    return _crossing_events(lambda record: record.import_id.in_(recent))


register_kind(NotificationKind(
    "kpi_below_threshold", "team_kpi", _l("KPI below threshold in your team: %(learner)s, %(kpi)s"),
    _l("%(learner)s in your team had %(kpi)s of %(value)s in %(period)s, which does not meet the threshold of "
       "%(threshold)s. The KPI flags page shows the courses that teach what this KPI measures, to assign them."),
    find=recent_kpi_events, for_ids=kpi_events_for, order=42))
