"""Reflection fronts on demand and by the weekly nudge; intervision assignments by meeting and
chapter, and the weekly intervision nudge."""

from __future__ import annotations

import asyncio

from bot.core.engine import Engine
from bot.core.replies import Audience
from bot.text.long import MESSAGE_BUDGET
from bot.tools.intervisie.store.voortgang import Voortgang
from tests.conftest import CONTENT, Chat, Setup, planned_chat, text_of, trips, utc
from tests.tools.intervisie.conftest import team

RV = CONTENT.reflectievragen


async def test_one_front_chosen_with_buttons(chat: Chat) -> None:
    intro = await chat.cmd("reflectie team", who="Cas")
    assert RV.advies in text_of(intro)
    half = await chat.press("Werking", who="Cas")
    assert RV.werking.overzicht in text_of(half)
    posted = await chat.press("Safe space", who="Cas")
    front = RV.front("safe-space")
    text = text_of(posted)
    for vraag in front.vragen:
        assert vraag.tekst in text
    assert "Antwoord in de draad" in text and "Bron: Resokit (Odisee Hogeschool)" in text
    assert "Sociaal inclusief beleid" in text_of(await chat.cmd("reflectie team 1"))
    assert "zowel bij het beleid als bij de werking" in text_of(
        await chat.cmd("reflectie team buurtvervlechting")
    )
    assert "ken ik niet" in text_of(await chat.cmd("reflectie team 99"))
    assert "18. Verwachtingen en weerbaarheid" in text_of(await chat.cmd("reflectie team lijst"))


async def test_more_about_the_reflection_tool_with_its_citation(chat: Chat) -> None:
    intro = await chat.cmd("reflectie team", who="Cas")
    about = await chat.press("Meer lezen", who="Cas", replies=intro)
    text = text_of(about)
    assert len(about) == 2
    assert all(r.audience is Audience.QUIET and len(r.plain) <= MESSAGE_BUDGET for r in about)
    for alinea in RV.inleiding:
        assert alinea in text
    assert RV.inspiratie.kop in text and len(RV.inspiratie.bronnen) == 7
    for bron in RV.inspiratie.bronnen:
        assert f"• {bron.titel} ({bron.url})" in text
    assert f"{RV.referentie_kop}\n{RV.referentie}" in text
    assert text_of(await chat.cmd("reflectie team over")) == text


async def test_weekly_nudge_posts_one_front_in_the_chosen_order(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await planned_chat(engine)
    assert "één front uit de reflectievragen" in text_of(await chat.cmd("planning wat reflectie"))
    assert "Kies wat de planning post" in text_of(await chat.cmd("planning wat taart"))
    order = text_of(await chat.cmd("reflectie team volgorde 12, 3"))
    assert "1. Safe space (werking)  ← volgende" in order and "2. Personeelsbeleid" in order
    assert "kan ik niet lezen" in text_of(await chat.cmd("reflectie team volgorde 0,40"))
    scheduler = setup.scheduler(engine)
    for week in range(3):
        setup.clock.set(utc(2026, 3, 2 + 7 * week, 11, 0, 30))
        await scheduler.tick()
    posts = [o.reply.plain for o in setup.platform.sent]
    assert len(posts) == 3 and all(p.startswith("Reflectie van de week") for p in posts)
    assert RV.front("safe-space").vragen[0].tekst in posts[0]
    assert RV.front("personeelsbeleid").vragen[0].tekst in posts[1]
    assert RV.front("safe-space").vragen[0].tekst in posts[2]
    assert "2. Personeelsbeleid (beleid)  ← volgende" in text_of(
        await chat.cmd("reflectie team volgorde")
    )


async def test_assignment_posted_with_its_story_in_the_thread(chat: Chat) -> None:
    menu = await chat.cmd("intervisie")
    meeting = await chat.press("Bijeenkomst 2", replies=menu)
    assert "6.4 Handelingsverlegenheid en vraagverl…" in [b.label for b in meeting[-1].buttons]
    posted = await chat.press("6.4 Handelingsverlegenheid en vraagverl…", replies=meeting)
    story, assignment, schroom = posted
    # §6.3, which 6.4 leans on, follows the assignment in full, in the same thread.
    assert schroom.plain.startswith("📘 6.3 Schroom om hulp te vragen en te bieden")
    for blok in CONTENT.achtergrond.tekst("schroom").blokken:
        for text in [blok.alinea, blok.citaat, *blok.punten, *(t.uitleg for t in blok.termen)]:
            assert text is None or text in schroom.plain
    assert (
        "Bron: Movisie / HAN (Wmo-werkplaatsen), Eenzaam ben je niet alleen (werkboek), §6.3"
        in schroom.plain
    )
    assert story.plain.startswith("📖 Hein (46) vertelt…")
    assert CONTENT.intervisie.verhaal("hein").alineas[0] in story.plain
    opdracht = CONTENT.intervisie.opdracht("6.4")
    for vraag in opdracht.vragen:
        assert vraag in assignment.plain
    assert "6.4 Trainingsopdracht: Handelingsverlegenheid en vraagverlegenheid" in assignment.plain
    assert "Antwoord in de draad van dit bericht" in assignment.plain
    assert "Bron: Movisie / HAN (Wmo-werkplaatsen)" in assignment.plain
    chapter = await chat.cmd("intervisie hoofdstuk 8")
    assert "Fase: Op zoek naar wensen en talenten" in text_of(chapter)
    assert "8.3 Interesses en waarden" in text_of(chapter)
    chapters = await chat.cmd("intervisie hoofdstukken")
    assert "Hoofdstuk 11" in [b.label for b in chapters[0].buttons]
    assert "Dialoogsessie" in text_of(await chat.cmd("intervisie 4.2"))
    assert "ken ik niet" in text_of(await chat.cmd("intervisie 99.9"))
    assert "Kies bijeenkomst 1 tot en met 5" in text_of(await chat.cmd("intervisie bijeenkomst 9"))


async def test_weekly_intervision_nudge_walks_the_meetings(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await planned_chat(engine)
    await chat.cmd("planning wat intervisie")
    first = text_of(await chat.cmd("planning nu"))
    assert first.startswith("Intervisieopdracht van de week (bijeenkomst 1)")
    assert "3.1 Trainingsopdracht" in first
    # the next one taken in one statement (no transaction): it reads the planning first
    assert await trips(engine, chat.cmd("planning nu")) == 2
    second = text_of(chat.last)
    assert "3.5 Trainingsopdracht: Definities in de praktijk" in second
    assert "Simone (17) vertelt…" in second


async def test_two_takes_at_once_get_two_items_and_the_round_starts_again(chat: Chat) -> None:
    await team(chat.engine)
    conversation = int(await chat.engine.db.scalar("SELECT id FROM conversations"))
    tracks = Voortgang(chat.engine.db)
    now = utc(2026, 3, 2, 10)
    items = ("a", "b", "c")
    taken = await asyncio.gather(*(tracks.take_next(conversation, "t", items, now) for _ in "12"))
    assert sorted(taken) == ["a", "b"]
    assert [await tracks.take_next(conversation, "t", items, now) for _ in "123"] == ["c", "a", "b"]
    await tracks.set_order(conversation, "t", ["c", "weg", "a"], 1, now)  # "weg" is gone
    assert [await tracks.take_next(conversation, "t", items, now) for _ in "123"] == ["c", "a", "c"]


async def test_reflection_answers_are_kept_with_noteer(chat: Chat) -> None:
    await team(chat.engine)
    await chat.cmd("reflectie team 12")
    assert "Genoteerd" in text_of(
        await chat.cmd("noteer Een stille ruimte in het buurthuis", who="Bo")
    )
    assert "Een stille ruimte" in text_of(await chat.cmd("punten"))


async def test_meeting_shows_the_whole_trainers_manual(chat: Chat) -> None:
    """Every row with its time, total time and trainer notes; for the coordinator only where
    the platform can; the homework and the buttons stay with the team."""
    for bijeenkomst in CONTENT.intervisie.trainershandleiding.bijeenkomsten:
        shown = await chat.cmd(f"intervisie bijeenkomst {bijeenkomst.nummer}")
        *manual, closing = shown
        text = "\n".join(r.plain for r in manual)
        assert all(r.audience is Audience.QUIET for r in manual)
        assert closing.audience is Audience.HERE and closing.buttons
        assert all(len(r.plain) <= MESSAGE_BUDGET for r in shown)
        assert bijeenkomst.omschrijving in text and bijeenkomst.meenemen_kop in text
        for ding in bijeenkomst.meenemen:
            assert ding in text
        for row in bijeenkomst.programma:
            assert (
                f"{row.wat}\n{' + '.join(row.tijd)} · totale tijd {' / '.join(row.totaal)}" in text
            )
            for note in [*row.voorbereiding, *row.bijzonderheden, *row.punten, *row.slot]:
                assert note in text
        if bijeenkomst.huiswerk:
            assert bijeenkomst.huiswerk.kop in closing.plain
            assert bijeenkomst.huiswerk.leesopdracht in closing.plain
            for tekst in bijeenkomst.huiswerk.teksten:
                assert tekst in closing.plain
    three = await chat.cmd("intervisie bijeenkomst 3")
    assert "Pauze\n10 min · totale tijd 1.10" in text_of(three)
    assert (
        "3.5 Trainingsopdracht: Definities in de praktijk\n10 min. + 15 min. · totale tijd "
        "1.30 / 1.45" in text_of(await chat.cmd("intervisie bijeenkomst 1"))
    )


async def test_meeting_in_a_dm_is_shown_in_place(engine: Engine) -> None:
    dm = Chat(engine, conversation="dm-an", group=False)
    shown = await dm.cmd("intervisie bijeenkomst 4", admin=True)
    assert "Bijeenkomst 4 · trainershandleiding" in text_of(shown)
    assert len(shown) >= 2 and all(r.audience is Audience.HERE for r in shown)
