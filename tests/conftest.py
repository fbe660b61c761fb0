"""Shared test harness: a real engine on a real SQLite file in a temp folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from random import Random

import pytest

from bot.core.clock import FakeClock
from bot.core.engine import Engine
from bot.core.events import Actor, ButtonPress, Command, Event, Place, TextReply
from bot.core.replies import Outgoing, Reply
from content import load_content

CONTENT = load_content()


class Chat:
    """One conversation as its members see it."""

    def __init__(self, engine: Engine, conversation: str = "team", group: bool = True,
                 platform: str = "console", workspace: str = "w1") -> None:
        self.engine = engine
        self.place = Place(conversation, is_group=group, title=f"Gesprek {conversation}")
        self.platform = platform
        self.workspace = workspace
        self.last: list[Reply] = []

    def actor(self, who: str, admin: bool) -> Actor:
        return Actor(self.platform, self.workspace, who.lower(), who, handle=who.lower(),
                     is_platform_admin=admin)

    async def send(self, what: Command | ButtonPress | TextReply, who: str = "An",
                   admin: bool | None = None) -> list[Reply]:
        admin = (who == "An") if admin is None else admin
        self.last = await self.engine.handle(Event(self.actor(who, admin), self.place, what))
        return self.last

    async def cmd(self, line: str, who: str = "An", admin: bool | None = None) -> list[Reply]:
        name, _, args = line.partition(" ")
        return await self.send(Command(name, args), who, admin)

    async def text(self, text: str, who: str = "An") -> list[Reply]:
        return await self.send(TextReply(text), who)

    async def press(self, label: str, who: str = "An", replies: list[Reply] | None = None) -> list[Reply]:
        return await self.send(ButtonPress(button_id(replies or self.last, label)), who)


def button_id(replies: list[Reply], label: str) -> str:
    for reply in replies:
        for button in reply.buttons:
            if button.label == label:
                return button.action_id
    raise AssertionError(f"no button {label!r} in {[b.label for r in replies for b in r.buttons]}")


def text_of(replies: list[Reply]) -> str:
    return "\n".join(r.plain for r in replies)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kletspot.db"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def engine(db_path: Path, clock: FakeClock) -> AsyncIterator[Engine]:
    eng = await Engine.open(db_path, CONTENT, clock=clock, rng=Random(7))
    yield eng
    await eng.close()


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)


async def due_now(engine: Engine, grace: timedelta = timedelta(hours=12)) -> list[Outgoing]:
    """Everything the one timed path claims at this moment, as the scheduler would get it."""
    return [outgoing async for outgoing in engine.claim_due(grace)]
