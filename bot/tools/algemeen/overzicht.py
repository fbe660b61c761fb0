"""`overzicht`: the user's start page (Slack's App Home, a DM's first message).

Features add their own lines (reminders, open actions) with `router.home(...)`.
"""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.replies import Audience, Reply, Span, b, cmd, say
from bot.core.router import CommandInfo, Router


async def overzicht(ctx: Ctx, router: Router) -> list[Reply]:
    parts: list[str | Span] = [
        b("Kletspot"), "\nOpen vragen over eenzaamheid en sociaal isolement, en praktijktools "
        "voor wie mensen in eenzaamheid ondersteunt."]
    for section in router.home_sections:
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
    async def start_page(ctx: Ctx, args: str) -> list[Reply]:
        return await overzicht(ctx, router)

    router.command(CommandInfo("overzicht", "Je startpagina: wat je kan doen en wat er op je wacht.",
                               "overzicht", group_menu=False, in_group=Audience.QUIET), start_page)
