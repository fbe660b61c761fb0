"""`coordinator`: who may prepare the jar and, later, run intervision and set plans."""

from __future__ import annotations

from bot.core import identity
from bot.core.clock import iso
from bot.core.context import Ctx
from bot.core.replies import Audience, Reply, Span, b, cmd, say
from bot.core.router import CommandInfo, Router


async def coordinator(ctx: Ctx, args: str) -> list[Reply]:
    words = args.split()
    if not words:
        return [await listing(ctx)]
    if not ctx.is_group:
        return [
            say(
                "In een privégesprek ben je zelf de coördinator. Coördinatoren aanduiden "
                "doe je in een groepsgesprek."
            )
        ]
    if not ctx.is_coordinator:
        return [
            say(
                "Alleen een coördinator kan iemand coördinator maken. Vraag het aan een "
                "beheerder van dit gesprek."
            )
        ]
    remove = words[0].lower() in ("weg", "verwijder", "-")
    names = words[1:] if remove else words
    if not names:
        return [say("Wie? Bijvoorbeeld ", cmd("coordinator weg @naam"), ".")]
    mention = " ".join(names)
    found = await identity.find_member(ctx.db, ctx.conversation_id, mention)
    if found is None:
        return [
            say(
                "Ik ken ",
                mention[:60],
                " nog niet in dit gesprek. Vraag die persoon om hier "
                "eerst iets aan de bot te vragen (bv. vraag), en probeer dan opnieuw.",
            )
        ]
    user_id, name = found
    if remove:
        await identity.unname_coordinator(ctx.db, ctx.conversation_id, user_id)
        return [
            say(
                name,
                " is geen aangeduide coördinator meer. (Beheerders van het gesprek "
                "blijven altijd coördinator.)",
            )
        ]
    await identity.name_coordinator(
        ctx.db, ctx.conversation_id, user_id, ctx.user_id, iso(ctx.now())
    )
    return [say(name, " is nu coördinator van dit gesprek: die kan de pot klaarzetten.")]


async def listing(ctx: Ctx) -> Reply:
    named = await identity.named_coordinators(ctx.db, ctx.conversation_id)
    parts: list[str | Span] = [
        b("Coördinatoren\n"),
        "De beheerders van dit gesprek zijn altijd coördinator.",
    ]
    if named:
        parts += ["\nAangeduid: ", ", ".join(named)]
    parts += [
        "\n\nEen coördinator duidt iemand aan met ",
        cmd("coordinator @naam"),
        " en haalt dat weg met ",
        cmd("coordinator weg @naam"),
        ".",
    ]
    return say(*parts)


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "coordinator",
            "Toon of benoem coördinatoren van dit gesprek.",
            "coordinator @an",
            coordinators_only=True,
            dm_menu=False,
            in_group=Audience.QUIET,
        ),
        coordinator,
        "coördinator",
        "coordinatoren",
        "coördinatoren",
    )
