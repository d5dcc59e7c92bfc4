"""Every code of the classroom domain a person reads, with its label."""

from flask_babel import lazy_gettext as _l

from lms.classroom.models import Attendance, SeatSource, SeatStatus, SessionKind, SessionStatus

KIND_LABELS = {
    SessionKind.INDUCTION: _l("Induction day for new staff"),
    SessionKind.WORKSHOP: _l("On-the-job workshop"),
    SessionKind.OUTSIDE_TRAINER: _l("Outside trainer sharing experience"),
    SessionKind.LAW_UPDATE: _l("Laws and regulations update"),
    SessionKind.DRILL: _l("Emergency drill"),
}
STATUS_LABELS = {
    SessionStatus.SCHEDULED: _l("Scheduled"),
    SessionStatus.CANCELLED: _l("Cancelled"),
}
SEAT_LABELS = {
    SeatStatus.ENROLLED: _l("Has a place"),
    SeatStatus.WAITING: _l("On the waiting list"),
    SeatStatus.CANCELLED: _l("Cancelled"),
}
SOURCE_LABELS = {
    SeatSource.SELF: _l("Enrolled themselves"),
    SeatSource.MANAGER: _l("Enrolled by their manager"),
    SeatSource.ASSIGNED: _l("Assigned by a trainer"),
}
ATTENDANCE_LABELS = {
    Attendance.PRESENT: _l("Present"),
    Attendance.LATE: _l("Late"),
    Attendance.ABSENT: _l("Absent"),
    Attendance.EXCUSED: _l("Excused"),
}
