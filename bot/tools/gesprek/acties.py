"""`acties`: the steps agreed in your own recorded conversations, with their look-back dates;
each can be marked done, moved to another date, or dropped. Only in the DM: in a group the
answer points there, and to `acties team` for the team's list."""

from __future__ import annotations

from typing import Any

from bot.core.buttons import is_id
from bot.core.clock import iso
from bot.core.context import Ctx
from bot.core.privately import privately
from bot.core.replies import Audience, Button, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Router
from bot.core.storage import Read
from bot.text.dutch import local
from bot.text.moments import local_today, say_date
from bot.timed.herinneringen import Herinneringen
from bot.tools.gesprek import terugblik
from bot.tools.gesprek.store.gesprekken import REMINDER_KIND, Verslag, Verslagen

EMPTY = "Je hebt geen open acties. Leg een gesprek en de afgesproken stap vast met "


async def acties(ctx: Ctx, args: str) -> list[Reply]:
    if ctx.is_group:
        return await in_group(ctx)
    if args.strip():
        return [
            say(
                "Typ ",
                cmd("acties"),
                " voor je eigen acties. De acties van een team zie je in de groep met ",
                cmd("acties team"),
                ".",
            )
        ]
    return [await listing(ctx)]


async def in_group(ctx: Ctx) -> list[Reply]:
    here = say(
        "Je persoonlijke acties staan in je privégesprek met mij; ik stuur ze je daar. "
        "De acties van dit team zie je met ",
        cmd("acties team"),
        ".",
    )
    return await privately(ctx, "acties", "Je eigen acties bekijken", start, here=here)


async def start(ctx: Ctx) -> list[Reply]:
    return [await listing(ctx)]


async def listing(ctx: Ctx) -> Reply:
    records = await Verslagen(ctx.db).open_actions(ctx.user_id)
    if not records:
        return say(EMPTY, cmd("gesprek verslag"), ".")
    today = local(ctx.now(), ctx.timezone).date()
    parts: list[str | Span] = [b(f"Je open acties ({len(records)})")]
    row: list[Button] = []
    for n, record in enumerate(records, start=1):
        term = record.terugblik_op
        late = " (voorbij)" if term is not None and term < today else ""
        parts += [
            f"\n\n{n}. ",
            record.stap or "",
            "\n    ",
            i(
                f"met {record.met}, gesprek van {say_date(record.datum, local_today(ctx.now(), ctx.timezone))}; terugblik op "
                f"{say_date(term, local_today(ctx.now(), ctx.timezone)) if term else '?'}{late}"
            ),
        ]
        v = {"v": record.id}
        row += [
            await ctx.button(f"{n}: gedaan", "afspraak.gedaan", v, personal=True),
            await ctx.button(f"{n}: andere datum", "afspraak.datum", v, personal=True),
            await ctx.button(f"{n}: schrappen", "afspraak.schrappen", v, personal=True),
            await ctx.button(
                f"{n}: terugblik nu",
                "terugblik.start",
                {**v, "op": (term or today).isoformat()},
                personal=True,
            ),
        ]
    return say(*parts, buttons=row)


async def on_list(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return [await listing(ctx)]


async def on_done(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    record_id = payload.get("v")
    if not isinstance(record_id, int) or not await Verslagen(ctx.db).set_action(
        ctx.user_id, record_id, "gedaan", iso(ctx.now())
    ):
        return [say("Deze actie is al afgerond, geschrapt of bestaat niet meer.")]
    return [
        say(
            "✅ Genoteerd als gedaan. De terugblik blijft gepland: ook dan is het de moeite "
            "om samen terug te kijken."
        )
    ]


async def on_drop(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    record_id = payload.get("v")
    records = Verslagen(ctx.db)
    dropped = False
    if is_id(record_id):
        # no transaction: the reminder stops only where the action is still open, in the
        # statement that drops it
        store = Herinneringen(ctx.db)
        still_open = records.action_open(ctx.user_id, record_id)
        await store.cancel_among(
            await store.of_user(ctx.user_id), REMINDER_KIND, "v", record_id, still_open
        )
        dropped = await records.set_action(ctx.user_id, record_id, "geschrapt", iso(ctx.now()))
    if not dropped:
        return [say("Deze actie is al afgerond, geschrapt of bestaat niet meer.")]
    return [
        say(
            "De actie is geschrapt en de terugblik is niet meer gepland. Het verslag zelf "
            "blijft bewaard in ",
            cmd("gesprekken"),
            ".",
        )
    ]


async def on_move(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    record = await Verslagen(ctx.db).get(ctx.user_id, payload.get("v"))
    if record is None or record.actie != "open":
        return [say("Deze actie is al afgerond, geschrapt of bestaat niet meer.")]
    return [await terugblik.ask_term(ctx, record.id, "Naar wanneer verplaats je de terugblik?")]


def home_read(ctx: Ctx) -> Read[list[Verslag]] | None:
    """For `overzicht` in the DM only: how many agreed steps are open."""
    return None if ctx.is_group else Verslagen.open_actions_of(ctx.user_id)


async def open_actions_line(ctx: Ctx, records: list[Verslag]) -> list[str | Span]:
    count = len(records)
    if not count:
        return []
    return [f"Je hebt {count} open {'actie' if count == 1 else 'acties'}: ", cmd("acties"), "."]


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "acties",
            "Je eigen afgesproken stappen uit je gespreksverslagen, "
            "met hun terugblikdatum (privé; in een groep: acties team).",
            "acties",
            in_group=Audience.QUIET,
        ),
        acties,
    )
    router.button("afspraak.lijst", on_list)
    router.button("afspraak.gedaan", on_done)
    router.button("afspraak.datum", on_move)
    router.button("afspraak.schrappen", on_drop)
    router.home(home_read, open_actions_line)
