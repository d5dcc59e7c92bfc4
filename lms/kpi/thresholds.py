"""KPI thresholds: the file's default per KPI (courses/kpis.yaml), overridden for the whole centre or for one
team in the browser. Trainers and admins set any; managers set their own teams' only."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import or_, select

from lms.accounts.models import Role, Team, User
from lms.audit.labels import CENTRE_SCOPE
from lms.audit.services import record_event
from lms.courses.team import managed_teams
from lms.db import RowNotFound, db, utcnow
from lms.errors import DomainError
from lms.kpi.definitions import active_kpis
from lms.kpi.flag_rules import choose_threshold
from lms.kpi.labels import DIRECTION_LABELS, format_value
from lms.kpi.models import KpiDefinition, KpiThreshold

CENTRE = 0  # the team choice that means the whole centre


@dataclass(frozen=True)
class Thresholds:
    """Every threshold that applies to some teams: the file's defaults and the overrides, looked up in memory."""

    defaults: dict[int, float | None]  # KPI id → the file's threshold
    overrides: dict[tuple[int, int | None], float]  # (KPI id, team id or None for the centre) → value

    def for_team(self, kpi_id: int, team_id: int | None) -> float | None:
        return choose_threshold(self.defaults.get(kpi_id), self.overrides.get((kpi_id, None)),
                                self.overrides.get((kpi_id, team_id)) if team_id else None)


def thresholds_for(kpis: list[KpiDefinition], team_ids) -> Thresholds:
    """The thresholds of these KPIs for the centre and these teams, in one statement."""
    rows = db.session.execute(select(KpiThreshold.kpi_id, KpiThreshold.team_id, KpiThreshold.value).where(
        KpiThreshold.kpi_id.in_([k.id for k in kpis]),
        or_(KpiThreshold.team_id.is_(None), KpiThreshold.team_id.in_(list(team_ids))))
        .order_by(KpiThreshold.set_at, KpiThreshold.id))
    return Thresholds({k.id: k.threshold for k in kpis}, {(kpi_id, team): value for kpi_id, team, value in rows})


@dataclass
class ThresholdRow:
    """One KPI on the threshold page: what applies to the centre and each team the reader sees."""

    kpi: KpiDefinition
    direction: str
    default: str  # the file's threshold in words, or a dash
    centre: KpiThreshold | None
    centre_text: str
    teams: list[tuple[KpiThreshold, str, str]] = field(default_factory=list)  # (override, team name, value)


@dataclass
class ThresholdPage:
    rows: list[ThresholdRow]
    teams: list[Team]
    can_set_centre: bool


def _may_set_centre(user: User) -> bool:
    return user.has_role(Role.TRAINER, Role.ADMIN)


def threshold_page(user: User) -> ThresholdPage:
    """Every active KPI with its thresholds: the file's, the centre's and those of the user's teams."""
    kpis, teams = active_kpis(), managed_teams(user)
    names = {t.id: t.name for t in teams}
    rows = {k.id: ThresholdRow(k, str(DIRECTION_LABELS[k.direction]), format_value(k.threshold, k.unit, k.decimals),
                               None, "–") for k in kpis}
    for row in db.session.scalars(select(KpiThreshold).where(
            KpiThreshold.kpi_id.in_(list(rows)), or_(KpiThreshold.team_id.is_(None),
                                                     KpiThreshold.team_id.in_(list(names))))
            .order_by(KpiThreshold.team_id, KpiThreshold.id)):
        entry = rows[row.kpi_id]
        text = format_value(row.value, entry.kpi.unit, entry.kpi.decimals)
        if row.team_id is None:
            entry.centre, entry.centre_text = row, text
        else:
            entry.teams.append((row, names[row.team_id], text))
    return ThresholdPage(list(rows.values()), teams, _may_set_centre(user))


def _team_scope(user: User, team_id: int) -> int | None:
    """The team the user may set a threshold for (None: the whole centre), or a DomainError on the field."""
    if team_id == CENTRE:
        if not _may_set_centre(user):
            raise DomainError(_("Only trainers and administrators set the threshold of the whole centre."),
                              field="team_id")
        return None
    if team_id not in {t.id for t in managed_teams(user)}:
        raise DomainError(_("You can only set thresholds for your own teams."), field="team_id")
    return team_id


def _existing(kpi_id: int, team_id: int | None) -> KpiThreshold | None:
    team = KpiThreshold.team_id.is_(None) if team_id is None else KpiThreshold.team_id == team_id
    return db.session.scalars(select(KpiThreshold).where(KpiThreshold.kpi_id == kpi_id, team)
                              .order_by(KpiThreshold.id)).first()


def _scope_name(team_id: int | None) -> str:
    return CENTRE_SCOPE if team_id is None else db.session.get(Team, team_id).name


def set_threshold(user: User, kpi_code: str, team_id: int, value: float) -> KpiThreshold:
    """Set (or change) the threshold of a KPI for the whole centre or one team, with an audit entry."""
    kpi = next((k for k in active_kpis() if k.code == kpi_code), None)
    if kpi is None:
        raise DomainError(_("Choose a KPI."), field="kpi")
    scope = _team_scope(user, team_id)
    if not kpi.min_value <= value <= kpi.max_value:
        low, high = format_value(kpi.min_value, kpi.unit, kpi.decimals), format_value(kpi.max_value, kpi.unit, kpi.decimals)
        raise DomainError(_("The threshold must lie within the valid range of %(kpi)s: %(low)s–%(high)s.",
                            kpi=kpi.name, low=low, high=high), field="value")
    row = _existing(kpi.id, scope)
    before = None if row is None else {"threshold": row.value, "scope": _scope_name(scope)}
    if row is None:
        row = KpiThreshold(kpi_id=kpi.id, team_id=scope, value=value)
        db.session.add(row)
    row.value, row.set_by_id, row.set_at = value, user.id, utcnow()
    db.session.flush()
    record_event("kpi.threshold_set", "kpi", kpi.code, summary=f"{kpi.code}: {value:g}", before=before,
                 after={"threshold": value, "scope": _scope_name(scope)}, actor=user)
    return row


def remove_threshold(user: User, threshold_id: int) -> KpiDefinition:
    """Remove an override (the next wider threshold applies again); RowNotFound for one the user may not touch."""
    row = db.session.get(KpiThreshold, threshold_id)
    if row is None:
        raise RowNotFound("threshold")
    try:
        _team_scope(user, CENTRE if row.team_id is None else row.team_id)
    except DomainError:
        raise RowNotFound("threshold") from None
    kpi = row.kpi
    record_event("kpi.threshold_removed", "kpi", kpi.code, summary=f"{kpi.code}: {row.value:g}",
                 before={"threshold": row.value, "scope": _scope_name(row.team_id)}, actor=user)
    db.session.delete(row)
    db.session.flush()
    return kpi
