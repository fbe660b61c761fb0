"""`noteer` and `punten`: aanknopingspunten written down during a talk, kept for a formal moment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core import flows
from bot.core.buttons import is_id
from bot.core.clock import iso, parse_iso
from bot.core.context import Ctx, Deps
from bot.core.replies import Attachment, Audience, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Flow, Router
from bot.core.storage import Read
from bot.text.dutch import count
from bot.text.markdown import clean, escape
from bot.text.moments import say_day, say_moment
from bot.text.sources import full as source_line
from bot.tools.kletspot import afdruk
from bot.tools.kletspot.kletspot import running_buttons
from bot.tools.kletspot.kleuren import emoji
from bot.tools.kletspot.store.aanknopingspunten import POINT_MAX, Aanknopingspunt, Aanknopingspunten
from bot.tools.kletspot.store.pot import Trekking, Trekkingen
from bot.tools.kletspot.store.sessies import KletspotSessies
from bot.tools.kletspot.vraag import once_of

RECENT_QUESTION = timedelta(hours=3)
"""A note without a button belongs to the last question drawn here within this time."""
LIST_MAX = 30


async def store(ctx: Ctx, text: str, card: Read[Trekking | None] | None) -> Reply:
    """`card`: the question of the card whose button asked for this note; None: typed."""
    text = clean(text)
    if not text:
        return say(
            "Een leeg aanknopingspunt bewaar ik niet. Schrijf het erachter, bv. ",
            cmd("noteer buurthuis betrekken bij de koffieochtend"),
            ".",
        )
    if len(text) > POINT_MAX:
        return say(
            f"Dat is te lang ({len(text)} tekens): een aanknopingspunt mag hoogstens "
            f"{POINT_MAX} tekens zijn. Ik heb het nog niet bewaard; kort het in en probeer opnieuw."
        )
    draws = Trekkingen(ctx.db)
    notes = Aanknopingspunten(ctx.db)
    recent = iso(ctx.now() - RECENT_QUESTION)
    # typed, or a card of no draw here: the last question drawn here lately, unless a front
    # was posted after it; read with the card's draw, for where it finds none (one trip)
    lately = (
        notes.topic(ctx.conversation_id, recent),
        draws.latest(ctx.conversation_id, recent),
        KletspotSessies(ctx.db).open_for(ctx.conversation_id),
    )
    if card is None:
        draw = None
        topic, latest, session = await ctx.db.together(*lately)
    else:
        draw, topic, latest, session = await ctx.db.together(card, *lately)
    if draw is not None:
        topic = None
    elif topic is not None and (latest.id if latest else 0) > topic.after_draw:
        topic, draw = None, latest
    elif topic is None:
        draw = latest
    point = await notes.add(
        ctx.conversation_id,
        (ctx.user_id, ctx.name),
        text,
        draw,
        session.id if session else None,
        iso(ctx.now()),
        topic.heading if topic else None,
    )
    parts: list[str | Span] = ["📝 Genoteerd: ", i(point.text)]
    if point.question_text:
        parts += [f"\nBij {emoji(ctx.content.kletspot, point.colour)} ", point.question_text]
    elif point.topic:
        parts += ["\nBij ", point.topic]
    buttons = [
        await ctx.button("↩ Ongedaan maken", "points.undo", {"p": point.id}, personal=True),
        *await running_buttons(ctx, session),
    ]
    return say(*parts, buttons=buttons)


async def ask(ctx: Ctx, card: dict[str, Any]) -> Reply:
    """`card`: the draw the note will belong to, as `card_of` reads it back ({}: none)."""
    await flows.start(ctx, "noteer", "ask", card)
    where = "als antwoord" if ctx.is_group else "hieronder"
    return say(f"Typ je aanknopingspunt {where}. (Max. {POINT_MAX} tekens.)", expects_text=True)


def card_of(ctx: Ctx, data: dict[str, Any]) -> Read[Trekking | None] | None:
    """The draw of the card a note was asked from: by what it follows (`Draw.follows`), or by
    its id (flows and buttons made before cards said what their draw follows)."""
    follows, history = data.get("v"), data.get("h")
    if is_id(follows):
        return Trekkingen(ctx.db).after(ctx.conversation_id, follows)
    if is_id(history):
        return Trekkingen(ctx.db).get(history, ctx.conversation_id)
    return None


async def noteer(ctx: Ctx, args: str) -> list[Reply]:
    if not args.strip():
        return [await ask(ctx, {})]
    return [await store(ctx, args, None)]


async def keep(ctx: Ctx, text: str, author: str | None) -> list[Reply]:
    """A message someone picked to keep (Slack's message shortcut) is a point noted by them;
    who wrote it is kept by name in the point, not made to act: they asked the bot nothing."""
    return [await store(ctx, f"{text} (bericht van {author})" if author else text, None)]


async def on_ask(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """The card's question, named as its button names it: read when the note comes."""
    once = once_of(payload)
    if once is not None and once.follows is not None:
        return [await ask(ctx, {"v": once.follows})]
    return [await ask(ctx, {"h": payload.get("h")})]


async def on_text(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    reply = await store(ctx, text, card_of(ctx, flow.data))
    if clean(text) and len(clean(text)) <= POINT_MAX:
        await flows.finish(ctx, flow)
    return [reply]


async def on_undo(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """Right after noting: the author's own button takes it back (its text comes back with
    the removal: one statement)."""
    point_id = payload.get("p")
    notes = Aanknopingspunten(ctx.db)
    text = await notes.remove(point_id, ctx.conversation_id) if is_id(point_id) else None
    if text is None:
        return [say("Dit aanknopingspunt is al weg.", audience=Audience.PRIVATE)]
    return [say("↩ Niet meer genoteerd: ", i(text), replaces=True)]


async def remove(ctx: Ctx, number: str) -> Reply:
    """`punten weg 3`: by its number in `punten`; its author or a coordinator."""
    points = await Aanknopingspunten(ctx.db).of_conversation(ctx.conversation_id)
    if not points:
        return say("Er zijn hier geen aanknopingspunten om weg te halen.")
    if not number.strip().isdigit() or not 1 <= int(number) <= len(points):
        return say(
            "Welk aanknopingspunt haal ik weg? Geef het nummer uit ",
            cmd("punten"),
            ", bv. ",
            cmd("punten weg 2"),
            ".",
        )
    point = points[int(number) - 1]
    if point.author_id != ctx.user_id and not ctx.is_coordinator:
        return say("Een aanknopingspunt weghalen kan wie het noteerde, of een coördinator.")
    if await Aanknopingspunten(ctx.db).remove(point.id, ctx.conversation_id) is None:
        return say("Dat aanknopingspunt is al weg.")
    return say(f"Aanknopingspunt {number} is weggehaald: ", i(point.text))


async def punten(ctx: Ctx, args: str) -> list[Reply]:
    word, _, rest = args.strip().partition(" ")
    if word.lower() in ("weg", "verwijder", "wis"):
        return [await remove(ctx, rest.strip())]
    points = await Aanknopingspunten(ctx.db).of_conversation(ctx.conversation_id)
    if args.strip().lower() == "export":
        team = ctx.title or "dit gesprek"
        return [
            export(ctx, points),
            await afdruk.points_pdf(
                ctx.content,
                points,
                team,
                say_day(ctx.now(), ctx.timezone, ctx.now()),
                ctx.now().date().isoformat(),
                ctx.timezone,
                ctx.now(),
            ),
        ]
    if args.strip():
        return [
            say(
                "Gebruik ",
                cmd("punten"),
                " voor de lijst of ",
                cmd("punten export"),
                " voor een document.",
            )
        ]
    if not points:
        return [
            say(
                "Er zijn hier nog geen aanknopingspunten genoteerd. Gebruik ",
                cmd("noteer"),
                " of de knop onder een vraag.",
            )
        ]
    shown = points[-LIST_MAX:]
    parts: list[str | Span] = [b(f"Aanknopingspunten in dit gesprek ({len(points)})")]
    if len(points) > len(shown):
        parts.append(i(f"\nDe laatste {len(shown)}; alles staat in punten export."))
    for n, point in enumerate(shown, start=len(points) - len(shown) + 1):
        parts += [
            f"\n{n}. {emoji(ctx.content.kletspot, point.colour, '•')} ",
            point.text,
            i(
                f" ({point.author or 'onbekend'}, {say_moment(parse_iso(point.created_at), ctx.timezone, ctx.now())})"
            ),
        ]
    parts += [
        "\n\nVoor een formeel moment: ",
        cmd("punten export"),
        ". Eentje weghalen: ",
        cmd("punten weg <nummer>"),
        ".",
    ]
    return [say(*parts)]


def export(ctx: Ctx, points: list[Aanknopingspunt]) -> Reply:
    """Markdown grouped by cluster, then by question, ready for a meeting or an action plan."""
    title = ctx.title or "dit gesprek"
    today = say_day(ctx.now(), ctx.timezone, ctx.now())
    lines = [
        f"# Aanknopingspunten uit de kletspot: {escape(title)}",
        "",
        f"Opgemaakt op {today}. Vragen uit de kletspot van Resokit.",
        "",
    ]
    groups: list[tuple[str, list[Aanknopingspunt]]] = []
    for colour in ctx.content.kletspot.colour_names:
        cluster = ctx.content.kletspot.cluster(colour)
        groups.append(
            (f"{colour.capitalize()}: {cluster.titel}", [p for p in points if p.colour == colour])
        )
    gone = sorted({p.colour for p in points if p.colour} - set(ctx.content.kletspot.colour_names))
    for colour in gone:  # a colour since removed from the content: its notes are still theirs
        groups.append((colour.capitalize(), [p for p in points if p.colour == colour]))
    topics = list(dict.fromkeys(p.topic for p in points if p.colour is None and p.topic))
    for topic in topics:  # a front of the reflection questions, as the team posted it
        groups.append((topic, [p for p in points if p.colour is None and p.topic == topic]))
    groups.append(("Zonder vraag", [p for p in points if p.colour is None and not p.topic]))
    for heading, members in groups:
        if not members:
            continue
        lines += [f"## {escape(heading)}", ""]
        by_question: dict[str, list[Aanknopingspunt]] = {}
        for point in members:
            by_question.setdefault(point.question_text or "", []).append(point)
        for question, notes in by_question.items():
            if question:
                lines += [f"### {escape(question)}", ""]
            for point in notes:
                stamp = say_day(parse_iso(point.created_at), ctx.timezone, ctx.now())
                text = escape(point.text).replace("\n", "\n  ")
                lines.append(f"- {text} ({escape(point.author or 'onbekend')}, {stamp})")
            lines.append("")
    if not points:
        lines += ["Er zijn nog geen aanknopingspunten genoteerd.", ""]
    lines += ["---", "", escape(source_line(ctx.content, ctx.content.kletspot.bron.bestand)), ""]
    name = f"aanknopingspunten-{ctx.now().date().isoformat()}.md"
    return say(
        f"Het overzicht van {count(len(points), 'aanknopingspunt', 'aanknopingspunten')}, "
        "gegroepeerd per cluster.",
        attachment=Attachment(name, "\n".join(lines)),
    )


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "noteer",
            "Noteer een aanknopingspunt bij de laatste vraag.",
            "noteer samenwerken met het buurthuis",
            in_group=Audience.HERE,
        ),
        noteer,
    )
    router.command(
        CommandInfo(
            "punten",
            "Toon de genoteerde aanknopingspunten; met export als document per cluster.",
            "punten export",
            in_group=Audience.QUIET,
            arguments={"export": Audience.HERE},
        ),
        punten,
    )
    router.button("points.ask", on_ask)
    router.button("points.undo", on_undo)
    router.text_flow(
        "noteer", on_text, label="je aanknopingspunt", resume="noteer", keeps_answers=False
    )
    router.on_keep(keep)

    def export(deps: Deps, points: list[dict[str, Any]]) -> dict[str, Any]:
        return {"aanknopingspunten": points}

    async def erase(deps: Deps, user_id: int) -> None:
        await Aanknopingspunten(deps.db).forget_author(user_id)

    router.personal("aanknopingspunten", Aanknopingspunten.export_of, export, erase)
