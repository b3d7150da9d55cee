"""Single-use links to download one's own data (`my data`): only a hash of each link's token is kept."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class ExportToken(SQLModel, table=True):
    """One export link: whose data it gives, until when, and whether it was used (it works once)."""

    __tablename__ = "export_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
