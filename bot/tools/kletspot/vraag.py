"""`vraag` and `pot`: drawing from the jar and preparing it (select questions, add your own)."""

from __future__ import annotations

from typing import Any

from bot.core import buttons
from bot.core.buttons import is_id
from bot.core.clock import iso
from bot.core.context import Ctx, Deps
from bot.core.replies import Audience, Button, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Router
from bot.tools.kletspot.kleuren import (
    adjective,
    button_label,
    colour_label,
    colour_list,
    emoji,
    parse_colour,
)
from bot.tools.kletspot.store.pot import (
    OWN_QUESTION_MAX,
    AlreadyDrawn,
    ColourOff,
    Draw,
    Jar,
    Once,
    Pot,
    Question,
)
from content.schemas.kletspot import Kletspot

WHO_CAN_CHANGE = (
    "Alleen coördinatoren kunnen de pot aanpassen: de beheerders van dit gesprek en wie zij "
    "aanduiden met coordinator @naam."
)


def unknown_colour(kletspot: Kletspot, word: str) -> Reply:
    return say("Die kleur ken ik niet: ", word[:40], f". Kies uit {colour_list(kletspot)}.")


def question_card(
    kletspot: Kletspot, draw: Draw[Any], buttons: list[Button], heading: str | None = None
) -> Reply:
    parts: list[str | Span] = []
    if draw.refilled:
        parts.append(i(refilled(kletspot, draw.part) + "\n\n"))
    if heading:
        parts.append(b(heading + "\n"))
    parts += colour_label(kletspot, draw.question.colour)
    parts += ["\n\n", draw.question.text]
    return say(*parts, buttons=buttons)


def refilled(kletspot: Kletspot, part: str | None) -> str:
    """Names what was refilled: the whole jar, or only the colour that ran out."""
    if part is None:
        return "Alle vragen zijn getrokken: de pot is opnieuw gevuld."
    inflected = adjective(kletspot, part)
    which = f"Alle {inflected} vragen" if inflected else f"Alle vragen van {part}"
    return f"{which} zijn getrokken: {part} is opnieuw gevuld."


ALREADY_DRAWN = (
    "Er is net al een nieuwe vraag getrokken: kijk hierboven. Wil je er nog een? Typ vraag."
)


def once_of(payload: dict[str, Any]) -> Once | None:
    """The card a button was on, so that it draws once; None: it draws at any moment."""
    follows, draw_id = payload.get("volgt"), payload.get("na")
    if is_id(follows):
        return Once(follows=follows)
    if is_id(draw_id):
        return Once(draw_id=draw_id)
    return None


def payload_of(once: Once | None) -> dict[str, int]:
    """What a button carries to draw once for that card (`once_of` reads it back)."""
    if once is not None and once.follows is not None:
        return {"volgt": once.follows}
    if once is not None and once.draw_id is not None:
        return {"na": once.draw_id}
    return {}


async def draw_reply(ctx: Ctx, colour: str | None, after: Once | None = None) -> Reply:
    """`after`: drawn from a card's button, which draws once (the card's own draw)."""

    async def card(follows: int, session: int | None) -> list[Button]:
        once = payload_of(Once(follows=follows))
        buttons = [
            await ctx.button("Nog een vraag", "jar.draw", {"kleur": colour, **once}),
            await ctx.button("Andere kleur", "jar.colours", once),
            await ctx.button("Noteer een aanknopingspunt", "points.ask", once),
        ]
        if session is not None:  # drawn during a kletspot: the kletspot goes on from it
            buttons.append(
                await ctx.button("Volgende vraag", "session.next", {"s": session, **once})
            )
        return buttons

    jar = ctx.ahead if isinstance(ctx.ahead, Jar) and after is None else None
    try:
        draw = await Pot(ctx.db, ctx.content.kletspot, ctx.rng).draw(
            ctx.conversation_id,
            colour,
            iso(ctx.now()),
            card,
            open_session=True,
            after=after,
            jar=jar,
        )
    except AlreadyDrawn:
        return say(ALREADY_DRAWN, audience=Audience.PRIVATE)
    except ColourOff:
        return say(
            f"De kleur {colour} staat uit in deze pot. Een coördinator zet ze aan met ",
            cmd(f"pot aan {colour}"),
            ".",
        )
    if draw is None:
        where = f" in {colour}" if colour else ""
        return say(
            f"Er staan geen vragen{where} aan in deze pot. Bekijk de pot met ", cmd("pot"), "."
        )
    return question_card(ctx.content.kletspot, draw, draw.card)


async def vraag(ctx: Ctx, args: str) -> list[Reply]:
    colour = None
    if args:
        colour = parse_colour(ctx.content.kletspot, args.split()[0])
        if colour is None:
            return [unknown_colour(ctx.content.kletspot, args.split()[0])]
    return [await draw_reply(ctx, colour)]


async def on_draw(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    colour = payload.get("kleur")
    return [
        await draw_reply(
            ctx,
            colour if colour in ctx.content.kletspot.colour_names else None,
            once_of(payload),
        )
    ]


async def on_colours(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """The colour buttons draw once too, for the card they were chosen from."""
    once = payload_of(once_of(payload))
    buttons = [
        await ctx.button(button_label(k), "jar.draw", {"kleur": k.naam, **once})
        for k in ctx.content.kletspot.kleuren
    ]
    return [say("Uit welke kleur wil je een vraag?", buttons=buttons)]


# --- pot: looking at and preparing the jar ---------------------------------------------------


async def pot(ctx: Ctx, args: str) -> list[Reply]:
    words = args.split(maxsplit=1)
    if not words:
        return [await overview(ctx)]
    action, rest = words[0].lower(), (words[1] if len(words) > 1 else "")
    if action in ("aan", "uit", "nieuw", "toevoegen", "weg", "verwijder"):
        if not ctx.is_coordinator:
            return [say(WHO_CAN_CHANGE)]
        if action in ("aan", "uit"):
            return [await switch(ctx, rest, action == "aan")]
        if action in ("nieuw", "toevoegen"):
            return [await add_own(ctx, rest)]
        return [await remove_own(ctx, rest)]
    colour = parse_colour(ctx.content.kletspot, action)
    if colour is None:
        return [
            say(
                "Gebruik ",
                cmd("pot"),
                " voor een overzicht, ",
                cmd("pot groen"),
                " voor de vragen van een kleur, of ",
                cmd("pot uit groen-2"),
                ", ",
                cmd("pot aan groen"),
                ", ",
                cmd("pot nieuw groen <vraag>"),
                ", ",
                cmd("pot weg eigen-1"),
                " om de pot klaar te zetten.",
            )
        ]
    return [await colour_view(ctx, colour)]


async def overview(ctx: Ctx) -> Reply:
    jar = await Pot(ctx.db, ctx.content.kletspot, ctx.rng).jar(ctx.conversation_id)
    parts: list[str | Span] = [b("De kletspot van dit gesprek\n")]
    for colour in ctx.content.kletspot.colour_names:
        mine = [q for q in jar.questions if q.colour == colour]
        on = [q for q in mine if q.enabled]
        left = [q for q in on if q.id not in jar.drawn]
        own = sum(q.own for q in mine)
        state = (
            f"{len(on)} van {len(mine)} vragen aan, {len(left)} nog in de pot"
            if jar.colour_on(colour)
            else "staat uit"
        )
        parts += ["\n", *colour_label(ctx.content.kletspot, colour), f": {state}"]
        if own:
            parts.append(f" (waarvan {own} eigen)")
    parts.append("\n\n")
    parts.append(
        "Kies een kleur om de vragen te zien."
        if not ctx.is_coordinator
        else "Kies een kleur om vragen aan of uit te zetten, of voeg een eigen vraag toe "
        "met pot nieuw <kleur> <vraag>."
    )
    buttons = [
        await ctx.button(button_label(k), "jar.show", {"kleur": k.naam})
        for k in ctx.content.kletspot.kleuren
    ]
    return say(*parts, buttons=buttons)


async def colour_view(ctx: Ctx, colour: str) -> Reply:
    jar = await Pot(ctx.db, ctx.content.kletspot, ctx.rng).jar(ctx.conversation_id)
    questions = [q for q in jar.questions if q.colour == colour]
    colour_on = jar.colour_on(colour)
    parts: list[str | Span] = [*colour_label(ctx.content.kletspot, colour)]
    if not colour_on:
        parts.append(" (deze kleur staat uit)")
    for q in questions:
        marker = "" if q.enabled else "  [uit]"
        parts += ["\n", b(q.code), f"  {q.text}{marker}"]
    buttons: list[Button] = []
    if ctx.is_coordinator:
        buttons.append(
            await ctx.button(
                f"Zet {colour} {'uit' if colour_on else 'aan'}",
                "jar.toggle",
                {"item": colour, "on": not colour_on},
            )
        )
        for q in questions:
            turn_on = not q.enabled and colour_on
            if colour_on:
                buttons.append(
                    await ctx.button(
                        f"{q.code} {'aan' if turn_on else 'uit'}",
                        "jar.toggle",
                        {"item": q.id, "on": turn_on},
                    )
                )
        parts += ["\n\n", i("Eigen vraag toevoegen: "), f"pot nieuw {colour} <je vraag>"]
    else:
        parts += ["\n\n", WHO_CAN_CHANGE]
    return say(*parts, buttons=buttons)


async def on_show(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    colour = payload.get("kleur")
    if colour not in ctx.content.kletspot.colour_names:
        return [say("Deze knop werkt niet meer. Typ pot voor het overzicht.")]
    return [await colour_view(ctx, colour)]


async def on_toggle(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    if not ctx.is_coordinator:
        return [say(WHO_CAN_CHANGE)]
    return [await switch(ctx, str(payload.get("item", "")), bool(payload.get("on")))]


async def switch(ctx: Ctx, target: str, on: bool) -> Reply:
    word = "aan" if on else "uit"
    if not target.strip():
        return say(
            f"Wat zet ik {word}? Bijvoorbeeld ",
            cmd(f"pot {word} groen"),
            " of ",
            cmd(f"pot {word} groen-2"),
            ".",
        )
    colour = parse_colour(ctx.content.kletspot, target)
    if colour is not None:
        await Pot(ctx.db, ctx.content.kletspot, ctx.rng).set_enabled(
            ctx.conversation_id, colour, on
        )
        return say(f"{emoji(ctx.content.kletspot, colour)} De kleur {colour} staat nu {word}.")
    question = await Pot(ctx.db, ctx.content.kletspot, ctx.rng).find(ctx.conversation_id, target)
    if question is None:
        return say(
            "Die vraag vind ik niet: ",
            target[:40],
            ". Typ ",
            cmd("pot groen"),
            " (of een andere kleur) om de codes te zien.",
        )
    await Pot(ctx.db, ctx.content.kletspot, ctx.rng).set_enabled(
        ctx.conversation_id, question.id, on
    )
    return say(f"Vraag {question.code} staat nu {word}: ", i(question.text))


async def add_own(ctx: Ctx, rest: str) -> Reply:
    words = rest.split(maxsplit=1)
    colour = parse_colour(ctx.content.kletspot, words[0]) if words else None
    text = " ".join(words[1].split()) if len(words) > 1 else ""
    if colour is None or not text:
        return say(
            "Zo voeg je een eigen vraag toe: ",
            cmd("pot nieuw groen Wat doet jou deugd?"),
            f" Kleuren: {colour_list(ctx.content.kletspot)}.",
        )
    if len(text) > OWN_QUESTION_MAX:
        return say(
            f"Die vraag is te lang ({len(text)} tekens). Houd een vraag onder "
            f"{OWN_QUESTION_MAX} tekens."
        )
    question = await Pot(ctx.db, ctx.content.kletspot, ctx.rng).add_own(
        ctx.conversation_id, colour, text, ctx.user_id, iso(ctx.now())
    )
    return say(
        f"{emoji(ctx.content.kletspot, colour)} Eigen vraag ",
        b(question.code),
        f" toegevoegd aan {colour}: ",
        i(question.text),
    )


async def remove_own(ctx: Ctx, code: str) -> Reply:
    question: Question | None = (
        await Pot(ctx.db, ctx.content.kletspot, ctx.rng).find(ctx.conversation_id, code)
        if code.strip()
        else None
    )
    if question is None or not question.own:
        return say(
            "Alleen eigen vragen kan je weghalen, met hun code, bv. ",
            cmd("pot weg eigen-1"),
            ". Vragen uit de kletspot zelf zet je uit met ",
            cmd("pot uit groen-2"),
            ".",
        )
    await Pot(ctx.db, ctx.content.kletspot, ctx.rng).remove_own(ctx.conversation_id, question)
    return say("Eigen vraag ", b(question.code), " is uit de pot gehaald.")


async def nudge(deps: Deps, conversation_id: int) -> Reply:
    """The weekly question: drawn from this conversation's jar in its no-repeat order."""
    now = iso(deps.clock.now())

    async def card(follows: int, session: int | None) -> list[Button]:
        return [
            await buttons.make(
                deps.db,
                conversation_id,
                "Nog een vraag",
                "jar.draw",
                {"kleur": None, **payload_of(Once(follows=follows))},
                now,
            ),
            await buttons.make(
                deps.db,
                conversation_id,
                "Noteer een aanknopingspunt",
                "points.ask",
                payload_of(Once(follows=follows)),
                now,
            ),
        ]

    draw = await Pot(deps.db, deps.content.kletspot, deps.rng).draw(
        conversation_id, None, now, card
    )
    if draw is None:
        return say(
            "Tijd voor de vraag van de week, maar er staan geen vragen aan in de pot. "
            "Een coördinator zet ze aan met ",
            cmd("pot"),
            ".",
        )
    return question_card(deps.content.kletspot, draw, draw.card, heading="Vraag van de week")


def register(router: Router) -> None:
    router.nudge("vraag", "een vraag uit de kletspot", nudge)
    router.command(
        CommandInfo(
            "vraag",
            "Trek een vraag uit de kletspot, eventueel uit één kleur.",
            "vraag groen",
            in_group=Audience.HERE,
        ),
        vraag,
        ahead=lambda deps, here: Pot(deps.db, deps.content.kletspot, deps.rng).for_draw(here),
    )
    router.command(
        CommandInfo(
            "pot",
            "Bekijk de pot; coördinatoren zetten vragen aan of uit en voegen eigen vragen toe.",
            "pot uit wit-6",
            in_group=Audience.QUIET,
        ),
        pot,
    )
    router.button("jar.draw", on_draw)
    router.button("jar.colours", on_colours)
    router.button("jar.show", on_show)
    router.button("jar.toggle", on_toggle)
