"""`reflectie` and `reflecties`: every tool end to end, resuming, comparing, and bad input."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from random import Random

import pytest

from bot.core import buttons, flows
from bot.core.clock import FakeClock
from bot.core.engine import Engine
from bot.core.replies import Audience, Reply
from bot.tools.reflectie.store.reflecties import Reflecties, steps
from bot.tools.reflectie.text import show
from content.schemas.reflectoren import Keuze, Reflector, Schaal
from tests.conftest import CONTENT, Chat, overtaken, text_of, trips
from tests.tools.reflectie.helpers import answer, dm, fill_in, start, tool_label, written

TOOLS = CONTENT.reflectoren.reflectoren
EENZAAM = CONTENT.reflectoren.get("voel-ik-me-eenzaam")
VAARDIGHEDEN = CONTENT.reflectoren.get("ondersteuningsvaardigheden")


async def runs(engine: Engine, user: str = "an") -> list[tuple[int, str, int, str]]:
    rows = await engine.db.all(
        "SELECT r.id, r.tool, r.position, r.status FROM reflecties r JOIN users u"
        " ON u.id = r.user_id WHERE u.external_id = ? ORDER BY r.id",
        (user,),
    )
    return [(r["id"], r["tool"], r["position"], r["status"]) for r in rows]


async def answer_count(engine: Engine, run_id: int) -> int:
    return await engine.db.scalar(
        "SELECT COUNT(*) FROM reflectie_antwoorden WHERE reflection_id = ?", (run_id,)
    )


def test_eleven_tools_in_the_menu() -> None:
    assert len(TOOLS) == 11


def test_each_instrument_that_names_its_origin_carries_it() -> None:
    """The workbook prints an origin under 5.3, 6.8, 6.10 and 8.6; 8.6 with its copyright."""
    with_origin = {t.paragraaf for t in TOOLS if t.herkomst}
    assert with_origin == {"5.3", "6.8", "6.10", "8.6"}
    assert "copyright 1991 Center for psychiatric rehabilitation, Boston University" in (
        CONTENT.reflectoren.get("interesses-en-waarden").herkomst or ""
    )


FILLED_IN = [t for t in TOOLS if t.id != "persoonlijk-plan"]
"""The persoonlijk plan is listed too, but it is the `plan` flow (tests/reflection/test_plan.py)."""


@pytest.mark.parametrize("tool", FILLED_IN, ids=[t.id for t in FILLED_IN])
async def test_each_tool_completed_end_to_end(engine: Engine, tool: Reflector) -> None:
    chat = dm(engine)
    menu = text_of(await chat.cmd("reflectie"))
    assert tool.titel in menu and tool.doel in menu
    assert "geen therapie en geen hulpdienst" in menu
    opened = text_of(await chat.press(tool_label(tool)))
    assert tool.bron.titel in opened and f"1 van {len(steps(tool))}" in opened
    for caution in tool.waarschuwingen:
        assert caution in opened
    if tool.herkomst:  # where the instrument comes from, and whose it is (8.6's copyright)
        assert f"Herkomst: “{tool.herkomst}”" in opened
    last = []
    for step in steps(tool):
        last = await answer(chat, tool, step)
    summary = text_of(last)
    assert "Klaar, alles is bewaard" in summary and "alleen voor jou" in summary
    [(run_id, _, position, status)] = await runs(engine)
    assert (position, status) == (len(steps(tool)), "done")
    assert await answer_count(engine, run_id) == len(steps(tool))
    for step in steps(tool):
        if not isinstance(step.answer, (Keuze, Schaal)):
            assert written(tool, step) in summary
    for caution in tool.waarschuwingen:
        assert caution in summary  # the source's caution goes with the answers
    if tool.herkomst:
        assert f"Herkomst: “{tool.herkomst}”" in summary
    assert "vorige keer" not in summary
    assert await engine.db.scalar("SELECT COUNT(*) FROM flows WHERE status = 'open'") == 0


async def test_answers_saved_one_by_one_and_resumed_after_a_restart(
    db_path: Path, clock: FakeClock
) -> None:
    first = await Engine.open(db_path, CONTENT, clock=clock, rng=Random(1))
    chat = dm(first)
    await start(chat, EENZAAM)
    for step in steps(EENZAAM)[:3]:
        await answer(chat, EENZAAM, step, pick=1)
    [(run_id, _, position, _)] = await runs(first)
    assert position == 3 and await answer_count(first, run_id) == 3
    await first.close()

    second = await Engine.open(db_path, CONTENT, clock=clock, rng=Random(2))
    try:
        chat = dm(second)
        typed = text_of(await chat.text("c"))  # the open question survived the restart
        assert "5 van 11" in typed
        await chat.cmd("hulp")  # a command withdraws the question, not the progress
        assert "Fijn dat je me schrijft" in text_of(await chat.text("a"))
        menu = text_of(await chat.cmd("reflectie"))
        assert "Nog bezig" in menu and "(4 van 11 beantwoord)" in menu
        resumed = text_of(await chat.press(f"Verder: {EENZAAM.titel}"))
        assert "We gaan verder waar je was" in resumed and "5 van 11" in resumed
        assert steps(EENZAAM)[4].item.tekst in resumed
        for step in steps(EENZAAM)[4:]:
            await answer(chat, EENZAAM, step, pick=1)
        answers = await second.db.all(
            "SELECT item, value FROM reflectie_antwoorden WHERE reflection_id = ?", (run_id,)
        )
        values = {r["item"]: r["value"] for r in answers}
        assert len(values) == 11 and values["leegte"] == '"B"'
        assert values["terugvallen-bij-narigheid"] == '"C"'
    finally:
        await second.close()


async def test_second_fill_in_shows_what_changed_per_statement(
    engine: Engine, clock: FakeClock
) -> None:
    chat = dm(engine)
    await fill_in(chat, EENZAAM)
    clock.advance(days=60)
    changed = {"mis-goede-vriend": 2, "mis-gezelligheid": 1}
    summary_reply, comparison_reply, chart = await fill_in(chat, EENZAAM, changed)
    summary, comparison = summary_reply.plain, comparison_reply.plain
    assert chart.attachment is not None and chart.attachment.picture
    assert "bij 2 is het anders" in chart.attachment.alt
    assert "Wat is er anders dan de vorige keer (maandag 2 maart)?" in comparison
    assert (
        "Ik mis een echt goede vriend of vriendin.\n   toen: A (helemaal niet mee eens)\n"
        "   nu: C (in hoge mate mee eens)"
    ) in comparison
    assert (
        "Ik mis gezelligheid om me heen.\n   toen: A (helemaal niet mee eens)\n"
        "   nu: B (in geringe mate mee eens)"
    ) in comparison
    assert "Ik ervaar leegte om me heen." not in comparison  # unchanged statements stay out
    assert "9 antwoorden zijn hetzelfde gebleven." in comparison
    assert "het gaat niet om de scores zelf" in comparison
    assert "score" not in summary.split("“")[0]  # no score of our own, only the source's words
    assert "Ik ervaar leegte om me heen." in summary

    listing = await chat.cmd("reflecties")
    text = text_of(listing)
    assert text.count(EENZAAM.titel) == 2 and "ingevuld op vrijdag 1 mei" in text
    reread = await chat.press(f"2. {EENZAAM.titel}")
    assert len(reread) == 1 and "Ik mis een echt goede vriend" in reread[0].plain
    reread = await chat.press(f"1. {EENZAAM.titel}", replies=listing)
    assert "Wat is er anders" in text_of(reread)
    assert "Kies een nummer van 1 tot 2" in text_of(await chat.cmd("reflecties 9"))
    assert "Wat is er anders" in text_of(await chat.cmd("reflecties 1"))


async def test_two_reflections_at_once_stay_apart(engine: Engine) -> None:
    chat = dm(engine)
    vooroordelen = CONTENT.reflectoren.get("vooroordelen")
    await start(chat, EENZAAM)
    first_question = await answer(chat, EENZAAM, steps(EENZAAM)[0])
    await chat.cmd("reflectie")
    opened = text_of(await chat.press(tool_label(vooroordelen)))
    assert f"Ook {EENZAAM.titel} blijft bewaard" in opened
    await answer(chat, vooroordelen, steps(vooroordelen)[0], pick=2)
    # the eenzaam question still on screen keeps working, for its own run
    await chat.press("B: in geringe mate mee eens", replies=first_question)
    [(eenzaam, _, p1, _), (voor, _, p2, _)] = await runs(engine)
    assert (p1, p2) == (2, 1)
    menu = text_of(await chat.cmd("reflectie"))
    assert "(2 van 11 beantwoord)" in menu and "(1 van 9 beantwoord)" in menu
    home = text_of(await chat.cmd("overzicht"))
    assert "Nog bezig met" in home and EENZAAM.titel in home and vooroordelen.titel in home
    await chat.cmd("reflectie")
    offer = text_of(await chat.press(tool_label(EENZAAM)))
    assert "Je bent al bezig" in offer and "2 van 11" in offer
    offered = chat.last
    # the button, the run deleted with its answers, the fresh run with its question
    assert await trips(engine, chat.press("Opnieuw beginnen")) == 3
    restarted = chat.last
    again = text_of(restarted)
    assert "1 van 11" in again
    assert [r[1:] for r in await runs(engine)] == [
        ("vooroordelen", 1, "open"),
        ("voel-ik-me-eenzaam", 0, "open"),
    ]
    assert await answer_count(engine, eenzaam) == 0 and await answer_count(engine, voor) == 1
    # the same offer pressed again: that unfinished run is gone, the fresh one stays
    assert "niet" in text_of(await chat.press("Opnieuw beginnen", replies=offered))
    assert [r[1:] for r in await runs(engine)] == [
        ("vooroordelen", 1, "open"),
        ("voel-ik-me-eenzaam", 0, "open"),
    ]
    chat.last = restarted  # and the fresh run's first question still works
    await answer(chat, EENZAAM, steps(EENZAAM)[0])
    assert [r[1:] for r in await runs(engine)][1] == ("voel-ik-me-eenzaam", 1, "open")


async def test_a_tool_chosen_twice_at_the_same_moment_starts_one_run(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second choice read no open run either; its start finds the first one's."""
    chat = dm(engine)
    menu = await chat.cmd("reflectie")
    late, second = await overtaken(
        monkeypatch,
        Reflecties,
        "open_runs",
        chat.press(tool_label(EENZAAM), replies=menu),
        lambda: chat.press(tool_label(EENZAAM), replies=menu),
    )
    assert "1 van 11" in text_of(second)
    assert "Die reflectie is net al begonnen" in text_of(late)
    assert [r[1:] for r in await runs(engine)] == [("voel-ik-me-eenzaam", 0, "open")]


async def test_started_in_a_group_goes_to_the_dm(engine: Engine) -> None:
    group = Chat(engine, "team")
    first = await group.cmd("reflectie")
    assert first[0].audience is Audience.PRIVATE and "privé" in first[0].plain
    assert first[1].audience is Audience.DM and not first[1].buttons
    assert "hier in ons privégesprek" in first[1].plain
    assert await engine.db.scalar("SELECT COUNT(*) FROM reflecties") == 0

    chat = dm(engine)
    await chat.cmd("overzicht")  # now the bot knows An's DM
    handed = await group.cmd("reflectie")
    assert handed[1].audience is Audience.DM and handed[1].buttons
    opened = text_of(await chat.press(tool_label(EENZAAM), replies=handed))
    assert "1 van 11" in opened
    listing = await group.cmd("reflecties")
    assert listing[0].audience is Audience.PRIVATE and listing[1].audience is Audience.DM


async def test_answers_outside_the_scale_store_nothing(engine: Engine) -> None:
    chat = dm(engine)
    await start(chat, VAARDIGHEDEN)
    [(run_id, _, _, _)] = await runs(engine)
    for typed in ("7", "0", "drie", "", "3,5"):
        reply = text_of(await chat.text(typed))
        assert "Kies een getal van 1 tot 5" in reply and "nog niet bewaard" in reply
    user = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'")
    conversation = await engine.db.scalar("SELECT id FROM conversations WHERE external_id = 'an'")
    forged = await buttons.make(
        engine.db,
        conversation,
        "9",
        "reflect.answer",
        {"r": run_id, "p": 0, "v": 9},
        "2026-03-02T11:00:00+00:00",
        user,
    )
    assert "Kies een getal van 1 tot 5" in text_of(
        await chat.press("9", replies=[Reply(text=(), buttons=(forged,))])
    )
    assert await answer_count(engine, run_id) == 0
    assert "2 van" in text_of(await chat.text("4"))  # a typed number on the scale is fine
    assert "nog niet bewaard" in text_of(await chat.text("x" * 2001))


async def test_typed_choices_and_bad_choices(engine: Engine) -> None:
    chat = dm(engine)
    await start(chat, EENZAAM)
    assert "Kies A, B, C" in text_of(await chat.text("misschien"))
    assert "2 van 11" in text_of(await chat.text("b)"))
    assert "3 van 11" in text_of(await chat.text("in hoge mate mee eens"))
    signalen = CONTENT.reflectoren.get("signaleringskaart")
    await start(chat, signalen)
    assert "niet in de lijst: taart" in text_of(await chat.text("vermoeidheid, taart"))
    assert "2 van" in text_of(await chat.text("vermoeidheid en hoofdpijn"))
    run_id = (await runs(engine))[-1][0]
    value = await engine.db.scalar(
        "SELECT value FROM reflectie_antwoorden WHERE reflection_id = ? AND item = 'lichamelijk'",
        (run_id,),
    )
    assert value == '["vermoeidheid", "hoofdpijn"]'


async def test_skipping_is_saved_as_skipped(engine: Engine) -> None:
    chat = dm(engine)
    tool = CONTENT.reflectoren.get("bekend-besluiten-bereiken")
    await start(chat, tool)
    await chat.press("Overslaan")
    await chat.text("nieuw")
    done = text_of(await chat.press("Overslaan"))
    assert "Wat deed ik al?\n   → overgeslagen" in done and "→ nieuw" in done
    assert show(tool.items[0].antwoord, None) == "overgeslagen"


async def test_stale_and_doubled_button_presses(engine: Engine) -> None:
    chat = dm(engine)
    question = await start(chat, EENZAAM)
    await chat.press("A: helemaal niet mee eens")
    # the button, the run as it is now (with its answers and question), the question again
    stale = await trips(engine, chat.press("C: in hoge mate mee eens", replies=question))
    assert stale == 3
    again = text_of(chat.last)
    assert "Die vraag is al beantwoord" in again and "2 van 11" in again
    [(run_id, _, position, _)] = await runs(engine)
    assert position == 1 and await answer_count(engine, run_id) == 1


async def test_two_answers_at_the_same_moment_keep_the_one_that_landed(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both read the run at the first question; the one written last finds it moved on, and
    neither its answer nor a second move is stored."""
    chat = dm(engine)
    question = await start(chat, EENZAAM)
    late, landed = await overtaken(
        monkeypatch,
        type(engine.db),
        "together",
        chat.press("A: helemaal niet mee eens", replies=question),
        lambda: chat.press("C: in hoge mate mee eens", replies=question),
    )
    assert "2 van 11" in text_of(landed)
    assert "Die vraag is al beantwoord" in text_of(late) and "2 van 11" in text_of(late)
    [(run_id, _, position, _)] = await runs(engine)
    assert position == 1
    assert await Reflecties(engine.db).answers(run_id) == {steps(EENZAAM)[0].key: "C"}


async def test_a_typed_answer_overtaken_by_another_answers_the_question_it_was_written_for(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A typed answer read the question that waits before another answer moved the run on:
    it is no answer to the next question (the one its sender had not seen yet)."""
    chat = dm(engine)
    await start(chat, EENZAAM)
    late, landed = await overtaken(
        monkeypatch,
        flows,
        "waiting_for_text",
        chat.text("A"),
        lambda: chat.text("C"),
    )
    assert "2 van 11" in text_of(landed)
    assert "Die vraag is al beantwoord" in text_of(late) and "2 van 11" in text_of(late)
    [(run_id, _, position, _)] = await runs(engine)
    assert position == 1
    assert await Reflecties(engine.db).answers(run_id) == {steps(EENZAAM)[0].key: "C"}


async def test_an_answer_for_a_question_the_run_has_left_is_not_stored(engine: Engine) -> None:
    """The store's own guard, whatever a handler checked before: the answer is written only
    while the run is at its question, and so is the move."""
    chat = dm(engine)
    await start(chat, EENZAAM)
    await chat.press("A: helemaal niet mee eens")
    [(run_id, _, _, _)] = await runs(engine)
    user_id = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'")
    store = Reflecties(engine.db)
    run = await store.get(run_id, user_id)
    assert run is not None and run.position == 1
    all_steps = steps(EENZAAM)
    stale = replace(run, position=0)
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    total = len(all_steps)
    assert await store.save(stale, stale.moved(1, total, now), all_steps[0], "C", now) is None
    assert await store.answers(run_id) == {all_steps[0].key: "A"}
    assert (await store.get(run_id, user_id)) == run
    moved = await store.save(run, run.moved(1, total, now), all_steps[1], "B", now)
    assert moved is not None and moved.position == 2
    assert (await store.answers(run_id))[all_steps[1].key] == "B"


async def test_nobody_else_sees_or_touches_my_reflections(engine: Engine) -> None:
    mine = dm(engine)
    question = await start(mine, EENZAAM)
    await fill_in(mine, CONTENT.reflectoren.get("bekend-besluiten-bereiken"))
    listing = await mine.cmd("reflecties")
    # Sam in An's conversation (a shared device, a forwarded message): every button refuses
    for label, shown in (
        ("A: helemaal niet mee eens", question),
        ("Verder", None),
        (f"2. {EENZAAM.titel}", listing),
    ):
        if shown is None:
            shown = await mine.cmd("reflecties 2")
        assert "voor iemand anders" in text_of(await mine.press(label, who="Sam", replies=shown))
    theirs = dm(engine, "Sam")
    assert "nog niets ingevuld" in text_of(await theirs.cmd("reflecties", who="Sam"))
    assert "Wat deed ik al?" not in text_of(await theirs.cmd("reflecties 1", who="Sam"))
    # a forged button in Sam's own DM that names An's run
    sam = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'sam'")
    sam_dm = await engine.db.scalar("SELECT id FROM conversations WHERE external_id = 'sam'")
    an_run = (await runs(engine))[0][0]
    for kind, payload in (
        ("reflect.open", {"r": an_run}),
        ("reflect.continue", {"r": an_run}),
        ("reflect.restart", {"r": an_run}),
        ("reflect.answer", {"r": an_run, "p": 0, "v": "A"}),
        ("reflect.open", {"r": "1 OR 1=1"}),
        ("reflect.open", {"r": True}),
    ):
        forged = await buttons.make(
            engine.db, sam_dm, "x", kind, payload, "2026-03-02T11:00:00+00:00", sam
        )
        shown = [Reply(text=(), buttons=(forged,))]
        reply = text_of(await theirs.press("x", who="Sam", replies=shown))
        assert "vind ik niet bij jou" in reply, kind
    assert [r[2] for r in await runs(engine)] == [0, 3]
    assert await answer_count(engine, an_run) == 0


async def test_help_says_it_is_no_therapy_nor_crisis_service(engine: Engine) -> None:
    chat = dm(engine)
    overview = text_of(await chat.cmd("hulp"))
    assert "Geen therapie of hulpdienst" in overview
    about = text_of(await chat.cmd("hulp reflectie"))
    assert "geen therapie en geen hulpdienst" in about and "hulp nu" in about


async def test_the_feedback_form_brings_the_feedback_rules(engine: Engine) -> None:
    chat = dm(engine)
    await chat.cmd("reflectie")
    tool = CONTENT.reflectoren.get("feedback-gespreksvaardigheden")
    opened = text_of(await chat.press(tool_label(tool)))
    feedback = CONTENT.achtergrond.tekst("feedback")
    rules = [p for blok in feedback.blokken for p in blok.punten]
    assert len(rules) == 10
    for rule in rules:
        assert rule in opened
    assert "Kennisbron 12.5 Feedback geven en ontvangen" in opened and "§12.5" in opened
