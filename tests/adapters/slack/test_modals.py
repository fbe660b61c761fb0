"""Modals: a question in a channel opens one (views.open with the interaction's trigger_id), its
submission answers the question, errors show on the field; the message shortcut."""

from __future__ import annotations

import json
import time

from adapters.slack.runner import SlackAdapter
from bot.core.engine import Engine
from tests.adapters.slack.conftest import Slack, http_settings
from tests.adapters.slack.fake_slack import SlackSender
from tests.adapters.slack.helpers import all_text, button, buttons_of, text_of


def field_error(body: str) -> str:
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    return str(answer["errors"]["tekst"])


async def points(engine: Engine) -> list[tuple[str, str]]:
    rows = await engine.db.all(
        "SELECT a.text, u.display_name FROM aanknopingspunten a JOIN users u"
        " ON u.id = a.author_id ORDER BY a.id"
    )
    return [(r[0], r[1]) for r in rows]


async def test_noteer_without_text_opens_a_modal_and_stores_the_answer(
    slack: Slack, engine: Engine
) -> None:
    fake = slack.fake
    await slack.command("noteer")
    [opened] = fake.of("views.open")
    assert opened["trigger_id"].startswith("13345224609.")
    view = slack.last_view()
    assert view["callback_id"] == "kletspot.antwoord" and view["title"]["text"] == "Kletspot"
    assert "Typ je aanknopingspunt" in all_text([view])
    assert not fake.of("chat.postEphemeral")  # the modal replaces the "only for you" message

    status, body = await slack.submit(view, "Koffie & taart met de buren 🎂")
    assert (status, body) == (200, "")  # the modal closes
    noted = fake.of("chat.postMessage")[-1]
    assert noted["channel"] == "C1"
    assert "Genoteerd: _Koffie &amp; taart met de buren 🎂_" in text_of(noted)
    assert await points(engine) == [("Koffie & taart met de buren 🎂", "Anne")]

    # the same modal sent again (a replay with another trigger): nothing doubles
    status, body = await slack.submit(view, "Koffie & taart met de buren 🎂")
    assert "al verstuurd" in field_error(body)
    assert len(await points(engine)) == 1


async def test_note_button_opens_the_modal_and_errors_show_on_the_field(
    slack: Slack, engine: Engine
) -> None:
    fake = slack.fake
    await slack.command("vraag blauw")
    await slack.press(button(fake.of("chat.postMessage"), "Noteer een aanknopingspunt"))
    view = slack.last_view()

    assert "Schrijf eerst iets" in field_error((await slack.submit(view, "  \n "))[1])
    assert "te lang (3001 tekens)" in field_error((await slack.submit(view, "x" * 3001))[1])
    assert "iemand anders" in field_error((await slack.submit(view, "Bob's", user="U2"))[1])
    forged = {**view, "private_metadata": "vervalst"}
    assert "hoort niet (meer)" in field_error((await slack.submit(forged, "iets"))[1])
    other_app = {**view, "callback_id": "iets.anders"}
    assert "hoort niet (meer)" in field_error((await slack.submit(other_app, "iets"))[1])
    assert await points(engine) == []

    # the engine's own limit (2,000 for a note) is the engine's answer, in the channel
    status, body = await slack.submit(view, "y" * 2500)
    assert (status, body) == (200, "")
    assert "te lang (2500 tekens)" in all_text(fake.posts())
    assert await points(engine) == []


async def test_expired_trigger_answers_in_the_channel_with_a_button(
    slack: Slack, engine: Engine
) -> None:
    fake = slack.fake
    fake.fail("views.open", "expired_trigger_id")
    await slack.command("noteer")
    ask = fake.of("chat.postEphemeral")[-1]
    assert ask["user"] == "U1" and "Typ je aanknopingspunt" in text_of(ask)
    [label] = [b for b in buttons_of(ask) if b == "Antwoorden"]
    assert label

    await slack.press("1", action_id="kletspot.antwoorden", ephemeral=True)
    view = slack.last_view()
    assert view["callback_id"] == "kletspot.antwoord"
    await slack.submit(view, "De wijkagent uitnodigen")
    assert await points(engine) == [("De wijkagent uitnodigen", "Anne")]

    # Antwoorden pressed when Slack will not open a modal: a plain word in the channel
    fake.fail("views.open", "expired_trigger_id")
    await slack.press("1", action_id="kletspot.antwoorden", ephemeral=True)
    assert "ging niet open" in text_of(fake.of("chat.postEphemeral")[-1])

    # answered after the question lapsed: the engine says so, nothing is stored
    await slack.press("1", action_id="kletspot.antwoorden", ephemeral=True)
    await slack.submit(slack.last_view(), "te laat")
    assert "geen vraag van mij voor jou open" in all_text(fake.posts())
    assert len(await points(engine)) == 1


async def test_a_modal_survives_a_restart_but_not_a_day(engine: Engine, slack: Slack) -> None:
    fake = slack.fake
    await slack.command("noteer")
    view = slack.last_view()
    await slack.adapter.stop()

    again = SlackAdapter(engine, http_settings(fake))
    await again.start()
    try:
        sender = SlackSender(
            f"http://127.0.0.1:{again.port}/slack/events", slack.sender.session, fake
        )
        await sender.submit(view, "Na de herstart")
        await again.bot.idle()
        assert await points(engine) == [("Na de herstart", "Anne")]

        await sender.command("noteer")
        await again.bot.idle()
        late = list(fake.views.values())[-1]
        again.bot.store.clock = lambda: time.time() + 1.5 * 24 * 3600
        status, body = await sender.submit(late, "Veel te laat")
        assert "te lang open" in field_error(body)
        assert len(await points(engine)) == 1
    finally:
        await again.stop()


async def test_message_shortcut_names_the_author(slack: Slack, engine: Engine) -> None:
    fake = slack.fake
    await slack.shortcut("Samen koken met &lt;de buren&gt; op vrijdag", author="U2")
    view = slack.last_view()
    assert view["callback_id"] == "kletspot.bewaar"
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert field["element"]["initial_value"] == "Samen koken met <de buren> op vrijdag"
    assert "Bob" in all_text([view])

    await slack.submit(view, "Samen koken met de buren, op vrijdag")
    # saved by whoever pressed it; the author is named, not made to act (Bob asked nothing)
    assert await points(engine) == [
        ("Samen koken met de buren, op vrijdag (bericht van Bob)", "Anne")
    ]
    assert await engine.db.scalar("SELECT COUNT(*) FROM users WHERE external_id = 'U2'") == 0
    noted = fake.of("chat.postMessage")[-1]
    assert noted["channel"] == "C1" and "Genoteerd" in text_of(noted)

    await slack.command("punten")
    assert "bericht van Bob" in text_of(fake.of("chat.postEphemeral")[-1])


async def test_message_shortcut_on_odd_messages(slack: Slack, engine: Engine) -> None:
    fake = slack.fake
    await slack.shortcut(None)
    assert "geen tekst" in text_of(fake.of("chat.postEphemeral")[-1])
    assert not fake.of("views.open")

    await slack.shortcut("ø" * 3500, author=None, bot_id="B9")
    view = slack.last_view()
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert len(field["element"]["initial_value"]) <= 3000
    assert "ingekort" in all_text([view])
    await slack.submit(view, "Wat de bot zei, kort")
    assert await points(engine) == [("Wat de bot zei, kort", "Anne")]  # no author: who saved it


async def test_replayed_command_stores_one_note(slack: Slack, engine: Engine) -> None:
    """A signed slash command replayed within Slack's five minutes is handled once."""
    from urllib.parse import urlencode

    form = {
        "token": "legacy",
        "team_id": "T1",
        "channel_id": "C1",
        "channel_name": "team",
        "user_id": "U1",
        "user_name": "anne",
        "command": "/kletspot",
        "text": "noteer Eén keer",
        "api_app_id": "A1",
        "response_url": slack.fake.response_url("replay"),
        "trigger_id": "1.2.replayed",
    }
    body = urlencode(form)
    for _ in range(3):
        status, _ = await slack.sender.post(body, "application/x-www-form-urlencoded")
        assert status == 200
    await slack.adapter.bot.idle()
    assert await points(engine) == [("Eén keer", "Anne")]
