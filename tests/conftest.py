"""Shared test harness: a real engine on a real database, SQLite or PostgreSQL.

`KLETSPOT_TEST_BACKEND=postgresql` runs every test on PostgreSQL (`make test` runs the suite once
per backend): each test gets its own schema on a throwaway server started for the session, or on
the server at `KLETSPOT_TEST_DATABASE_URL`.
"""

from __future__ import annotations

import asyncio
import math
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

import pytest
import yaml

from bot.core.clock import FakeClock
from bot.core.delivery import Outcome, Result, SendLimits
from bot.core.engine import Engine
from bot.core.events import (
    Actor,
    Answer,
    ButtonPress,
    Command,
    Event,
    FormSubmitted,
    Keep,
    Place,
    StartPage,
    TextReply,
)
from bot.core.replies import Outgoing, Reply
from content import Content, load_content
from content.loader import CONTENT_DIR
from scheduler.service import Scheduler
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.postgres_server import new_schema, throwaway_cluster

EventKind = Command | ButtonPress | TextReply | Answer | Keep | FormSubmitted | StartPage
CONTENT = load_content()

ROOT = Path(__file__).resolve().parents[1]
"""The repository."""
SEEDS = ROOT.parent / "shared" / "seeds"
"""The five source documents, beside the repository as in CI (`../shared/seeds`)."""

SIXTH_COLOUR: dict[str, Any] = {
    "naam": "paars",
    "emoji": "🟣",
    "aliassen": ["paarse"],
    "hex": "#8e24aa",
}
SIXTH_CLUSTER: dict[str, Any] = {
    "kleur": "paars",
    "nummer": 6,
    "titel": "Eenzaamheid op het scherm",
    "omschrijving": "contact via een scherm",
    "vragen": ["Helpt een videogesprek tegen eenzaamheid?", "Wie zie je alleen nog online?"],
}
SIX_COLOURS = pytest.mark.parametrize("content", ["paars"], indirect=True)
"""Runs a test (and the engine and adapters it uses) on a copy of the content with a sixth colour."""


def with_sixth_colour(directory: Path) -> Content:
    """A copy of the content whose kletspot.yaml, and nothing else, has a sixth colour: paars."""
    shutil.copytree(
        CONTENT_DIR, directory, ignore=shutil.ignore_patterns("*.py", "__pycache__", "schemas")
    )
    path = directory / "kletspot.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["kleuren"].append(SIXTH_COLOUR)
    raw["clusters"].append(SIXTH_CLUSTER)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_content(directory)


class Chat:
    """One conversation as its members see it."""

    def __init__(
        self,
        engine: Engine,
        conversation: str = "team",
        group: bool = True,
        platform: str = "console",
        workspace: str = "w1",
    ) -> None:
        self.engine = engine
        self.place = Place(conversation, is_group=group, title=f"Gesprek {conversation}")
        self.platform = platform
        self.workspace = workspace
        self.last: list[Reply] = []

    def actor(self, who: str, admin: bool) -> Actor:
        return Actor(
            self.platform,
            self.workspace,
            who.lower(),
            who,
            handle=who.lower(),
            is_platform_admin=admin,
        )

    async def send(
        self, what: EventKind, who: str = "An", admin: bool | None = None
    ) -> list[Reply]:
        admin = (who == "An") if admin is None else admin
        self.last = await self.engine.handle(Event(self.actor(who, admin), self.place, what))
        return self.last

    async def cmd(self, line: str, who: str = "An", admin: bool | None = None) -> list[Reply]:
        name, _, args = line.partition(" ")
        return await self.send(Command(name, args), who, admin)

    async def text(self, text: str, who: str = "An") -> list[Reply]:
        return await self.send(TextReply(text), who)

    async def press(
        self, label: str, who: str = "An", replies: list[Reply] | None = None
    ) -> list[Reply]:
        return await self.send(ButtonPress(button_id(replies or self.last, label)), who)


def button_id(replies: list[Reply], label: str) -> str:
    for reply in replies:
        for button in reply.buttons:
            if button.label == label:
                return button.action_id
    raise AssertionError(f"no button {label!r} in {[b.label for r in replies for b in r.buttons]}")


async def trips(engine: Engine, event: Awaitable[list[Reply]]) -> int:
    """The round trips to the database an event took (`Database.round_trips`)."""
    before = engine.db.round_trips
    await event
    return engine.db.round_trips - before


async def overtaken(
    monkeypatch: pytest.MonkeyPatch,
    owner: type,
    read: str,
    first: Awaitable[list[Reply]],
    second: Callable[[], Awaitable[list[Reply]]],
) -> tuple[list[Reply], list[Reply]]:
    """Two events at the same moment, the one that read first written last: `first` waits
    right after its call of `owner.read` until `second` has run whole. Their replies, in
    that order."""
    was_read, go = asyncio.Event(), asyncio.Event()
    real = getattr(owner, read)

    async def held(self: Any, *args: Any, **kwargs: Any) -> Any:
        found = await real(self, *args, **kwargs)
        if not was_read.is_set():
            was_read.set()
            await go.wait()
        return found

    monkeypatch.setattr(owner, read, held)
    waiting = asyncio.ensure_future(first)
    await asyncio.wait_for(was_read.wait(), 5)
    overtaking = await second()
    go.set()
    return await asyncio.wait_for(waiting, 5), overtaking


def text_of(replies: list[Reply]) -> str:
    return "\n".join(r.plain for r in replies)


BACKEND = os.environ.get("KLETSPOT_TEST_BACKEND", "sqlite")
"""Which backend this run exercises: "sqlite" (the default) or "postgresql"."""
if BACKEND not in ("sqlite", "postgresql"):
    raise RuntimeError(f"KLETSPOT_TEST_BACKEND must be sqlite or postgresql, not {BACKEND!r}")
ON_POSTGRES = BACKEND == "postgresql"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The address of a PostgreSQL server for this session."""
    given = os.environ.get("KLETSPOT_TEST_DATABASE_URL")
    if given:
        yield given
        return
    with throwaway_cluster() as url:
        yield url


def fresh_schema(server: str) -> str:
    """`new_schema` for a synchronous fixture."""
    return asyncio.run(new_schema(server))


def database_in(tmp_path: Path, name: str, request: pytest.FixtureRequest) -> str | Path:
    """Where a test keeps its database: a file in its temp folder, or its own schema."""
    if ON_POSTGRES:
        return fresh_schema(request.getfixturevalue("postgres_server"))
    return tmp_path / name


@pytest.fixture
def db_path(tmp_path: Path, request: pytest.FixtureRequest) -> str | Path:
    return database_in(tmp_path, "kletspot.db", request)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A fake Telegram Bot API on 127.0.0.1 (tests/adapters/telegram/fake_api.py)."""
    fake = await FakeBotApi().start()
    yield fake
    await fake.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def content(request: pytest.FixtureRequest, tmp_path: Path) -> Content:
    """The shipped content; with @SIX_COLOURS a copy that has a sixth colour."""
    if getattr(request, "param", None) == "paars":
        return with_sixth_colour(tmp_path / "content")
    return CONTENT


@pytest.fixture
async def engine(db_path: str | Path, clock: FakeClock, content: Content) -> AsyncIterator[Engine]:
    eng = await Engine.open(db_path, content, clock=clock, rng=Random(7))
    yield eng
    await eng.close()


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)


async def due_now(engine: Engine, grace: timedelta = timedelta(hours=12)) -> list[Outgoing]:
    """Everything the one timed path claims at this moment, as the scheduler would get it."""
    return [outgoing async for outgoing in engine.claim_due(grace)]


# --- the scheduler on a real database with a fake clock and a recording platform -----------


class Platform:
    """Records what it is asked to send; can be told to fail or to hold sends in flight."""

    platform = "console"
    limits = SendLimits(math.inf, math.inf, math.inf)

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.script: list[Result] = []
        self.hold: asyncio.Event | None = None
        self.entered = asyncio.Event()

    async def deliver(self, outgoing: Outgoing) -> Result:
        if self.hold is not None:
            self.entered.set()
            await self.hold.wait()
        result = self.script.pop(0) if self.script else Result(Outcome.SENT)
        if result.outcome is Outcome.SENT:
            self.sent.append(outgoing)
        return result


async def no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)


async def posts_due(
    engine: Engine,
    platform: str,
    workspace: str,
    chats: list[str],
    due: str,
    weekdays: str = "0",
) -> list[str]:
    """Groups whose weekly post is due at `due`, written straight into the tables: hundreds at
    once without a command each."""
    async with engine.db.transaction():
        await engine.db.executemany(
            "INSERT INTO conversations (platform, workspace_id, external_id, is_group, created_at)"
            " VALUES (?, ?, ?, 1, ?)",
            [(platform, workspace, c, due) for c in chats],
        )
        await engine.db.executemany(
            "INSERT INTO planningen (conversation_id, weekdays, local_time, next_at, updated_at)"
            " SELECT id, ?, '12:00', ?, ? FROM conversations WHERE external_id = ?",
            [(weekdays, due, due, c) for c in chats],
        )
    return chats


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


class Setup:
    def __init__(self, path: str | Path, clock: FakeClock) -> None:
        self.path = path
        self.clock = clock
        self.platform = Platform()
        self.engines: list[Engine] = []

    async def engine(self) -> Engine:
        engine = await Engine.open(self.path, CONTENT, clock=self.clock, rng=Random(3))
        self.engines.append(engine)
        return engine

    def scheduler(self, engine: Engine, owner: str = "proces-1", **kw: object) -> Scheduler:
        """One owner is one process; the lease's monotonic time follows the fake clock here, and
        the sender's pauses move it (an outage of an hour passes at once)."""
        return Scheduler(
            engine,
            {"console": self.platform},
            owner=owner,
            sleep=self.sleep,  # type: ignore[arg-type]
            monotonic=self.monotonic,
            **kw,
        )

    def monotonic(self) -> float:
        return self.clock.now().timestamp()

    async def sleep(self, seconds: float) -> None:
        self.clock.advance(seconds=seconds)
        await asyncio.sleep(0)


@pytest.fixture
async def setup(db_path: str | Path) -> AsyncIterator[Setup]:
    s = Setup(db_path, FakeClock(utc(2026, 3, 2, 8, 0)))  # a Monday, 09:00 Brussels
    yield s
    for engine in s.engines:
        await engine.close()


async def planned_chat(engine: Engine, plan: str = "maandag 12:00") -> Chat:
    chat = Chat(engine)
    await chat.cmd(f"planning {plan}")
    return chat


class Post:
    """What the scheduler sent since the last look, and a way to press its buttons."""

    def __init__(self, engine: Engine, clock: FakeClock) -> None:
        self.platform = Platform()
        self.clock = clock
        self.scheduler = Scheduler(engine, {"console": self.platform}, sleep=no_sleep)
        self._seen = 0

    async def tick(self) -> list[Outgoing]:
        """One wake-up as the scheduler has it: what is due, then the housekeeping."""
        await self.scheduler.tick()
        await self.scheduler.tidy()
        new = self.platform.sent[self._seen :]
        self._seen = len(self.platform.sent)
        return new

    async def at(self, **delta: float) -> list[Outgoing]:
        self.clock.advance(**delta)
        return await self.tick()


def replies(sent: list[Outgoing]) -> list[Reply]:
    return [o.reply for o in sent]
