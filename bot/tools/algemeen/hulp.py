"""`hulp`: every command in one short line with an example; `hulp kletspot` explains the jar
and names its source; `hulp eenzaamheid` gives the workbook's definitions and causes (§3.2–3.3)."""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.replies import Audience, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Router
from bot.text.achtergrond import tekst_parts
from bot.tools.kletspot.kleuren import colour_list


def overview(router: Router, args: str, ctx: Ctx) -> Reply:
    topic = args.strip().lower()
    if topic in ("kletspot", "pot", "vraag"):
        return about_jar(ctx)
    if topic in LONELINESS:
        return about_loneliness(ctx)
    parts: list[str | Span] = [b("Kletspot: gespreksvragen en praktijktools over eenzaamheid\n")]
    for info in router.help:
        if info.name == "hulp":
            continue
        parts += ["\n", cmd(info.name), f": {info.summary} Bv. ", cmd(info.example)]
    parts += [f"\n\nKleuren: {colour_list(ctx.content.kletspot)}.",
              "\nMeer over de kletspot zelf: ", cmd("hulp kletspot"),
              ". Wat eenzaamheid en sociaal isolement zijn: ", cmd("hulp eenzaamheid"), "."]
    return say(*parts)


LONELINESS = ("eenzaamheid", "eenzaam", "isolement", "sociaal isolement", "definities",
              "oorzaken")
WHAT_IS_LONELINESS = ("definities", "oorzaken")
"""§3.2 and §3.3 of the workbook."""


def about_loneliness(ctx: Ctx) -> Reply:
    parts: list[str | Span] = [b("Wat zijn eenzaamheid en sociaal isolement?\n"),
                               "Uit het werkboek ", i(ctx.content.intervisie.bron.titel), ".\n\n"]
    for n, id in enumerate(WHAT_IS_LONELINESS):
        parts += ["\n\n" if n else "", *tekst_parts(ctx.content, ctx.content.achtergrond.tekst(id))]
    parts += ["\n\nAlle bronnen: ", cmd("bronnen"), "."]
    return say(*parts)


def about_jar(ctx: Ctx) -> Reply:
    jar = ctx.content.kletspot
    parts: list[str | Span] = [b("Over de kletspot\n")]
    for paragraph in jar.uitleg:
        parts += ["\n", paragraph, "\n"]
    parts += ["\n", i(jar.bron.cite() + (f" ({jar.bron.url})" if jar.bron.url else "") + "."),
              "\nMeer over de bron en hoe je ze noemt: ", cmd("bronnen kletspot"), "."]
    return say(*parts)


def register(router: Router) -> None:
    async def hulp(ctx: Ctx, args: str) -> list[Reply]:
        return [overview(router, args, ctx)]

    async def on_jar(ctx: Ctx, payload: dict[str, object]) -> list[Reply]:
        return [about_jar(ctx)]

    router.button("help.jar", on_jar)
    router.command(CommandInfo("hulp", "Uitleg over alle commando's.", "hulp kletspot", in_group=Audience.QUIET), hulp,
                   "help", "start")
