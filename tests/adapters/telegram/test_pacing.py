"""One pace for every send of the bot token: replies to commands and the scheduler's weekly
posts go out together through python-telegram-bot's rate limiter against a fake Bot API that
enforces Telegram's 30 a second (and 20 a minute per group) with 429s, and none is refused."""

from __future__ import annotations

import asyncio
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from adapters.telegram import TelegramAdapter
from bot.core.clock import FakeClock
from bot.core.delivery import PARTIALLY_SENT, Outcome
from bot.core.engine import Engine
from bot.core.pacing import Paces
from bot.core.replies import Outgoing, Target, say
from scheduler.service import Scheduler
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.adapters.telegram.test_outage import groups_due
from tests.conftest import utc

POSTS = 90
PEOPLE = 60
TEAM = U.group(-1009100000001, "Team Noord")
IN_TEAM = 10
"""Commands in one group: half its 20 a minute, which may go at once."""
STREAMS = 6
"""People typing at the same time (each stream waits for its answer before the next)."""


@pytest.fixture(params=["shared", "alone"])
async def paced(
    request: pytest.FixtureRequest, engine: Engine, api: FakeBotApi
) -> AsyncIterator[TelegramAdapter]:
    """The adapter with the token's pace as python-telegram-bot's rate limiter; `alone`: the
    heartbeat has shown no other process (the pace is held in memory), `shared`: slot windows
    from the database, as beside another process."""
    if request.param == "alone":
        engine.paces = Paces(engine.db, alone_after=0.0)
    api.enforce_limits()
    adapter = TelegramAdapter(engine, api.token, base_url=api.base_url)
    await adapter.start()
    yield adapter
    await adapter.stop()


async def test_replies_and_posts_share_30_a_second_without_a_429(
    engine: Engine, clock: FakeClock, api: FakeBotApi, paced: TelegramAdapter
) -> None:
    chats = await groups_due(engine, POSTS)
    clock.set(utc(2026, 3, 2, 11, 0, 30))
    scheduler = Scheduler(engine, {"telegram": paced})
    people = [U.user(4000 + n, f"Vrijwilliger {n}") for n in range(PEOPLE)]
    members = [U.user(5000 + n, f"Teamlid {n}") for n in range(IN_TEAM)]
    mark = api.mark()

    async def stream(updates: list[dict[str, object]]) -> None:
        for update in updates:  # one after the other, as people type
            await paced.process(update)

    posts = asyncio.create_task(scheduler.tick())
    await asyncio.gather(
        *(
            stream([U.message(U.private(p), p, "/vraag groen") for p in people[n::STREAMS]])
            for n in range(STREAMS)
        ),
        stream([U.message(TEAM, m, "/vraag rood") for m in members]),
    )
    assert await asyncio.wait_for(posts, 30) == {"sent": POSTS}
    await scheduler.stop()
    assert api.limits is not None and api.limits.refused == []
    sent = Counter(c.chat_id for c in api.since(mark))
    assert all(sent[str(p["id"])] == 1 for p in people)
    assert sent[str(TEAM["id"])] == IN_TEAM
    assert all(sent[c] == 1 for c in chats)
    arrivals = sorted(c.at for c in api.since(mark))
    assert len(arrivals) == POSTS + PEOPLE + IN_TEAM
    floor = (len(arrivals) - 30) / 30  # the first 30 may go in the first second
    assert arrivals[-1] - arrivals[0] < floor * 1.25 + 1  # paced, not held back


async def test_without_the_pace_the_fake_refuses_like_telegram(
    engine: Engine, api: FakeBotApi
) -> None:
    """The check above can fail: the same replies without a pace draw 429s."""
    limits = api.enforce_limits()
    adapter = TelegramAdapter(engine, api.token, base_url=api.base_url, rate_limit=False)
    adapter.sender.patience = 0.0  # give up at the first 429 instead of waiting it out
    await adapter.start()
    try:
        people = [U.user(4000 + n, f"Vrijwilliger {n}") for n in range(PEOPLE)]
        await asyncio.gather(
            *(adapter.process(U.message(U.private(p), p, "/vraag groen")) for p in people)
        )
    finally:
        await adapter.stop()
    assert "token" in limits.refused


async def test_a_post_stopped_between_its_parts_is_not_sent_again(
    engine: Engine, api: FakeBotApi
) -> None:
    """The process stops while a long post waits for its group's turn: the parts already out
    must not be repeated by whichever process takes the claim over."""
    api.enforce_limits()
    adapter = TelegramAdapter(engine, api.token, base_url=api.base_url)
    await adapter.start()
    paragraphs = [f"Alinea {n}: " + "woord " * 120 for n in range(100)]  # about 18 messages
    target = Target("telegram", "telegram", conversation_id=str(TEAM["id"]))
    delivery = asyncio.create_task(adapter.deliver(Outgoing(target, say("\n\n".join(paragraphs)))))
    await api.wait_for("sendMessage", count=10, timeout=10)  # a group's first ten go at once
    engine.paces.release_posts()
    result = await asyncio.wait_for(delivery, 5)
    assert (result.outcome, result.detail) == (Outcome.FAILED, PARTIALLY_SENT)
    assert 10 <= len(api.of("sendMessage")) < 18
    await adapter.stop()


async def test_the_fake_dates_a_call_when_it_arrived_not_when_it_was_read(api: FakeBotApi) -> None:
    """The fake judges a pace by arrival: a busy test loop (here held for 0.6 s) must not
    bunch calls that arrived 0.3 s apart."""

    def post(chat: int) -> None:
        body = urllib.parse.urlencode({"chat_id": chat, "text": "hallo"}).encode()
        with urllib.request.urlopen(f"{api.base_url}{api.token}/sendMessage", body, 10) as r:
            assert r.status == 200

    loop = asyncio.get_running_loop()
    first = loop.run_in_executor(None, post, -1)
    time.sleep(0.3)  # not a wait: the loop is held (busy) while both calls arrive
    second = loop.run_in_executor(None, post, -2)
    time.sleep(0.3)
    await asyncio.gather(first, second)
    at = {c.chat_id: c.at for c in api.sent()}
    assert at["-2"] - at["-1"] == pytest.approx(0.3, abs=0.1)
