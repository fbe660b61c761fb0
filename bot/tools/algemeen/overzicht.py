"""`overzicht`: the user's start page (Slack's App Home, a DM's first message).

A first visit is the first meeting of `start` (the three paths, explained); later the page shows
what waits for the person (features add their parts with `router.home(...)`) above the same
three paths as buttons.
"""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.replies import Audience, Reply, Span, b, cmd, say
from bot.core.router import CommandInfo, Router
from bot.tools.algemeen.start import path_buttons, welcome


async def overzicht(ctx: Ctx, router: Router) -> list[Reply]:
    """Every feature's part, read together in one round trip (`router.home`)."""
    homes = [(home, read) for home in router.homes if (read := home.read(ctx)) is not None]
    found = await ctx.db.together(*(read for _, read in homes))
    waiting: list[str | Span] = []
    cards: list[Reply] = []
    for (home, _), value in zip(homes, found, strict=True):
        shown = await home.show(ctx, value)
        if isinstance(shown, Reply):
            cards.append(shown)
        elif shown:
            waiting += ["\n\n", *shown]
    if ctx.first_visit and not waiting and not cards:
        return [await welcome(ctx)]
    parts: list[str | Span] = [
        b("Kletspot"),
        "\nOpen vragen over eenzaamheid en sociaal isolement, en praktijktools "
        "voor wie mensen in eenzaamheid ondersteunt.",
        *waiting,
        "\n\nWaar wil je mee verder? Met je team, als vrijwilliger of hulpverlener, of voor "
        "jezelf. Alle commando's: ",
        cmd("hulp"),
        ".",
    ]
    return [say(*parts, buttons=await path_buttons(ctx)), *cards]


def register(router: Router) -> None:
    async def start_page(ctx: Ctx, args: str) -> list[Reply]:
        return await overzicht(ctx, router)

    router.command(
        CommandInfo(
            "overzicht",
            "Je startpagina: wat je kan doen en wat er op je wacht.",
            "overzicht",
            group_menu=False,
            in_group=Audience.QUIET,
        ),
        start_page,
    )

    async def on_start_page(ctx: Ctx) -> list[Reply]:
        return await overzicht(ctx, router)

    router.on_start_page(on_start_page)
