"""The send pace per platform, shared by every replica through the database."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class SendPace(SQLModel, table=True):
    """The next free send slot for a platform, and any Retry-After pause.

    Senders reserve slots by advancing `next_slot_at` by 1/rate in one
    statement, so two replicas together never send faster than one may.
    """

    __tablename__ = "send_pace"

    platform: str = Field(primary_key=True, max_length=20)
    next_slot_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    paused_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
