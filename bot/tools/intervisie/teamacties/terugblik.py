"""The actions coming back: the revisit at the next planned meeting (reflectieve integratie,
timed work) and the owner's reminder before the date, each with buttons to say how it stands."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core import buttons, identity
from bot.core.clock import iso
from bot.core.context import Deps
from bot.core.replies import Button, Reply, Span, b, i, say
from bot.text.moments import say_date
from bot.timed.due import Occurrence, TimedWork, in_conversation
from bot.timed.herinneringen import Herinnering
from bot.tools.intervisie.shared import source
from bot.tools.intervisie.store.bijeenkomsten import Bijeenkomsten, GeplandeBijeenkomst
from bot.tools.intervisie.store.teamacties import Teamacties
from bot.tools.intervisie.teamacties.shared import (
    MARK_BUTTONS,
    STATUS_WORDS,
    owner_of,
    status_buttons,
)

REMIND_AT = time(9, 0)
"""Owners hear about their action the day before, at this local time (or on the day itself)."""


def remind_at(due: date, tz: str, now: datetime) -> datetime | None:
    zone = ZoneInfo(tz)
    for moment in (
        datetime.combine(due - timedelta(days=1), REMIND_AT, zone),
        datetime.combine(due, REMIND_AT, zone),
    ):
        if moment > now:
            return moment
    return None


async def revisit(deps: Deps, conversation_id: int) -> Reply:
    """Reflectieve integratie: every action still open, with a button per outcome."""
    dialoog = deps.content.intervisie.dialoogsessie
    ri = dialoog.reflectieve_integratie
    actions = await Teamacties(deps.db).still_open(conversation_id)
    parts: list[str | Span] = [b("🔁 Terug naar de acties van vorige keer\n"), ri.instructie]
    for question in ri.vragen:
        parts += ["\n• ", question]
    if not actions:
        parts.append("\n\nEr staan geen open acties op de lijst van het team.")
    now = iso(deps.clock.now())
    row: list[Button] = []
    for action in actions:
        parts += [
            "\n\n",
            b(f"{action.number}. "),
            action.text,
            i(
                f"\n{owner_of(action)} · tijdsplanning {say_date(action.due_date, deps.clock.now().date())} · "
                f"{STATUS_WORDS[action.status]}"
            ),
        ]
        for status, label in MARK_BUTTONS:
            row.append(
                await buttons.make(
                    deps.db,
                    conversation_id,
                    f"{action.number}: {label}",
                    "teamactie.status",
                    {"a": action.id, "st": status},
                    now,
                )
            )
    parts += [
        "\n\n",
        ri.kennisbron_tekst,
        " ",
        " ".join(ri.kennisbron_vragen),
        f" (kennisbron {ri.uit_kennisbron.paragraaf} {ri.uit_kennisbron.titel})",
        "\n\nActie-eigenaars duiden hun eigen actie aan, coördinatoren elke actie. "
        "Wat een aanpak opleverde, vertel je in de draad van dit bericht.\n",
        source(deps.content.intervisie.bron, f"§{dialoog.opdracht} Dialoogsessie"),
    ]
    return say(*parts, buttons=row)


async def _due_revisits(
    deps: Deps, now: datetime, limit: int
) -> list[Occurrence[GeplandeBijeenkomst]]:
    return [
        await in_conversation(
            deps.db,
            f"terugblik:{meeting.id}",
            meeting.conversation_id,
            meeting.at,
            meeting.conversation_id,
            meeting,
        )
        for meeting in await Bijeenkomsten(deps.db).due(now, limit)
    ]


async def _close_meeting(
    deps: Deps, occurrence: Occurrence[GeplandeBijeenkomst], skipped: str
) -> bool:
    return await Bijeenkomsten(deps.db).close(occurrence.item, "skipped" if skipped else "posted")


async def _render_revisit(deps: Deps, occurrence: Occurrence[GeplandeBijeenkomst]) -> Reply:
    return await revisit(deps, occurrence.item.conversation_id)


REVISITS = TimedWork("terugblik", _due_revisits, _close_meeting, _render_revisit)
"""On a planned meeting's moment the actions of last time come back to the group, once."""


async def render_reminder(deps: Deps, reminder: Herinnering) -> Reply:
    """The owner's DM (or, for an owner outside the chat, the DM of who added it): the action,
    with buttons to say how it stands. They are the reminded person's own buttons: bound to
    their DM where the bot knows it, else to the team's group, which the engine accepts from
    that person's own DM once it exists (a personal button works in its person's DM)."""
    action = await Teamacties(deps.db).get(int(reminder.payload.get("actie", 0)))
    parts: list[str | Span] = [b("⏰ Actie van het team\n"), reminder.text]
    if action is None or not action.still_open:
        parts.append("\n\nDeze actie staat intussen niet meer open.")
        return say(*parts)
    now = iso(deps.clock.now())
    bound = reminder.conversation_id
    if bound is None:
        known = await identity.dm_of(deps.db, reminder.user_id)
        bound = known.conversation_id if known else action.conversation_id
    row = await status_buttons(deps.db, bound, action, reminder.user_id, now, "herinnering")
    row.append(
        await buttons.make(
            deps.db,
            bound,
            "Uitkomst noteren",
            "teamactie.uitkomst.vraag",
            {"a": action.id},
            now,
            reminder.user_id,
        )
    )
    parts.append(
        "\n\nHoe staat het ermee? Tik hieronder, of duid het in de groep aan met acties team."
    )
    return say(*parts, buttons=row)
