"""Scheduler fan-out benchmark (run by hand: `.venv/bin/python -m bench.scheduler_fanout`).

(a) 10,000 group nudges due in the same minute, platform unlimited: nudges per second.
(b) the same against a fake platform server that enforces Telegram's 30 messages per second
    (429 with retry_after when exceeded): time to deliver all against the floor of 10,000 / 30 s,
    and the number of 429s.
(c) start-up time and resident memory with 10,000 plans and 100,000 reminders in the database.

Each part builds its own database in a temp folder; the fake platform runs on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.core.clock import FakeClock, iso
from bot.core.delivery import Outcome, Result, SendLimits
from bot.core.engine import Engine
from bot.core.replies import Outgoing
from content import load_content
from scheduler.service import Scheduler

DUE = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)  # Monday 12:00 Brussels


class FakePlatform:
    """Answers sendMessage; with a limit, answers 429 when more than `per_second` arrive."""

    def __init__(self, per_second: float) -> None:
        self.per_second = per_second
        self.accepted = 0
        self.rejected = 0
        self._window: list[float] = []

    async def handle(self, request: web.Request) -> web.Response:
        await request.read()
        now = time.monotonic()
        if math.isfinite(self.per_second):
            self._window = [t for t in self._window if now - t < 1.0]
            if len(self._window) >= self.per_second:
                self.rejected += 1
                return web.json_response(
                    {"ok": False, "error_code": 429, "parameters": {"retry_after": 1}}, status=429
                )
            self._window.append(now)
        self.accepted += 1
        return web.json_response({"ok": True, "result": {"message_id": self.accepted}})


class HttpDeliverer:
    platform = "console"

    def __init__(self, url: str, session: aiohttp.ClientSession, limits: SendLimits) -> None:
        self._url = url
        self._session = session
        self.limits = limits

    async def deliver(self, outgoing: Outgoing) -> Result:
        body = {"chat_id": outgoing.target.conversation_id, "text": outgoing.reply.plain}
        async with self._session.post(self._url, json=body) as response:
            data = await response.json()
        if response.status == 429:
            return Result(
                Outcome.RETRY, retry_after=data["parameters"]["retry_after"], detail="429"
            )
        return Result(Outcome.SENT)


async def seed(path: Path, plans: int, reminders: int) -> None:
    """Write plans and reminders directly, as months of use would have left them."""
    engine = await Engine.open(path, load_content(), clock=FakeClock(DUE - timedelta(days=1)))
    db = engine.db
    now = iso(DUE - timedelta(days=1))
    async with db.transaction():
        await db.executemany(
            "INSERT INTO conversations (platform, workspace_id, external_id, is_group, title,"
            " created_at) VALUES ('console', 'w', ?, 1, ?, ?)",
            [(f"g{n}", f"Team {n}", now) for n in range(plans)],
        )
        await db.executemany(
            "INSERT INTO planningen (conversation_id, weekdays, local_time, next_at, updated_at)"
            " VALUES (?, '0', '12:00', ?, ?)",
            [(n + 1, iso(DUE), now) for n in range(plans)],
        )
        await db.executemany(
            "INSERT INTO users (platform, workspace_id, external_id, display_name, created_at)"
            " VALUES ('console', 'w', ?, ?, ?)",
            [(f"u{n}", f"Persoon {n}", now) for n in range(max(1, reminders // 10))],
        )
        await db.executemany(
            "INSERT INTO herinneringen (user_id, kind, text, due_at, created_at)"
            " VALUES (?, 'tekst', 'Herinnering', ?, ?)",
            [
                (1 + n % max(1, reminders // 10), iso(DUE + timedelta(days=30 + n % 300)), now)
                for n in range(reminders)
            ],
        )
    await engine.close()


async def fan_out(path: Path, limit: float, limits: SendLimits) -> tuple[float, int, int]:
    platform = FakePlatform(limit)
    app = web.Application()
    app.router.add_post("/sendMessage", platform.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    clock = FakeClock(DUE + timedelta(seconds=30))
    engine = await Engine.open(path, load_content(), clock=clock)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:
        deliverer = HttpDeliverer(f"http://127.0.0.1:{port}/sendMessage", session, limits)
        scheduler = Scheduler(engine, {"console": deliverer}, concurrency=64)
        start = time.perf_counter()
        result = await scheduler.tick()
        elapsed = time.perf_counter() - start
    await engine.close()
    await runner.cleanup()
    return elapsed, result["sent"], platform.rejected


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main(count: int, skip_limited: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        unlimited = SendLimits(math.inf, math.inf, math.inf)
        await seed(base / "a.db", count, 0)
        elapsed, sent, _ = await fan_out(base / "a.db", math.inf, unlimited)
        print(
            f"(a) {sent} nudges, platform unlimited: {elapsed:.1f} s, {sent / elapsed:.0f} nudges/s"
        )

        if not skip_limited:
            await seed(base / "b.db", count, 0)
            telegram = SendLimits(per_second=30, per_group_per_minute=20, per_private_per_second=1)
            elapsed, sent, rejected = await fan_out(base / "b.db", 30, telegram)
            floor = count / 30
            print(
                f"(b) {sent} nudges at 30/s: {elapsed:.1f} s against a floor of {floor:.1f} s:"
                f" ratio {elapsed / floor:.3f}; 429s received: {rejected}"
            )

        await seed(base / "c.db", count, count * 10)
        before = rss_mb()
        start = time.perf_counter()
        clock = FakeClock(DUE - timedelta(hours=1))
        engine = await Engine.open(base / "c.db", load_content(), clock=clock)
        scheduler = Scheduler(
            engine,
            {
                "console": HttpDeliverer(
                    "http://127.0.0.1:9/",
                    None,  # type: ignore[arg-type]
                    unlimited,
                )
            },
        )
        await scheduler.tick()
        startup = time.perf_counter() - start
        print(
            f"(c) start-up with {count} plans and {count * 10} reminders: {startup:.2f} s;"
            f" resident memory {rss_mb():.0f} MB (before opening: {before:.0f} MB)"
        )
        await engine.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--skip-limited", action="store_true", help="skip part (b), ~6 minutes")
    args = parser.parse_args()
    asyncio.run(main(args.count, args.skip_limited))
