"""The whole path of a volunteer on the engine: a helping thought and its reminder, the cards,
a recorded conversation, the terugblik at the term, answering it, and "niets vernomen"."""

from __future__ import annotations

from bot.core.engine import Engine
from tests.conftest import CONTENT, Chat, Post, replies, text_of, utc

KAART = CONTENT.gesprek.kaart
WERKBOEK = CONTENT.gesprek.werkboek


async def active_reminders(engine: Engine, kind: str) -> list[str]:
    rows = await engine.db.all(
        "SELECT due_at FROM herinneringen WHERE kind = ? AND status = 'active'", (kind,)
    )
    return [r["due_at"] for r in rows]


async def test_volunteer_path(engine: Engine, dm: Chat, post: Post) -> None:
    # a blocking thought, a helping thought, and a reminder before a planned conversation
    text = text_of(await dm.cmd("gedachte"))
    assert "Welke van de belemmerende gedachten hiernaast herken jij?" in text
    assert "Bron: Movisie, In gesprek over eenzaamheid" in text
    text = text_of(await dm.press("1. Ik vind het onderwerp confronterend voor mezelf."))
    assert "Je herkent: Ik vind het onderwerp confronterend voor mezelf." in text
    assert "Kies een helpende gedachte uit onderstaande lijst" in text
    text = text_of(await dm.press("2. Ik hoef het niet op te lossen."))
    assert "maak er een mooie reminder van voor jezelf" in text
    await dm.press("Eén keer, voor een gesprek")
    assert dm.last[0].expects_text
    assert "dinsdag 3 maart om 14:30" in text_of(await dm.text("3-3 14:30"))

    assert await post.tick() == []
    post.clock.set(utc(2026, 3, 3, 13, 29))
    assert await post.tick() == []
    [sent] = await post.at(minutes=1)
    assert sent.target.user_id == "an" and sent.target.conversation_id == "dm-an"
    reminder = sent.reply.plain
    assert "Ik hoef het niet op te lossen." in reminder
    assert any(
        f"Tip bij stap 1, Essentiële basishouding: {t.tekst}" in reminder
        for t in KAART.stap(1).tips
    )
    assert "Bron: Movisie, In gesprek over eenzaamheid" in reminder
    assert [b.label for b in sent.reply.buttons] == [
        "Herinnering wijzigen",
        "Stop deze herinnering",
    ]
    assert await post.at(minutes=5) == []

    # preparing with the cards
    text = text_of(await dm.cmd("gesprek"))
    assert "Stap 1 van 5 · Essentiële basishouding" in text
    assert "Neem een rustige, open luisterhouding aan." in text
    text = text_of(await dm.press("Volgende ▶"))
    assert "Stap 2 van 5" in text and "Hoe is het met je? Hoe voel je je?" in text
    assert "Oordeel niet. Je hoeft het niet op te lossen." in text
    assert "Stap 1 van 5" in text_of(await dm.press("◀ Vorige"))
    for n in range(2, 6):
        text = text_of(await dm.press("Volgende ▶"))
        assert f"Stap {n} van 5" in text
    assert "Hoe vonden jullie het gesprek gaan?" in text
    assert [b.label for b in dm.last[0].buttons] == ["◀ Vorige", "Verslag maken"]

    # recording the conversation, answer by answer
    assert "Wanneer vond het gesprek plaats?" in text_of(await dm.press("Verslag maken"))
    assert "Met wie" in text_of(await dm.text("gisteren"))
    assert "Wat zou je het liefste willen?" in text_of(await dm.text("Mia"))
    assert "Welke ideeën of mogelijkheden komen op?" in text_of(await dm.text("Weer zingen"))
    assert "Maak afspraken voor vervolg" in text_of(await dm.text("Koor in het buurthuis"))
    text = text_of(await dm.text("Samen naar de eerste repetitie"))
    assert "Hoe gemotiveerd ben je om de afgesproken stap te zetten" in text
    assert "Hoeveel vertrouwen heb je" in text_of(await dm.press("7"))
    assert "Vraag de persoon zelf terug te koppelen" in text_of(await dm.text("6"))
    text = text_of(await dm.press("Over 2 weken"))
    assert "Je verslag is bewaard" in text and "dinsdag 17 maart om 09:00" in text  # 3 + 14 days
    row = await engine.db.one("SELECT * FROM gesprekken")
    assert (
        row["datum"],
        row["met"],
        row["wens"],
        row["ideeen"],
        row["stap"],
        row["motivatie"],
        row["vertrouwen"],
        row["terugblik_op"],
        row["status"],
    ) == (
        "2026-03-02",
        "Mia",
        "Weer zingen",
        "Koor in het buurthuis",
        "Samen naar de eerste repetitie",
        7,
        6,
        "2026-03-17",
        "klaar",
    )
    assert "Samen naar de eerste repetitie" in text_of(await dm.cmd("acties"))

    # the terugblik at the term
    post.clock.set(utc(2026, 3, 17, 7, 59))
    assert await post.tick() == []
    [sent] = await post.at(minutes=1)
    terugblik = sent.reply.plain
    assert "Je gesprek van maandag 2 maart met Mia" in terugblik
    for vraag in WERKBOEK.terugblikken.vragen:
        assert vraag.tekst in terugblik
    for vraag in KAART.terugblikvragen():
        assert vraag.tekst in terugblik
    assert "Bron: Movisie / HAN, Eenzaam ben je niet alleen, §10.1" in terugblik
    message = replies([sent])

    text = text_of(await dm.press("Terugblik invullen", replies=message))
    assert "Vraag 1 van 10" in text and "Welke acties zijn ondernomen?" in text
    text = text_of(await dm.text("Ze is één keer mee geweest"))
    assert "Wat was de belangrijkste verandering?" in text
    labels = [b.label for r in dm.last for b in r.buttons]
    assert labels.count("Stop hier") == 1 and "Stop" not in labels  # one way to end
    again = text_of(await dm.press("◀ Terug"))
    assert "Welke acties zijn ondernomen?" in again
    assert "Je antwoordde: Ze is één keer mee geweest" in again
    await dm.text("Ze is twee keer mee geweest")
    await dm.press("Sla over")
    await dm.text("Het vervoer 's avonds")
    assert "Je terugblik is bewaard" in text_of(await dm.press("Stop hier"))
    answers = await engine.db.all("SELECT vraag, antwoord FROM terugblik_antwoorden ORDER BY vraag")
    assert [(a["vraag"], a["antwoord"]) for a in answers] == [
        ("t1", "Ze is twee keer mee geweest"),
        ("t3", "Het vervoer 's avonds"),
    ]

    # nothing heard: the workbook's advice, and a new term
    text = text_of(await dm.press("Ik heb niets vernomen", replies=message))
    assert WERKBOEK.terugblikken.niets_vernomen in text
    assert WERKBOEK.nogmaals_aangaan.tekst in text
    assert "§10.1 en §6.7" in text
    assert "Wanneer blik je opnieuw terug?" in text
    assert "dinsdag 24 maart om 09:00" in text_of(await dm.text("7"))
    assert await active_reminders(engine, "terugblik") == ["2026-03-24T08:00:00+00:00"]
    [again] = await post.at(days=7)
    assert "Tijd om terug te blikken" in again.reply.plain

    listing = text_of(await dm.cmd("gesprekken"))
    assert "Terugblik dinsdag 17 maart: niets vernomen" in listing
    assert "Welke acties zijn ondernomen? Ze is twee keer mee geweest" in listing
