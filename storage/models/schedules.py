"""Recurring or one-off schedules: reflective check-ins, nudges and manager prompts.

The rule is kept in the person's own zone (an RFC 5545 RRULE plus a local start),
`next_run_at` is the next occurrence in UTC, and `data` keeps what a kind needs
between occurrences (such as which prompts were used). The due query reads
`state = 'active' AND next_run_at <= now`, served by `ix_schedule_due`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

SCHEDULE_KINDS = ("checkin", "nudge", "manager_prompt")
SCHEDULE_STATES = ("active", "paused", "cancelled", "finished")


class Schedule(SQLModel, table=True):
    """One person's schedule for one kind of proactive message."""

    __tablename__ = "schedule"
    __table_args__ = (Index("ix_schedule_due", "state", "next_run_at"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=20)
    rule: str = Field(max_length=500)
    description: str = Field(max_length=200)
    timezone: str = Field(max_length=64)
    state: str = Field(default="active", max_length=20)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"))
    next_run_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_run_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
