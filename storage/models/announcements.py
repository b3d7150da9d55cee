"""Programme announcements composed by admins and broadcast through the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

ANNOUNCEMENT_STATES = ("draft", "confirmed", "sending", "done", "cancelled")


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
