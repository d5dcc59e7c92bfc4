"""People, their roles and teams, and the rows that back login sessions and password tokens."""

import enum
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, TimestampMixin, db, str_enum, utcnow


class Role(enum.StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    MANAGER = "manager"
    ADMIN = "admin"


class Locale(enum.StrEnum):
    ZH_HANT = "zh_Hant"
    ZH_HANS = "zh_Hans"
    EN = "en"

    @property
    def html_lang(self) -> str:
        return self.value.replace("_", "-")


team_managers = Table(
    "team_managers",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Team(TimestampMixin, db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")

    members: Mapped[list["User"]] = relationship(back_populates="team", foreign_keys="User.team_id")
    managers: Mapped[list["User"]] = relationship(secondary=team_managers, back_populates="managed_teams")

    def __repr__(self) -> str:
        return f"<Team {self.id} {self.name!r}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, 20), primary_key=True)

    def __repr__(self) -> str:
        return f"<UserRole {self.user_id} {self.role}>"


class User(TimestampMixin, db.Model):
    __tablename__ = "users"
    # Lists of active people in employee-number order (and their counts) read this index, not the table.
    __table_args__ = (Index("ix_users_active_employee_no", "is_active", "employee_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    hire_date: Mapped[date | None]
    locale: Mapped[Locale] = mapped_column(
        str_enum(Locale, 10), default=Locale.ZH_HANT
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_changed_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)

    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])
    managed_teams: Mapped[list[Team]] = relationship(secondary=team_managers, back_populates="managers")
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="select", order_by=UserRole.role
    )

    # Set by the login machinery: the raw token of the session this request runs under.
    session_token = None  # str | None, not a column

    def __repr__(self) -> str:
        return f"<User {self.id} {self.employee_no}>"

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def set_roles(self, roles) -> None:
        wanted = {Role(r) for r in roles}
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))

    # Flask-Login protocol. The id in the cookie is the session token, never the user id, so a
    # cookie replayed after logout, password change or deactivation finds no session row.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_token


class UserSession(db.Model):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id}>"


class TokenPurpose(enum.StrEnum):
    RESET = "reset"
    INVITE = "invite"


class PasswordToken(db.Model):
    __tablename__ = "password_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[TokenPurpose] = mapped_column(str_enum(TokenPurpose, 10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PasswordToken {self.id} {self.purpose} user={self.user_id}>"


class LoginFailure(db.Model):
    """One failed login; counted per submitted identifier and per address to throttle guessing."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_identifier_at", "identifier", "at"),
        Index("ix_login_failures_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LoginFailure {self.identifier!r} {self.at:%Y-%m-%d %H:%M}>"


__all__ = [
    "Locale",
    "LoginFailure",
    "PasswordToken",
    "Role",
    "Team",
    "TokenPurpose",
    "User",
    "UserRole",
    "UserSession",
    "team_managers",
]
