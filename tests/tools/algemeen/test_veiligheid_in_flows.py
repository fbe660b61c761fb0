"""Issue 12 through the engine, in a DM and inside each flow (plan, verslag, reflectie,
terugblik, gedachte): distress is answered first and the flow waits for the person's choice;
`hulp nu` and `stop` always reach; loneliness talk gets a warm answer; the country per person
and per team."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from bot.core import flows
from bot.core.clock import FakeClock
from bot.core.context import Ctx
from bot.core.engine import Engine
from bot.core.replies import Reply
from bot.core.router import Flow
from tests.conftest import CONTENT, Chat, Post, Setup, overtaken, text_of, trips, utc
from tests.tools.reflectie.helpers import start, traces

DISTRESS = "Eerlijk gezegd zie ik het niet meer zitten, ik wil er niet meer zijn"
BYSTANDER = "Mijn buurman zei vandaag dat hij er een eind aan wil maken"
CRISIS_START = "💛 Wat je schrijft, klinkt alsof het nu heel zwaar is."
REFLECTOR = CONTENT.reflectoren.get("gesprek-van-waarde")


@pytest.fixture
def dm(engine: Engine) -> Chat:
    return Chat(engine, "dm-an", group=False)


@pytest.fixture
def post(engine: Engine, clock: FakeClock) -> Post:
    return Post(engine, clock)


@dataclass(frozen=True)
class InFlow:
    name: str
    kind: str
    label: str
    enter: Callable[[Chat, Post], Awaitable[object]]
    next_question: str
    """What the flow says after an answer was typed: it moved on."""
    resume: str


async def _plan(dm: Chat, post: Post) -> object:
    return await dm.cmd("plan")


async def _verslag(dm: Chat, post: Post) -> object:
    await dm.cmd("gesprek verslag")
    await dm.text("gisteren")
    return await dm.text("Mia")  # now: "Wat zou je het liefste willen?"


async def _reflectie(dm: Chat, post: Post) -> object:
    return await start(dm, REFLECTOR)


async def _terugblik(dm: Chat, post: Post) -> object:
    await dm.cmd("gesprek verslag")
    for answer in ("vandaag", "Mia", "Weer zingen", "Koor", "Samen gaan", "7", "7", "7"):
        await dm.text(answer)
    post.clock.set(utc(2026, 3, 9, 8, 0))
    sent = await post.tick()
    reminder = [o.reply for o in sent if "terug te blikken" in o.reply.plain]
    return await dm.press("Terugblik invullen", replies=reminder)


async def _gedachte(dm: Chat, post: Post) -> object:
    await dm.cmd("gedachte")
    return await dm.press("Zelf een gedachte schrijven")


FLOWS = [
    InFlow("plan", "plan", "je persoonlijk plan", _plan, "Wat zijn je eerste stappen?", "plan"),
    InFlow(
        "verslag",
        "verslag",
        "je gespreksverslag",
        _verslag,
        "Welke ideeën of mogelijkheden komen op?",
        "gesprek verslag",
    ),
    InFlow("reflectie", "reflectie", "je reflectie", _reflectie, "2 van 12", "reflectie"),
    InFlow("terugblik", "terugblik", "je terugblik", _terugblik, "Vraag 2 van 10", ""),
    InFlow(
        "gedachte",
        "gedachte",
        "je gedachte",
        _gedachte,
        "Kies een helpende gedachte",
        "gedachte nieuw",
    ),
]
IDS = [f.name for f in FLOWS]


async def open_step(engine: Engine, kind: str) -> tuple[str, str] | None:
    row = await engine.db.one(
        "SELECT step, status FROM flows WHERE kind = ? ORDER BY id DESC LIMIT 1", (kind,)
    )
    return None if row is None else (row["step"], row["status"])


def labels(replies: list[Reply]) -> list[str]:
    return [b.label for r in replies for b in r.buttons]


# --- answered first, and the flow waits ----------------------------------------------------


@pytest.mark.parametrize("flow", FLOWS, ids=IDS)
async def test_distress_in_a_flow_is_answered_first_and_the_flow_waits(
    engine: Engine, dm: Chat, post: Post, flow: InFlow
) -> None:
    await flow.enter(dm, post)
    before = await open_step(engine, flow.kind)
    replies = await dm.text(DISTRESS)
    assert len(replies) == 1
    text = replies[0].plain
    assert text.startswith(CRISIS_START)
    assert text.index("Zelfmoordlijn 1813: bel 1813") < text.index(f"Je was bezig met {flow.label}")
    assert "Tele-Onthaal: bel 106" in text and "bel 112" in text
    assert "Ik reageer op commando's" not in text and flow.next_question not in text
    assert labels(replies)[:2] == ["Ga verder", "Stop voor nu"]
    assert await open_step(engine, flow.kind) == before  # the flow did not move on
    assert "zie ik het niet meer zitten" not in text  # nothing of it is repeated


async def stored_once(engine: Engine) -> bool:
    """The paused text is one answer in the tool, and held nowhere any more."""
    stored = await traces(engine.db, [DISTRESS])
    return len(stored) == 1 and not stored[0].startswith("flows.")


@pytest.mark.parametrize("flow", FLOWS, ids=IDS)
async def test_go_on_keeps_the_text_as_the_answer(
    engine: Engine, dm: Chat, post: Post, flow: InFlow
) -> None:
    """The press reads the pause and the question with the button; where the question guards
    its answer (`answers_once`) the pause is deleted with the question's own read and the
    answer lands as its question guards it: three trips; elsewhere the pause is taken first
    (a reflection's answer and the plan's are guarded by the run or the plan): four."""
    await flow.enter(dm, post)
    pause = await dm.text(DISTRESS)
    limit = 3 if flow.kind in engine.router.flows_answered_once else 4
    assert await trips(engine, dm.press("Ga verder")) <= limit
    assert flow.next_question in text_of(dm.last)  # as if it had been typed
    assert await stored_once(engine)  # in the tool, not held
    # pressed again: the pause, read with the press, is gone
    assert await trips(engine, dm.press("Ga verder", replies=pause)) == 1
    assert "verlopen" in text_of(dm.last)
    assert await stored_once(engine)


@pytest.mark.parametrize("flow", FLOWS, ids=IDS)
async def test_go_on_pressed_twice_at_once_on_two_processes_stores_the_text_once(
    setup: Setup, flow: InFlow
) -> None:
    """Two presses of "Ga verder" at the same moment, each on its own process: of the two
    answers the question's guard lets one land (the other hears it was answered), or the later
    press finds the pause gone."""
    one, other = await setup.engine(), await setup.engine()
    dm = Chat(one, "dm-an", group=False)
    await flow.enter(dm, Post(one, setup.clock))
    pause = await dm.text(DISTRESS)
    first, second = await asyncio.gather(
        dm.press("Ga verder", replies=pause),
        Chat(other, "dm-an", group=False).press("Ga verder", replies=pause),
    )
    assert flow.next_question in text_of(first) + text_of(second)
    assert await stored_once(one)


@pytest.mark.parametrize("flow", FLOWS, ids=IDS)
async def test_go_on_overtaken_by_a_second_press_stores_the_text_once(
    engine: Engine, dm: Chat, post: Post, flow: InFlow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A press that read the pause before a second press of it ran whole: the question it
    read has been answered meanwhile, and the text is not stored again, nor as the answer
    to the next question."""
    await flow.enter(dm, post)
    pause = await dm.text(DISTRESS)
    late, second = await overtaken(
        monkeypatch,
        flows,
        "find",
        dm.press("Ga verder", replies=pause),
        lambda: dm.press("Ga verder", replies=pause),
    )
    assert flow.next_question in text_of(second)
    assert await stored_once(engine)
    assert "Er ging iets mis" not in text_of(late)


async def test_stop_for_now_overtaken_by_go_on_says_nothing_untrue(
    engine: Engine, dm: Chat, post: Post, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While "Ga verder" waited after reading the pause, "Stop voor nu" took it; then the
    answer landed: the stop does not stop the question the answer moved on, nor says the text
    was not kept."""
    flow = FLOWS[1]  # verslag: its answer is guarded by its question's flow
    assert flow.kind in engine.router.flows_answered_once
    await flow.enter(dm, post)
    pause = await dm.text(DISTRESS)
    read, go, taken, stop = asyncio.Event(), asyncio.Event(), asyncio.Event(), asyncio.Event()
    find, take = flows.find, flows.take

    async def held_find(ctx: Ctx, flow_id: Any, kind: str) -> flows.Found | None:
        found = await find(ctx, flow_id, kind)
        if not read.is_set():  # the first press, "Ga verder", waits after reading the pause
            read.set()
            await go.wait()
        return found

    async def held_take(ctx: Ctx, flow_id: Any, kind: str) -> Flow | None:
        taken_flow = await take(ctx, flow_id, kind)
        taken.set()  # "Stop voor nu" waits after taking it
        await stop.wait()
        return taken_flow

    monkeypatch.setattr(flows, "find", held_find)
    monkeypatch.setattr(flows, "take", held_take)
    going = asyncio.ensure_future(dm.press("Ga verder", replies=pause))
    await asyncio.wait_for(read.wait(), 5)
    stopping = asyncio.ensure_future(dm.press("Stop voor nu", replies=pause))
    await asyncio.wait_for(taken.wait(), 5)
    go.set()
    assert flow.next_question in text_of(await asyncio.wait_for(going, 5))
    stop.set()
    stopped = text_of(await asyncio.wait_for(stopping, 5))
    assert "al voorbij" in stopped and "niet bewaard" not in stopped
    assert await stored_once(engine)
    step = await open_step(engine, flow.kind)
    assert step is not None and step[1] == "open"


@pytest.mark.parametrize("flow", FLOWS, ids=IDS)
async def test_stop_for_now_stops_the_flow_and_keeps_nothing_of_the_text(
    engine: Engine, dm: Chat, post: Post, flow: InFlow
) -> None:
    await flow.enter(dm, post)
    await dm.text(DISTRESS)
    # the button with the question's flow, the paused text taken, the flow stopped
    assert await trips(engine, dm.press("Stop voor nu")) == 3
    text = text_of(dm.last)
    assert f"we stoppen hier voor nu met {flow.label}" in text
    assert (
        "Wat je eerder al invulde, blijft bewaard; wat je net schreef, heb ik niet bewaard" in text
    )
    if flow.resume:
        assert f"Verder gaan kan later met {flow.resume}" in text
    assert await traces(engine.db, [DISTRESS]) == []
    assert await open_step(engine, flow.kind) is not None
    step = await open_step(engine, flow.kind)
    assert step is not None and step[1] == "stopped"
    assert "Fijn dat je me schrijft" in text_of(await dm.text("Mia"))  # no answer any more


@pytest.mark.parametrize("names_question", [True, False], ids=["question", "neither"])
async def test_a_pause_button_made_before_it_named_the_pause_still_works(
    engine: Engine, dm: Chat, post: Post, names_question: bool
) -> None:
    """Buttons of a pause made before they named the pause's row (migration 22), or before they
    named the question's flow too (migration 19), hold only the pause in their payload: what
    they do not name is read apart."""
    flow = FLOWS[0]
    await flow.enter(dm, post)
    await dm.text(DISTRESS)
    for row in await engine.db.all("SELECT token, payload FROM buttons WHERE held_id IS NOT NULL"):
        payload = json.loads(row["payload"])
        if not names_question:
            await engine.db.execute(
                "UPDATE buttons SET payload = ?, flow_id = NULL WHERE token = ?",
                (json.dumps({"p": payload["p"]}), row["token"]),
            )
        await engine.db.execute(
            "UPDATE buttons SET held_id = NULL WHERE token = ?", (row["token"],)
        )
    assert flow.next_question in text_of(await dm.press("Ga verder"))
    assert await stored_once(engine)


async def test_go_on_after_the_question_moved_keeps_nothing(
    engine: Engine, dm: Chat, post: Post
) -> None:
    """The question was stopped with its own button while the pause waited: "Ga verder" says
    so, and the pause goes with the event's end."""
    flow = FLOWS[0]
    await flow.enter(dm, post)
    question = dm.last
    pause = await dm.text(DISTRESS)
    await dm.press("Stop", replies=question)
    assert await trips(engine, dm.press("Ga verder", replies=pause)) <= 2
    assert "Die vraag staat niet meer open, dus ik heb niets bewaard" in text_of(dm.last)
    assert await traces(engine.db, [DISTRESS]) == []
    assert "verlopen" in text_of(await dm.press("Stop voor nu", replies=pause))


async def test_go_on_where_the_answer_is_not_guarded_takes_the_pause_first(
    engine: Engine, dm: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note typed after a card in a DM is stored as it comes (a flow without
    `answers_once`): the pause is taken before the note is stored, so a press that read the
    pause before a second one ran whole finds it gone."""
    await dm.cmd("vraag groen")
    await dm.press("Noteer een aanknopingspunt")
    pause = await dm.text(DISTRESS)
    late, _ = await overtaken(
        monkeypatch,
        flows,
        "find",
        dm.press("Ga verder", replies=pause),
        lambda: dm.press("Ga verder", replies=pause),
    )
    assert "intussen al gekozen" in text_of(late)
    assert await stored_once(engine)


@pytest.mark.parametrize("flow", FLOWS, ids=IDS)
async def test_go_on_overtaken_by_stop_for_now_keeps_nothing(
    engine: Engine, dm: Chat, post: Post, flow: InFlow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A "Ga verder" that read the pause before "Stop voor nu" ran whole (two processes, or
    Slack, which keeps no order per chat): the stop said the text was not kept, and so it is
    not, whether the question's guard or the taken pause stops it."""
    await flow.enter(dm, post)
    pause = await dm.text(DISTRESS)
    late, stopped = await overtaken(
        monkeypatch,
        flows,
        "find",
        dm.press("Ga verder", replies=pause),
        lambda: dm.press("Stop voor nu", replies=pause),
    )
    assert "heb ik niet bewaard" in text_of(stopped)
    assert await traces(engine.db, [DISTRESS]) == []
    assert "Er ging iets mis" not in text_of(late)
    assert flow.next_question not in text_of(late)


@pytest.mark.parametrize("flow", FLOWS, ids=IDS)
async def test_someone_else_in_danger_inside_a_flow(
    engine: Engine, dm: Chat, post: Post, flow: InFlow
) -> None:
    await flow.enter(dm, post)
    replies = await dm.text(BYSTANDER)
    text = replies[0].plain
    assert text.startswith("💛 Wat je vertelt over iemand anders, klinkt ernstig.")
    assert "Maak je je zorgen om iemand anders? Ook dan kan je de Zelfmoordlijn 1813 bellen" in text
    assert labels(replies)[:2] == ["Ga verder", "Stop voor nu"]


# --- `hulp nu` and `stop` always reach -------------------------------------------------------


@pytest.mark.parametrize("typed", ["hulp nu", "Hulp nu!", "/hulp nu", "HULP  NU"])
@pytest.mark.parametrize("flow", FLOWS, ids=IDS)
async def test_hulp_nu_inside_a_flow_is_no_answer(
    engine: Engine, dm: Chat, post: Post, flow: InFlow, typed: str
) -> None:
    await flow.enter(dm, post)
    before = await open_step(engine, flow.kind)
    text = text_of(await dm.text(typed))
    assert "Zelfmoordlijn 1813" in text and "geen hulpdienst" in text
    assert f"Je was bezig met {flow.label}" in text and flow.next_question not in text
    assert await open_step(engine, flow.kind) == before
    assert flow.next_question in text_of(await dm.text("Mia"))  # the question still waits


async def test_hulp_nu_as_a_slash_command_inside_a_flow(
    engine: Engine, dm: Chat, post: Post
) -> None:
    await _plan(dm, post)
    text = text_of(await dm.cmd("/hulp nu"))
    assert "Zelfmoordlijn 1813" in text and "Je was bezig met je persoonlijk plan" in text
    assert "Wat zijn je eerste stappen?" in text_of(await dm.text("Meer wandelen"))


@pytest.mark.parametrize("typed", ["stop", "/stop", "Stop.", "STOP"])
@pytest.mark.parametrize("flow", FLOWS, ids=IDS)
async def test_stop_inside_a_flow_stops_it_and_says_what_was_kept(
    engine: Engine, dm: Chat, post: Post, flow: InFlow, typed: str
) -> None:
    await flow.enter(dm, post)
    text = text_of(await dm.text(typed))
    assert (
        f"Oké, we stoppen hier voor nu met {flow.label}. Wat je eerder al invulde, blijft "
        "bewaard." in text
    )
    step = await open_step(engine, flow.kind)
    assert step is not None and step[1] == "stopped"
    assert flow.next_question not in text  # it was no answer
    assert await traces(engine.db, ["Stop."]) == []


async def test_stop_as_a_slash_command_inside_a_flow(engine: Engine, dm: Chat, post: Post) -> None:
    await _verslag(dm, post)
    text = text_of(await dm.cmd("/stop"))
    assert "we stoppen hier voor nu met je gespreksverslag" in text
    assert "nog niet af" in text_of(await dm.cmd("gesprek verslag"))  # it can be continued


async def test_stop_in_a_group_flow_is_no_answer(engine: Engine) -> None:
    group = Chat(engine, "team")
    await group.cmd("vraag groen")
    await group.press("Noteer een aanknopingspunt")
    text = text_of(await group.text("stop"))
    assert "we stoppen hier voor nu" in text and "Genoteerd" not in text
    assert await engine.db.scalar("SELECT COUNT(*) FROM aanknopingspunten") == 0


# --- distress outside a flow ---------------------------------------------------------------


async def test_distress_in_a_dm_without_a_flow(engine: Engine, dm: Chat) -> None:
    replies = await dm.text("ik wil dood")
    assert len(replies) == 1 and replies[0].plain.startswith(CRISIS_START)
    assert "Fijn dat je me schrijft" not in replies[0].plain
    assert labels(replies) == ["Ik woon in België", "Ik woon in Nederland"]  # asked once


async def test_a_command_with_distress_waits_too(engine: Engine, dm: Chat) -> None:
    replies = await dm.cmd("plan ik wil er niet meer zijn")
    assert (
        replies[0].plain.startswith(CRISIS_START)
        and "Wil je toch verder met plan" in replies[0].plain
    )
    assert await engine.db.scalar("SELECT COUNT(*) FROM persoonlijke_plannen") == 0
    assert "Wat zijn je eerste stappen?" in text_of(await dm.press("Ga verder"))
    await dm.cmd("plan ik wil er niet meer zijn")
    assert "ik doe er niets mee" in text_of(await dm.press("Stop voor nu"))


async def test_only_112(engine: Engine, dm: Chat) -> None:
    text = text_of(await dm.text("112"))
    assert text.startswith(CRISIS_START) and "Noodnummer: bel 112" in text


async def test_a_long_message_and_only_emoji(engine: Engine, dm: Chat) -> None:
    long = ("Vandaag was een gewone dag met koffie en buren. " * 200)[:9_900] + " ik wil dood"
    assert text_of(await dm.text(long)).startswith(CRISIS_START)
    assert "Fijn dat je me schrijft" in text_of(await dm.text("😭😭😭😭"))


async def test_the_text_is_never_logged(
    engine: Engine, dm: Chat, post: Post, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await _plan(dm, post)
    await dm.text(DISTRESS)
    await dm.press("Stop voor nu")
    await dm.text(BYSTANDER)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "safety signposting shown" in logged
    assert "zitten" not in logged and "buurman" not in logged


async def test_an_unanswered_pause_is_forgotten_after_the_wait(
    engine: Engine, dm: Chat, post: Post
) -> None:
    await _plan(dm, post)
    await dm.text(DISTRESS)
    assert await traces(engine.db, [DISTRESS])
    post.clock.advance(minutes=31)
    await post.tick()
    assert await traces(engine.db, [DISTRESS]) == []
    assert "verlopen" in text_of(await dm.press("Ga verder"))


async def test_writing_on_instead_of_choosing_forgets_the_pause(
    engine: Engine, dm: Chat, post: Post
) -> None:
    await _plan(dm, post)
    await dm.text(DISTRESS)
    pause = dm.last
    # the pause is closed with the answer's first statement
    assert await trips(engine, dm.text("Vaker buiten komen")) <= 3
    assert "Wat zijn je eerste stappen?" in text_of(dm.last)
    assert await traces(engine.db, [DISTRESS]) == []
    assert "verlopen" in text_of(await dm.press("Ga verder", replies=pause))


# --- loneliness talk -----------------------------------------------------------------------


async def test_loneliness_talk_gets_a_warm_answer_and_what_can_help(
    engine: Engine, dm: Chat
) -> None:
    replies = await dm.text("ik voel me zo alleen vandaag")
    text = text_of(replies)
    assert text.startswith("Fijn dat je me schrijft. 💛")
    assert "Even stilstaan bij hoe het met je gaat: reflectie" in text
    assert "Met iemand praten: bel Tele-Onthaal op 106 (dag en nacht" in text
    assert "Woon je in Nederland? De Luisterlijn: 088 0767 000." in text
    assert "Ik reageer op commando's" not in text and "1813" not in text
    assert labels(replies[:1]) == ["Reflectie starten", "Hulp nu", "Alle commando's"]
    # a first message in the DM: after the warm word, the three ways in
    assert labels(replies[1:]) == [
        "👥 Met mijn team",
        "🤝 Als vrijwilliger of hulpverlener",
        "🌱 Voor mezelf",
    ]
    assert "Kies een reflector of instrument" in text_of(await dm.press("Reflectie starten"))
    await dm.text("ik voel me zo alleen vandaag")
    assert "Zelfmoordlijn 1813" in text_of(await dm.press("Hulp nu"))


async def test_loneliness_talk_with_the_line_of_ones_country(engine: Engine, dm: Chat) -> None:
    await dm.cmd("hulp nu")
    await dm.press("Ik woon in Nederland")
    text = text_of(await dm.text("niemand belt me nog"))
    assert "Met iemand praten: bel De Luisterlijn op 088 0767 000 (dag en nacht" in text
    assert "Tele-Onthaal" not in text and "Woon je in" not in text


# --- country per person and per team -------------------------------------------------------


async def test_a_team_sets_its_country_and_members_start_with_it(engine: Engine) -> None:
    group = Chat(engine, "team")
    await group.cmd("vraag", who="An")
    await group.cmd("vraag", who="Sam")
    assert "Alleen een coördinator" in text_of(await group.cmd("hulp land nl", who="Sam"))
    assert "Dat land ken ik niet" in text_of(await group.cmd("hulp land fr", who="An"))
    assert "Het land van dit team is nu Nederland" in text_of(await group.cmd("hulp land nl"))
    assert "Dit team koos Nederland" in text_of(await group.cmd("hulp land", who="Sam"))
    sam = Chat(engine, "dm-sam", group=False)
    text = text_of(await sam.text("ik wil dood", who="Sam"))
    assert "113 Zelfmoordpreventie: bel 113 of 0800-0113" in text
    assert text.index("0800-0113") < text.index("Woon je in België?")
    assert labels(sam.last) == ["Ik woon in België", "Ik woon in Nederland"]
    await sam.press("Ik woon in België", who="Sam")  # one's own choice comes first
    text = text_of(await sam.text("ik wil dood", who="Sam"))
    assert "Zelfmoordlijn 1813" in text and "0800-0113" not in text
    assert labels(sam.last) == []


async def test_own_country_in_mijngegevens_and_gone_with_vergeetmij(
    engine: Engine, dm: Chat
) -> None:
    await dm.cmd("hulp land nl")
    assert "Genoteerd: Nederland" in text_of(dm.last)
    export = [r for r in await dm.cmd("mijngegevens") if r.attachment]
    assert '"land voor hulpnummers": "Nederland"' in export[1].attachment.content  # type: ignore[union-attr]
    await dm.cmd("vergeetmij")
    await dm.press(dm.last[0].buttons[0].label)
    assert await engine.db.scalar("SELECT COUNT(*) FROM hulp_land") == 0


async def test_flows_are_named_for_every_dm_text_flow(engine: Engine) -> None:
    dm_flows = {
        "plan",
        "reflectie",
        "verslag",
        "terugblik",
        "termijn",
        "gedachte",
        "gedachte.moment",
    }
    assert dm_flows <= set(engine.router.flow_labels)
    assert flows.TEXT_WAIT == timedelta(minutes=30)  # how long a pause holds the text


async def test_free_text_in_a_dm_reads_what_waits_and_the_country_once(
    engine: Engine, dm: Chat
) -> None:
    """What waits (read once: the steering trusts what the watchers read), the person's own
    country and their team's together, the answer's buttons."""
    await dm.text("hallo")
    before = engine.db.round_trips
    assert "Fijn dat je me schrijft" in text_of(await dm.text("hoe gaat het"))
    assert engine.db.round_trips - before == 3


async def test_go_on_after_the_question_was_answered_by_button_keeps_nothing(
    engine: Engine, dm: Chat, post: Post
) -> None:
    """A reflection asks every question at one step: the pause knows which question it held
    (a digest of the flow's data), so after that question was answered with its button the
    text is not stored as the answer to the next one."""
    flow = FLOWS[2]  # reflectie
    asked = await flow.enter(dm, post)
    pause = await dm.text(DISTRESS)
    await dm.press(labels(asked)[0], replies=asked)  # the question answered by its button
    assert "niets bewaard" in text_of(await dm.press("Ga verder", replies=pause))
    assert await traces(engine.db, [DISTRESS]) == []
