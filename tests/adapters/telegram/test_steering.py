"""Stop and back through python-telegram-bot and the fake Bot API: the inline "◀ Terug" and
"Stop" buttons in a private chat, the typed words, and in a group the typed words as a reply
to the bot's question (privacy mode). None of them is ever stored as an answer."""

from __future__ import annotations

from adapters.telegram import TelegramAdapter
from bot.core.engine import Engine
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import Call, FakeBotApi
from tests.adapters.telegram.test_knoppen import press, rows

CHAT = U.private(U.AN)
GROUP = U.group()
DEE = U.user(1004, "Dee")
STEERING = {"stop", "annuleer", "terug", "vorige"}


async def say(tg: TelegramAdapter, api: FakeBotApi, text: str, **kw: object) -> Call:
    """A message in the private chat; the one message the bot sends back."""
    mark = api.mark()
    await tg.process(U.message(CHAT, U.AN, text, **kw))  # type: ignore[arg-type]
    [answer] = api.since(mark)
    return answer


async def answer_to(
    tg: TelegramAdapter, api: FakeBotApi, who: dict, asked: Call, text: str
) -> list[Call]:  # type: ignore[type-arg]
    """Typed in the group as a reply to the bot's question, as privacy mode requires."""
    mark = api.mark()
    await tg.process(U.reply_to_bot(GROUP, who, text, asked.message_id))
    return api.since(mark)


def stored(row: object) -> set[str]:
    return {str(v).strip().lower() for v in dict(row).values()}  # type: ignore[call-overload]


async def test_plan_back_and_stop_by_button_and_typed_in_a_private_chat(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    first = await say(tg, api, "/plan")
    assert "Wat wil je bereiken?" in first.text
    assert rows(first)[-1] == ["Stop"]  # the first question: nothing to go back to
    steps = await say(tg, api, "Elke week iemand bellen")
    assert "Wat zijn je eerste stappen?" in steps.text and rows(steps) == [["◀ Terug", "Stop"]]

    [again] = await press(tg, api, steps, "◀ Terug", chat=CHAT)
    assert api.of("answerCallbackQuery")  # the spinner on the button stops
    assert "Je antwoordde: <i>Elke week iemand bellen</i>. Typ een nieuw antwoord" in again.text
    assert "Wat wil je bereiken?" in again.text and rows(again) == [["Stop"]]
    first_again = await say(tg, api, "vorige")
    assert "Dit is de eerste vraag" in first_again.text
    steps = await say(tg, api, "Twee keer per week iemand bellen")
    assert "Wat zijn je eerste stappen?" in steps.text

    [stopped] = await press(tg, api, steps, "Stop", chat=CHAT)
    assert "we stoppen hier voor nu met je persoonlijk plan" in stopped.text
    assert "blijft bewaard" in stopped.text and "<b>/plan</b>" in stopped.text
    [late] = await press(tg, api, steps, "Stop", chat=CHAT)  # pressed again: nothing twice
    assert late.text == "Deze vraag is al voorbij."
    [gone] = await press(tg, api, again, "Stop", chat=CHAT)  # an older question's button
    assert gone.text == "Deze vraag is al voorbij."
    nothing = await say(tg, api, "stop")  # nothing waits now: nothing to stop, said plainly
    assert nothing.text.startswith("Er loopt nu niets om te stoppen.")
    back = await say(tg, api, "terug")
    assert back.text.startswith("Er is nu geen vraag om naar terug te gaan.")

    row = await engine.db.one("SELECT goal, steps, helpers, status FROM persoonlijke_plannen")
    assert row is not None and row["goal"] == "Twee keer per week iemand bellen"
    assert row["steps"] is None and not STEERING & stored(row)


async def test_verslag_back_shows_the_answer_and_typed_stop_keeps_it(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    asked = await say(tg, api, "/gesprek verslag")
    assert "Vraag 1 van 8" in asked.text and rows(asked) == [["Vandaag", "Gisteren", "Stop"]]
    [who] = await press(tg, api, asked, "Gisteren", chat=CHAT)
    assert "Met wie had je het gesprek?" in who.text and ["◀ Terug", "Stop"] in rows(who)
    wish = await say(tg, api, "Mia")
    assert "Vraag 3 van 8" in wish.text
    [again] = await press(tg, api, wish, "◀ Terug", chat=CHAT)
    assert "Je antwoordde: <i>Mia</i>." in again.text and "Met wie had je" in again.text
    back = await say(tg, api, "terug")
    assert "Je antwoordde:" in back.text and "Wanneer vond het gesprek plaats?" in back.text
    assert rows(back) == [["Vandaag", "Gisteren", "Stop"]]  # the first question: no back
    assert "Vraag 3 van 8" in (await say(tg, api, "vandaag")).text  # on to the first open one
    for word in ("annuleer", "stop"):  # the second finds nothing open: said, not stored
        await say(tg, api, word)
    assert "we stoppen hier voor nu met je gespreksverslag" in api.sent()[-2].text

    row = await engine.db.one("SELECT * FROM gesprekken")
    assert row is not None and (row["met"], row["datum"]) == ("Mia", "2026-03-02")
    assert row["wens"] is None and not STEERING & stored(row)
    listing = await say(tg, api, "/gesprekken")
    assert "<b>Mia</b><i> (nog niet af)</i>" in listing.text and "stop" not in listing.text.lower()


async def dialogue_in_the_group(tg: TelegramAdapter, api: FakeBotApi) -> Call:
    """An (coordinator) starts a session: Sam leads, Jo brings the case. The roles message."""
    api.set_admins(GROUP["id"], owner=U.AN)
    for who in (U.AN, U.SAM, U.JO, DEE):
        await tg.process(U.message(GROUP, who, "/hulp"))
    await tg.process(U.message(GROUP, U.AN, "/intervisie sessie @sam Jo"))
    roles = api.sent()[-1]
    assert "Leercoach: Sam" in roles.text and "Inbrenger: Jo" in roles.text
    return roles


async def test_dialoogsessie_in_a_group_back_and_stop_typed_as_replies(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    roles = await dialogue_in_the_group(tg, api)
    [first] = await answer_to(tg, api, U.JO, roles, "terug")
    assert "Dit is de eerste" in first.text and "/stop" not in first.text
    [question] = await answer_to(tg, api, U.JO, first, "Mevrouw J. komt niet meer.")
    assert "Welke vraag heb je bij de casus?" in question.text
    assert question.markup == {"force_reply": True, "selective": True}
    [case] = await answer_to(tg, api, U.JO, question, "vorige")
    assert "Je antwoordde: <i>Mevrouw J. komt niet meer.</i>" in case.text
    assert "typ je casus als antwoord" in case.text
    # asked again of the one who typed: a ForceReply to Jo's message, as the first time
    assert case.markup == {"force_reply": True, "selective": True}
    [question] = await answer_to(tg, api, U.JO, case, "Mevrouw J. komt niet meer naar de koffie.")
    [silence] = await answer_to(tg, api, U.JO, question, "Hoe betrekken we haar?")
    assert "Schrijf tot" in silence.text and rows(silence)[-1] == ["◀ Terug"]

    [refused] = await press(tg, api, silence, "◀ Terug", who=DEE)
    assert refused.text == "Alleen de leercoach (Sam) of een coördinator zet een stap terug."
    [back] = await press(tg, api, silence, "◀ Terug", who=U.SAM)
    assert "Jo antwoordde: <i>Hoe betrekken we haar?</i>" in back.text
    assert "Jo, welke vraag heb je bij de casus?" in back.text
    [twice] = await press(tg, api, silence, "◀ Terug", who=U.SAM)
    assert twice.text == "Die stap is al gezet."

    assert await answer_to(tg, api, DEE, back, "stop") == []  # not Dee's question: ignored
    [stopped] = await answer_to(tg, api, U.JO, back, "stop")
    assert "we stoppen hier voor nu met je inbreng in de dialoogsessie" in stopped.text
    assert await answer_to(tg, api, U.JO, back, "Iets na de stop") == []  # nothing waits now

    row = await engine.db.one("SELECT step, casus, vraag, meenemen, status FROM dialoogsessies")
    assert row is not None
    assert (row["step"], row["casus"], row["vraag"]) == (
        "vraag",
        "Mevrouw J. komt niet meer naar de koffie.",
        "Hoe betrekken we haar?",
    )
    assert not STEERING & stored(row)


async def test_stappenplan_checklist_in_a_group_back_and_stop_typed_as_replies(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    api.set_admins(GROUP["id"], owner=U.AN)
    for who in (U.AN, U.SAM):
        await tg.process(U.message(GROUP, who, "/hulp"))
    await tg.process(
        U.message(GROUP, U.AN, "/acties team nieuw Buurtbanken plaatsen @sam 30-04-2026")
    )
    await tg.process(U.message(GROUP, U.AN, "/stappenplan checklist 1"))
    asked = api.sent()[-1]
    assert "(1/" in asked.text and asked.markup == {"force_reply": True, "selective": True}
    [first] = await answer_to(tg, api, U.AN, asked, "terug")
    assert "Dit is de eerste vraag" in first.text and "/stop" not in first.text
    [second] = await answer_to(tg, api, U.AN, first, "4, 11")
    assert "(2/" in second.text
    assert await answer_to(tg, api, U.SAM, second, "terug") == []  # the coordinator's checklist
    assert await answer_to(tg, api, U.SAM, second, "1") == []  # nor Sam's answer
    await tg.process(U.message(GROUP, U.SAM, "/stappenplan checklist 1"))
    assert "Een coördinator vult ze in" in api.sent()[-1].text  # Sam only sees it
    [back] = await answer_to(tg, api, U.AN, second, "vorige")
    assert "Je antwoordde: <i>4, 11</i>." in back.text and "(1/" in back.text
    assert back.markup == {"force_reply": True, "selective": True}
    [stopped] = await answer_to(tg, api, U.AN, back, "stop")
    assert "we stoppen hier voor nu met de checklist" in stopped.text
    assert "niets van bewaard" in stopped.text
    assert await answer_to(tg, api, U.AN, back, "5") == []  # stopped: no longer an answer

    await tg.process(U.message(GROUP, U.AN, "/stappenplan checklist 1"))
    shown = api.sent()[-1].text
    assert "(1/" in shown  # nothing was kept: it starts again at the first item
    row = await engine.db.one("SELECT checklist, impact FROM teamacties")
    assert row is not None and (row["checklist"], row["impact"]) == (None, None)
