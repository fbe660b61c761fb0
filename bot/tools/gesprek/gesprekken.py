"""`gesprekken`: your recorded conversations, newest first, with agreements and look-backs;
continue an unfinished one or delete one. Also how this data is exported and erased."""

from __future__ import annotations

from typing import Any

from bot.core.context import Ctx, Deps
from bot.core.privately import privately
from bot.core.replies import Audience, Button, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Router
from bot.core.storage import Reads
from bot.text.moments import local_today, say_date
from bot.tools.gesprek import terugblik
from bot.tools.gesprek.store.gesprekken import LookBack, Verslag, Verslagen

SHOWN = 10
ACTION_WORDS = {"open": "open", "gedaan": "gedaan", "geschrapt": "geschrapt"}
OUTCOME_WORDS = {"bezig": "begonnen", "beantwoord": "ingevuld", "niets_vernomen": "niets vernomen"}


async def gesprekken(ctx: Ctx, args: str) -> list[Reply]:
    if ctx.is_group:
        return await privately(ctx, "gesprekken", "Je gespreksverslagen lezen", start)
    return await start(ctx)


async def start(ctx: Ctx) -> list[Reply]:
    return [await listing(ctx)]


def _record_lines(ctx: Ctx, record: Verslag, lookbacks: list[LookBack]) -> list[str | Span]:
    parts: list[str | Span] = [
        "📅 ",
        b(f"{say_date(record.datum, local_today(ctx.now(), ctx.timezone))} · met "),
        b(record.met or "?"),
    ]
    if record.status == "concept":
        parts.append(i(" (nog niet af)"))
    for label, value in (
        ("Wens", record.wens),
        ("Ideeën", record.ideeen),
        ("Afgesproken stap", record.stap),
    ):
        if value is not None:
            parts += [f"\n{label}: ", value]
    if record.stap is not None and record.status == "klaar":
        parts.append(i(f" ({ACTION_WORDS.get(record.actie, record.actie)})"))
    if record.motivatie is not None:
        parts.append(f"\nMotivatie {record.motivatie}/10")
        if record.vertrouwen is not None:
            parts.append(f", vertrouwen {record.vertrouwen}/10")
    if record.terugblik_op is not None:
        parts.append(
            f"\nTerugblik op {say_date(record.terugblik_op, local_today(ctx.now(), ctx.timezone))}"
        )
    for lookback in lookbacks:
        word = OUTCOME_WORDS.get(lookback.outcome, lookback.outcome)
        parts += [
            "\n",
            b(f"Terugblik {say_date(lookback.term, local_today(ctx.now(), ctx.timezone))}"),
            f": {word}",
        ]
        order = [q.id for q in terugblik.questions(ctx.content)]
        for answer in sorted(
            lookback.answers,
            key=lambda a: order.index(a.question) if a.question in order else len(order),
        ):
            parts += [
                "\n  • ",
                i(terugblik.question_text(ctx.content, answer.question)),
                " ",
                answer.text,
            ]
    return parts


async def listing(ctx: Ctx) -> Reply:
    records, lookbacks = await ctx.db.together(
        Verslagen.records_of(ctx.user_id), Verslagen.lookbacks_of(ctx.user_id)
    )
    if not records:
        return say(
            "Je hebt nog geen gesprekken vastgelegd. Dat doe je na een gesprek met ",
            cmd("gesprek verslag"),
            ".",
        )
    shown = records[:SHOWN]
    parts: list[str | Span] = [b(f"Je gesprekken ({len(records)}), nieuwste eerst")]
    if len(records) > len(shown):
        parts.append(i(f"\nDe {len(shown)} recentste."))
    row: list[Button] = []
    for n, record in enumerate(shown, start=1):
        parts += ["\n\n", f"{n}. ", *_record_lines(ctx, record, lookbacks.get(record.id, []))]
        if record.status == "concept":
            row.append(
                await ctx.button(
                    f"{n}: verder invullen", "verslag.verder", {"v": record.id}, personal=True
                )
            )
        elif record.stap is not None:  # the look-back need not wait for its reminder
            term = record.terugblik_op or record.datum
            row.append(
                await ctx.button(
                    f"{n}: terugblik",
                    "terugblik.start",
                    {"v": record.id, "op": term.isoformat()},
                    personal=True,
                )
            )
        row.append(
            await ctx.button(f"{n}: verwijderen", "gesprekken.weg", {"v": record.id}, personal=True)
        )
    parts += ["\n\n", i("Alleen jij ziet deze verslagen, en alleen in ons privégesprek.")]
    return say(*parts, buttons=row)


async def on_list(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return [await listing(ctx)]


async def _own(ctx: Ctx, payload: dict[str, Any]) -> Verslag | None:
    return await Verslagen(ctx.db).get(ctx.user_id, payload.get("v"))


async def on_delete(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    record = await _own(ctx, payload)
    if record is None:
        return [say("Dit verslag bestaat niet meer.")]
    confirm = await ctx.button(
        "Ja, verwijder dit verslag", "gesprekken.weg_ja", {"v": record.id}, personal=True
    )
    return [
        say(
            f"Het verslag van {say_date(record.datum, local_today(ctx.now(), ctx.timezone))} met ",
            record.met or "?",
            " verwijderen, met zijn terugblikken en herinnering? Dat kan niet ongedaan worden.",
            buttons=[confirm],
        )
    ]


async def on_delete_confirmed(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    record_id = payload.get("v")
    if not isinstance(record_id, int) or not await Verslagen(ctx.db).delete(ctx.user_id, record_id):
        return [say("Dit verslag bestaat niet meer.")]
    return [say("Het verslag is verwijderd, met zijn terugblikken; de herinnering is gestopt.")]


def personal_read(user_id: int) -> Reads[tuple[list[Verslag], dict[int, list[LookBack]]]]:
    """A person's records with all their look-backs."""
    return Reads.pair(Verslagen.records_of(user_id), Verslagen.lookbacks_of(user_id))


def export(deps: Deps, found: tuple[list[Verslag], dict[int, list[LookBack]]]) -> dict[str, Any]:
    records, lookbacks = found
    out = []
    for record in records:
        data = record.as_export(lookbacks.get(record.id, []))
        for lookback in data["terugblikken"]:
            for answer in lookback["antwoorden"]:
                answer["vraag_tekst"] = terugblik.question_text(deps.content, answer["vraag"])
        out.append(data)
    return {"gesprekken": out}


async def erase(deps: Deps, user_id: int) -> None:
    await Verslagen(deps.db).erase(user_id)


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "gesprekken",
            "Je vastgelegde gesprekken met afspraken en terugblikken, nieuwste eerst (privé).",
            "gesprekken",
            group_menu=False,
            in_group=Audience.QUIET,
        ),
        gesprekken,
    )
    router.button("gesprekken.lijst", on_list)
    router.button("gesprekken.weg", on_delete)
    router.button("gesprekken.weg_ja", on_delete_confirmed)
    router.personal("gesprekken", personal_read, export, erase)
