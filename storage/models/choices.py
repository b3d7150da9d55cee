"""The choices last offered to a person (their buttons), so typing a label, a synonym or a number picks one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class OfferedChoices(SQLModel, table=True):
    """The buttons of the latest message with buttons a person was sent (at most one row each).

    `choices` is sealed (a button may carry what the person wrote, e.g. "No, it's a question").
    """

    __tablename__ = "offered_choices"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", unique=True)
    choices: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
