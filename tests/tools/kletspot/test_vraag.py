"""The question jar: drawing without repeats, refills, colours and preparing the jar."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from random import Random

import pytest

from bot.core.engine import Engine
from bot.core.storage import Database, open_database
from bot.text.dutch import fold
from bot.tools.kletspot.store.pot import AlreadyDrawn, Draw, Once, Pot
from content import Content
from tests.conftest import CONTENT, SIX_COLOURS, Chat, button_id, text_of, trips
from tests.postgres_server import new_schema, two_processes, waiting_for_a_lock
from tests.tools.kletspot.helpers import Pick, no_card

COLOURS = [c.kleur for c in CONTENT.kletspot.clusters]
ALL_QUESTIONS = {q for c in CONTENT.kletspot.clusters for q in c.vragen}


def drawn_question(chat: Chat) -> str:
    return chat.last[0].plain.split("\n\n")[-1]


async def test_vraag_shows_colour_cluster_question_and_buttons(chat: Chat) -> None:
    replies = await chat.cmd("vraag")
    assert len(replies) == 1
    text = replies[0].plain
    assert drawn_question(chat) in ALL_QUESTIONS
    cluster = next(c for c in CONTENT.kletspot.clusters if drawn_question(chat) in c.vragen)
    assert cluster.titel in text and cluster.kleur.capitalize() in text
    assert [b.label for b in replies[0].buttons] == [
        "Nog een vraag",
        "Andere kleur",
        "Noteer een aanknopingspunt",
    ]


async def test_whole_jar_drawn_without_repeat_then_refilled(chat: Chat) -> None:
    seen = []
    for _ in range(26):
        await chat.cmd("vraag")
        assert "opnieuw gevuld" not in chat.last[0].plain
        seen.append(drawn_question(chat))
    assert set(seen) == ALL_QUESTIONS and len(seen) == 26
    await chat.cmd("vraag")
    assert "de pot is opnieuw gevuld" in chat.last[0].plain
    assert drawn_question(chat) in ALL_QUESTIONS


async def test_one_colour_without_repeat_and_refill(chat: Chat) -> None:
    wit = set(CONTENT.kletspot.cluster("wit").vragen)
    seen = []
    for _ in range(len(wit)):
        await chat.cmd("vraag wit")
        seen.append(drawn_question(chat))
    assert set(seen) == wit
    await chat.cmd("vraag wit")
    assert "opnieuw gevuld" in chat.last[0].plain
    # the other colours were untouched by the refill of wit
    await chat.cmd("vraag groen")
    assert "opnieuw gevuld" not in chat.last[0].plain


async def test_colour_names_any_case_and_accents(chat: Chat) -> None:
    for word in ("ROOS", "Roös", "roze", "Blauw", "gêel"):
        await chat.cmd(f"vraag {word}")
        assert drawn_question(chat) in ALL_QUESTIONS, word


async def test_unknown_colour_lists_the_five(chat: Chat) -> None:
    text = text_of(await chat.cmd("vraag paars"))
    assert "paars" in text
    for colour in ("groen", "roos", "geel", "blauw", "wit"):
        assert colour in text


async def test_buttons_more_and_other_colour(chat: Chat) -> None:
    await chat.cmd("vraag blauw")
    await chat.press("Nog een vraag")
    assert drawn_question(chat) in CONTENT.kletspot.cluster("blauw").vragen
    await chat.press("Andere kleur")
    assert [b.label for b in chat.last[0].buttons][0].endswith("Groen")
    await chat.press("🟡 Geel")
    assert drawn_question(chat) in CONTENT.kletspot.cluster("geel").vragen


async def test_two_conversations_never_mix(engine) -> None:  # type: ignore[no-untyped-def]
    a, b = Chat(engine, "team-a"), Chat(engine, "team-b")
    for _ in range(26):
        await a.cmd("vraag")
    await b.cmd("vraag")
    assert "opnieuw gevuld" not in b.last[0].plain
    await a.cmd("pot uit groen")
    await b.cmd("vraag groen")
    assert drawn_question(b) in CONTENT.kletspot.cluster("groen").vragen


async def test_member_cannot_change_the_jar(chat: Chat) -> None:
    for line in (
        "pot uit groen",
        "pot aan groen",
        "pot nieuw groen Hoe gaat het?",
        "pot weg eigen-1",
    ):
        text = text_of(await chat.cmd(line, who="Sam"))
        assert "Alleen coördinatoren" in text
    overview = text_of(await chat.cmd("pot", who="Sam"))
    assert "5 van 5 vragen aan" in overview


async def test_coordinator_switches_colour_and_question(chat: Chat) -> None:
    await chat.cmd("pot uit groen")
    text = text_of(await chat.cmd("vraag groen"))
    assert "staat uit" in text and "pot aan groen" in text
    for _ in range(21):
        await chat.cmd("vraag")
        assert drawn_question(chat) not in CONTENT.kletspot.cluster("groen").vragen
    await chat.cmd("pot aan groen")
    await chat.cmd("pot uit groen-1")
    groen = CONTENT.kletspot.cluster("groen").vragen
    for _ in range(8):
        await chat.cmd("vraag groen")
        assert drawn_question(chat) != groen[0]
    assert "groen-1" in text_of(await chat.cmd("pot groen")) and "[uit]" in chat.last[0].plain


async def test_toggle_buttons_in_colour_view(chat: Chat) -> None:
    await chat.cmd("pot")
    await chat.press("🔵 Blauw")
    await chat.press("blauw-2 uit")
    assert "blauw-2 staat nu uit" in chat.last[0].plain
    view = text_of(await chat.cmd("pot blauw"))
    assert "[uit]" in view
    # a member pressing the coordinator's button is refused
    await chat.cmd("pot blauw")
    token = button_id(chat.last, "Zet blauw uit")
    from bot.core.events import ButtonPress

    text = text_of(await chat.send(ButtonPress(token), who="Sam"))
    assert "Alleen coördinatoren" in text


async def test_own_questions_added_drawn_and_removed(chat: Chat) -> None:
    text = text_of(await chat.cmd("pot nieuw roos Wie mis jij het meest? 🌷 <b>"))
    assert "eigen-1" in text
    roos = set(CONTENT.kletspot.cluster("roos").vragen) | {"Wie mis jij het meest? 🌷 <b>"}
    seen = set()
    for _ in range(6):
        await chat.cmd("vraag roos")
        seen.add(drawn_question(chat))
    assert seen == roos
    assert "weggehaald" not in text_of(await chat.cmd("pot weg groen-1"))
    assert "uit de pot gehaald" in text_of(await chat.cmd("pot weg eigen-1"))
    assert "eigen-1" not in text_of(await chat.cmd("pot roos"))


async def test_own_question_bad_input(chat: Chat) -> None:
    assert "Zo voeg je" in text_of(await chat.cmd("pot nieuw"))
    assert "Zo voeg je" in text_of(await chat.cmd("pot nieuw paars Vraag?"))
    assert "te lang" in text_of(await chat.cmd("pot nieuw groen " + "x" * 600))
    assert "eigen-" not in fold(text_of(await chat.cmd("pot groen")))


async def test_everything_switched_off(chat: Chat) -> None:
    for colour in ("groen", "roos", "geel", "blauw", "wit"):
        await chat.cmd(f"pot uit {colour}")
    assert "geen vragen" in text_of(await chat.cmd("vraag"))


@SIX_COLOURS
async def test_a_sixth_colour_in_the_content_alone_is_drawn_listed_and_shown(
    chat: Chat, content: Content
) -> None:
    paars = content.kletspot.cluster("paars").vragen
    await chat.cmd("vraag paars")
    assert "🟣 Paars · Eenzaamheid op het scherm" in chat.last[0].plain
    first = drawn_question(chat)
    await chat.cmd("vraag Paarse")  # an alias from the content; no repeat before the refill
    assert {first, drawn_question(chat)} == set(paars)

    hulp = text_of(await chat.cmd("hulp"))
    assert (
        "Kleuren: 🟢 groen, 🌸 roos, 🟡 geel, 🔵 blauw, ⚪ wit, " in hulp and ", 🟣 paars." in hulp
    )

    overview = text_of(await chat.cmd("pot"))
    assert "🟣 Paars · Eenzaamheid op het scherm: 2 van 2 vragen aan, 0 nog in de pot" in overview
    assert [b.label for b in chat.last[0].buttons][-1] == "🟣 Paars"
    await chat.press("🟣 Paars")
    assert "paars-1" in chat.last[0].plain and "paars-2" in chat.last[0].plain
    assert "De kleur paars staat nu uit" in text_of(await chat.cmd("pot uit paars"))
    assert "staat uit" in text_of(await chat.cmd("vraag paars"))
    await chat.cmd("pot aan paars")
    await chat.cmd("pot nieuw paars Wie belt er nog?")

    await chat.cmd("vraag blauw")
    await chat.press("Andere kleur")
    assert [b.label for b in chat.last[0].buttons][-1] == "🟣 Paars"
    await chat.press("🟣 Paars")
    assert drawn_question(chat) in {*paars, "Wie belt er nog?"}

    await chat.cmd("kletspot 30 paars")
    await chat.cmd("noteer Videobellen met de buren")
    summary = text_of(await chat.cmd("stop"))
    assert "1. 🟣 " in summary
    export = (await chat.cmd("punten export"))[0]  # then the PDF
    assert export.attachment is not None
    assert "## Paars: Eenzaamheid op het scherm" in export.attachment.content


class Between:
    """The database as a draw sees it, where another draw lands between its read of the jar and
    its write: what two people drawing at the same moment (on two processes) look like."""

    def __init__(self, db: Database, other: Callable[[], Awaitable[object]]) -> None:
        self._db, self._other = db, other

    async def scalar(self, sql: str, params: Sequence[object] = ()) -> object:
        if sql.startswith("INSERT INTO trekkingen") and self._other is not None:
            other, self._other = self._other, None
            await other()
        return await self._db.scalar(sql, params)

    def __getattr__(self, name: str) -> object:
        return getattr(self._db, name)


async def _jar(engine: Engine) -> tuple[int, Callable[[Database], Pot]]:
    await Chat(engine, "team").cmd("pot")  # the conversation exists
    conversation = int(await engine.db.scalar("SELECT id FROM conversations"))
    return conversation, lambda db: Pot(db, CONTENT.kletspot, Random(1))


async def test_two_draws_at_the_same_moment_draw_two_questions(engine: Engine) -> None:
    """Without a transaction: the one that lands second reads the jar again and draws anew."""
    conversation, jar = await _jar(engine)
    now = "2026-03-02T08:00:00+00:00"
    first: list[Draw[None] | None] = []

    async def other() -> None:
        first.append(await jar(engine.db).draw(conversation, None, now, no_card))

    second = await jar(Between(engine.db, other)).draw(conversation, None, now, no_card)  # type: ignore[arg-type]
    assert first[0] is not None and second is not None
    assert first[0].question.id != second.question.id  # the same Random: it drew again
    rows = await engine.db.all(
        "SELECT id, follows FROM trekkingen WHERE conversation_id = ? ORDER BY id", (conversation,)
    )
    assert [(r["id"], r["follows"]) for r in rows] == [
        (first[0].history_id, 0),
        (second.history_id, first[0].history_id),
    ]
    marked = (await jar(engine.db).jar(conversation)).drawn
    drawn = {first[0].question.id, second.question.id}
    assert drawn <= marked and len(marked - drawn) <= 1  # and the loser's first pick


async def test_a_button_that_draws_once_loses_to_a_draw_at_the_same_moment(
    engine: Engine,
) -> None:
    conversation, jar = await _jar(engine)
    now = "2026-03-02T08:00:00+00:00"
    card = await jar(engine.db).draw(conversation, None, now, no_card)
    assert card is not None

    async def other() -> None:
        await jar(engine.db).draw(conversation, None, now, no_card, after=Once(card.follows))

    with pytest.raises(AlreadyDrawn):
        await jar(Between(engine.db, other)).draw(  # type: ignore[arg-type]
            conversation, None, now, no_card, after=Once(card.follows)
        )
    assert await engine.db.scalar("SELECT COUNT(*) FROM trekkingen") == 2


async def test_a_draw_that_loses_leaves_no_mark_and_no_question_comes_twice(
    engine: Engine,
) -> None:
    """Inside an event the mark travels with the draw, written only while no draw follows the
    one it read: when another draw landed first, the loser marks nothing and draws again.
    What is marked is what was drawn, and the round ends with the third question, whatever
    the dice say, in jars of three questions."""
    now = "2026-03-02T08:00:00+00:00"
    for seed in range(10):
        conversation, three = await _three(engine, f"team{seed}")
        jar = Pot(engine.db, CONTENT.kletspot, Random(seed))

        async def other(seed: int = seed, conversation: int = conversation) -> None:
            # another event (on another process, say): a task of its own, outside this unit
            winner = Pot(engine.db, CONTENT.kletspot, Random(seed + 100))
            await asyncio.create_task(winner.draw(conversation, None, now, no_card))

        async with engine.db.unit():
            loser = await Pot(Between(engine.db, other), CONTENT.kletspot, Random(seed)).draw(  # type: ignore[arg-type]
                conversation, None, now, no_card
            )
        assert loser is not None
        drawn = await engine.db.all(
            "SELECT question_id FROM trekkingen WHERE conversation_id = ?", (conversation,)
        )
        questions = {r["question_id"] for r in drawn}
        assert len(drawn) == len(questions) == 2
        assert (await engine.db.read(jar.for_draw(conversation))).drawn == questions
        third = await jar.draw(conversation, None, now, no_card)
        assert third is not None and third.question.id not in questions and not third.refilled
        fourth = await jar.draw(conversation, None, now, no_card)
        assert fourth is not None and fourth.refilled  # only now was the jar full


async def test_a_draw_that_lost_a_whole_round_ago_marks_nothing_in_the_new_one(
    engine: Engine,
) -> None:
    """X reads the jar and picks b; before its statement goes, others draw b and c, find the
    jar full, refill it and draw a. X loses, and its late mark for b (which would count as
    drawn, by the b drawn in the round before) is not written: the new round has all three."""
    now = "2026-03-02T08:00:00+00:00"
    conversation, (a, b, c) = await _three(engine, "laat")
    await Pot(engine.db, CONTENT.kletspot, Pick(a)).draw(conversation, None, now, no_card)

    async def others() -> None:
        async def draws() -> None:
            for wanted in (b, c, a):
                await Pot(engine.db, CONTENT.kletspot, Pick(wanted)).draw(
                    conversation, None, now, no_card
                )

        await asyncio.create_task(draws())

    async with engine.db.unit():
        x = await Pot(Between(engine.db, others), CONTENT.kletspot, Pick(b, c)).draw(  # type: ignore[arg-type]
            conversation, None, now, no_card
        )
    assert x is not None and x.question.id == c and not x.refilled
    last = await Pot(engine.db, CONTENT.kletspot, Random(0)).draw(conversation, None, now, no_card)
    assert last is not None and last.question.id == b and not last.refilled


async def test_a_mark_left_by_a_draw_that_lost_does_not_refill_the_jar(engine: Engine) -> None:
    """The last question of a jar, marked by a draw that lost, is drawn: the jar is not
    refilled with questions just drawn."""
    conversation, jar = await _jar(engine)
    now = "2026-03-02T08:00:00+00:00"
    three = [f"{CONTENT.kletspot.clusters[0].kleur}-{n}" for n in (1, 2, 3)]
    for question in (await jar(engine.db).jar(conversation)).questions:
        if question.id not in three:
            await jar(engine.db).set_enabled(conversation, question.id, False)
    drawn = [await jar(engine.db).draw(conversation, None, now, no_card) for _ in range(2)]
    last = next(q for q in three if q not in {d.question.id for d in drawn if d is not None})
    await engine.db.execute(  # as the losing draw left it
        "INSERT INTO pot_getrokken (conversation_id, question_id, drawn_at, na_trekking)"
        " VALUES (?, ?, ?, ?)",
        (conversation, last, now, max(d.history_id for d in drawn if d is not None)),
    )
    third = await jar(engine.db).draw(conversation, None, now, no_card)
    assert third is not None and third.question.id == last and not third.refilled
    fourth = await jar(engine.db).draw(conversation, None, now, no_card)
    assert fourth is not None and fourth.refilled  # now the jar was full


async def _three(engine: Engine, name: str) -> tuple[int, list[str]]:
    """A jar of three questions (the rest switched off), in a conversation of its own."""
    await Chat(engine, name).cmd("pot")
    conversation = int(await engine.db.scalar("SELECT MAX(id) FROM conversations"))
    three = [f"{CONTENT.kletspot.clusters[0].kleur}-{n}" for n in (1, 2, 3)]
    jar = Pot(engine.db, CONTENT.kletspot, Random(0))
    for question in (await jar.jar(conversation)).questions:
        if question.id not in three:
            await jar.set_enabled(conversation, question.id, False)
    return conversation, three


async def test_a_mark_stands_for_the_draw_after_it_whatever_the_clocks_say(
    engine: Engine,
) -> None:
    """A draw that lost left its mark at 08:00:01; a draw that read the jar before that mark and
    started at 08:00:00 lands the same question (its own mark a no-op). The mark stands for
    that draw (it came after the mark, by id), so the question does not come round again
    before the jar refills."""
    seen = 0
    for seed in range(12):
        conversation, three = await _three(engine, f"klok{seed}")
        jar = Pot(engine.db, CONTENT.kletspot, Random(seed))
        first = await jar.draw(conversation, None, "2026-03-02T08:00:00+00:00", no_card)
        assert first is not None
        read_before = await engine.db.read(jar.for_draw(conversation))
        lost = next(q for q in three if q != first.question.id)
        await engine.db.execute(  # the losing draw's mark, as it left it
            "INSERT INTO pot_getrokken (conversation_id, question_id, drawn_at, na_trekking)"
            " VALUES (?, ?, ?, ?)",
            (conversation, lost, "2026-03-02T08:00:01+00:00", first.history_id),
        )
        landed = await jar.draw(
            conversation, None, "2026-03-02T08:00:00+00:00", no_card, jar=read_before
        )
        if landed is None or landed.question.id != lost:
            continue  # the dice chose the other question: not this case
        seen += 1
        third = await jar.draw(conversation, None, "2026-03-02T08:00:02+00:00", no_card)
        assert third is not None and not third.refilled
        assert third.question.id not in {first.question.id, lost}
        fourth = await jar.draw(conversation, None, "2026-03-02T08:00:03+00:00", no_card)
        assert fourth is not None and fourth.refilled
    assert seen  # the case came up


async def test_two_draws_that_find_the_jar_full_refill_it_once(engine: Engine) -> None:
    """Both read the jar full; the first refills it and lands a question; the second's refill
    comes too late to take that question's new mark away, so it draws another one."""
    for seed in range(12):
        conversation, _ = await _three(engine, f"vol{seed}")
        jar = Pot(engine.db, CONTENT.kletspot, Random(seed))
        for _ in range(3):
            await jar.draw(conversation, None, "2026-03-02T08:00:00+00:00", no_card)
        read_full = await engine.db.read(jar.for_draw(conversation))  # and its landed marks
        first = await jar.draw(conversation, None, "2026-03-02T08:00:05+00:00", no_card)
        assert first is not None and first.refilled
        second_jar = Pot(engine.db, CONTENT.kletspot, Random(seed + 100))
        second = await second_jar.draw(
            conversation, None, "2026-03-02T08:00:05+00:00", no_card, jar=read_full
        )
        assert second is not None and second.question.id != first.question.id, seed


async def test_a_draw_that_loses_on_another_process_leaves_no_mark(
    postgres_server: str,
) -> None:
    """Two draws from one jar at the same moment on two processes: the one that comes second
    finds the other's draw only when its own insert meets it (it read the jar before). Its
    mark is in the same statement and waits on that insert, so it does not land either; the
    draw reads the jar again and draws another question."""
    target = await new_schema(postgres_server)
    mine, theirs, watcher = [await open_database(target) for _ in range(3)]
    conversation = await mine.scalar(
        "INSERT INTO conversations (platform, workspace_id, external_id, is_group, created_at)"
        " VALUES ('t', 'w', 'c', 1, 'now') RETURNING id"
    )
    first, theirs_q, lost, second = (f"{COLOURS[0]}-{n}" for n in range(1, 5))
    now = "2026-03-02T08:00:00+00:00"
    drawn = await Pot(mine, CONTENT.kletspot, Pick(first)).draw(conversation, None, now, no_card)
    assert drawn is not None
    async with theirs.transaction():  # their draw after it, not yet committed
        await theirs.execute(
            "INSERT INTO trekkingen (conversation_id, question_id, colour, question_text,"
            " drawn_at, follows) VALUES (?, ?, ?, 'x', ?, ?)",
            (conversation, theirs_q, COLOURS[0], now, drawn.history_id),
        )
        await theirs.execute(
            "INSERT INTO pot_getrokken (conversation_id, question_id, drawn_at, na_trekking)"
            " VALUES (?, ?, ?, ?)",
            (conversation, theirs_q, now, drawn.history_id),
        )
        jar = Pot(mine, CONTENT.kletspot, Pick(lost, second))
        late = asyncio.ensure_future(jar.draw(conversation, None, now, no_card))
        await waiting_for_a_lock(watcher)
    again = await asyncio.wait_for(late, 10)
    assert again is not None and again.question.id == second
    marks = {r[0] for r in await mine.all("SELECT question_id FROM pot_getrokken")}
    assert marks == {first, theirs_q, second}
    for db in (mine, theirs, watcher):
        await db.close()


async def test_the_overview_counts_a_losing_draws_mark_as_still_in_the_jar(
    engine: Engine,
) -> None:
    chat = Chat(engine, "team")
    await chat.cmd("vraag")
    before = text_of(await chat.cmd("pot"))
    conversation = int(await engine.db.scalar("SELECT id FROM conversations"))
    newest = int(await engine.db.scalar("SELECT MAX(id) FROM trekkingen"))
    drawn = await engine.db.scalar("SELECT question_id FROM trekkingen")
    other = next(q for q in ("groen-1", "groen-2") if q != drawn)
    await engine.db.execute(  # a draw that lost left it; nothing was drawn after it
        "INSERT INTO pot_getrokken (conversation_id, question_id, drawn_at, na_trekking)"
        " VALUES (?, ?, ?, ?)",
        (conversation, other, "2026-03-02T08:00:00+00:00", newest),
    )
    assert text_of(await chat.cmd("pot")) == before and "nog in de pot" in before


async def test_a_question_switched_off_while_drawn_is_in_the_round_after_it_comes_back(
    engine: Engine,
) -> None:
    """Its mark goes with the refill it missed, so switched on again it is not skipped."""
    now = "2026-03-02T08:00:00+00:00"
    conversation, three = await _three(engine, "terug")
    jar = Pot(engine.db, CONTENT.kletspot, Pick(three[0]))
    await jar.draw(conversation, None, now, no_card)
    await jar.set_enabled(conversation, three[0], False)
    rest = [await jar.draw(conversation, None, now, no_card) for _ in range(2)]
    assert {d.question.id for d in rest if d is not None} == set(three[1:])
    refilling = await jar.draw(conversation, None, now, no_card)
    assert refilling is not None and refilling.refilled
    await jar.set_enabled(conversation, three[0], True)
    after = [await jar.draw(conversation, None, now, no_card) for _ in range(2)]
    assert not any(d is None or d.refilled for d in after)
    assert {refilling.question.id, *(d.question.id for d in after if d)} == set(three)


async def test_an_own_question_that_gets_a_removed_ones_number_is_not_drawn_already(
    engine: Engine,
) -> None:
    chat = Chat(engine, "eigen")
    await chat.cmd("pot nieuw groen Wie mis je het meest?")
    conversation = int(await engine.db.scalar("SELECT MAX(id) FROM conversations"))
    jar = Pot(engine.db, CONTENT.kletspot, Random(0))
    removed = await jar.find(conversation, "eigen-1")
    assert removed is not None
    await jar.remove_own(conversation, removed)
    await engine.db.execute(  # a draw of it still on its way when it was removed
        "INSERT INTO pot_getrokken (conversation_id, question_id, drawn_at, na_trekking)"
        " VALUES (?, 'eigen-1', '2026-03-02T08:00:00+00:00', 0)",
        (conversation,),
    )
    await engine.db.execute(  # and a "pot uit eigen-1" at the moment it was removed
        "INSERT INTO pot_uit (conversation_id, item) VALUES (?, 'eigen-1')", (conversation,)
    )
    again = await jar.add_own(conversation, "groen", "Wat doet je deugd?", 1, "2026-03-02")
    assert again.id == "eigen-1"
    found = await engine.db.read(jar.for_draw(conversation))
    assert "eigen-1" not in found.drawn and "eigen-1" not in found.disabled


async def test_removing_an_own_question_takes_its_switch_and_mark_in_one_statement(
    chat: Chat,
) -> None:
    """The question, its switch and its mark go together (a number that comes back must come
    back switched on and not drawn): one statement after the command's own read."""
    await chat.cmd("pot nieuw groen Wie mis je het meest?")
    await chat.cmd("pot uit eigen-1")
    engine = chat.engine
    conversation = int(await engine.db.scalar("SELECT MAX(id) FROM conversations"))
    await engine.db.execute(
        "INSERT INTO pot_getrokken (conversation_id, question_id, drawn_at, na_trekking)"
        " VALUES (?, 'eigen-1', '2026-03-02T08:00:00+00:00', 0)",
        (conversation,),
    )
    assert await trips(engine, chat.cmd("pot weg eigen-1")) == 2
    assert "uit de pot gehaald" in text_of(chat.last)
    for table, column in (("pot_uit", "item"), ("pot_getrokken", "question_id")):
        assert not await engine.db.all(
            f"SELECT 1 FROM {table} WHERE conversation_id = ? AND {column} = 'eigen-1'",
            (conversation,),
        )
    await chat.cmd("pot nieuw groen Wat doet je deugd?")
    assert "eigen-1" in text_of(await chat.cmd("pot groen"))
    assert "uit" not in fold(text_of(chat.last)).split("eigen-1", 1)[1].split("\n", 1)[0]


async def test_adding_an_own_question_is_one_statement(chat: Chat) -> None:
    await chat.cmd("pot nieuw groen Wie mis je het meest?")
    assert await trips(chat.engine, chat.cmd("pot nieuw roos Wie belt er nog?")) == 1
    assert "eigen-2" in text_of(chat.last)


async def test_an_own_question_added_on_another_process_at_once_takes_the_next_number(
    postgres_server: str,
) -> None:
    """Both read the highest number as 0; the one that comes second waits on the other's
    uncommitted row with that number, finds it taken, and tries again: no error, no number
    twice."""
    mine, theirs, watcher, author, conversation = await two_processes(postgres_server)
    now = "2026-03-02T08:00:00+00:00"
    async with theirs.transaction():
        await theirs.execute(
            "INSERT INTO pot_eigen_vragen (conversation_id, number, colour, text, created_at)"
            " VALUES (?, 1, 'groen', 'Hun vraag?', ?)",
            (conversation, now),
        )
        jar = Pot(mine, CONTENT.kletspot, Random(0))
        late = asyncio.ensure_future(jar.add_own(conversation, "roos", "Mijn vraag?", author, now))
        await waiting_for_a_lock(watcher)
    added = await asyncio.wait_for(late, 10)
    assert added.id == "eigen-2"
    rows = await mine.all("SELECT number, text FROM pot_eigen_vragen ORDER BY number")
    assert [(r["number"], r["text"]) for r in rows] == [(1, "Hun vraag?"), (2, "Mijn vraag?")]
    for db in (mine, theirs, watcher):
        await db.close()
