"""What the board's page shows, put together: the teams the reader sees, one page of people and the team
section; and the choices of its forms."""

from dataclasses import dataclass

from lms.accounts.models import User
from lms.board.readiness import BoardFilter, BoardPage, board_page
from lms.board.team_summary import TeamSummary, team_summary
from lms.certification.programmes import list_programmes
from lms.courses.catalogue import course_choices
from lms.courses.team import managed_team_names
from lms.generations import cached_results


@dataclass(frozen=True)
class TeamRef:
    id: int
    name: str


@dataclass
class Board:
    teams: list[TeamRef]
    team: TeamRef | None  # the team filtered on, if one
    page: BoardPage
    summary: TeamSummary
    key: tuple  # what the page and the summary were cached under (the teams and the filters)


def board_teams(actor: User) -> list[TeamRef]:
    """The teams on the reader's board: a manager's own, every team for an administrator."""
    return [TeamRef(i, name) for i, name in managed_team_names(actor)]


def read_board(teams: list[TeamRef], flt: BoardFilter) -> Board:
    """The board for these filters: one page of people, and the team section over all of them."""
    team_ids = [t.id for t in teams]
    key = (tuple(team_ids), flt)
    return Board(teams, next((t for t in teams if t.id == flt.team_id), None),
                 cached_results(("board page", *key), lambda: board_page(team_ids, flt), per="hour"),
                 cached_results(("board summary", *key), lambda: team_summary(team_ids, flt), per="hour"), key)


def assignable_courses() -> list[tuple[str, str]]:
    """Every published course, for the assignment's choice (kept until a write changes any data)."""
    return cached_results(("assignable courses",), course_choices)


def assignable_programmes() -> list[tuple[str, str]]:
    """Every certification programme by its title, for the programme assignment's choice (kept likewise)."""
    return cached_results(("assignable programmes",), lambda: [(p.slug, p.title) for p in list_programmes()])
