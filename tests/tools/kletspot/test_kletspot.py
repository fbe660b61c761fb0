"""Kletspot sessions: turns through colours, a summary at stop or at the end of the time, restarts."""

from __future__ import annotations

import io
from pathlib import Path
from random import Random

from pypdf import PdfReader

from bot.core.clock import FakeClock
from bot.core.engine import Engine
from bot.core.events import ButtonPress, Place
from tests.conftest import CONTENT, Chat, button_id, due_now, text_of, trips


def colour_of(chat: Chat) -> str:
    question = chat.last[-1].plain.split("\n\n")[-1]
    return next(c.kleur for c in CONTENT.kletspot.clusters if question in c.vragen)


async def test_session_walks_chosen_colours_in_turn(chat: Chat) -> None:
    replies = await chat.cmd("kletspot 30 groen blauw")
    assert "30 minuten" in replies[0].plain and "Groen" in replies[0].plain
    assert colour_of(chat) == "groen"
    assert [b.label for b in replies[-1].buttons] == [
        "Volgende vraag",
        "Noteer een aanknopingspunt",
        "Stop",
    ]
    order = []
    for _ in range(4):
        await chat.press("Volgende vraag")
        order.append(colour_of(chat))
    assert order == ["blauw", "groen", "blauw", "groen"]


async def test_stop_posts_questions_and_points_of_the_session(chat: Chat) -> None:
    await chat.cmd("noteer van voor de sessie")
    await chat.cmd("kletspot geel")
    first = chat.last[-1].plain.split("\n\n")[-1]
    await chat.press("Noteer een aanknopingspunt")
    await chat.text("Huisarts als signaalpunt", who="An")
    await chat.cmd("noteer Buurtcafé 🍵 <test>", who="Sam")
    summary = text_of(await chat.cmd("stop", who="Sam"))
    assert "Kletspot afgerond" in summary
    assert first in summary
    assert "Huisarts als signaalpunt" in summary and "Buurtcafé 🍵 <test>" in summary
    assert "van voor de sessie" not in summary
    assert "geen kletspot" in text_of(await chat.cmd("stop"))


async def test_kletspot_stop_and_volgende_say_what_stop_and_volgende_say(chat: Chat) -> None:
    """People type the command's name first: "kletspot stop" is no colour."""
    await chat.cmd("kletspot roos")
    assert "Vraag 2" in text_of(await chat.cmd("kletspot volgende"))
    assert "Kletspot afgerond" in text_of(await chat.cmd("kletspot Stop"))
    assert "geen kletspot" in text_of(await chat.cmd("kletspot einde"))


async def test_unknown_words_and_durations(chat: Chat) -> None:
    assert "paars" in text_of(await chat.cmd("kletspot paars"))
    assert "tussen 1 en 480" in text_of(await chat.cmd("kletspot 0"))
    assert "tussen 1 en 480" in text_of(await chat.cmd("kletspot 9999"))
    assert "geen kletspot" in text_of(await chat.cmd("stop"))


async def test_second_session_while_one_runs_is_refused(chat: Chat) -> None:
    await chat.cmd("kletspot")
    assert "al een kletspot" in text_of(await chat.cmd("kletspot 20"))


async def test_time_up_posts_summary_once_through_tick(chat: Chat, clock: FakeClock) -> None:
    await chat.cmd("kletspot 15 wit")
    clock.advance(minutes=14)
    assert await due_now(chat.engine) == []
    clock.advance(minutes=2)
    start_replies = chat.last
    out = await due_now(chat.engine)
    assert len(out) == 1
    assert out[0].target.conversation_id == "team"
    assert "de tijd was om" in out[0].reply.plain
    assert await due_now(chat.engine) == []
    assert "al afgelopen" in text_of(await chat.press("Volgende vraag", replies=start_replies))


async def test_button_after_time_up_closes_with_summary(chat: Chat, clock: FakeClock) -> None:
    await chat.cmd("kletspot 10")
    clock.advance(minutes=11)
    text = text_of(await chat.press("Volgende vraag"))
    assert "Kletspot afgerond (de tijd was om)" in text
    assert await due_now(chat.engine) == []


async def test_session_continues_after_restart(db_path: Path, clock: FakeClock) -> None:
    first = await Engine.open(db_path, CONTENT, clock=clock, rng=Random(1))
    chat = Chat(first)
    await chat.cmd("kletspot 60 roos geel")
    token = button_id(chat.last, "Volgende vraag")
    note = button_id(chat.last, "Noteer een aanknopingspunt")
    await chat.send(ButtonPress(note))
    await first.close()

    second = await Engine.open(db_path, CONTENT, clock=clock, rng=Random(2))
    again = Chat(second)
    await again.text("Bewaard over de herstart heen")
    assert "Genoteerd" in text_of(again.last)
    await again.send(ButtonPress(token))
    assert colour_of(again) == "geel"
    summary = text_of(await again.cmd("stop"))
    assert "Bewaard over de herstart heen" in summary
    await second.close()


async def test_sessions_of_two_conversations_do_not_mix(engine: Engine) -> None:
    a, b = Chat(engine, "a"), Chat(engine, "b")
    await a.cmd("kletspot groen")
    token = button_id(a.last, "Volgende vraag")
    assert "geen kletspot" in text_of(await b.cmd("stop"))
    assert "ander gesprek" in text_of(await b.send(ButtonPress(token)))
    assert "Kletspot afgerond" in text_of(await a.cmd("stop"))


async def test_the_summary_names_the_team_also_when_the_event_carries_no_title(
    engine: Engine,
) -> None:
    """A slash command in a private Slack channel comes without the channel's name: the
    summary's PDF takes the title stored when the bot joined."""
    joined = Chat(engine, "G7")  # the title it was given then: "Gesprek G7"
    await joined.cmd("kletspot 10 geel")
    private = Chat(engine, "G7")
    private.place = Place("G7", is_group=True, title=None)
    # the title is known with who is who (`identity.Known.title`): no read of its own
    assert await trips(engine, private.cmd("stop")) == 3
    replies = private.last
    pdf = replies[-1].attachment
    assert pdf is not None and pdf.payload.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf.payload))
    assert reader.metadata is not None and "Gesprek G7" in (reader.metadata.title or "")


async def test_a_second_press_of_one_volgende_draws_nothing_and_keeps_the_turns(
    chat: Chat,
) -> None:
    """The step to the next colour travels with the draw; a press that draws nothing (the
    card's question came already) takes its step back."""
    await chat.cmd("kletspot 30 groen blauw")
    first = button_id(chat.last, "Volgende vraag")
    await chat.send(ButtonPress(first))
    assert colour_of(chat) == "blauw"
    newest = button_id(chat.last, "Volgende vraag")
    assert "De volgende vraag is er al" in text_of(await chat.send(ButtonPress(first)))
    await chat.send(ButtonPress(newest))
    assert colour_of(chat) == "groen" and "Vraag 3 ·" in text_of(chat.last)
    assert await chat.engine.db.scalar("SELECT COUNT(*) FROM trekkingen") == 3
