"""Observed calls: the observer's task list and scorecard (staff), and a learner's observations beside
their simulated calls of the same scenario."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import authenticated, roles_required
from lms.accounts.models import Role
from lms.errors import DomainError
from lms.evaluation import behaviour, calibration, observations
from lms.evaluation.blueprints import admin_bp, bp
from lms.evaluation.labels_levels13 import levels13_labels
from lms.evaluation.observation_forms import scorecard_form
from lms.timeutil import local_today
from lms.views import act, refuse, save_form

STAFF = (Role.TRAINER, Role.MANAGER)
admin_bp.context_processor(levels13_labels)


@bp.route("/observations")
@authenticated
def my_observations():
    return render_template("evaluation/my_observations.html", rows=behaviour.my_observations(current_user))


@bp.route("/observations/<int:observation_id>")
@authenticated
def observation(observation_id):
    return render_template("evaluation/observation.html",
                           report=behaviour.comparison(observation_id, current_user))


@admin_bp.route("/observations")
@roles_required(*STAFF)
def tasks():
    return render_template("evaluation/tasks.html", tasks=observations.observer_tasks(current_user),
                           max_tasks=observations.MAX_TASKS)


@admin_bp.route("/observations/<int:observation_id>/take", methods=["POST"])
@roles_required(*STAFF)
def take(observation_id):
    return act(lambda: observations.take_task(observation_id, current_user),
               then=url_for("evaluation_admin.tasks"), success=_("The observation is now on your list."))


@admin_bp.route("/observations/<int:observation_id>/scorecard", methods=["GET", "POST"])
@roles_required(*STAFF)
def scorecard(observation_id):
    observation = observations.load_task(observation_id, current_user)
    version, criteria = observations.rubric_of(observation)
    form = scorecard_form(criteria)
    if not form.is_submitted():
        form.observed_on.data = local_today()
    done = save_form(form, lambda: observations.submit_scorecard(
        observation_id, current_user, form.ratings(), form.call_reference.data, form.observed_on.data,
        form.notes.data), then=lambda o: url_for("evaluation.observation", observation_id=o.id),
        success=_("The scorecard was recorded."))
    return done or render_template("evaluation/scorecard.html", observation=observation, version=version,
                                   criteria=criteria, form=form)


@admin_bp.route("/observations/<int:observation_id>/calibrate", methods=["POST"])
@roles_required(*STAFF)
def calibrate(observation_id):
    try:
        second = calibration.start_calibration(observation_id, current_user)
    except DomainError as exc:
        refuse(exc)
        return redirect(url_for("evaluation.observation", observation_id=observation_id))
    return redirect(url_for("evaluation_admin.scorecard", observation_id=second.id))


@admin_bp.route("/calibration")
@roles_required(*STAFF)
def calibration_list():
    return render_template("evaluation/calibrations.html", pairs=calibration.calibration_pairs(current_user))


@admin_bp.route("/calibration/<int:observation_id>")
@roles_required(*STAFF)
def calibration_pair(observation_id):
    pair, result = calibration.calibration_of(observation_id, current_user)
    return render_template("evaluation/calibration.html", pair=pair, result=result)
