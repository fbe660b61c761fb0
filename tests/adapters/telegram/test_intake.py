"""Updates that python-telegram-bot cannot parse, ids that are not numbers, bodies that are too
big or not JSON: none of them stops the updates behind them, none reaches a log with its content."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import pytest

from bot.core import metrics
from bot.core.engine import Engine
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.conftest import Running
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.adapters.telegram.real_updates import (
    PERMISSIONS_CHANGED,
    PRIVATE_KICK,
    malformed,
    with_id,
)
from tests.adapters.telegram.test_transport import WEBHOOK, WEBHOOK_PORT

GROUP = U.group()
HOOK = f"http://127.0.0.1:{WEBHOOK_PORT}/telegram/hook"
SECRET = {"X-Telegram-Bot-Api-Secret-Token": "geheim_123-abc"}


@pytest.mark.parametrize("running", [{}], indirect=True)
async def test_polling_skips_what_it_cannot_parse_and_goes_on(
    running: Running, api: FakeBotApi, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    await running.adapter()
    caplog.set_level(logging.INFO)
    api.push(with_id(PERMISSIONS_CHANGED, 500))
    api.push(with_id(PRIVATE_KICK, "niet-een-getal"))
    for update in malformed(501):
        api.push(update)
    api.push(with_id(U.message(GROUP, U.AN, "/vraag groen"), 504))
    [sent] = await api.wait_for("sendMessage", timeout=5)
    assert "Groen" in sent.text
    # the offset moved past every numeric id: the next poll confirms them all
    await api.wait_for("getUpdates", where=lambda c: int(c.params.get("offset") or 0) == 505)
    skipped = [r for r in caplog.records if "skipped" in r.getMessage()]
    assert 1 <= len(skipped) <= 5  # one line per update, no flood
    assert len([c for c in api.calls if c.method == "getUpdates"]) < 20
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "geheim verhaal" not in logged and "Meteor" not in logged and "Nelson" not in logged
    assert "id=500 kind=my_chat_member" in logged
    await asyncio.wait_for((await running.adapter()).intake.settled(), timeout=5)
    assert await engine.db.scalar("SELECT COUNT(*) FROM inbox WHERE body IS NOT NULL") == 0


@pytest.mark.parametrize("running", [WEBHOOK], indirect=True)
async def test_webhook_refuses_cheaply_and_answers_200_to_what_it_skips(
    running: Running, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    await running.adapter()
    huge = b"{" + b" " * (8 * 1024 * 1024) + b"}"
    async with aiohttp.ClientSession() as http:
        # without the secret: refused before the 8 MiB body is read
        async with http.post(HOOK, data=huge, headers={"Content-Type": "application/json"}) as r:
            assert r.status == 403
        async with http.post(HOOK, data=huge, headers=SECRET) as r:
            assert r.status == 413
        for body in (b"{niet json", b"[1, 2]", b"\xff\xfe", b""):
            async with http.post(HOOK, data=body, headers=SECRET) as r:
                assert r.status in (400, 411), body
        for update in (
            with_id(PERMISSIONS_CHANGED, 700),
            with_id(PRIVATE_KICK, "x7"),
            *malformed(701),
        ):
            async with http.post(HOOK, json=update, headers=SECRET) as r:
                assert r.status == 200
        command = with_id(U.message(GROUP, U.AN, "/vraag blauw"), 710)
        for _ in range(3):  # Telegram retrying the same update: handled once
            async with http.post(HOOK, json=command, headers=SECRET) as r:
                assert r.status == 200
        after = with_id(U.message(GROUP, U.AN, "/vraag groen"), 711)
        async with http.post(HOOK, json=after, headers=SECRET) as r:
            assert r.status == 200
        await api.wait_for("sendMessage", count=2, timeout=5)
        async with http.get(f"http://127.0.0.1:{WEBHOOK_PORT}/healthz") as r:
            assert r.status == 200 and (await r.json())["telegram"] == "verbonden"
        async with http.get(f"http://127.0.0.1:{WEBHOOK_PORT}/metrics") as r:
            text = await r.text()
            assert 'kletspot_updates_total{kind="message",platform="telegram"}' in text
    # the same chat is handled in order: the repeats came before "groen", and none was answered
    assert [("Blauw" in c.text, "Groen" in c.text) for c in api.sent()] == [
        (True, False),
        (False, True),
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert metrics.value("kletspot_updates_total", platform="telegram", kind="my_chat_member") > 0
