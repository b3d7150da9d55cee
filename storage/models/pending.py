"""Pending interactions: the one multi-step conversation a person has open.

A handler may ask for the next message or for a confirmation; that state lives
here with an expiry, never in process memory, so any replica can continue it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class PendingInteraction(SQLModel, table=True):
    """What the bot is waiting for from one person (at most one at a time)."""

    __tablename__ = "pending_interaction"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", unique=True)
    kind: str = Field(max_length=50)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
