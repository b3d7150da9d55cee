"""The outbox: everything sent later or to many people, written with the decision.

`dedupe_key` is unique per (purpose, recipient, occurrence), so deciding twice
enqueues once. A sender claims rows by lease (`state='leased'`, `lease_until`)
in one committed statement, sends without holding a database lock, then marks
the row sent or failed with the reason; expired leases are taken over. Every
change after the claim is guarded by state and lease owner, so a sender whose
lease ran out (and whose row another sender took over) changes nothing.

`reference` says what the message belongs to (`checkin:123`, `announcement:7`,
`schedule:4`, or the inbound event a reply answers) for reports and recalls;
`platform_ref` is the platform's own reference to the sent message, whole, so
it can be updated or deleted later: Slack `{"channel": "D…", "ts": "…"}`,
Teams `{"conversation": …, "activity_id": …, "service_url": …}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

OUTBOX_STATES = ("pending", "leased", "sent", "failed", "cancelled")


class OutboxMessage(SQLModel, table=True):
    """One message to one person, waiting to be (or already) sent."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_due", "state", "due_at"),
        Index("ix_outbox_lease", "state", "lease_until"),
        Index("ix_outbox_person", "person_id", "state"),
        Index("ix_outbox_reference", "purpose", "reference"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, max_length=200)
    purpose: str = Field(max_length=30)
    reference: str | None = Field(default=None, max_length=100)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    platform: str = Field(max_length=20)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    due_at: datetime = Field(sa_type=UTCDateTime)
    state: str = Field(default="pending", max_length=20)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lease_owner: str | None = Field(default=None, max_length=100)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    platform_ref: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
