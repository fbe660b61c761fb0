"""Getting updates for real: long polling over HTTP and PTB's webhook server, via `serve`."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from adapters.telegram import SettingsError, TelegramSettings, serve
from adapters.telegram.adapter import file_url_for
from adapters.telegram.runner import api_base_url
from bot.core.engine import Engine
from bot.core.platform import EXIT_REFUSED, StartupError
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.conftest import Running, free_port
from tests.adapters.telegram.fake_api import FakeBotApi

GROUP = U.group()


@pytest.mark.parametrize("running", [{}], indirect=True)
async def test_long_polling_over_http(running: Running, api: FakeBotApi) -> None:
    adapter = await running.adapter()
    assert adapter.username == "KletspotBot"
    api.push(U.message(GROUP, U.AN, "/vraag groen"))
    [sent] = await api.wait_for("sendMessage")
    assert sent.chat_id == str(GROUP["id"]) and "Groen" in sent.text
    assert api.of("deleteWebhook")  # polling starts by removing any webhook
    polls = api.of("getUpdates")
    assert polls and set(polls[0].params["allowed_updates"]) == {
        "message",
        "callback_query",
        "my_chat_member",
    }
    # the next poll acknowledges the update
    await api.wait_for("getUpdates", where=lambda c: int(c.params.get("offset") or 0) > 0)
    # a second update in the same chat after the first: order kept
    data = sent.button("Nog een vraag")
    api.push(U.callback(GROUP, U.AN, data))
    await api.wait_for("answerCallbackQuery")
    await api.wait_for("sendMessage", count=2)


WEBHOOK_PORT = free_port()
WEBHOOK = {
    "TELEGRAM_WEBHOOK_URL": "https://kletspot.example.org/telegram/hook",
    "TELEGRAM_WEBHOOK_PORT": str(WEBHOOK_PORT),
    "TELEGRAM_WEBHOOK_SECRET": "geheim_123-abc",
    "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
}


@pytest.mark.parametrize("running", [WEBHOOK], indirect=True)
async def test_webhook_requires_the_secret_header(running: Running, api: FakeBotApi) -> None:
    await running.adapter()
    assert api.webhook is not None
    assert api.webhook["url"] == "https://kletspot.example.org/telegram/hook"
    assert api.webhook["secret_token"] == "geheim_123-abc"
    assert set(api.webhook["allowed_updates"]) == {"message", "callback_query", "my_chat_member"}
    url = f"http://127.0.0.1:{WEBHOOK_PORT}/telegram/hook"
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "fout"}):
            update = U.message(GROUP, U.AN, "/vraag")
            async with http.post(url, json=update, headers=headers) as response:
                assert response.status == 403
        assert api.sent() == []
        update = U.message(GROUP, U.AN, "/vraag blauw")
        async with http.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "geheim_123-abc"}
        ) as r:
            assert r.status == 200
    [sent] = await api.wait_for("sendMessage")
    assert "Blauw" in sent.text


def test_settings_from_the_environment() -> None:
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN"):
        TelegramSettings.from_env({})
    plain = TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": "1:x"})
    assert plain.base_url == "https://api.telegram.org/bot" and plain.webhook_url is None
    assert len(plain.webhook_secret) >= 32  # generated
    assert (
        plain.webhook_secret
        != TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": "1:x"}).webhook_secret
    )
    hook = TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": "1:x", **WEBHOOK})
    assert hook.webhook_port == WEBHOOK_PORT and hook.webhook_path == "telegram/hook"
    with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET"):
        TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_WEBHOOK_SECRET": "a b"})
    with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_PORT"):
        TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_WEBHOOK_PORT": "acht"})
    assert "1:x" not in repr(hook) and "geheim" not in repr(hook)  # secrets stay out of logs


def test_base_urls() -> None:
    assert api_base_url(None) == "https://api.telegram.org/bot"
    assert api_base_url("http://localhost:8081") == "http://localhost:8081/bot"
    assert api_base_url("http://localhost:8081/bot/") == "http://localhost:8081/bot"
    assert (
        api_base_url("https://api.telegram.org/bot{token}/test")
        == "https://api.telegram.org/bot{token}/test"
    )
    assert file_url_for("http://localhost:8081/bot") == "http://localhost:8081/file/bot"
    assert (
        file_url_for("https://api.telegram.org/bot{token}/test")
        == "https://api.telegram.org/file/bot{token}/test"
    )


async def test_invalid_token_stops_serve_with_an_error(engine: Engine, api: FakeBotApi) -> None:
    env = {"TELEGRAM_BOT_TOKEN": "999:wrong", "TELEGRAM_API_BASE_URL": api.base_url}
    with pytest.raises(StartupError, match="weigert de token") as raised:
        await asyncio.wait_for(serve(engine, env, asyncio.Event()), 10)
    assert raised.value.code == EXIT_REFUSED
