"""The inbox: every inbound platform event, written before it is acknowledged.

`(platform, event_id)` is unique, so a platform retry of a known event is
recognised and ignored. An event is marked done in the same transaction as the
handler's effects; one still pending after a crash is finished after restart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

INBOX_STATES = ("pending", "done", "failed")


class InboxEvent(SQLModel, table=True):
    """One inbound event from a platform."""

    __tablename__ = "inbox_event"
    __table_args__ = (
        UniqueConstraint("platform", "event_id", name="uq_inbox_platform_event"),
        Index("ix_inbox_unfinished", "state", "lease_until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    event_id: str = Field(max_length=200)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    state: str = Field(default="pending", max_length=20)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
