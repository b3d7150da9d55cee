"""Check-ins sent to a person, and the reflections they write.

Reflection text is private to its author and is stored encrypted (`body` holds
the ciphertext); nothing outside the author's own requests ever reads it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, false
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

CHECKIN_STATES = ("sent", "snoozed", "answered", "skipped", "expired")


class CheckIn(SQLModel, table=True):
    """One occurrence of a check-in schedule, from sending to answer or expiry."""

    __tablename__ = "checkin"
    __table_args__ = (
        Index("ix_checkin_open", "state", "expires_at"),
        Index("ix_checkin_remind", "state", "remind_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    schedule_id: int | None = Field(default=None, foreign_key="schedule.id", ondelete="SET NULL")
    occurrence_at: datetime = Field(sa_type=UTCDateTime)
    prompt_id: str = Field(max_length=100)
    state: str = Field(default="sent", max_length=20)
    late: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    remind_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Reflection(SQLModel, table=True):
    """A reflection written by a person; readable only by that person."""

    __tablename__ = "reflection"
    __table_args__ = (Index("ix_reflection_author", "person_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    checkin_id: int | None = Field(default=None, foreign_key="checkin.id", ondelete="SET NULL")
    prompt_id: str | None = Field(default=None, max_length=100)
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
