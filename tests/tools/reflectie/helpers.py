"""Filling in tools the way a person does it in the chat, and looking for traces in the db."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.replies import Reply
from bot.core.storage import Database
from bot.tools.reflectie.store.reflecties import Step, steps
from bot.tools.reflectie.text import short_code
from content.schemas.reflectoren import Keuze, Reflector, Schaal
from tests.conftest import CONTENT, Chat


def dm(engine: Engine, who: str = "An") -> Chat:
    """The person's DM with the bot; its id is theirs, as on Telegram."""
    return Chat(engine, who.lower(), group=False)


def tool_label(tool: Reflector) -> str:
    n = CONTENT.reflectoren.reflectoren.index(tool) + 1
    return f"{n}. {tool.titel}"


def written(tool: Reflector, step: Step) -> str:
    """A recognisable typed answer for this question."""
    return f"notitie {tool.id} {step.item.id} {step.part}"


async def answer(
    chat: Chat, tool: Reflector, step: Step, pick: int = 0, who: str = "An"
) -> list[Reply]:
    """Answer one question: the `pick`-th option or scale value, or a typed text."""
    kind = step.answer
    if isinstance(kind, Keuze) and kind.meerdere:
        await chat.press(kind.opties[pick].label, who=who)
        await chat.press(f"✓ {kind.opties[pick].label}", who=who)  # off again
        await chat.press(kind.opties[pick].label, who=who)
        if len(kind.opties) > pick + 1:
            await chat.press(kind.opties[pick + 1].label, who=who)
        return await chat.press("Klaar", who=who)
    if isinstance(kind, Keuze):
        option = kind.opties[pick]
        label = f"{option.code}: {option.label}" if short_code(kind) else option.label
        return await chat.press(label, who=who)
    if isinstance(kind, Schaal):
        value = kind.min + pick
        return await chat.press(
            f"{value}: {kind.labels[value]}" if value in kind.labels else str(value), who=who
        )
    return await chat.text(written(tool, step), who=who)


async def start(chat: Chat, tool: Reflector, who: str = "An") -> list[Reply]:
    await chat.cmd("reflectie", who=who)
    return await chat.press(tool_label(tool), who=who)


async def fill_in(
    chat: Chat, tool: Reflector, picks: dict[str, int] | None = None, who: str = "An"
) -> list[Reply]:
    """The whole tool, from the menu to the summary."""
    await start(chat, tool, who)
    replies: list[Reply] = []
    for step in steps(tool):
        replies = await answer(chat, tool, step, (picks or {}).get(step.item.id, 0), who)
    return replies


async def traces(db: Database, needles: list[str]) -> list[str]:
    """Every table and column of the database where one of the needles occurs."""
    found = []
    for table in await db.tables():
        for row in await db.all(f'SELECT * FROM "{table}"'):
            for column in row.keys():
                text = str(row[column]).lower()
                found += [f"{table}.{column}: {n}" for n in needles if n.lower() in text]
    return found
