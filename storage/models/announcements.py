"""Programme announcements composed by admins and broadcast through the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

# draft: being composed · approval: waiting for a second admin · confirmed: its outbox rows are being
# written (in chunks, by the scheduler's sweep) · sending: all written, the sender delivers them ·
# cancelled: what had not gone was stopped · recalled: what was delivered is being deleted
ANNOUNCEMENT_STATES = ("draft", "approval", "confirmed", "sending", "cancelled", "recalled")


class Announcement(SQLModel, table=True):
    """One announcement; its deliveries are outbox rows keyed `announce:<id>:<person>`."""

    __tablename__ = "announcement"

    id: int | None = Field(default=None, primary_key=True)
    author_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    title: str = Field(max_length=200)
    body: str = Field(sa_type=Text)
    audience: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    state: str = Field(default="draft", max_length=20)
    recipient_count: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    send_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # None: as soon as confirmed
    local_time: str | None = Field(default=None, max_length=5)  # "09:00": at that time in each person's zone
    fanned_out_to: int = Field(default=0)  # the highest person id whose outbox row is written
    unreachable_count: int = Field(default=0)  # in the audience but with no way to reach them yet
    approved_by_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    version: int = Field(default=1)  # raised by each correction
