"""Everything the bot keeps about one person, handed over (`mijngegevens`) and erased
(`vergeetmij`).

Features register their own part with `router.personal`; the rows every feature shares (the
user, memberships, coordinator roles, open flows, buttons, DM conversations) are handled here.
Aanknopingspunten written in a team stay with the team, without their author.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.core import buttons, flows, identity
from bot.core.context import Ctx, Deps
from bot.core.replies import Attachment
from bot.core.router import PersonalData
from bot.core.storage import Database, Reads
from bot.text.dutch import local
from bot.text.markdown import escape
from bot.text.moments import MONTHS
from bot.timed.deliveries import Deliveries

IDENTITY = ("gebruiker", "lidmaatschappen", "vragen van de bot", "knoppen")
"""What the bot knows of anyone who ever wrote to it; everything else is what they stored."""


def core_of(user_id: int) -> Reads[dict[str, Any]]:
    """The rows every feature shares, to read with the features' parts."""
    return Reads.three(
        identity.person_of(user_id),
        flows.export_of(user_id),
        buttons.export_of(user_id),
        lambda person, asked, made: {
            **person,
            "vragen van de bot": asked,
            "knoppen": made,
        },
    )


async def erase_core(db: Database, user_id: int) -> None:
    """The shared rows, after every tool erased its own; call inside one transaction. Held
    back, nothing read (as every part's erase): the transaction is one round trip."""
    await flows.erase_of(db, user_id)
    await buttons.erase_of(db, user_id)
    # the weekly post's sends to their DMs (its timed work's kind, written out), before the
    # DMs themselves go
    dms, params = identity.dm_ids_of(user_id)
    await Deliveries(db).forget_where((f"SELECT 'nudge', id FROM ({dms}) AS dm", params))
    await identity.erase_person(db, user_id)


@dataclass(frozen=True)
class Collected:
    """Everything the bot keeps about one person, read in one round trip."""

    sections: dict[str, Any]
    """The core rows and every feature's part, by section name."""
    found: list[tuple[PersonalData[Any], Any]]
    """Each feature's part with its rows as its read made them (for its `files`)."""

    async def files(self, ctx: Ctx) -> list[Attachment]:
        """What the features draw from their rows (a netwerkkaart)."""
        drawn: list[Attachment] = []
        for part, rows in self.found:
            if part.files is not None:
                drawn += await part.files(ctx, rows)
        return drawn


async def collect(deps: Deps, user_id: int, registered: list[PersonalData[Any]]) -> Collected:
    """The core rows and every registered feature's part: one round trip for all."""
    core, *found = await deps.db.together(
        core_of(user_id), *(part.read(user_id) for part in registered)
    )
    sections = dict(core)
    for part, rows in zip(registered, found, strict=True):
        data = part.export(deps, rows)
        name = part.name if part.name not in sections else f"{part.name} ({len(sections)})"
        sections[name] = data[part.name] if set(data) == {part.name} else data
    return Collected(sections, list(zip(registered, found, strict=True)))


def size(value: Any) -> int:
    """How many things a section holds, to say what an erasure removes."""
    if value is None:
        return 0
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):
        return sum(size(v) for v in value.values())
    return 1


def to_json(sections: dict[str, Any]) -> str:
    return json.dumps(sections, ensure_ascii=False, indent=2, default=str)


def _scalar(value: Any, indent: str) -> str:
    """One value on a list line; a text of several lines stays inside its list item."""
    if value is None:
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return escape(str(value)).replace("\n", "\n" + indent + "  ")


def _lines(value: Any, indent: str) -> list[str]:
    if isinstance(value, dict):
        out = []
        for key, inner in value.items():
            if isinstance(inner, (dict, list)):
                out += [f"{indent}- **{escape(str(key))}**:", *_lines(inner, indent + "  ")]
            else:
                out.append(f"{indent}- **{escape(str(key))}**: {_scalar(inner, indent)}")
        return out or [f"{indent}- (niets)"]
    if isinstance(value, list):
        if not value:
            return [f"{indent}- (niets)"]
        out = []
        for n, inner in enumerate(value, start=1):
            if isinstance(inner, (dict, list)):
                out += [f"{indent}- {n}.", *_lines(inner, indent + "  ")]
            else:
                out.append(f"{indent}- {_scalar(inner, indent)}")
        return out
    return [f"{indent}{_scalar(value, indent)}"]


_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _readable_value(value: Any, tz: str) -> Any:
    """Dates as people write them: '20 november 2026 om 10:00', not an ISO timestamp."""
    if isinstance(value, dict):
        return {k: _readable_value(v, tz) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable_value(v, tz) for v in value]
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            moment = local(datetime.fromisoformat(value), tz)
        except ValueError:
            return value
        return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} om {moment:%H:%M}"
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return value


def _readable(sections: dict[str, Any], tz: str) -> dict[str, Any]:
    """The document for people: the bot's own bookkeeping (flow steps, button kinds) said in
    words; the JSON keeps the machine fields."""
    shown = dict(sections)
    questions = sections.get("vragen van de bot") or []
    shown["vragen van de bot"] = [
        f"Bij {q['soort'].split('.')[0]}: {STATUS_WORDS.get(q['status'], q['status'])}, "
        f"laatst bijgewerkt {_readable_value(q['bijgewerkt'], tz)}"
        for q in questions
    ]
    made = sections.get("knoppen") or []
    total = sum(int(k["aantal"]) for k in made)
    last = max((k["laatste"] for k in made), default=None)
    shown["knoppen"] = (
        f"{total} knoppen die ik je toonde, de laatste op {_readable_value(last, tz)}"
        if total
        else []
    )
    readable = _readable_value(shown, tz)
    assert isinstance(readable, dict)
    return readable


STATUS_WORDS = {
    "open": "loopt nog",
    "done": "afgerond",
    "replaced": "vervangen",
    "closed": "gesloten",
    "expired": "verlopen",
    "dropped": "gestopt",
    "stopped": "gestopt",
    "forgotten": "vergeten",
    "active": "actief",
    "cancelled": "gestopt",
}


def to_markdown(sections: dict[str, Any], made_on: str, tz: str = "Europe/Brussels") -> str:
    lines = [
        "# Wat Kletspot over jou bewaart",
        "",
        f"Opgemaakt op {made_on}. Alleen voor jou; met vergeetmij wis je het allemaal.",
        "",
    ]
    for name, value in _readable(sections, tz).items():
        lines += [f"## {escape(name[:1].upper() + name[1:])}", "", *_lines(value, ""), ""]
    return "\n".join(lines)
