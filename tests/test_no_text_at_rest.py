"""What people type is never stored in the clear: every text column of every table is searched for it,
on SQLite and on PostgreSQL, after it went through the inbox, a reflection, the outbox and a support reply."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, Text, cast, func, select
from sqlmodel import SQLModel

from bot.engine import Event, TurnEngine
from bot.protocols import Turn
from handlers.context import Services
from handlers.conversation import Conversation
from handlers.messages import Incoming
from storage import Database

PLANTED = "okapi-velvet-7781"


class Planted:
    """An adapter for a platform whose events are a person's lines (kept in the inbox, replies queued)."""

    platform = "slack"

    def translate(self, payload: dict[str, Any]) -> Turn:
        incoming = Incoming(platform="slack", identity="slack:T1:W9", conversation="D9", text=str(payload["text"]))
        return Turn(incoming, target={"channel": "D9"})


async def columns_holding(db: Database, needle: str) -> list[str]:
    """Every table.column whose text (JSON cast to text) contains `needle`."""
    found = []
    async with db.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                kind = getattr(column.type, "impl", column.type)  # SQLModel's AutoString decorates String
                if not isinstance(kind, String | Text | JSON):
                    continue
                count = await conn.scalar(
                    select(func.count()).select_from(table).where(cast(column, Text).like(f"%{needle}%"))
                )
                if count:
                    found.append(f"{table.name}.{column.name}")
    return found


async def test_a_planted_reflection_distress_and_its_read_back_are_in_no_text_column(
    db: Database, conversation: Conversation, services: Services
) -> None:
    engine = TurnEngine(
        db=db, conversation=conversation, clock=services.clock, owner="test", parallel=1, sealer=services.sealer
    )
    engine.attach(Planted())  # no transport: the replies stay queued in the outbox, as after a crash
    said = [
        "checkin now",
        f"i cant cope anymore, {PLANTED}, the rota is impossible",  # a reflection that also gets support
        "my reflections",  # read back to its author
        f"what is the code of practice {PLANTED}?",
        # answered, and kept a while for a follow-up
        f"how do i run a good one to one with my new band 5 nurse, she is struggling with her confidence and "
        f"workload, {PLANTED}",
    ]
    for n, text in enumerate(said):
        receipt = await engine.receive(Event("slack", f"Ev{n}", {"text": text}), wait=True)
        assert receipt.replies
    async with db.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(SQLModel.metadata.tables["outbox_message"])) > 0
        # the question answered is kept a while for a follow-up (handlers.follow_ups): sealed like the rest
        assert await conn.scalar(select(func.count()).select_from(SQLModel.metadata.tables["recent_question"])) == 1
    assert "person.identity" in await columns_holding(db, "slack:T1:W9")  # the search does find what is there
    assert await columns_holding(db, PLANTED) == []
    assert await columns_holding(db, "116 123") == []  # nor what the support reply said
