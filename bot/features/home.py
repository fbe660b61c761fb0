"""`overzicht`: the user's start page (Slack's App Home, a DM's first message).

Later features add their own lines (reminders, open actions) through `SECTIONS`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.context import Ctx
from bot.replies import Reply, Span, b, cmd, say
from bot.router import CommandInfo, Router

Section = Callable[[Ctx], Awaitable[list[str | Span]]]
SECTIONS: list[Section] = []


async def overzicht(ctx: Ctx, args: str) -> list[Reply]:
    parts: list[str | Span] = [
        b("Kletspot"), "\nOpen vragen over eenzaamheid en sociaal isolement, en praktijktools "
        "voor wie mensen in eenzaamheid ondersteunt."]
    for section in SECTIONS:
        lines = await section(ctx)
        if lines:
            parts += ["\n\n", *lines]
    parts += ["\n\nTyp ", cmd("hulp"), " voor alle commando's."]
    buttons = [
        await ctx.button("Vraag uit de kletspot", "jar.draw", {"kleur": None}),
        await ctx.button("Over de kletspot", "help.jar"),
    ]
    return [say(*parts, buttons=buttons)]


def register(router: Router) -> None:
    router.command(CommandInfo("overzicht", "Je startpagina: wat je kan doen en wat er op je wacht.",
                               "overzicht", group_menu=False), overzicht)
