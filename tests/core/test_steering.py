"""Stop and back in the bot's questions: typed or pressed, never stored as an answer."""

from __future__ import annotations

import json

import pytest

from bot.core import buttons, flows, steering
from bot.core.context import Ctx
from bot.core.engine import Engine
from bot.core.events import ButtonPress, Event, TextReply
from bot.core.replies import Reply
from tests.conftest import Chat, text_of, trips


@pytest.fixture
def dm(engine: Engine) -> Chat:
    return Chat(engine, "dm-an", group=False)


def labels(chat: Chat) -> list[str]:
    return [b.label for r in chat.last for b in r.buttons]


async def verslag_row(engine: Engine) -> dict[str, object]:
    found = await engine.db.one("SELECT * FROM gesprekken ORDER BY id DESC LIMIT 1")
    return dict(found) if found is not None else {}


async def test_stop_in_the_verslag_keeps_what_was_given_and_stores_no_word(
    engine: Engine, dm: Chat
) -> None:
    await dm.cmd("gesprek verslag")
    assert "Stop" in labels(dm) and "◀ Terug" not in labels(dm)  # the first question
    await dm.text("gisteren")
    assert "◀ Terug" in labels(dm)
    for word in ("stop", "annuleer"):
        reply = text_of(await dm.text(word))
        if word == "stop":
            assert "we stoppen hier voor nu met je gespreksverslag" in reply
            assert "blijft bewaard" in reply and "gesprek verslag" in reply
    row = await verslag_row(engine)
    assert row["met"] is None and row["wens"] is None
    assert not {"stop", "annuleer"} & {str(v).lower() for v in row.values()}
    assert "met stop" not in text_of(await dm.cmd("gesprekken"))


async def test_back_in_the_verslag_shows_the_answer_and_changes_it(
    engine: Engine, dm: Chat
) -> None:
    await dm.cmd("gesprek verslag")
    await dm.text("gisteren")
    await dm.text("Mia")
    again = text_of(await dm.text("terug"))
    assert "Met wie had je het gesprek" in again and "Je antwoordde: Mia" in again
    assert "Vraag 3 van 8" in text_of(await dm.text("Lotte"))  # on to the first open one
    assert (await verslag_row(engine))["met"] == "Lotte"
    back_twice = text_of(await dm.press("◀ Terug"))
    assert "Met wie" in back_twice
    first = text_of(await dm.press("◀ Terug"))
    assert "Wanneer vond het gesprek plaats" in first and "Je antwoordde" in first
    assert "eerste vraag" in text_of(await dm.text("vorige"))
    assert "Vraag 3 van 8" in text_of(await dm.text("vandaag"))  # met is still Lotte
    assert await engine.db.scalar("SELECT COUNT(*) FROM gesprekken") == 1
    row = await verslag_row(engine)
    assert (row["met"], row["datum"]) == ("Lotte", "2026-03-02")


async def test_a_button_brings_its_flow_in_its_first_round_trip(engine: Engine, dm: Chat) -> None:
    """◀ Terug: the button with its flow, the record, and the move with the next question's
    buttons. A button made before buttons named their flow reads it apart, one trip more."""
    await dm.cmd("gesprek verslag")
    await dm.text("gisteren")
    await dm.text("Mia")
    assert await trips(engine, dm.press("◀ Terug")) == 3
    assert "Met wie had je het gesprek" in text_of(dm.last)
    await dm.text("Lotte")
    await engine.db.execute("UPDATE buttons SET flow_id = NULL")
    assert await trips(engine, dm.press("◀ Terug")) == 4
    assert "Je antwoordde: Lotte" in text_of(dm.last)
    # back to the first question: its answer buttons are made before the move, and go with it
    assert await trips(engine, dm.press("◀ Terug")) == 3
    assert "Wanneer vond het gesprek plaats" in text_of(dm.last)


async def test_a_button_of_another_persons_flow_finds_nothing(engine: Engine, dm: Chat) -> None:
    """A button that names someone else's flow (forged in the database) finds no flow of the
    person who presses it: the flow read with the button is checked like one read apart."""
    other = Chat(engine, "dm-bo", group=False)
    await other.cmd("gesprek verslag", who="Bo")
    await other.text("gisteren", who="Bo")
    await dm.cmd("gesprek verslag")
    await dm.text("gisteren")
    theirs = await engine.db.scalar(
        "SELECT f.id FROM flows f JOIN users u ON u.id = f.user_id"
        " WHERE u.external_id = 'bo' AND f.status = 'open'"
    )
    for row in await engine.db.all("SELECT token, payload FROM buttons WHERE flow_id IS NOT NULL"):
        payload = {**json.loads(row["payload"]), "f": theirs}
        await engine.db.execute(
            "UPDATE buttons SET payload = ?, flow_id = ? WHERE token = ?",
            (json.dumps(payload), theirs, row["token"]),
        )
    question = dm.last
    assert "al voorbij" in text_of(await dm.press("◀ Terug"))
    assert "al voorbij" in text_of(await dm.press("Stop", replies=question))
    assert await engine.db.scalar("SELECT status FROM flows WHERE id = ?", (theirs,)) == "open"


async def test_a_button_of_ones_own_flow_elsewhere_finds_nothing_here(
    engine: Engine, dm: Chat
) -> None:
    """The same person, another conversation: a button in the group that names their DM's
    flow (forged) does not move that flow from the group."""
    await dm.cmd("gesprek verslag")
    await dm.text("gisteren")
    row = await engine.db.one("SELECT id, step FROM flows WHERE status = 'open'")
    assert row is not None
    group = Chat(engine, "team")
    await group.cmd("hulp")
    conversation = int(
        await engine.db.scalar("SELECT id FROM conversations WHERE external_id = 'team'")
    )
    user = int(await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'"))
    made = await buttons.make(
        engine.db,
        conversation,
        "◀ Terug",
        "steering.terug",
        {"f": row["id"], "k": "verslag", "s": row["step"]},
        "2026-03-02T09:00:00+00:00",
        user,
    )
    assert "al voorbij" in text_of(await group.send(ButtonPress(made.action_id)))
    assert (
        await engine.db.scalar("SELECT step FROM flows WHERE id = ?", (row["id"],)) == (row["step"])
    )


async def test_a_flow_read_with_the_button_is_read_again_after_the_event_moves_it(
    engine: Engine, dm: Chat
) -> None:
    """What the press read of its flow serves `find` only until the event writes a flow."""
    await dm.cmd("gesprek verslag")
    flow_id = int(await engine.db.scalar("SELECT id FROM flows WHERE status = 'open'"))
    seen: list[tuple[str, str]] = []

    async def twice(ctx: Ctx, payload: dict[str, object]) -> list[Reply]:
        first = await flows.find(ctx, payload["f"], "verslag")
        assert first is not None
        await flows.move(ctx, first.flow, "ask_met")
        again = await flows.find(ctx, payload["f"], "verslag")
        assert again is not None
        seen.extend([(first.flow.step, first.status), (again.flow.step, again.status)])
        return []

    engine.router.button("test.twice", twice)
    conversation = int(await engine.db.scalar("SELECT id FROM conversations"))
    made = await buttons.make(
        engine.db, conversation, "x", "test.twice", {"f": flow_id}, "2026-03-02T09:00:00+00:00"
    )
    await dm.send(ButtonPress(made.action_id))
    assert seen == [("ask_datum", "open"), ("ask_met", "open")]


async def test_a_stale_stop_button_does_nothing(engine: Engine, dm: Chat) -> None:
    await dm.cmd("plan")
    question = dm.last
    await dm.text("Elke week iemand bellen")
    assert "al voorbij" in text_of(await dm.press("Stop", replies=question))
    assert "vorige" not in text_of(dm.last)


async def test_plan_back_and_annuleer(engine: Engine, dm: Chat) -> None:
    await dm.cmd("plan")
    await dm.text("Elke week iemand bellen")
    again = text_of(await dm.text("vorige"))
    assert "Je antwoordde: Elke week iemand bellen" in again
    await dm.text("Twee keer per week iemand bellen")
    goal = await engine.db.scalar("SELECT goal FROM persoonlijke_plannen")
    assert goal == "Twee keer per week iemand bellen"
    assert "eerste stappen" in text_of(dm.last).lower()
    stopped = text_of(await dm.text("Annuleer"))
    assert "je persoonlijk plan" in stopped and "plan" in stopped
    assert await engine.db.scalar("SELECT steps FROM persoonlijke_plannen") is None


async def test_reflectie_back_with_the_button(engine: Engine, dm: Chat) -> None:
    await dm.cmd("reflectie")
    await dm.press("4. Reflector Bekend Besluiten Bereiken")
    await dm.text("Ik ken mijn buren")
    back = text_of(await dm.press("◀ Terug"))
    assert "Je antwoordde: Ik ken mijn buren" in back
    await dm.text("Ik ken mijn buren bij naam")
    assert "Wat doe ik niet meer" in text_of(dm.last)
    answers = await engine.db.all("SELECT value FROM reflectie_antwoorden")
    assert [r["value"] for r in answers] == ['"Ik ken mijn buren bij naam"']


async def test_an_answer_ending_in_a_full_stop_is_shown_with_one(engine: Engine, dm: Chat) -> None:
    """Back shows the answer as given: "Elke week bellen." gets no second full stop."""
    await dm.cmd("plan")
    await dm.text("Elke week iemand bellen.")
    again = text_of(await dm.text("terug"))
    assert "Je antwoordde: Elke week iemand bellen. Typ" in again and ".." not in again
    await dm.cmd("reflectie")
    await dm.press("4. Reflector Bekend Besluiten Bereiken")
    await dm.text("Ik ken mijn buren!")
    back = text_of(await dm.text("terug"))
    assert "Je antwoordde: Ik ken mijn buren! Kies" in back and "!." not in back
    await dm.cmd("gesprek verslag")
    await dm.text("gisteren")
    await dm.text("Mia.")
    back = text_of(await dm.text("terug"))
    assert "Je antwoordde: Mia. Typ" in back and ".." not in back


async def test_a_group_question_has_no_extra_buttons_but_stop_works_typed(engine: Engine) -> None:
    group = Chat(engine, "team")
    await group.cmd("vraag groen")
    await group.press("Noteer een aanknopingspunt")
    assert "Stop" not in labels(group)
    # in a group a command is no answer (/stop is the kletspot's): the word is typed
    hint = text_of(await group.text("terug"))
    assert "Typ je antwoord, of stop om te stoppen." in hint and "/stop" not in hint
    stopped = text_of(await group.text("stop"))
    assert "stoppen" in stopped
    assert "nog geen aanknopingspunten" in text_of(await group.cmd("punten"))


async def test_antwoord_stop_and_terug_steer_and_are_never_stored(engine: Engine) -> None:
    """`antwoord <tekst>` (Slack channels, a Telegram group without a reply) is an answer like
    a form's: in a group, where other commands never reach the question, and in a DM."""
    group = Chat(engine, "team")
    await group.cmd("noteer")
    first = text_of(await group.cmd("antwoord terug"))
    assert "Terug kan hier niet" in first and "of stop om te stoppen" in first
    assert "stoppen" in text_of(await group.cmd("antwoord stop"))
    assert "geen vraag van mij" in text_of(await group.cmd("antwoord De buurtwinkel"))
    assert await engine.db.scalar("SELECT COUNT(*) FROM aanknopingspunten") == 0
    dm = Chat(engine, "dm-an", group=False)
    await dm.cmd("plan")
    await dm.cmd("antwoord Elke week iemand bellen")
    assert "Je antwoordde: Elke week iemand bellen" in text_of(await dm.cmd("antwoord vorige"))
    assert "je persoonlijk plan" in text_of(await dm.cmd("antwoord annuleer"))
    row = await engine.db.one("SELECT goal, steps FROM persoonlijke_plannen")
    assert row is not None and (row["goal"], row["steps"]) == ("Elke week iemand bellen", None)


async def test_a_stop_or_back_word_with_nothing_open_in_a_dm_says_so(dm: Chat) -> None:
    """Not the signposting a loose message gets, and the same words for every stop word."""
    for word in ("annuleer", "stop", "Stop maar"):
        assert text_of(await dm.text(word)).startswith("Er loopt nu niets om te stoppen."), word
    assert text_of(await dm.text("vorige")).startswith("Er is nu geen vraag om naar terug te gaan.")


async def test_a_way_out_made_inside_a_transaction_is_not_taken_for_made(
    engine: Engine, dm: Chat
) -> None:
    """Terug and Stop are made as a flow moves to its question, held back with the move; not
    inside a transaction, whose rollback drops them, so that a question never shows buttons
    that were never stored."""
    await dm.cmd("gesprek verslag")
    await dm.text("gisteren")
    ctx, _ = await engine._context(Event(dm.actor("An", True), dm.place, TextReply("Mia")), None)
    flow = await flows.open_flow(ctx, "verslag")
    assert flow is not None and flow.step == "ask_met"
    steering.new_event()
    with pytest.raises(RuntimeError):
        async with engine.db.transaction():
            assert await flows.move(ctx, flow, "ask_wens") is not None
            raise RuntimeError("rolled back")
    assert steering._prepared.get() is None
    assert await flows.move(ctx, flow, "ask_wens") is not None
    made = steering._prepared.get()
    assert made is not None and made[:2] == (flow.id, "ask_wens")
    tokens = {b.action_id for b in made[2]}
    stored = await engine.db.all("SELECT token FROM buttons")
    assert tokens <= {r["token"] for r in stored}
