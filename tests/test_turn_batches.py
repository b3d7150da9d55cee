"""Under load, turns of different people share a transaction; one person's messages stay in order."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from bot.turns import TurnBatcher
from handlers.conversation import TurnRequest
from handlers.messages import Incoming, Reply


class RecordingConversation:
    """Stands in for the core: records each batch it is given and answers with the text."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    async def handle_many(self, requests: list[TurnRequest]) -> list[list[Reply]]:
        self.batches.append([r.incoming.text for r in requests])
        await asyncio.sleep(0.01)
        return [[Reply(f"re: {r.incoming.text}")] for r in requests]


def message(who: str, text: str) -> TurnRequest:
    return TurnRequest(Incoming(platform="slack", identity=who, conversation="D1", text=text))


def batcher(conversation: Any, *, parallel: int, size: int = 32) -> TurnBatcher:
    return TurnBatcher(SimpleNamespace(conversation=conversation), parallel=parallel, size=size)  # type: ignore[arg-type]


async def test_people_share_a_batch_but_a_persons_next_message_waits_for_their_last() -> None:
    core = RecordingConversation()
    turns = batcher(core, parallel=1)
    first = asyncio.create_task(turns.run(message("alice", "a1")))
    await asyncio.sleep(0)
    rest = [turns.run(message(who, text)) for who, text in [("alice", "a2"), ("bob", "b1"), ("alice", "a3")]]
    answers = await asyncio.gather(first, *rest)
    assert [a[0].text for a in answers] == ["re: a1", "re: a2", "re: b1", "re: a3"]
    assert core.batches == [["a1"], ["a2", "b1"], ["a3"]]


async def test_parallel_batches_never_hold_one_persons_messages_at_once() -> None:
    core = RecordingConversation()
    turns = batcher(core, parallel=4, size=2)
    texts = [(f"p{n % 3}", f"m{n}") for n in range(12)]
    await asyncio.gather(*(turns.run(message(who, text)) for who, text in texts))
    handled = [text for batch in core.batches for text in batch]
    assert sorted(handled) == sorted(text for _, text in texts)  # each once
    for person in ("p0", "p1", "p2"):  # in the order they were sent
        mine = [text for who, text in texts if who == person]
        assert [text for text in handled if text in mine] == mine
    assert all(len(batch) <= 2 for batch in core.batches)


async def test_when_the_database_is_down_every_waiting_turn_gets_the_error() -> None:
    class Down:
        async def handle_many(self, requests: list[TurnRequest]) -> list[list[Reply]]:
            raise ConnectionError("database unreachable")

    turns = batcher(Down(), parallel=1)
    results = await asyncio.gather(turns.run(message("a", "x")), turns.run(message("b", "y")), return_exceptions=True)
    assert all(isinstance(result, ConnectionError) for result in results)
