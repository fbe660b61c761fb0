"""Every message to Slack waits for its workspace's pace: replies to commands from many channels
at once, a reply of several parts, and the scheduler's posts, against a fake Slack that refuses
what goes over the declared limits (4 a second per workspace, 60 a minute per channel) with
429s, as Slack does."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from adapters.slack.limits import SEND_LIMITS
from adapters.slack.runner import EVENTS_PATH, SlackAdapter
from bot.core.clock import FakeClock
from bot.core.delivery import Outcome
from bot.core.engine import Engine
from bot.core.pacing import HEADROOM, Paces, Released
from bot.core.replies import Outgoing, Target, say
from scheduler.service import Scheduler
from tests.adapters.slack.conftest import Slack, http_settings
from tests.adapters.slack.fake_slack import MESSAGES, Call, FakeSlack, SlackSender
from tests.conftest import posts_due, utc

START = "2026-03-02T11:00:00+00:00"
CHANNELS = 16
"""Commands typed at the same moment, each in its own channel: four seconds of the pace."""
RATE = SEND_LIMITS.per_second * HEADROOM


async def channels_due(engine: Engine, count: int) -> list[str]:
    """`count` Slack channels whose weekly post is due at START."""
    return await posts_due(engine, "slack", "T1", [f"CPOST{n:03d}" for n in range(count)], START)


def sent_since(fake: FakeSlack, mark: int) -> list[Call]:
    return [c for c in fake.calls[mark:] if c.method in MESSAGES and not c.refused]


def channel_of(call: Call) -> str:
    return str(call.data.get("channel") or call.data.get("channel_id"))


async def many_at_once(send: Callable[..., Awaitable[Any]], count: int) -> None:
    """`count` commands in as many channels, from as many people, all at the same moment:
    a drawn question (for everyone in the channel) or the jar (only for who typed it)."""
    await asyncio.gather(
        *(
            send(
                "vraag groen" if n % 2 else "pot",
                channel=f"C{100 + n}",
                channel_name=f"team{n}",
                user=f"U{100 + n}",
                user_name=f"vrijwilliger{n}",
            )
            for n in range(count)
        )
    )


@pytest.mark.parametrize("alone", [False, True], ids=["shared", "alone"])
async def test_replies_from_many_channels_keep_the_workspace_pace(
    slack: Slack, engine: Engine, alone: bool
) -> None:
    if alone:  # the heartbeat has shown no other process: the pace is held in memory
        engine.paces = Paces(engine.db, alone_after=0.0)
        await engine.paces.company(0)
    limits = slack.fake.enforce_limits()
    mark = len(slack.fake.calls)
    await many_at_once(slack.sender.command, CHANNELS)
    await slack.adapter.bot.idle(timeout=30)
    assert limits.refused == []
    sent = sent_since(slack.fake, mark)
    assert Counter(channel_of(c) for c in sent) == {f"C{100 + n}": 1 for n in range(CHANNELS)}
    assert Counter(c.method for c in sent) == {
        "chat.postMessage": CHANNELS // 2,
        "chat.postEphemeral": CHANNELS // 2,
    }
    arrivals = sorted(c.at for c in sent)
    assert arrivals[-1] - arrivals[0] < (CHANNELS - 1) / RATE + 1.0  # paced, not held back


async def test_without_the_pace_the_fake_refuses_like_slack(
    engine: Engine, fake: FakeSlack
) -> None:
    """The check above can fail: the same replies without the pace draw 429s (slack_sdk's
    retry handler then waits them out, which is what the pace spares)."""
    limits = fake.enforce_limits()
    adapter = SlackAdapter(engine, http_settings(fake), paced=False)
    await adapter.start()
    try:
        async with aiohttp.ClientSession() as session:
            sender = SlackSender(f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}", session, fake)
            await many_at_once(sender.command, CHANNELS)
            await adapter.bot.idle(timeout=30)
    finally:
        await adapter.stop()
    assert "workspace T1" in limits.refused


async def test_a_reply_of_several_parts_is_not_held_back(slack: Slack) -> None:
    """A channel's pace lets a burst go (Slack: "short bursts allowed"): the parts of one reply
    follow each other at the workspace's turns, a quarter of a second, not one a second or
    slower, also in a channel that just had replies."""
    limits = slack.fake.enforce_limits()
    for n in range(4):
        await slack.command(f"noteer Koffie met de buren, deel {n}")
    mark = len(slack.fake.calls)
    await slack.command("punten export")
    parts = sent_since(slack.fake, mark)
    assert sorted(c.method for c in parts) == [
        "chat.postMessage",
        "chat.postMessage",
        "files.completeUploadExternal",
    ]
    assert {channel_of(c) for c in parts} == {"C1"}
    assert parts[-1].at - parts[0].at < 2 / RATE + 0.4
    assert limits.refused == []


async def test_replies_go_before_the_waiting_posts_of_a_fan_out(
    slack: Slack, engine: Engine, clock: FakeClock
) -> None:
    limits = slack.fake.enforce_limits()
    channels = await channels_due(engine, CHANNELS)
    clock.set(utc(2026, 3, 2, 11, 0, 30))
    scheduler = Scheduler(engine, {"slack": slack.adapter.deliverer})
    fan_out = asyncio.create_task(scheduler.tick())
    await slack.fake.wait_for("chat.postMessage", 2)  # it runs; the other posts wait their turn
    asked = time.monotonic()
    mark = len(slack.fake.calls)
    await many_at_once(slack.sender.command, 3)
    await slack.adapter.bot.idle(timeout=30)
    assert await asyncio.wait_for(fan_out, 30) == {"sent": CHANNELS}
    await scheduler.stop()
    assert limits.refused == []
    sent = sent_since(slack.fake, 0)
    posts = [c.at for c in sent if channel_of(c) in channels]
    replies = [c.at for c in sent_since(slack.fake, mark) if channel_of(c) not in channels]
    assert len(posts) == CHANNELS and len(replies) == 3
    # each reply took one of the next turns, ahead of the posts that were waiting then
    assert max(replies) - asked < 3 / RATE + 1.0
    assert sum(1 for at in posts if at > max(replies)) >= CHANNELS // 2


async def test_a_post_stopped_between_its_parts_is_not_sent_again(
    slack: Slack, engine: Engine
) -> None:
    """The process stops while a long post waits for the turn of its second part: the part
    already out must not be repeated by whichever process takes the claim over."""
    paragraphs = [f"Alinea {n}: " + "woord " * 120 for n in range(300)]  # several messages
    long = Outgoing(Target("slack", "T1", conversation_id="C1"), say("\n\n".join(paragraphs)))
    delivery = asyncio.create_task(slack.adapter.deliverer.deliver(long))
    await slack.fake.wait_for("chat.postMessage", 1)
    engine.paces.release_posts()
    result = await asyncio.wait_for(delivery, 5)
    assert result.outcome is Outcome.FAILED and result.detail == "partially_sent"
    assert 1 <= len(slack.fake.of("chat.postMessage")) < 5


async def test_a_post_stopped_before_it_went_is_released(slack: Slack, engine: Engine) -> None:
    engine.paces.release_posts()
    with pytest.raises(Released):
        await slack.adapter.deliverer.deliver(
            Outgoing(Target("slack", "T1", conversation_id="C1"), say("Herinnering"))
        )
    assert not slack.fake.of("chat.postMessage")
