"""`start`: the first meeting. Three paths, one per role, each with a few warm lines and its
commands as buttons: met mijn team, als vrijwilliger of hulpverlener, voor mezelf.

`/start`, the first message in a DM and `overzicht` (Slack's App Home) open with them; `hulp`
groups the commands the same way (`PATHS` is the one list of which command belongs where).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.context import Ctx
from bot.core.events import Command
from bot.core.replies import Audience, Button, Reply, Span, b, say
from bot.core.router import CommandInfo, Router
from bot.text.dutch import fold


@dataclass(frozen=True)
class Pad:
    """One role's way in: its button, what it says, and its commands (label, command line)."""

    key: str
    title: str
    emoji: str
    lines: str
    commands: tuple[tuple[str, str], ...]
    also: tuple[str, ...] = ()
    """Commands that belong to this path in `hulp` but get no button of their own."""


PATHS = (
    Pad(
        "team",
        "Met mijn team",
        "👥",
        "Samen praten over eenzaamheid, zonder dat het zwaar wordt. Trek tijdens de lunch of "
        "bij de start van een overleg een vraag uit de kletspot, laat elke week een vraag in "
        "jullie groep verschijnen, of leer samen bij met intervisie.",
        (
            ("Kletspot", "kletspot"),
            ("Eén vraag trekken", "vraag"),
            ("Wekelijkse vraag", "planning"),
            ("Intervisie", "intervisie"),
        ),
        also=(
            "stop",
            "volgende",
            "noteer",
            "punten",
            "pot",
            "stappenplan",
            "verwijskaart",
            "acties team",
            "reflectie team",
        ),
    ),
    Pad(
        "vrijwilliger",
        "Als vrijwilliger of hulpverlener",
        "🤝",
        "Je gaat op bezoek of je voert een gesprek met iemand die zich eenzaam voelt. Zet je "
        "klaar met een helpende gedachte, volg de vijf stappen van het gesprek, leg het kort "
        "vast en kijk later terug op wat jullie afspraken.",
        (
            ("Gedachte", "gedachte"),
            ("Gesprek", "gesprek"),
            ("Verslag", "gesprek verslag"),
            ("Acties", "acties"),
        ),
        also=("gesprekken",),
    ),
    Pad(
        "mezelf",
        "Voor mezelf",
        "🌱",
        "Even stilstaan bij hoe het met jou gaat. Alleen jij ziet wat je hier invult. Maak een "
        "klein plan voor jezelf, en als het nu zwaar is: er zijn mensen die je meteen kan "
        "bellen of chatten.",
        (("Reflectie", "reflectie"), ("Plan", "plan"), ("Hulp nu", "hulp nu")),
        also=("reflecties",),
    ),
)


GREETING = frozenset(
    {
        "hallo",
        "hoi",
        "hey",
        "hi",
        "hello",
        "dag",
        "goeiedag",
        "goedendag",
        "goedemorgen",
        "goeiemorgen",
        "goedemiddag",
        "goeiemiddag",
        "goedenavond",
        "goeienavond",
        "allo",
        "kletspot",
        "daar",
        "bot",
        "start",
        "begin",
    }
)


def greeting(text: str) -> bool:
    """'Hallo!', 'hoi Kletspot', 'goeiemorgen': a hello, not yet something to answer."""
    words = "".join(c if c.isalnum() else " " for c in fold(text)).split()
    return bool(words) and all(w in GREETING for w in words)


def path(key: object) -> Pad | None:
    return next((p for p in PATHS if p.key == key), None)


async def path_buttons(ctx: Ctx) -> list[Button]:
    return [await ctx.button(f"{p.emoji} {p.title}", "start.pad", {"p": p.key}) for p in PATHS]


async def welcome(ctx: Ctx) -> Reply:
    """The three paths, each in a few lines, as buttons."""
    parts: list[str | Span] = [
        b("Welkom bij Kletspot 👋\n"),
        "Ik help om eenzaamheid bespreekbaar te maken: met open vragen uit de kletspot van "
        "Resokit en de praktijktools uit het werkboek. Waar wil je mee beginnen?",
    ]
    for p in PATHS:
        parts += ["\n\n", b(f"{p.emoji} {p.title}"), "\n", p.lines]
    parts += [
        "\n\nKies hieronder. Alle commando's op een rij: ",
        Span("hulp", bold=True, command=True),
        ".",
    ]
    return say(*parts, buttons=await path_buttons(ctx))


async def path_view(ctx: Ctx, pad: Pad) -> Reply:
    buttons = [
        await ctx.button(label, "start.doe", {"p": pad.key, "c": line})
        for label, line in pad.commands
    ]
    parts: list[str | Span] = [
        b(f"{pad.emoji} {pad.title}\n"),
        pad.lines,
        "\n\nKies een van deze knoppen, of typ ",
        Span("hulp", bold=True, command=True),
        " en de naam van een commando voor een voorbeeld.",
    ]
    return say(*parts, buttons=buttons)


def register(router: Router) -> None:
    async def start(ctx: Ctx, args: str) -> list[Reply]:
        return [await welcome(ctx)]

    async def on_path(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        pad = path(payload.get("p"))
        if pad is None:
            return [await welcome(ctx)]
        return [await path_view(ctx, pad)]

    async def on_do(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        """Only the command lines of the paths themselves: a stored payload is never run as
        anything else."""
        pad = path(payload.get("p"))
        line = payload.get("c")
        if pad is None or line not in {c for _, c in pad.commands}:
            return [await welcome(ctx)]
        assert router.run_command is not None
        name, _, args = str(line).partition(" ")
        return await router.run_command(ctx, Command(name, args))

    async def first_text(ctx: Ctx, text: str) -> list[Reply]:
        """The first message someone writes in a DM (no command, no answer) meets the paths;
        a message with more than a hello gets the ordinary answer first. (A distress signal
        never gets here: the safety watcher answers it before.)"""
        if greeting(text) or router.free_text is None:
            return [await welcome(ctx)]
        return [
            *await router.free_text(ctx, text),
            say(
                "Ik ben Kletspot. Ik werk met open vragen en praktijktools rond eenzaamheid: met je "
                "team, als vrijwilliger of hulpverlener, of voor jezelf. Kies gerust hieronder.",
                buttons=await path_buttons(ctx),
            ),
        ]

    router.command(
        CommandInfo(
            "start",
            "Kennismaken: wat Kletspot doet voor je team, voor "
            "vrijwilligers en hulpverleners, en voor jezelf.",
            "start",
            group_menu=False,
            in_group=Audience.QUIET,
        ),
        start,
    )
    router.on_first_text(first_text)
    router.button("start.pad", on_path)
    router.button("start.doe", on_do)
