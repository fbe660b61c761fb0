"""The 7-step plan: where the team stands, and the checklist and impact questions of an action."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.text.long import MESSAGE_BUDGET
from bot.tools.intervisie.store.teamacties import Teamacties
from content.schemas.stappenplan import Citaat, Lijst
from tests.conftest import CONTENT, Chat, overtaken, text_of, trips
from tests.tools.intervisie.conftest import team

PLAN = CONTENT.stappenplan


async def test_team_marks_where_it_stands(chat: Chat) -> None:
    await team(chat.engine)
    overview = text_of(await chat.cmd("stappenplan", who="Cas"))
    assert "⬜ 3. Waar ben je al mee bezig? (nog niet gestart)" in overview
    step = await chat.cmd("stappenplan 3", who="Cas")
    assert PLAN.stap("waar-ben-je-al-mee-bezig").vragen[0] in text_of(step)
    assert not step[0].buttons and "Coördinatoren duiden aan" in text_of(step)
    assert "staat op bezig" in text_of(await chat.cmd("stappenplan 3 bezig we inventariseren"))
    step = await chat.cmd("stappenplan 3")
    assert "✅" in text_of(await chat.press("Stap 3: klaar", replies=step))
    overview = text_of(await chat.cmd("stappenplan", who="Cas"))
    assert "✅ 3. Waar ben je al mee bezig? (klaar): we inventariseren" in overview
    assert "Kies een stap van 1 tot en met 7" in text_of(await chat.cmd("stappenplan 9"))
    assert "Zo duid je aan" in text_of(await chat.cmd("stappenplan 3 misschien"))
    menu = await chat.cmd("stappenplan")
    elements = text_of(await chat.press("Werkzame elementen", who="Cas", replies=menu))
    assert PLAN.werkzame_elementen.elementen[0].betekenis in elements
    assert PLAN.randvoorwaarden.inleiding in text_of(await chat.cmd("stappenplan randvoorwaarden"))


async def test_checklist_and_impact_stored_with_the_action(chat: Chat) -> None:
    await team(chat.engine)
    created = await chat.cmd("acties team nieuw Koffie & Contact opstarten @bo 30-04-2026")
    first = text_of(await chat.press("Checklist (stappenplan)", replies=created))
    assert PLAN.checklist.uitleg in first and "Potentieel werkzame elementen" in first
    assert "Typ nummers van 1 tot en met 19" in text_of(await chat.text("4, 99"))
    await chat.text("4, 11")  # werkzame elementen
    await chat.text("1")  # actie
    await chat.text("-")  # leeftijdsgroepen
    await chat.text("3 5")  # doelgroepen
    await chat.text("1,2")  # partners
    await chat.text("Buurtbewoners en het lokaal dienstencentrum")  # participatie
    await chat.text("-")  # waarom
    impact_start = text_of(await chat.text("Een wekelijkse koffieochtend"))  # impact 1
    assert PLAN.impactanalyse.vragen[1] in impact_start
    for answer in ("Vrijwilligers van de buurt", "De bib", "Nieuwe contacten"):
        await chat.text(answer)
    done = text_of(await chat.text("We tellen wie terugkomt."))
    assert "bewaard bij actie 1" in done
    werkzaam = PLAN.checklist.dimensie("werkzame-elementen").opties
    assert f"Potentieel werkzame elementen: {werkzaam[3]}, {werkzaam[10]}" in done
    shown = text_of(await chat.cmd("stappenplan checklist 1", who="Cas"))
    assert "Buurtbewoners en het lokaal dienstencentrum" in shown and "De bib" in shown
    export = (await chat.cmd("acties team export"))[0].attachment
    assert export is not None
    assert f"### {PLAN.checklist.titel}" in export.content
    assert "- Participatie: Buurtbewoners en het lokaal dienstencentrum" in export.content
    assert f"### {PLAN.impactanalyse.titel}" in export.content
    assert f"- {PLAN.impactanalyse.vragen[4]} We tellen wie terugkomt." in export.content
    assert "Leeftijdsgroepen" not in export.content, "a skipped column is left out"


async def to_the_last_question(chat: Chat) -> None:
    created = await chat.cmd("acties team nieuw Koffie & Contact opstarten @bo 30-04-2026")
    await chat.press("Checklist (stappenplan)", replies=created)
    for answer in ("4", "1", "-", "-", "-", "Buurtbewoners", "-", "-", "-", "-", "-"):
        await chat.text(answer)


async def test_the_checklist_lands_with_its_last_answer_in_three_round_trips(
    chat: Chat, engine: Engine
) -> None:
    """The question that waits, the action, then the checklist with the question's end: no
    transaction, and the action is not read back for the reply."""
    await team(engine)
    await to_the_last_question(chat)
    assert await trips(engine, chat.text("We tellen wie terugkomt.")) == 3
    done = text_of(chat.last)
    assert "bewaard bij actie 1" in done and "We tellen wie terugkomt." in done
    assert "Buurtbewoners" in text_of(await chat.cmd("stappenplan checklist 1", who="Cas"))


async def test_a_last_answer_sent_twice_at_once_stores_the_first(
    chat: Chat, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer that read first is written last: the question has ended, so it stores
    nothing and says so."""
    await team(engine)
    await to_the_last_question(chat)
    late, first = await overtaken(
        monkeypatch,
        Teamacties,
        "get",
        chat.text("Wie terugkomt."),
        lambda: chat.text("We tellen wie terugkomt."),
    )
    assert "bewaard bij actie 1" in text_of(first)
    assert "al ingevuld of gestopt" in text_of(late)
    impact = str(await engine.db.scalar("SELECT impact FROM teamacties"))
    assert "We tellen wie terugkomt." in impact and '"Wie terugkomt.' not in impact


async def test_a_last_answer_after_its_action_left_the_list_stores_nothing(
    chat: Chat, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The action was read, then taken off the list before the answer was written: the
    question does not end as saved, and the reply says nothing was kept."""
    await team(engine)
    await to_the_last_question(chat)
    late, _ = await overtaken(
        monkeypatch,
        Teamacties,
        "get",
        chat.text("We tellen wie terugkomt."),
        lambda: chat.cmd("acties team weg 1"),
    )
    assert "niet meer op de lijst" in text_of(late) and "bewaard bij" not in text_of(late)
    assert await engine.db.scalar("SELECT COUNT(*) FROM teamacties") == 0


async def test_abandoned_checklist_stores_nothing_and_members_cannot_start_one(chat: Chat) -> None:
    await team(chat.engine)
    created = await chat.cmd("acties team nieuw Buurtbanken plaatsen @bo 30-04-2026")
    assert "Alleen coördinatoren" in text_of(
        await chat.press("Checklist (stappenplan)", who="Bo", replies=created)
    )
    assert "nog geen checklist" in text_of(await chat.cmd("stappenplan checklist 1", who="Cas"))
    await chat.cmd("stappenplan checklist 1")
    await chat.text("1")
    await chat.text("2")
    await chat.cmd("stappenplan")  # moved on: the open question is withdrawn
    assert await chat.text("3") == []
    assert await chat.engine.db.scalar("SELECT checklist FROM teamacties") is None
    assert "Voor welke actie?" in text_of(await chat.cmd("stappenplan checklist 5"))


async def test_the_toolkits_own_texts_where_the_team_meets_them(chat: Chat) -> None:
    """Waarom deze toolkit? (five questions), the persona method's benefits in step 5,
    Kortenaken and "Wist je dat …" in step 6, and step 7's ten practices in full behind
    Meer lezen; no message longer than reads well on a phone."""
    await team(chat.engine)
    menu = await chat.cmd("stappenplan", who="Cas")
    waarom = text_of(await chat.press("Waarom deze toolkit?", who="Cas", replies=menu))
    assert PLAN.waarom.uitleg in waarom
    assert all(f"• {vraag}" in waarom for vraag in PLAN.waarom.vragen)
    assert text_of(await chat.cmd("stappenplan waarom")) == waarom

    five = await chat.cmd("stappenplan 5", who="Cas")
    assert all(len(r.plain) <= MESSAGE_BUDGET for r in five)
    voordelen = next(o for o in PLAN.stap("personas").onderdelen if o.id == "voordelen")
    assert voordelen.titel in text_of(five)
    assert all(f"• {punt}" in text_of(five) for punt in voordelen.punten)
    assert five[-1].plain.rstrip().endswith("met stappenplan 5 bezig.")

    six = text_of(await chat.cmd("stappenplan 6", who="Cas"))
    onderbouwing = PLAN.stap("onderbouwing-en-impact").onderdelen
    voorbeeld = next(o.voorbeeld for o in onderbouwing if o.voorbeeld)
    assert f"{voorbeeld.inleiding}\n{voorbeeld.titel}" in six
    assert all(f"{r.kop}: {r.tekst}" in six for r in voorbeeld.rijen)
    wist = next(o for o in onderbouwing if o.id == "wist-je-dat")
    assert f"Wist je dat …\n{wist.uitleg}\n1. {wist.punten[0]}" in six and (wist.slot or "") in six

    seven = await chat.cmd("stappenplan 7", who="Cas")
    assert len(seven) == 1 and "Meer lezen" in [b.label for b in seven[0].buttons]
    praktijken = PLAN.praktijken()
    assert all(f"• {p.titel}" in seven[0].plain for p in praktijken)
    full = await chat.press("Meer lezen", who="Cas", replies=seven)
    text = text_of(full)
    assert len(full) > 1 and all(len(r.plain) <= MESSAGE_BUDGET for r in full)
    for p in praktijken:
        assert f"🌱 {p.titel}" in text and "; ".join(p.doelgroep) in text
        for punt in [*p.doelstellingen, *p.werkzame_elementen]:
            assert f"• {punt.tekst}" in text and all(d in text for d in punt.details)
        assert all(alinea in text for alinea in p.projectomschrijving)
        assert p.contact is None or p.contact in text
    assert "stap 7" in full[-1].plain and text_of(await chat.cmd("stappenplan praktijken")) == text


async def test_every_step_shows_its_full_text(chat: Chat) -> None:
    """`stappenplan <n>` shows the step's whole running text, every paragraph, list item and
    quote of the step and of its parts, word for word and in the source's order, over messages
    that each read well on a phone; step 6 ends with the impact analysis."""
    await team(chat.engine)
    for stap in PLAN.stappen:
        replies = await chat.cmd(f"stappenplan {stap.nummer}", who="Cas")
        assert all(len(r.plain) <= MESSAGE_BUDGET for r in replies), stap.nummer
        shown = text_of(replies)
        blokken = [*stap.tekst, *(b for o in stap.onderdelen for b in o.tekst)]
        assert blokken, stap.nummer
        where = 0
        for blok in blokken:
            if isinstance(blok, Lijst):
                for item in blok.lijst:
                    assert f"• {item}" in shown, item
            elif isinstance(blok, Citaat):
                assert f"{blok.citaat}\n– {blok.wie}" in shown
            else:
                found = shown.find(blok, where)
                assert found >= 0, (stap.nummer, blok[:60])
                where = found
        assert f"stap {stap.nummer}." in replies[-1].plain
    five = text_of(await chat.cmd("stappenplan 5", who="Cas"))
    assert "Het idee van de “vroemvrijwilligers” ontstond." in five
    six = await chat.cmd("stappenplan 6")
    analyse = PLAN.impactanalyse
    assert f"{analyse.titel}\n{analyse.inleiding}" in text_of(six)
    assert analyse.slot and analyse.slot in text_of(six)
    table = text_of(await chat.press("Tabel 1: werkzame elementen", replies=six))
    assert PLAN.werkzame_elementen.elementen[-1].betekenis in table


async def test_checklist_back_shows_the_answer_and_stop_keeps_the_earlier_checklist(
    chat: Chat,
) -> None:
    await team(chat.engine)
    await chat.cmd("acties team nieuw Buurtbanken plaatsen @bo 30-04-2026")
    await chat.cmd("stappenplan checklist 1")
    assert "Dit is de eerste vraag" in text_of(await chat.text("terug"))
    await chat.text("4, 11")
    await chat.text("1")
    assert await chat.text("terug", who="Cas") == []  # the checklist is the coordinator's
    back = text_of(await chat.text("vorige"))
    assert "Je antwoordde: 1." in back and "(2/" in back
    back = text_of(await chat.text("terug"))
    assert "Je antwoordde: 4, 11." in back and "(1/" in back
    following = text_of(await chat.text("5"))  # changed
    assert "(2/" in following and "Je antwoordde" not in following
    await chat.text("2")
    await chat.text("-")
    await chat.text("3")
    await chat.text("1")
    await chat.text("De buren zelf")  # participatie
    assert "Je antwoordde: De buren zelf" in text_of(await chat.text("terug"))
    await chat.text("-")  # skipped now: the earlier answer goes
    for answer in ("-", "Een bank per straat", "-", "De stad"):
        await chat.text(answer)
    impact = text_of(await chat.text("terug"))
    assert "Je antwoordde: De stad" in impact
    await chat.text("Het stadsbestuur")
    await chat.text("-")
    done = text_of(await chat.text("Iedereen die er zit"))
    assert "bewaard bij actie 1" in done and "terug" not in done.lower().split("actie 1")[1]
    werkzaam = PLAN.checklist.dimensie("werkzame-elementen").opties
    assert f"Potentieel werkzame elementen: {werkzaam[4]}\n" in done
    assert "De buren zelf" not in done and "Het stadsbestuur" in done and "De stad\n" not in done

    await chat.cmd("stappenplan checklist 1")  # a second run, stopped after back
    await chat.text("7")
    await chat.text("terug")
    stopped = text_of(await chat.text("stop"))
    assert "we stoppen hier voor nu met de checklist" in stopped and "niets van bewaard" in stopped
    shown = text_of(await chat.cmd("stappenplan checklist 1", who="Cas"))
    assert f"Potentieel werkzame elementen: {werkzaam[4]}" in shown and werkzaam[6] not in shown
