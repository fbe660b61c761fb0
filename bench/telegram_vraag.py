"""What one /vraag in a Telegram group costs through the whole stack (run by hand).

    .venv/bin/python -m bench.telegram_vraag [-n 500] [--block 10] [--warmup 50] [--profile]

Both paths run in the same process against the same fake Bot API server (aiohttp on 127.0.0.1),
each update as JSON through `Update.de_json` and python-telegram-bot's `Application.process_update`:

- full: the Kletspot adapter -> engine -> SQLite (a temp file) -> sendMessage with an inline
  keyboard over HTTP;
- bare: a plain python-telegram-bot MessageHandler that answers a fixed text with three inline
  buttons over HTTP (the shape of a question card), on python-telegram-bot's default HTTP
  client (httpx): the baseline the target is set against;
- bare on aiohttp: the same handler on the HTTP client Kletspot's adapter uses
  (`adapters/telegram/request.py`), so the ratio without the client's share is printed too;
- adapter only (for the breakdown): the Kletspot adapter with a stub engine that returns a fixed
  question card with the same three buttons, so the adapter's own share is visible.

Rate limiting is off for both (it would measure Telegram's 20-per-minute group limit, not our
cost). The paths take turns in short blocks (`--block`, 10 updates), in an order shuffled each
round, so a slow spell of a shared host hits every path alike, not one path's long block. The
idle bot's resident memory is measured in a separate process that starts the adapter with long
polling against the same fake server.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from random import Random
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from adapters.telegram import TelegramAdapter
from adapters.telegram.request import AiohttpRequest
from bot.app import settle
from bot.core.engine import Engine
from bot.core.replies import Button, Reply, b, say
from content import load_content
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import FakeBotApi

GROUP = U.group(-1009990001, "Benchteam")
TARGET = 1.5


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bare_application(api: FakeBotApi, request: AiohttpRequest | None = None) -> Application:
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Nog een vraag", callback_data="Q7xk2mP9aB1c")],
            [InlineKeyboardButton("Andere kleur", callback_data="R8yl3nQ0bC2d")],
            [InlineKeyboardButton("Noteer een aanknopingspunt", callback_data="S9zm4oR1cD3e")],
        ]
    )

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(
            update.effective_chat.id, "Hallo! Een vaste tekst.", reply_markup=keyboard
        )

    builder = ApplicationBuilder().token(api.token).base_url(api.base_url).job_queue(None)
    app = (builder if request is None else builder.request(request)).build()
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, answer))
    return app


class StubEngine:
    """Returns what the engine returns for /vraag, without touching storage."""

    def __init__(self, engine: Engine) -> None:
        self.router = engine.router
        self.db, self.deps = engine.db, engine.deps  # the adapter's inbox lives in the database
        self.paces = engine.paces  # the adapter takes its token's pace (unused: no rate limit)

    async def handle(self, event: Any) -> list[Reply]:
        return [
            say(
                "🟢 ",
                b("Groen · Eenzaamheid bij jezelf"),
                "\n\nOp welke manier krijg jij te "
                "maken met sociale uitsluiting? Hoe kijk je daarnaar? Wat doet dat met je?",
                buttons=[
                    Button("Nog een vraag", "Q7xk2mP9aB1c"),
                    Button("Andere kleur", "R8yl3nQ0bC2d"),
                    Button("Noteer een aanknopingspunt", "S9zm4oR1cD3e"),
                ],
            )
        ]


class TimedEngine:
    """Wraps the engine to split the full path's time into engine and the rest."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.seconds = 0.0
        self._trips_before = engine.db.round_trips

    @property
    def round_trips(self) -> int:
        """As the database counts them: a hop to SQLite's thread, a message to PostgreSQL."""
        return self._engine.db.round_trips - self._trips_before

    def restart(self) -> None:
        self.seconds, self._trips_before = 0.0, self._engine.db.round_trips

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    async def handle(self, event: Any) -> Any:
        started = time.perf_counter()
        try:
            return await self._engine.handle(event)
        finally:
            self.seconds += time.perf_counter() - started


CPU: dict[Application, float] = {}
"""CPU seconds per path (the whole process: the loop, SQLite's thread and the fake server, which
serves both paths alike)."""


async def run_block(app: Application, count: int, sender: dict[str, Any]) -> list[float]:
    times = []
    cpu = time.process_time()
    for _ in range(count):
        update = Update.de_json(U.message(GROUP, sender, "/vraag"), app.bot)
        started = time.perf_counter()
        await app.process_update(update)
        times.append(time.perf_counter() - started)
    CPU[app] = CPU.get(app, 0.0) + time.process_time() - cpu
    return times


async def measure(
    n: int, block: int, warmup: int, profile: bool, database: str | None = None
) -> None:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("telegram").setLevel(logging.WARNING)
    api = await FakeBotApi().start()
    api.set_admins(GROUP["id"], owner=U.AN)
    with tempfile.TemporaryDirectory() as tmp:
        engine = await Engine.open(
            database or Path(tmp) / "bench.db", load_content(), rng=Random(7)
        )
        print(f"database: {engine.db.kind}")
        timed = TimedEngine(engine)
        full = TelegramAdapter(
            timed,
            api.token,
            base_url=api.base_url,  # type: ignore[arg-type]
            rate_limit=False,
        )
        await full.start()
        stub = TelegramAdapter(
            StubEngine(engine),
            api.token,  # type: ignore[arg-type]
            base_url=api.base_url,
            rate_limit=False,
        )
        await stub.start()
        bare = bare_application(api)
        await bare.initialize()
        await bare.start()
        bare_aiohttp = bare_application(api, AiohttpRequest())
        await bare_aiohttp.initialize()
        await bare_aiohttp.start()
        settle()  # as the bot does once it has started
        try:
            await run_block(full.app, warmup, U.AN)
            await run_block(bare, warmup, U.AN)
            await run_block(stub.app, warmup, U.AN)
            await run_block(bare_aiohttp, warmup, U.AN)
            timed.restart()
            CPU.clear()
            sent_before = len(api.sent())
            full_times: list[float] = []
            bare_times: list[float] = []
            stub_times: list[float] = []
            bare_aiohttp_times: list[float] = []
            paths = [
                (bare, bare_times),
                (full.app, full_times),
                (stub.app, stub_times),
                (bare_aiohttp, bare_aiohttp_times),
            ]
            rounds, order = max(1, n // block), Random(0)
            for r in range(rounds):
                size = n // rounds + (1 if r < n % rounds else 0)
                order.shuffle(paths)  # no path always after the same one
                for app, times in paths:
                    times += await run_block(app, size, U.AN)
            assert len(api.sent()) - sent_before == 4 * n, "every update must be answered"
            report(n, full_times, bare_times, stub_times, bare_aiohttp_times, timed)
            full_cpu, bare_cpu = CPU[full.app] / n, CPU[bare] / n
            cpu_ratio = full_cpu / bare_cpu
            print(
                f"  CPU time per update: bare {bare_cpu * 1000:.2f} ms, Kletspot "
                f"{full_cpu * 1000:.2f} ms: ratio {cpu_ratio:.2f} "
                f"({'within' if cpu_ratio <= TARGET else 'ABOVE'} the target of {TARGET}); "
                f"bare on aiohttp {CPU[bare_aiohttp] / n * 1000:.2f} ms: ratio "
                f"{full_cpu / (CPU[bare_aiohttp] / n):.2f}"
            )
            if profile:
                await profile_full(full.app)
        finally:
            await stub.stop()
            await full.stop()
            for app in (bare, bare_aiohttp):
                await app.stop()
                await app.shutdown()
            await engine.close()
        print(
            f"resident memory of the idle bot (own process, polling): "
            f"{await idle_rss(api.base_url):.1f} MB"
        )
    await api.close()


def report(
    n: int,
    full: list[float],
    bare: list[float],
    stub: list[float],
    bare_aiohttp: list[float],
    timed: TimedEngine,
) -> None:
    def ms(values: list[float]) -> str:
        values = sorted(values)
        p95 = values[int(len(values) * 0.95) - 1]
        return (
            f"mean {statistics.fmean(values) * 1000:6.2f} ms  median "
            f"{statistics.median(values) * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms"
        )

    full_mean, bare_mean = statistics.fmean(full), statistics.fmean(bare)
    ratio = full_mean / bare_mean
    print(f"/vraag in a group, {n} updates per path after warm-up")
    engine_seconds = timed.seconds
    print(f"  bare PTB handler (fixed text):      {ms(bare)}")
    print(f"  Kletspot (adapter+engine+database): {ms(full)}")
    print(
        f"    of which engine.handle:           mean {engine_seconds / n * 1000:6.2f} ms "
        f"({timed.round_trips / n:.0f} database round trips per /vraag)"
    )
    print(
        f"    of which the rest (PTB, HTTP):    mean "
        f"{(full_mean - engine_seconds / n) * 1000:6.2f} ms"
    )
    print(
        f"  adapter only (stub engine):         {ms(stub)}  "
        f"ratio {statistics.fmean(stub) / bare_mean:.2f}"
    )
    print(
        f"  bare on aiohttp:                    {ms(bare_aiohttp)}  "
        f"ratio full / this {full_mean / statistics.fmean(bare_aiohttp):.2f}"
    )
    verdict = "within" if ratio <= TARGET else "ABOVE"
    print(f"  ratio full / bare: {ratio:.2f} ({verdict} the target of {TARGET})")


async def profile_full(app: Application) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    await run_block(app, 200, U.AN)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    print(out.getvalue())


async def idle_rss(base_url: str) -> float:
    """Start the bot in a fresh interpreter, let it settle, read its VmRSS."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.telegram_vraag",
            "--idle",
            base_url,
            str(Path(tmp) / "idle.db"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
    if process.returncode != 0:
        print(err.decode(), file=sys.stderr)
        return float("nan")
    return float(out.decode().strip().splitlines()[-1])


async def idle(base_url: str, db_path: str) -> None:
    from tests.adapters.telegram.fake_api import TOKEN

    engine = await Engine.open(db_path, load_content())
    adapter = TelegramAdapter(engine, TOKEN, base_url=base_url)
    await adapter.start()
    await adapter.start_polling()
    await asyncio.sleep(1.0)  # idle: a long poll is open, nothing happens
    print(f"{rss_mb():.1f}")
    await adapter.stop()
    await engine.close()


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument(
        "--block", type=positive, default=10, help="updates per turn of a path (1 or more)"
    )
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="on a throwaway PostgreSQL server instead of a SQLite file",
    )
    parser.add_argument("--idle", nargs=2, metavar=("BASE_URL", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.idle:
        asyncio.run(idle(*args.idle))
    else:
        if args.postgres:
            from tests.postgres_server import throwaway_cluster

            with throwaway_cluster() as url:
                asyncio.run(measure(args.n, args.block, args.warmup, args.profile, url))
        else:
            asyncio.run(measure(args.n, args.block, args.warmup, args.profile))


if __name__ == "__main__":
    main()
