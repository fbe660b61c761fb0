"""The door of /slack/events: malformed, unsigned and oversized requests get 400 (never 500)
with one short log line and none of their content; retried events are handled once, also after
a restart; Web API reads that fail in any way fall back to the payload."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import aiohttp
import pytest

from adapters.slack.runner import SlackAdapter
from bot.core.engine import Engine
from tests.adapters.slack.conftest import Slack, http_settings
from tests.adapters.slack.fake_slack import SECRET, SlackSender, signature
from tests.adapters.slack.helpers import text_of

SECRET_TEXT = "Vertrouwelijk-3141"


def signed(body: str, content_type: str, **extra: str) -> dict[str, str]:
    ts = str(int(time.time()))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(SECRET, ts, body),
        **extra,
    }


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

MALFORMED_SIGNED = [
    ("not json", JSON),
    ("[1, 2]", JSON),
    (
        json.dumps(
            {
                "type": "event_callback",
                "event": None,
                "event_id": "Ev1",
                "team_id": "T1",
                "note": SECRET_TEXT,
            }
        ),
        JSON,
    ),
    (json.dumps({"type": "event_callback", "event": {"text": SECRET_TEXT}}), JSON),
    ("payload=" + "%7B%22type%22%3A", FORM),
    (
        urlencode(
            {
                "payload": json.dumps(
                    {
                        "type": "block_actions",
                        "actions": [],
                        "user": {"id": "U1"},
                        "text": SECRET_TEXT,
                    }
                )
            }
        ),
        FORM,
    ),
    (urlencode({"payload": json.dumps({"type": "view_submission", "view": None})}), FORM),
    (urlencode({"payload": "null"}), FORM),
    (urlencode({"text": SECRET_TEXT}), FORM),
    ("\udcff".encode("utf-8", "surrogatepass").decode("latin-1"), FORM),
    (json.dumps({"type": "event_callback", "event": {"type": "message"}}), "text/plain"),
]


@pytest.mark.parametrize("body, content_type", MALFORMED_SIGNED)
async def test_signed_but_malformed_gets_400(
    slack: Slack, caplog, body: str, content_type: str
) -> None:
    caplog.set_level(logging.DEBUG)
    before = len(slack.fake.calls)
    raw = body.encode("utf-8", "surrogateescape")
    async with slack.sender.session.post(
        slack.sender.url, data=raw, headers=signed(body, content_type)
    ) as resp:
        assert resp.status == 400
    await slack.adapter.bot.idle()
    assert slack.fake.calls[before:] == []
    lines = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert len(lines) == 1 and len(lines[0].getMessage()) < 120
    assert SECRET_TEXT not in caplog.text and "Traceback" not in caplog.text


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": "nu", "X-Slack-Signature": "v0=" + "a" * 64},
        {"X-Slack-Request-Timestamp": "1" * 40, "X-Slack-Signature": "v0=" + "a" * 64},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": SECRET_TEXT},
    ],
)
async def test_unsigned_gets_400_without_its_content_in_the_log(
    slack: Slack, caplog, headers: dict[str, str]
) -> None:
    caplog.set_level(logging.DEBUG)
    body = "payload=" + SECRET_TEXT + "%7B"
    async with slack.sender.session.post(
        slack.sender.url, data=body.encode(), headers={"Content-Type": FORM, **headers}
    ) as resp:
        assert resp.status == 400
    assert SECRET_TEXT not in caplog.text and "nu" not in caplog.text.split("reason=")[-1]
    assert len([r for r in caplog.records if r.levelno >= logging.INFO]) == 1


async def test_oversized_body_is_refused_by_its_length(slack: Slack) -> None:
    body = "x" * (1024**2 + 1)
    async with slack.sender.session.post(
        slack.sender.url, data=body.encode(), headers=signed(body, FORM)
    ) as resp:
        assert resp.status == 400
    # a length that lies is not read beyond the limit either
    small = json.dumps({"type": "url_verification", "challenge": "c"})
    async with slack.sender.session.post(
        slack.sender.url,
        data=small.encode(),
        headers={**signed(small, JSON), "Content-Length": str(2 * 1024**2)},
    ) as resp:
        assert resp.status == 400


async def test_unused_event_types_are_acknowledged_quietly(slack: Slack, caplog) -> None:
    caplog.set_level(logging.INFO)
    before = len(slack.fake.calls)
    for event in (
        {
            "type": "reaction_added",
            "user": "U1",
            "reaction": "thumbsup",
            "item": {"type": "message", "channel": "C1", "ts": "1.0"},
        },
        {"type": "channel_rename", "channel": {"id": "C1", "name": "x"}},
        {"type": "user_change", "user": {"id": "U1"}},
    ):
        status, _ = await slack.event(event)
        assert status == 200
    status, _ = await slack.sender.press("x", action_id="een_ander_ding")
    assert status == 200
    await slack.adapter.bot.idle()
    assert slack.new_calls(before) == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_duplicate_event_across_a_restart_is_handled_once(
    engine: Engine, slack: Slack
) -> None:
    fake = slack.fake
    event = {
        "type": "message",
        "channel": "DU1",
        "user": "U1",
        "text": "vraag",
        "ts": "1772449300.000100",
        "channel_type": "im",
    }
    await slack.event(event, event_id="Ev0RESTART")
    assert len(fake.of("chat.postMessage")) == 1
    await slack.adapter.stop()

    second = SlackAdapter(engine, http_settings(fake))  # a new process on the same database
    await second.start()
    try:
        async with aiohttp.ClientSession() as session:
            sender = SlackSender(f"http://127.0.0.1:{second.port}/slack/events", session, fake)
            assert (await sender.event(event, event_id="Ev0RESTART", retry=1))[0] == 200
            await second.bot.idle()
            assert len(fake.of("chat.postMessage")) == 1
            await sender.event(event, event_id="Ev0NEW")
            await second.bot.idle()
            assert len(fake.of("chat.postMessage")) == 2
    finally:
        await second.stop()


@pytest.mark.parametrize(
    "status, body",
    [
        (502, "<html><body>502 Bad Gateway</body></html>"),
        (200, "not json at all"),
        (200, json.dumps({"ok": True, "user": "niet-een-object"})),
        (200, json.dumps({"ok": True, "user": {"profile": ["lijst"]}})),
    ],
)
async def test_users_info_failing_in_any_way_still_answers(
    slack: Slack, status: int, body: str
) -> None:
    slack.fake.raws["users.info"] = (status, body)
    await slack.command("vraag groen", user="U7", user_name="zoe")
    post = slack.fake.of("chat.postMessage")[-1]
    assert "Nog een vraag" in str(post["blocks"]) and text_of(post)


async def test_direct_reply_retries_a_server_error(slack: Slack) -> None:
    slack.fake.fail("chat.postMessage", "internal_error", status=503)
    slack.fake.fail("chat.postMessage", "bad_gateway", status=502)
    await slack.command("vraag")
    posts = slack.fake.of("chat.postMessage")
    assert len(posts) == 3 and text_of(posts[0]) == text_of(posts[2])
