"""What a Slack user sees: the jar flow end to end, ephemeral setup, roles, App Home, DMs."""

from __future__ import annotations

import logging

from bot.core.engine import Engine
from tests.adapters.slack.conftest import Slack
from tests.adapters.slack.fake_slack import BOT_USER
from tests.adapters.slack.helpers import all_text, blocks_of, button, buttons_of, text_of
from tests.conftest import CONTENT, SIX_COLOURS

GROEN = CONTENT.kletspot.cluster("groen").vragen
BLAUW = CONTENT.kletspot.cluster("blauw").vragen


def question_in(text: str, questions: list[str]) -> str:
    found = [q for q in questions if q in text]
    assert found, text
    return found[0]


async def test_jar_flow_end_to_end(slack: Slack) -> None:
    fake = slack.fake
    status, body = await slack.command("vraag groen")
    assert (status, body) == (200, "")
    [post] = fake.of("chat.postMessage")
    assert post["channel"] == "C1" and not fake.of("chat.postEphemeral")
    first = question_in(text_of(post), GROEN)
    assert "*Groen · Eenzaamheid bij jezelf*" in text_of(post)
    assert first in post["text"]  # the plain fallback for notifications
    actions = [b for b in blocks_of(post) if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]] == ["k0", "k1", "k2"]
    assert list(buttons_of(post)) == ["Nog een vraag", "Andere kleur", "Noteer een aanknopingspunt"]

    await slack.press(button([post], "Nog een vraag"))
    second_post = fake.of("chat.postMessage")[-1]
    assert second_post["channel"] == "C1"
    second = question_in(text_of(second_post), GROEN)
    assert second != first

    # Slack escapes &, < and > in command text; the adapter unescapes, the engine stores the
    # real text, and the echo is escaped again for mrkdwn
    await slack.command("noteer Koffie &amp; &lt;taart&gt; 🎂 met de buren")
    noted = fake.of("chat.postMessage")[-1]
    assert "Genoteerd: _Koffie &amp; &lt;taart&gt; 🎂 met de buren_" in text_of(noted)
    assert "<taart>" not in text_of(noted) and second in text_of(noted)

    await slack.command("punten export")
    export, printable = fake.of("chat.postMessage")[-2:]
    assert export["channel"] == "C1" and "PDF, A4" in text_of(printable)
    [(upload, pdf_bytes)] = fake.files()
    assert upload["channel_id"] == "C1" and upload["title"] == "aanknopingspunten-2026-03-02.pdf"
    assert pdf_bytes.startswith(b"%PDF") and b"/Lang (nl)" in pdf_bytes
    text = text_of(export)
    assert "📄 aanknopingspunten-2026-03-02.md" in text
    assert "```" in text and "## Groen: Eenzaamheid bij jezelf" in text
    assert "Koffie &amp; \\&lt;taart\\&gt; 🎂 met de buren" in text
    assert not fake.of("chat.postEphemeral") and not fake.responses


async def test_setup_answers_are_ephemeral(slack: Slack) -> None:
    await slack.command("pot")
    [eph] = slack.fake.of("chat.postEphemeral")
    assert eph["channel"] == "C1" and eph["user"] == "U1"
    assert "De kletspot van dit gesprek" in text_of(eph)
    assert not slack.fake.of("chat.postMessage")

    # a button on an ephemeral message answers ephemerally too
    await slack.press(button([eph], "🟢 Groen"), ephemeral=True)
    assert len(slack.fake.of("chat.postEphemeral")) == 2
    assert "groen-1" in text_of(slack.fake.of("chat.postEphemeral")[-1])
    assert not slack.fake.of("chat.postMessage")

    await slack.command("punten")
    assert "nog geen aanknopingspunten" in text_of(slack.fake.of("chat.postEphemeral")[-1])
    assert not slack.fake.of("chat.postMessage")


async def test_member_refused_admin_allowed(slack: Slack) -> None:
    await slack.command("pot uit groen", user="U2", user_name="bob")
    refused = slack.fake.of("chat.postEphemeral")[-1]
    assert refused["user"] == "U2" and "Alleen coördinatoren" in text_of(refused)

    await slack.command("pot uit groen")  # U1: users.info says is_admin
    allowed = slack.fake.of("chat.postEphemeral")[-1]
    assert allowed["user"] == "U1" and "De kleur groen staat nu uit" in text_of(allowed)

    await slack.command("vraag groen", user="U2", user_name="bob")
    assert "De kleur groen staat uit" in text_of(slack.fake.of("chat.postMessage")[-1])


async def test_workspace_owner_is_coordinator(slack: Slack) -> None:
    slack.fake.user("U3", "Chris", owner=True)
    await slack.command("pot uit wit", user="U3", user_name="chris")
    assert "De kleur wit staat nu uit" in text_of(slack.fake.of("chat.postEphemeral")[-1])


async def test_mention_names_a_coordinator(slack: Slack) -> None:
    await slack.command("vraag", user="U2", user_name="bob")  # Bob is now known here
    await slack.command("coordinator <@U2|bob>")
    assert "Bob is nu coördinator" in text_of(slack.fake.of("chat.postEphemeral")[-1])
    await slack.command("pot uit roos", user="U2", user_name="bob")
    assert "De kleur roos staat nu uit" in text_of(slack.fake.of("chat.postEphemeral")[-1])


async def test_help_unknown_and_empty(slack: Slack) -> None:
    await slack.command("")
    help_post = slack.fake.of("chat.postEphemeral")[-1]
    assert "vraag" in text_of(help_post) and "/kletspot vraag groen" in text_of(help_post)
    await slack.command("vliegen naar de maan")
    assert "Dat commando ken ik niet" in text_of(slack.fake.of("chat.postEphemeral")[-1])
    assert not slack.fake.of("chat.postMessage")


async def test_button_from_another_channel_or_team(slack: Slack) -> None:
    await slack.command("vraag")
    token = button(slack.fake.of("chat.postMessage"), "Nog een vraag")
    await slack.press(token, channel="C2")
    other = slack.fake.of("chat.postMessage")[-1]
    assert other["channel"] == "C2" and "Deze knop hoort bij een ander gesprek" in text_of(other)
    await slack.press(token, team="T2")
    assert "Deze knop hoort bij een ander gesprek" in text_of(slack.fake.of("chat.postMessage")[-1])
    await slack.press("vervalst-token")
    assert "Deze knop werkt niet meer" in text_of(slack.fake.of("chat.postMessage")[-1])


async def test_button_in_a_thread_answers_in_the_thread(slack: Slack) -> None:
    await slack.command("vraag")
    await slack.press(
        button(slack.fake.of("chat.postMessage"), "Nog een vraag"), thread_ts="1772449100.000001"
    )
    assert slack.fake.of("chat.postMessage")[-1]["thread_ts"] == "1772449100.000001"


async def test_question_in_a_channel_says_how_to_answer(slack: Slack) -> None:
    """Without a modal (an expired trigger_id), the question comes as a message only this
    person sees, with the Antwoorden button and the typed alternative."""
    await slack.command("vraag blauw")
    slack.fake.fail("views.open", "expired_trigger_id")
    await slack.press(button(slack.fake.of("chat.postMessage"), "Noteer een aanknopingspunt"))
    ask = slack.fake.of("chat.postEphemeral")[-1]
    assert "Typ je aanknopingspunt" in text_of(ask)
    assert "`/kletspot antwoord &lt;je tekst&gt;`" in text_of(ask)
    assert "Antwoorden" in str(ask["blocks"])
    assert len(slack.fake.of("chat.postMessage")) == 1
    await slack.command("antwoord Het buurtcafé betrekken")
    noted = slack.fake.of("chat.postMessage")[-1]
    assert "Genoteerd: _Het buurtcafé betrekken_" in text_of(noted) and noted["channel"] == "C1"


async def test_messages_tab_commands_and_answers(slack: Slack) -> None:
    await slack.dm("vraag blauw")
    post = slack.fake.of("chat.postMessage")[-1]
    assert post["channel"] == "DU1"
    question_in(text_of(post), BLAUW)

    await slack.press(button([post], "Noteer een aanknopingspunt"), channel="DU1")
    ask = slack.fake.of("chat.postMessage")[-1]
    assert ask["channel"] == "DU1" and "hieronder" in text_of(ask) and "noteer" not in text_of(ask)

    # the answer starts with a command word, but the bot just asked for text
    await slack.dm("hulp bij boodschappen organiseren")
    assert "Genoteerd: _hulp bij boodschappen organiseren_" in text_of(
        slack.fake.of("chat.postMessage")[-1]
    )

    await slack.dm("hallo")
    assert "Fijn dat je me schrijft" in text_of(slack.fake.of("chat.postMessage")[-1])
    assert not slack.fake.of("chat.postEphemeral")


async def test_bots_edits_and_self_are_ignored(slack: Slack) -> None:
    before = len(slack.fake.calls)
    await slack.dm("vraag", bot_id="B999")
    await slack.dm("vraag", subtype="bot_message")
    await slack.dm("vraag", subtype="message_changed")
    await slack.dm("vraag", subtype="message_deleted")
    await slack.dm("vraag", user=BOT_USER, channel="DU1")
    await slack.event(
        {
            "type": "message",
            "channel": "C1",
            "user": "U1",
            "text": "vraag",
            "ts": "1.0",
            "channel_type": "channel",
        }
    )
    assert slack.new_calls(before) == []


async def test_app_home_publishes_view_with_buttons(slack: Slack) -> None:
    await slack.event(
        {
            "type": "app_home_opened",
            "user": "U1",
            "channel": "DU1",
            "tab": "home",
            "event_ts": "1772449300.000100",
        }
    )
    [publish] = slack.fake.of("views.publish")
    view = publish["view"]
    assert publish["user_id"] == "U1" and view["type"] == "home"
    assert view["private_metadata"] == "DU1"
    text = all_text([view])
    assert "Welkom bij Kletspot" in text and "Alleen jij ziet wat je hier invult" in text
    labels = buttons_of(view)
    assert list(labels) == [
        "👥 Met mijn team",
        "🤝 Als vrijwilliger of hulpverlener",
        "🌱 Voor mezelf",
    ]

    await slack.press(
        labels["👥 Met mijn team"],
        channel=None,
        view={"id": "V1", "type": "home", "private_metadata": "DU1"},
    )
    post = slack.fake.of("chat.postMessage")[-1]
    assert post["channel"] == "DU1" and "Eén vraag trekken" in buttons_of(post)
    await slack.press(buttons_of(post)["Eén vraag trekken"], channel="DU1")
    post = slack.fake.of("chat.postMessage")[-1]
    assert post["channel"] == "DU1" and "Nog een vraag" in buttons_of(post)

    await slack.event(
        {
            "type": "app_home_opened",
            "user": "U1",
            "channel": "DU1",
            "tab": "messages",
            "event_ts": "1772449301.000100",
        }
    )
    assert len(slack.fake.of("views.publish")) == 1
    await slack.event(
        {
            "type": "app_home_opened",
            "user": "U1",
            "channel": "DU1",
            "tab": "home",
            "event_ts": "1772449302.000100",
        }
    )
    again = slack.fake.of("views.publish")[-1]["view"]
    assert "Welkom bij Kletspot" not in all_text([again])  # a second visit: the short page
    assert "🌱 Voor mezelf" in buttons_of(again)


async def test_bot_joins_and_leaves_a_channel(slack: Slack, engine: Engine) -> None:
    slack.fake.channels["C9"] = "buurtwerk"
    await slack.event(
        {
            "type": "member_joined_channel",
            "user": BOT_USER,
            "channel": "C9",
            "channel_type": "C",
            "team": "T1",
            "inviter": "U1",
        }
    )
    post = slack.fake.of("chat.postMessage")[-1]
    assert post["channel"] == "C9" and "Hallo! Ik ben Kletspot." in text_of(post)
    row = await engine.db.one("SELECT title, active FROM conversations WHERE external_id = 'C9'")
    assert row is not None and row["title"] == "buurtwerk" and row["active"] == 1

    before = len(slack.fake.calls)
    await slack.event(
        {
            "type": "member_joined_channel",
            "user": "U2",
            "channel": "C9",
            "channel_type": "C",
            "team": "T1",
        }
    )
    assert slack.new_calls(before) == []

    await slack.event(
        {
            "type": "member_left_channel",
            "user": BOT_USER,
            "channel": "C9",
            "channel_type": "C",
            "team": "T1",
        }
    )
    row = await engine.db.one("SELECT active FROM conversations WHERE external_id = 'C9'")
    assert row is not None and row["active"] == 0


async def test_not_in_channel_answers_through_response_url(slack: Slack) -> None:
    slack.fake.fail("chat.postMessage", "not_in_channel")
    await slack.command("vraag geel", channel="G7", channel_name="privategroup")
    [response] = slack.fake.responses
    assert response["response_type"] == "in_channel" and response["replace_original"] is False
    assert "Nog een vraag" in buttons_of(response)

    slack.fake.fail("chat.postEphemeral", "channel_not_found")
    await slack.command("pot", channel="G7", channel_name="privategroup")
    assert slack.fake.responses[-1]["response_type"] == "ephemeral"


async def test_huge_and_empty_input(slack: Slack) -> None:
    await slack.command("noteer " + "x" * 10_050)
    assert "Dat bericht is te lang" in text_of(slack.fake.of("chat.postMessage")[-1])
    await slack.dm("   ")
    await slack.command("noteer")
    assert "Typ je aanknopingspunt" in all_text([slack.last_view()])


async def test_message_texts_stay_out_of_the_logs(slack: Slack, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Geheimzinnig-aanknopingspunt-42"
    await slack.command("vraag")
    await slack.command(f"noteer {secret}")
    await slack.dm(f"noteer {secret}-dm")
    await slack.sender.command(f"noteer {secret}", secret="verkeerd")
    assert "Genoteerd" in all_text(slack.fake.of("chat.postMessage"))
    assert secret not in caplog.text
    assert "slack command" in caplog.text  # ids and kinds are logged


async def test_personal_command_in_a_dm_between_two_people_stays_private(slack: Slack) -> None:
    """A DM between Anne and Bob is not Anne's DM with the app: Bob must see nothing of hers."""
    fake = slack.fake
    await slack.command("herinneringen", channel="DBOTHU1U2", channel_name="directmessage")
    visible = [p for p in fake.of("chat.postMessage") if p["channel"] == "DBOTHU1U2"]
    in_channel = [r for r in fake.responses if r.get("response_type") == "in_channel"]
    assert not visible and not in_channel
    own = await slack.command("herinneringen", channel="DU1", channel_name="directmessage")
    assert own[0] == 200
    assert any(p["channel"] == "DU1" for p in fake.of("chat.postMessage"))


async def test_button_in_a_dm_between_two_people_stays_private(slack: Slack) -> None:
    """Anne's reminder list, shown only to her in her DM with Bob; her press must not tell Bob."""
    fake = slack.fake
    for answer in (
        "plan",
        "Mijn angst voor mensen overwinnen",
        "psycholoog bellen",
        "mijn zus",
        "15-04",
    ):
        await slack.dm(answer)
    fake.fail("chat.postEphemeral", "not_in_channel")
    await slack.command("herinneringen", channel="DU1U2", channel_name="directmessage")
    listing = fake.responses[-1]
    assert listing.get("response_type") != "in_channel"
    fake.fail("chat.postMessage", "not_in_channel")
    await slack.press(button([listing], "1: annuleer"), channel="DU1U2", ephemeral=True)
    assert fake.responses[-1].get("response_type") != "in_channel"
    assert "angst" not in str([r for r in fake.responses if r.get("response_type") == "in_channel"])


@SIX_COLOURS
async def test_a_sixth_colour_in_the_content_alone(slack: Slack) -> None:
    await slack.command("vraag paars")
    assert "🟣 *Paars · Eenzaamheid op het scherm*" in text_of(
        slack.fake.of("chat.postMessage")[-1]
    )
    await slack.command("pot")
    [overview] = slack.fake.of("chat.postEphemeral")
    assert "*Paars · Eenzaamheid op het scherm*: 2 van 2 vragen aan" in text_of(overview)
    await slack.press(button([overview], "🟣 Paars"), ephemeral=True)
    assert "paars-2" in text_of(slack.fake.of("chat.postEphemeral")[-1])
    await slack.command("hulp")
    posts = slack.fake.of("chat.postMessage") + slack.fake.of("chat.postEphemeral")
    assert ", 🟣 paars." in all_text(posts)


async def test_kletspot_goes_on_and_a_second_press_draws_once(slack: Slack, engine: Engine) -> None:
    fake = slack.fake
    await slack.command("kletspot 20 blauw")
    card = fake.of("chat.postMessage")[-1]
    assert "Vraag 1 · nog 20 minuten" in text_of(card)
    await slack.press(button([card], "Volgende vraag"))
    await slack.press(button([card], "Volgende vraag"), user="U2", user_name="sam")
    assert await engine.db.scalar("SELECT COUNT(*) FROM trekkingen") == 2
    await slack.command("noteer de bib als ontmoetingsplek")
    noted = fake.of("chat.postMessage")[-1]
    assert "Volgende vraag" in buttons_of(noted) and "↩ Ongedaan maken" in buttons_of(noted)
    await slack.command("volgende")
    assert "Vraag 3 · " in text_of(fake.of("chat.postMessage")[-1])
    await slack.press(button([noted], "↩ Ongedaan maken"))
    assert await engine.db.scalar("SELECT COUNT(*) FROM aanknopingspunten") == 0
