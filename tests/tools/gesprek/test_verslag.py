"""`gesprek verslag`: bad input refused with an example and nothing stored, a restart in the
middle of recording, continuing an unfinished record, and deleted records."""

from __future__ import annotations

from pathlib import Path
from random import Random

import pytest

from bot.core.clock import FakeClock
from bot.core.engine import Engine
from bot.tools.gesprek.store.gesprekken import Verslagen
from tests.conftest import CONTENT, Chat, Post, overtaken, text_of, trips, utc

ANSWERS = ("gisteren", "Mia", "Weer zingen", "Koor", "Samen naar de repetitie", "7", "6")


async def record(dm: Chat, answers: tuple[str, ...] = ANSWERS, term: str = "14") -> None:
    await dm.cmd("gesprek verslag")
    for answer in (*answers, term):
        await dm.text(answer)


async def row(engine: Engine) -> dict[str, object]:
    found = await engine.db.one("SELECT * FROM gesprekken ORDER BY id DESC LIMIT 1")
    return dict(found) if found is not None else {}


async def test_bad_dates_names_scores_and_terms(engine: Engine, dm: Chat) -> None:
    await dm.cmd("gesprek verslag")
    for typed, expected in (
        ("morgen", "ligt in de toekomst"),
        ("15-06-2026", "ligt in de toekomst"),
        (
            "ergens vorige zomer",
            "kan ik niet lezen. Schrijf bv. vandaag, gisteren, vorige maandag of 27 februari",
        ),
        ("   ", "kan ik niet lezen"),
    ):
        assert expected in text_of(await dm.text(typed)), typed
    assert await engine.db.scalar("SELECT COUNT(*) FROM gesprekken") == 0
    assert "Met wie" in text_of(await dm.text("1-3"))  # yesterday, without a year
    assert (await row(engine))["datum"] == "2026-03-01"

    assert "geen volledige naam" in text_of(await dm.text("Maria Johanna de Vries"))
    assert "schuilnaam" in text_of(await dm.text(""))
    await dm.text("Mevr. J.")
    assert "leeg antwoord" in text_of(await dm.text("  \n "))
    await dm.text("Weer zingen")
    await dm.text("Koor")
    assert "te lang" in text_of(await dm.text("s" * 1001))
    await dm.text("Samen naar de repetitie")
    for typed in ("11", "-1", "zeven", "7.5"):
        assert "cijfer van 0 tot en met 10" in text_of(await dm.text(typed)), typed
    await dm.text("10/10")
    await dm.text("0")
    for typed, expected in (
        ("0", "minstens 1 dag"),
        ("400", "binnen een jaar"),
        ("1-3-2026", "in het verleden"),
        ("1-3", "in het verleden"),
        ("vandaag", "vanaf morgen"),
        ("overmorgen of zo", "kan ik niet lezen"),
    ):
        assert expected in text_of(await dm.text(typed)), typed
    assert (await row(engine))["terugblik_op"] is None
    assert "Je verslag is bewaard" in text_of(await dm.text("3 weken"))
    saved = await row(engine)
    assert (saved["met"], saved["motivatie"], saved["vertrouwen"], saved["terugblik_op"]) == (
        "Mevr. J.",
        10,
        0,
        "2026-03-23",
    )


async def test_buttons_pressed_twice_and_typed_after(engine: Engine, dm: Chat) -> None:
    asked = await dm.cmd("gesprek verslag")
    await dm.press("Vandaag", replies=asked)
    assert "al bewaard" in text_of(await dm.press("Gisteren", replies=asked))
    for answer in ANSWERS[1:5]:
        await dm.text(answer)
    scores = dm.last
    await dm.press("8", replies=scores)
    assert "al bewaard" in text_of(await dm.press("3", replies=scores))
    await dm.text("5")
    term = dm.last
    await dm.press("Over 1 week", replies=term)
    assert "al bewaard" in text_of(await dm.press("Over 4 weken", replies=term))
    saved = await row(engine)
    assert (saved["datum"], saved["motivatie"], saved["vertrouwen"], saved["terugblik_op"]) == (
        "2026-03-02",
        8,
        5,
        "2026-03-09",
    )
    assert await engine.db.scalar("SELECT COUNT(*) FROM gesprekken") == 1
    assert (
        await engine.db.scalar(
            "SELECT COUNT(*) FROM herinneringen WHERE kind = 'terugblik' AND status = 'active'"
        )
        == 1
    )


async def test_an_answer_to_a_question_answered_meanwhile_stores_nothing(
    engine: Engine, dm: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two answers to one question at once: the one that read the question first but writes
    last finds it answered, and its answer is not stored over the other."""
    await dm.cmd("gesprek verslag")
    await dm.text("vandaag")
    late, second = await overtaken(
        monkeypatch, Verslagen, "get", dm.text("Mevr. J."), lambda: dm.text("Jos")
    )
    assert "Bewaard" in text_of(second) and "al bewaard" in text_of(late)
    assert (await row(engine))["met"] == "Jos"


async def test_restart_in_the_middle_of_recording(db_path: Path, clock: FakeClock) -> None:
    first = await Engine.open(db_path, CONTENT, clock=clock, rng=Random(1))
    dm = Chat(first, "dm-an", group=False)
    await dm.cmd("gesprek verslag")
    await dm.text("gisteren")
    await dm.text("Mia")
    await first.close()

    clock.advance(minutes=5)
    second = await Engine.open(db_path, CONTENT, clock=clock, rng=Random(2))
    try:
        dm = Chat(second, "dm-an", group=False)
        assert "Welke ideeën" in text_of(await dm.text("Weer zingen"))
        for answer in ("Koor", "Samen naar de repetitie", "7", "6", "14"):
            await dm.text(answer)
        assert "Je verslag is bewaard" in text_of(dm.last)
        saved = await second.db.one("SELECT met, wens, status FROM gesprekken")
        assert tuple(saved) == ("Mia", "Weer zingen", "klaar")
    finally:
        await second.close()


async def test_continue_an_unfinished_record(engine: Engine, dm: Chat) -> None:
    await dm.cmd("gesprek verslag")
    await dm.text("vandaag")
    await dm.text("R.")
    listing = text_of(await dm.cmd("gesprekken"))  # a command: the open question is dropped
    assert "met R. (nog niet af)" in listing
    assert "Fijn dat je me schrijft" in text_of(await dm.text("Weer zingen"))
    text = text_of(await dm.cmd("gesprek verslag"))
    assert "nog niet af is: het gesprek van maandag 2 maart" in text
    text = text_of(await dm.press("Verder met maandag 2 maart"))
    assert "Verder met je verslag" in text and "Vraag 3 van 8" in text
    await dm.text("Weer zingen")
    assert (await row(engine))["wens"] == "Weer zingen"

    await dm.cmd("gesprek verslag")
    assert "Vraag 1 van 8" in text_of(await dm.press("Nieuw verslag"))
    await dm.text("gisteren")
    assert await engine.db.scalar("SELECT COUNT(*) FROM gesprekken") == 2


async def test_deleted_record_and_its_reminder(engine: Engine, dm: Chat, post: Post) -> None:
    await record(dm)
    listing = await dm.cmd("gesprekken")
    confirm = await dm.press("1: verwijderen", replies=listing)
    assert "kan niet ongedaan" in text_of(confirm)
    # the button, the end of its reminder, the record's delete (on PostgreSQL it goes alone:
    # it cascades to tables it does not name)
    deleted = await trips(engine, dm.press("Ja, verwijder dit verslag", replies=confirm))
    assert deleted == (3 if engine.db.kind == "postgresql" else 2)
    assert "verwijderd" in text_of(dm.last)
    assert "bestaat niet meer" in text_of(
        await dm.press("Ja, verwijder dit verslag", replies=confirm)
    )
    assert "bestaat niet meer" in text_of(await dm.press("1: verwijderen", replies=listing))
    assert await engine.db.scalar("SELECT COUNT(*) FROM gesprekken") == 0
    statuses = await engine.db.all("SELECT status FROM herinneringen WHERE kind = 'terugblik'")
    assert [r["status"] for r in statuses] == ["cancelled"]  # found by its payload
    post.clock.set(utc(2026, 3, 16, 8, 0))
    assert await post.tick() == []


async def test_terugblik_for_a_record_deleted_behind_its_back(
    engine: Engine, dm: Chat, post: Post
) -> None:
    await record(dm)
    terugblik = await dm.cmd("acties")
    await engine.db.execute("DELETE FROM gesprekken")
    post.clock.set(utc(2026, 3, 16, 8, 0))
    [sent] = await post.tick()
    assert "gespreksverslag dat niet meer bestaat" in sent.reply.plain
    assert sent.reply.buttons == ()
    assert "bestaat niet meer" in text_of(await dm.press("1: andere datum", replies=terugblik))
