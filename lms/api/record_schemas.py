"""Assignments, progress, results, certificates and survey results as the API shows and takes them."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from lms.api.schemas import Page, Strict, Text


class PersonQuery(Strict):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)
    employee_no: Text | None = Field(None, max_length=32, description="Only this person's")


class AssignmentOut(BaseModel):
    id: int
    employee_no: str
    course: str = Field(description="The course code")
    source: str = Field(description="`assigned`, `onboarding` or `self`")
    due_date: date | None
    enrolled_at: datetime
    completed_at: datetime | None


class AssignmentPage(Page):
    items: list[AssignmentOut]


class AssignmentIn(Strict):
    course: Text = Field(min_length=1, max_length=40, description="The course code, e.g. `SVC-101`")
    due_date: date | None = Field(None, le=date(2100, 12, 31))
    employee_nos: list[Text] = Field(default_factory=list, max_length=5000)
    teams: list[Text] = Field(default_factory=list, max_length=100, description="Whole teams, by name")


class AssignmentDone(BaseModel):
    changed: int = Field(description="Enrolments created, or whose due date moved")


class ProgressOut(AssignmentOut):
    lessons_completed: int
    lessons_total: int
    percent: int


class ProgressPage(Page):
    items: list[ProgressOut]


class ExamResultOut(BaseModel):
    id: int
    employee_no: str
    exam: str = Field(description="The exam's slug")
    number: int = Field(description="The person's attempt number at this exam")
    status: str = Field(description="`in_progress`, `needs_grading`, `graded` or `discarded`")
    submitted_at: datetime | None
    percent: float | None
    passed: bool | None


class ExamResultPage(Page):
    items: list[ExamResultOut]


class CallResultOut(BaseModel):
    id: int
    employee_no: str
    scenario: str = Field(description="The scenario's slug")
    mode: str = Field(description="`practice` or `assessment`")
    status: str = Field(description="`in_progress`, `needs_review` or `finished`")
    finished_at: datetime | None
    percent: float | None
    passed: bool | None


class CallResultPage(Page):
    items: list[CallResultOut]


class ObservationOut(BaseModel):
    id: int
    employee_no: str
    scenario: str
    status: str = Field(description="`scheduled`, `done` or `cancelled`")
    due_on: date
    observed_on: date | None
    percent: float | None


class ObservationPage(Page):
    items: list[ObservationOut]


class CertificateOut(BaseModel):
    public_id: str
    employee_no: str
    holder: str
    programme: str
    issued_at: datetime
    expires_at: datetime
    state: str = Field(description="`valid`, `expiring`, `grace`, `expired`, `revoked` or `superseded`")
    revoked_at: datetime | None


class CertificatePage(Page):
    items: list[CertificateOut]


class SurveyQuery(Strict):
    course: Text | None = Field(None, max_length=40, description="Only this course's surveys (its code)")
    start: date | None = Field(None, ge=date(2000, 1, 1), le=date(2100, 12, 31))
    end: date | None = Field(None, ge=date(2000, 1, 1), le=date(2100, 12, 31))


class SurveyItemOut(BaseModel):
    id: str
    text: str
    n: int
    mean: float | None


class SurveyResultOut(BaseModel):
    survey: str
    title: str
    offered: int
    responded: int
    response_rate: float | None
    hidden: bool = Field(description="Fewer respondents than the minimum group: no figures are given")
    overall_mean: float | None
    nps: float | None
    items: list[SurveyItemOut]


class SurveyResults(BaseModel):
    items: list[SurveyResultOut]
