"""Posts and replies to commands sharing one bot token's 30 a second (run by hand:
`.venv/bin/python -m bench.telegram_pace`).

Every figure is printed beside its target and a baseline from the same run.

One fake platform (in this process) enforces Telegram's 30 messages a second per token: a 31st
within a second is refused with 429 and retry_after. Against it:

(a) two bot processes on one throwaway PostgreSQL database share a fan-out of `--posts` weekly
    posts while each also answers commands: a reply is offered every 1/`--replies` s per process
    during the fan-out, and waits for the token's pace like the posts (`bot/core/pacing.py`, as
    the Telegram adapter's rate limiter makes every request do). The heartbeats show each process
    the other, so both take slot windows from the database.
(b) baseline: the same load (posts, and twice the replies) in one process on SQLite that the
    heartbeats show alone: it holds the pace in memory.

(c) what one reply costs the pace, one after another outside a fan-out (a quiet bot): database
    statements and CPU time (of the event loop's thread) per reply to a person and to a group, alone (held) and shared, on
    SQLite and PostgreSQL; baseline: a `wait` on an unlimited platform (no pace at all).

Reported: 429s (target 0); time against the floor of (posts + replies) / 30 s (target <= 1.05);
how long replies waited for their turn (the fan-out shares the same slots); and what the pace
cost: statements on the pacing table per message sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.scheduler_fanout import (
    CONCURRENCY,
    DUE,
    TELEGRAM,
    UNLIMITED,
    HttpDeliverer,
    platform,
    postgres,
    seed,
)
from bench.together import run_two
from bot.core.clock import FakeClock
from bot.core.delivery import SendLimits
from bot.core.engine import Engine
from bot.core.pacing import Paces
from bot.core.replies import Outgoing, Reply, Span, Target
from content import load_content
from scheduler.service import Scheduler
from tests.postgres_server import new_schema

REPLY = Reply(text=(Span("Een vraag uit de pot"),))
CONTENT = load_content()


async def open_engine(target: str, alone: bool) -> Engine:
    engine = await Engine.open(target, CONTENT, clock=FakeClock(DUE))
    if alone:  # the heartbeats have shown no other process for long enough
        engine.paces = Paces(engine.db, alone_after=0.0)
    return engine


async def run(engine: Engine, url: str, replies_per_second: float) -> dict[str, object]:
    """One process: its share of the fan-out, and replies offered at a steady rate meanwhile."""
    pace = engine.paces.of("console", "w", TELEGRAM)
    waited: list[float] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as session:
        deliverer = HttpDeliverer(url, session, TELEGRAM, pace)
        scheduler = Scheduler(engine, {"console": deliverer}, concurrency=CONCURRENCY)

        async def reply(n: int) -> None:
            offered = time.perf_counter()
            await pace.wait(f"persoon{n}", False, urgent=True)  # a DM: the token's pace only
            waited.append(time.perf_counter() - offered)
            await deliverer.post(Outgoing(Target("console", "w", user_id=f"p{n}"), REPLY, None))

        start = time.perf_counter()
        fan_out = asyncio.create_task(scheduler.tick())
        answers: list[asyncio.Task[None]] = []
        while not fan_out.done():
            answers.append(asyncio.create_task(reply(len(answers))))
            try:  # the next command arrives 1/rate seconds later (a load generator's pause)
                await asyncio.wait_for(asyncio.shield(fan_out), 1.0 / replies_per_second)
            except TimeoutError:
                pass
        counts = await fan_out
        await asyncio.gather(*answers)
        elapsed = time.perf_counter() - start
        await scheduler.stop()
    await engine.close()
    return {
        "posts": counts["sent"],
        "replies": len(answers),
        "seconds": elapsed,
        "waited": waited,
        "writes": pace.writes,
        "missed": pace.missed,
        "unused": pace.unused,
    }


async def worker(target: str, url: str, replies_per_second: float) -> None:
    """One of the two processes of (a): opens, says ready, waits for go, runs, reports."""
    engine = await open_engine(target, alone=False)
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    result = await run(engine, url, replies_per_second)
    print(json.dumps(result), flush=True)


async def two_processes(
    target: str, url: str, rate: float
) -> tuple[float, list[dict[str, object]]]:
    elapsed, lines = await run_two("bench.telegram_pace", target, url, str(rate))
    results = [json.loads(line) for line in lines]
    return elapsed, results


def describe(label: str, seconds: float, results: list[dict[str, object]], rejected: int) -> str:
    posts = sum(int(r["posts"]) for r in results)  # type: ignore[call-overload]
    replies = sum(int(r["replies"]) for r in results)  # type: ignore[call-overload]
    writes = sum(int(r["writes"]) for r in results)  # type: ignore[call-overload]
    missed = sum(int(r["missed"]) for r in results)  # type: ignore[call-overload]
    unused = sum(float(r["unused"]) for r in results)  # type: ignore[arg-type]
    waited = sorted(w for r in results for w in r["waited"])  # type: ignore[attr-defined]
    floor = (posts + replies) / 30
    p50 = statistics.median(waited) if waited else math.nan
    p95 = waited[int(len(waited) * 0.95)] if waited else math.nan
    return (
        f"{label}: {posts} posts + {replies} replies in {seconds:.1f} s against the floor of"
        f" {floor:.1f} s: ratio {seconds / floor:.3f} (target <= 1.05); 429s: {rejected}"
        f" (target 0); a reply waited for its slot {p50:.2f} s (median), {p95:.2f} s (p95);"
        f" pacing statements {writes}, {writes / (posts + replies):.3f} per message;"
        f" slots lost: {missed} woken late, {unused:.0f} never taken"
    )


async def main(posts: int, rate: float) -> None:
    async with postgres() as server:
        if server is None:
            return
        two = await new_schema(server)
        await seed(two, posts, 0)
        async with platform(30) as (fake, url):
            seconds, results = await two_processes(two, url, rate)
            print(describe("(a) two processes, PostgreSQL", seconds, results, fake.rejected))
    with tempfile.TemporaryDirectory() as folder:
        one = str(Path(folder) / "one.db")
        await seed(one, posts, 0)
        async with platform(30) as (fake, url):
            result = await run(await open_engine(one, alone=True), url, rate * 2)
            print(
                describe(
                    "(b) baseline, one process alone, SQLite",
                    float(result["seconds"]),  # type: ignore[arg-type]
                    [result],
                    fake.rejected,
                )
            )
    print("floor: (posts + replies) / 30 messages a second, the most Telegram allows")
    with tempfile.TemporaryDirectory() as folder:
        await costs(str(Path(folder) / "c.db"), "SQLite")
    async with postgres() as server:
        if server is not None:
            await costs(await new_schema(server), "PostgreSQL")


async def per_reply(
    engine: Engine, limits: SendLimits, group: bool, count: int
) -> tuple[float, float]:
    """(statements, CPU microseconds) per reply, replies one after another, each arriving after
    the previous one's slot has passed (a quiet bot: no reply waits for a slot)."""
    pace = engine.paces.of("bench", f"{group}:{limits.per_second}", limits)
    before = engine.db.round_trips
    cpu = 0.0
    for n in range(count):
        start = time.thread_time()
        await pace.wait(f"-{n % 50 + 1}" if group else str(n), group)
        cpu += time.thread_time() - start
        await asyncio.sleep(0.04)  # the next command comes later (a load generator's pause)
    return (engine.db.round_trips - before) / count, cpu / count * 1e6


async def costs(target: str, backend: str) -> None:
    for alone in (True, False):
        engine = await open_engine(target, alone)
        if alone:
            await engine.paces.company(0)
        for group in (False, True):
            statements, cpu = await per_reply(engine, TELEGRAM, group, 60)
            _, bare_cpu = await per_reply(engine, UNLIMITED, group, 60)
            print(
                f"(c) {backend}, {'alone' if alone else 'shared'}, a reply to"
                f" {'a group' if group else 'a person'}: {statements:.2f} statements,"
                f" {cpu:.0f} µs CPU (baseline, no pace: {bare_cpu:.0f} µs)"
            )
        await engine.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1500)
    parser.add_argument("--replies", type=float, default=5.0, help="replies a second per process")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        target, url, rate = args.worker
        asyncio.run(worker(target, url, float(rate)))
    else:
        asyncio.run(main(args.posts, args.replies))
