"""Coordinators by buttons on Telegram: the planning card and a team action are edited in place
(editMessageText), a member is refused, an old card is stale, and the owner's reminder closes
the action from a private chat the bot had never seen."""

from __future__ import annotations

from adapters.telegram import TelegramAdapter
from bot.core.clock import FakeClock
from bot.core.engine import Engine
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import Call, FakeBotApi
from tests.conftest import due_now, utc

GROUP = U.group()


def rows(call: Call) -> list[list[str]]:
    return [[b["text"] for b in row] for row in call.markup.get("inline_keyboard", [])]


async def press(
    tg: TelegramAdapter, api: FakeBotApi, on: Call, label: str, who: dict = U.AN, chat: dict = GROUP
) -> list[Call]:  # type: ignore[type-arg]
    mark = api.mark()
    await tg.process(U.callback(chat, who, on.button(label), message_id=on.message_id))
    return api.since(mark, "sendMessage", "editMessageText")


async def test_planning_set_up_and_changed_by_buttons_in_place(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    api.set_admins(GROUP["id"], owner=U.AN)
    await tg.process(U.message(GROUP, U.AN, "/planning"))
    card = api.sent()[-1]
    assert rows(card)[0] == ["✓ ma", "di", "wo", "do", "vr", "za", "zo"]
    assert rows(card)[-1] == ["Zet aan"]

    [edit] = await press(tg, api, card, "do")
    assert edit.method == "editMessageText" and edit.message_id == card.message_id
    assert "Donderdag erbij" in edit.text and rows(edit)[0][3] == "✓ do"
    [edit] = await press(tg, api, edit, "09:00")
    [edit] = await press(tg, api, edit, "Zet aan")
    assert "Aan: elke maandag en donderdag om 09:00" in edit.text
    assert rows(edit)[-1] == ["Zet uit"]
    assert [c.method for c in api.of("sendMessage")] == ["sendMessage"]  # only the first card

    [refused] = await press(tg, api, edit, "Zet uit", who=U.SAM)
    assert refused.method == "sendMessage" and "Alleen coördinatoren" in refused.text
    [stale] = await press(tg, api, card, "vr")  # the first card's token, long after
    assert stale.method == "editMessageText" and "niet meer actueel" in stale.text

    api.fail("editMessageText", 400, "Bad Request: message to edit not found")
    calls = await press(tg, api, stale, "Feestdagen BE")
    assert [c.method for c in calls] == ["sendMessage"]  # edit impossible: a new message
    assert "Belgische feestdagen worden overgeslagen" in calls[0].text

    api.fail("editMessageText", 400, "Bad Request: message is not modified")
    assert await press(tg, api, calls[0], "✓ Feestdagen BE") == []  # nothing sent twice


async def test_team_action_outside_owner_closed_by_buttons_and_from_the_reminder(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine, clock: FakeClock
) -> None:
    api.set_admins(GROUP["id"], owner=U.AN)
    await tg.process(
        U.message(GROUP, U.AN, "/acties team nieuw Buurt verkennen @de_wijkagent 20-03-2026")
    )
    offer = api.sent()[-1]
    assert "Is de wijkagent iemand buiten de groep" in offer.text
    [added] = await press(tg, api, offer, "Ja, de wijkagent (buiten de groep)")
    assert added.method == "editMessageText" and "Actie 1 vastgelegd" in added.text
    assert "Ja, de wijkagent" not in str(added.markup)  # the confirmation is gone
    await tg.process(U.message(GROUP, U.AN, "/acties team nieuw Flyers ophalen 20-03-2026 @x"))
    assert "ik mis de datum" in api.sent()[-1].text
    await tg.process(U.message(GROUP, U.AN, "/acties team nieuw Flyers ophalen @sam 20-03-2026"))
    assert "niet als lid" in api.sent()[-1].text  # Sam never spoke here: offered as outside

    await tg.process(U.message(GROUP, U.AN, "/acties team"))
    listing = api.sent()[-1]
    assert "eigenaar: de wijkagent (herinnering naar An Peeters)" in listing.text
    assert rows(listing) == [["1: gedaan", "1: nog bezig", "1: geschrapt", "1: uitkomst"]]
    [refused] = await press(tg, api, listing, "1: gedaan", who=U.SAM)
    assert refused.method == "sendMessage" and "Alleen wie de herinnering krijgt" in refused.text
    [busy] = await press(tg, api, listing, "1: nog bezig")
    assert busy.method == "editMessageText" and busy.message_id == listing.message_id
    assert rows(busy) == [["1: gedaan", "1: geschrapt", "1: uitkomst"]]

    clock.set(utc(2026, 3, 19, 8, 0, 30))
    [reminder] = await due_now(engine)
    assert reminder.target.user_id == str(U.AN["id"]) and reminder.target.conversation_id is None
    await tg.deliver(reminder)
    sent = api.sent(U.AN["id"])[-1]
    assert "in de plaats van de wijkagent" in sent.text
    assert rows(sent) == [["Gedaan", "Geschrapt"], ["Uitkomst noteren"]]
    [done] = await press(tg, api, sent, "Gedaan", chat=U.private(U.AN))
    assert done.method == "editMessageText" and done.chat_id == str(U.AN["id"])
    assert "✅ Actie 1 staat op gedaan." in done.text
    assert rows(done) == [["Noteer wat het opleverde"]]
    [twice] = await press(tg, api, sent, "Gedaan", chat=U.private(U.AN))
    assert "stond al op gedaan" in twice.text
