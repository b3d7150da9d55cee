"""Group commit: callers arriving together share one write; one key's items stay in order; errors reach every caller."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.grouping import GroupCommit
from handlers.clock import ManualClock


class Recorder:
    """A write that records each group it is given and answers with the items upper-cased."""

    def __init__(self) -> None:
        self.groups: list[list[tuple[str, str]]] = []

    async def write(self, items: list[tuple[str, str]]) -> list[str]:
        self.groups.append(list(items))
        await asyncio.sleep(0.01)
        return [text.upper() for _, text in items]


def clock() -> ManualClock:
    return ManualClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))


def person(item: tuple[str, str]) -> str:
    return item[0]


async def test_callers_arriving_while_a_write_runs_share_the_next_write() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder.write, clock=clock())
    first = asyncio.create_task(group.submit(("a", "one")))
    await asyncio.sleep(0)
    rest = [group.submit((who, text)) for who, text in [("b", "two"), ("c", "three")]]
    assert await asyncio.gather(first, *rest) == ["ONE", "TWO", "THREE"]
    assert [[text for _, text in g] for g in recorder.groups] == [["one"], ["two", "three"]]


async def test_one_keys_next_item_waits_for_its_last_and_order_is_kept() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder.write, clock=clock(), key=person)
    first = asyncio.create_task(group.submit(("alice", "a1")))
    await asyncio.sleep(0)
    rest = [group.submit(item) for item in [("alice", "a2"), ("bob", "b1"), ("alice", "a3")]]
    assert await asyncio.gather(first, *rest) == ["A1", "A2", "B1", "A3"]
    assert [[text for _, text in g] for g in recorder.groups] == [["a1"], ["a2", "b1"], ["a3"]]


async def test_parallel_groups_never_hold_one_keys_items_at_once_and_respect_the_size() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder.write, clock=clock(), key=person, parallel=4, size=2)
    items = [(f"p{n % 3}", f"m{n}") for n in range(12)]
    await asyncio.gather(*(group.submit(item) for item in items))
    handled = [text for g in recorder.groups for _, text in g]
    assert sorted(handled) == sorted(text for _, text in items)  # each once
    for who in ("p0", "p1", "p2"):  # in the order they were submitted
        mine = [text for w, text in items if w == who]
        assert [text for text in handled if text in mine] == mine
    assert all(len(g) <= 2 for g in recorder.groups)


async def test_when_the_write_fails_every_caller_in_that_group_gets_the_error_and_later_groups_still_run() -> None:
    calls = 0

    async def flaky(items: list[str]) -> list[str]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        if calls == 1:
            raise ConnectionError("database unreachable")
        return items

    group: GroupCommit[str, str] = GroupCommit(flaky, clock=clock())
    first = [group.submit_nowait(x) for x in ("a", "b")]
    results = await asyncio.gather(*first, return_exceptions=True)
    assert all(isinstance(result, ConnectionError) for result in results)
    assert await group.submit("c") == "c"


async def test_a_write_that_answers_the_wrong_number_of_results_fails_its_callers_loudly() -> None:
    async def short(items: list[str]) -> list[str]:
        return items[:-1]

    group: GroupCommit[str, str] = GroupCommit(short, clock=clock())
    with pytest.raises(RuntimeError, match="gave 0 results"):
        await group.submit("x")


async def test_linger_waits_on_the_injected_clock_so_more_items_join() -> None:
    recorder = Recorder()
    manual = clock()
    start = manual.now()
    group = GroupCommit(recorder.write, clock=manual, linger=0.05)
    futures = [group.submit_nowait((str(n), f"t{n}")) for n in range(3)]
    await group.flush()
    assert [f.result() for f in futures] == ["T0", "T1", "T2"]
    assert len(recorder.groups) == 1
    assert (manual.now() - start).total_seconds() == pytest.approx(0.05)
