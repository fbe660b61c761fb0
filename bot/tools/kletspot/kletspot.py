"""`kletspot` and `stop`: a timed session for a lunch or a meeting opener."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core import identity, steering
from bot.core.buttons import is_id
from bot.core.clock import iso
from bot.core.context import Ctx, Deps
from bot.core.replies import Audience, Button, Reply, Span, b, cmd, i, picture, say
from bot.core.router import CommandInfo, Router
from bot.core.storage import Database
from bot.text.dutch import clock_time, count, is_number
from bot.text.moments import say_day
from bot.text.sources import full as source_line
from bot.timed.due import Occurrence, TimedWork, in_conversation
from bot.tools.kletspot import afdruk
from bot.tools.kletspot.kleuren import colour_label, emoji, parse_colour
from bot.tools.kletspot.store.aanknopingspunten import Aanknopingspunt, Aanknopingspunten
from bot.tools.kletspot.store.pot import AlreadyDrawn, ColourOff, Jar, Once, Pot, Trekkingen
from bot.tools.kletspot.store.sessies import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    KletspotSessie,
    KletspotSessies,
)
from bot.tools.kletspot.vraag import once_of, payload_of, question_card, unknown_colour
from content.schemas.kletspot import Kletspot

DEFAULT_TIMEZONE = "Europe/Brussels"
"""A conversation's time zone unless it set another (the schema's default)."""


def parse_session_args(kletspot: Kletspot, args: str) -> tuple[int, list[str]] | str:
    """Minutes and colours from 'kletspot 30 groen blauw'; a Dutch error text when unreadable."""
    minutes, colours = DEFAULT_MINUTES, []
    for word in args.split():
        if is_number(word):
            minutes = int(word)
            if not 1 <= minutes <= MAX_MINUTES:
                return f"Kies een duur tussen 1 en {MAX_MINUTES} minuten, bv. kletspot 30."
            continue
        colour = parse_colour(kletspot, word)
        if colour is None:
            return unknown_colour(kletspot, word).plain
        if colour not in colours:
            colours.append(colour)
    return minutes, colours or list(kletspot.colour_names)


@dataclass(frozen=True)
class Talk:
    """What a kletspot talked about: its questions (colour, text) and what was noted."""

    questions: list[tuple[str, str]]
    points: list[Aanknopingspunt]


async def team_name(db: Database, conversation_id: int) -> str:
    """For timed work, which has no event: the title stored (when the bot joined, or as the
    last event gave it)."""
    return await identity.title(db, conversation_id) or "Kletspot"


async def talk_of(db: Database, session: KletspotSessie) -> Talk:
    draws, points = await db.together(
        Trekkingen(db).of_session(session.id), Aanknopingspunten(db).of_session(session.id)
    )
    return Talk([(t.colour, t.question_text) for t in draws], points)


async def summary(
    deps: Deps,
    session: KletspotSessie,
    reason: str,
    ended: str,
    talk: Talk,
    team: str,
) -> Reply:
    """The summary in words, with the card of the colours discussed as a picture."""
    content = deps.content
    questions, points = talk.questions, talk.points
    png, words = await afdruk.session_card(content, team, ended, questions, len(points))
    parts: list[str | Span] = [b(f"Kletspot afgerond{reason}.\n")]
    parts.append(f"\nBesproken vragen ({len(questions)}):")
    for n, (colour, text) in enumerate(questions, start=1):
        parts += [f"\n{n}. {emoji(deps.content.kletspot, colour)} ", text]
    if not questions:
        parts.append(" geen.")
    parts.append(f"\n\nAanknopingspunten ({len(points)}):")
    for point in points:
        parts += ["\n• ", point.text, i(f" ({point.author or 'onbekend'})")]
    if not points:
        parts.append(" geen genoteerd.")
    else:
        parts += [
            "\n\nHou ze vast voor een formeler moment: ",
            cmd("punten export"),
            " maakt er een document van.",
        ]
    parts += ["\n\n", i(source_line(deps.content, deps.content.kletspot.bron.bestand))]
    return say(*parts, attachment=picture(f"kletspot-{session.id}.png", png, words))


def time_left(session: KletspotSessie, now: datetime) -> str:
    """'nog 12 minuten' (rounded up: with 20 seconds left there is still a minute)."""
    minutes = max(1, -(-int((session.ends_at - now).total_seconds()) // 60))
    return f"nog {count(minutes, 'minuut', 'minuten')}"


async def session_buttons(ctx: Ctx, session: KletspotSessie, card: int | None) -> list[Button]:
    """'Volgende vraag' draws once: `card` names the draw it was on by what that draw follows
    (`Draw.follows`; None: it draws at any moment)."""
    once = payload_of(None if card is None else Once(follows=card))
    return [
        await ctx.button("Volgende vraag", "session.next", {"s": session.id, **once}),
        await ctx.button("Stop", "session.stop", {"s": session.id}),
    ]


async def next_question(
    ctx: Ctx,
    session: KletspotSessie,
    after: Once | None = None,
    *,
    shown: int = 0,
    jar: Jar | None = None,
) -> Reply:
    """`shown`: the kletspot's questions so far; `jar`: read already with them (`for_draw`).
    The step to the next colour is made before the draw, so it travels with it: one round trip
    for both (taken back when the card's question turns out drawn already)."""

    async def card(follows: int, _: int | None) -> list[Button]:
        next_, stop_ = await session_buttons(ctx, session, follows)
        once = payload_of(Once(follows=follows))
        points = await ctx.button("Noteer een aanknopingspunt", "points.ask", once)
        return [next_, points, stop_]

    if after is not None and jar is not None and jar.moved_on(after):
        return say(ALREADY_DRAWN_IN_SESSION, audience=Audience.PRIVATE)  # a second press
    sessies = KletspotSessies(ctx.db)
    for _ in range(len(session.colours)):
        colour = session.colours[session.position % len(session.colours)]
        session = await sessies.step(session)
        try:
            draw = await Pot(ctx.db, ctx.content.kletspot, ctx.rng).draw(
                ctx.conversation_id,
                colour,
                iso(ctx.now()),
                card,
                session_id=session.id,
                after=after,
                jar=jar,
            )
        except AlreadyDrawn:
            await sessies.step(session, back=True)
            return say(ALREADY_DRAWN_IN_SESSION, audience=Audience.PRIVATE)
        except ColourOff:
            continue  # the jar is as it was read: the next colour may use it too
        after = None  # this press has drawn or found the colour empty: go on to the next
        if draw is None:
            continue
        return question_card(
            ctx.content.kletspot,
            draw,
            draw.card,
            heading=f"Vraag {shown + 1} · {time_left(session, ctx.now())}",
        )
    return say(
        "Er staan geen vragen aan in de gekozen kleuren. Bekijk de pot met ", cmd("pot"), "."
    )


ALREADY_DRAWN_IN_SESSION = "De volgende vraag is er al: kijk hierboven. Nog een? Typ volgende."


async def volgende(ctx: Ctx, args: str) -> list[Reply]:
    """The running kletspot goes on, whatever was said in between."""
    session, shown, jar = await ctx.db.together(
        KletspotSessies(ctx.db).open_for(ctx.conversation_id),
        Trekkingen(ctx.db).count_of_open(ctx.conversation_id),
        Pot(ctx.db, ctx.content.kletspot, ctx.rng).for_draw(ctx.conversation_id),
    )
    if session is None:
        return [
            say(
                "Er loopt hier geen kletspot. Start er een met ",
                cmd("kletspot"),
                ", of trek één vraag met ",
                cmd("vraag"),
                ".",
            )
        ]
    if session.ends_at <= ctx.now():
        return await close_with_summary(ctx, session, " (de tijd was om)")
    return [await next_question(ctx, session, shown=shown, jar=jar)]


async def running_buttons(ctx: Ctx, session: KletspotSessie | None) -> list[Button]:
    """A fresh 'Volgende vraag' (and Stop) for a reply that interrupted the running kletspot
    (`session`: the conversation's open one, read by the caller)."""
    if session is None or session.ends_at <= ctx.now():
        return []
    return await session_buttons(ctx, session, None)


async def kletspot(ctx: Ctx, args: str) -> list[Reply]:
    parsed = parse_session_args(ctx.content.kletspot, args)
    if isinstance(parsed, str):
        return [say(parsed)]
    minutes, colours = parsed
    running, jar = await ctx.db.together(
        KletspotSessies(ctx.db).open_for(ctx.conversation_id),
        Pot(ctx.db, ctx.content.kletspot, ctx.rng).for_draw(ctx.conversation_id),
    )
    if running is not None:
        if running.ends_at > ctx.now():
            return [
                say(
                    "Er loopt hier al een kletspot tot "
                    f"{clock_time(running.ends_at, ctx.timezone)} "
                    f"({time_left(running, ctx.now())}). Ga verder met ",
                    cmd("volgende"),
                    " of de knop, of rond af met ",
                    cmd("stop"),
                    ".",
                    buttons=await session_buttons(ctx, running, None),
                )
            ]
        ended = await close_with_summary(ctx, running, " (de tijd was om)")
        return ended + await kletspot(ctx, args)
    start = ctx.now()
    session = await KletspotSessies(ctx.db).start(
        ctx.conversation_id,
        ctx.user_id,
        colours,
        start,
        start + timedelta(minutes=minutes),
        ctx.event.place.thread_id,
    )
    if session is None:
        return [say("Er is net een kletspot gestart in dit gesprek. Ga daar verder.")]
    intro: list[str | Span] = [
        b("Kletspot gestart"),
        f" voor {count(minutes, 'minuut', 'minuten')}, tot "
        f"{clock_time(session.ends_at, ctx.timezone)}. Kleuren: ",
    ]
    for n, colour in enumerate(colours):
        intro += [", " if n else "", *colour_label(ctx.content.kletspot, colour)]
    intro.append(
        ".\nNoteer wat de moeite waard is om vast te houden; bij stop krijg je een overzicht."
    )
    return [say(*intro), await next_question(ctx, session, jar=jar)]


async def close_with_summary(ctx: Ctx, session: KletspotSessie, reason: str = "") -> list[Reply]:
    if not await KletspotSessies(ctx.db).close(session.id, ctx.now()):
        return []
    ended = say_day(ctx.now(), ctx.timezone, ctx.now())
    talk = await talk_of(ctx.db, session)
    team = ctx.title or "Kletspot"
    return [
        await summary(ctx.deps, session, reason, ended, talk, team),
        await afdruk.session_pdf(
            ctx.content,
            team,
            ended,
            talk.questions,
            talk.points,
            ctx.timezone,
            f"{ctx.now().date().isoformat()}-{session.id}",
            ctx.now(),
        ),
    ]


async def stop(ctx: Ctx, args: str) -> list[Reply]:
    session = await ctx.db.read(KletspotSessies(ctx.db).open_for(ctx.conversation_id))
    if session is None and not ctx.is_group:  # a typed "stop" with no question waiting
        return [steering.nothing_to_stop()]
    if session is None:
        return [
            say(
                "Er loopt hier geen kletspot. Start er een met ",
                cmd("kletspot"),
                " (bv. kletspot 30 groen blauw).",
            )
        ]
    return await close_with_summary(ctx, session)


def _session_id(payload: dict[str, Any]) -> int | None:
    session_id = payload.get("s")
    if not is_id(session_id):
        return None
    return session_id


def _here(ctx: Ctx, session: KletspotSessie | None) -> KletspotSessie | None:
    """A button's kletspot, if it belongs to this conversation (not a forged one's)."""
    return (
        session if session is not None and session.conversation_id == ctx.conversation_id else None
    )


async def _session_of(ctx: Ctx, payload: dict[str, Any]) -> KletspotSessie | None:
    session_id = _session_id(payload)
    if session_id is None:
        return None
    return _here(ctx, await ctx.db.read(KletspotSessies(ctx.db).get(session_id)))


async def on_next(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    session_id = _session_id(payload)
    session, shown, jar = None, 0, None
    if session_id is not None:  # the kletspot, its questions so far and the jar: one trip
        # (the count is the open one's: the button's kletspot goes on only if it is that one)
        session, shown, jar = await ctx.db.together(
            KletspotSessies(ctx.db).get(session_id),
            Trekkingen(ctx.db).count_of_open(ctx.conversation_id),
            Pot(ctx.db, ctx.content.kletspot, ctx.rng).for_draw(ctx.conversation_id),
        )
    session = _here(ctx, session)
    if session is None or session.status != "open":
        return [say("Deze kletspot is al afgelopen. Start een nieuwe met ", cmd("kletspot"), ".")]
    if session.ends_at <= ctx.now():
        return await close_with_summary(ctx, session, " (de tijd was om)")
    return [await next_question(ctx, session, once_of(payload), shown=shown, jar=jar)]


async def on_stop(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    session = await _session_of(ctx, payload)
    if session is None or session.status != "open":
        return [say("Deze kletspot is al afgerond.")]
    return await close_with_summary(ctx, session)


async def _expired(deps: Deps, now: datetime, limit: int) -> list[Occurrence[KletspotSessie]]:
    return [
        await in_conversation(
            deps.db,
            f"session-end:{session.id}",
            session.id,
            session.ends_at,
            session.conversation_id,
            session,
            session.thread_id,
        )
        for session in await KletspotSessies(deps.db).expired(now, limit)
    ]


async def _close(deps: Deps, occurrence: Occurrence[KletspotSessie], skipped: str) -> bool:
    """False when `stop` closed it first: then that summary was the one."""
    return await KletspotSessies(deps.db).close(occurrence.item.id, deps.clock.now())


async def _time_up(deps: Deps, occurrence: Occurrence[KletspotSessie]) -> Reply:
    ended = say_day(occurrence.item.ends_at, DEFAULT_TIMEZONE, deps.clock.now())
    talk = await talk_of(deps.db, occurrence.item)
    team = await team_name(deps.db, occurrence.item.conversation_id)
    return await summary(deps, occurrence.item, " (de tijd was om)", ended, talk, team)


SESSION_ENDS = TimedWork("session-end", _expired, _close, _time_up)
"""A session whose time ran out posts its summary once."""


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "kletspot",
            "Start een kletspot voor de lunch of als opener: "
            "een vraag per kleur om de beurt (standaard een uur).",
            "kletspot 30 groen blauw",
            in_group=Audience.HERE,
        ),
        kletspot,
    )
    router.command(
        CommandInfo(
            "stop",
            "Rond de kletspot af met een overzicht van de vragen en aanknopingspunten.",
            "stop",
            in_group=Audience.HERE,
        ),
        stop,
    )
    router.command(
        CommandInfo(
            "volgende",
            "De volgende vraag van de kletspot die loopt, ook "
            "als er intussen iets anders gezegd is.",
            "volgende",
            in_group=Audience.HERE,
        ),
        volgende,
    )
    for word in ("stop", "einde"):  # "kletspot stop", as people say it, beside "stop"
        router.subcommand("kletspot", word, stop, in_group=Audience.HERE)
    router.subcommand("kletspot", "volgende", volgende, in_group=Audience.HERE)
    router.button("session.next", on_next)
    router.button("session.stop", on_stop)
    router.timed(SESSION_ENDS)
