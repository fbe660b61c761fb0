"""Starts the bot: every platform whose settings are in the environment, else the console."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from bot import admin
from bot.core.config import Config
from bot.core.delivery import Deliverer
from bot.core.engine import Engine
from bot.core.health import HEALTH
from bot.core.logsafe import failure
from bot.core.platform import EXIT_CONTENT, EXIT_DATABASE, EXIT_SETTINGS, StartupError
from bot.core.storage import StorageError
from bot.core.storage.postgres import is_address
from content import Content, ContentError, load_content

log = logging.getLogger("kletspot")

EXIT_FAILED = 1
"""A platform stopped with an error after it had started: a supervisor should restart us."""


async def open_engine(path: str | Path, content: Content) -> Engine:
    try:
        return await Engine.open(path, content)
    except StorageError as exc:
        raise StartupError(str(exc), EXIT_DATABASE) from exc


def health_port(env: Mapping[str, str]) -> int | None:
    value = (env.get("KLETSPOT_HEALTH_PORT") or "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > 65535:
        raise StartupError(
            "KLETSPOT_HEALTH_PORT moet een poortnummer zijn (0 tot 65535).", EXIT_SETTINGS
        )
    return int(value)


def console_log_file(config: Config) -> Path:
    """Beside the database (kletspot.db: kletspot.log), so a prompt is never written over; on
    PostgreSQL in the working folder."""
    if is_address(config.database):
        return Path("kletspot.log")
    db = Path(config.database)
    return db.with_suffix(".log") if db.suffix != ".log" else db.with_name(db.name + ".txt")


def log_to(config: Config, stream: TextIO | None = None, file: Path | None = None) -> None:
    handler: logging.Handler = (
        logging.FileHandler(file, encoding="utf-8")
        if file is not None
        else logging.StreamHandler(stream or sys.stderr)
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(config.log_level)


async def run_console(config: Config, content: Content) -> None:
    from adapters.console import BANNER, ConsoleAdapter
    from scheduler.service import Scheduler

    log_file = console_log_file(config)
    log_to(config, file=log_file)
    interactive = sys.stdin.isatty()
    if not interactive:
        # piped input: the answers go to stdout, how to talk to the bot to stderr
        print(f"{BANNER}Het logboek staat in {log_file}.", file=sys.stderr)
    engine = await open_engine(config.database, content)
    console = ConsoleAdapter(
        engine,
        sys.stdin,
        sys.stdout,
        colour=sys.stdout.isatty(),
        banner=interactive,
        echo=not interactive,
        log_file=str(log_file),
    )
    scheduler = Scheduler(engine, {console.platform: console}, grace=config.grace)
    if interactive:
        scheduler.start()
    try:
        await console.run()
    finally:
        await scheduler.stop()
        await engine.close()


async def run_platforms(
    config: Config,
    env: Mapping[str, str],
    content: Content,
    stop: asyncio.Event | None = None,
    started: asyncio.Event | None = None,
) -> None:
    """Every configured platform on one engine and database; the scheduler starts once all
    of them can deliver, so no nudge is recorded as failed during start-up.

    A stop (SIGTERM, SIGINT or `stop`) first stops the scheduler (sends on their way finish,
    the rest is released for any process to send), then the platforms (updates in hand finish, the
    rest waits in the inbox). A platform that cannot start raises its `StartupError`."""
    from adapters import platforms
    from adapters.health import HealthServer
    from scheduler.service import Scheduler

    port = health_port(env)
    engine = await open_engine(config.database, content)
    HEALTH.db = engine.db
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    servers = {p.name: p for p in platforms() if p.configured(env)}
    for name in servers:
        HEALTH.expect(name)
    deliverers: dict[str, Deliverer] = {}
    scheduler = Scheduler(engine, deliverers, grace=config.grace)
    platforms_stop = asyncio.Event()
    failures: list[StartupError] = []
    health = HealthServer(port) if port is not None else None

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
            await servers[name].serve(engine, env, platforms_stop, ready)
        except StartupError as exc:
            failures.append(exc)
        except Exception as exc:
            log.error("platform %s stopped: error=%s", name, failure(exc))
            failures.append(
                StartupError(
                    f"{name} is gestopt door een fout ({type(exc).__name__}); zie het log.",
                    EXIT_FAILED,
                )
            )
        finally:
            stop.set()

    async def stopping() -> None:
        assert stop is not None
        await stop.wait()
        await scheduler.stop()
        platforms_stop.set()

    try:
        if health is not None:
            await health.start()
        await asyncio.gather(stopping(), *(serve(name) for name in servers))
    finally:
        await scheduler.stop()
        if health is not None:
            await health.stop()
        HEALTH.db = None
        await engine.close()
    if failures:
        raise failures[0]
    log.info("kletspot stopped")


def settle() -> None:
    """What start-up loaded (the libraries, the content) lives as long as the process: frozen
    out of the collector's reach, a full collection walks only what came after. Unfrozen, one
    took 75-100 ms of a single update's time (bench/telegram_vraag)."""
    gc.collect()
    gc.freeze()


def main() -> int:
    if sys.argv[1:]:
        return admin.run(sys.argv[1:])
    config = Config.from_env()
    log_to(config)
    try:
        content = load_content()
    except ContentError as exc:
        print(f"Kletspot start niet: de inhoud is niet in orde.\n{exc}", file=sys.stderr)
        return EXIT_CONTENT
    env = dict(os.environ)
    from adapters import platforms

    platform = any(p.configured(env) for p in platforms())
    settle()
    try:
        asyncio.run(
            run_platforms(config, env, content) if platform else run_console(config, content)
        )
    except StartupError as exc:
        print(f"Kletspot start niet: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        if not platform:
            print("\nTot ziens.")
    return 0
