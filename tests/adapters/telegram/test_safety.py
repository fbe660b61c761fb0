"""Logs without message text or token; chats processed concurrently but each in order."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from telegram import Update

from adapters.telegram import TelegramAdapter
from adapters.telegram.processing import PerChatUpdateProcessor
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import FakeBotApi

GROUP = U.group()
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")
SECRET_TEXT = "Mijn buurvrouw Mieke voelt zich eenzaam"


async def test_logs_hold_no_message_text_and_no_token(
    tg: TelegramAdapter, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await tg.process(U.message(GROUP, U.AN, f"/noteer {SECRET_TEXT}"))
    await tg.process(U.message(U.private(U.SAM), U.SAM, SECRET_TEXT))
    api.fail("sendMessage", 400, f"Bad Request: can't parse entities: {SECRET_TEXT}")
    await tg.process(U.message(GROUP, U.AN, f"/noteer {SECRET_TEXT} 2"))
    assert len(api.sent()) == 3  # the note; in Sam's first DM a warm word, then the paths
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert SECRET_TEXT not in logged and "Mieke" not in logged
    assert api.token not in logged
    assert "reply not sent" in logged  # the failure itself is logged, by class


async def test_retry_after_really_waits(engine, api: FakeBotApi) -> None:  # type: ignore[no-untyped-def]
    adapter = TelegramAdapter(engine, api.token, base_url=api.base_url)  # the real asyncio.sleep
    await adapter.start()
    try:
        api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        started = time.monotonic()
        await adapter.process(U.message(GROUP, U.AN, "/vraag"))
        assert time.monotonic() - started >= 1.0
        assert len(api.sent()) == 1
    finally:
        await adapter.stop()


async def test_per_chat_processor_orders_a_chat_and_overlaps_chats() -> None:
    processor = PerChatUpdateProcessor(8)
    await processor.initialize()
    bot = None
    a1 = Update.de_json(U.message(U.group(-1), U.AN, "/a"), bot)
    a2 = Update.de_json(U.message(U.group(-1), U.AN, "/b"), bot)
    b1 = Update.de_json(U.message(U.group(-2), U.AN, "/c"), bot)
    release = asyncio.Event()
    seen: list[str] = []

    async def work(name: str, wait: bool) -> None:
        seen.append(f"start {name}")
        if wait:
            await release.wait()
        seen.append(f"end {name}")

    tasks = [
        asyncio.create_task(processor.process_update(a1, work("a1", True))),
        asyncio.create_task(processor.process_update(a2, work("a2", False))),
        asyncio.create_task(processor.process_update(b1, work("b1", False))),
    ]
    for _ in range(5):
        await asyncio.sleep(0)  # let the tasks run as far as they can
    assert seen == ["start a1", "start b1", "end b1"]  # b1 did not wait for chat -1
    release.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 2)
    assert seen[3:] == ["end a1", "start a2", "end a2"]
    await processor.shutdown()


async def test_crisis_block_first_in_a_private_chat_and_inside_a_flow(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    chat = U.private(U.SAM)
    await tg.process(U.message(chat, U.SAM, "'k zie het nie meer zitten 😔"))
    [sent] = api.sent()
    assert sent.chat_id == str(U.SAM["id"])
    assert sent.text.startswith("💛 Wat je schrijft, klinkt alsof het nu heel zwaar is.")
    assert "<b>Hulp nu in België</b>" in sent.text and "bel 1813" in sent.text
    assert "Ik reageer op commando's" not in sent.text and "zitten" not in sent.text
    sent.button("Ik woon in Nederland")

    await tg.process(U.message(chat, U.SAM, "/plan"))
    await tg.process(U.message(chat, U.SAM, "eigenlijk wil ik er niet meer zijn"))
    paused = api.sent()[-1]
    assert paused.text.startswith("💛") and "Je was bezig met je persoonlijk plan" in paused.text
    assert "Wat zijn je eerste stappen?" not in paused.text
    await tg.process(U.callback(chat, U.SAM, paused.button("Ga verder")))
    assert "Wat zijn je eerste stappen?" in api.sent()[-1].text
