"""`intervisie`: a coordinator posts an assignment of the workbook "Eenzaam ben je niet alleen"
(by meeting of the trainer's manual, or by chapter and phase), runs a dialoogsessie, and sets
the next meeting, on which the agreed actions come back. Also the weekly intervision nudge."""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.core.context import Ctx, Deps
from bot.core.replies import Audience, Button, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Router
from bot.text import long
from bot.text.achtergrond import tekst_parts
from bot.text.dutch import fold, is_number
from bot.text.moments import read_moment, say_moment
from bot.text.refused import Refused
from bot.tools.intervisie import dialoogsessie
from bot.tools.intervisie.shared import coordinators_only, in_group_only, source
from bot.tools.intervisie.store.bijeenkomsten import Bijeenkomsten
from bot.tools.intervisie.store.dialoogsessies import Dialoogsessies
from bot.tools.intervisie.store.teamacties import Teamacties
from bot.tools.intervisie.store.voortgang import Voortgang
from bot.tools.intervisie.teamacties import terugblik
from content import Content
from content.schemas.intervisie import Huiswerk, Kop, Opdracht, Programmaonderdeel, Vraag

MEETING_TIME = time(9, 0)
"""The revisit's moment on a meeting day when the coordinator names no hour."""
LABEL_MAX = 40
USAGE = (
    "intervisie bijeenkomst 2 · intervisie hoofdstuk 6 · intervisie 6.4 · "
    "intervisie sessie @leercoach @inbrenger · intervisie verder · intervisie terug · "
    "intervisie stop · "
    "intervisie volgende 16-03 14:00 · intervisie terugblik"
)
STARTS = "intervisie starten"
VERWIJSKAART_OPDRACHTEN = ("11.3",)
"""11.3 asks the team to make its own Verwijskaart: the bot keeps it (`verwijskaart`)."""


def training_order(content: Content) -> list[str]:
    """The assignments in the order of the five meetings: what the weekly nudge walks through."""
    order: list[str] = []
    for bijeenkomst in content.intervisie.trainershandleiding.bijeenkomsten:
        order += [c for c in bijeenkomst.opdrachten if c not in order]
    return order


def meeting_of(content: Content, code: str) -> int | None:
    for bijeenkomst in content.intervisie.trainershandleiding.bijeenkomsten:
        if code in bijeenkomst.opdrachten:
            return bijeenkomst.nummer
    return None


def label(opdracht: Opdracht) -> str:
    text = f"{opdracht.code} {opdracht.titel}"
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def story_parts(content: Content, verhaal_id: str) -> list[str | Span]:
    verhaal = content.intervisie.verhaal(verhaal_id)
    parts: list[str | Span] = [b(f"📖 {verhaal.titel}")]
    for alinea in verhaal.alineas:
        parts += ["\n\n", alinea]
    parts += ["\n", source(content.intervisie.bron, f"§{verhaal.paragraaf}")]
    return parts


def assignment_parts(content: Content, opdracht: Opdracht) -> list[str | Span]:
    """Title, instruction and questions in the workbook's order, verbatim, with the source."""
    iv = content.intervisie
    soort = "Trainingsopdracht" if opdracht.soort == "training" else "Praktijkopdracht"
    hoofdstuk = iv.hoofdstuk(opdracht.hoofdstuk)
    parts: list[str | Span] = [
        b(f"{opdracht.code} {soort}: {opdracht.titel}\n"),
        i(
            f"Hoofdstuk {hoofdstuk.nummer} {hoofdstuk.titel}"
            + (f" · fase: {hoofdstuk.fase}" if hoofdstuk.fase else "")
        ),
    ]
    for alinea in opdracht.inleiding:
        parts += ["\n\n", alinea]
    parts += ["\n\n", b("Instructie")]
    number = 0
    for regel in opdracht.instructie:
        if isinstance(regel, Vraag):
            number += 1
            parts += [f"\n{number}. ", regel.vraag]
        elif isinstance(regel, Kop):
            parts += ["\n\n", b(regel.kop)]
        else:
            parts += ["\n", regel]
    for citaat in opdracht.citaten:
        parts += ["\n\n", i(citaat)]
    if opdracht.aanvulzinnen:
        parts.append("\n")
    for zin in opdracht.aanvulzinnen:
        parts += ["\n• ", zin, " …"]
    for soort_ref, refs, catalogue in (
        ("Instrumenten", opdracht.instrumenten, iv.instrumenten),
        ("Kennisbronnen", opdracht.kennisbronnen, iv.kennisbronnen),
    ):
        if refs:
            named = [f"{v.paragraaf} {v.titel}" for v in catalogue if v.paragraaf in refs]
            parts += [f"\n\n{soort_ref}: ", "; ".join(named)]
    if opdracht.protocol == "dialoogsessie":
        parts += [
            "\n\nDe sessie zelf leid ik stap voor stap met ",
            cmd("intervisie sessie @leercoach @inbrenger"),
            ".",
        ]
    parts += ["\n\nAntwoord in de draad van dit bericht.\n", source(iv.bron, f"§{opdracht.code}")]
    return parts


def post(ctx: Ctx, opdracht: Opdracht) -> list[Reply]:
    """The story first when the assignment discusses one, then the assignment, in this thread."""
    thread = ctx.event.place.thread_id
    replies = []
    if opdracht.verhaal:
        replies.append(say(*story_parts(ctx.content, opdracht.verhaal), thread_id=thread))
    replies.append(say(*assignment_parts(ctx.content, opdracht), thread_id=thread))
    for tekst in ctx.content.achtergrond.bij(opdracht.code):
        replies.append(say(*tekst_parts(ctx.content, tekst), thread_id=thread))
    if opdracht.code in VERWIJSKAART_OPDRACHTEN:
        replies.append(
            say(
                "De eigen versie van jullie team staat in ",
                cmd("verwijskaart"),
                ": coördinatoren vullen ze aan, iedereen leest mee.",
                thread_id=thread,
            )
        )
    return replies


def find(content: Content, code: str) -> Opdracht | None:
    return next((o for o in content.intervisie.opdrachten if o.code == code.strip()), None)


async def code_buttons(ctx: Ctx, codes: list[str]) -> list[Button]:
    return [
        await ctx.button(label(ctx.content.intervisie.opdracht(c)), "intervisie.opdracht", {"c": c})
        for c in codes
    ]


async def menu(ctx: Ctx) -> Reply:
    parts: list[str | Span] = [
        b("Intervisie\n"),
        "Opdrachten uit het werkboek ",
        i(ctx.content.intervisie.bron.titel),
        ": per bijeenkomst van de trainershandleiding of per hoofdstuk (fase). Of leid een "
        "dialoogsessie met ",
        cmd("intervisie sessie @leercoach @inbrenger"),
        ".",
    ]
    if ctx.is_group:
        meeting = await Bijeenkomsten(ctx.db).planned(ctx.conversation_id)
        running = await Dialoogsessies(ctx.db).running(ctx.conversation_id)
        if meeting is not None:
            parts.append(
                f"\nVolgende bijeenkomst: {say_moment(meeting.at, ctx.timezone, ctx.now())}."
            )
        if running is not None:
            parts.append(f"\nEr loopt een dialoogsessie (inbrenger {running.inbrenger}).")
    parts += ["\n\n", i(USAGE)]
    row = [
        await ctx.button(f"Bijeenkomst {n}", "intervisie.bijeenkomst", {"n": n})
        for n in range(1, 6)
    ]
    row.append(await ctx.button("Per hoofdstuk", "intervisie.hoofdstukken"))
    return say(*parts, buttons=row)


def row_parts(onderdeel: Programmaonderdeel) -> list[str | Span]:
    """One row of the manual's table: what, its time and the total time as printed, and the
    trainer's notes (Bijzonderheden) in the source's order."""
    tijd = " + ".join(onderdeel.tijd)
    totaal = " / ".join(onderdeel.totaal)
    parts: list[str | Span] = ["\n\n", b(onderdeel.wat), i(f"\n{tijd} · totale tijd {totaal}")]
    if onderdeel.voorbereiding:
        parts += ["\n", b("Voorbereiding voor deze opdracht:")]
        for regel in onderdeel.voorbereiding:
            parts += ["\n• ", regel]
    for regel in onderdeel.bijzonderheden:
        parts += ["\n", regel]
    for punt in onderdeel.punten:
        parts += ["\n• ", punt]
    for regel in onderdeel.slot:
        parts += ["\n", regel]
    return parts


def homework_parts(huiswerk: Huiswerk) -> list[str | Span]:
    parts: list[str | Span] = [b(huiswerk.kop), "\nLeesopdracht: ", huiswerk.leesopdracht]
    for tekst in huiswerk.teksten:
        parts += ["\n\n", tekst]
    return parts


async def meeting_view(ctx: Ctx, number: int) -> list[Reply]:
    """The whole meeting of the trainer's manual: what to bring, every row with its times and
    the trainer notes (for the coordinator: only them where the platform can), then the
    assignments for next time with buttons to post one to the team."""
    iv = ctx.content.intervisie
    handleiding = iv.trainershandleiding
    if number not in [m.nummer for m in handleiding.bijeenkomsten]:
        return [say("Kies bijeenkomst 1 tot en met 5, bv. ", cmd("intervisie bijeenkomst 2"), ".")]
    bijeenkomst = iv.bijeenkomst(number)
    head: list[str | Span] = [
        b(f"📋 Bijeenkomst {number} · trainershandleiding\n"),
        bijeenkomst.omschrijving,
    ]
    if bijeenkomst.meenemen:
        head += ["\n\n", b(bijeenkomst.meenemen_kop)]
        for ding in bijeenkomst.meenemen:
            head += ["\n• ", ding]
    head += [
        "\n\n",
        i(
            "Per onderdeel: wat, de tijd, de totale tijd sinds de start en de "
            "bijzonderheden voor de trainer."
        ),
    ]
    pages = long.messages(
        head,
        [row_parts(o) for o in bijeenkomst.programma],
        ["\n\n", source(iv.bron, "bijlage 1 Trainershandleiding")],
    )
    audience = Audience.QUIET if ctx.is_group else Audience.HERE
    replies = [say(*page, audience=audience) for page in pages]
    codes = list(bijeenkomst.opdrachten)
    closing: list[str | Span] = []
    if bijeenkomst.huiswerk is not None:
        closing += [*homework_parts(bijeenkomst.huiswerk), "\n\n"]
        codes += [c for c in bijeenkomst.huiswerk.opdrachten if c not in codes]
    closing += [
        "Kies een opdracht om ze in het gesprek te zetten.\n",
        source(iv.bron, "bijlage 1 Trainershandleiding"),
    ]
    replies.append(say(*closing, buttons=await code_buttons(ctx, codes)))
    return replies


async def chapters_view(ctx: Ctx) -> Reply:
    iv = ctx.content.intervisie
    parts: list[str | Span] = [b("Opdrachten per hoofdstuk")]
    row: list[Button] = []
    for hoofdstuk in iv.hoofdstukken:
        codes = [o.code for o in iv.opdrachten if o.hoofdstuk == hoofdstuk.nummer]
        parts += [
            f"\n{hoofdstuk.nummer}. {hoofdstuk.titel}",
            i(f" (fase: {hoofdstuk.fase})" if hoofdstuk.fase else ""),
            f": {', '.join(codes)}",
        ]
        row.append(
            await ctx.button(
                f"Hoofdstuk {hoofdstuk.nummer}", "intervisie.hoofdstuk", {"n": hoofdstuk.nummer}
            )
        )
    return say(*parts, buttons=row)


async def chapter_view(ctx: Ctx, number: int) -> Reply:
    iv = ctx.content.intervisie
    if number not in [h.nummer for h in iv.hoofdstukken]:
        first, last = iv.hoofdstukken[0].nummer, iv.hoofdstukken[-1].nummer
        return say(
            f"Kies een hoofdstuk van {first} tot en met {last}, bv. ",
            cmd("intervisie hoofdstuk 6"),
            ".",
        )
    hoofdstuk = iv.hoofdstuk(number)
    opdrachten = [o for o in iv.opdrachten if o.hoofdstuk == number]
    parts: list[str | Span] = [
        b(f"Hoofdstuk {number} {hoofdstuk.titel}"),
        i(f"\nFase: {hoofdstuk.fase}" if hoofdstuk.fase else ""),
    ]
    for o in opdrachten:
        soort = "trainingsopdracht" if o.soort == "training" else "praktijkopdracht"
        parts += [f"\n• {o.code} {o.titel}", i(f" ({soort})")]
    return say(*parts, buttons=await code_buttons(ctx, [o.code for o in opdrachten]))


# --- the next meeting --------------------------------------------------------------------------


async def next_meeting(ctx: Ctx, rest: str) -> Reply:
    """`intervisie volgende <datum> [uu:mm]`: on that moment the revisit is posted here."""
    meetings = Bijeenkomsten(ctx.db)
    words = rest.split()
    if not words:
        meeting = await meetings.planned(ctx.conversation_id)
        if meeting is None:
            return say(
                "Er is geen volgende bijeenkomst gepland. Zet ze met ",
                cmd("intervisie volgende 16-03 14:00"),
                ".",
            )
        return say(
            f"Volgende bijeenkomst: {say_moment(meeting.at, ctx.timezone, ctx.now())}. Dan post ik hier de "
            "terugblik op de open acties."
        )
    if fold(words[0]) in ("uit", "geen", "weg"):
        cancelled = await meetings.cancel(ctx.conversation_id)
        return say(
            "De volgende bijeenkomst is geschrapt; er komt geen terugblik."
            if cancelled
            else "Er was geen volgende bijeenkomst gepland."
        )
    try:
        moment = read_moment(" ".join(words), ctx.now(), ctx.timezone, MEETING_TIME)
    except Refused as refused:
        return say(str(refused))
    await meetings.plan(ctx.conversation_id, moment, ctx.user_id, ctx.now())
    open_actions = await Teamacties(ctx.db).still_open(ctx.conversation_id)
    return say(
        f"📅 Volgende bijeenkomst: {say_moment(moment, ctx.timezone, ctx.now())}. Dan post ik hier de "
        f"terugblik (reflectieve integratie) op de open acties ({len(open_actions)} nu)."
    )


# --- the command and its buttons ---------------------------------------------------------------


async def intervisie(ctx: Ctx, args: str) -> list[Reply]:
    head, _, rest = args.strip().partition(" ")
    word = fold(head)
    if word in dialoogsessie.ASKS:
        return await dialoogsessie.answer_by_command(ctx, word, rest)
    if word in ("verder", "volgende stap") and ctx.is_group:  # the leercoach need not coordinate
        return await dialoogsessie.verder(ctx)
    if word in ("terug", "vorige", "vorige stap") and ctx.is_group:
        return await dialoogsessie.terug(ctx)
    if not ctx.is_coordinator:
        return [coordinators_only(STARTS)]
    if not word:
        return [await menu(ctx)]
    if word in ("sessie", "dialoogsessie", "stop", "volgende", "terugblik") and not ctx.is_group:
        return [in_group_only("Een dialoogsessie of de volgende bijeenkomst")]
    if word in ("sessie", "dialoogsessie"):
        return [await dialoogsessie.start(ctx, rest)]
    if word == "stop":
        return [await dialoogsessie.stop(ctx)]
    if word == "volgende":
        return [await next_meeting(ctx, rest)]
    if word == "terugblik":
        return [await terugblik.revisit(ctx.deps, ctx.conversation_id)]
    number = rest.strip()
    if word in ("bijeenkomst", "b"):
        return await meeting_view(ctx, int(number) if is_number(number) else 0)
    if word in ("hoofdstukken", "fasen", "fases"):
        return [await chapters_view(ctx)]
    if word in ("hoofdstuk", "fase", "h"):
        return [await chapter_view(ctx, int(number) if is_number(number) else 0)]
    code = number if word == "opdracht" else head
    opdracht = find(ctx.content, code)
    if opdracht is None:
        return [say("Die opdracht of dat woord ken ik niet: ", code[:20], ". ", i(USAGE))]
    return post(ctx, opdracht)


async def on_meeting(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    if not ctx.is_coordinator:
        return [coordinators_only(STARTS)]
    number = payload.get("n")
    return await meeting_view(ctx, number if isinstance(number, int) else 0)


async def on_chapters(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    if not ctx.is_coordinator:
        return [coordinators_only(STARTS)]
    return [await chapters_view(ctx)]


async def on_chapter(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    if not ctx.is_coordinator:
        return [coordinators_only(STARTS)]
    number = payload.get("n")
    return [await chapter_view(ctx, number if isinstance(number, int) else 0)]


async def on_assignment(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    if not ctx.is_coordinator:
        return [coordinators_only(STARTS)]
    opdracht = find(ctx.content, str(payload.get("c", "")))
    if opdracht is None:
        return [say("Deze opdracht bestaat niet meer. Typ ", cmd("intervisie"), ".")]
    return post(ctx, opdracht)


async def nudge(deps: Deps, conversation_id: int) -> Reply:
    """The weekly intervision prompt: the next assignment in the order of the five meetings."""
    order = training_order(deps.content)
    code = await Voortgang(deps.db).take_next(
        conversation_id, "intervisie", order, deps.clock.now()
    )
    opdracht = deps.content.intervisie.opdracht(code)
    meeting = meeting_of(deps.content, code)
    parts: list[str | Span] = [b(f"Intervisieopdracht van de week (bijeenkomst {meeting})\n\n")]
    if opdracht.verhaal:
        parts += [*story_parts(deps.content, opdracht.verhaal), "\n\n"]
    parts += assignment_parts(deps.content, opdracht)
    for tekst in deps.content.achtergrond.bij(opdracht.code):
        parts += ["\n\n", *tekst_parts(deps.content, tekst)]
    return say(*parts)


def register(router: Router) -> None:
    router.nudge(
        "intervisie",
        "een intervisieopdracht uit het werkboek, in de volgorde van de vijf bijeenkomsten",
        nudge,
    )
    router.command(
        CommandInfo(
            "intervisie",
            "Intervisie (coördinatoren): een opdracht uit het "
            "werkboek posten, een dialoogsessie leiden, de volgende bijeenkomst "
            "zetten. De afspraken staan in acties team.",
            "intervisie bijeenkomst 1",
            coordinators_only=True,
            dm_menu=False,
            in_group=Audience.HERE,
        ),
        intervisie,
    )
    router.button("intervisie.bijeenkomst", on_meeting)
    router.button("intervisie.hoofdstukken", on_chapters)
    router.button("intervisie.hoofdstuk", on_chapter)
    router.button("intervisie.opdracht", on_assignment)
