"""The terugblik: at the agreed term a reminder with the look-back questions of the workbook
(§10.1) and of step 5 of the card; the answers are stored with the conversation. "Ik heb niets
vernomen" quotes the workbook's advice and asks for a new term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core import flows, steering
from bot.core.clock import iso
from bot.core.context import Ctx, Deps
from bot.core.replies import Reply, Span, b, cmd, i, say
from bot.core.router import Flow, Router
from bot.text import sources
from bot.text.dutch import local
from bot.text.moments import example_day, local_today, say_date, say_moment
from bot.text.readers import free_text, term
from bot.text.refused import Refused
from bot.timed.herinneringen import Herinnering, Herinneringen, dm_buttons
from bot.tools.gesprek.store.gesprekken import REMINDER_KIND, Verslag, Verslagen
from bot.tools.gesprek.verslag import TERM_CHOICES, look_back_on
from content import Content

KIND = "terugblik"
TERM_KIND = "termijn"
GONE = "Dit gespreksverslag bestaat niet meer. Typ gesprekken voor je lijst."


@dataclass(frozen=True)
class Question:
    id: str
    text: str


def questions(content: Content) -> list[Question]:
    """The workbook's questions keep their ids (t1...); the card's step 5 questions are k1..k5."""
    workbook = [Question(v.id, v.tekst) for v in content.gesprek.werkboek.terugblikken.vragen]
    card = [
        Question(f"k{n}", v.tekst)
        for n, v in enumerate(content.gesprek.kaart.terugblikvragen(), start=1)
    ]
    return workbook + card


def question_text(content: Content, question_id: str) -> str:
    return next((q.text for q in questions(content) if q.id == question_id), question_id)


def questions_text(content: Content) -> list[str | Span]:
    terugblik = content.gesprek.werkboek.terugblikken
    stap = content.gesprek.kaart.stap(5)
    parts: list[str | Span] = [
        b(f"{terugblik.titel} (§{terugblik.paragraaf})\n"),
        terugblik.instructie,
        " ",
        terugblik.inleiding_vragen,
    ]
    for vraag in terugblik.vragen:
        parts += ["\n• ", vraag.tekst]
    parts += [
        "\n",
        i(sources.werkboek(content, terugblik.paragraaf)),
        "\n\n",
        b(f"Stap 5 · {stap.titel}"),
    ]
    for kaartvraag in stap.vragen:
        parts += ["\n• ", kaartvraag.tekst]
    return parts + ["\n", i(sources.kaart(content))]


async def _own(ctx: Ctx, payload: dict[str, Any]) -> Verslag | None:
    return await Verslagen(ctx.db).get(ctx.user_id, payload.get("v"))


async def _look_back(ctx: Ctx, payload: dict[str, Any], outcome: str | None = None) -> int | None:
    """The look-back of the button's record and term, made or found (with `outcome` set);
    None when the record is gone. One statement, with the record as its condition; a button
    without a term of its own reads the record for it first."""
    try:
        term = date.fromisoformat(str(payload.get("op")))
    except ValueError:
        record = await _own(ctx, payload)
        if record is None:
            return None
        term = record.terugblik_op or record.datum
    return await Verslagen(ctx.db).lookback(
        ctx.user_id, payload.get("v"), term, iso(ctx.now()), outcome
    )


# --- the reminder ----------------------------------------------------------------------------


async def render(deps: Deps, reminder: Herinnering) -> Reply:
    record = await Verslagen(deps.db).get(reminder.user_id, reminder.payload.get("v"))
    if record is None:
        return say(
            "Deze herinnering hoorde bij een gespreksverslag dat niet meer bestaat. Er is "
            "niets meer om op terug te blikken."
        )
    on = (record.terugblik_op or local(reminder.due_at, reminder.timezone).date()).isoformat()
    at = {"v": record.id, "op": on}
    row = await dm_buttons(
        deps,
        reminder,
        [
            ("Terugblik invullen", "terugblik.start", at),
            ("Ik heb niets vernomen", "terugblik.niets", at),
        ],
    )
    return say(
        b("🔁 Tijd om terug te blikken\n"),
        f"Je gesprek van {say_date(record.datum, local_today(deps.clock.now(), reminder.timezone))} met ",
        record.met or "",
        "\nAfgesproken stap: ",
        record.stap or "",
        "\n\n",
        *questions_text(deps.content),
        buttons=row,
    )


# --- answering ---------------------------------------------------------------------------------


async def on_start(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    lookback = await _look_back(ctx, payload)
    if lookback is None:
        return [say(GONE)]
    first = questions(ctx.content)[0]
    flow = await flows.start(ctx, KIND, f"ask_{first.id}", {"t": lookback, "v": payload["v"]})
    return [
        await ask(
            ctx, flow, ["Ik bewaar elk antwoord meteen bij je verslag. Sla over wat niet past.\n\n"]
        )
    ]


async def ask(ctx: Ctx, flow: Flow, before: list[str | Span] | None = None) -> Reply:
    all_questions = questions(ctx.content)
    index = next(n for n, q in enumerate(all_questions) if f"ask_{q.id}" == flow.step)
    at = {"f": flow.id, "v": flow.data.get("v")}  # the record, to read with the flow
    row = [
        await ctx.button("Sla over", "terugblik.verder", {**at, "s": flow.step}, personal=True),
        await ctx.button("Stop hier", "terugblik.klaar", at, personal=True),
    ]
    return say(
        *(before or []),
        i(f"Vraag {index + 1} van {len(all_questions)}\n"),
        b(all_questions[index].text),
        "\nTyp je antwoord.",
        buttons=row,
        expects_text=True,
    )


def _following(content: Content, step: str) -> str | None:
    ids = [f"ask_{q.id}" for q in questions(content)]
    index = ids.index(step) + 1
    return ids[index] if index < len(ids) else None


async def _advance(
    ctx: Ctx, flow: Flow, text: str | None, record: Verslag | None = None
) -> list[Reply]:
    """The answer (None: skipped) and the next question, or the look-back's end after the last
    one. `record`: read already, with the flow or the answer."""
    lookback = flow.data.get("t")
    if not isinstance(lookback, int):
        return [say("Deze terugblik is al afgesloten.")]
    following = _following(ctx.content, flow.step)
    if following is None:
        return await _close(ctx, flow, record, text, "Dat antwoord is al bewaard.")
    await _keep(ctx, flow, text)
    # the next question before the move: its buttons go with the move's statement
    asked = flows.moved(flow, following)
    reply = await ask(ctx, asked, ["Bewaard.\n\n" if text is not None else ""])
    try:
        await flows.must_move(ctx, flow, following)
    except flows.Moved:
        return [say("Dat antwoord is al bewaard.")]
    return [reply]


async def _close(
    ctx: Ctx, flow: Flow, record: Verslag | None, text: str | None, already: str
) -> list[Reply]:
    """The look-back's end: the last answer (if any) and its outcome are held back and land
    only with the question's end, in its statement with the summary's buttons
    (`flows.still_at`); `already`: what to say when it had ended meanwhile."""
    lookback, record_id = flow.data["t"], flow.data.get("v")
    if record is None or record.id != record_id:  # not read with the flow
        record = await Verslagen(ctx.db).get(ctx.user_id, record_id)
    if record is None:
        await flows.finish(ctx, flow, "closed")
        return [say(GONE)]
    reply = await summary(ctx, record)
    await _keep(ctx, flow, text)
    await Verslagen(ctx.db).set_outcome(
        lookback, "beantwoord", iso(ctx.now()), flows.still_at(flow)
    )
    try:
        await flows.must_move(ctx, flow, "klaar", status="done")
    except flows.Moved:
        return [say(already)]
    return [reply]


async def _keep(ctx: Ctx, flow: Flow, text: str | None) -> None:
    """The answer to the flow's question (None: skipped), held back: it is written only while
    the question waits, with its move."""
    if text is not None:
        question = flow.step.removeprefix("ask_")
        await Verslagen(ctx.db).answer(
            flow.data["t"], question, text, iso(ctx.now()), flows.still_at(flow)
        )


async def on_back(ctx: Ctx, flow: Flow) -> list[Reply] | None:
    """The previous look-back question again, with the answer given to it."""
    ids = [f"ask_{q.id}" for q in questions(ctx.content)]
    if flow.step not in ids or ids.index(flow.step) == 0:
        return None
    previous = ids[ids.index(flow.step) - 1]
    moved = await flows.move(ctx, flow, previous)
    if moved is None:
        return [say("Die vraag is al voorbij.")]
    given = ""
    record_id, lookback_id = flow.data.get("v"), flow.data.get("t")
    if isinstance(record_id, int):
        for lookback in await Verslagen(ctx.db).lookbacks(record_id):
            if lookback.id == lookback_id:
                given = next(
                    (
                        a.text
                        for a in lookback.answers
                        if a.question == previous.removeprefix("ask_")
                    ),
                    "",
                )
    before: list[str | Span] = (
        [*steering.given(given), "Typ een nieuw antwoord, of hetzelfde om het te houden.\n\n"]
        if given
        else []
    )
    return [await ask(ctx, moved, before)]


async def on_text(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    record = await Verslagen(ctx.db).get(ctx.user_id, flow.data.get("v"))
    if record is None:
        await flows.finish(ctx, flow, "closed")
        return [say(GONE)]
    try:
        answer = free_text(text)
    except Refused as refused:
        return [say(str(refused), expects_text=True)]
    return await _advance(ctx, flow, answer, record)


async def _open_flow(ctx: Ctx, payload: dict[str, Any]) -> tuple[Flow | None, Verslag | None]:
    """The open look-back a button belongs to, read with its record (the button names both)."""
    found, record = await ctx.db.together(
        flows.found_of(ctx, payload.get("f"), KIND),
        Verslagen.one_of(ctx.user_id, payload.get("v")),
    )
    if found is None or found.status != "open":
        return None, None
    return found.flow, record


async def on_skip(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    flow, record = await _open_flow(ctx, payload)
    if flow is None or flow.step != payload.get("s"):
        return [say("Die vraag is al voorbij.")]
    return await _advance(ctx, flow, None, record)


async def on_stop(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    flow, record = await _open_flow(ctx, payload)
    if flow is None or not isinstance(flow.data.get("t"), int):
        return [say("Deze terugblik is al afgesloten.")]
    return await _close(ctx, flow, record, None, "Deze terugblik is al afgesloten.")


async def summary(ctx: Ctx, record: Verslag) -> Reply:
    row = [
        await ctx.button(
            "Nieuwe termijn kiezen", "terugblik.termijn", {"v": record.id}, personal=True
        )
    ]
    if record.actie == "open":
        row.append(
            await ctx.button(
                "Afgesproken stap is gedaan", "afspraak.gedaan", {"v": record.id}, personal=True
            )
        )
    return say(
        b("Je terugblik is bewaard"),
        f" bij je gesprek van {say_date(record.datum, local_today(ctx.now(), ctx.timezone))} met ",
        record.met or "",
        ". Lees alles terug met ",
        cmd("gesprekken"),
        ".",
        buttons=row,
    )


# --- nothing heard, and a new term ----------------------------------------------------------


async def on_nothing(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    if await _look_back(ctx, payload, "niets_vernomen") is None:
        return [say(GONE)]
    werkboek = ctx.content.gesprek.werkboek
    terugblik, opnieuw = werkboek.terugblikken, werkboek.nogmaals_aangaan
    advice = say(
        b("Niets vernomen na de afgesproken termijn\n"),
        "“",
        terugblik.niets_vernomen,
        "”\n",
        "“",
        opnieuw.tekst,
        "”\n",
        "“",
        terugblik.reflector_opnieuw,
        "”\n",
        i(sources.werkboek(ctx.content, terugblik.paragraaf, opnieuw.paragraaf)),
    )
    return [advice, await ask_term(ctx, payload["v"], "Wanneer blik je opnieuw terug?")]


async def ask_term(ctx: Ctx, record_id: int, prompt: str) -> Reply:
    flow = await flows.start(ctx, TERM_KIND, "ask_termijn", {"v": record_id})
    row = [
        await ctx.button(label, "termijn.kies", {"f": flow.id, "a": answer}, personal=True)
        for label, answer in TERM_CHOICES
    ]
    return say(
        prompt,
        " Typ een aantal dagen (bv. ",
        b("14"),
        ") of een datum (bv. ",
        b(example_day(local_today(ctx.now(), ctx.timezone))),
        ").",
        buttons=row,
        expects_text=True,
    )


async def on_new_term(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    record = await _own(ctx, payload)
    if record is None:
        return [say(GONE)]
    return [await ask_term(ctx, record.id, "Wanneer wil je (opnieuw) terugblikken?")]


async def set_new_term(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    """The record read with the person's reminders: its new date, the stop of the earlier
    reminder and the new one go with the question's end, in its statement (`set_term`)."""
    record, reminders = await ctx.db.together(
        Verslagen.one_of(ctx.user_id, flow.data.get("v")), Herinneringen.active_of(ctx.user_id)
    )
    if record is None:
        await flows.finish(ctx, flow, "closed")
        return [say(GONE)]
    try:
        day = term(text, local(ctx.now(), ctx.timezone).date())
    except Refused as refused:
        return [say(str(refused), expects_text=True)]
    due = await look_back_on(ctx, flow, record, day, reminders)
    if await flows.move(ctx, flow, "klaar", status="done") is None:
        return [say("Die termijn is al bewaard.")]
    return [
        say(
            "Ik herinner je op ",
            b(say_moment(due, ctx.timezone, ctx.now())),
            f" om terug te blikken op je gesprek van {say_date(record.datum, local_today(ctx.now(), ctx.timezone))}.",
        )
    ]


async def on_term_text(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    return await set_new_term(ctx, flow, text)


async def on_term_choice(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    found = await flows.find(ctx, payload.get("f"), TERM_KIND)
    if found is None or found.status != "open" or found.flow.step != "ask_termijn":
        return [say("Die termijn is al bewaard.")]
    return await set_new_term(ctx, found.flow, str(payload.get("a", "")))


def register(router: Router) -> None:
    router.reminder(REMINDER_KIND, render)
    router.button("terugblik.start", on_start)
    router.button("terugblik.verder", on_skip)
    router.button("terugblik.klaar", on_stop)
    router.button("terugblik.niets", on_nothing)
    router.button("terugblik.termijn", on_new_term)
    router.button("termijn.kies", on_term_choice)
    router.text_flow(
        KIND, on_text, label="je terugblik", back=on_back, own_stop=True, answers_once=True
    )
    router.text_flow(
        TERM_KIND, on_term_text, label="de nieuwe termijn voor je terugblik", answers_once=True
    )
