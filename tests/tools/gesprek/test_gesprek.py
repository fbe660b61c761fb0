"""`gesprek`: the five cards with their tips and questions, quoted from the sources."""

from __future__ import annotations

from bot.core import buttons
from bot.core.engine import Engine
from bot.core.replies import Reply
from bot.text.long import MESSAGE_BUDGET
from tests.conftest import CONTENT, Chat, text_of

KAART = CONTENT.gesprek.kaart


async def test_every_card_quotes_its_tips_and_questions(dm: Chat) -> None:
    for n in range(1, 6):
        replies = await dm.cmd(f"gesprek {n}")
        text = text_of(replies)
        stap = KAART.stap(n)
        assert f"Stap {n} van 5 · {stap.titel}" in text and stap.uitleg in text
        assert all(tip.tekst in text for tip in stap.tips)
        for onderdeel in stap.onderdelen:
            assert all(vraag.tekst in text for vraag in onderdeel.vragen)
            assert all(" ".join(g.vragen) in text for g in onderdeel.levensgebieden)
            if onderdeel.soort == "fase":  # the phase texts of steps 2 and 4 are shown
                assert all(alinea in text for alinea in onderdeel.tekst), onderdeel.titel
        assert text.endswith("Bron: Movisie, In gesprek over eenzaamheid")
        labels = [b.label for b in replies[0].buttons]
        assert ("◀ Vorige" in labels) == (n > 1)
        assert ("Volgende ▶" in labels) == (n < 5) and ("Verslag maken" in labels) == (n == 5)
    card = text_of(await dm.cmd("gesprek 4"))
    assert all(wens in card for wens in KAART.wensen())
    assert "Fase 2: Welke ideeën of mogelijkheden komen op?\nJe brainstormt nu samen" in card


async def test_pressing_a_card_button_twice_shows_the_same_card(dm: Chat) -> None:
    first = await dm.cmd("gesprek")
    assert "Stap 2 van 5" in text_of(await dm.press("Volgende ▶", replies=first))
    assert "Stap 2 van 5" in text_of(await dm.press("Volgende ▶", replies=first))


async def test_workbook_tips_and_usage(dm: Chat) -> None:
    await dm.cmd("gesprek 2")
    text = text_of(await dm.press("Tips uit het werkboek"))
    tips = CONTENT.gesprek.werkboek.bespreekbaar_maken
    assert all(t in text for t in (*tips.doen, *tips.niet_doen))
    assert "Op welke moment voelt u zich eenzaam?" in text
    vragen = CONTENT.gesprek.werkboek.voorbeeldvragen
    assert all(line in text for line in vragen.instructie)
    assert (
        "Wat betekenen deze contacten voor u?\n       Achterliggende vraag: komen de contacten "
        "overeen met de verwachtingen?" in text
    )
    assert all(v.toelichting in text for v in vragen.vragen if v.toelichting)
    assert "Bron: Movisie / HAN, Eenzaam ben je niet alleen, §6.9 en §7.6" in text
    assert "gesprek verslag" in text_of(await dm.cmd("gesprek 9"))
    await dm.cmd("gesprek 1")
    assert "Belemmerende gedachten" in text_of(await dm.press("Kies een helpende gedachte"))


async def test_in_a_group_it_is_done_privately(engine: Engine, dm: Chat) -> None:
    await dm.cmd("gesprekken")
    group = Chat(engine, "team")
    here, private = await group.cmd("gesprek")
    assert here.audience.value == "quiet" and "privé" in here.plain and not here.buttons
    assert private.audience.value == "dm" and "Stap 1 van 5" in private.plain
    assert "Stap 2 van 5" in text_of(await dm.press("Volgende ▶", replies=[private]))
    assert "ander gesprek" in text_of(await group.press("Volgende ▶", replies=[private]))


async def test_weerstand_tips_as_cards(dm: Chat) -> None:
    from tests.conftest import CONTENT, text_of

    tips = CONTENT.achtergrond.tekst("weerstand").blok("tips").punten
    step1 = await dm.cmd("gesprek")
    card = await dm.press("Tips bij weerstand", replies=step1)
    seen = [text_of(card)]
    for _ in range(len(tips) - 1):
        card = await dm.press("Volgende tip ▶", replies=card)
        seen.append(text_of(card))
    assert "Volgende tip ▶" not in [b.label for r in card for b in r.buttons]
    for n, (tip, shown) in enumerate(zip(tips, seen, strict=True), start=1):
        assert f"tip {n} van 7" in shown and tip in shown
        assert "Tips: Hoe kunt u het beste reageren op weerstand?" in shown
        assert "Eenzaam ben je niet alleen, §6.5" in shown
    assert "Waar komt weerstand vandaan?" in seen[0]
    back = await dm.press("◀ Vorige tip", replies=card)
    assert tips[5] in text_of(back)
    assert tips[0] in text_of(await dm.cmd("gesprek weerstand"))


async def test_meer_weten_boxes_behind_a_button_on_the_cards_that_have_them(dm: Chat) -> None:
    """The card's "Meer weten?" boxes: reading for steps 1 and 3, van mens tot mens, de kunst
    om aan te sluiten and reflectief luisteren for step 2, the support forms for step 4."""
    kaart = CONTENT.gesprek.kaart
    for n in range(1, 6):
        card = await dm.cmd(f"gesprek {n}")
        labels = [b.label for b in card[0].buttons]
        stap = kaart.stap(n)
        if stap.meer_weten is None and stap.ondersteuningsvormen is None:
            assert "Meer weten?" not in labels
            continue
        more = await dm.press("Meer weten?", replies=card)
        text = text_of(more)
        assert all(len(r.plain) <= MESSAGE_BUDGET for r in more)
        assert text.startswith(f"Meer weten? · stap {n}")
        assert "Bron: Movisie, In gesprek over eenzaamheid" in more[-1].plain
        assert f"◀ Terug naar stap {n}" in [b.label for b in more[-1].buttons]
        for deel in stap.meer_weten.onderdelen if stap.meer_weten else []:
            for tekst in [*deel.tekst, *deel.literatuur, *(b.uitleg for b in deel.begrippen)]:
                assert tekst in text
            if deel.titel:
                assert deel.titel in text
            if deel.url:
                assert deel.url in text
        if stap.ondersteuningsvormen:
            assert all(v.tekst in text for v in stap.ondersteuningsvormen.vormen)
        back = await dm.press(f"◀ Terug naar stap {n}", replies=more)
        assert text_of(back).startswith(f"Stap {n} van 5")
    step2 = text_of(await dm.press("Meer weten?", replies=await dm.cmd("gesprek 2")))
    for title in (
        "Van mens tot mens",
        "De kunst om aan te sluiten",
        "De werking van reflectief luisteren",
        "Miller, W.R & S. Rollnick (2014)",
    ):
        assert title in step2


async def test_meer_weten_with_a_forged_payload_shows_the_first_card(
    engine: Engine, dm: Chat
) -> None:
    await dm.cmd("gesprek")
    conversation = await engine.db.scalar(
        "SELECT id FROM conversations WHERE external_id = 'dm-an'"
    )
    for payload in ({"n": 5}, {"n": 99}, {"n": "2"}, {}, {"n": None}):
        forged = await buttons.make(
            engine.db, conversation, "x", "gesprek.meerweten", payload, "2026-03-02T11:00:00+00:00"
        )
        shown = await dm.press("x", replies=[Reply(text=(), buttons=(forged,))])
        assert text_of(shown).startswith("Stap 1 van 5"), payload
