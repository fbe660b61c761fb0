"""`gesprek verslag`: record a conversation answer by answer, each saved as it is given.

The flow (kind `verslag`) holds only the record's id and the step; the answers go straight into
`gesprekken`. After a restart, or after a pause longer than the bot waits for an answer,
`gesprek verslag` offers to continue where the record stopped.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from bot.core import flows, steering
from bot.core.clock import iso
from bot.core.context import Ctx
from bot.core.replies import Button, Reply, Span, b, cmd, i, say
from bot.core.router import Flow, Router
from bot.text import sources
from bot.text.dutch import local
from bot.text.moments import example_day, local_today, say_date, say_moment
from bot.text.readers import NAME_MAX, conversation_date, free_text, pseudonym, score, term
from bot.text.refused import Refused
from bot.timed.herinneringen import Herinnering, Herinneringen
from bot.tools.gesprek.store.gesprekken import FIELDS, Verslag, Verslagen
from bot.tools.intervisie.verwijskaart import pointer_of as referral_pointer

log = logging.getLogger(__name__)

KIND = "verslag"
TERM = "terugblik_op"
GONE = "Dit verslag bestaat niet meer. Begin opnieuw met gesprek verslag."
TERM_CHOICES = (("Over 1 week", "7"), ("Over 2 weken", "14"), ("Over 4 weken", "28"))


def step_of(name: str) -> str:
    return f"ask_{name}"


def next_step(name: str) -> str:
    return step_of(FIELDS[FIELDS.index(name) + 1])


def reminder_text(record: Verslag, today: date) -> str:
    """What `herinneringen` lists: no name and no notes, only the day."""
    return f"Terugblik op je gesprek van {say_date(record.datum, today)}"


async def start(ctx: Ctx) -> list[Reply]:
    concept = await Verslagen(ctx.db).latest_concept(ctx.user_id)
    if concept is None:
        return [await begin(ctx)]
    row = [
        await ctx.button(
            f"Verder met {say_date(concept.datum, local_today(ctx.now(), ctx.timezone))}",
            "verslag.verder",
            {"v": concept.id},
            personal=True,
        ),
        await ctx.button("Nieuw verslag", "verslag.nieuw", personal=True),
    ]
    return [
        say(
            "Je hebt een verslag dat nog niet af is: het gesprek van ",
            b(say_date(concept.datum, local_today(ctx.now(), ctx.timezone))),
            ". Wil je daarmee verder, of een nieuw verslag beginnen?",
            buttons=row,
        )
    ]


async def begin(ctx: Ctx) -> Reply:
    flow = await flows.start(ctx, KIND, step_of("datum"), {})
    intro: list[str | Span] = [
        b("📝 Verslag van een gesprek\n"),
        "Ik vraag het stap voor stap en bewaar elk antwoord meteen. Alleen jij ziet dit, en "
        "alleen hier in ons privégesprek.\n\n",
    ]
    return await question(ctx, flow, "datum", intro)


async def resume(ctx: Ctx, record: Verslag) -> Reply:
    name = record.missing()
    if record.status != "concept" or name is None:
        return say("Dit verslag is al af. Typ ", cmd("gesprekken"), " om het te lezen.")
    flow = await flows.start(ctx, KIND, step_of(name), {"v": record.id})
    return await question(
        ctx,
        flow,
        name,
        [
            f"Verder met je verslag van {say_date(record.datum, local_today(ctx.now(), ctx.timezone))}.\n\n"
        ],
    )


async def question(
    ctx: Ctx, flow: Flow, name: str, before: list[str | Span] | None = None
) -> Reply:
    gesprek = ctx.content.gesprek
    kaart = gesprek.kaart
    number = FIELDS.index(name) + 1
    today = local_today(ctx.now(), ctx.timezone)
    parts: list[str | Span] = [*(before or []), i(f"Vraag {number} van {len(FIELDS)}\n")]
    choices: list[tuple[str, str]] = []
    if name == "datum":
        parts += [
            "Wanneer vond het gesprek plaats? Typ een datum, bv. ",
            b("vandaag"),
            ", ",
            b("gisteren"),
            " of ",
            b(say_date(today - timedelta(days=3), today, weekday=False)),
            ".",
        ]
        choices = [("Vandaag", "vandaag"), ("Gisteren", "gisteren")]
    elif name == "met":
        parts += [
            "Met wie had je het gesprek? Gebruik een voornaam, initialen of een schuilnaam, ",
            b("geen volledige naam"),
            f" (hoogstens {NAME_MAX} tekens): dit zijn notities "
            "over iemand die kwetsbaar kan zijn.",
        ]
    elif name == "wens":
        fase = kaart.stap(4).onderdelen[0]
        parts += [
            b(fase.titel),
            "\nTyp de wens van de ander, in diens eigen woorden. "
            "Suggesties die mensen op de kaart als wens aangeven:",
        ]
        parts += [x for wens in kaart.wensen() for x in ("\n• ", i(wens))]
        parts += ["\n", i(sources.kaart(ctx.content))]
    elif name == "ideeen":
        fase = kaart.stap(4).onderdelen[1]
        parts += [b(fase.titel), "\nTyp de ideeën en mogelijkheden die jullie samen bedachten."]
    elif name == "stap":
        fase = next(o for o in kaart.stap(2).onderdelen if o.nummer == 3)
        parts += [
            b(fase.titel),
            "\n“",
            fase.tekst[0],
            "”\n",
            i(sources.kaart(ctx.content)),
            "\n\nWelke stap is afgesproken? Typ de stap die de ander zelf wil zetten.",
        ]
    elif name in ("motivatie", "vertrouwen"):
        schaal = next(s for s in kaart.schaalvragen() if s.onderwerp == name)
        parts += [
            b(schaal.vraag),
            f"\nKies of typ een cijfer van {schaal.minimum} tot en met {schaal.maximum}.\n",
            i(sources.kaart(ctx.content)),
        ]
        choices = [(str(n), str(n)) for n in range(schaal.minimum, schaal.maximum + 1)]
    else:
        terugblik = gesprek.werkboek.terugblikken
        parts += [
            "“",
            terugblik.instructie,
            "”\n",
            i(sources.werkboek(ctx.content, terugblik.paragraaf)),
            "\n\nWanneer blik je terug? Typ een aantal dagen (bv. ",
            b("14"),
            ") of een datum (bv. ",
            b(example_day(today)),
            ").",
        ]
        choices = list(TERM_CHOICES)
    row: list[Button] = [
        await ctx.button(
            label, "verslag.antwoord", {"f": flow.id, "s": flow.step, "a": answer}, personal=True
        )
        for label, answer in choices
    ]
    return say(*parts, buttons=row, expects_text=True)


async def on_text(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    return await answer(ctx, flow, text)


async def on_answer(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    found = await flows.find(ctx, payload.get("f"), KIND)
    if found is None:
        return [
            say("Deze knop werkt niet meer. Typ ", cmd("gesprek verslag"), " om verder te gaan.")
        ]
    if found.status != "open" or found.flow.step != payload.get("s"):
        return [say("Dit antwoord is al bewaard.")]
    return await answer(ctx, found.flow, str(payload.get("a", "")))


def _read(ctx: Ctx, name: str, text: str) -> str | int | date:
    today = local(ctx.now(), ctx.timezone).date()
    if name == "datum":
        return conversation_date(text, today)
    if name == "met":
        return pseudonym(text)
    if name in ("motivatie", "vertrouwen"):
        return score(text)
    if name == TERM:
        return term(text, today)
    return free_text(text)


async def answer(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    name = flow.step.removeprefix("ask_")
    if name not in FIELDS:
        return []
    try:
        value = _read(ctx, name, text)
    except Refused as refused:
        return [say(str(refused), expects_text=True)]
    records = Verslagen(ctx.db)
    now = iso(ctx.now())
    known = flow.data.get("v")
    try:
        if isinstance(value, date) and name == "datum" and not isinstance(known, int):
            # the record, the next question's buttons and the move: one statement
            record_id = await records.create(ctx.user_id, value, now, flows.still_at(flow))
            asked = flows.moved(flow, next_step(name), {"v": record_id})
            reply = await question(ctx, asked, asked.step.removeprefix("ask_"), ["Bewaard.\n\n"])
            await flows.must_move(ctx, flow, asked.step, asked.data)
        else:
            last: tuple[list[Herinnering], list[str | Span]] | None = None
            if name == TERM:  # the last answer: what the end needs, read with the record
                record, reminders, pointer = await ctx.db.together(
                    Verslagen.one_of(ctx.user_id, known),
                    Herinneringen.active_of(ctx.user_id),
                    referral_pointer(ctx.user_id),
                )
                last = (reminders, pointer)
            else:
                record = await records.get(ctx.user_id, known)
            if record is None:
                await flows.must_move(ctx, flow, "weg", status="closed")
                return [say(GONE)]
            record_id = record.id
            stored = value.isoformat() if isinstance(value, date) else value
            answered: dict[str, Any] = {name: value}
            following = replace(record, **answered).missing()
            # the answer goes with the question's move, in its statement (`flows.still_at`)
            only = flows.still_at(flow)
            if name != TERM or following is not None:
                await records.set(ctx.user_id, record_id, name, stored, now, only)
            if following is None:
                if last is None:  # complete already (an earlier answer changed): read them now
                    last = await ctx.db.together(
                        Herinneringen.active_of(ctx.user_id), referral_pointer(ctx.user_id)
                    )
                return [await finish(ctx, flow, replace(record, **answered), *last)]
            # the next question before the move: its buttons go with the move's statement
            asked = flows.moved(flow, step_of(following))
            reply = await question(ctx, asked, following, ["Bewaard.\n\n"])
            await flows.must_move(ctx, flow, asked.step)
    except flows.Moved:
        return [say("Dit antwoord is al bewaard.")]
    log.info("verslag answer saved: record=%d step=%s", record_id, name)
    return [reply]


async def look_back_on(
    ctx: Ctx, flow: Flow, record: Verslag, day: date, reminders: list[Herinnering]
) -> datetime:
    """`Verslagen.set_term` for the question `flow` asks (the last one, or a new date): held
    back and written only while it waits, with its move. When the reminder comes."""
    return await Verslagen(ctx.db).set_term(
        record,
        day,
        ctx.now(),
        ctx.conversation_id,
        ctx.timezone,
        reminder_text(record, local_today(ctx.now(), ctx.timezone)),
        reminders,
        flows.still_at(flow),
    )


async def finish(
    ctx: Ctx,
    flow: Flow,
    record: Verslag,
    reminders: list[Herinnering],
    pointer: list[str | Span],
) -> Reply:
    """The last answer, the look-back date: the record complete and its terugblik reminder set
    (`set_term`, the earlier one among `reminders` stopped), with the question's end and the
    buttons of this message, in one statement, only while the question still waits."""
    assert record.terugblik_op is not None
    due = await look_back_on(ctx, flow, record, record.terugblik_op, reminders)
    row = [
        await ctx.button("Mijn acties", "afspraak.lijst", personal=True),
        await ctx.button("Mijn gesprekken", "gesprekken.lijst", personal=True),
    ]
    reply = say(
        b("✅ Je verslag is bewaard\n"),
        f"Gesprek van {say_date(record.datum, local_today(ctx.now(), ctx.timezone))} met ",
        record.met or "",
        "\nAfgesproken stap: ",
        record.stap or "",
        f"\nMotivatie {record.motivatie}/10, vertrouwen {record.vertrouwen}/10",
        "\n\nIk herinner je op ",
        b(say_moment(due, ctx.timezone, ctx.now())),
        " om terug te blikken.",
        *pointer,
        buttons=row,
    )
    await flows.must_move(ctx, flow, "klaar", status="done")
    return reply


async def on_back(ctx: Ctx, flow: Flow) -> list[Reply] | None:
    """The previous question again, with the answer given; answering it continues with the
    first question still open."""
    name = flow.step.removeprefix("ask_")
    if name not in FIELDS or FIELDS.index(name) == 0:
        return None
    previous = FIELDS[FIELDS.index(name) - 1]
    record = await Verslagen(ctx.db).get(ctx.user_id, flow.data.get("v"))
    given = getattr(record, previous, None) if record else None
    shown = (
        say_date(given, local_today(ctx.now(), ctx.timezone))
        if isinstance(given, date)
        else str(given)
    )
    before: list[str | Span] = (
        [*steering.given(shown), "Typ een nieuw antwoord, of hetzelfde om het te houden.\n\n"]
        if given is not None
        else []
    )
    # the question is made first, for the flow as the move leaves it: its buttons travel in
    # the move's statement (unused where the move finds the flow moved on)
    reply = await question(ctx, flows.moved(flow, step_of(previous)), previous, before)
    if await flows.move(ctx, flow, step_of(previous)) is None:
        return [say("Deze vraag is al voorbij.")]
    return [reply]


async def on_resume(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    record = await Verslagen(ctx.db).get(ctx.user_id, payload.get("v"))
    if record is None:
        return [say(GONE)]
    return [await resume(ctx, record)]


async def on_new(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return [await begin(ctx)]


def register(router: Router) -> None:
    router.text_flow(
        KIND,
        on_text,
        label="je gespreksverslag",
        resume="gesprek verslag",
        back=on_back,
        first=lambda flow: flow.step == step_of(FIELDS[0]),
        answers_once=True,
    )
    router.button("verslag.antwoord", on_answer)
    router.button("verslag.verder", on_resume)
    router.button("verslag.nieuw", on_new)
