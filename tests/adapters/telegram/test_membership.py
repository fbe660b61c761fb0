"""The bot added, removed, blocked; a group upgraded to a supergroup; bad input ignored."""

from __future__ import annotations

import pytest

from adapters.telegram import TelegramAdapter
from bot.core.engine import Engine
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import FakeBotApi

GROUP = U.group()


async def active(engine: Engine, external_id: object) -> int | None:
    value = await engine.db.scalar(
        "SELECT active FROM conversations WHERE platform = 'telegram' AND external_id = ?",
        (str(external_id),),
    )
    return None if value is None else int(value)


async def test_added_to_a_group_welcomes_and_removed_marks_inactive(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    await tg.process(U.my_chat_member(GROUP, U.AN, "left", "member"))
    [welcome] = api.sent()
    assert welcome.chat_id == str(GROUP["id"])
    assert "<b>Hallo! Ik ben Kletspot.</b>" in welcome.text and "<b>/hulp</b>" in welcome.text
    assert await active(engine, GROUP["id"]) == 1

    # promoted to admin: still here, no second welcome
    await tg.process(U.my_chat_member(GROUP, U.AN, "member", "administrator"))
    assert len(api.sent()) == 1

    await tg.process(U.my_chat_member(GROUP, U.AN, "administrator", "kicked"))
    assert len(api.sent()) == 1
    assert await active(engine, GROUP["id"]) == 0

    await tg.process(U.my_chat_member(GROUP, U.SAM, "left", "administrator"))
    assert len(api.sent()) == 2 and await active(engine, GROUP["id"]) == 1


async def test_private_chat_blocked_and_unblocked(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    chat = U.private(U.SAM)
    await tg.process(U.message(chat, U.SAM, "/vraag"))
    await tg.process(U.my_chat_member(chat, U.SAM, "member", "kicked"))
    assert await active(engine, U.SAM["id"]) == 0
    mark = api.mark()
    await tg.process(U.my_chat_member(chat, U.SAM, "kicked", "member"))
    assert api.since(mark) == []  # no welcome in a private chat
    assert await active(engine, U.SAM["id"]) == 1


async def test_migrate_to_supergroup_keeps_the_points(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    old = U.group(-4001, "Klein team", kind="group")
    new_id = -1004001
    await tg.process(U.message(old, U.AN, "/noteer buurthuis betrekken"))
    await tg.process(U.migrate(old, new_id))
    new = U.group(new_id, "Klein team")
    await tg.process(U.message(new, U.AN, "/punten"))
    listing = api.sent()[-1]
    assert listing.chat_id == str(new_id) and "buurthuis betrekken" in listing.text
    assert await active(engine, old["id"]) is None


async def test_send_to_a_migrated_chat_follows_it(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    old = U.group(-4002, "Team", kind="group")
    await tg.process(U.message(old, U.AN, "/noteer eerst"))
    api.fail(
        "sendMessage",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        chat_id=old["id"],
        migrate_to=-1004002,
    )
    await tg.process(U.message(old, U.AN, "/punten"))
    assert api.sent()[-1].chat_id == "-1004002" and "eerst" in api.sent()[-1].text
    assert await active(engine, -1004002) == 1 and await active(engine, old["id"]) is None


@pytest.mark.parametrize(
    "update",
    [
        U.edited(GROUP, U.AN, "/vraag"),
        U.edited(U.private(U.AN), U.AN, "/vraag"),
        U.sticker(GROUP, U.AN),
        U.sticker(U.private(U.AN), U.AN),
        U.photo(GROUP, U.AN, caption="/vraag"),
        U.message(GROUP, U.AN, "/vraag@OtherBot"),
        U.message(GROUP, U.AN, "gewoon babbelen"),
        U.channel_post("/vraag"),
    ],
    ids=[
        "edited",
        "edited-private",
        "sticker",
        "sticker-private",
        "photo-caption",
        "other-bot",
        "chatter",
        "channel-post",
    ],
)
async def test_ignored_updates_send_nothing_and_write_nothing(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine, update: dict[str, object]
) -> None:
    mark = api.mark()
    await tg.process(update)
    assert api.calls[mark:] == []
    for table in ("users", "conversations", "members", "flows", "aanknopingspunten", "trekkingen"):
        assert await engine.db.scalar(f"SELECT COUNT(*) FROM {table}") == 0, table


async def test_updates_from_a_chat_the_bot_left_do_not_crash(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    await tg.process(U.my_chat_member(GROUP, U.AN, "member", "left"))
    api.fail(
        "sendMessage",
        403,
        "Forbidden: bot is not a member of the supergroup chat",
        chat_id=GROUP["id"],
    )
    await tg.process(U.callback(GROUP, U.AN, "oud"))
    assert len(api.of("answerCallbackQuery")) == 1
    assert await active(engine, GROUP["id"]) == 0
