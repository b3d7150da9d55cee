"""Lease claims: one committed `UPDATE … RETURNING` that takes rows for a while.

On PostgreSQL the candidates are picked `FOR UPDATE SKIP LOCKED` inside the
statement, so replicas claiming at once take different rows. On SQLite the
transaction began `BEGIN IMMEDIATE`, so claims simply take turns.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, update
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

M = TypeVar("M", bound=SQLModel)


async def claim_rows(
    session: AsyncSession,
    model: type[M],
    *,
    where: ColumnElement[bool],
    order_by: tuple[Any, ...],
    limit: int,
    values: dict[str, Any],
) -> list[M]:
    """Set `values` on up to `limit` rows matching `where` and return them."""
    id_column = col(model.id)  # type: ignore[attr-defined]
    candidates = select(id_column).where(where).order_by(*order_by).limit(limit).with_for_update(skip_locked=True)
    stmt = (
        update(model)
        .where(id_column.in_(candidates.scalar_subquery()))
        .values(**values)
        .returning(model)
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(stmt)
    return list(result.scalars().all())
