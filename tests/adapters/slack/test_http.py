"""HTTP mode: signatures, timestamps, the URL check, retried events, ack before work."""

from __future__ import annotations

import json
import time

from tests.adapters.slack.conftest import Slack
from tests.adapters.slack.helpers import text_of


async def test_url_verification_challenge(slack: Slack) -> None:
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps({"token": "legacy", "challenge": challenge, "type": "url_verification"})
    status, text = await slack.sender.post(body, "application/json")
    assert status == 200 and json.loads(text) == {"challenge": challenge}


async def test_bad_signature_is_refused_and_nothing_processed(slack: Slack) -> None:
    before = len(slack.fake.calls)
    status, _ = await slack.sender.command("vraag", secret="niet-het-geheim")
    assert status == 401
    status, _ = await slack.sender.event(
        {"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"}, secret="x"
    )
    assert status == 401
    status, _ = await slack.sender.post(
        "payload=%7B%7D",
        "application/x-www-form-urlencoded",
        headers={"X-Slack-Signature": "v0=" + "0" * 64},
    )
    assert status == 401
    status, _ = await slack.sender.post(
        "payload=%7B%7D",
        "application/x-www-form-urlencoded",
        headers={"X-Slack-Signature": "v0=deadbeef"},
    )
    assert status == 400  # not even shaped like a signature
    await slack.adapter.bot.idle()
    assert slack.fake.calls[before:] == [] and slack.fake.responses == []


async def test_stale_timestamp_is_refused(slack: Slack) -> None:
    before = len(slack.fake.calls)
    status, _ = await slack.sender.command("vraag", timestamp=int(time.time()) - 10 * 60)
    assert status == 401
    status, _ = await slack.sender.command("vraag", timestamp=int(time.time()) + 10 * 60)
    assert status == 401
    await slack.adapter.bot.idle()
    assert slack.fake.calls[before:] == []


async def test_missing_headers_are_refused(slack: Slack) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    async with slack.sender.session.post(
        slack.sender.url, headers=form, data=b"command=%2Fkletspot&text=vraag"
    ) as resp:
        assert resp.status == 400


async def test_retried_event_is_handled_once(slack: Slack) -> None:
    event = {
        "type": "message",
        "channel": "DU1",
        "user": "U1",
        "text": "vraag",
        "ts": "1772449300.000100",
        "channel_type": "im",
    }
    assert (await slack.event(event, event_id="Ev0SAME1"))[0] == 200
    assert (await slack.event(event, event_id="Ev0SAME1", retry=1))[0] == 200
    assert (await slack.event(event, event_id="Ev0SAME1", retry=2))[0] == 200
    assert len(slack.fake.of("chat.postMessage")) == 1
    await slack.event(event, event_id="Ev0OTHER")
    assert len(slack.fake.of("chat.postMessage")) == 2


async def test_ack_comes_before_the_work(slack: Slack) -> None:
    """The HTTP answer does not wait for Slack calls: a slow users.info cannot break the 3 s."""
    gate = slack.fake.hold("users.info")
    status, body = await slack.sender.command("vraag")
    assert (status, body) == (200, "")
    assert not slack.fake.of("chat.postMessage")
    gate.set()
    await slack.adapter.bot.idle()
    assert "Nog een vraag" in str(slack.fake.of("chat.postMessage")[-1]["blocks"])


async def test_uninstall_and_revoked_tokens_are_acknowledged(slack: Slack) -> None:
    status, _ = await slack.event({"type": "app_uninstalled"})
    assert status == 200
    status, _ = await slack.event(
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
    )
    assert status == 200
    assert slack.adapter.bot.workspaces.gone("T1")


async def test_direct_reply_retries_after_429(slack: Slack) -> None:
    slack.fake.fail("chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "0"})
    await slack.command("vraag")
    posts = slack.fake.of("chat.postMessage")
    assert len(posts) == 2 and "Nog een vraag" in str(posts[-1]["blocks"])
    assert text_of(posts[0]) == text_of(posts[1])
