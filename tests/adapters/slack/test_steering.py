"""Stop and back through slack-bolt and FakeSlack: block_actions for "◀ Terug" and "Stop" and
typed words in the Messages tab (a DM); in a channel the answer modal, where "stop" stops the
question and "vorige" shows the step before in the same modal. Nothing of them is stored."""

from __future__ import annotations

import json
from typing import Any

from bot.core.engine import Engine
from tests.adapters.slack.conftest import Slack
from tests.adapters.slack.helpers import all_text, button, buttons_of, text_of

STEERING = {"stop", "annuleer", "terug", "vorige"}


async def answered(slack: Slack, view: dict[str, Any], text: str) -> dict[str, Any]:
    """Submit the answer modal; the modal the next question is asked in, which Slack shows in
    place of this one (response_action update)."""
    status, body = await slack.submit(view, text)
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "update", body
    return {**answer["view"], "id": view["id"]}


def last_post(slack: Slack) -> dict[str, Any]:
    return slack.fake.of("chat.postMessage")[-1]


async def test_plan_in_the_messages_tab_back_and_stop_by_button_and_typed(
    slack: Slack, engine: Engine
) -> None:
    await slack.dm("plan")
    assert list(buttons_of(last_post(slack)))[-1] == "Stop"
    await slack.dm("Elke week iemand bellen")
    steps = last_post(slack)
    assert steps["channel"] == "DU1" and "Wat zijn je eerste stappen?" in text_of(steps)
    assert list(buttons_of(steps)) == ["◀ Terug", "Stop"]

    await slack.press(button([steps], "◀ Terug"), channel="DU1")
    again = last_post(slack)
    assert "Je antwoordde: _Elke week iemand bellen_. Typ een nieuw antwoord" in text_of(again)
    assert "Wat wil je bereiken?" in text_of(again) and list(buttons_of(again)) == ["Stop"]
    await slack.dm("Twee keer per week iemand bellen")
    await slack.dm("terug")
    typed = last_post(slack)
    assert "Je antwoordde: _Twee keer per week iemand bellen_." in text_of(typed)
    assert list(buttons_of(typed)) == ["Stop"]  # a typed "terug" gets the buttons too
    await slack.dm("Twee keer per week iemand bellen")
    steps = last_post(slack)

    await slack.press(button([steps], "Stop"), channel="DU1")
    stopped = last_post(slack)
    assert "we stoppen hier voor nu met je persoonlijk plan" in text_of(stopped)
    assert "blijft bewaard" in text_of(stopped) and "`/kletspot plan`" in text_of(stopped)
    await slack.press(button([steps], "Stop"), channel="DU1")  # a second press
    assert text_of(last_post(slack)) == "Deze vraag is al voorbij."
    await slack.press(button([steps], "◀ Terug"), channel="DU1", user="U2")  # forged by Bob
    assert text_of(slack.fake.posts()[-1]) == "Deze knop is voor iemand anders bedoeld."
    assert not slack.fake.of("chat.postEphemeral")  # all of it stayed in the DM

    row = await engine.db.one("SELECT goal, steps, helpers FROM persoonlijke_plannen")
    assert row is not None and row["goal"] == "Twee keer per week iemand bellen"
    assert row["steps"] is None and not STEERING & {str(v).lower() for v in dict(row).values()}


async def test_stop_typed_in_the_answer_modal_stops_the_question(
    slack: Slack, engine: Engine
) -> None:
    await slack.command("noteer")
    view = slack.last_view()
    status, body = await slack.submit(view, "stop")
    assert (status, body) == (200, "")  # the modal closes
    stopped = slack.fake.of("chat.postEphemeral")[-1]
    assert stopped["user"] == "U1" and "we stoppen hier voor nu" in text_of(stopped)
    status, body = await slack.submit(view, "Toch nog iets")  # the same modal, sent again
    assert json.loads(body)["errors"] == {"tekst": "Dit venster is al verstuurd."}
    assert await engine.db.scalar("SELECT COUNT(*) FROM aanknopingspunten") == 0

    await slack.command("noteer")
    await slack.command("antwoord annuleer")  # typed without the modal: the same
    assert "we stoppen hier voor nu" in text_of(slack.fake.of("chat.postEphemeral")[-1])
    assert await engine.db.scalar("SELECT COUNT(*) FROM aanknopingspunten") == 0


async def test_dialoogsessie_in_a_channel_back_in_the_modal_and_by_button(
    slack: Slack, engine: Engine
) -> None:
    fake = slack.fake
    fake.user("U3", "Cleo")
    for user, name in (("U2", "bob"), ("U3", "cleo")):
        await slack.command("hulp", user=user, user_name=name)
    await slack.command("intervisie sessie <@U2|bob> <@U1|anne>")  # Bob leads, Anne brings
    roles = last_post(slack)
    assert "Leercoach: Bob" in text_of(roles) and "Inbrenger: Anne" in text_of(roles)

    await slack.command("antwoord terug")
    first = slack.last_view()
    assert "Dit is de eerste vraag. Typ je antwoord, of *stop* om te stoppen." in all_text([first])
    asked = await answered(slack, first, "Mevrouw J. komt niet meer.")
    assert "Welke vraag heb je bij de casus?" in all_text([asked])
    updated = await answered(slack, asked, "vorige")  # back, in the same modal
    assert "Je antwoordde: _Mevrouw J. komt niet meer._" in all_text([updated])
    assert "Stap 1 (de casus, inbrenger)" in all_text([updated])
    asked = await answered(slack, updated, "Mevrouw J. komt niet meer naar de koffie.")
    assert await slack.submit(asked, "Hoe betrekken we haar?") == (200, "")
    silence = last_post(slack)
    assert silence["channel"] == "C1" and list(buttons_of(silence)) == [
        "Klaar met schrijven",
        "◀ Terug",
    ]

    await slack.press(button([silence], "◀ Terug"), user="U3", user_name="cleo")
    refused = fake.posts()[-1]
    assert "Alleen de leercoach (Bob) of een coördinator zet een stap terug." in text_of(refused)
    await slack.press(button([silence], "◀ Terug"), user="U2", user_name="bob")
    back = fake.posts()[-1]
    assert "Anne antwoordde: _Hoe betrekken we haar?_" in text_of(back)
    assert "Anne, welke vraag heb je bij de casus?" in text_of(back)

    await slack.command("antwoord stop")  # Anne stops her part; the session stays
    assert "je inbreng in de dialoogsessie" in all_text(fake.posts()[-1:])
    row = await engine.db.one("SELECT step, casus, vraag, status FROM dialoogsessies")
    assert row is not None and (row["step"], row["status"]) == ("vraag", "open")
    assert (row["casus"], row["vraag"]) == (
        "Mevrouw J. komt niet meer naar de koffie.",
        "Hoe betrekken we haar?",
    )
