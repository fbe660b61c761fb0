"""Telegram as the scheduler's platform during an outage, a definite no and a slow API: each
group gets its weekly post once, late rather than never. The sender's pauses move the fake
clock, so a 60-second outage or an hour of 429s passes at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from adapters.telegram import TelegramAdapter
from bot.core.clock import FakeClock
from bot.core.engine import Engine
from scheduler.service import Scheduler
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.conftest import Sleeps
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.conftest import posts_due, utc

START = "2026-03-02T11:00:00+00:00"


@pytest.fixture
async def fast(engine: Engine, api: FakeBotApi, sleeps: Sleeps) -> AsyncIterator[TelegramAdapter]:
    """Without python-telegram-bot's rate limiter, which waits in real time: the scheduler's own
    pacer keeps the limits here, and its pauses are injected."""
    adapter = TelegramAdapter(engine, api.token, base_url=api.base_url, rate_limit=False)
    adapter.sender.sleep = sleeps
    await adapter.start()
    yield adapter
    await adapter.stop()


async def groups_due(engine: Engine, count: int) -> list[str]:
    """`count` Telegram groups whose weekly post is due at START."""
    chats = [str(-1001000000000 - n) for n in range(count)]
    return await posts_due(engine, "telegram", "telegram", chats, START)


class Outage:
    """The sender's sleep: moves the fake clock, and ends the outage once it has lasted."""

    def __init__(self, clock: FakeClock, api: FakeBotApi, seconds: float) -> None:
        self.clock, self.api = clock, api
        self.ends = clock.now() + timedelta(seconds=seconds)

    async def __call__(self, seconds: float) -> None:
        self.clock.advance(seconds=seconds)
        if self.clock.now() >= self.ends:
            self.api._failures.clear()  # noqa: SLF001 - the platform is back
        await asyncio.sleep(0)


async def test_a_60_second_outage_is_waited_out(
    engine: Engine, clock: FakeClock, api: FakeBotApi, fast: TelegramAdapter
) -> None:
    chats = await groups_due(engine, 30)
    clock.set(utc(2026, 3, 2, 11, 0, 30))
    api.fail("sendMessage", 500, "Internal Server Error", times=10_000)
    scheduler = Scheduler(
        engine,
        {"telegram": fast},
        sleep=Outage(clock, api, 60),
        monotonic=lambda: clock.now().timestamp(),
    )
    counts = await scheduler.tick()
    assert counts == {"sent": 30}  # before: 160 of 300 recorded as failed, never retried
    assert sorted(c.chat_id for c in api.sent()) == sorted(chats)
    assert await engine.db.scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'sent'") == 30


async def test_only_a_definite_no_fails_and_the_grace_ends_retrying(
    engine: Engine, clock: FakeClock, api: FakeBotApi, fast: TelegramAdapter
) -> None:
    chats = await groups_due(engine, 3)
    clock.set(utc(2026, 3, 2, 11, 0, 30))
    api.fail("sendMessage", 400, "Bad Request: message text is empty", chat_id=chats[0])
    api.fail(
        "sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat", chat_id=chats[1]
    )
    api.fail(
        "sendMessage",
        429,
        "Too Many Requests: retry after 30",
        chat_id=chats[2],
        times=10_000,
        retry_after=30,
    )
    scheduler = Scheduler(
        engine,
        {"telegram": fast},
        sleep=Outage(clock, api, 10**9),
        grace=timedelta(hours=1),
        monotonic=lambda: clock.now().timestamp(),
    )
    assert await scheduler.tick() == {"failed": 2, "gone": 1}
    rows = {
        r["detail"].split(" ")[0]: r["status"]
        for r in await engine.db.all("SELECT status, detail FROM deliveries")
    }
    assert rows == {"BadRequest": "failed", "Forbidden": "gone", "RetryAfter": "failed"}
    assert clock.now() >= utc(2026, 3, 2, 11, 59)  # the 429s were waited out for the hour


async def test_a_slow_api_sends_one_copy(engine: Engine, clock: FakeClock, api: FakeBotApi) -> None:
    """Scaled down: Telegram answering after 30 s against a 40 s send timeout is an answer after
    0.3 s against 0.6 s here; answering after 1.2 s is a time-out, repeated once, never twice."""
    chats = await groups_due(engine, 4)
    clock.set(utc(2026, 3, 2, 11, 0, 30))
    tg = TelegramAdapter(
        engine, api.token, base_url=api.base_url, send_timeout=0.6, rate_limit=False
    )
    await tg.start()
    try:
        api.latency = 0.3
        scheduler = Scheduler(
            engine,
            {"telegram": tg},
            sleep=Outage(clock, api, 0),
            monotonic=lambda: clock.now().timestamp(),
        )
        counts = await scheduler.tick()
        assert counts == {"sent": 4}
        assert sorted(c.chat_id for c in api.sent()) == sorted(chats)  # one copy each
        api.latency = 1.2
        clock.set(utc(2026, 3, 9, 11, 0, 30))
        assert await scheduler.tick() == {"failed": 4}
        for chat in chats:
            assert len(api.sent(chat)) <= 1 + 2  # last week's one, then at most two tries
        assert (
            await engine.db.scalar(
                "SELECT COUNT(*) FROM deliveries WHERE detail LIKE 'TimedOut (twee keer%'"
            )
            == 4
        )
    finally:
        api.latency = 0
        await tg.stop()


async def test_replies_to_commands_wait_out_an_outage(
    fast: TelegramAdapter, api: FakeBotApi, sleeps: Sleeps
) -> None:
    """Before: 20 of 20 replies dropped during a 60 s outage of 500s and 429s."""
    group = U.group()
    for n in range(20):
        api.fail(
            "sendMessage",
            500 if n % 2 else 429,
            "Internal Server Error" if n % 2 else "Too Many Requests: retry after 5",
            times=6,
            retry_after=None if n % 2 else 5,
        )
        await fast.process(U.message(group if n % 3 else U.private(U.AN), U.AN, "/vraag groen"))
        api._failures.clear()  # noqa: SLF001
    assert len(api.sent()) == 20
    assert sum(sleeps.waits) >= 20 * 5  # each waited out its outage, none gave up
