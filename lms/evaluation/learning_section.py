"""The level-2 sections of every report: learning gain ("learning"), what the cohort still gets wrong per
standard item ("learning_items", course reports) and each learner's two tests ("learning_learners", course
and team reports). Aggregates over fewer learners than the scope's minimum group are not shown."""

from flask import has_request_context, request
from flask_babel import gettext as _

from lms.evaluation import charts
from lms.evaluation import labels_reports as fmt
from lms.evaluation.learning import (
    CohortGain,
    CohortSums,
    cohort_from_sums,
    cohort_gain,
    distribution,
    items_still_wrong,
    learner_gain,
)
from lms.evaluation.learning_data import (
    CourseTests,
    LearnerResult,
    cohort_sums_by_course,
    course_tests,
    item_answers,
    learner_results,
    people,
)
from lms.evaluation.report_sections import ReportScope, Section, Table, register_section

SUMMED_SCOPES = ("programme", "cohort", "period")  # many learners: the database adds the cohorts up
BAND_WIDTH = 10
MOST_MISSED = 12
LEARNER_ROWS = 200  # above this many results a course report lists only those still to pass


def _evidence(scope: ReportScope) -> tuple[list[CourseTests], list[LearnerResult]]:
    """The scope's tests and results, read once per request for the three sections that show them."""
    # Kept with the request itself: an app context (and its g) can outlive one request, e.g. in the tests.
    cache = request.environ.setdefault("lms.learning_evidence", {}) if has_request_context() else {}
    if scope not in cache:
        courses = course_tests(scope)
        cache[scope] = (courses, learner_results(scope, courses))
    return cache[scope]


def _figures(cohort: CohortGain, shown: bool) -> dict[str, float | None]:
    values = {"paired": cohort.paired, "pre_mean": cohort.pre_mean, "post_mean": cohort.post_mean,
              "raw_gain": cohort.raw_gain, "class_gain": cohort.class_gain,
              "pass_rate": None if cohort.pass_rate is None else cohort.pass_rate * 100,
              "attempts_to_pass": cohort.attempts_to_pass_mean}
    return {k: (v if shown or k == "paired" else None) for k, v in values.items()}


def _summary(cohort: CohortGain, minimum: int) -> str:
    if cohort.paired < minimum:
        return _("Fewer than %(n)d learners took both tests, so no averages are shown.", n=minimum)
    return _("%(n)d learners took both tests: on average %(pre)s%% before and %(post)s%% after, a gain of "
             "%(gain)s points (normalised gain %(g)s). %(rate)s of those who took the post-test passed it, "
             "after %(tries)s attempts on average.", n=cohort.paired, pre=fmt.score(cohort.pre_mean),
             post=fmt.score(cohort.post_mean), gain=fmt.signed(cohort.raw_gain), g=fmt.gain(cohort.class_gain),
             rate=fmt.percent(cohort.pass_rate), tries=fmt.number(cohort.attempts_to_pass_mean))


def _cautions(courses: list[CourseTests], cohort: CohortGain, minimum: int) -> list[str]:
    cautions = [_("%(course)s: the pre-test and the post-test do not draw from the same questions, so the gain "
                  "compares two different tests.", course=c.code) for c in courses if c.same_blueprint is False]
    if cohort.undefined_gains:
        cautions.append(_("%(n)d learners had a perfect pre-test: their normalised gain is undefined and left out "
                          "of the mean.", n=cohort.undefined_gains))
    if cohort.learners > cohort.paired:
        cautions.append(_("%(n)d results have only one of the two tests (learners × courses); the gain leaves "
                          "them out.",
                          n=cohort.learners - cohort.paired))
    if 0 < cohort.paired < minimum:
        cautions.append(_("Groups smaller than %(n)d are not summarised, to protect each person's results.",
                          n=minimum))
    return cautions


def _distribution_chart(results: list[LearnerResult], cohort: CohortGain, minimum: int):
    gains = [learner_gain(r.tests) for r in results]
    pre = distribution([g.pre for g in gains if g.pre is not None], BAND_WIDTH)
    post = distribution([g.post for g in gains if g.post is not None], BAND_WIDTH)
    bands = [f"{i * BAND_WIDTH}–{i * BAND_WIDTH + BAND_WIDTH - (0 if i == len(pre) - 1 else 1)}"
             for i in range(len(pre))]
    table = Table(_("Learners per score band"), [_("Score (%)"), _("Pre-test"), _("Post-test")],
                  [[band, str(a), str(b)] for band, a, b in zip(bands, pre, post, strict=True)])
    if len(gains) < minimum:
        return None, "", None
    alt = _("Score distribution: pre-test scores are spread around %(pre)s%%, post-test scores around %(post)s%%.",
            pre=fmt.score(cohort.pre_mean), post=fmt.score(cohort.post_mean))
    chart = charts.histogram(_("Scores before and after the course"), bands,
                             [(_("Pre-test"), pre), (_("Post-test"), post)], alt, y_title=_("Learners"))
    return chart.svg, alt, table


def _cohorts(scope: ReportScope) -> tuple[list[CourseTests], dict[int, CohortGain], CohortGain]:
    """The scope's courses, each course's cohort and the whole scope's. Reports over many learners have the
    database add them up; a course's or a team's are computed from each learner's results."""
    if scope.kind in SUMMED_SCOPES:
        courses = course_tests(scope)
        sums = cohort_sums_by_course(scope, courses)
        total = sum(sums.values(), CohortSums())
        return courses, {c: cohort_from_sums(s) for c, s in sums.items()}, cohort_from_sums(total)
    courses, results = _evidence(scope)
    by_course: dict[int, list] = {}
    for r in results:
        by_course.setdefault(r.course_id, []).append(learner_gain(r.tests))
    everyone = [g for gains in by_course.values() for g in gains]
    return courses, {c: cohort_gain(gains) for c, gains in by_course.items()}, cohort_gain(everyone)


def _course_rows(courses: list[CourseTests], cohorts: dict[int, CohortGain], minimum: int):
    rows, chart_rows = [], []
    for course in courses:
        cohort = cohorts.get(course.course_id)
        if cohort is None or not cohort.learners:
            continue
        label = f"{course.code} {course.title}"
        if cohort.paired < minimum:
            rows.append([label, str(cohort.paired)] + [_("fewer than %(n)d", n=minimum)] + ["—"] * 5)
            continue
        rows.append([label, str(cohort.paired), fmt.score(cohort.pre_mean), fmt.score(cohort.post_mean),
                     fmt.signed(cohort.raw_gain), fmt.gain(cohort.class_gain), fmt.percent(cohort.pass_rate),
                     fmt.number(cohort.attempts_to_pass_mean)])
        chart_rows.append((course.code, cohort))
    return rows, chart_rows


def _courses_chart(courses, cohorts, minimum):
    rows, chart_rows = _course_rows(courses, cohorts, minimum)
    table = Table(_("Pre-test and post-test per course"),
                  [_("Course"), _("Learners with both tests"), _("Pre-test mean (%)"), _("Post-test mean (%)"),
                   _("Raw gain (points)"), _("Normalised gain"), _("Pass rate"), _("Attempts to pass (mean)")], rows)
    if not chart_rows:
        return None, "", table
    alt = "; ".join(_("%(course)s: %(pre)s%% before, %(post)s%% after", course=code, pre=fmt.score(c.pre_mean),
                      post=fmt.score(c.post_mean)) for code, c in chart_rows)
    chart = charts.bar_chart(_("Mean score before and after, per course"), [code for code, _c in chart_rows],
                             [(_("Pre-test"), [c.pre_mean for _code, c in chart_rows]),
                              (_("Post-test"), [c.post_mean for _code, c in chart_rows])], alt,
                             y_title=_("Score (%)"), maximum=100)
    return chart.svg, alt, table


@register_section("learning", order=20)
def learning_section(scope: ReportScope) -> Section | None:
    courses, cohorts, cohort = _cohorts(scope)
    if not courses:
        return None
    title = _("Learning (level 2): pre-test and post-test")
    if not cohort.learners:
        return Section("learning", title, _("No one in this report has taken the pre-test or post-test yet."))
    minimum = scope.minimum_group
    if scope.kind == "course":
        svg, alt, table = _distribution_chart(_evidence(scope)[1], cohort, minimum)
    else:
        svg, alt, table = _courses_chart(courses, cohorts, minimum)
    return Section("learning", title, _summary(cohort, minimum), svg, alt, table, _cautions(courses, cohort, minimum),
                   _figures(cohort, cohort.paired >= minimum))


@register_section("learning_items", order=21, scope_kinds=("course",))
def learning_items_section(scope: ReportScope) -> Section | None:
    courses, results = _evidence(scope)
    if not courses or not results:
        return None
    items = items_still_wrong(item_answers(results, courses[0]))
    title = _("Still wrong after the course, per standard item")
    shown = [r for r in items if r.tested >= scope.minimum_group]
    if not shown:
        return Section("learning_items", title, _("Too few learners took the post-test to show this."))
    top = shown[:MOST_MISSED]
    alt = "; ".join(_("%(item)s: %(share)s still wrong", item=r.item, share=fmt.percent(r.share_wrong)) for r in top)
    chart = charts.bar_chart(_("Share of the cohort still wrong, most missed items"), [r.item for r in top],
                             [(_("Still wrong"), [(r.share_wrong or 0) * 100 for r in top])], alt,
                             y_title=_("Learners (%)"), maximum=100, horizontal=True)
    table = Table(_("Standard items in the post-test"),
                  [_("Standard item"), _("Learners asked"), _("Still wrong"), _("Share")],
                  [[r.item, str(r.tested), str(r.still_wrong), fmt.percent(r.share_wrong)] for r in shown])
    worst = shown[0]
    summary = _("After the course %(share)s of the learners still miss questions on %(item)s, the item most "
                "often wrong.", share=fmt.percent(worst.share_wrong), item=worst.item)
    figures = {f"wrong.{r.item}": (r.share_wrong or 0) * 100 for r in shown}
    return Section("learning_items", title, summary, chart.svg, alt, table, [], figures)


@register_section("learning_learners", order=22, scope_kinds=("course", "team"))
def learning_learners_section(scope: ReportScope) -> Section | None:
    courses, results = _evidence(scope)
    if not results:
        return None
    cautions = []
    if len(results) > LEARNER_ROWS:  # a large course: the people who still have to pass are the ones to act on
        results = [r for r in results if not learner_gain(r.tests).passed]
        cautions.append(_("With this many learners only those who have not passed the post-test yet are listed."))
    names = people({r.user_id for r in results})
    codes = {c.course_id: c.code for c in courses}
    rows = []
    for r in sorted(results, key=lambda r: (names[r.user_id].employee_no, codes[r.course_id])):
        g = learner_gain(r.tests)
        person = names[r.user_id]
        rows.append([f"{person.name} ({person.employee_no})", codes[r.course_id], fmt.score(g.pre), fmt.score(g.post),
                     fmt.signed(g.raw_gain), fmt.gain(g.normalised_gain, g.gain_undefined),
                     _("yes") if g.passed else _("no"), fmt.number(g.attempts_to_pass)])
    table = Table(_("Each learner's pre-test and post-test"),
                  [_("Learner"), _("Course"), _("Pre-test (%)"), _("Best post-test (%)"), _("Raw gain (points)"),
                   _("Normalised gain"), _("Passed"), _("Attempts to pass")], rows)
    return Section("learning_learners", _("Learners"),
                   _("%(n)d results of %(p)d learners.", n=len(rows), p=len(names)), table=table, cautions=cautions)
