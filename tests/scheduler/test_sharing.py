"""What two processes on one database share besides the claims: the pace of a bot token and
the inbox of a webhook. Two engines here, as two processes have (their own connection or pool)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from bot.core.delivery import SendLimits
from bot.core.engine import Engine
from bot.core.inbox import TAKEN_FOR, Inbox
from bot.core.pacing import ALONE_AFTER, HOLD, LATE, Pace, Paces, Released
from tests.conftest import Setup


class Wall:
    """A wall clock the paces' sleeps move, so seconds of pacing pass at once; a sleep can be
    made to wake late (a busy loop)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.oversleep = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds + self.oversleep
        await asyncio.sleep(0)


TELEGRAM = SendLimits(per_second=30, per_group_per_minute=20, per_private_per_second=1)
TOKEN = ("telegram", "telegram")
ACCOUNT = "telegram:telegram"
"""The row of TOKEN's pace in the pacing table."""


def paces(engine: Engine, wall: Wall) -> Paces:
    return Paces(engine.db, wall, wall.sleep)


async def sends(pace: Pace, wall: Wall, count: int, chat: str | None = None) -> list[float]:
    """When each of `count` messages left, one after the other."""
    times = []
    for _ in range(count):
        await pace.wait(chat, chat is not None and chat.startswith("-"))
        times.append(wall.now)
    return times


def busiest(times: list[float], window: float) -> int:
    ordered = sorted(times)
    return max(sum(1 for t in ordered[i:] if t - start < window) for i, start in enumerate(ordered))


async def test_two_processes_take_windows_of_one_pace(setup: Setup) -> None:
    one, two = await setup.engine(), await setup.engine()
    wall = Wall()
    first, second = paces(one, wall).shared, paces(two, wall).shared
    ends = [await pace.advance(ACCOUNT, 0.1) for pace in (first, second) * 3]
    assert ends == pytest.approx([1000.1, 1000.2, 1000.3, 1000.4, 1000.5, 1000.6])
    assert await first.advance("slack:T1", 0.1) == pytest.approx(1000.1)  # its own pace
    wall.now += 10  # idle for a while: no credit for the quiet time
    assert await second.advance(ACCOUNT, 0.5) == pytest.approx(1010.5)
    assert await first.advance(ACCOUNT, 0.1) == pytest.approx(1010.6)


async def test_sends_of_two_processes_keep_one_rate_together(setup: Setup) -> None:
    one, two = await setup.engine(), await setup.engine()
    a, b = Paces(one.db).of(*TOKEN, TELEGRAM), Paces(two.db).of(*TOKEN, TELEGRAM)
    left: list[float] = []

    async def send(pace: Pace) -> None:
        await pace.wait(None, False)
        left.append(time.time())

    await asyncio.gather(*(send(a) for _ in range(45)), *(send(b) for _ in range(45)))
    assert len(left) == 90 and busiest(left, 1.0) <= 30
    assert a.writes + b.writes < 45  # windows of several slots, not a write per send


async def test_a_group_keeps_its_minute_across_two_processes(setup: Setup) -> None:
    one, two = await setup.engine(), await setup.engine()
    wall = Wall()
    a, b = paces(one, wall).of(*TOKEN, TELEGRAM), paces(two, wall).of(*TOKEN, TELEGRAM)
    left: list[float] = []
    for n in range(40):  # the group's updates answered by either process in turn
        left += await sends(a if n % 2 else b, wall, 1, chat="-1001234")
    assert busiest(left, 60.0) <= 20
    assert left[9] - left[0] < 1.0  # half the limit goes at once
    assert left[-1] - left[0] < 3.5 * 60  # and the rest is not held back much more than needed
    left += await sends(a, wall, 1, chat="-1009")  # another group is not held back
    assert left[-1] - left[-2] < 0.1


async def test_a_slot_missed_by_a_late_wake_is_not_used(setup: Setup) -> None:
    wall = Wall()
    pace = paces(await setup.engine(), wall).of(*TOKEN, TELEGRAM)
    await pace.wait(None, False)
    wall.oversleep = LATE * 5  # the sleep wakes 50 ms late (a busy loop): that slot is given up
    start = wall.now
    await pace.wait(None, False)
    assert wall.slept == [pytest.approx(pace._interval)]  # noqa: SLF001
    assert wall.now == pytest.approx(start + pace._interval + LATE * 5)  # noqa: SLF001
    assert pace.writes == 3  # a slot, the one missed, and the one taken after waking


async def test_a_send_that_goes_on_late_after_its_turn_takes_another(setup: Setup) -> None:
    wall = Wall()
    busy = [LATE * 5]

    async def sleep(seconds: float) -> None:
        await wall.sleep(seconds)
        if busy:  # once: after this turn is given, other work holds the loop for 50 ms
            late = busy.pop()
            asyncio.get_running_loop().call_soon(lambda: setattr(wall, "now", wall.now + late))

    pace = Paces((await setup.engine()).db, wall, sleep).of(*TOKEN, TELEGRAM)
    left: list[float] = []

    async def send() -> None:
        await pace.wait(None, False, urgent=False)
        left.append(wall.now)

    await asyncio.gather(*(send() for _ in range(3)))
    assert pace.missed == 1  # the second send's turn had passed when it went on
    gaps = [b - a for a, b in zip(left, left[1:], strict=False)]
    assert min(gaps) >= pace._interval - 1e-9  # noqa: SLF001 - no two go at once


async def test_a_reply_takes_its_turn_before_waiting_posts(setup: Setup) -> None:
    wall = Wall()
    pace = paces(await setup.engine(), wall).of(*TOKEN, TELEGRAM)
    order: list[str] = []

    async def send(name: str, urgent: bool) -> None:
        await pace.wait(None, False, urgent=urgent)
        order.append(name)

    posts = [asyncio.create_task(send(f"post {n}", False)) for n in range(5)]
    reply = asyncio.create_task(send("reply", True))  # a command came in during a fan-out
    await asyncio.gather(*posts, reply)
    assert order == ["reply", "post 0", "post 1", "post 2", "post 3", "post 4"]
    assert wall.now - 1000.0 == pytest.approx(5 * pace._interval)  # noqa: SLF001


async def test_a_stop_releases_waiting_posts_and_lets_replies_go(setup: Setup) -> None:
    wall = Wall()
    held = asyncio.Event()

    async def sleep(seconds: float) -> None:  # time stands still until the test lets it go
        await held.wait()
        wall.now += seconds

    lone = Paces((await setup.engine()).db, wall, sleep)
    pace = lone.of(*TOKEN, TELEGRAM)
    held.set()
    for _ in range(10):  # the group's burst is used up
        await pace.wait("-1007", True, urgent=False)
    held.clear()  # from now on a sleep lasts until the test ends it
    queued = [asyncio.create_task(pace.wait(None, False, urgent=False)) for _ in range(3)]
    for_group = asyncio.create_task(pace.wait("-1007", True, urgent=False))
    for _ in range(20):  # let them all reach their wait
        await asyncio.sleep(0)
    assert not any(t.done() for t in queued + [for_group])
    lone.release_posts()  # what the scheduler's stop does
    results = await asyncio.gather(*queued, for_group, return_exceptions=True)
    assert all(isinstance(r, Released) for r in results)
    with pytest.raises(Released):
        await pace.wait(None, False, urgent=False)
    reply = asyncio.create_task(pace.wait(None, False, urgent=True))
    held.set()
    await asyncio.wait_for(reply, 5)  # a reply still goes


async def test_a_lone_process_holds_the_pace_and_gives_it_up_to_a_second(setup: Setup) -> None:
    one, two = await setup.engine(), await setup.engine()
    wall = Wall()
    lone = paces(one, wall)
    await lone.company(0)
    wall.now += ALONE_AFTER
    await lone.company(0)
    assert lone.alone
    a = lone.of(*TOKEN, TELEGRAM)
    times = await sends(a, wall, 60)
    assert a.writes == 1 and busiest(times, 1.0) <= 30  # one window for two seconds of sends
    await lone.company(0)  # a heartbeat renews the hold: one write, whatever was sent
    assert a.writes == 2
    held_until = wall.now + HOLD
    # a second process starts: its first slot lies after the held window
    first = await paces(two, wall).shared.advance(ACCOUNT, 0.1) - 0.1
    assert first == pytest.approx(held_until)
    # the lone one's next renewal finds that slot taken: it shares from now on
    await lone.company(0)
    assert not lone.alone
    mine = await sends(a, wall, 3)  # the rest of its window: no write, no slot of the other's
    assert a.writes == 3 and max(mine) <= first - a._interval  # noqa: SLF001
    wall.now = first  # its window has run out: the next comes after the other's slot
    later = await sends(a, wall, 1)
    assert a.writes == 4 and later[0] >= first + 0.1


async def test_a_lone_process_that_finds_a_slot_taken_stops_holding(setup: Setup) -> None:
    one, two = await setup.engine(), await setup.engine()
    wall = Wall()
    lone = paces(one, wall)
    await lone.company(0)
    wall.now += ALONE_AFTER
    other = await paces(two, wall).shared.advance(ACCOUNT, 5.0)  # a newcomer's window
    await lone.of(*TOKEN, TELEGRAM).wait(None, False)
    assert wall.now >= other and not lone.alone


async def test_leaving_alone_writes_the_groups_reservations_first(setup: Setup) -> None:
    one, two = await setup.engine(), await setup.engine()
    wall = Wall()
    lone = paces(one, wall)
    await lone.company(0)
    wall.now += ALONE_AFTER
    mine = await sends(lone.of(*TOKEN, TELEGRAM), wall, 6, chat="-1005")  # in memory only
    await lone.company(1)  # a heartbeat shows another process
    theirs = await sends(paces(two, wall).of(*TOKEN, TELEGRAM), wall, 6, chat="-1005")
    assert min(theirs) > max(mine)  # no fresh burst: it knew what the first had sent
    assert busiest(mine + theirs, 60.0) <= 20


async def test_without_the_database_the_pace_holds_in_memory_and_says_so_once(
    setup: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    """The database goes away mid-send: messages keep their rate from this process alone, the
    log says it once (not once per message), and again once when the database is back."""
    engine, wall = await setup.engine(), Wall()
    pace = paces(engine, wall).of(*TOKEN, TELEGRAM)
    await sends(pace, wall, 3)
    broken = engine.db.scalar
    address = "-".join(("db", "intern", "5432"))  # not spelled out: the stack shows this line

    async def away(*args: object, **kwargs: object) -> object:
        raise OSError(address)

    engine.db.scalar = away  # type: ignore[method-assign]
    with caplog.at_level("INFO", logger="bot.core.pacing"):
        times = await sends(pace, wall, 60)
        engine.db.scalar = broken  # type: ignore[method-assign]
        await sends(pace, wall, 3)
    assert busiest(times, 1.0) <= 30
    messages = [r.getMessage() for r in caplog.records]
    assert sum("pacing without the database" in m for m in messages) == 1
    assert sum("pacing with the database again" in m for m in messages) == 1
    assert not any(address in m for m in messages)  # the error's class, not its text


async def test_a_batch_of_updates_is_stored_in_one_statement_and_a_repeat_not_again(
    setup: Setup,
) -> None:
    """A long poll's hundred updates in one statement, without a transaction (on PostgreSQL
    no BEGIN, COMMIT or write lock); one over the hundred goes in a second; ids seen before
    are not counted and keep their first body."""
    engine = await setup.engine()
    inbox, now = Inbox(engine.db, "telegram", "een"), setup.clock.now()
    before = engine.db.round_trips
    assert await inbox.add([(str(n), f'{{"update_id": {n}}}') for n in range(1, 102)], now) == 101
    assert engine.db.round_trips - before == 2
    again = [("100", '{"update_id": 100, "nieuw": 1}'), ("101", "{}"), ("102", "{}")]
    assert await inbox.add(again, now) == 1
    taken = await inbox.waiting(set(), 200, now)
    assert [w.update_id for w in taken] == [str(n) for n in range(1, 103)]
    assert taken[99].body == '{"update_id": 100}'


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
