"""Two bot processes on one database (two engines with their own connections or pools, as two
processes have): a button sent by one is pressed on the other, a fan-out claimed by both goes out
once, and one that dies mid fan-out loses nothing. On PostgreSQL in the PostgreSQL run."""

from __future__ import annotations

import asyncio
from collections import Counter

from bot.core.engine import Engine
from bot.core.replies import Outgoing
from tests.conftest import Chat, Setup, due_now, text_of, utc

GROUPS = 120


async def planned(engine: Engine, n: int = GROUPS) -> None:
    for i in range(n):
        await Chat(engine, f"team{i}").cmd("planning maandag 12:00")


async def test_a_button_sent_by_one_is_pressed_on_the_other(setup: Setup) -> None:
    one, other = await setup.engine(), await setup.engine()
    sent = await Chat(one, "team").cmd("vraag")
    again = Chat(other, "team")
    answer = await again.press("Nog een vraag", replies=sent)
    assert "Er ging iets mis" not in text_of(answer) and answer[0].plain != sent[0].plain
    stale = await Chat(one, "team").press("Nog een vraag", replies=sent)  # pressed twice
    assert "Er ging iets mis" not in text_of(stale)


async def test_two_claiming_at_once_send_each_post_once(setup: Setup) -> None:
    one, other = await setup.engine(), await setup.engine()
    await planned(one)
    setup.clock.set(utc(2026, 3, 2, 11, 0, 30))  # Monday 12:00:30 in Brussels
    first, second = await asyncio.gather(due_now(one), due_now(other))
    keys = Counter(o.key for o in first + second)
    assert len(keys) == GROUPS and set(keys.values()) == {1}


async def test_one_dies_mid_fan_out_and_the_other_sends_the_rest(setup: Setup) -> None:
    one, other = await setup.engine(), await setup.engine()
    await planned(one)
    setup.clock.set(utc(2026, 3, 2, 11, 0, 30))
    dying = setup.scheduler(one)
    setup.platform.hold = asyncio.Event()  # every send of the first process hangs
    tick = asyncio.create_task(dying.tick())
    await asyncio.wait_for(setup.platform.entered.wait(), 10)
    await asyncio.sleep(0)
    tick.cancel()  # the process is gone (kill -9): its claims stay open, nothing was sent
    await asyncio.gather(tick, return_exceptions=True)
    assert setup.platform.sent == []
    stranded = await other.db.scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'claimed'")
    assert stranded > 0  # claimed and rendered, never sent
    setup.platform.hold = None

    survivor = setup.scheduler(other)
    await survivor.tick()  # idle while the dead one's lease is fresh, or it takes over now
    setup.clock.advance(minutes=3)
    await survivor.tick()
    sent: list[Outgoing] = setup.platform.sent
    keys = Counter(o.key for o in sent)
    assert len(keys) == GROUPS and set(keys.values()) == {1}


async def test_a_claimed_batch_lets_the_loop_turn_between_its_posts(setup: Setup) -> None:
    """SQLite answers on the event loop: a batch of a hundred that never yields would hold back
    every send whose turn came just before it (they would arrive crowded)."""
    engine = await setup.engine()
    await planned(engine, 100)
    setup.clock.set(utc(2026, 3, 2, 11, 0, 30))
    turns = 0
    claiming = True

    async def other_work() -> None:
        nonlocal turns
        while claiming:
            turns += 1
            await asyncio.sleep(0)

    beside = asyncio.create_task(other_work())
    await asyncio.sleep(0)
    start = turns
    claimed = await due_now(engine)
    claiming = False
    await beside
    assert len(claimed) == 100
    assert turns - start >= 100
