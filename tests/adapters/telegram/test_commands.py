"""Commands in groups, forum topics and private chats, with and without @BotName."""

from __future__ import annotations

import re

from adapters.telegram import TelegramAdapter
from bot.core.engine import Engine
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.conftest import CONTENT, SIX_COLOURS

GROUP = U.group()
FORUM = U.group(-1005550001, "Buurtwerk", forum=True)
GREEN = CONTENT.kletspot.cluster("groen").vragen


async def test_menus_registered_at_start_for_private_chats_and_groups(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    calls = api.of("setMyCommands")
    scopes = {c.params["scope"]["type"]: c.params["commands"] for c in calls}
    assert set(scopes) == {"all_private_chats", "all_group_chats"}
    for commands in scopes.values():
        for command in commands:
            assert re.fullmatch(r"[a-z0-9_]{1,32}", command["command"])
            assert 1 <= len(command["description"]) <= 256
        assert {"vraag", "noteer", "punten", "hulp"} <= {c["command"] for c in commands}
    group_names = {c["command"] for c in scopes["all_group_chats"]}
    private_names = {c["command"] for c in scopes["all_private_chats"]}
    assert "overzicht" in private_names and "overzicht" not in group_names  # group_menu=False


async def test_command_in_group_answers_in_the_group_with_buttons(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    await tg.process(U.message(GROUP, U.AN, "/vraag groen"))
    [sent] = api.sent()
    assert sent.method == "sendMessage" and sent.chat_id == str(GROUP["id"])
    assert sent.params["parse_mode"] == "HTML" and sent.thread is None
    assert "<b>Groen · Eenzaamheid bij jezelf</b>" in sent.text
    assert any(q in sent.text for q in GREEN)
    for label in ("Nog een vraag", "Andere kleur", "Noteer een aanknopingspunt"):
        data = sent.button(label)
        assert 0 < len(data.encode()) <= 64


async def test_command_with_our_suffix_and_arguments(tg: TelegramAdapter, api: FakeBotApi) -> None:
    await tg.process(U.message(GROUP, U.AN, "/vraag@KletspotBot groen"))
    [sent] = api.sent()
    assert any(q in sent.text for q in GREEN)
    await tg.process(U.message(GROUP, U.AN, "/VRAAG@kletspotbot   blauw"))
    assert "Blauw" in api.sent()[-1].text


async def test_command_for_another_bot_is_ignored(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    mark = api.mark()
    await tg.process(U.message(GROUP, U.AN, "/vraag@OtherBot groen"))
    assert api.calls[mark:] == []
    assert await engine.db.scalar("SELECT COUNT(*) FROM conversations") == 0


async def test_private_chat(tg: TelegramAdapter, api: FakeBotApi) -> None:
    chat = U.private(U.SAM)
    await tg.process(U.message(chat, U.SAM, "/start"))
    [welcome] = api.sent()
    assert welcome.chat_id == str(U.SAM["id"])
    assert "<b>Welkom bij Kletspot 👋" in welcome.text and "<b>/hulp</b>" in welcome.text
    rows = welcome.markup["inline_keyboard"]
    assert [b["text"] for row in rows for b in row] == [
        "👥 Met mijn team",
        "🤝 Als vrijwilliger of hulpverlener",
        "🌱 Voor mezelf",
    ]
    # in a private chat nobody's admin list is asked: the user coordinates their own chat
    assert api.of("getChatAdministrators") == []
    await tg.process(U.callback(chat, U.SAM, welcome.button("🌱 Voor mezelf")))
    mezelf = api.sent()[-1]
    assert "Alleen jij ziet wat je hier invult" in mezelf.text
    await tg.process(U.callback(chat, U.SAM, mezelf.button("Hulp nu")))
    assert "1813" in api.sent()[-1].text
    await tg.process(U.message(chat, U.SAM, "hallo"))  # no longer the first message
    assert "Fijn dat je me schrijft" in api.sent()[-1].text
    await tg.process(U.message(chat, U.SAM, "/pot uit groen"))
    assert "staat nu uit" in api.sent()[-1].text


async def test_help_and_unknown_commands_go_to_the_engine(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    await tg.process(U.message(GROUP, U.AN, "/help"))
    assert "<b>/hulp kletspot</b>" in api.sent()[-1].text
    await tg.process(U.message(GROUP, U.AN, "/bestaatniet"))
    assert "Dat commando ken ik niet: /bestaatniet" in api.sent()[-1].text


async def test_forum_topic_replies_in_the_topic_with_its_own_jar(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    await tg.process(U.message(FORUM, U.AN, "/vraag", thread=77))
    in_topic = api.sent()[-1]
    assert in_topic.chat_id == str(FORUM["id"]) and in_topic.thread == "77"
    await tg.process(U.message(FORUM, U.AN, "/vraag"))  # the General topic: no thread id
    general = api.sent()[-1]
    assert general.thread is None
    await tg.process(U.message(FORUM, U.AN, "/vraag", thread=78))
    assert api.sent()[-1].thread == "78"
    rows = await engine.db.all("SELECT external_id, title FROM conversations ORDER BY id")
    assert [r["external_id"] for r in rows] == [
        f"{FORUM['id']}:77",
        str(FORUM["id"]),
        f"{FORUM['id']}:78",
    ]
    assert rows[0]["title"] == "Buurtwerk · Lunch"
    # each topic its own jar: one draw in each conversation, not three in one
    per_conversation = await engine.db.all(
        "SELECT conversation_id, COUNT(*) AS n FROM trekkingen GROUP BY conversation_id"
    )
    assert sorted(r["n"] for r in per_conversation) == [1, 1, 1]
    # a button pressed in the topic is answered in the topic
    data = in_topic.button("Nog een vraag")
    await tg.process(U.callback(FORUM, U.AN, data, thread=77))
    assert api.sent()[-1].thread == "77"
    title = await engine.db.scalar(
        "SELECT title FROM conversations WHERE external_id = ?", (f"{FORUM['id']}:77",)
    )
    assert title == "Buurtwerk · Lunch"  # a button press does not know the topic's name


@SIX_COLOURS
async def test_a_sixth_colour_in_the_content_alone(tg: TelegramAdapter, api: FakeBotApi) -> None:
    chat = U.private(U.SAM)
    await tg.process(U.message(chat, U.SAM, "/vraag paars"))
    assert "🟣 <b>Paars · Eenzaamheid op het scherm</b>" in api.sent()[-1].text
    await tg.process(U.message(chat, U.SAM, "/hulp"))
    assert ", 🟣 paars." in api.sent()[-1].text
    await tg.process(U.message(chat, U.SAM, "/pot"))
    overview = api.sent()[-1]
    assert "<b>Paars · Eenzaamheid op het scherm</b>: 2 van 2 vragen aan" in overview.text
    await tg.process(U.callback(chat, U.SAM, overview.button("🟣 Paars")))
    assert "paars-2" in api.sent()[-1].text


async def test_hulp_is_grouped_and_hulp_with_a_command_gives_an_example(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    await tg.process(U.message(GROUP, U.AN, "/hulp"))
    grouped = api.sent()[-1].text
    assert "<b>👥 Met mijn team: </b>" in grouped and "<b>🌱 Voor mezelf: </b>" in grouped
    await tg.process(U.message(GROUP, U.AN, "/hulp acties team"))
    one = api.sent()[-1].text
    assert one.startswith("<b>/acties team</b>") and "Bijvoorbeeld: <b>/acties team nieuw" in one
