"""A scheduler on a real database with a fake clock and a recording platform."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from pathlib import Path
from random import Random

import pytest

from bot.core.clock import FakeClock
from bot.core.delivery import Outcome, Result, SendLimits
from bot.core.engine import Engine
from bot.core.replies import Outgoing
from scheduler.service import Scheduler
from tests.conftest import CONTENT, Chat


class Platform:
    """Records what it is asked to send; can be told to fail or to hold sends in flight."""

    platform = "console"
    limits = SendLimits(math.inf, math.inf, math.inf)

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.script: list[Result] = []
        self.hold: asyncio.Event | None = None
        self.entered = asyncio.Event()

    async def deliver(self, outgoing: Outgoing) -> Result:
        if self.hold is not None:
            self.entered.set()
            await self.hold.wait()
        result = self.script.pop(0) if self.script else Result(Outcome.SENT)
        if result.outcome is Outcome.SENT:
            self.sent.append(outgoing)
        return result


async def no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


class Setup:
    def __init__(self, path: Path, clock: FakeClock) -> None:
        self.path = path
        self.clock = clock
        self.platform = Platform()
        self.engines: list[Engine] = []

    async def engine(self) -> Engine:
        engine = await Engine.open(self.path, CONTENT, clock=self.clock, rng=Random(3))
        self.engines.append(engine)
        return engine

    def scheduler(self, engine: Engine, **kw: object) -> Scheduler:
        return Scheduler(engine, {"console": self.platform}, sleep=no_sleep, **kw)  # type: ignore[arg-type]


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    s = Setup(tmp_path / "plan.db", FakeClock(utc(2026, 3, 2, 8, 0)))  # a Monday, 09:00 Brussels
    yield s
    for engine in s.engines:
        await engine.close()


async def planned_chat(engine: Engine, plan: str = "maandag 12:00") -> Chat:
    chat = Chat(engine)
    await chat.cmd(f"planning {plan}")
    return chat
