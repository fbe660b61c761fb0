"""What two processes on one database share besides the claims: the pace of a bot token and
the inbox of a webhook. Two engines here, as two processes have (their own connection or pool)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.inbox import TAKEN_FOR, Inbox
from scheduler.pacing import LATE, SharedPace
from tests.conftest import Setup


async def test_two_processes_take_slots_of_one_pace(setup: Setup) -> None:
    one, two = await setup.engine(), await setup.engine()
    wall = [1000.0]
    first, second = SharedPace(one.db, lambda: wall[0]), SharedPace(two.db, lambda: wall[0])
    waits = [await pace.take("telegram:telegram", 0.1) for pace in (first, second) * 3]
    assert waits == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4, 0.5])
    assert await first.take("slack:T1", 0.1) == 0.0  # another workspace, its own pace
    wall[0] += 10  # idle for a while: no credit for the quiet time, the next goes now
    assert await second.take("telegram:telegram", 0.1) == 0.0
    assert await first.take("telegram:telegram", 0.1) == pytest.approx(0.1)


async def test_a_slot_that_already_passed_is_taken_again(setup: Setup) -> None:
    engine = await setup.engine()
    late = LATE * 5  # the answer came back 50 ms after asking (the database was busy)
    times = iter([1000.0, 1000.0 + late, 1000.0 + late, 1000.0 + late])
    pace = SharedPace(engine.db, lambda: next(times))
    # the slot of 1000.0 had passed when it came: given up, the next one (1000.1) is used
    assert await pace.take("telegram:telegram", 0.1) == pytest.approx(0.1 - late)
    assert await engine.db.scalar("SELECT slot FROM pacing") == pytest.approx(1000.2)


async def test_an_update_is_taken_by_one_process(setup: Setup) -> None:
    one, two = await setup.engine(), await setup.engine()
    now = setup.clock.now()
    first, second = Inbox(one.db, "telegram", "een"), Inbox(two.db, "telegram", "twee")
    assert await first.add([(str(n), f'{{"update_id": {n}}}') for n in range(1, 7)], now) == 6
    mine = await first.waiting(set(), 4, now)
    theirs = await second.waiting(set(), 10, now)
    assert [w.update_id for w in mine] == ["1", "2", "3", "4"]  # in received order
    assert [w.update_id for w in theirs] == ["5", "6"]  # never the same one twice
    assert await second.waiting(set(), 10, now) == []
    await first.handled("1", now)
    await first.give_back()  # a stop: 2, 3 and 4 were not started
    assert [w.update_id for w in await second.waiting(set(), 10, now)] == ["2", "3", "4"]
    # the second dies holding 2..6: after TAKEN_FOR the first takes them
    assert await first.waiting(set(), 10, now + TAKEN_FOR - timedelta(seconds=1)) == []
    later = await first.waiting(set(), 10, now + TAKEN_FOR + timedelta(seconds=1))
    assert [w.update_id for w in later] == ["2", "3", "4", "5", "6"]
