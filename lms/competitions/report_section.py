"""The "competitions" section of a team's evaluation report: the skill competitions the team took part in
(ending in the report's dates), with its rank among the taking teams, its score and how many of its members
took part. A team's score over fewer people than the report's minimum group is not shown (anonymity)."""

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from lms.competitions.models import Competition, competition_teams
from lms.competitions.standings import standings
from lms.db import db
from lms.evaluation.report_sections import ReportScope, Section, Table, register_section

SHOWN = 20


def _competitions(scope: ReportScope) -> list[Competition]:
    query = (select(Competition).join(competition_teams, competition_teams.c.competition_id == Competition.id)
             .where(competition_teams.c.team_id == int(scope.key)))
    if scope.start is not None:
        query = query.where(Competition.ends_on >= scope.start)
    if scope.end is not None:
        query = query.where(Competition.ends_on <= scope.end)
    return list(db.session.scalars(query.order_by(Competition.ends_on.desc(), Competition.id.desc()).limit(SHOWN)))


@register_section("competitions", order=60, scope_kinds=("team",))
def competitions_section(scope: ReportScope) -> Section | None:
    if not scope.key.isdigit():
        return None
    competitions = _competitions(scope)
    if not competitions:
        return None
    rows, ranks, hidden = [], [], False
    for competition in competitions:
        board = standings(competition)
        team = next((t for t in board.teams if t.team_id == int(scope.key)), None)
        if team is None:
            continue
        small = team.members < scope.minimum_group
        ranks.append(team.rank)
        hidden = hidden or small
        rows.append([competition.title, f"{competition.starts_on.isoformat()} – {competition.ends_on.isoformat()}",
                     _("%(rank)d of %(teams)d", rank=team.rank, teams=len(board.teams)),
                     "–" if small else f"{team.score:.1f}",
                     _("%(took)d of %(members)d", took=team.took_part, members=team.members)])
    if not rows:
        return None
    summary = ngettext("The team took part in %(num)d skill competition; its best rank was %(rank)d.",
                       "The team took part in %(num)d skill competitions; its best rank was %(rank)d.", len(rows),
                       rank=min(ranks))
    cautions = [_("A team score over fewer than %(n)d people is not shown.", n=scope.minimum_group)] if hidden else []
    table = Table(_("Skill competitions"), [_("Competition"), _("Days"), _("Rank"), _("Score"), _("Took part")], rows)
    return Section("competitions", _("Skill competitions"), summary, None, "", table, cautions)
