"""The classroom domain's forms: scheduling a session, enrolling team members, assigning teams or an
onboarding path, the attendance sheet (one row per person) and a drill's record."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from lms.accounts.forms import MultiCheckboxField
from lms.classroom.labels import ATTENDANCE_LABELS, KIND_LABELS
from lms.classroom.models import Attendance, ClassroomSession, Seat, SessionKind
from lms.classroom.scheduling import MAX_CAPACITY, SessionData
from lms.forms import CentreDateTimeField, choices
from lms.timeutil import local_zone, read_local, to_local


class SessionForm(FlaskForm):
    kind = SelectField(_l("Kind of session"), choices=choices((k.value, label) for k, label in KIND_LABELS.items()))
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    starts_at = CentreDateTimeField(_l("Starts"), validators=[InputRequired()])
    ends_at = CentreDateTimeField(_l("Ends"), validators=[InputRequired()])
    place = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    video_link = StringField(_l("Video link"), validators=[Optional(), Length(max=500)])
    capacity = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=1, max=MAX_CAPACITY)])
    trainer_id = SelectField(_l("Trainer"), coerce=int)
    course_code = SelectField(_l("Course"), validators=[Optional()])
    exam_slug = SelectField(_l("Quiz to pass after attending"), validators=[Optional()])
    template_slug = HiddenField(validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Save"))

    def set_choices(self, trainers, courses, exams) -> None:
        self.trainer_id.choices = choices((t.id, t.name) for t in trainers)
        self.course_code.choices = choices([("", _l("No course: the session stands alone")), *courses])
        self.exam_slug.choices = choices([("", _l("No quiz")), *exams])

    def fill(self, session: ClassroomSession) -> None:
        """Show a session's saved values."""
        self.kind.data, self.title.data, self.description.data = session.kind.value, session.title, session.description
        self.starts_at.data = to_local(session.starts_at).replace(tzinfo=None)
        self.ends_at.data = to_local(session.ends_at).replace(tzinfo=None)
        self.place.data, self.video_link.data, self.capacity.data = session.place, session.video_link, session.capacity
        self.trainer_id.data = session.trainer_id
        self.course_code.data = session.course.code if session.course else ""
        self.template_slug.data = session.template_slug or ""

    def data_for_service(self) -> SessionData:
        zone = local_zone()
        return SessionData(
            kind=SessionKind(self.kind.data), title=self.title.data or "", description=self.description.data or "",
            starts_at=read_local(self.starts_at.data, zone).moment, ends_at=read_local(self.ends_at.data, zone).moment,
            capacity=self.capacity.data, place=self.place.data or "", video_link=self.video_link.data or "",
            trainer_id=self.trainer_id.data, course_code=self.course_code.data or None,
            exam_slug=self.exam_slug.data or None, template_slug=self.template_slug.data or None)


class MembersForm(FlaskForm):
    people = MultiCheckboxField(_l("Team members to enrol"), coerce=int)
    submit = SubmitField(_l("Enrol them"))


class AssignForm(FlaskForm):
    teams = MultiCheckboxField(_l("Teams"), coerce=int)
    path = SelectField(_l("New hires on an onboarding path"), validators=[Optional()])
    submit = SubmitField(_l("Assign"))


def attendance_form(seats: list[Seat]):
    """The attendance sheet: one choice per enrolled person (field ``seat_<user id>``)."""
    options = [(a.value, label) for a, label in ATTENDANCE_LABELS.items()]

    class AttendanceForm(FlaskForm):
        submit = SubmitField(_l("Save attendance"))

        def marks(self) -> dict[int, Attendance | None]:
            return {seat.user_id: Attendance(self[f"seat_{seat.user_id}"].data) if self[f"seat_{seat.user_id}"].data
                    else None for seat in seats}

    for seat in seats:
        setattr(AttendanceForm, f"seat_{seat.user_id}", RadioField(
            seat.user.name, choices=choices(options), validators=[Optional()],
            default=seat.attendance.value if seat.attendance else None))
    return AttendanceForm()


def drill_form(steps: list[tuple[str, str]], saved: dict | None, scenario: str, debrief: str):
    """A drill's record: the scenario, each crisis step observed or not with a note, the debrief."""
    saved = saved or {}

    class DrillForm(FlaskForm):
        scenario_text = TextAreaField(_l("Scenario"), validators=[InputRequired(), Length(max=4000)], default=scenario)
        debrief_text = TextAreaField(_l("Debrief notes"), validators=[Optional(), Length(max=8000)], default=debrief)
        submit = SubmitField(_l("Save the drill record"))

        def observed(self) -> dict:
            return {code: {"done": bool(self[f"done_{i}"].data), "note": (self[f"note_{i}"].data or "").strip()}
                    for i, (code, _title) in enumerate(steps)}

    for i, (code, title) in enumerate(steps):
        setattr(DrillForm, f"done_{i}", BooleanField(f"{code} {title}", default=saved.get(code, {}).get("done", False)))
        setattr(DrillForm, f"note_{i}", StringField(_l("What was observed"), validators=[Optional(), Length(max=500)],
                                                    default=saved.get(code, {}).get("note", "")))
    return DrillForm()
