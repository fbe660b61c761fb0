"""`gedachte` in a private Telegram chat, end to end: buttons, a typed moment, the reminder
created and delivered by the scheduler into that chat."""

from __future__ import annotations

from adapters.telegram import TelegramAdapter
from bot.core.clock import FakeClock
from bot.core.engine import Engine
from scheduler.service import Scheduler
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.conftest import no_sleep, utc

CHAT = U.private(U.AN)


async def test_gedachte_in_a_private_chat(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine, clock: FakeClock
) -> None:
    await tg.process(U.message(CHAT, U.AN, "/gedachte"))
    blocking = api.sent()[-1]
    assert blocking.chat_id == str(U.AN["id"]) and "<b>Belemmerende gedachten" in blocking.text
    await tg.process(
        U.callback(CHAT, U.AN, blocking.button("8. Ik ben bang om te oordelen over de ander."))
    )
    helping = api.sent()[-1]
    assert "Je herkent: <i>Ik ben bang om te oordelen over de ander.</i>" in helping.text
    await tg.process(
        U.callback(CHAT, U.AN, helping.button("1. De persoon weet het antwoord zelf."))
    )
    await tg.process(U.callback(CHAT, U.AN, api.sent()[-1].button("Eén keer, voor een gesprek")))
    assert "force_reply" not in api.sent()[-1].markup  # a private chat needs no ForceReply
    await tg.process(U.message(CHAT, U.AN, "morgen 9:00"))
    assert "dinsdag 3 maart om 09:00" in api.sent()[-1].text

    row = await engine.db.one(
        "SELECT r.kind, r.due_at, c.external_id FROM herinneringen r"
        " JOIN conversations c ON c.id = r.conversation_id"
    )
    assert tuple(row) == ("gedachte", "2026-03-03T08:00:00+00:00", str(U.AN["id"]))
    clock.set(utc(2026, 3, 3, 8, 0))
    await Scheduler(engine, {"telegram": tg}, sleep=no_sleep).tick()
    sent = api.sent()[-1]
    assert sent.chat_id == str(U.AN["id"]) and "De persoon weet het antwoord zelf." in sent.text
    assert sent.button("Stop deze herinnering")


async def test_gesprek_step_4_shows_its_phase_texts(tg: TelegramAdapter, api: FakeBotApi) -> None:
    await tg.process(U.message(CHAT, U.AN, "/gesprek 4"))
    text = "\n".join(call.text for call in api.sent())
    assert "<b>Fase 2: Welke ideeën of mogelijkheden komen op?</b>\nJe brainstormt nu samen" in text
