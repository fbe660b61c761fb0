"""`hulp`: the commands grouped by the paths of `start`; `hulp <commando>` explains one with an
example; `hulp kletspot` explains the jar and names its source; `hulp eenzaamheid` gives the workbook's definitions and causes (§3.2–3.3)."""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.replies import Audience, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Router
from bot.text.achtergrond import tekst_parts
from bot.tools.algemeen.start import PATHS
from bot.tools.kletspot.kleuren import colour_list


def overview(router: Router, args: str, ctx: Ctx) -> Reply:
    topic = " ".join(args.strip().lower().lstrip("/").split())
    if topic in ("kletspot", "pot", "vraag"):
        return about_jar(ctx)
    if topic in LONELINESS:
        return about_loneliness(ctx)
    if topic:
        return about_command(router, topic)
    return grouped(router, ctx)


def _names(router: Router) -> set[str]:
    return (
        {info.name for info in router.help}
        | set(router.topics)
        | {f"{command} {word}" for command, word in router.subcommands}
    )


def grouped(router: Router, ctx: Ctx) -> Reply:
    """Short: the commands of each path of `start`, then the rest, by name only."""
    known = _names(router)
    parts: list[str | Span] = [b("Wat ik kan")]
    placed: set[str] = {"hulp", "start"}
    for pad in PATHS:
        names = [line for _, line in pad.commands] + list(pad.also)
        names = [n for n in names if n in known or n.split()[0] in known]
        placed |= set(names)
        parts += ["\n\n", b(f"{pad.emoji} {pad.title}: ")]
        for n, name in enumerate(names):
            parts += [" · " if n else "", cmd(name)]
        if pad.key == "mezelf":
            parts.append(i("\nGeen therapie of hulpdienst: bij nood typ je hulp nu."))
    rest = [info.name for info in router.help if info.name not in placed]
    if rest:
        parts += ["\n\n", b("⚙️ En verder: ")]
        for n, name in enumerate(rest):
            parts += [" · " if n else "", cmd(name)]
    parts += [
        f"\n\nKleuren: {colour_list(ctx.content.kletspot)}.",
        "\nUitleg en een voorbeeld bij één commando: ",
        cmd("hulp gesprek"),
        " (of een ander commando). Over de kletspot zelf: ",
        cmd("hulp kletspot"),
        ". Wat eenzaamheid en sociaal isolement zijn: ",
        cmd("hulp eenzaamheid"),
        ".",
    ]
    return say(*parts)


TOPICS = {
    "verslag": "gesprek",
    "gesprek verslag": "gesprek",
    "dialoogsessie": "intervisie",
    "sessie": "intervisie",
    "wekelijkse vraag": "planning",
    "terugblik": "acties",
    "coördinator": "coordinator",
}
"""Words people use for something that lives under another command."""


def about_command(router: Router, topic: str) -> Reply:
    """One command: what it does, an example to type, and who may use it."""
    first, _, rest = topic.partition(" ")
    name = router.aliases.get(first, first)
    whole = f"{name} {rest}".strip()
    info = router.topics.get(whole)
    if info is None:
        name = TOPICS.get(topic, TOPICS.get(name, name))
        info = router.infos.get(name)
    if info is None:
        return say(
            "Dat commando ken ik niet: ",
            Span(topic[:60], command=True),
            ". Typ ",
            cmd("hulp"),
            " voor alles wat ik kan.",
        )
    parts: list[str | Span] = [
        cmd(info.name),
        "\n",
        info.summary,
        "\n\nBijvoorbeeld: ",
        cmd(info.example),
    ]
    if info.coordinators_only:
        parts.append(i("\nAlleen voor coördinatoren van een groep."))
    if not info.group_menu:
        parts.append(i("\nDit doe je in je privégesprek met mij."))
    return say(*parts)


LONELINESS = ("eenzaamheid", "eenzaam", "isolement", "sociaal isolement", "definities", "oorzaken")
WHAT_IS_LONELINESS = ("definities", "oorzaken")
"""§3.2 and §3.3 of the workbook."""


def about_loneliness(ctx: Ctx) -> Reply:
    parts: list[str | Span] = [
        b("Wat zijn eenzaamheid en sociaal isolement?\n"),
        "Uit het werkboek ",
        i(ctx.content.intervisie.bron.titel),
        ".\n\n",
    ]
    for n, id in enumerate(WHAT_IS_LONELINESS):
        parts += ["\n\n" if n else "", *tekst_parts(ctx.content, ctx.content.achtergrond.tekst(id))]
    parts += ["\n\nAlle bronnen: ", cmd("bronnen"), "."]
    return say(*parts)


def about_jar(ctx: Ctx) -> Reply:
    jar = ctx.content.kletspot
    parts: list[str | Span] = [b("Over de kletspot\n")]
    for paragraph in jar.uitleg:
        parts += ["\n", paragraph, "\n"]
    parts += [
        "\n",
        i(jar.bron.cite() + (f" ({jar.bron.url})" if jar.bron.url else "") + "."),
        "\nMeer over de bron en hoe je ze noemt: ",
        cmd("bronnen kletspot"),
        ".",
    ]
    return say(*parts)


def register(router: Router) -> None:
    async def hulp(ctx: Ctx, args: str) -> list[Reply]:
        return [overview(router, args, ctx)]

    async def on_jar(ctx: Ctx, payload: dict[str, object]) -> list[Reply]:
        return [about_jar(ctx)]

    router.button("help.jar", on_jar)
    router.command(
        CommandInfo(
            "hulp",
            "Alle commando's op een rij; met een commando erachter: uitleg en een voorbeeld.",
            "hulp gesprek",
            in_group=Audience.QUIET,
        ),
        hulp,
        "help",
    )
