"""The roster's own tables: the erasure list, and small values kept between runs (a key, a sync time).

The erasure list holds, for each person who asked to be forgotten, a keyed hash of their email
(HMAC-SHA256, `handlers.erasures`), never the email: a roster re-import recognises them without
LeadWell keeping who they were.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class ErasedEmail(SQLModel, table=True):
    """One erased person's email, as a keyed hash (64 hex digits)."""

    __tablename__ = "erased_email"

    id: int | None = Field(default=None, primary_key=True)
    email_hash: str = Field(unique=True, max_length=64)
    erased_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class KeptValue(SQLModel, table=True):
    """A named value kept between runs: in the clear (`value`) or sealed with the secret (`sealed`).

    Sealed values are re-sealed by `leadwell keys rotate` like every other sealed column.
    """

    __tablename__ = "kept_value"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    value: str | None = Field(default=None, max_length=200)
    sealed: str | None = Field(default=None, max_length=500)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
