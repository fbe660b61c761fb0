"""The platform-neutral ways a platform's own forms reach the engine: an `Answer` to the open
question, a `FormSubmitted` bound like a button, a `Keep` of a message, the `StartPage`."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.events import Answer, FormSubmitted, Keep, Place, StartPage
from bot.core.replies import FieldKind
from bot.tools.algemeen.store.planningen import Planningen
from tests.conftest import Chat, text_of, trips


async def test_answer_reaches_the_open_question_in_a_group(chat: Chat) -> None:
    assert "geen vraag van mij voor jou open" in text_of(await chat.send(Answer("koffie")))
    await chat.cmd("noteer")
    assert "Genoteerd: koffie met de buren" in text_of(
        await chat.send(Answer("koffie met de buren"))
    )
    await chat.cmd("noteer")
    # "stop" in the form stops the question, as typed in a DM; nothing is noted
    said = text_of(await chat.send(Answer("stop")))
    assert "stoppen" in said and "Genoteerd" not in said


async def test_keep_notes_a_message_with_its_author(chat: Chat) -> None:
    said = text_of(await chat.send(Keep("Samen koken op vrijdag", "Bob")))
    assert "Genoteerd: Samen koken op vrijdag (bericht van Bob)" in said
    assert await chat.send(Keep("   ")) == []


async def test_planning_form_is_bound_to_its_coordinator(chat: Chat, engine: Engine) -> None:
    [card] = await chat.cmd("planning")
    form = card.form
    assert form is not None and card.buttons  # the buttons stay for every other platform
    kinds = {f.name: f.kind for f in form.fields}
    assert kinds["dagen"] is FieldKind.CHECKS and kinds["pauze"] is FieldKind.DATE
    values = {
        "dagen": ("1", "4", "9"),  # an unknown day is ignored
        "uur": ("16:00",),
        "wat": ("vraag",),
        "feestdagen": ("be",),
        "aan": ("aan",),
    }
    said = text_of(await chat.send(FormSubmitted(form.token, values), who="Bob", admin=False))
    assert "Dit formulier is voor iemand anders bedoeld" in said
    said = text_of(await chat.send(FormSubmitted("vervalst", values)))
    assert "Dit formulier werkt niet meer" in said
    assert await Planningen(engine.db).get(1) is None
    [refused] = await chat.send(FormSubmitted(form.token, {**values, "wat": ("iets anders",)}))
    assert [e.name for e in refused.field_errors] == ["wat"]

    [saved] = await chat.send(FormSubmitted(form.token, values))
    assert "Bewaard: elke dinsdag en vrijdag om 16:00." in saved.plain and saved.form is None
    plan = await Planningen(engine.db).get(1)
    assert plan is not None and plan.weekdays == (1, 4) and plan.holidays == "be"


async def test_oversized_form_is_refused(chat: Chat) -> None:
    [card] = await chat.cmd("planning")
    assert card.form is not None
    said = text_of(await chat.send(FormSubmitted(card.form.token, {"uur": ("x" * 10_001,)})))
    assert "te lang" in said


async def test_start_page_event_is_the_overzicht(engine: Engine) -> None:
    dm = Chat(engine, "dm-an", group=False)
    first = text_of(await dm.send(StartPage()))
    assert "Welkom bij Kletspot" in first


async def test_a_team_action_form_after_its_entry_ended_stores_nothing(
    chat: Chat, engine: Engine
) -> None:
    """A modal left open while the action was typed step by step (or stopped): no second one."""
    [question] = await chat.cmd("acties team nieuw")
    assert question.form is not None
    await chat.text("stop")
    values = {"tekst": ("Buurt verkennen",), "naam": ("de wijkagent",), "datum": ("2026-03-20",)}
    said = text_of(await chat.send(FormSubmitted(question.form.token, values)))
    assert "al vastgelegd of gestopt" in said
    assert await engine.db.scalar("SELECT COUNT(*) FROM teamacties") == 0


async def test_a_team_action_form_without_the_groups_name_reads_no_title(
    chat: Chat, engine: Engine
) -> None:
    """A Slack form carries no channel name: the reminder names the group as stored, known
    with who is who. The form's token with its entry, the DM of whoever gets the reminder,
    then the action with its reminder and the entry's end."""
    [question] = await chat.cmd("acties team nieuw")
    assert question.form is not None
    chat.place = Place(chat.place.conversation_id, is_group=True, title=None)
    values = {"tekst": ("Buurt verkennen",), "naam": ("de wijkagent",), "datum": ("2026-03-20",)}
    assert await trips(engine, chat.send(FormSubmitted(question.form.token, values))) == 3
    assert "📌 Actie 1 vastgelegd" in text_of(chat.last)
    reminder = await engine.db.scalar("SELECT text FROM herinneringen")
    assert str(reminder).startswith(
        f"Actie van de wijkagent voor Gesprek {chat.place.conversation_id}"
    )


async def test_an_empty_or_stale_checklist_form_stores_nothing(chat: Chat, engine: Engine) -> None:
    await chat.cmd("acties team nieuw Buurt verkennen @de_wijkagent 20-03")
    await chat.press("Ja, de wijkagent (buiten de groep)")
    [card] = await chat.cmd("stappenplan checklist 1")
    assert card.form is not None, text_of([card])
    [empty] = await chat.send(FormSubmitted(card.form.token, {}))
    assert empty.field_errors and "nog niets" in empty.field_errors[0].message
    await chat.text("stop")
    values = {
        f"open:{f.name.split(':')[1]}": ("Iets",)
        for f in card.form.fields
        if f.name.startswith("open:")
    }
    said = text_of(await chat.send(FormSubmitted(card.form.token, values)))
    assert "al ingevuld of gestopt" in said
    assert await engine.db.scalar("SELECT checklist FROM teamacties") is None
