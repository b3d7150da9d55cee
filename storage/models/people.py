"""People and the addresses the bot uses to message them first.

A person is identified by platform and the platform's own id: `slack:T…:U…`,
`teams:<aadObjectId>`, `web:…`, `console:…`. A roster import may create a person
with only an email; the first contact whose email matches claims that row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

ROLES = ("staff", "manager", "admin")
ROLE_SOURCES = ("default", "settings", "chat", "roster")  # where a role came from (`handlers.names.RoleSource`)


class Person(SQLModel, table=True):
    """Someone who uses the bot (staff, manager or admin)."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    identity: str | None = Field(default=None, unique=True, max_length=200)
    platform: str = Field(max_length=20)
    email: str | None = Field(default=None, index=True, max_length=320)
    name: str | None = Field(default=None, max_length=200)
    role: str = Field(default="staff", max_length=20)
    role_source: str = Field(default="default", max_length=20)  # see ROLE_SOURCES
    organisation: str | None = Field(default=None, index=True, max_length=200)
    region: str | None = Field(default=None, index=True, max_length=100)
    timezone: str = Field(default="Europe/London", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ConversationAddress(SQLModel, table=True):
    """Where to send a proactive message to a person on one platform.

    Slack: `{"team": …, "user": …}` (post to the user id directly).
    Teams: the serialised ConversationReference saved at install or first message.
    """

    __tablename__ = "conversation_address"
    __table_args__ = (UniqueConstraint("person_id", "platform", name="uq_address_person_platform"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    platform: str = Field(max_length=20)
    address: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reachable: bool = Field(default=True)
    unreachable_reason: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
