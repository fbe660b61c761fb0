"""A volunteer in their DM with the bot, and a scheduler that delivers to a recording platform."""

from __future__ import annotations

import pytest

from bot.core.clock import FakeClock
from bot.core.engine import Engine
from bot.core.replies import Outgoing, Reply
from scheduler.service import Scheduler
from tests.conftest import Chat
from tests.scheduler.conftest import Platform, no_sleep


class Post:
    """What the scheduler sent since the last look, and a way to press its buttons."""

    def __init__(self, engine: Engine, clock: FakeClock) -> None:
        self.platform = Platform()
        self.clock = clock
        self.scheduler = Scheduler(engine, {"console": self.platform}, sleep=no_sleep)
        self._seen = 0

    async def tick(self) -> list[Outgoing]:
        await self.scheduler.tick()
        new = self.platform.sent[self._seen:]
        self._seen = len(self.platform.sent)
        return new

    async def at(self, **delta: float) -> list[Outgoing]:
        self.clock.advance(**delta)
        return await self.tick()


def replies(sent: list[Outgoing]) -> list[Reply]:
    return [o.reply for o in sent]


@pytest.fixture
def dm(engine: Engine) -> Chat:
    return Chat(engine, "dm-an", group=False)


@pytest.fixture
def post(engine: Engine, clock: FakeClock) -> Post:
    return Post(engine, clock)
