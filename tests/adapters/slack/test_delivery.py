"""The scheduler's Deliverer: one attempt, and an outcome the scheduler can act on."""

from __future__ import annotations

import socket

from adapters.slack.limits import BLOCKS_PER_MESSAGE, SECTION_MAX
from adapters.slack.runner import SlackAdapter, SlackSettings
from bot.core.clock import FakeClock
from bot.core.delivery import Deliverer, Outcome
from bot.core.engine import Engine
from bot.core.replies import Audience, Outgoing, Target, b, say
from tests.adapters.slack.conftest import Slack
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.helpers import blocks_of, text_of
from tests.conftest import due_now


def to_channel(channel: str = "C1", **reply_kw) -> Outgoing:
    return Outgoing(
        Target("slack", "T1", conversation_id=channel),
        say("Herinnering: ", b("koffie"), " om 10 uur", **reply_kw),
        key="k1",
    )


async def test_deliverer_protocol_and_limits(slack: Slack) -> None:
    deliverer: Deliverer = slack.adapter.deliverer
    assert deliverer.platform == "slack"
    assert deliverer.limits.per_group_per_minute == 60
    assert deliverer.limits.per_private_per_second == 1


async def test_sent_to_channel_thread_and_dm(slack: Slack) -> None:
    deliver = slack.adapter.deliverer.deliver
    assert (await deliver(to_channel())).outcome is Outcome.SENT
    post = slack.fake.of("chat.postMessage")[-1]
    assert post["channel"] == "C1" and "Herinnering: *koffie* om 10 uur" in text_of(post)

    threaded = Outgoing(
        Target("slack", "T1", conversation_id="C1", thread_id="1772449100.1"),
        say("Kletspot afgerond."),
    )
    assert (await deliver(threaded)).outcome is Outcome.SENT
    assert slack.fake.of("chat.postMessage")[-1]["thread_ts"] == "1772449100.1"

    dm = Outgoing(Target("slack", "T1", user_id="U2"), say("Persoonlijk"))
    assert (await deliver(dm)).outcome is Outcome.SENT
    assert slack.fake.of("conversations.open")[-1]["users"] == "U2"
    assert slack.fake.of("chat.postMessage")[-1]["channel"] == "DU2"

    private = Outgoing(
        Target("slack", "T1", conversation_id="C1", user_id="U2"),
        say("Alleen voor jou", audience=Audience.PRIVATE),
    )
    assert (await deliver(private)).outcome is Outcome.SENT
    assert slack.fake.of("chat.postEphemeral")[-1]["user"] == "U2"


async def test_channel_not_found_is_gone_and_deactivates(slack: Slack, engine: Engine) -> None:
    await slack.command("vraag")  # the engine knows C1 now
    slack.fake.fail("chat.postMessage", "channel_not_found")
    result = await slack.adapter.deliverer.deliver(to_channel())
    assert result.outcome is Outcome.GONE and result.detail == "channel_not_found"
    row = await engine.db.one(
        "SELECT active FROM conversations WHERE platform = 'slack'"
        " AND workspace_id = 'T1' AND external_id = 'C1'"
    )
    assert row is not None and row["active"] == 0


async def test_rate_limited_is_retry_with_retry_after(slack: Slack) -> None:
    slack.fake.fail("chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "7"})
    before = len(slack.fake.of("chat.postMessage"))
    result = await slack.adapter.deliverer.deliver(to_channel())
    assert result.outcome is Outcome.RETRY and result.retry_after == 7.0
    assert result.detail == "ratelimited"
    assert len(slack.fake.of("chat.postMessage")) == before + 1  # one attempt, no sleeping


async def test_revoked_token_and_uninstall_stop_the_workspace(slack: Slack, engine: Engine) -> None:
    deliver = slack.adapter.deliverer.deliver
    slack.fake.fail("chat.postMessage", "token_revoked")
    assert (await deliver(to_channel())).outcome is Outcome.GONE
    calls = len(slack.fake.calls)
    result = await deliver(to_channel("C5"))
    assert result.outcome is Outcome.GONE and len(slack.fake.calls) == calls

    other = Outgoing(Target("slack", "T7", conversation_id="C1"), say("x"))
    assert (await deliver(other)).outcome is Outcome.SENT
    await slack.command("vraag", team="T7", channel="C1")
    await slack.event({"type": "app_uninstalled"}, team="T7")
    calls = len(slack.fake.calls)
    assert (await deliver(other)).outcome is Outcome.GONE
    assert len(slack.fake.calls) == calls
    assert (
        await engine.db.scalar(
            "SELECT active FROM conversations WHERE platform = 'slack'"
            " AND workspace_id = 'T7' AND external_id = 'C1'"
        )
        == 0
    )

    # the app added to a channel again: sends resume
    await slack.event(
        {
            "type": "member_joined_channel",
            "user": "UBOT",
            "channel": "C1",
            "channel_type": "C",
            "team": "T7",
        },
        team="T7",
    )
    assert (await deliver(other)).outcome is Outcome.SENT


async def test_other_errors_fail_without_retry(slack: Slack) -> None:
    slack.fake.fail("chat.postMessage", "invalid_blocks")
    result = await slack.adapter.deliverer.deliver(to_channel())
    assert result.outcome is Outcome.FAILED and result.detail == "invalid_blocks"
    slack.fake.fail("conversations.open", "user_not_found")
    result = await slack.adapter.deliverer.deliver(
        Outgoing(Target("slack", "T1", user_id="UGONE"), say("x"))
    )
    assert result.outcome is Outcome.GONE
    result = await slack.adapter.deliverer.deliver(Outgoing(Target("slack", "T1"), say("x")))
    assert result.outcome is Outcome.FAILED


async def test_connection_error_is_retry(engine: Engine) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    adapter = SlackAdapter(
        engine,
        SlackSettings(
            "xoxb-test", signing_secret="s", port=0, api_url=f"http://127.0.0.1:{port}/api/"
        ),
    )
    result = await adapter.deliverer.deliver(to_channel())
    assert result.outcome is Outcome.RETRY and result.retry_after > 0
    assert result.detail  # the error class, never text


async def test_long_reply_is_split_into_sections_and_messages(slack: Slack) -> None:
    paragraphs = [f"Alinea {n}: " + "woord " * 120 for n in range(300)]  # ~220,000 characters
    long = Outgoing(Target("slack", "T1", conversation_id="C1"), say("\n\n".join(paragraphs)))
    assert (await slack.adapter.deliverer.deliver(long)).outcome is Outcome.SENT
    posts = slack.fake.of("chat.postMessage")
    assert len(posts) > 1
    for post in posts:
        blocks = blocks_of(post)
        assert 0 < len(blocks) <= BLOCKS_PER_MESSAGE
        assert all(len(b["text"]["text"]) <= SECTION_MAX for b in blocks)
        assert post["text"]
    joined = "\n\n".join(text_of(p) for p in posts)
    assert all(f"Alinea {n}:" in joined for n in range(300))


async def test_partly_sent_long_reply_is_not_retried(slack: Slack) -> None:
    slack.fake.fail(
        "chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "1"}, skip=1
    )
    long = Outgoing(
        Target("slack", "T1", conversation_id="C1"), say("\n\n".join("x" * 2900 for _ in range(60)))
    )
    result = await slack.adapter.deliverer.deliver(long)
    assert result.outcome is Outcome.FAILED and result.detail == "partially_sent"


async def test_session_end_from_the_scheduler(
    slack: Slack, engine: Engine, clock: FakeClock
) -> None:
    await slack.command("kletspot 5 groen")
    clock.advance(minutes=6)
    [outgoing] = await due_now(engine)
    assert (await slack.adapter.deliverer.deliver(outgoing)).outcome is Outcome.SENT
    summary = slack.fake.of("chat.postMessage")[-1]
    assert summary["channel"] == "C1" and "Kletspot afgerond (de tijd was om)" in text_of(summary)


async def test_wrong_platform_is_refused(fake: FakeSlack, slack: Slack) -> None:
    result = await slack.adapter.deliverer.deliver(
        Outgoing(Target("telegram", "T1", conversation_id="C1"), say("x"))
    )
    assert result.outcome is Outcome.FAILED and not fake.of("chat.postMessage")
