"""`plan`: a persoonlijk plan that comes back as a reminder on the chosen day."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.replies import Audience
from bot.tools.reflectie.store.persoonlijke_plannen import PersoonlijkePlannen
from tests.conftest import CONTENT, Chat, Setup, overtaken, text_of, trips, utc
from tests.tools.reflectie.helpers import dm, tool_label

GOAL = "Elke week naar de buurtkoffie gaan"
STEPS = "Dinsdag vragen hoe laat het begint"
HELPERS = "Mijn buurvrouw Ria"


async def fill_plan(chat: Chat, look_back: str = "16-03") -> list[str]:
    shown = [text_of(await chat.cmd("plan"))]
    for typed in (GOAL, STEPS, HELPERS, look_back):
        shown.append(text_of(await chat.text(typed)))
    return shown


async def test_plan_with_its_reminder(setup: Setup) -> None:  # noqa: F811
    engine = await setup.engine()
    chat = dm(engine)
    start, steps, helpers, when, done = await fill_plan(chat)
    assert "Wat wil je bereiken?" in start and "iets heel kleins" in start
    assert "beslissing bij de persoon zelf" in start and "§9.2" in start
    assert "eerste stappen" in steps and "Wie kan je daarbij helpen?" in helpers
    assert "Wanneer wil je terugkijken" in when
    assert f"Doel: {GOAL}" in done and f"Wie kan helpen: {HELPERS}" in done
    assert "Terugkijken op: maandag 16 maart" in done and "uitvoering kan stagneren" in done
    # the caution comes as a tip before the look-back date; the plan ends on encouragement
    assert done.index("💡 Een tip uit het werkboek") < done.index("uitvoering kan stagneren")
    assert done.index("stagneren") < done.index("📅 Op maandag 16 maart kijk je terug")
    assert done.rstrip().endswith("Een plan maken is al een mooie eerste stap. Veel succes! 🌱")
    [reminder] = await engine.db.all("SELECT kind, due_at, status, payload FROM herinneringen")
    assert (reminder["kind"], reminder["due_at"], reminder["status"]) == (
        "plan",
        "2026-03-16T09:00:00+00:00",
        "active",
    )
    assert "Terugkijken op je plan" in text_of(await chat.cmd("herinneringen"))

    scheduler = setup.scheduler(engine)
    setup.clock.set(utc(2026, 3, 16, 8, 59))
    await scheduler.tick()
    assert setup.platform.sent == []
    setup.clock.set(utc(2026, 3, 16, 9, 0, 30))
    await scheduler.tick()
    [sent] = setup.platform.sent
    assert sent.target.user_id == "an" and sent.target.conversation_id == "an"
    assert "terug te kijken op je persoonlijk plan" in sent.reply.plain
    assert GOAL in sent.reply.plain and STEPS in sent.reply.plain
    assert [b.label for b in sent.reply.buttons] == ["Morgen opnieuw"]
    await scheduler.tick()
    assert len(setup.platform.sent) == 1

    overview = text_of(await chat.cmd("plan"))
    assert "Je persoonlijke plannen" in overview and GOAL in overview
    assert "Wat wil je bereiken?" in text_of(await chat.press("Nieuw plan maken"))


async def test_look_back_date_must_be_readable_and_ahead(setup: Setup) -> None:  # noqa: F811
    engine = await setup.engine()
    chat = dm(engine)
    await chat.cmd("plan")
    for typed in (GOAL, STEPS, HELPERS):
        await chat.text(typed)
    for typed, expected in (
        ("gisteren", "ligt in het verleden"),
        ("31-02", "bestaat niet"),
        ("1-1-2020", "ligt in het verleden"),
        ("vandaag", "vanaf morgen"),
    ):
        assert expected in text_of(await chat.text(typed)), typed
    assert await engine.db.scalar("SELECT COUNT(*) FROM herinneringen") == 0
    assert await engine.db.scalar("SELECT status FROM persoonlijke_plannen") == "draft"
    long = text_of(await chat.text("x" * 3000))
    assert "Er is niets bewaard" not in long and "je eerdere antwoorden wel" not in long
    assert "Terugkijken op: maandag 9 maart" in text_of(await chat.text("volgende maandag"))


async def test_a_too_long_answer_says_the_earlier_ones_were_kept(setup: Setup) -> None:  # noqa: F811
    engine = await setup.engine()
    chat = dm(engine)
    await chat.cmd("plan")
    await chat.text(GOAL)
    text = text_of(await chat.text("x" * 3000))
    assert "Dit antwoord heb ik nog niet bewaard (je eerdere antwoorden wel)" in text
    assert "niets bewaard" not in text
    assert await engine.db.scalar("SELECT goal FROM persoonlijke_plannen") == GOAL


async def test_a_draft_survives_other_commands(engine: Engine) -> None:
    chat = dm(engine)
    await chat.cmd("plan")
    await chat.text(GOAL)
    await chat.cmd("vraag")
    resumed = text_of(await chat.cmd("plan"))
    assert "we gaan verder" in resumed and "eerste stappen" in resumed
    # the open flows, the draft dropped with the question withdrawn, the new draft with its
    # first question (on SQLite the last two in one call)
    assert await trips(engine, chat.cmd("plan nieuw")) == (
        3 if engine.db.kind == "postgresql" else 2
    )
    assert "Wat wil je bereiken?" in text_of(chat.last)
    assert await engine.db.scalar("SELECT COUNT(*) FROM persoonlijke_plannen") == 1
    assert "Een leeg antwoord" in text_of(await chat.text("   "))
    assert "eerste stappen" in text_of(await chat.text("Iets kleins: de buren groeten"))


async def test_plan_from_a_group_goes_to_the_dm(engine: Engine) -> None:
    chat = dm(engine)
    await chat.cmd("overzicht")
    group = Chat(engine, "team")
    replies = await group.cmd("plan")
    assert replies[0].audience is Audience.PRIVATE and replies[1].audience is Audience.DM
    assert await engine.db.scalar("SELECT COUNT(*) FROM persoonlijke_plannen") == 0
    assert "Wat wil je bereiken?" in text_of(await chat.press("Begin je plan", replies=replies))


async def test_the_persoonlijk_plan_in_the_reflectie_menu_is_the_plan(engine: Engine) -> None:
    chat = dm(engine)
    await chat.cmd("reflectie")
    tool = CONTENT.reflectoren.get("persoonlijk-plan")
    opened = await chat.press(tool_label(tool))
    assert "Je persoonlijk plan" in text_of(opened) and opened[0].expects_text
    together = text_of(await chat.press("Samen met iemand? Vragen uit §9.2"))
    for item in tool.items:
        assert item.tekst in together
    # Kennisbron 12.4's action, goal, reality and option questions (23) come along.
    vragen = CONTENT.achtergrond.tekst("vragen_stellen")
    asked = [p for k in ("actie", "doel", "realiteit", "optie") for p in vragen.blok(k).punten]
    assert len(asked) == 23
    for vraag in asked:
        assert vraag in together
    assert "Kennisbron 12.4 Vragen stellen" in together and "§12.4" in together
    assert text_of(await chat.cmd("plan vragen")).startswith("📘 Kennisbron 12.4 Vragen stellen")
    assert await engine.db.scalar("SELECT COUNT(*) FROM reflecties") == 0


async def test_the_look_back_day_typed_twice_at_once_finishes_one_plan(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer that read the draft first completes nothing: its reminder is written only
    while the plan is still the draft, in the statement that would complete it."""
    chat = dm(engine, "Wietske")
    await chat.cmd("plan", who="Wietske")
    for typed in (GOAL, STEPS, HELPERS):
        await chat.text(typed, who="Wietske")
    late, first = await overtaken(
        monkeypatch,
        PersoonlijkePlannen,
        "get",
        chat.text("16-03", who="Wietske"),
        lambda: chat.text("20-03", who="Wietske"),
    )
    assert "intussen al afgerond" in text_of(late) and "staat klaar" in text_of(first)
    rows = await engine.db.all("SELECT due_at, status FROM herinneringen WHERE kind = 'plan'")
    assert [(r["due_at"][:10], r["status"]) for r in rows] == [("2026-03-20", "active")]
    plan = await engine.db.one("SELECT look_back, status FROM persoonlijke_plannen")
    assert plan is not None and (plan["look_back"], plan["status"]) == ("2026-03-20", "done")


async def test_back_in_a_plan_reads_the_draft_only(engine: Engine) -> None:
    """◀ Terug: the button with the question that waits, the draft, then the earlier question
    with its move (the question that waits is not read again)."""
    chat = dm(engine)
    await chat.cmd("plan")
    await chat.text(GOAL)
    assert await trips(engine, chat.press("◀ Terug")) == 3
    again = text_of(chat.last)
    assert "Wat wil je bereiken?" in again and GOAL in again
    assert "eerste stappen" in text_of(await chat.text("Naar de buurtkoffie gaan"))
    plans = await engine.db.all("SELECT goal FROM persoonlijke_plannen")
    assert [p["goal"] for p in plans] == ["Naar de buurtkoffie gaan"]
