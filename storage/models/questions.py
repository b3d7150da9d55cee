"""A person's last question, kept a short while so a follow-up ("and for band 6s?") is read with it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class RecentQuestion(SQLModel, table=True):
    """The last question a person was answered (at most one row each), until it expires.

    `question` is sealed: what people type is never stored in the clear.
    """

    __tablename__ = "recent_question"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", unique=True)
    question: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
