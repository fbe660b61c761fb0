"""`planning` by buttons only: one card, every press one change said in words, the card again."""

from __future__ import annotations

from bot.core import buttons, flows
from bot.core.engine import Engine
from bot.core.events import ButtonPress
from bot.core.replies import Reply
from tests.conftest import Chat, text_of, trips


def labels(replies: list[Reply]) -> list[str]:
    return [b.label for r in replies for b in r.buttons]


async def stored(engine: Engine, conversation: str = "team") -> tuple[str, str, int, str | None]:
    row = await engine.db.one(
        "SELECT p.weekdays, p.local_time, p.enabled, p.content FROM planningen p"
        " JOIN conversations c ON c.id = p.conversation_id WHERE c.external_id = ?",
        (conversation,),
    )
    assert row is not None
    return row["weekdays"], row["local_time"], row["enabled"], row["content"]


async def test_a_weekly_post_set_up_and_changed_with_buttons_only(engine: Engine) -> None:
    chat = Chat(engine)
    card = await chat.cmd("planning")
    assert "geen wekelijkse planning actief" in text_of(card)
    assert labels(card)[:7] == ["✓ ma", "di", "wo", "do", "vr", "za", "zo"]
    assert {
        "✓ 12:00",
        "09:00",
        "ander uur…",
        "✓ Vraag",
        "Intervisie",
        "Reflectie",
        "Pauze 1 week",
        "Pauze tot…",
        "Feestdagen BE",
        "✓ Geen feestdagen",
        "Zet aan",
    } <= set(labels(card))
    assert "Pauze uit" not in labels(card)
    assert {b.row for b in card[0].buttons} == {
        "dagen",
        "uren",
        "wat",
        "pauze",
        "feestdagen",
        "aan",
    }

    pressed = await chat.press("do")
    assert pressed[0].replaces
    assert (
        "Donderdag erbij: elke maandag en donderdag om 12:00 (de planning staat nog uit"
        in text_of(pressed)
    )
    assert labels(pressed)[:7] == ["✓ ma", "di", "wo", "✓ do", "vr", "za", "zo"]
    pressed = await chat.press("09:00")
    assert "Het uur is nu 09:00: elke maandag en donderdag om 09:00" in text_of(pressed)
    pressed = await chat.press("Zet aan")
    text = text_of(pressed)
    assert "De wekelijkse planning staat aan: elke maandag en donderdag om 09:00." in text
    assert "Aan: elke maandag en donderdag om 09:00" in text
    assert "Volgende keer: donderdag 5 maart om 09:00" in text  # Monday 2 March, 12:00 now
    assert await stored(engine) == ("0,3", "09:00", 1, "vraag")

    pressed = await chat.press("Reflectie")
    assert "De planning post nu één front uit de reflectievragen" in text_of(pressed)
    pressed = await chat.press("Feestdagen BE")
    assert "Belgische feestdagen worden overgeslagen." in text_of(pressed)
    assert "✓ Feestdagen BE" in labels(pressed)
    pressed = await chat.press("Pauze 1 week")
    assert "Gepauzeerd tot en met zondag 8 maart." in text_of(pressed)
    assert "Volgende keer: maandag 9 maart om 09:00" in text_of(pressed)
    pressed = await chat.press("Pauze uit")
    assert "De pauze is opgeheven." in text_of(pressed)
    pressed = await chat.press("✓ ma")
    assert "Maandag eraf: elke donderdag om 09:00." in text_of(pressed)
    pressed = await chat.press("✓ do")
    assert "minstens één dag" in text_of(pressed)
    pressed = await chat.press("Zet uit")
    assert "De wekelijkse planning staat uit." in text_of(pressed)
    assert await stored(engine) == ("3", "09:00", 0, "reflectie")


async def test_another_hour_and_a_pause_until_a_typed_date(engine: Engine) -> None:
    chat = Chat(engine)
    await chat.cmd("planning")
    asked = await chat.press("ander uur…")
    assert asked[0].expects_text and "Op welk uur?" in text_of(asked)
    again = await chat.text("straks ergens")
    assert "Dat uur kan ik niet lezen" in text_of(again) and again[0].expects_text
    done = await chat.text("8u45")
    assert "Het uur is nu 08:45: elke maandag om 08:45" in text_of(done)
    await chat.press("ander uur…")
    done = await chat.text("ma en do 12u30")
    assert "Begrepen: elke maandag en donderdag om 12:30." in text_of(done)
    assert "Aan: elke maandag en donderdag om 12:30" in text_of(done)
    asked = await chat.press("Pauze tot…")
    assert "Tot en met welke dag" in text_of(asked) and "maart" in text_of(asked)
    assert "in het verleden" in text_of(await chat.text("gisteren"))
    done = await chat.text("15 april")
    assert "Gepauzeerd tot en met woensdag 15 april." in text_of(done)
    await chat.press("Pauze tot…")
    assert "Oké, we stoppen hier" in text_of(await chat.text("stop"))
    assert "Gepauzeerd tot en met woensdag 15 april" in text_of(await chat.cmd("planning"))


async def test_a_member_is_refused_and_sees_no_buttons(engine: Engine) -> None:
    chat = Chat(engine)
    await chat.cmd("coordinator @an")  # nothing special: An is admin anyway
    card = await chat.cmd("planning")
    refused = await chat.press("do", who="Sam", replies=card)
    assert "Alleen coördinatoren kunnen de planning aanpassen" in text_of(refused)
    assert not refused[0].buttons
    own = await chat.cmd("planning", who="Sam")
    assert own[0].buttons == () and "Alleen coördinatoren passen" in text_of(own)
    assert "geen wekelijkse planning actief" in text_of(await chat.cmd("planning"))
    await chat.cmd("coordinator @sam")
    named = await chat.press("do", who="Bo", replies=card)
    assert "(nu: An, Sam)" in text_of(named)


async def test_stale_and_forged_buttons(engine: Engine) -> None:
    chat = Chat(engine)
    card = await chat.cmd("planning")
    await chat.press("do")
    stale = await chat.press("vr", replies=card)  # the old card, once more
    assert "niet meer actueel" in text_of(stale) and stale[0].replaces
    assert (await stored(engine))[0] == "0,3"  # vrijdag was not added
    twice = await chat.press("Zet aan", replies=card)
    assert "niet meer actueel" in text_of(twice)
    assert "Deze knop werkt niet meer" in text_of(await chat.send(ButtonPress("verzonnen")))
    conversation = int(
        await engine.db.scalar("SELECT id FROM conversations WHERE external_id = 'team'")
    )
    key = next(b for b in stale[0].buttons if b.label == "vr")
    payload = await engine.db.read(buttons.stored_of(key.action_id, flows.WITH_BUTTON))
    assert payload is not None and isinstance(payload.payload, dict)
    for forged in (
        {**payload.payload, "v": 9},
        {**payload.payload, "do": "uur", "v": "03:17"},
        {**payload.payload, "do": "wat", "v": "taart"},
        {"c": "team"},
        {},
    ):
        token = await buttons.make(
            engine.db, conversation, "x", "planning.set", forged, "2026-03-02T11:00:00+00:00"
        )
        answer = text_of(await chat.send(ButtonPress(token.action_id)))
        assert "Die keuze ken ik niet" in answer or "werkt niet meer" in answer, forged
    assert (await stored(engine))[:2] == ("0,3", "12:00")
    other = await buttons.make(
        engine.db,
        conversation,
        "x",
        "planning.set",
        {**payload.payload, "c": conversation + 99},
        "2026-03-02T11:00:00+00:00",
    )
    assert "Alleen coördinatoren" in text_of(await chat.send(ButtonPress(other.action_id)))


async def test_buttons_from_a_dm_change_the_chosen_group(engine: Engine) -> None:
    group = Chat(engine, "team")
    await group.cmd("vraag")
    dm = Chat(engine, "dm-an", group=False)
    await dm.cmd("planning")
    await dm.press("Gesprek team")
    pressed = await dm.press("wo")
    assert pressed[0].replaces and "Woensdag erbij" in text_of(pressed)
    await dm.press("Zet aan")
    assert "Aan: elke maandag en woensdag om 12:00" in text_of(await group.cmd("planning"))
    await dm.press("ander uur…")
    assert "elke maandag en woensdag om 12:15" in text_of(await dm.text("12u15"))
    assert await stored(engine) == ("0,2", "12:15", 1, "vraag")
    stranger = Chat(engine, "dm-sam", group=False)
    assert "anders bedoeld" in text_of(
        await stranger.press("vr", who="Sam", replies=dm.last)
    ) or "ander gesprek" in text_of(await stranger.press("vr", who="Sam", replies=dm.last))


async def test_the_one_line_syntax_confirms_in_words(engine: Engine) -> None:
    chat = Chat(engine)
    text = text_of(await chat.cmd("planning elke maandag om 9 uur"))
    assert text.startswith("Begrepen: elke maandag om 09:00.")
    text = text_of(await chat.cmd("planning maandag,donderdag 12:00"))
    assert "Begrepen: elke maandag en donderdag om 12:00." in text
    text = text_of(await chat.cmd("planning pauze tot 15 januari 2027"))
    assert "Gepauzeerd tot en met vrijdag 15 januari 2027." in text
    assert "De wekelijkse planning staat uit." in text_of(await chat.cmd("planning uit"))
    assert "staat aan" in text_of(await chat.cmd("planning aan"))
    replies = await chat.cmd("planning")
    assert not any(r.replaces for r in replies)  # a command never edits an earlier message


async def test_a_press_reads_and_writes_in_few_round_trips_and_keeps_who_is_who(
    engine: Engine,
) -> None:
    """The button, the planning and its last post read together, and the planning written
    (its conversation's zone with it, only where it changed) with the card's buttons: the card
    shows what was read and saved, without reading it again. A planning saved without a new zone leaves what this process remembers of every
    conversation alone: the next event in another group writes no identity rows."""
    chat, other = Chat(engine), Chat(engine, "buren")
    await chat.cmd("planning")
    await other.cmd("vraag")
    await other.cmd("vraag")
    before = engine.db.round_trips
    await chat.press("di")
    assert engine.db.round_trips - before == 3
    assert (await stored(engine))[0] == "0,1"
    before = engine.db.round_trips
    await other.cmd("vraag")
    assert engine.db.round_trips - before == 1  # who and where still known, the jar too
    zone = await engine.db.scalar("SELECT timezone FROM conversations WHERE external_id = 'team'")
    assert zone == "Europe/Brussels"
    # a new zone is written, and this process reads who is who afresh
    await chat.cmd("planning tijdzone Europe/Amsterdam")
    zone = await engine.db.scalar("SELECT timezone FROM conversations WHERE external_id = 'team'")
    assert zone == "Europe/Amsterdam"
    before = engine.db.round_trips
    await other.cmd("vraag")
    assert engine.db.round_trips - before > 1


async def test_from_a_dm_the_rule_and_the_title_are_read_once(engine: Engine) -> None:
    """A DM that plans a group asks whether the person coordinates it (and its title) for its
    choice, its change and its card: once an event (`identity.coordinated`); and the chosen
    group comes from the open flows the event read first (`flows.open_flow`). Before: the rule
    up to three times, the title and the chosen group apart (9 and 9 trips on PostgreSQL), then
    the rule apart from the planning and the change sent before the card (5 and 5)."""
    group = Chat(engine, "team")
    await group.cmd("vraag")
    dm = Chat(engine, "dm-an", group=False)
    await dm.cmd("planning")
    await dm.press("Gesprek team")
    # the open flows (who is who is known from the event before), the rule with the title and
    # the planning with its last post, then the change with the card's buttons (what this
    # process remembers of who is who is forgotten once they landed: the group's zone may be
    # new to it)
    assert await trips(engine, dm.cmd("planning woensdag 12:15")) == 3
    assert "Begrepen" in text_of(dm.last) and "woensdag" in text_of(dm.last)
    # who is who read again (forgotten) with the open flows (the ids are kept); the rule with
    # the planning; the card's buttons
    assert await trips(engine, dm.cmd("planning")) == 3
    assert await trips(engine, dm.cmd("planning")) == 3
    assert "Gesprek team" in text_of(dm.last)
    card = dm.last
    # a button: the button, the rule with the planning, the change with the card's buttons
    assert await trips(engine, dm.press("do", replies=card)) == 3
    assert "erbij" in text_of(dm.last)
