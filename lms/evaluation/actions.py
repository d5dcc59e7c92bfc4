"""Improvement actions (standard 9.3.2): a finding read in a report, the action decided on it, its owner,
due date and status; later the same report is computed again over the time since the action was recorded
and its figures are kept beside the baseline, so the effect reads as a difference.

Who sees an action: trainers and admins every one; a manager those about their teams' reports, and those
they own or recorded. Services flush, never commit."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from lms.accounts.models import Role, User, UserRole, team_managers
from lms.db import RowNotFound, db, utcnow
from lms.errors import DomainError
from lms.evaluation.labels_reports import FIGURE_DIGITS, figure_label
from lms.evaluation.models import ActionStatus, ImprovementAction
from lms.evaluation.report_sections import ReportScope
from lms.evaluation.reports import Report, build_report, may_read, resolve
from lms.timeutil import local_today, to_local


@dataclass(frozen=True)
class FigureChange:
    name: str
    label: str
    baseline: float | None
    effect: float | None

    @property
    def digits(self) -> int:
        return FIGURE_DIGITS.get(self.name, 1)

    @property
    def difference(self) -> float | None:
        if self.baseline is None or self.effect is None:
            return None
        return self.effect - self.baseline


def owner_choices(user: User, scope: ReportScope) -> list[tuple[int, str]]:
    """Who may own an action from this report: the reader, the active trainers and admins, and for a team
    report the team's managers (not every manager of the organisation)."""
    staff = select(UserRole.user_id).where(UserRole.role.in_((Role.TRAINER, Role.ADMIN)))
    wanted = or_(User.id == user.id, User.id.in_(staff))
    if scope.kind == "team":
        wanted = or_(wanted, User.id.in_(select(team_managers.c.user_id)
                                         .where(team_managers.c.team_id == int(scope.key))))
    rows = db.session.execute(select(User.id, User.name, User.employee_no)
                              .where(wanted, User.is_active.is_(True)).order_by(User.employee_no))
    return [(user_id, f"{name} ({number})") for user_id, name, number in rows]


def _params(report: Report) -> dict:
    scope = report.scope
    return {"key": scope.key, "start": scope.start.isoformat() if scope.start else None,
            "end": scope.end.isoformat() if scope.end else None}


def record_action(actor: User, report: Report, finding: str, action: str, owner_id: int, due_on: date,
                  ) -> ImprovementAction:
    if owner_id not in {user_id for user_id, _name in owner_choices(actor, report.scope)}:
        raise DomainError(_("Choose yourself, a trainer, an administrator or a manager of the team as the owner."),
                          field="owner")
    if due_on < local_today():
        raise DomainError(_("The due date cannot be in the past."), field="due_on")
    row = ImprovementAction(report_kind=report.scope.kind, report_params=_params(report), report_title=report.title,
                            finding=finding.strip(), action=action.strip(), owner_id=owner_id, due_on=due_on,
                            status=ActionStatus.OPEN, baseline=dict(report.figures), created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    return row


def _visible(user: User):
    query = select(ImprovementAction)
    if user.has_role(Role.ADMIN, Role.TRAINER):
        return query
    team_keys = [str(t.id) for t in user.managed_teams]
    mine = [ImprovementAction.owner_id == user.id, ImprovementAction.created_by_id == user.id]
    if team_keys:
        mine.append((ImprovementAction.report_kind == "team")
                    & ImprovementAction.report_params["key"].as_string().in_(team_keys))
    return query.where(or_(*mine))


def list_actions(user: User) -> list[ImprovementAction]:
    return list(db.session.scalars(_visible(user).options(joinedload(ImprovementAction.owner))
                                   .order_by(ImprovementAction.status, ImprovementAction.due_on, ImprovementAction.id)))


def get_action(user: User, action_id: int) -> ImprovementAction:
    row = db.session.scalar(_visible(user).where(ImprovementAction.id == action_id))
    if row is None:
        raise RowNotFound(f"no improvement action {action_id} for user {user.id}")
    return row


def set_status(action: ImprovementAction, status: str) -> None:
    action.status = ActionStatus(status)
    db.session.flush()


def measure_effect(user: User, action: ImprovementAction) -> ImprovementAction:
    """The same report over the days since the action was recorded; its figures become the effect."""
    key = action.report_params.get("key", "")
    if not may_read(user, action.report_kind, key):
        raise DomainError(_("You cannot read the report this action came from, so you cannot measure it."))
    since = to_local(action.created_at).date()
    end = local_today()
    report = build_report(resolve(user, action.report_kind, key, since, max(end, since)))
    action.effect = dict(report.figures)
    action.measured_at = utcnow()
    db.session.flush()
    return action


def changes(action: ImprovementAction) -> list[FigureChange]:
    effect = action.effect or {}
    names = list(action.baseline) + [n for n in effect if n not in action.baseline]
    return [FigureChange(name, figure_label(name), action.baseline.get(name), effect.get(name)) for name in names]
