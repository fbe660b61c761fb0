"""Nothing out of reach in the jar: a running kletspot goes on after any interruption (volgende,
a fresh button, the time left), a card's button draws once, a refill names its colour, a note
can be taken back at once and removed later, and a note after a front belongs to that front."""

from __future__ import annotations

from bot.core import buttons
from bot.core.clock import FakeClock
from bot.core.engine import Engine
from bot.core.events import ButtonPress
from bot.core.replies import Audience
from tests.conftest import CONTENT, Chat, button_id, text_of, trips


def labels(chat: Chat) -> list[str]:
    return [b.label for r in chat.last for b in r.buttons]


async def drawn(engine: Engine) -> int:
    return int(await engine.db.scalar("SELECT COUNT(*) FROM trekkingen"))


async def test_volgende_goes_on_after_an_interruption_and_shows_the_time_left(
    chat: Chat, clock: FakeClock
) -> None:
    replies = await chat.cmd("kletspot 30 groen blauw")
    assert replies[-1].plain.startswith("Vraag 1 · nog 30 minuten")
    await chat.cmd("punten")  # something else in between: the old card scrolled away
    clock.advance(minutes=12, seconds=20)
    replies = await chat.cmd("volgende")
    assert replies[-1].plain.startswith("Vraag 2 · nog 18 minuten")
    assert "Volgende vraag" in labels(chat)
    clock.advance(minutes=18)
    summary = text_of(await chat.cmd("volgende"))
    assert "Kletspot afgerond (de tijd was om)" in summary
    assert "Er loopt hier geen kletspot" in text_of(await chat.cmd("volgende"))


async def test_a_note_during_a_kletspot_brings_a_fresh_volgende_vraag(chat: Chat) -> None:
    await chat.cmd("kletspot 20 geel")
    await chat.cmd("noteer de bakker kent iedereen")
    assert labels(chat) == ["↩ Ongedaan maken", "Volgende vraag", "Stop"]
    await chat.press("Volgende vraag")
    assert chat.last[-1].plain.startswith("Vraag 2 · nog 20 minuten")
    again = text_of(await chat.cmd("kletspot"))
    assert "Er loopt hier al een kletspot" in again and "nog 20 minuten" in again
    assert labels(chat) == ["Volgende vraag", "Stop"]
    await chat.cmd("vraag roos")  # a single question in between: the kletspot goes on from it
    assert "Volgende vraag" in labels(chat)


async def test_a_second_press_of_nog_een_vraag_draws_once(chat: Chat, engine: Engine) -> None:
    card = await chat.cmd("vraag")
    token = button_id(card, "Nog een vraag")
    newer = await chat.send(ButtonPress(token))
    assert await drawn(engine) == 2
    second = await chat.send(ButtonPress(token), who="Sam")  # a colleague, a moment later
    assert await drawn(engine) == 2
    assert "Er is net al een nieuwe vraag getrokken" in text_of(second)
    assert second[0].audience is Audience.PRIVATE  # not a message for the whole team
    # the colour chooser of one card draws once as well
    await chat.press("Andere kleur", replies=newer)
    chooser = chat.last
    await chat.press("🔵 Blauw", replies=chooser)
    await chat.press("🟢 Groen", replies=chooser)
    assert await drawn(engine) == 3
    # the newest card's button still works
    await chat.cmd("vraag")
    await chat.press("Nog een vraag")
    assert await drawn(engine) == 5


async def test_a_second_press_of_volgende_vraag_draws_once(chat: Chat, engine: Engine) -> None:
    card = await chat.cmd("kletspot 15 wit")
    token = button_id(card, "Volgende vraag")
    await chat.send(ButtonPress(token))
    await chat.send(ButtonPress(token))
    assert await drawn(engine) == 2
    assert "De volgende vraag is er al" in chat.last[0].plain


async def test_the_refill_names_the_colour_that_was_refilled(chat: Chat) -> None:
    blue = CONTENT.kletspot.cluster("blauw").vragen
    for _ in blue:
        await chat.cmd("vraag blauw")
    text = text_of(await chat.cmd("vraag blauw"))
    assert text.startswith("Alle blauwe vragen zijn getrokken: blauw is opnieuw gevuld.")
    assert "de pot is opnieuw gevuld" not in text
    for _ in range(len(CONTENT.kletspot.cluster("roos").vragen)):
        await chat.cmd("vraag roos")
    assert text_of(await chat.cmd("vraag roos")).startswith(
        "Alle roze vragen zijn getrokken: roos is opnieuw gevuld."
    )


async def test_the_whole_jar_refilled_says_so(chat: Chat) -> None:
    total = sum(len(c.vragen) for c in CONTENT.kletspot.clusters)
    for _ in range(total):
        await chat.cmd("vraag")
    assert text_of(await chat.cmd("vraag")).startswith(
        "Alle vragen zijn getrokken: de pot is opnieuw gevuld."
    )


async def test_a_note_can_be_taken_back_at_once_by_its_author_only(
    chat: Chat, engine: Engine
) -> None:
    await chat.cmd("vraag")
    note = await chat.cmd("noteer dit was een typfout")
    token = button_id(note, "↩ Ongedaan maken")
    assert "voor iemand anders" in text_of(await chat.send(ButtonPress(token), who="Sam"))
    # the button, and the note removed with its text coming back
    assert await trips(engine, chat.send(ButtonPress(token))) == 2
    undone = chat.last
    assert "Niet meer genoteerd: dit was een typfout" in text_of(undone) and undone[0].replaces
    assert await engine.db.scalar("SELECT COUNT(*) FROM aanknopingspunten") == 0
    assert "al weg" in text_of(await chat.send(ButtonPress(token)))


async def test_notes_are_removed_later_by_their_author_or_a_coordinator(
    chat: Chat, engine: Engine
) -> None:
    assert "geen aanknopingspunten om weg te halen" in text_of(await chat.cmd("punten weg 1"))
    await chat.cmd("noteer van Sam", who="Sam")
    await chat.cmd("noteer van Bo", who="Bo")
    await chat.cmd("noteer nog van Sam", who="Sam")
    assert "punten weg" in text_of(await chat.cmd("punten", who="Sam"))
    assert "wie het noteerde, of een coördinator" in text_of(
        await chat.cmd("punten weg 2", who="Sam", admin=False)
    )
    assert "weggehaald: van Sam" in text_of(await chat.cmd("punten weg 1", who="Sam", admin=False))
    assert "weggehaald: van Bo" in text_of(await chat.cmd("punten weg 1", who="An", admin=True))
    for bad in ("", "0", "9", "twee", "-1", "1" * 40, "🙂"):
        assert "Geef het nummer" in text_of(await chat.cmd(f"punten weg {bad}"))
    rows = await engine.db.all("SELECT text FROM aanknopingspunten")
    assert [r["text"] for r in rows] == ["nog van Sam"]


async def test_a_note_after_reflectie_team_belongs_to_that_front(chat: Chat) -> None:
    front = CONTENT.reflectievragen.beleid.fronten[0]
    await chat.cmd("vraag groen")
    await chat.cmd("reflectie team 1")
    note = text_of(await chat.cmd("noteer meer budget voor de buurtwerker"))
    assert f"Bij Reflectievragen: {front.titel}" in note
    await chat.cmd("vraag blauw")  # a question drawn after the front: notes go to it again
    await chat.cmd("noteer bij de blauwe vraag")
    export = (await chat.cmd("punten export"))[0].attachment
    assert export is not None
    md = export.content
    heading = f"## Reflectievragen: {front.titel}"
    assert heading in md and "Zonder vraag" not in md
    assert md.index(heading) < md.index("meer budget voor de buurtwerker")
    assert md.index("## Blauw") < md.index("bij de blauwe vraag") < md.index(heading)


async def test_buttons_made_before_draws_were_named_by_what_they_follow_still_work(
    chat: Chat, engine: Engine
) -> None:
    """Cards sent before this version name their draw by its id ("na", "h"); a team presses
    them for weeks after an upgrade, until the buttons are pruned."""
    await chat.cmd("vraag groen")
    question = chat.last[0].plain.split("\n\n")[-1]
    conversation = int(await engine.db.scalar("SELECT id FROM conversations"))
    card = int(await engine.db.scalar("SELECT MAX(id) FROM trekkingen"))
    now = "2026-03-02T08:00:00+00:00"
    async with engine.db.unit():
        more = await buttons.make(
            engine.db, conversation, "Nog een vraag", "jar.draw", {"kleur": None, "na": card}, now
        )
        note = await buttons.make(
            engine.db, conversation, "Noteer een aanknopingspunt", "points.ask", {"h": card}, now
        )
    await chat.send(ButtonPress(more.action_id))
    assert await drawn(engine) == 2
    second = await chat.send(ButtonPress(more.action_id), who="Sam")
    assert "Er is net al een nieuwe vraag getrokken" in text_of(second)
    assert await drawn(engine) == 2
    assert (await chat.send(ButtonPress(note.action_id)))[0].expects_text
    assert question in text_of(await chat.text("De bakker kent iedereen"))


async def test_a_forged_card_on_a_button_draws_nothing_and_notes_as_typed(
    chat: Chat, engine: Engine
) -> None:
    """A card that names no draw here: "Nog een vraag" has drawn already; a note belongs to
    the last question drawn here, as a typed `noteer` does."""
    await chat.cmd("vraag")
    conversation = int(await engine.db.scalar("SELECT id FROM conversations"))
    now = "2026-03-02T08:00:00+00:00"
    async with engine.db.unit():
        forged = [
            await buttons.make(engine.db, conversation, "x", "jar.draw", payload, now)
            for payload in ({"volgt": 999}, {"volgt": "1"}, {"volgt": True}, {"volgt": None})
        ]
        note = await buttons.make(engine.db, conversation, "y", "points.ask", {"volgt": 999}, now)
    assert "net al een nieuwe vraag" in text_of(await chat.send(ButtonPress(forged[0].action_id)))
    assert await drawn(engine) == 1
    for button in forged[1:]:  # not a card: drawn at any moment
        await chat.send(ButtonPress(button.action_id))
    assert await drawn(engine) == 4
    newest = chat.last[0].plain.split("\n\n")[-1]
    assert (await chat.send(ButtonPress(note.action_id)))[0].expects_text
    # a card of no draw here: the last question drawn lately, read with the card's (none)
    assert await trips(engine, chat.text("Bij de laatste vraag")) == 3
    assert newest in text_of(chat.last)
