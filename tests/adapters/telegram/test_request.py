"""python-telegram-bot's requests over aiohttp (`adapters/telegram/request.py`), through the
adapter's own bot against the fake Bot API over real HTTP: a send reaches the socket before
other work on the loop, a late answer is `TimedOut`, an unreachable API a `NetworkError` without
the token, a proxy named in the environment is used. Files as multipart: `test_files.py`;
Telegram's error answers: `test_sending.py`."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from telegram.error import NetworkError, TimedOut

from adapters.telegram import TelegramAdapter
from adapters.telegram.request import _tls, _without_token
from bot.core.engine import Engine
from bot.core.platform import StartupError
from tests.adapters.telegram.conftest import free_port
from tests.adapters.telegram.fake_api import FakeBotApi

STEP = 0.05
"""Seconds another task holds the event loop in each of its steps."""


@pytest.mark.skipif(sys.platform != "linux", reason="the fake stamps arrivals with Linux's clock")
async def test_a_send_leaves_at_its_turn_before_other_work_on_the_loop(
    tg: TelegramAdapter, api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pace lets a send go at its slot; another task working in long steps on the same loop
    (a busy bot) may hold the request back by one step at most: with Python 3.12+ not at all
    (aiohttp writes at once), on 3.11 by the one step queued before aiohttp's body writer.
    httpx, python-telegram-bot's default, yields three times first: three steps."""
    await tg.app.bot.send_message(-1001234, "warm")  # a kept-alive connection, as in a fan-out
    steps: list[float] = []
    wait = tg.pace.wait

    async def work() -> None:
        for _ in range(6):
            steps.append(time.monotonic())
            end = time.perf_counter() + STEP
            while time.perf_counter() < end:
                pass
            await asyncio.sleep(0)

    async def wait_then_work(*args: Any, **kwargs: Any) -> None:
        await wait(*args, **kwargs)
        tasks.append(asyncio.create_task(work()))  # begins at the loop's next turn

    tasks: list[asyncio.Task[None]] = []
    monkeypatch.setattr(tg.pace, "wait", wait_then_work)
    await asyncio.wait_for(tg.app.bot.send_message(-1001234, "op tijd"), 10)
    await asyncio.wait_for(tasks[0], 10)
    [call] = [c for c in api.sent() if c.text == "op tijd"]
    held_back = sum(1 for start in steps if start < call.at)
    assert held_back <= 1, f"the send waited for {held_back} steps of other work"


def test_the_token_is_taken_out_of_an_errors_text() -> None:
    for url in (
        "https://api.telegram.org/bot123456:GEHEIM-token-hier/sendMessage",
        "http://localhost:8081/api/123456:GEHEIM-token-hier/bot/sendMessage",  # {token} inside
    ):
        error = aiohttp.ClientConnectionError(f"Can not write request body for {url}")
        text = _without_token(error, url)
        assert "GEHEIM" not in text and "<token>" in text and "sendMessage" in text


async def test_a_refused_start_closes_its_http_clients(engine: Engine, api: FakeBotApi) -> None:
    adapter = TelegramAdapter(engine, "999:wrong", base_url=api.base_url)
    with pytest.raises(StartupError, match="weigert de token"):
        await adapter.start()
    # python-telegram-bot closes only what it initialised to the end; aiohttp would warn of
    # an unclosed session at exit
    assert [r._session for r in adapter._requests] == [None, None]


async def test_no_answer_in_time_is_timed_out(tg: TelegramAdapter, api: FakeBotApi) -> None:
    api.latency = 2.0  # the fake takes it, then answers late
    with pytest.raises(TimedOut):
        await tg.app.bot.send_message(-1001234, "traag", read_timeout=0.2)
    assert [c.text for c in api.sent()] == ["traag"]  # it may have arrived: TimedOut says so


async def test_an_unreachable_api_is_a_network_error_without_the_token(engine: Engine) -> None:
    token = "123456:GEHEIM-token-hier"
    adapter = TelegramAdapter(engine, token, base_url=f"http://127.0.0.1:{free_port()}/bot")
    bot = adapter.app.bot
    try:
        with pytest.raises(NetworkError) as raised:
            await bot.initialize()  # getMe: nothing listens there
        assert not isinstance(raised.value, TimedOut)
        assert "GEHEIM" not in str(raised.value) and "aiohttp." in str(raised.value)
    finally:
        await bot.shutdown()


async def test_an_outgoing_proxy_from_the_environment_is_used(
    engine: Engine, api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Organisations behind a proxy set HTTPS_PROXY (HTTP_PROXY here); httpx honoured it, so
    this does too. The fake Bot API plays the proxy: the address itself cannot be resolved."""
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{api.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    adapter = TelegramAdapter(engine, api.token, base_url="http://api.telegram.invalid/bot")
    bot = adapter.app.bot
    try:
        await bot.initialize()
        await bot.send_message(-1001234, "via de proxy")
    finally:
        await bot.shutdown()
    assert [c.text for c in api.sent()] == ["via de proxy"]


def test_a_company_ca_named_in_the_environment_replaces_certifis_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """SSL_CERT_DIR (or SSL_CERT_FILE) names the CAs to trust, as with httpx; here an empty
    folder, so none is loaded where certifi's bundle holds over a hundred."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    _tls.cache_clear()
    assert _tls().cert_store_stats()["x509_ca"] > 100
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    _tls.cache_clear()
    try:
        assert _tls().cert_store_stats()["x509_ca"] == 0
    finally:
        _tls.cache_clear()
