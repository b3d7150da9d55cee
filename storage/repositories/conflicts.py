"""Dialect-aware "insert unless it is already there" used by the inbox and outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


async def insert_if_absent(
    session: AsyncSession, model: type[SQLModel], values: dict[str, Any], unique: list[str]
) -> Any:
    """Insert one row unless one with the same `unique` columns exists.

    Returns the new row's primary key, or None when the row was already there. One
    statement, so two replicas deciding the same thing at once insert once.
    """
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    table = model.__table__  # type: ignore[attr-defined]
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table)
    else:
        stmt = sqlite.insert(table)
    key = next(iter(table.primary_key.columns))
    stmt = stmt.values(**values).on_conflict_do_nothing(index_elements=unique).returning(key)
    result = await session.exec(stmt)
    return result.scalar_one_or_none()
