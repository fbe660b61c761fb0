"""Starts the bot: the console when no platform token is set."""

from __future__ import annotations

import asyncio
import logging
import sys

from bot.config import Config
from bot.engine import Engine
from content import ContentError, load_content

log = logging.getLogger("kletspot")


async def run_console(config: Config) -> None:
    from adapters.console import ConsoleAdapter
    from scheduler.service import Scheduler

    engine = await Engine.open(config.db_path, load_content())
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


def main() -> int:
    config = Config.from_env()
    logging.basicConfig(level=config.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        load_content()
    except ContentError as exc:
        print(f"Kletspot start niet: de inhoud is niet in orde.\n{exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(run_console(config))
    except KeyboardInterrupt:
        pass
    return 0
