"""Compassionate-leadership nudges: which practice was offered and what became of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

NUDGE_STATES = ("sent", "done", "not_today", "expired", "logged")


class Nudge(SQLModel, table=True):
    """One practice offered to (or logged by) a person."""

    __tablename__ = "nudge"
    __table_args__ = (
        Index("ix_nudge_person_time", "person_id", "created_at"),
        Index("ix_nudge_open", "state", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    schedule_id: int | None = Field(default=None, foreign_key="schedule.id", ondelete="SET NULL")
    practice_id: str = Field(max_length=100)
    state: str = Field(default="sent", max_length=20)
    note: str | None = Field(default=None, sa_type=Text)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
