"""Retention: private text and delivery records older than the operator's limit are deleted."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, delete, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import InboxEvent, Nudge, OutboxMessage, Reflection


async def forget_before(session: AsyncSession, cutoff: datetime) -> dict[str, int]:
    """Delete reflections, nudge notes, finished deliveries and handled events from before `cutoff`."""
    reflections = await session.exec(delete(Reflection).where(col(Reflection.created_at) < cutoff))
    notes = await session.exec(
        update(Nudge).where(col(Nudge.created_at) < cutoff, col(Nudge.note).is_not(None)).values(note=None)
    )
    deliveries = await session.exec(
        delete(OutboxMessage).where(
            col(OutboxMessage.created_at) < cutoff, col(OutboxMessage.state).in_(["sent", "failed", "cancelled"])
        )
    )
    events = await session.exec(
        delete(InboxEvent).where(col(InboxEvent.received_at) < cutoff, col(InboxEvent.state) != "pending")
    )
    return {
        "reflections": int(reflections.rowcount or 0),
        "nudge_notes": int(notes.rowcount or 0),
        "deliveries": int(deliveries.rowcount or 0),
        "events": int(events.rowcount or 0),
    }
