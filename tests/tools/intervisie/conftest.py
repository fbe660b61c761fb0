"""A team group with a coordinator (An) and members who have spoken to the bot once."""

from __future__ import annotations

from bot.core.engine import Engine
from tests.conftest import Chat

MEMBERS = ("Bo", "Cas", "Dee")


async def team(engine: Engine) -> Chat:
    chat = Chat(engine)
    await chat.cmd("hulp")
    for who in MEMBERS:
        await chat.cmd("hulp", who=who)
    return chat


async def count(engine: Engine, table: str) -> int:
    return int(await engine.db.scalar(f"SELECT COUNT(*) FROM {table}"))
