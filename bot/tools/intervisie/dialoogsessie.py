"""The dialoogsessie of workbook §4.2, step by step in the group: roles, the case and its open
question, one minute of silent writing, the round of ideas, the dialogue, what the case-bringer
takes along, and the actions. The session row says which step runs, so old buttons do nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.core import buttons, flows, identity, steering
from bot.core.clock import iso
from bot.core.context import Ctx, Deps
from bot.core.replies import Button, Reply, Span, b, cmd, i, rich, say
from bot.core.router import Flow, Router
from bot.text.dutch import clock_time, count
from bot.text.moments import local_today, say_date, say_moment
from bot.timed.due import Occurrence, TimedWork, in_conversation
from bot.tools.intervisie import afdruk
from bot.tools.intervisie.shared import coordinators_only, member_among, read_text, source
from bot.tools.intervisie.store.bijeenkomsten import Bijeenkomsten, GeplandeBijeenkomst
from bot.tools.intervisie.store.dialoogsessies import (
    STEPS,
    TEXT_MAX,
    Dialoog,
    Dialoogsessies,
    moved,
)
from bot.tools.intervisie.store.teamacties import Teamactie, Teamacties
from bot.tools.intervisie.teamacties import nieuw, overzicht
from bot.tools.intervisie.teamacties.shared import owner_of
from content.schemas.intervisie import Dialoogsessie, SessieStap

FLOW = "intervisie.inbreng"
STALE = timedelta(hours=8)
"""A session nobody finished is closed when the next one starts after this long."""
NEXT = {"stil_opschrijven": "ideeenronde", "ideeenronde": "dialoog", "dialoog": "meenemen"}
ASKS = {"casus": "ask_casus", "vraag": "ask_vraag", "meenemen": "ask_meenemen"}
FINISHED = "Deze dialoogsessie is al afgerond. Een coördinator start een nieuwe met "
PREVIOUS = dict(zip(STEPS[1:], STEPS[:-1], strict=True))
"""One step back: the step before each step of the protocol."""
KEEP_OR_CHANGE = "Typ een nieuw antwoord, of hetzelfde om het te houden.\n\n"


def protocol(ctx: Ctx) -> Dialoogsessie:
    return ctx.content.intervisie.dialoogsessie


def step_text(stap: SessieStap, label: str) -> list[str | Span]:
    who = f", {stap.door}" if stap.door else ""
    minutes = (
        f", {stap.minuten} minuut"
        if stap.minuten == 1
        else (f", {stap.minuten} minuten" if stap.minuten else "")
    )
    return [b(f"Stap {stap.nummer} ({label}{who}{minutes})\n"), " ".join(stap.instructie)]


def finished() -> Reply:
    return say(FINISHED, cmd("intervisie sessie @leercoach @inbrenger"), ".")


async def start(ctx: Ctx, rest: str) -> Reply:
    """`intervisie sessie @leercoach @inbrenger`: roles first, then the case from the inbrenger."""
    if not ctx.is_coordinator:
        return coordinators_only("een dialoogsessie starten")
    names = rest.split()
    if len(names) != 2:
        return say(
            "Noem de leercoach en de inbrenger, in die volgorde: ",
            cmd("intervisie sessie @an @bo"),
            ". Allebei leden van dit gesprek.",
        )
    dialogues = Dialoogsessies(ctx.db)
    members, running = await ctx.db.together(
        identity.members_of(ctx.conversation_id), dialogues.running_of(ctx.conversation_id)
    )
    coach = member_among(members, names[0])
    if isinstance(coach, Reply):
        return coach
    bringer = member_among(members, names[1])
    if isinstance(bringer, Reply):
        return bringer
    if coach[0] == bringer[0]:
        return say(
            "De leercoach en de inbrenger zijn twee verschillende mensen: de leercoach "
            "houdt de groep in dialoog, de inbrenger brengt de casus."
        )
    if running is not None and ctx.now() - running.started_at > STALE:
        await dialogues.finish(running.id, "verlopen", ctx.now())
        running = None
    # No transaction: the unique index lets one session start; the case-bringer's question
    # is held back and travels with the event's last statement.
    dialogue = (
        None
        if running
        else await dialogues.start(ctx.conversation_id, ctx.user_id, coach, bringer, ctx.now())
    )
    if dialogue is None:
        running = running or await dialogues.running(ctx.conversation_id)
        who = f" (leercoach {running.leercoach}, inbrenger {running.inbrenger})" if running else ""
        return say(
            f"Er loopt al een dialoogsessie in dit gesprek{who}. Rond die eerst af, "
            "of stop ze met ",
            cmd("intervisie stop"),
            ".",
        )
    await ask_inbrenger(ctx, dialogue, "casus")
    return roles(ctx, dialogue)


def roles(ctx: Ctx, dialogue: Dialoog) -> Reply:
    p = protocol(ctx)
    rol = {r.id: r for r in p.rollen}
    parts: list[str | Span] = [
        b(f"🗣 Dialoogsessie (werkboek §{p.opdracht})\n"),
        b("\nRollen"),
        "\n• ",
        b(f"Leercoach: {dialogue.leercoach}. "),
        " ".join(rol["leercoach"].omschrijving),
        "\n• ",
        b(f"Inbrenger: {dialogue.inbrenger}. "),
        " ".join(rol["inbrenger"].omschrijving),
        "\n• ",
        b("Groepsleden: alle anderen. "),
        " ".join(rol["groepsleden"].omschrijving),
        "\n\n",
        *case_prompt(ctx, dialogue),
        "\n",
        source(ctx.content.intervisie.bron, f"§{p.opdracht}"),
    ]
    return say(*parts)


def case_prompt(ctx: Ctx, dialogue: Dialoog) -> list[str | Span]:
    return [
        *step_text(protocol(ctx).stap("casus"), "de casus"),
        f"\n\n{dialogue.inbrenger}, typ je casus als antwoord (of met ",
        cmd("intervisie casus <tekst>"),
        ").",
    ]


def given(ctx: Ctx, dialogue: Dialoog, answer: str | None) -> list[str | Span]:
    """The case-bringer's earlier answer, when a step is asked again after "terug"."""
    if not answer:
        return []
    said = steering.given(answer)
    if ctx.user_id != dialogue.inbrenger_id:
        said[0] = f"{dialogue.inbrenger} antwoordde: "
    return [*said, KEEP_OR_CHANGE]


def question_prompt(ctx: Ctx, dialogue: Dialoog) -> list[str | Span]:
    asked = (
        "Welke vraag heb je bij de casus?"
        if ctx.user_id == dialogue.inbrenger_id
        else f"{dialogue.inbrenger}, welke vraag heb je bij de casus?"
    )
    return [
        *given(ctx, dialogue, dialogue.vraag),
        f"{asked} Een open vraag, dringend en actueel, over "
        "eenzaamheid of sociaal isolement. Typ ze als antwoord.",
    ]


def take_along_prompt(ctx: Ctx, dialogue: Dialoog) -> list[str | Span]:
    return [
        *given(ctx, dialogue, dialogue.meenemen),
        *step_text(protocol(ctx).stap("meenemen"), "meenemen"),
        f"\n\n{dialogue.inbrenger}, typ wat je meeneemt als antwoord (of met ",
        cmd("intervisie meenemen <tekst>"),
        ").",
    ]


async def ask_inbrenger(ctx: Ctx, dialogue: Dialoog, step: str) -> None:
    """The question is the case-bringer's to answer, so the waiting flow is theirs."""
    if dialogue.inbrenger_id is None:
        return
    theirs = replace(ctx, user_id=dialogue.inbrenger_id)
    await flows.start(theirs, FLOW, ASKS[step], {"s": dialogue.id})


async def answer(
    ctx: Ctx, dialogue: Dialoog | None, step: str, text: str, flow: Flow | None = None
) -> list[Reply]:
    """The case, its open question or what the inbrenger takes along, typed or as a command.
    `flow`: the question a typed answer answers, which ends unless it waits on (a text to
    try again) or the next question takes its place."""

    async def ending(reply: Reply) -> list[Reply]:
        if flow is not None:
            await flows.finish(ctx, flow)
        return [reply]

    if dialogue is None or not dialogue.running:
        return await ending(finished())
    if ctx.user_id != dialogue.inbrenger_id:
        return await ending(say(f"Dit antwoord is aan de inbrenger, {dialogue.inbrenger}."))
    gone = say("Die stap is al voorbij; de sessie staat nu bij een andere stap.")
    if dialogue.step != step:
        return await ending(gone)
    what = {"casus": "casus", "vraag": "vraag", "meenemen": "tekst"}[step]
    got = read_text(text, TEXT_MAX, what)
    if isinstance(got, Reply):
        return [replace(got, expects_text=True)]
    following = {"casus": "vraag", "vraag": "stil_opschrijven", "meenemen": "acties"}[step]
    if flow is not None and following not in ASKS:
        await flows.finish(ctx, flow)  # made first, so that it travels with the move
    replies = await come_to(ctx, dialogue, following, got)
    if replies is None:
        return [gone]
    if following == "vraag":
        return [replace(replies[0], text=rich("Dank je. ") + replies[0].text)]
    return replies


async def come_to(
    ctx: Ctx, dialogue: Dialoog, step: str, answer: str | None = None
) -> list[Reply] | None:
    """The session moved on or back to `step` (with the case-bringer's `answer` to the step it
    leaves), its message made first, for the session as the move leaves it, so that the
    message's buttons and the case-bringer's question travel with the move: one statement.
    None when the session had left its step meanwhile (a button pressed twice, two leaders
    at once): nothing moved, the message's buttons stay unused, and a question it asked the
    case-bringer is closed again."""
    until = ctx.now() + silence(ctx) if step == "stil_opschrijven" else None
    after = moved(dialogue, step, answer, until)
    replies = await show_step(ctx, after, step)
    if await Dialoogsessies(ctx.db).move(dialogue, after):
        return replies
    if step in ASKS and dialogue.inbrenger_id is not None:
        await flows.close_kind(replace(ctx, user_id=dialogue.inbrenger_id), FLOW)
    return None


async def on_text(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    dialogue = await Dialoogsessies(ctx.db).get(int(flow.data.get("s", 0)))
    step = next((s for s, ask in ASKS.items() if ask == flow.step), "")
    return await answer(ctx, dialogue, step, text, flow)


async def answer_by_command(ctx: Ctx, word: str, text: str) -> list[Reply]:
    """`intervisie casus <tekst>`: for where free text in a group does not reach the bot."""
    dialogue = await Dialoogsessies(ctx.db).running(ctx.conversation_id)
    if dialogue is None:
        return [say("Er loopt geen dialoogsessie in dit gesprek.")]
    replies = await answer(ctx, dialogue, word, text)
    if replies[0].expects_text and not text.strip():
        await ask_inbrenger(ctx, dialogue, word)
    return replies


def silence(ctx: Ctx) -> timedelta:
    """How long the silent writing lasts, as the protocol says."""
    return timedelta(minutes=protocol(ctx).stap("stil_opschrijven").minuten or 1)


async def case_and_silence(ctx: Ctx, dialogue: Dialoog) -> Reply:
    """The session has come to the silent writing, which ends at its `silent_until`."""
    p = protocol(ctx)
    stap = p.stap("stil_opschrijven")
    until = dialogue.silent_until or ctx.now() + silence(ctx)
    parts: list[str | Span] = [
        b(f"De casus van {dialogue.inbrenger}\n"),
        dialogue.casus or "",
        "\n\n",
        b("De vraag: "),
        dialogue.vraag or "",
        "\n\n",
        i(p.werkvraag),
        "\n\n",
        *step_text(stap, "stil opschrijven"),
        f"\n\n⏱ Schrijf tot {clock_time(until, ctx.timezone)}; dan laat "
        "ik het weten. Daarna zet de leercoach of een coördinator de "
        "volgende stap, met de knop of met ",
        cmd("intervisie verder"),
        ".",
    ]
    row = await step_row(ctx.button, dialogue.id, "stil_opschrijven", "Klaar met schrijven")
    return say(*parts, buttons=row)


MakeButton = Callable[[str, str, dict[str, Any]], Awaitable[Button]]


async def step_row(make: MakeButton, dialogue_id: int, step: str, onward: str) -> list[Button]:
    """Under a step the leercoach leads: on (`onward`) and '◀ Terug'; a press checks who may.
    `make` is `ctx.button`, or for a timed message `buttons.make` bound to the group."""
    at = {"s": dialogue_id, "van": step}
    return [await make(onward, "dialoog.verder", at), await back_button(make, dialogue_id, step)]


async def back_button(make: MakeButton, dialogue_id: int, step: str) -> Button:
    return await make("◀ Terug", "dialoog.terug", {"s": dialogue_id, "van": step})


async def led_session(
    ctx: Ctx, payload: dict[str, Any], what: str = "de volgende stap"
) -> Dialoog | Reply:
    """The running session a step button belongs to, if this person may lead it."""
    return _led(ctx, await session_from(ctx, payload), what)


def _led(ctx: Ctx, dialogue: Dialoog | None, what: str) -> Dialoog | Reply:
    """`led_session` for a session read already (None: not running here)."""
    if dialogue is None:
        return finished()
    if ctx.is_coordinator or ctx.user_id == dialogue.leercoach_id:
        return dialogue
    return say(f"Alleen de leercoach ({dialogue.leercoach}) of een coördinator zet {what}.")


async def session_from(ctx: Ctx, payload: dict[str, Any]) -> Dialoog | None:
    return _named(await Dialoogsessies(ctx.db).running(ctx.conversation_id), payload)


def _named(running: Dialoog | None, payload: dict[str, Any]) -> Dialoog | None:
    """The session running here, where it is the one a button names (one runs at a time)."""
    return running if running is not None and running.id == payload.get("s") else None


async def on_next(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    dialogue = await led_session(ctx, payload)
    if isinstance(dialogue, Reply):
        return [dialogue]
    return await move_on(ctx, dialogue, str(payload.get("van")))


async def verder(ctx: Ctx) -> list[Reply]:
    """`intervisie verder`: the leercoach or a coordinator moves the session on by command,
    from wherever they are in the conversation, whatever the last message was."""
    dialogue = await Dialoogsessies(ctx.db).running(ctx.conversation_id)
    if dialogue is None:
        return [say("Er loopt geen dialoogsessie in dit gesprek.")]
    if not ctx.is_coordinator and ctx.user_id != dialogue.leercoach_id:
        return [
            say(
                f"Alleen de leercoach ({dialogue.leercoach}) of een coördinator zet de "
                "volgende stap."
            )
        ]
    if dialogue.step in ASKS:
        what = {
            "casus": "de casus",
            "vraag": "de vraag bij de casus",
            "meenemen": "wat de inbrenger meeneemt",
        }[dialogue.step]
        return [
            say(
                f"We wachten op {what} van {dialogue.inbrenger}: typ die als antwoord, of met ",
                cmd(f"intervisie {dialogue.step} <tekst>"),
                ".",
            )
        ]
    if dialogue.step == "acties":
        return [await actions_step(ctx, dialogue)]
    return await move_on(ctx, dialogue, dialogue.step)


async def move_on(ctx: Ctx, dialogue: Dialoog, step: str) -> list[Reply]:
    """On from `step`, the step the button was made for: a button of a step already left
    moves nothing."""
    replies = None
    if step in NEXT and step == dialogue.step:
        replies = await come_to(ctx, dialogue, NEXT[step])
    return replies or [say("Die stap is al gezet.")]


async def show_step(ctx: Ctx, dialogue: Dialoog, step: str) -> list[Reply]:
    """The message of a step the session has just come to, forward or back."""
    p = protocol(ctx)
    if step == "casus":
        await ask_inbrenger(ctx, dialogue, "casus")
        return [
            say(
                *given(ctx, dialogue, dialogue.casus),
                *case_prompt(ctx, dialogue),
                expects_text=ctx.user_id == dialogue.inbrenger_id,
            )
        ]
    if step == "vraag":
        await ask_inbrenger(ctx, dialogue, "vraag")
        return [
            say(*question_prompt(ctx, dialogue), expects_text=ctx.user_id == dialogue.inbrenger_id)
        ]
    if step == "stil_opschrijven":
        return [await case_and_silence(ctx, dialogue)]
    if step == "ideeenronde":
        row = await step_row(ctx.button, dialogue.id, "ideeenronde", "Verder: de dialoog")
        return [say(*step_text(p.stap("ideeenronde"), "ideeënronde"), buttons=row)]
    if step == "dialoog":
        d = p.dialoog_en_discussie
        row = await step_row(
            ctx.button, dialogue.id, "dialoog", f"Verder: wat neemt {dialogue.inbrenger[:20]} mee?"
        )
        return [
            say(
                *step_text(p.stap("dialoog"), "dialoog"),
                "\n\n",
                b(d.dialoog_kop),
                " ",
                " ".join(d.dialoog),
                "\n",
                b(d.discussie_kop),
                " ",
                " ".join(d.discussie),
                "\n",
                i(f"Kennisbron {d.kennisbron.paragraaf} {d.kennisbron.titel} · {d.bronregel}"),
                buttons=row,
            )
        ]
    if step == "meenemen":
        await ask_inbrenger(ctx, dialogue, "meenemen")
        return [
            say(
                *take_along_prompt(ctx, dialogue),
                expects_text=ctx.user_id == dialogue.inbrenger_id,
            )
        ]
    return [await actions_step(ctx, dialogue)]


def may_go_back(ctx: Ctx, dialogue: Dialoog) -> bool:
    """Who leads the session may go back a step; the case-bringer only from their question to
    their case (their own two answers)."""
    if ctx.is_coordinator or ctx.user_id == dialogue.leercoach_id:
        return True
    return ctx.user_id == dialogue.inbrenger_id and dialogue.step == "vraag"


async def back(ctx: Ctx, dialogue: Dialoog) -> list[Reply]:
    """One step back in the protocol, showing that step again with the answer given there."""
    waits_on_me = ctx.user_id == dialogue.inbrenger_id and dialogue.step in ASKS
    go_on = steering.go_on_or_stop(ctx) if waits_on_me else []
    if dialogue.step not in PREVIOUS:
        return [
            say(
                f"Dit is de eerste stap: de casus van {dialogue.inbrenger}.",
                *go_on,
                expects_text=waits_on_me,
            )
        ]
    if not may_go_back(ctx, dialogue):
        return [
            say(
                f"Alleen de leercoach ({dialogue.leercoach}) of een coördinator zet een stap "
                "terug.",
                *go_on,
                expects_text=waits_on_me,
            )
        ]
    earlier = PREVIOUS[dialogue.step]
    if dialogue.inbrenger_id is not None and dialogue.step in ASKS and earlier not in ASKS:
        # a question the case-bringer no longer has to answer (one asked again replaces it),
        # closed in the step back's statement and only where it lands
        inbrenger = replace(ctx, user_id=dialogue.inbrenger_id)
        await flows.close_kind(inbrenger, FLOW, Dialoogsessies.still_at(dialogue))
    replies = await come_to(ctx, dialogue, earlier)
    if replies is None:
        return [say("Die stap is al gezet.")]
    return replies


async def on_back(ctx: Ctx, flow: Flow) -> list[Reply] | None:
    """Typed "terug" by the case-bringer while the session waits on their answer."""
    dialogue = await Dialoogsessies(ctx.db).get(int(flow.data.get("s", 0)))
    if dialogue is None or not dialogue.running:
        await flows.finish(ctx, flow, "closed")
        return [finished()]
    if dialogue.step == STEPS[0]:
        return None
    return await back(ctx, dialogue)


async def terug(ctx: Ctx) -> list[Reply]:
    """`intervisie terug`: one step back, by the leercoach or a coordinator, from anywhere."""
    dialogue = await Dialoogsessies(ctx.db).running(ctx.conversation_id)
    if dialogue is None:
        return [say("Er loopt geen dialoogsessie in dit gesprek.")]
    return await back(ctx, dialogue)


async def on_back_button(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    dialogue = await led_session(ctx, payload, "een stap terug")
    if isinstance(dialogue, Reply):
        return [dialogue]
    if dialogue.step != payload.get("van"):
        return [say("Die stap is al gezet.")]
    return await back(ctx, dialogue)


async def actions_step(ctx: Ctx, dialogue: Dialoog) -> Reply:
    p = protocol(ctx)
    kolommen = " · ".join(k.kop for k in p.actietabel.kolommen)
    row = [
        await ctx.button("Actie toevoegen", "dialoog.actie", {"s": dialogue.id}),
        await ctx.button("Sessie afronden", "dialoog.afronden", {"s": dialogue.id}),
        await back_button(ctx.button, dialogue.id, "acties"),
    ]
    return say(
        f"{dialogue.inbrenger} neemt mee: ",
        i(dialogue.meenemen or ""),
        "\n\n",
        *step_text(p.stap("acties"), "acties"),
        "\n\n",
        *step_text(p.stap("vastleggen"), "vastleggen"),
        " ",
        b(p.actietabel.titel),
        ": ",
        kolommen,
        ".\nDe leercoach of een coördinator legt ze een voor een vast met "
        "Actie toevoegen; elke eigenaar krijgt een herinnering voor de datum.",
        buttons=row,
    )


async def on_add(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    dialogue = await session_from(ctx, payload)
    if dialogue is None:
        return [finished()]
    refused = nieuw.may_add_in(ctx, dialogue)
    if refused is not None:
        return [refused]
    return [await nieuw.ask_new(ctx, dialogue.id)]


async def summary(
    ctx: Ctx, dialogue: Dialoog, actions: list[Teamactie], meeting: GeplandeBijeenkomst | None
) -> Reply:
    p = protocol(ctx)
    ri = p.reflectieve_integratie
    parts: list[str | Span] = [
        b("✅ Dialoogsessie afgerond\n"),
        f"Casus van {dialogue.inbrenger}; vraag: ",
        i(dialogue.vraag or "-"),
        "\n\n",
        b(f"{p.actietabel.titel} "),
        f"({count(len(actions), 'actie', 'acties')})",
    ]
    if not actions:
        parts.append("\nEr zijn geen acties vastgelegd.")
    for action in actions:
        parts += [
            f"\n{action.number}. ",
            action.text,
            i(
                f" · {owner_of(action)} · {say_date(action.due_date, local_today(ctx.now(), ctx.timezone))}"
            ),
        ]
    parts += ["\n\n", ri.instructie, " ", " ".join(ri.vragen), "\n"]
    if meeting is not None:
        parts.append(
            f"Op {say_moment(meeting.at, ctx.timezone, ctx.now())} post ik die terugblik hier."
        )
    else:
        parts += [
            "Een coördinator zet de datum van de volgende bijeenkomst met ",
            cmd("intervisie volgende <datum>"),
            "; dan post ik de terugblik hier.",
        ]
    return say(*parts)


async def on_finish(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """The session running here (the one the button names), its actions and the planned
    meeting, read at once; then the session ends, once."""
    running, actions, meeting = await ctx.db.together(
        Dialoogsessies.running_of(ctx.conversation_id),
        Teamacties.agreed_in(payload.get("s")),
        Bijeenkomsten.planned_of(ctx.conversation_id),
    )
    dialogue = _led(ctx, _named(running, payload), "de volgende stap")
    if isinstance(dialogue, Reply):
        return [dialogue]
    if not await Dialoogsessies(ctx.db).finish(dialogue.id, "done", ctx.now()):
        return [finished()]
    team = ctx.title or "het team"
    table = await afdruk.actions_pdf(
        ctx,
        overzicht.table_rows(actions, local_today(ctx.now(), ctx.timezone)),
        [],
        team,
        "Dialoogsessie: de actietabel",
        f"dialoogsessie-{dialogue.id}-acties.pdf",
        f"Casus van {dialogue.inbrenger}; vraag: {dialogue.vraag or '-'}",
    )
    return [await summary(ctx, dialogue, actions, meeting), table]


async def stop(ctx: Ctx) -> Reply:
    dialogue = await Dialoogsessies(ctx.db).running(ctx.conversation_id)
    if dialogue is None or not await Dialoogsessies(ctx.db).finish(
        dialogue.id, "gestopt", ctx.now()
    ):
        return say("Er loopt geen dialoogsessie in dit gesprek.")
    kept = await Teamacties(ctx.db).of_dialogue(dialogue.id)
    extra = (
        f" De {count(len(kept), 'actie', 'acties')} die al vastlagen, blijven op de lijst."
        if (kept)
        else ""
    )
    return say(f"De dialoogsessie is gestopt.{extra}")


async def _silences(deps: Deps, now: datetime, limit: int) -> list[Occurrence[Dialoog]]:
    found = []
    for dialogue in await Dialoogsessies(deps.db).silences_over(now, limit):
        assert dialogue.silent_until is not None
        found.append(
            await in_conversation(
                deps.db,
                f"dialoog-stil:{dialogue.id}:{iso(dialogue.silent_until)}",
                dialogue.id,
                dialogue.silent_until,
                dialogue.conversation_id,
                dialogue,
            )
        )
    return found


async def _silence_ended(deps: Deps, occurrence: Occurrence[Dialoog], skipped: str) -> bool:
    """False when the leercoach already moved on (or it was announced): then nothing is sent."""
    until = occurrence.item.silent_until
    return until is not None and await Dialoogsessies(deps.db).end_silence(
        occurrence.item.id, until
    )


async def _time_is_up(deps: Deps, occurrence: Occurrence[Dialoog]) -> Reply:
    dialogue = occurrence.item
    now = iso(deps.clock.now())

    async def make(label: str, kind: str, payload: dict[str, Any]) -> Button:
        return await buttons.make(deps.db, dialogue.conversation_id, label, kind, payload, now)

    row = await step_row(make, dialogue.id, "stil_opschrijven", "Verder: de ideeënronde")
    return say(
        "⏱ ",
        b("De minuut stil opschrijven is om."),
        f" {dialogue.leercoach}, als "
        "iedereen klaar is, zet je de volgende stap: de ideeënronde. Met de knop, of met ",
        cmd("intervisie verder"),
        ".",
        buttons=row,
    )


SILENCE_ENDS = TimedWork("dialoog-stil", _silences, _silence_ended, _time_is_up)
"""The minute of silent writing ends with a message in the group, once."""


def register(router: Router) -> None:
    router.timed(SILENCE_ENDS)
    router.text_flow(FLOW, on_text, label="je inbreng in de dialoogsessie", back=on_back)
    router.button("dialoog.verder", on_next)
    router.button("dialoog.terug", on_back_button)
    router.button("dialoog.actie", on_add)
    router.button("dialoog.afronden", on_finish)
