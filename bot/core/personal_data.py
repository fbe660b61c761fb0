"""Everything the bot keeps about one person, handed over (`mijngegevens`) and erased
(`vergeetmij`).

Features register their own part with `router.personal`; the rows every feature shares (the
user, memberships, coordinator roles, open flows, buttons, DM conversations) are handled here.
Aanknopingspunten written in a team stay with the team, without their author.
"""

from __future__ import annotations

import json
from typing import Any

from bot.core import identity
from bot.core.context import Deps
from bot.core.router import PersonalData
from bot.core.storage import Database

IDENTITY = ("gebruiker", "lidmaatschappen", "vragen van de bot", "knoppen")
"""What the bot knows of anyone who ever wrote to it; everything else is what they stored."""

async def export_core(db: Database, user_id: int) -> dict[str, Any]:
    user = await db.one(
        "SELECT platform, workspace_id, external_id, display_name, handle, created_at FROM users"
        " WHERE id = ?", (user_id,))
    members = await db.all(
        "SELECT c.title, c.is_group, c.platform, c.external_id, m.is_admin, m.last_seen"
        " FROM members m JOIN conversations c ON c.id = m.conversation_id WHERE m.user_id = ?"
        " ORDER BY m.last_seen", (user_id,))
    roles = await db.all(
        "SELECT c.title, k.created_at FROM coordinatoren k JOIN conversations c"
        " ON c.id = k.conversation_id WHERE k.user_id = ? ORDER BY k.created_at", (user_id,))
    open_flows = await db.all(
        "SELECT kind, step, status, data, created_at, updated_at FROM flows WHERE user_id = ?"
        " ORDER BY id", (user_id,))
    buttons = await db.all(
        "SELECT kind, COUNT(*) AS n, MAX(created_at) AS last FROM buttons WHERE user_id = ?"
        " GROUP BY kind ORDER BY kind", (user_id,))
    return {
        "gebruiker": None if user is None else {
            "platform": user["platform"], "werkruimte": user["workspace_id"],
            "id op het platform": user["external_id"], "naam": user["display_name"],
            "gebruikersnaam": user["handle"], "eerste bericht": user["created_at"]},
        "lidmaatschappen": [{"gesprek": r["title"] or ("groep" if r["is_group"] else "privégesprek"),
                        "soort": "groep" if r["is_group"] else "privé",
                        "id op het platform": r["external_id"],
                        "beheerder": bool(r["is_admin"]), "laatst gezien": r["last_seen"]}
                       for r in members],
        "coördinator in": [{"gesprek": r["title"], "sinds": r["created_at"]} for r in roles],
        "vragen van de bot": [{"soort": r["kind"], "stap": r["step"], "status": r["status"],
                                   "gegevens": json.loads(r["data"]), "begonnen": r["created_at"],
                                   "bijgewerkt": r["updated_at"]} for r in open_flows],
        "knoppen": [{"soort": r["kind"], "aantal": r["n"], "laatste": r["last"]} for r in buttons],
    }


async def erase_core(db: Database, user_id: int) -> None:
    """The shared rows, after every feature erased its own; call inside one transaction."""
    dms = [dm.conversation_id for dm in await identity.own_dms(db, user_id, active_only=False)]
    await erase_reminders_of(db, user_id)
    await db.execute("UPDATE aanknopingspunten SET author_id = NULL WHERE author_id = ?", (user_id,))
    await db.execute("DELETE FROM flows WHERE user_id = ?", (user_id,))
    await db.execute("DELETE FROM buttons WHERE user_id = ?", (user_id,))
    for conversation_id in dms:
        await db.execute("DELETE FROM deliveries WHERE kind = 'nudge' AND ref_id = ?",
                         (conversation_id,))
        await db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
    await db.execute("DELETE FROM coordinatoren WHERE user_id = ?", (user_id,))
    await db.execute("UPDATE coordinatoren SET named_by = NULL WHERE named_by = ?", (user_id,))
    await db.execute("DELETE FROM members WHERE user_id = ?", (user_id,))
    await db.execute("DELETE FROM users WHERE id = ?", (user_id,))


async def erase_reminders_of(db: Database, user_id: int) -> None:
    """Reminders and the record of their sending (which holds the rendered message)."""
    await db.execute(
        "DELETE FROM deliveries WHERE kind = 'reminder' AND ref_id IN"
        " (SELECT id FROM herinneringen WHERE user_id = ?)", (user_id,))
    await db.execute("DELETE FROM herinneringen WHERE user_id = ?", (user_id,))


async def export_points(deps: Deps, user_id: int) -> dict[str, Any]:
    rows = await deps.db.all(
        "SELECT p.text, p.question_text, p.created_at, c.title, c.is_group FROM aanknopingspunten p"
        " JOIN conversations c ON c.id = p.conversation_id WHERE p.author_id = ? ORDER BY p.id",
        (user_id,))
    return {"aanknopingspunten": [
        {"tekst": r["text"], "bij de vraag": r["question_text"], "genoteerd op": r["created_at"],
         "gesprek": r["title"] or ("groep" if r["is_group"] else "privégesprek")} for r in rows]}


async def erase_points(deps: Deps, user_id: int) -> None:
    """What someone noted in a team belongs to the team: the text stays, the author goes."""
    await deps.db.execute("UPDATE aanknopingspunten SET author_id = NULL WHERE author_id = ?", (user_id,))


async def export_reminders(deps: Deps, user_id: int) -> dict[str, Any]:
    rows = await deps.db.all(
        "SELECT kind, text, due_at, recurrence, timezone, status, created_at FROM herinneringen"
        " WHERE user_id = ? ORDER BY id", (user_id,))
    return {"herinneringen": [
        {"tekst": r["text"], "soort": r["kind"], "wanneer": r["due_at"],
         "herhaling": r["recurrence"], "tijdzone": r["timezone"], "status": r["status"],
         "gemaakt op": r["created_at"]} for r in rows]}


async def erase_reminders(deps: Deps, user_id: int) -> None:
    await erase_reminders_of(deps.db, user_id)


async def collect(deps: Deps, user_id: int, registered: list[PersonalData]) -> dict[str, Any]:
    """The core rows and every registered feature's part, by section name."""
    sections = await export_core(deps.db, user_id)
    for part in registered:
        data = await part.export(deps, user_id)
        name = part.name if part.name not in sections else f"{part.name} ({len(sections)})"
        sections[name] = data[part.name] if set(data) == {part.name} else data
    return sections


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


def _md(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def _scalar(value: Any, indent: str) -> str:
    """One value on a list line; a text of several lines stays inside its list item."""
    if value is None:
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return _md(str(value)).replace("\n", "\n" + indent + "  ")


def _lines(value: Any, indent: str) -> list[str]:
    if isinstance(value, dict):
        out = []
        for key, inner in value.items():
            if isinstance(inner, (dict, list)):
                out += [f"{indent}- **{_md(str(key))}**:", *_lines(inner, indent + "  ")]
            else:
                out.append(f"{indent}- **{_md(str(key))}**: {_scalar(inner, indent)}")
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


def to_markdown(sections: dict[str, Any], made_on: str) -> str:
    lines = ["# Wat Kletspot over jou bewaart", "",
             f"Opgemaakt op {made_on}. Alleen voor jou; met vergeetmij wis je het allemaal.", ""]
    for name, value in sections.items():
        lines += [f"## {_md(name[:1].upper() + name[1:])}", "", *_lines(value, ""), ""]
    return "\n".join(lines)
