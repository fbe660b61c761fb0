"""Notes about vulnerable people: only their author sees them, only in the DM, never in logs;
they can be exported and erased completely."""

from __future__ import annotations

import json
import logging

import pytest

from bot.core.engine import Engine
from tests.conftest import Chat, Post, text_of, utc

SECRETS = (
    "Zwijgzame-Zus",
    "Wil-graag-weer-dansen",
    "Dansles-in-Ledeberg",
    "Bellen-met-Dansschool",
    "Vervoer-was-een-probleem",
    "Eigen-gedachte-Geheim",
    "Helpende-eigen-Geheim",
)


async def everything(dm: Chat, post: Post) -> None:
    await dm.cmd("gedachte")
    await dm.press("Zelf een gedachte schrijven")
    await dm.text(SECRETS[5])
    await dm.press("Zelf een gedachte schrijven")
    await dm.text(SECRETS[6])
    await dm.press("Elke maandag om 9:00")
    await dm.cmd("gesprek verslag")
    for answer in ("vandaag", SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[3], "8", "7", "7"):
        await dm.text(answer)
    post.clock.set(utc(2026, 3, 9, 8, 0))
    sent = await post.tick()
    assert len(sent) == 2
    terugblik = [o.reply for o in sent if "terug te blikken" in o.reply.plain]
    await dm.press("Terugblik invullen", replies=terugblik)
    await dm.text(SECRETS[4])
    await dm.press("Stop hier")


async def test_logs_never_contain_what_was_written(
    engine: Engine, dm: Chat, post: Post, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await everything(dm, post)
    for command in ("gesprekken", "acties", "gedachte", "herinneringen", "overzicht"):
        await dm.cmd(command)
    assert "verslag answer saved" in caplog.text  # kinds and ids are logged
    for secret in SECRETS:
        assert secret not in caplog.text


async def test_only_the_author_sees_and_presses(engine: Engine, dm: Chat, post: Post) -> None:
    await everything(dm, post)
    listing = await dm.cmd("gesprekken")
    sam = Chat(engine, "dm-sam", group=False)
    for command in ("gesprekken", "acties", "gedachte", "herinneringen"):
        shown = text_of(await sam.cmd(command, who="Sam"))
        assert not any(secret in shown for secret in SECRETS), command
    assert "voor iemand anders" in text_of(
        await dm.press("1: verwijderen", who="Sam", replies=listing)
    )

    group = Chat(engine, "team")
    for command in ("gesprekken", "acties", "gedachte", "gesprek verslag"):
        replies = await group.cmd(command)
        here = [r for r in replies if r.audience.value != "dm"]
        assert here and not any(s in text_of(here) for s in SECRETS), command
    reminder_texts = " ".join(
        r["text"] for r in await engine.db.all("SELECT text FROM herinneringen")
    )
    assert SECRETS[0] not in reminder_texts and SECRETS[3] not in reminder_texts


async def test_export_and_erase(engine: Engine, dm: Chat, post: Post) -> None:
    await everything(dm, post)
    user_id = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'")
    personal = {p.name: p for p in engine.router.personal_data}
    exported = {
        name: personal[name].export(engine.deps, await engine.db.read(personal[name].read(user_id)))
        for name in ("gedachten", "gesprekken")
    }
    dumped = json.dumps(exported, ensure_ascii=False)
    for secret in SECRETS:
        assert secret in dumped
    [gesprek] = exported["gesprekken"]["gesprekken"]
    assert gesprek["terugblikken"][0]["antwoorden"] == [
        {"vraag": "t1", "antwoord": SECRETS[4], "vraag_tekst": "Welke acties zijn ondernomen?"}
    ]
    assert exported["gedachten"]["gedachten"][0]["herinnering"] == "elke maandag om 09:00"

    # the thoughts' and the record's reminders are the herinneringen part's to erase (every
    # reminder of the person, whatever feature made it, with the record of its sending)
    assert len(await engine.db.all("SELECT key FROM deliveries WHERE kind = 'reminder'")) == 2
    async with engine.db.transaction():
        for name in ("gedachten", "gesprekken", "herinneringen"):
            await personal[name].erase(engine.deps, user_id)
    for table in ("gedachten", "gesprekken", "terugblikken", "terugblik_antwoorden"):
        assert await engine.db.scalar(f"SELECT COUNT(*) FROM {table}") == 0, table
    assert await engine.db.all("SELECT status FROM herinneringen") == []
    assert await engine.db.all("SELECT key FROM deliveries WHERE kind = 'reminder'") == []
    flows = " ".join(r["data"] for r in await engine.db.all("SELECT data FROM flows"))
    buttons = " ".join(r["payload"] for r in await engine.db.all("SELECT payload FROM buttons"))
    for secret in SECRETS:
        assert secret not in flows and secret not in buttons
    assert "nog geen gesprekken" in text_of(await dm.cmd("gesprekken"))
