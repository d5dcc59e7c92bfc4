"""Users and teams as the API shows and takes them."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from lms.api.schemas import EMPLOYEE_NO, Page, Strict, Text

RoleName = Literal["learner", "trainer", "manager", "admin"]
LocaleName = Literal["zh_Hant", "zh_Hans", "en"]
Outcome = Literal["created", "changed", "unchanged"]


class UserIn(Strict):
    name: Text = Field(max_length=100)
    email: Text = Field(max_length=254)
    hire_date: date | None = None
    team: Text | None = Field(None, max_length=100, description="The team's name; `null` for no team")
    roles: list[RoleName] = Field(default_factory=lambda: ["learner"], min_length=1, max_length=4)
    locale: LocaleName = "zh_Hant"
    is_active: bool = True


class UserItem(UserIn):
    employee_no: Text = EMPLOYEE_NO


class UsersBulkIn(Strict):
    items: list[UserItem] = Field(min_length=1, max_length=1000)


class UserOut(BaseModel):
    employee_no: str
    name: str
    email: str
    hire_date: date | None
    team: str | None
    roles: list[RoleName]
    locale: LocaleName
    is_active: bool
    created_at: datetime


class UserPage(Page):
    items: list[UserOut]


class UserUpserted(BaseModel):
    result: Outcome
    user: UserOut


class BulkItemOut(BaseModel):
    index: int
    employee_no: str
    result: Outcome


class UsersBulkOut(BaseModel):
    created: int
    changed: int
    unchanged: int
    items: list[BulkItemOut]


class UsersQuery(Strict):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)
    team: Text | None = Field(None, max_length=100, description="Only the members of this team")
    active: bool | None = Field(None, description="Only active (`true`) or deactivated (`false`) people")


class TeamIn(Strict):
    description: Text = Field("", max_length=500)
    managers: list[Text] = Field(default_factory=list, max_length=50, description="Managers' employee numbers")


class TeamOut(BaseModel):
    name: str
    description: str
    managers: list[str]
    members: int


class TeamPage(Page):
    items: list[TeamOut]


class TeamUpserted(BaseModel):
    result: Outcome
    team: TeamOut


class MemberPage(Page):
    items: list[UserOut]
