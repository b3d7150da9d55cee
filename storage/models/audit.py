"""The audit log: who did what that an operator may need to answer for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    """One audited action (broadcasts, refusals, role changes, erasures)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=100)
    target: str | None = Field(default=None, max_length=200)
    outcome: str = Field(default="ok", max_length=20)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
