"""Scheduler fan-out benchmark (run by hand: `.venv/bin/python -m bench.scheduler_fanout`).

Every figure is printed beside its target and a baseline measured in the same run.

(a) `count` weekly posts due in the same minute, platform unlimited (engine-bound): posts per
    second, one process on SQLite; baseline: the same sends to the same fake without the engine.
(a2) the same on PostgreSQL (a throwaway server, as the tests start it): one process, then two
    processes sharing the fan-out (each its own fake platform, started together); baseline: the
    one process.
(b) the same against a fake platform that enforces Telegram's 30 messages per second (429 with
    retry_after when a 31st arrives within a second): time against the floor of count / 30 s,
    and the 429s received.
(c) start-up (open, migrate, first tick) and resident memory with `count` plans and ten times as
    many reminders; baseline: the interpreter with the same modules and the content loaded.

Each part builds its own database (a temp file, or a new schema); the fakes run on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp import web

from bench.together import run_two
from bot.core.clock import FakeClock, iso
from bot.core.delivery import Outcome, Result, SendLimits
from bot.core.engine import Engine
from bot.core.pacing import Pace
from bot.core.replies import Outgoing, Reply, Span, Target
from content import load_content
from scheduler.service import Scheduler
from tests.postgres_server import new_schema

DUE = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)  # Monday 12:00 Brussels
UNLIMITED = SendLimits(math.inf, math.inf, math.inf)
TELEGRAM = SendLimits(per_second=30, per_group_per_minute=20, per_private_per_second=1)
CONCURRENCY = 64


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
    """A platform adapter in small: each send waits for the account's pace (as the Telegram
    adapter's rate limiter makes every send do), then posts."""

    platform = "console"

    def __init__(
        self, url: str, session: aiohttp.ClientSession, limits: SendLimits, pace: Pace | None
    ) -> None:
        self._url = url
        self._session = session
        self.limits = limits
        self._pace = pace

    async def deliver(self, outgoing: Outgoing) -> Result:
        if self._pace is not None:
            # a weekly post goes to a group: the group's pace too, as on Telegram
            await self._pace.wait(outgoing.target.conversation_id, True, urgent=False)
        return await self.post(outgoing)

    async def post(self, outgoing: Outgoing) -> Result:
        body = {"chat_id": outgoing.target.conversation_id, "text": outgoing.reply.plain}
        async with self._session.post(self._url, json=body) as response:
            data = await response.json()
        if response.status == 429:
            return Result(
                Outcome.RETRY, retry_after=data["parameters"]["retry_after"], detail="429"
            )
        return Result(Outcome.SENT)


async def seed(path: Path | str, plans: int, reminders: int) -> None:
    """Write plans and reminders directly, as months of use would have left them."""
    engine = await Engine.open(path, CONTENT, clock=FakeClock(DUE - timedelta(days=1)))
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
            "INSERT INTO herinneringen (id, user_id, kind, text, due_at, created_at)"
            " VALUES (?, ?, 'tekst', 'Herinnering', ?, ?)",
            [
                (
                    db.new_id(),
                    1 + n % max(1, reminders // 10),
                    iso(DUE + timedelta(days=30 + n % 300)),
                    now,
                )
                for n in range(reminders)
            ],
        )
    await engine.close()


@asynccontextmanager
async def platform(limit: float) -> AsyncIterator[tuple[FakePlatform, str]]:
    fake = FakePlatform(limit)
    app = web.Application()
    app.router.add_post("/sendMessage", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield fake, f"http://127.0.0.1:{port}/sendMessage"
    finally:
        await runner.cleanup()


async def fan_out(
    target: Path | str, limit: float, limits: SendLimits, go: asyncio.Event | None = None
) -> tuple[float, int, int]:
    """One process's tick over what is due: (seconds, sent, 429s). `go`: wait for it after
    opening (two processes start their fan-out together)."""
    async with platform(limit) as (fake, url):
        clock = FakeClock(DUE + timedelta(seconds=30))
        engine = await Engine.open(target, CONTENT, clock=clock)
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=CONCURRENCY)
        ) as session:
            deliverer = HttpDeliverer(url, session, limits, engine.paces.of("console", "w", limits))
            scheduler = Scheduler(engine, {"console": deliverer}, concurrency=CONCURRENCY)
            if go is not None:
                await go.wait()
            start = time.perf_counter()
            result = await scheduler.tick()
            elapsed = time.perf_counter() - start
        await engine.close()
    return elapsed, result["sent"], fake.rejected


async def bare(count: int) -> float:
    """The baseline of (a): the same sends to the same fake, same concurrency, no engine."""
    async with platform(math.inf) as (_, url):
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=CONCURRENCY)
        ) as session:
            deliverer = HttpDeliverer(url, session, UNLIMITED, None)
            gate = asyncio.Semaphore(CONCURRENCY)
            target = Target("console", "w", conversation_id="g")
            reply = Reply(text=(Span("Vraag van de week"),))

            async def one(n: int) -> None:
                async with gate:
                    await deliverer.deliver(Outgoing(target, reply, f"k{n}"))

            start = time.perf_counter()
            await asyncio.gather(*(one(n) for n in range(count)))
            return time.perf_counter() - start


async def worker(target: str) -> None:
    """One of the two processes of (a2): opens, says ready, waits for go, ticks, reports."""
    go = asyncio.Event()
    loop = asyncio.get_running_loop()

    async def wait_for_go() -> None:
        await loop.run_in_executor(None, sys.stdin.readline)
        go.set()

    waiter = asyncio.create_task(wait_for_go())
    task = asyncio.create_task(fan_out(target, math.inf, UNLIMITED, go))
    print("ready", flush=True)
    elapsed, sent, _ = await task
    await waiter
    print(f"done {sent} {elapsed:.3f}", flush=True)


async def two_processes(target: str) -> tuple[float, list[int]]:
    """(a2): two worker processes on one database, started together; (seconds, sent each)."""
    elapsed, lines = await run_two("bench.scheduler_fanout", target)
    return elapsed, [int(line.split()[1]) for line in lines]


@asynccontextmanager
async def postgres() -> AsyncIterator[str | None]:
    """A throwaway PostgreSQL server (the tests' own), or None when none can be started."""
    from tests.postgres_server import throwaway_cluster

    try:
        with throwaway_cluster() as url:
            yield url
    except RuntimeError as exc:
        print(f"(a2) skipped: {exc}")
        yield None


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rate(sent: int, seconds: float) -> str:
    return f"{sent / seconds:.0f}/s" if seconds > 0 else "-"


async def main(count: int, skip_limited: bool, skip_postgres: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        floor_s = await bare(count)
        await seed(base / "a.db", count, 0)
        elapsed, sent, _ = await fan_out(base / "a.db", math.inf, UNLIMITED)
        print(
            f"(a) {sent} weekly posts, one process, SQLite: {elapsed:.2f} s, {rate(sent, elapsed)}"
            f" (target >= 1000/s; baseline, the same sends without the engine:"
            f" {rate(count, floor_s)})",
            flush=True,
        )

        if not skip_postgres:
            async with postgres() as server:
                if server is not None:
                    one = await new_schema(server)
                    await seed(one, count, 0)
                    single, sent1, _ = await fan_out(one, math.inf, UNLIMITED)
                    two = await new_schema(server)
                    await seed(two, count, 0)
                    both, each = await two_processes(two)
                    print(
                        f"(a2) PostgreSQL, two processes: {sum(each)} posts ({each[0]} + {each[1]})"
                        f" in {both:.2f} s, {rate(sum(each), both)} (target >= 1000/s; baseline,"
                        f" one process: {sent1} in {single:.2f} s, {rate(sent1, single)})",
                        flush=True,
                    )

        if not skip_limited:
            await seed(base / "b.db", count, 0)
            elapsed, sent, rejected = await fan_out(base / "b.db", 30, TELEGRAM)
            floor = count / 30
            print(
                f"(b) {sent} posts at Telegram's 30/s: {elapsed:.1f} s against the floor of"
                f" {floor:.1f} s: ratio {elapsed / floor:.3f} (target <= 1.05; baseline: the"
                f" floor, 1.000); 429s received: {rejected} (target 0)",
                flush=True,
            )

        await seed(base / "c.db", count, count * 10)
        baseline = rss_mb()
        start = time.perf_counter()
        clock = FakeClock(DUE - timedelta(hours=1))
        engine = await Engine.open(base / "c.db", load_content(), clock=clock)
        scheduler = Scheduler(
            engine,
            {"console": HttpDeliverer("http://127.0.0.1:9/", None, UNLIMITED, None)},  # type: ignore[arg-type]
        )
        await scheduler.tick()
        startup = time.perf_counter() - start
        print(
            f"(c) start-up with {count} plans and {count * 10} reminders: {startup:.2f} s"
            f" (target < 2 s; content loaded and checked again); resident memory {rss_mb():.0f} MB"
            f" (target < 100 MB; baseline, the interpreter with the modules and one content"
            f" loaded: {baseline:.0f} MB)"
        )
        await engine.close()


CONTENT = load_content()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--skip-limited", action="store_true", help="skip part (b): count / 30 s")
    parser.add_argument("--skip-postgres", action="store_true", help="skip part (a2)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(worker(args.worker))
    else:
        asyncio.run(main(args.count, args.skip_limited, args.skip_postgres))
