"""A real TelegramAdapter (python-telegram-bot Application and HTTP stack) against the fake API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.telegram import TelegramAdapter
from bot.core.engine import Engine
from tests.adapters.telegram.fake_api import FakeBotApi


class Sleeps:
    """Stands in for asyncio.sleep in the sender: records how long it was asked to wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = await FakeBotApi().start()
    yield fake
    await fake.close()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def tg(engine: Engine, api: FakeBotApi, sleeps: Sleeps) -> AsyncIterator[TelegramAdapter]:
    adapter = TelegramAdapter(engine, api.token, base_url=api.base_url)
    adapter.sender.sleep = sleeps
    await adapter.start()
    yield adapter
    await adapter.stop()
