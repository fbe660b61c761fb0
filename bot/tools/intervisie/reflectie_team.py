"""`reflectie team`: the Resokit reflection questions on policy and practice, one front at a time
(the source's advice: start small, on one front), posted for the team to answer in the thread;
and the weekly nudge that walks the fronts in the order a coordinator chose."""

from __future__ import annotations

from typing import Any

from bot.core.clock import iso
from bot.core.context import Ctx, Deps
from bot.core.replies import Audience, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Router
from bot.text import long
from bot.text.dutch import fold, is_number
from bot.tools.intervisie.shared import coordinators_only, source
from bot.tools.intervisie.store.voortgang import Voortgang
from bot.tools.kletspot.store.aanknopingspunten import Aanknopingspunten
from content import Content
from content.schemas.reflectievragen import Front

TRACK = "reflectie"
LABEL_MAX = 40
USAGE = (
    "reflectie team · reflectie team beleid|werking · reflectie team 3 · reflectie team lijst "
    "· reflectie team volgorde 9,10,1 (of beleid, werking, alles) · reflectie team over"
)


def numbered(content: Content) -> list[tuple[int, str, Front]]:
    """Every front with its number (policy first, as in the source) and its half."""
    rv = content.reflectievragen
    halves = [("beleid", f) for f in rv.beleid.fronten] + [
        ("werking", f) for f in rv.werking.fronten
    ]
    return [(n, half, front) for n, (half, front) in enumerate(halves, start=1)]


def half_of(content: Content, front_id: str) -> str:
    return next(half for _, half, f in numbered(content) if f.id == front_id)


def find(content: Content, text: str) -> list[tuple[int, str, Front]]:
    key = fold(text)
    fronts = numbered(content)
    if is_number(key):
        return [x for x in fronts if x[0] == int(key)]
    return [x for x in fronts if x[2].id == key or fold(x[2].titel) == key]


def front_parts(content: Content, front: Front) -> list[str | Span]:
    parts: list[str | Span] = [b(f"🔎 {front.titel}"), i(f" ({half_of(content, front.id)})")]
    for n, vraag in enumerate(front.vragen, start=1):
        parts += [f"\n{n}. ", vraag.tekst]
        if vraag.voorbeeld:
            parts += ["\n    ", i(vraag.voorbeeld)]
        if vraag.url:
            parts.append(f" ({vraag.url})")
    for note in front.toelichting:
        parts += ["\n\n* ", note.tekst]
        if note.url:
            parts.append(f" ({note.url})")
    parts += [
        "\n\nAntwoord in de draad van dit bericht. Wat jullie willen vasthouden, noteer je met ",
        cmd("noteer <tekst>"),
        ".\n",
        source(content.reflectievragen.bron),
    ]
    return parts


def about(content: Content) -> list[Reply]:
    """The tool's own introduction, what inspired it and the citation it asks for: read on
    request ("Meer lezen"), so the team's question posts stay short."""
    rv = content.reflectievragen
    head: list[str | Span] = [b(f"Over de {rv.bron.titel.lower()}")]
    blocks: list[list[str | Span]] = [["\n\n", alinea] for alinea in rv.inleiding]
    inspiratie: list[str | Span] = ["\n\n", b(rv.inspiratie.kop)]
    for bron in rv.inspiratie.bronnen:
        inspiratie += ["\n• ", bron.titel, f" ({bron.url})" if bron.url else ""]
    blocks += [inspiratie, ["\n\n", b(rv.referentie_kop), "\n", rv.referentie]]
    pages = long.messages(head, blocks, ["\n\n", source(rv.bron)])
    return [say(*page, audience=Audience.QUIET) for page in pages]


def label(front: Front) -> str:
    return front.titel if len(front.titel) <= LABEL_MAX else front.titel[: LABEL_MAX - 1] + "…"


async def intro(ctx: Ctx) -> Reply:
    rv = ctx.content.reflectievragen
    row = [
        await ctx.button("Beleid", "reflectie.helft", {"h": "beleid"}),
        await ctx.button("Werking", "reflectie.helft", {"h": "werking"}),
        await ctx.button("Meer lezen", "reflectie.over"),
    ]
    return say(
        b("Reflectievragen voor een praktijk en beleid tegen eenzaamheid\n"),
        rv.advies,
        "\n\nKies het beleid of de werking, en dan één front.\n",
        i(USAGE),
        "\n",
        source(rv.bron),
        buttons=row,
    )


async def half_view(ctx: Ctx, half: str) -> Reply:
    deel = (
        ctx.content.reflectievragen.beleid
        if half == "beleid"
        else (ctx.content.reflectievragen.werking)
    )
    row = [await ctx.button(label(f), "reflectie.front", {"f": f.id}) for f in deel.fronten]
    return say(deel.overzicht, "\n\nKies één front: ik post de vragen voor het team.", buttons=row)


def topic(front: Front) -> str:
    """The heading the team's notes after this front get in `punten export`."""
    return f"Reflectievragen: {front.titel}"


async def post(ctx: Ctx, front: Front) -> Reply:
    """The front for the team; a `noteer` typed after it belongs to it."""
    await Aanknopingspunten(ctx.db).set_topic(ctx.conversation_id, topic(front), iso(ctx.now()))
    return say(*front_parts(ctx.content, front), thread_id=ctx.event.place.thread_id)


def listing(content: Content) -> Reply:
    parts: list[str | Span] = [b("Alle fronten")]
    for n, half, front in numbered(content):
        parts += [f"\n{n}. {front.titel}", i(f" ({half})")]
    parts += ["\n\nPost er één met ", cmd("reflectie team 3"), "."]
    return say(*parts)


async def order(ctx: Ctx, rest: str) -> Reply:
    """Show or set the order of the weekly reflection nudge (`planning wat reflectie`)."""
    fronts = numbered(ctx.content)
    tracks = Voortgang(ctx.db)
    if rest.strip():
        if not ctx.is_coordinator:
            return coordinators_only("de volgorde van de wekelijkse reflectie kiezen")
        chosen = choose(ctx.content, rest)
        if chosen is None:
            return say(
                "Die volgorde kan ik niet lezen. Geef nummers uit ",
                cmd("reflectie team lijst"),
                ", bv. ",
                cmd("reflectie team volgorde 9,10,1"),
                ", of beleid, werking of alles.",
            )
        await tracks.set_order(ctx.conversation_id, TRACK, chosen, ctx.user_id, ctx.now())
    state = await tracks.round(ctx.conversation_id, TRACK)
    known = [f.id for _, _, f in fronts]
    ids, up_next = state.order(known), state.up_next(known)
    parts: list[str | Span] = [b("Volgorde van de wekelijkse reflectie")]
    for n, front_id in enumerate(ids, start=1):
        front = ctx.content.reflectievragen.front(front_id)
        marker = "  ← volgende" if front_id == up_next else ""
        parts += [f"\n{n}. {front.titel}", i(f" ({half_of(ctx.content, front_id)}){marker}")]
    parts += [
        "\n\nDe wekelijkse planning post één front per keer met ",
        cmd("planning wat reflectie"),
        ".",
    ]
    return say(*parts)


def choose(content: Content, text: str) -> list[str] | None:
    fronts = numbered(content)
    key = fold(text)
    if key in ("alles", "alle"):
        return [f.id for _, _, f in fronts]
    if key in ("beleid", "werking"):
        return [f.id for _, half, f in fronts if half == key]
    chosen: list[str] = []
    for word in key.replace(";", ",").replace(" ", ",").split(","):
        if not word:
            continue
        if not is_number(word) or not 1 <= int(word) <= len(fronts):
            return None
        front_id = fronts[int(word) - 1][2].id
        if front_id not in chosen:
            chosen.append(front_id)
    return chosen or None


async def reflectie_team(ctx: Ctx, args: str) -> list[Reply]:
    head, _, rest = args.strip().partition(" ")
    word = fold(head)
    if not word:
        return [await intro(ctx)]
    if word in ("beleid", "werking") and not rest:
        return [await half_view(ctx, word)]
    if word == "lijst":
        return [listing(ctx.content)]
    if word in ("over", "bron", "referentie", "meer"):
        return about(ctx.content)
    if word == "volgorde":
        return [await order(ctx, rest)]
    hits = find(ctx.content, args)
    if len(hits) == 1:
        return [await post(ctx, hits[0][2])]
    if hits:
        options = ", ".join(f"{n} ({half})" for n, half, _ in hits)
        return [say(f"Dat front staat zowel bij het beleid als bij de werking: kies {options}.")]
    return [say("Dat front ken ik niet. Bekijk ", cmd("reflectie team lijst"), ". ", i(USAGE))]


async def on_half(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    half = payload.get("h")
    return [await half_view(ctx, half if half in ("beleid", "werking") else "beleid")]


async def on_front(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    hits = [x for x in numbered(ctx.content) if x[2].id == payload.get("f")]
    if not hits:
        return [say("Dat front bestaat niet meer. Typ ", cmd("reflectie team"), ".")]
    return [await post(ctx, hits[0][2])]


async def on_about(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return about(ctx.content)


async def nudge(deps: Deps, conversation_id: int) -> Reply:
    """One front a week, in the team's order, starting again after the last."""
    default = [f.id for _, _, f in numbered(deps.content)]
    front_id = await Voortgang(deps.db).take_next(conversation_id, TRACK, default, deps.clock.now())
    front = deps.content.reflectievragen.front(front_id)
    await Aanknopingspunten(deps.db).set_topic(conversation_id, topic(front), iso(deps.clock.now()))
    return say(b("Reflectie van de week\n\n"), *front_parts(deps.content, front))


def register(router: Router) -> None:
    router.nudge(
        TRACK, "één front uit de reflectievragen (beleid en werking), in de gekozen volgorde", nudge
    )
    router.subcommand("reflectie", "team", reflectie_team, in_group=Audience.HERE)
    router.explain(
        CommandInfo(
            "reflectie team",
            "De reflectievragen van Resokit over beleid en "
            "werking, één front per keer, voor het team om samen te "
            "beantwoorden.",
            "reflectie team 3",
            in_group=Audience.HERE,
        )
    )
    router.button("reflectie.helft", on_half)
    router.button("reflectie.front", on_front)
    router.button("reflectie.over", on_about)
