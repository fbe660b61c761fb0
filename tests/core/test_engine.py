"""The engine's contract: bad input gets a clear Dutch message or is ignored, never a crash."""

from __future__ import annotations

import logging

import pytest

from bot.core.engine import Engine
from bot.core.events import ButtonPress, Command
from bot.core.replies import (
    Audience,
    Colour,
    Outgoing,
    Span,
    Target,
    coloured,
    outgoing_from_json,
    outgoing_to_json,
    say,
)
from bot.core.router import CommandInfo
from tests.conftest import Chat, button_id, text_of


async def test_unknown_command_points_to_hulp(chat: Chat) -> None:
    text = text_of(await chat.cmd("bestaatniet"))
    assert "ken ik niet" in text and "hulp" in text


async def test_hulp_is_short_and_grouped_by_the_three_paths(chat: Chat) -> None:
    text = text_of(await chat.cmd("hulp"))
    team, volunteer, me, rest = (
        text.index(h)
        for h in (
            "👥 Met mijn team:",
            "🤝 Als vrijwilliger of hulpverlener:",
            "🌱 Voor mezelf:",
            "⚙️ En verder:",
        )
    )
    assert team < volunteer < me < rest
    for name in ("kletspot", "vraag", "planning", "intervisie", "acties team"):
        assert name in text[team:volunteer]
    for name in ("gedachte", "gesprek", "gesprek verslag", "acties"):
        assert name in text[volunteer:me]
    for name in ("reflectie", "plan", "hulp nu"):
        assert name in text[me:rest]
    for info in chat.engine.router.help:  # nothing falls out: every command is somewhere
        assert info.name in text or info.name == "start"
    assert len(text) < 1500 and "Bv." not in text


@pytest.mark.parametrize(
    "typed, heading, example",
    [
        ("hulp gesprek", "gesprek", "gesprek verslag"),
        ("hulp /Verslag", "gesprek", "gesprek verslag"),
        ("hulp acties team", "acties team", "acties team nieuw"),
        ("hulp help", "hulp", "hulp gesprek"),
        ("hulp dialoogsessie", "intervisie", "intervisie"),
        ("hulp mijngegevens", "mijngegevens", "mijngegevens"),
    ],
)
async def test_hulp_explains_one_command_with_an_example(
    chat: Chat, typed: str, heading: str, example: str
) -> None:
    text = text_of(await chat.cmd(typed))
    assert text.startswith(heading + "\n") and f"Bijvoorbeeld: {example}" in text


async def test_hulp_topics_and_subcommands_keep_working(chat: Chat) -> None:
    assert "Een kletspot is een bokaal" in text_of(await chat.cmd("hulp kletspot"))
    assert "sociaal isolement" in text_of(await chat.cmd("hulp eenzaamheid"))
    assert "1813" in text_of(await chat.cmd("hulp nu"))
    assert "land" in text_of(await chat.cmd("hulp land"))
    assert "geen therapie" in text_of(await chat.cmd("hulp reflectie"))
    for odd in ("bestaatniet", "x" * 500, "🙂"):
        assert "ken ik niet" in text_of(await chat.cmd(f"hulp {odd}"))


async def test_hulp_kletspot_explains_the_jar_with_source(chat: Chat) -> None:
    text = text_of(await chat.cmd("hulp kletspot"))
    assert "Een kletspot is een bokaal" in text
    assert "Schrijf ze op en hou ze vast voor een formeler moment." in text
    assert "Resokit" in text


async def test_forged_and_foreign_buttons(engine) -> None:  # type: ignore[no-untyped-def]
    a, b = Chat(engine, "a"), Chat(engine, "b")
    for token in ("", "x" * 500, "nonsense", "'; DROP TABLE aanknopingspunten; --", "🙂"):
        assert "werkt niet meer" in text_of(await a.send(ButtonPress(token)))
    await a.cmd("vraag")
    token = button_id(a.last, "Nog een vraag")
    assert "ander gesprek" in text_of(await b.send(ButtonPress(token)))
    assert await engine.db.scalar("SELECT COUNT(*) FROM trekkingen") == 1


async def test_huge_input_refused_before_storage(chat: Chat) -> None:
    text = text_of(await chat.send(Command("noteer", "z" * 20_000)))
    assert "te lang" in text
    assert await chat.engine.db.scalar("SELECT COUNT(*) FROM aanknopingspunten") == 0


async def test_group_chatter_is_ignored_and_dm_text_gets_a_hint(engine) -> None:  # type: ignore[no-untyped-def]
    group, dm = Chat(engine, "g"), Chat(engine, "dm-an", group=False)
    assert await group.text("hallo allemaal") == []
    assert "hulp" in text_of(await dm.text("hallo"))


async def test_replies_go_to_the_thread_of_the_event(engine) -> None:  # type: ignore[no-untyped-def]
    from bot.core.events import Place

    chat = Chat(engine)
    chat.place = Place("team", is_group=True, thread_id="t-42")
    replies = await chat.cmd("vraag")
    assert replies[0].thread_id == "t-42"


async def test_failure_is_answered_and_logged_without_message_text(
    chat: Chat, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(ctx, args):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"kapot bij {args}")  # exception messages can quote input

    monkeypatch.setitem(chat.engine.router.commands, "noteer", broken)
    with caplog.at_level(logging.DEBUG):
        text = text_of(await chat.cmd("noteer geheim persoonlijk verhaal"))
    assert "Er ging iets mis" in text
    assert "geheim" not in caplog.text
    assert "command:noteer" in caplog.text


async def test_logs_never_contain_message_texts(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await chat.cmd("noteer mijn buurvrouw is erg eenzaam")
        await chat.cmd("noteer")
        await chat.text("vertrouwelijk detail")
    assert "buurvrouw" not in caplog.text and "vertrouwelijk" not in caplog.text


async def test_joined_group_gets_welcome_and_left_marks_inactive(engine) -> None:  # type: ignore[no-untyped-def]
    from bot.core.events import Membership

    chat = Chat(engine, "nieuw")
    welcome = text_of(await chat.send(Membership(True)))
    assert "Kletspot" in welcome and "vraag" in welcome and "hulp" in welcome
    assert (
        await engine.db.scalar("SELECT active FROM conversations WHERE external_id = 'nieuw'") == 1
    )
    assert await chat.send(Membership(False)) == []
    assert (
        await engine.db.scalar("SELECT active FROM conversations WHERE external_id = 'nieuw'") == 0
    )
    await chat.cmd("vraag")  # someone writes there: the bot is back
    assert (
        await engine.db.scalar("SELECT active FROM conversations WHERE external_id = 'nieuw'") == 1
    )
    dm = Chat(engine, "dm", group=False)
    assert await dm.send(Membership(True)) == []


async def test_moved_conversation_keeps_jar_and_points(engine) -> None:  # type: ignore[no-untyped-def]
    old = Chat(engine, "-100")
    await old.cmd("noteer blijft bewaard")
    await old.cmd("pot uit wit")
    racing = Chat(engine, "-200")
    await racing.cmd("vraag")
    await engine.move_conversation("console", "w1", "-100", "-200")
    moved = Chat(engine, "-200")
    assert "blijft bewaard" in text_of(await moved.cmd("punten"))
    assert "staat uit" in text_of(await moved.cmd("vraag wit"))


PATHS = ["👥 Met mijn team", "🤝 Als vrijwilliger of hulpverlener", "🌱 Voor mezelf"]


async def test_overzicht_opens_with_the_three_paths(engine) -> None:  # type: ignore[no-untyped-def]
    dm = Chat(engine, "dm-an", group=False)
    replies = await dm.cmd("overzicht")
    assert "Welkom bij Kletspot" in replies[0].plain  # a first visit: the paths explained
    assert [b.label for b in replies[0].buttons] == PATHS
    await dm.press("👥 Met mijn team")
    assert [b.label for b in dm.last[0].buttons] == [
        "Kletspot",
        "Eén vraag trekken",
        "Wekelijkse vraag",
        "Intervisie",
    ]
    await dm.press("Eén vraag trekken")
    assert "Nog een vraag" in [b.label for b in dm.last[0].buttons]
    again = await dm.cmd("overzicht")
    assert "Welkom" not in again[0].plain and "hulp" in again[0].plain
    assert [b.label for b in again[0].buttons] == PATHS
    await dm.press("🤝 Als vrijwilliger of hulpverlener")
    assert "Gesprek" in [b.label for b in dm.last[0].buttons]
    assert "Stap 1 van 5" in text_of(await dm.press("Gesprek"))


@pytest.mark.parametrize(
    "first, welcomed",
    [
        ("hallo", True),
        ("Goeiemorgen!", True),
        ("/start", True),
        ("start", True),
        ("vraag", False),
        ("overzicht", True),
    ],
)
async def test_start_and_the_first_dm_meet_the_paths(
    engine,
    first: str,  # type: ignore[no-untyped-def]
    welcomed: bool,
) -> None:
    dm = Chat(engine, "dm-bo", group=False)
    replies = await dm.text(first)
    assert ("Welkom bij Kletspot" in text_of(replies)) is welcomed
    second = await dm.text("hallo")  # not the first message any more
    assert "Welkom bij Kletspot" not in text_of(second)


async def test_a_first_dm_with_more_than_hello_gets_a_warm_word_then_the_paths(engine) -> None:  # type: ignore[no-untyped-def]
    dm = Chat(engine, "dm-bo", group=False)
    replies = await dm.text("ik weet niet goed waar ik moet beginnen")
    assert replies[0].plain.startswith("Fijn dat je me schrijft")
    assert [b.label for b in replies[-1].buttons] == PATHS
    group = Chat(engine, "g")
    assert await group.text("hallo") == []  # in a group, chatter stays unanswered


async def test_path_buttons_refuse_forged_payloads(engine) -> None:  # type: ignore[no-untyped-def]
    from bot.core import buttons

    dm = Chat(engine, "dm-bo", group=False)
    await dm.cmd("start")
    conversation = await engine.db.scalar(
        "SELECT id FROM conversations WHERE external_id = 'dm-bo'"
    )
    for payload in ({"p": "team", "c": "vergeetmij"}, {"p": "nergens", "c": "vraag"}, {}):
        forged = await buttons.make(engine.db, conversation, "x", "start.doe", payload, "2026")
        assert "Welkom bij Kletspot" in text_of(await dm.send(ButtonPress(forged.action_id)))
    for payload in ({"p": "nergens"}, {"p": None}):
        forged = await buttons.make(engine.db, conversation, "x", "start.pad", payload, "2026")
        assert "Welkom bij Kletspot" in text_of(await dm.send(ButtonPress(forged.action_id)))


async def test_subcommands_and_watchers(engine) -> None:  # type: ignore[no-untyped-def]
    from bot.core.events import TextReply
    from bot.core.replies import say

    async def team(ctx, args):  # type: ignore[no-untyped-def]
        return [say(f"team:{args}")]

    async def watcher(ctx, what, waiting):  # type: ignore[no-untyped-def]
        said = what.text if isinstance(what, TextReply) else what.args
        return [say("eerst: let op")] if "alarm" in said and not ctx.is_group else None

    engine.router.subcommand("punten", "team", team, in_group=Audience.HERE)
    engine.router.watch(watcher)
    group = Chat(engine, "g")
    assert text_of(await group.cmd("punten team export")) == "team:export"
    dm = Chat(engine, "dm", group=False)
    assert text_of(await dm.text("alarm")) == "eerst: let op"  # first, and the whole answer
    assert text_of(await dm.cmd("noteer alarm")) == "eerst: let op"
    assert "let op" not in text_of(await group.cmd("noteer alarm"))
    assert "let op" not in text_of(await dm.text("gewoon"))


async def test_personal_button_sent_to_the_dm_works_there(engine) -> None:  # type: ignore[no-untyped-def]
    group, dm = Chat(engine, "g"), Chat(engine, "dm-sam", group=False)
    await dm.cmd("hulp", who="Sam")
    await group.cmd("herinneringen", who="Sam")
    from datetime import timedelta

    from bot.timed.herinneringen import Herinneringen

    user_id = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'sam'")
    clock_now = engine.deps.clock.now()
    for n in (1, 2):
        await Herinneringen(engine.db).create(
            user_id, None, "tekst", "x", clock_now + timedelta(days=n), clock_now
        )
    listing = await group.cmd("herinneringen", who="Sam")
    assert "gestopt" in text_of(await dm.press("1: annuleer", who="Sam", replies=listing))
    listing = await group.cmd("herinneringen", who="Sam")
    other_dm = Chat(engine, "dm-bo", group=False)
    assert "ander gesprek" in text_of(
        await other_dm.press("1: annuleer", who="Bo", replies=listing)
    )


async def test_dm_text_starting_with_a_command_word_is_that_command(engine) -> None:  # type: ignore[no-untyped-def]
    dm = Chat(engine, "dm-an", group=False)
    assert "Groen" in text_of(await dm.text("vraag groen"))
    await dm.cmd("noteer")
    assert "Genoteerd: hulp bij boodschappen" in text_of(await dm.text("hulp bij boodschappen"))
    group = Chat(engine, "g")
    assert await group.text("vraag groen") == []


async def test_the_engine_decides_who_sees_a_commands_answer_in_a_group(engine: Engine) -> None:
    group, dm = Chat(engine, "team"), Chat(engine, "dm-an", group=False)
    await group.cmd("noteer iets voor later")
    expected = {
        "vraag groen": Audience.HERE,
        "punten": Audience.QUIET,
        "punten EXPORT": Audience.HERE,
        "help": Audience.QUIET,
        "coördinator": Audience.QUIET,
        "vliegen": Audience.QUIET,
        "acties team": Audience.HERE,
        "hulp nu": Audience.PRIVATE,
    }
    for line, audience in expected.items():
        assert {r.audience for r in await group.cmd(line)} == {audience}, line
    for line in ("vraag groen", "punten", "help", "vliegen"):
        assert {r.audience for r in await dm.cmd(line)} == {Audience.HERE}, line


def test_every_command_says_who_sees_its_answers() -> None:
    with pytest.raises(TypeError):
        CommandInfo("nieuw", "Een commando zonder keuze.", "nieuw")  # type: ignore[call-arg]  # the point of the test


def test_a_claimed_delivery_keeps_its_colour_and_an_older_one_only_loses_the_paint() -> None:
    reply = say(coloured("Groen", Colour("#43a047", 32)), " x")
    outgoing = Outgoing(Target("console", "w1", "team"), reply, "k")
    stored = outgoing_to_json(outgoing)
    assert outgoing_from_json(stored) == outgoing
    # claimed before colours were content, a span named its colour: it is sent unpainted
    older = stored.replace('{"hex": "#43a047", "ansi": 32}', '"groen"')
    assert older != stored
    assert outgoing_from_json(older).reply.text == (Span("Groen", bold=True), Span(" x"))
