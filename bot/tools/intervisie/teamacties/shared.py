"""What the rooms of `acties team` share: how an action's owner and status are said, the
reminder's kind, and the status buttons that the list, the reminder and the start page carry."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

from bot.core import buttons
from bot.core.context import Ctx, Deps
from bot.core.replies import Button
from bot.core.storage import Database
from bot.tools.intervisie.store.teamacties import Teamactie

REMINDER_KIND = "teamactie"
STATUS_WORDS = {
    "open": "nog open",
    "bezig": "nog bezig",
    "gedaan": "gedaan",
    "geschrapt": "geschrapt",
}
ICONS = {"open": "⬜", "bezig": "⏳", "gedaan": "✅", "geschrapt": "✖️"}
MARK_BUTTONS = (("gedaan", "gedaan"), ("bezig", "nog bezig"), ("geschrapt", "geschrapt"))
USAGE = (
    "acties team · acties team export · acties team nieuw <actie> @naam <datum> · "
    "acties team gedaan|bezig|geschrapt <nr> · acties team uitkomst <nr> <tekst> · "
    "acties team weg <nr>"
)
EDIT_RIGHTS = "de actielijst van het team aanpassen"


def owner_of(action: Teamactie) -> str:
    return action.owner_name or "geen eigenaar meer"


def owner_said(action: Teamactie) -> str:
    """'de wijkagent (herinnering naar An)' for an owner outside the chat."""
    if not action.outside:
        return owner_of(action)
    return f"{owner_of(action)} (herinnering naar {action.reminder_name or 'niemand meer'})"


def today(ctx: Ctx | Deps, tz: str) -> date:
    return ctx.clock.now().astimezone(ZoneInfo(tz)).date()


TEAM = "het team"
"""A group's name where its title is not known."""


async def status_buttons(
    db: Database,
    conversation_id: int,
    action: Teamactie,
    user_id: int | None,
    now: str,
    where: str,
    numbered: bool = False,
) -> list[Button]:
    """gedaan, nog bezig, geschrapt (and uitkomst on the list) for one action."""
    prefix = f"{action.number}: " if numbered else ""
    out: list[Button] = []
    for status, label in MARK_BUTTONS:
        if status == action.status:
            continue
        made = await buttons.make(
            db,
            conversation_id,
            prefix + (label if numbered else label.capitalize()),
            "teamactie.status",
            {"a": action.id, "st": status, "op": where},
            now,
            user_id,
        )
        out.append(replace(made, row=f"actie{action.number}"))
    return out
