"""The level-1 and level-3 sections of every report: "reaction" (survey averages, NPS, response rate) and
"behaviour" (observed calls at 30/60/90 days, and per criterion the share met on real calls beside the
share met on the same learners' simulated calls). Aggregates over fewer people than the scope's minimum
group are not shown. Read only."""

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import User
from lms.calls.models import CallAttempt, CallStatus, ScenarioVersion
from lms.db import db
from lms.evaluation import charts
from lms.evaluation.models import Observation, ObservationStatus
from lms.evaluation.report_sections import ReportScope, Section, Table, register_section
from lms.evaluation.scorecard import criteria_of, met_share
from lms.evaluation.survey_results import ResultFilter, survey_results


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _num(value: float | None, fmt: str = "{:.2f}") -> str:
    return "–" if value is None else fmt.format(value)


def _programme_courses(slug: str) -> tuple[str, ...]:
    from lms.certification.programmes import find_programme

    programme = find_programme(slug)
    return tuple(r["course"] for r in (programme.definition.get("requirements", []) if programme else [])
                 if r.get("kind") == "course")


def _result_filter(scope: ReportScope) -> ResultFilter:
    base = {"start": scope.start, "end": scope.end}
    if scope.kind == "course":
        return ResultFilter(course=scope.key, **base)
    if scope.kind == "cohort":
        return ResultFilter(cohort=scope.key, **base)
    if scope.kind == "team":
        return ResultFilter(team_ids=(int(scope.key),) if scope.key.isdigit() else (), **base)
    if scope.kind == "programme":
        return ResultFilter(courses=_programme_courses(scope.key), **base)
    return ResultFilter(**base)


@register_section("reaction", order=10)
def reaction_section(scope: ReportScope) -> Section | None:
    results = survey_results(_result_filter(scope), minimum=scope.minimum_group)
    if not results:
        return None
    main = max(results, key=lambda r: r.total.responded)
    total = main.total
    cautions = [_("Reaction surveys: %(title)s — fewer than %(n)d answers, nothing shown.", title=r.title,
                  n=scope.minimum_group) for r in results if r.total.hidden]
    rows = []
    for result in results:
        if result.total.hidden:
            continue
        rows += [[result.title, i.text, str(i.n), _num(i.mean)] for i in result.total.items]
        if result.total.nps is not None:
            rows.append([result.title, _("Recommendation (NPS)"), str(result.total.nps.n),
                         _num(result.total.nps.score, "{:+.0f}")])
    if total.hidden:
        summary = _("%(answered)d of %(offered)d people answered the reaction survey (response rate %(rate)s); "
                    "fewer than %(n)d answers, so no averages are shown.", answered=total.responded,
                    offered=total.offered, rate=_pct(total.rate), n=scope.minimum_group)
    else:
        summary = _("%(answered)d of %(offered)d people answered the reaction survey (response rate %(rate)s): "
                    "average %(mean)s of 5, recommendation score (NPS) %(nps)s.", answered=total.responded,
                    offered=total.offered, rate=_pct(total.rate), mean=_num(total.overall_mean),
                    nps=_num(total.nps.score if total.nps else None, "{:+.0f}"))
    table = Table(_("Average answer per statement (1 strongly disagree – 5 strongly agree)"),
                  [_("Survey"), _("Statement"), _("Answers"), _("Average")], rows) if rows else None
    figures = {"responded": float(total.responded), "response_rate": total.rate,
               "mean": None if total.hidden else total.overall_mean,
               "nps": None if total.hidden or total.nps is None else total.nps.score}
    svg, alt = _reaction_chart(main)
    return Section("reaction", _("Reaction (level 1)"), summary, svg, alt, table, cautions, figures)


def _reaction_chart(result) -> tuple:
    """Bars of the average answer per statement of the main survey (none when its group is too small)."""
    items = [i for i in result.total.items if i.mean is not None]
    if result.total.hidden or not items:
        return None, ""
    alt = "; ".join(_("%(statement)s: %(mean)s of 5", statement=i.text, mean=_num(i.mean)) for i in items)
    chart = charts.bar_chart(_("Average answer per statement"), [i.text for i in items],
                             [(_("Average (1–5)"), [i.mean for i in items])], alt, y_title=_("Average (1–5)"),
                             maximum=5, horizontal=True)
    return chart.svg, alt


# ---------------------------------------------------------------- behaviour


def _observations_in(scope: ReportScope) -> list[Observation]:
    stmt = select(Observation).where(Observation.status == ObservationStatus.DONE,
                                     Observation.source_kind != "calibration")
    if scope.kind == "course":
        stmt = stmt.where(Observation.source_kind == "course", Observation.source_key == scope.key)
    elif scope.kind == "programme":
        stmt = stmt.where(Observation.source_kind == "certification", Observation.source_key == scope.key)
    elif scope.kind == "team":
        team_id = int(scope.key) if scope.key.isdigit() else -1
        stmt = stmt.where(Observation.learner_id.in_(select(User.id).where(User.team_id == team_id)))
    if scope.start:
        stmt = stmt.where(Observation.observed_on >= scope.start)
    if scope.end:
        stmt = stmt.where(Observation.observed_on <= scope.end)
    return list(db.session.scalars(stmt.order_by(Observation.id)))


def _latest_calls(observations: list[Observation]) -> dict[tuple[int, int], dict]:
    """Each observed learner's latest finished simulated call of the observed scenario: its criteria."""
    pairs = {(o.learner_id, o.scenario_id) for o in observations}
    if not pairs:
        return {}
    rows = db.session.execute(select(CallAttempt.user_id, CallAttempt.scenario_id, CallAttempt.criteria)
                              .where(CallAttempt.user_id.in_({p[0] for p in pairs}),
                                     CallAttempt.scenario_id.in_({p[1] for p in pairs}),
                                     CallAttempt.status != CallStatus.IN_PROGRESS)
                              .order_by(CallAttempt.started_at)).all()
    return {(user_id, scenario_id): criteria or {} for user_id, scenario_id, criteria in rows}


def _offset_text(observations: list[Observation]) -> str:
    parts = []
    for days in sorted({o.offset_days for o in observations}):
        scores = [o.percent for o in observations if o.offset_days == days and o.percent is not None]
        if scores:
            label = _("day %(n)d", n=days) if days else _("ad hoc")
            parts.append(_("%(when)s: %(p)s%% (%(n)d)", when=label, p=f"{sum(scores) / len(scores):.0f}", n=len(scores)))
    return "；".join(parts)


@register_section("behaviour", order=30)
def behaviour_section(scope: ReportScope) -> Section | None:
    observations = _observations_in(scope)
    if not observations:
        return None
    learners = {o.learner_id for o in observations}
    if len(learners) < scope.minimum_group:
        return Section("behaviour", _("Behaviour on real calls (level 3)"), _(
            "Observed calls: %(n)d, learners observed: %(people)d; fewer than %(min)d learners, so no averages are shown.",
            n=len(observations), people=len(learners), min=scope.minimum_group), figures={"observed": float(len(observations))})
    calls = _latest_calls(observations)
    versions = {v.id: v for v in db.session.scalars(select(ScenarioVersion).where(
        ScenarioVersion.id.in_({o.scenario_version_id for o in observations})))}
    rows, bars = [], []
    for version_id in sorted(versions):
        group = [o for o in observations if o.scenario_version_id == version_id]
        simulated = [calls[(o.learner_id, o.scenario_id)] for o in group if (o.learner_id, o.scenario_id) in calls]
        for criterion in criteria_of(versions[version_id].definition):
            real, n_real = met_share([o.ratings or {} for o in group], criterion.id)
            sim, n_sim = met_share(simulated, criterion.id)
            rows.append([versions[version_id].title, criterion.title, f"{_pct(real)} ({n_real})", f"{_pct(sim)} ({n_sim})"])
            bars.append((criterion.title, real, sim))
    scores = [o.percent for o in observations if o.percent is not None]
    mean = sum(scores) / len(scores) if scores else None
    summary = _("Real calls observed: %(n)d, learners observed: %(people)d, average score %(p)s%%. %(offsets)s",
                n=len(observations), people=len(learners), p=_num(mean, "{:.0f}"), offsets=_offset_text(observations))
    table = Table(_("Share of calls meeting each criterion: real calls observed and the same learners' latest "
                    "simulated call (number rated in brackets)"),
                  [_("Call scenario"), _("Criterion"), _("Real calls"), _("Simulated calls")], rows)
    alt = "; ".join(_("%(criterion)s: met on %(real)s of real calls, %(sim)s of simulated calls", criterion=title,
                      real=_pct(real), sim=_pct(sim)) for title, real, sim in bars)
    chart = charts.bar_chart(_("Criteria met on real and simulated calls"), [b[0] for b in bars],
                             [(_("Real calls"), [None if b[1] is None else b[1] * 100 for b in bars]),
                              (_("Simulated calls"), [None if b[2] is None else b[2] * 100 for b in bars])],
                             alt, y_title=_("Calls meeting the criterion (%)"), maximum=100, horizontal=True)
    return Section("behaviour", _("Behaviour on real calls (level 3)"), summary, chart.svg, alt, table,
                   figures={"observed": float(len(observations)), "mean_percent": mean})
