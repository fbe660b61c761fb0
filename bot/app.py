"""Starts the bot: every platform whose settings are in the environment, else the console."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Mapping

from bot.core.config import Config
from bot.core.delivery import Deliverer
from bot.core.engine import Engine
from bot.core.logsafe import failure
from content import Content, ContentError, load_content

log = logging.getLogger("kletspot")


async def run_console(config: Config, content: Content) -> None:
    from adapters.console import ConsoleAdapter
    from scheduler.service import Scheduler

    engine = await Engine.open(config.db_path, content)
    interactive = sys.stdin.isatty()
    console = ConsoleAdapter(engine, sys.stdin, sys.stdout, colour=sys.stdout.isatty(),
                             banner=interactive)
    scheduler = Scheduler(engine, {console.platform: console}, grace=config.grace)
    if interactive:
        scheduler.start()
    try:
        await console.run()
    finally:
        await scheduler.stop()
        await engine.close()


async def run_platforms(config: Config, env: Mapping[str, str], content: Content,
                        stop: asyncio.Event | None = None,
                        started: asyncio.Event | None = None) -> None:
    """Every configured platform on one engine and database; the scheduler starts once all
    of them can deliver, so no nudge is recorded as failed during start-up."""
    from adapters import platforms
    from scheduler.service import Scheduler

    engine = await Engine.open(config.db_path, content)
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    servers = {p.name: p for p in platforms() if p.configured(env)}
    deliverers: dict[str, Deliverer] = {}
    scheduler = Scheduler(engine, deliverers, grace=config.grace)

    def ready(deliverer: Deliverer) -> None:
        deliverers[deliverer.platform] = deliverer
        log.info("platform ready: %s", deliverer.platform)
        if set(deliverers) == set(servers):
            scheduler.start()
            if started is not None:
                started.set()

    async def serve(name: str) -> None:
        assert stop is not None
        try:
            await servers[name].serve(engine, env, stop, on_ready=ready)
        except Exception as exc:
            log.error("platform %s stopped: error=%s", name, failure(exc))
            stop.set()

    try:
        await asyncio.gather(*(serve(name) for name in servers))
    finally:
        await scheduler.stop()
        await engine.close()


def main() -> int:
    config = Config.from_env()
    logging.basicConfig(level=config.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        content = load_content()
    except ContentError as exc:
        print(f"Kletspot start niet: de inhoud is niet in orde.\n{exc}", file=sys.stderr)
        return 2
    env = dict(os.environ)
    from adapters import platforms

    platform = any(p.configured(env) for p in platforms())
    try:
        asyncio.run(run_platforms(config, env, content) if platform
                    else run_console(config, content))
    except KeyboardInterrupt:
        pass
    return 0
