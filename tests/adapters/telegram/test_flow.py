"""The jar end to end on Telegram, buttons, ForceReply answers, escaping and coordinators."""

from __future__ import annotations

from adapters.telegram import TelegramAdapter
from bot.core.clock import FakeClock
from bot.core.engine import Engine
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import FakeBotApi

GROUP = U.group()


async def test_jar_flow_draw_another_note_and_export(tg: TelegramAdapter, api: FakeBotApi) -> None:
    await tg.process(U.message(GROUP, U.AN, "/vraag"))
    first = api.sent()[-1]

    await tg.process(U.callback(GROUP, U.AN, first.button("Nog een vraag")))
    [answered] = api.of("answerCallbackQuery")
    second = api.sent()[-1]
    assert second is not first and second.button("Noteer een aanknopingspunt")

    await tg.process(U.callback(GROUP, U.SAM, second.button("Noteer een aanknopingspunt")))
    assert len(api.of("answerCallbackQuery")) == 2
    ask = api.sent()[-1]
    assert "Typ je aanknopingspunt als antwoord" in ask.text
    assert ask.markup == {"force_reply": True, "selective": True}
    # a button press has no message of the user to reply to: Sam is mentioned instead,
    # which is what makes a selective ForceReply reach Sam
    assert f'<a href="tg://user?id={U.SAM["id"]}">Sam</a>' in ask.text

    reply = U.reply_to_bot(GROUP, U.SAM, "De huisarts betrekken", ask.message_id)
    await tg.process(reply)
    noted = api.sent()[-1]
    assert "Genoteerd: <i>De huisarts betrekken</i>" in noted.text

    await tg.process(U.message(GROUP, U.AN, "/punten export"))
    document, printable = api.of("sendDocument")
    pdf_name, pdf_bytes = printable.files["document"]
    assert pdf_name.endswith(".pdf") and pdf_bytes.startswith(b"%PDF")
    assert printable.text == "Hetzelfde om af te drukken (PDF, A4)."
    name, content = document.files["document"]
    assert name.startswith("aanknopingspunten-") and name.endswith(".md")
    text = content.decode("utf-8")
    assert "# Aanknopingspunten uit de kletspot: Team Zuid" in text
    assert "De huisarts betrekken (Sam, " in text
    assert "gegroepeerd per cluster" in document.text  # the caption
    assert document.params["parse_mode"] == "HTML"


async def test_noteer_command_asks_with_force_reply_to_the_users_message(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    update = U.message(GROUP, U.AN, "/noteer")
    await tg.process(update)
    ask = api.sent()[-1]
    assert ask.markup["force_reply"] is True
    assert ask.params["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert "tg://user" not in ask.text
    # plain group chatter, not a reply to the bot: no event, nothing noted
    mark = api.mark()
    await tg.process(U.message(GROUP, U.AN, "gewoon een babbel"))
    assert api.calls[mark:] == []


async def test_forum_topic_reply_to_force_reply_is_text_not_chatter(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    forum = U.group(-1005550002, "Forum", forum=True)
    await tg.process(U.message(forum, U.AN, "/noteer", thread=9))
    ask = api.sent()[-1]
    assert ask.thread == "9"
    # a message in a topic formally replies to the topic's root: that alone is not for us
    mark = api.mark()
    await tg.process(U.message(forum, U.AN, "babbel in het topic", thread=9))
    assert api.since(mark) == []
    await tg.process(
        U.reply_to_bot(forum, U.AN, "Samen naar het buurthuis", ask.message_id, thread=9)
    )
    noted = api.sent()[-1]
    assert "Genoteerd" in noted.text and noted.thread == "9"


async def test_user_text_is_escaped(tg: TelegramAdapter, api: FakeBotApi) -> None:
    await tg.process(U.message(GROUP, U.AN, "/noteer <b>vet</b> & <a href='x'>link</a>"))
    text = api.sent()[-1].text
    assert "&lt;b&gt;vet&lt;/b&gt; &amp; &lt;a href='x'&gt;link&lt;/a&gt;" in text
    assert "<b>vet</b>" not in text
    await tg.process(U.message(GROUP, U.AN, "/punten"))
    listing = api.sent()[-1].text
    assert "&lt;b&gt;vet&lt;/b&gt; &amp;" in listing and "<a href" not in listing


async def test_forged_and_stale_callbacks_are_answered_with_a_dutch_message(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    for data in ("vervalst", "x" * 64, "'; DROP TABLE aanknopingspunten; --"):
        await tg.process(U.callback(GROUP, U.SAM, data))
    assert len(api.of("answerCallbackQuery")) == 3
    texts = [c.text for c in api.sent()]
    assert texts == ["Deze knop werkt niet meer. Typ <b>/hulp</b> om te zien wat je kan doen."] * 3
    assert await engine.db.scalar("SELECT COUNT(*) FROM aanknopingspunten") == 0


async def test_callback_answered_even_when_the_engine_reply_cannot_be_sent(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    api.fail("sendMessage", 400, "Bad Request: message thread not found", times=3)
    await tg.process(U.callback(GROUP, U.SAM, "vervalst"))
    assert len(api.of("answerCallbackQuery")) == 1
    assert api.sent() == []


async def test_button_of_another_chat(tg: TelegramAdapter, api: FakeBotApi) -> None:
    await tg.process(U.message(GROUP, U.AN, "/vraag"))
    data = api.sent()[-1].button("Nog een vraag")
    other = U.group(-1007770000, "Ander team")
    await tg.process(U.callback(other, U.AN, data))
    assert api.sent()[-1].text == "Deze knop hoort bij een ander gesprek."


async def test_coordinators_come_from_the_chat_admin_list(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    api.set_admins(GROUP["id"], U.JO, owner=U.AN)
    await tg.process(U.message(GROUP, U.SAM, "/pot uit groen"))
    assert "Alleen coördinatoren" in api.sent()[-1].text
    await tg.process(U.message(GROUP, U.AN, "/pot uit groen"))
    assert "De kleur groen staat nu uit" in api.sent()[-1].text
    await tg.process(U.message(GROUP, U.JO, "/pot aan groen"))
    assert "De kleur groen staat nu aan" in api.sent()[-1].text
    # one getChatAdministrators for three commands: the list is cached
    assert len(api.of("getChatAdministrators")) == 1


async def test_admin_lookup_failure_means_no_admin_rights_but_still_an_answer(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    api.fail("getChatAdministrators", 400, "Bad Request: chat not found")
    await tg.process(U.message(GROUP, U.AN, "/pot uit groen"))
    assert "Alleen coördinatoren" in api.sent()[-1].text


async def test_kletspot_goes_on_after_a_note_and_a_second_press_draws_once(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    await tg.process(U.message(GROUP, U.AN, "/kletspot 20 groen"))
    card = api.sent()[-1]
    assert "<b>Vraag 1 · nog 20 minuten" in card.text
    await tg.process(U.callback(GROUP, U.AN, card.button("Volgende vraag")))
    await tg.process(U.callback(GROUP, U.SAM, card.button("Volgende vraag")))  # too late
    assert await engine.db.scalar("SELECT COUNT(*) FROM trekkingen") == 2
    await tg.process(U.message(GROUP, U.SAM, "/noteer de buurtwinkel"))
    noted = api.sent()[-1]
    assert "Genoteerd" in noted.text and noted.button("Volgende vraag")
    await tg.process(U.callback(GROUP, U.AN, noted.button("Volgende vraag")))
    assert "<b>Vraag 3 · nog 20 minuten" in api.sent()[-1].text
    await tg.process(U.message(GROUP, U.AN, "/volgende"))
    assert "<b>Vraag 4 · " in api.sent()[-1].text
    await tg.process(U.callback(GROUP, U.AN, noted.button("↩ Ongedaan maken")))  # not Sam's
    assert await engine.db.scalar("SELECT COUNT(*) FROM aanknopingspunten") == 1
    await tg.process(U.callback(GROUP, U.SAM, noted.button("↩ Ongedaan maken")))
    assert await engine.db.scalar("SELECT COUNT(*) FROM aanknopingspunten") == 0


async def test_dialoogsessie_moved_on_by_the_leercoach_and_the_minute_ends_with_a_message(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine, clock: FakeClock
) -> None:
    from scheduler.service import Scheduler
    from tests.conftest import no_sleep

    api.set_admins(GROUP["id"], owner=U.AN)
    for who in (U.AN, U.SAM, U.JO):
        await tg.process(U.message(GROUP, who, "/hulp"))
    await tg.process(U.message(GROUP, U.AN, "/intervisie sessie @sam Jo"))
    roles = api.sent()[-1]
    assert "Leercoach: Sam" in roles.text
    await tg.process(U.reply_to_bot(GROUP, U.JO, "Mevrouw J. komt niet meer.", roles.message_id))
    asked = api.sent()[-1]
    await tg.process(U.reply_to_bot(GROUP, U.JO, "Hoe betrekken we haar?", asked.message_id))
    assert "Schrijf tot" in api.sent()[-1].text
    clock.advance(minutes=1, seconds=1)
    await Scheduler(engine, {"telegram": tg}, sleep=no_sleep).tick()
    ended = api.sent()[-1]
    assert ended.chat_id == str(GROUP["id"]) and "De minuut stil opschrijven is om" in ended.text
    assert ended.button("Verder: de ideeënronde")
    await tg.process(U.message(GROUP, U.SAM, "/intervisie verder"))  # Sam leads, not an admin
    assert "De leercoach vraagt de inbrenger" in api.sent()[-1].text
