"""Starting Slack from the environment: settings, serve(), Socket Mode, the manifest."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import parse_qsl, urlparse

import pytest
import yaml

from adapters.slack import (
    SlackConfigError,
    SlackDeliverer,
    SlackSettings,
    configured,
    modals,
    oauth,
    serve,
)
from adapters.slack.runner import SlackAdapter
from bot.core.delivery import Outcome
from bot.core.engine import Engine
from bot.core.replies import Outgoing, Target, say
from tests.adapters.slack.fake_slack import FakeSlack, SlackSender
from tests.adapters.slack.helpers import text_of
from tests.conftest import ROOT

MANIFEST = ROOT / "adapters" / "slack" / "manifest.yaml"


def test_settings_choose_the_mode() -> None:
    socket = SlackSettings.from_env(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s"}
    )
    assert socket.mode == "socket" and socket.api_url == "https://slack.com/api/"
    http = SlackSettings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_PORT": "8080",
            "SLACK_API_URL": "http://localhost:9/api",
        }
    )
    assert (http.mode, http.port, http.api_url) == ("http", 8080, "http://localhost:9/api/")
    default = SlackSettings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})
    assert default.port == 3000
    assert configured({"SLACK_BOT_TOKEN": "xoxb-1"}) and not configured({"SLACK_BOT_TOKEN": " "})


@pytest.mark.parametrize(
    "env, fragment",
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "xapp-"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_PORT": "web"},
            "SLACK_PORT",
        ),
    ],
)
def test_settings_errors_are_dutch_and_precise(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(SlackConfigError, match=fragment):
        SlackSettings.from_env(env)


async def test_serve_hands_the_deliverer_over_and_stops(engine: Engine, fake: FakeSlack) -> None:
    stop = asyncio.Event()
    ready: asyncio.Queue[SlackDeliverer] = asyncio.Queue()
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_PORT": "0",
        "SLACK_HOST": "127.0.0.1",
        "SLACK_API_URL": fake.api_url,
    }

    async def on_ready(deliverer: SlackDeliverer) -> None:
        await ready.put(deliverer)

    task = asyncio.create_task(serve(engine, env, stop, on_ready))
    deliverer = await asyncio.wait_for(ready.get(), 5)
    result = await deliverer.deliver(
        Outgoing(Target("slack", "T1", conversation_id="C1"), say("Goeiemorgen"))
    )
    assert result.outcome is Outcome.SENT
    assert fake.of("auth.test") and fake.calls[0].token == "xoxb-test"
    stop.set()
    await asyncio.wait_for(task, 5)


async def test_serve_fails_fast_on_a_bad_token(engine: Engine, fake: FakeSlack) -> None:
    fake.fail("auth.test", "invalid_auth")
    env = {
        "SLACK_BOT_TOKEN": "xoxb-wrong",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_PORT": "0",
        "SLACK_API_URL": fake.api_url,
    }
    with pytest.raises(Exception, match="invalid_auth"):
        await asyncio.wait_for(serve(engine, env, asyncio.Event()), 5)


async def test_socket_mode_events_and_commands(engine: Engine, fake: FakeSlack) -> None:
    adapter = SlackAdapter(
        engine, SlackSettings("xoxb-test", app_token="xapp-1-test", api_url=fake.api_url)
    )
    await adapter.start()
    try:
        assert fake.of("apps.connections.open")
        sender = SlackSender("unused", None, fake)  # type: ignore[arg-type]
        dm = sender.envelope(
            {
                "type": "message",
                "channel": "DU1",
                "user": "U1",
                "text": "vraag roos",
                "ts": f"{time.time():.6f}",
                "channel_type": "im",
            },
            event_id="EvSOCK1",
        )
        await fake.push(
            {
                "envelope_id": "env-1",
                "type": "events_api",
                "payload": dm,
                "accepts_response_payload": False,
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        await fake.wait_for_ack("env-1")
        [post] = await fake.wait_for("chat.postMessage")
        assert post["channel"] == "DU1" and "Roos" in text_of(post)

        # a redelivery of the same event after a reconnect is handled once
        await fake.push(
            {
                "envelope_id": "env-2",
                "type": "events_api",
                "payload": dm,
                "accepts_response_payload": False,
                "retry_attempt": 1,
                "retry_reason": "timeout",
            }
        )
        await fake.wait_for_ack("env-2")

        form = dict(
            parse_qsl(
                "team_id=T1&channel_id=C1&channel_name=team&user_id=U2&user_name=bob"
                "&command=%2Fkletspot&text=pot&response_url=x&trigger_id=t"
            )
        )
        await fake.push(
            {
                "envelope_id": "env-3",
                "type": "slash_commands",
                "payload": form,
                "accepts_response_payload": True,
            }
        )
        await fake.wait_for_ack("env-3")
        [eph] = await fake.wait_for("chat.postEphemeral")
        assert eph["user"] == "U2" and "De kletspot van dit gesprek" in text_of(eph)
        await adapter.bot.idle()
        assert len(fake.of("chat.postMessage")) == 1
    finally:
        await adapter.stop()


def test_manifest_matches_the_adapter() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert manifest["display_information"]["name"] == "Kletspot"
    features = manifest["features"]
    assert features["bot_user"]["display_name"] == "Kletspot"
    [command] = features["slash_commands"]
    assert command["command"] == "/kletspot" and command["should_escape"] is True
    assert command["description"] and command["usage_hint"]
    assert features["app_home"]["messages_tab_enabled"] is True
    assert features["app_home"]["home_tab_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "commands",
        "chat:write",
        "im:history",
        "im:write",
        "users:read",
        "channels:read",
        "groups:read",
    } <= scopes
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) >= {
        "app_home_opened",
        "message.im",
        "member_joined_channel",
        "app_uninstalled",
        "tokens_revoked",
    }
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    [shortcut] = features["shortcuts"]
    assert shortcut["type"] == "message" and shortcut["callback_id"] == modals.SHORTCUT
    assert len(shortcut["name"]) <= 40 and len(shortcut["description"]) <= 80
    assert [urlparse(u).path for u in manifest["oauth_config"]["redirect_urls"]] == [
        oauth.REDIRECT_PATH
    ]
