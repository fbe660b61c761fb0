"""A real TelegramAdapter (python-telegram-bot Application and HTTP stack) against the fake API."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Mapping

import pytest

from adapters.telegram import TelegramAdapter, serve
from bot.core.engine import Engine
from tests.adapters.telegram.fake_api import FakeBotApi


class Sleeps:
    """Stands in for asyncio.sleep in the sender: records how long it was asked to wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Running:
    """`serve` in a task; ready once `on_ready` handed over the adapter."""

    def __init__(self, engine: Engine, env: Mapping[str, str]) -> None:
        self.stop = asyncio.Event()
        self.ready: asyncio.Future[TelegramAdapter] = asyncio.get_running_loop().create_future()
        self.task = asyncio.create_task(serve(engine, env, self.stop, on_ready=self._on_ready))

    def _on_ready(self, adapter: TelegramAdapter) -> None:
        self.ready.set_result(adapter)

    async def adapter(self) -> TelegramAdapter:
        done, _ = await asyncio.wait(
            {self.ready, self.task}, timeout=10, return_when=asyncio.FIRST_COMPLETED
        )
        if self.task in done:
            self.task.result()  # raises what went wrong
        return await asyncio.wait_for(self.ready, 1)

    async def close(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 10)


@pytest.fixture
async def running(
    engine: Engine, api: FakeBotApi, request: pytest.FixtureRequest
) -> AsyncIterator[Running]:
    env = {
        "TELEGRAM_BOT_TOKEN": api.token,
        # without the /bot part on purpose: the runner adds it
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{api.port}/",
        **request.param,
    }
    run = Running(engine, env)
    yield run
    await run.close()
