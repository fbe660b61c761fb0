"""Two real bot processes (`python -m bot`) on one database, Telegram in webhook mode behind
"one address": each its own TELEGRAM_WEBHOOK_PORT, the same URL and secret, the fake Bot API
for both. On PostgreSQL in the PostgreSQL run, on one SQLite file otherwise.

Updates posted to either are each answered once; a button on a message one sent works on the
other; a weekly fan-out is shared without doubles and at Telegram's pace for the two together;
replies to commands on either share that pace with the posts, and the fake Bot API (enforcing
Telegram's limits with 429s) refuses none; one killed with `kill -9` mid fan-out loses nothing
(the other takes its claims over)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from bot.core.engine import Engine
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.conftest import free_port
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.conftest import CONTENT, ON_POSTGRES, ROOT
from tests.core.test_process import groups_due
from tests.core.test_process import launch as start_bot

SECRET = "twee-processen-een-adres"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class Bot:
    """One bot process: its webhook port, its log as it comes, and an event once it is ready."""

    process: asyncio.subprocess.Process
    port: int
    log: list[str] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task[None] | None = None

    async def read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            line = raw.decode(errors="replace")
            self.log.append(line)
            if "platform ready: telegram" in line:
                self.ready.set()

    async def post(self, update: dict[str, object]) -> None:
        async with aiohttp.ClientSession() as session:
            async with session.post(
                f"http://127.0.0.1:{self.port}/telegram", json=update, headers={HEADER: SECRET}
            ) as response:
                assert response.status == 200, response.status

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.process.wait(), 20)
        if self.reader is not None:
            await asyncio.wait_for(self.reader, 5)
        return code


@pytest.fixture
async def database(db_path: str | Path) -> str:
    """The shared database, migrated once before the processes start."""
    engine = await Engine.open(db_path, CONTENT)
    await engine.close()
    return str(db_path)


class Launcher:
    def __init__(self, api: FakeBotApi, database: str) -> None:
        self.api = api
        self.database = database
        self.bots: list[Bot] = []

    async def __call__(self) -> Bot:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_"))}
        env.pop("KLETSPOT_DB", None)
        env.pop("KLETSPOT_DATABASE_URL", None)
        port = free_port()
        env |= {
            "TELEGRAM_BOT_TOKEN": self.api.token,
            "TELEGRAM_API_BASE_URL": self.api.base_url,
            "TELEGRAM_WEBHOOK_URL": "https://kletspot.example.be/telegram",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_WEBHOOK_PORT": str(port),
            "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
            "KLETSPOT_LOG": "INFO",
            "PYTHONPATH": str(ROOT),
            ("KLETSPOT_DATABASE_URL" if ON_POSTGRES else "KLETSPOT_DB"): self.database,
        }
        process = await start_bot(env, stdout=asyncio.subprocess.DEVNULL)
        bot = Bot(process, port)
        bot.reader = asyncio.create_task(bot.read())
        self.bots.append(bot)
        return bot

    async def ready(self, *bots: Bot) -> None:
        waits = [asyncio.wait_for(b.ready.wait(), 30) for b in bots]
        try:
            await asyncio.gather(*waits)
        except TimeoutError:
            raise AssertionError("".join(line for b in bots for line in b.log[-30:])) from None


@pytest.fixture
async def launch(api: FakeBotApi, database: str) -> AsyncIterator[Launcher]:
    launcher = Launcher(api, database)
    yield launcher
    for bot in launcher.bots:  # a failing test leaves no process behind
        if bot.process.returncode is None:
            bot.process.kill()
            await bot.process.wait()
        if bot.reader is not None:
            bot.reader.cancel()


async def owners(database: str, sql: str) -> Counter[str]:
    engine = await Engine.open(database, CONTENT)
    try:
        return Counter({str(r[0]): int(r[1]) for r in await engine.db.all(sql)})
    finally:
        await engine.close()


def errors(*bots: Bot) -> str:
    return "".join(line for b in bots for line in b.log if " ERROR " in line or "Traceback" in line)


async def test_updates_spread_over_both_are_each_answered_once(
    api: FakeBotApi, launch: Launcher, database: str
) -> None:
    one, two = await launch(), await launch()
    await launch.ready(one, two)
    people = [U.user(3000 + n, f"Vrijwilliger {n}") for n in range(24)]
    # half to each; one half after the other, so each process surely takes some itself (at
    # once, either may take what the other stored; which one does is a race)
    sent = 0
    for bot, half in ((one, people[:12]), (two, people[12:])):
        await asyncio.gather(*(bot.post(U.message(U.private(p), p, "/vraag groen")) for p in half))
        sent += len(half)
        await api.wait_for("sendMessage", count=sent, timeout=30)
    answered = Counter(c.chat_id for c in api.sent())
    assert set(answered) == {str(p["id"]) for p in people} and set(answered.values()) == {1}
    assert (await one.stop(), await two.stop()) == (0, 0)
    assert errors(one, two) == ""
    assert len(api.sent()) == len(people)  # nothing answered again at the stop
    taken = await owners(
        database, "SELECT taken_by, COUNT(*) FROM inbox WHERE body IS NULL GROUP BY taken_by"
    )
    assert len(taken) == 2 and sum(taken.values()) == len(people)  # both took a share


async def test_a_button_sent_by_one_is_pressed_on_the_other(
    api: FakeBotApi, launch: Launcher
) -> None:
    one, two = await launch(), await launch()
    await launch.ready(one, two)
    team = U.group(-1009000000001, "Team Oost")
    await one.post(U.message(team, U.AN, "/vraag"))
    [card] = await api.wait_for("sendMessage", timeout=30)
    before = len(api.calls)
    press = U.callback(team, U.SAM, card.button("Nog een vraag"), message_id=card.message_id)
    await two.post(press)
    await api.wait_for("answerCallbackQuery", timeout=30)
    await api.wait_for(
        "sendMessage", count=2, timeout=30, where=lambda c: c.chat_id == str(team["id"])
    )
    after = [c for c in api.calls[before:] if c.method == "sendMessage"]
    assert after and all("werkt niet meer" not in c.text for c in after)
    assert "Er ging iets mis" not in "".join(c.text for c in after)
    assert after[0].text != card.text  # a new question, drawn by the other process
    assert (await one.stop(), await two.stop()) == (0, 0)
    assert errors(one, two) == ""


async def test_a_fan_out_and_replies_share_one_pace_without_doubles_or_429s(
    api: FakeBotApi, launch: Launcher, database: str
) -> None:
    # 600 posts at 30 a second take 20 s; the first process claims 100 at a time, no further
    # ahead than its sender goes, so the second finds work left however slowly it starts
    chats = await groups_due(database, 600)  # type: ignore[arg-type]
    posts = set(chats)
    limits = api.enforce_limits()  # Telegram's 30 a second and 20 a minute per group, as 429s
    api.latency = 0.05
    one = await launch()
    await launch.ready(one)
    await api.wait_for("sendMessage", count=1, timeout=30)
    two = await launch()  # joins while the first is sending
    await launch.ready(two)
    # meanwhile people use the bot: replies to commands, on either process, share the pace
    people = [U.user(6000 + n, f"Vrijwilliger {n}") for n in range(40)]
    await asyncio.gather(
        *(
            (one if n % 2 else two).post(U.message(U.private(p), p, "/vraag groen"))
            for n, p in enumerate(people)
        )
    )
    await api.wait_for(
        "sendMessage", count=len(people), timeout=30, where=lambda c: c.chat_id not in posts
    )
    await api.wait_for(
        "sendMessage", count=len(chats), timeout=60, where=lambda c: c.chat_id in posts
    )
    per_chat = Counter(c.chat_id for c in api.sent())
    assert set(per_chat) == posts | {str(p["id"]) for p in people}
    assert max(per_chat.values()) == 1
    # Telegram's 30 a second holds for the two together, posts and replies alike
    assert limits.refused == []
    arrivals = sorted(c.at for c in api.sent())
    busiest = max(
        sum(1 for t in arrivals[i:] if t - start < 1.0) for i, start in enumerate(arrivals)
    )
    assert busiest <= 30, busiest
    assert (await one.stop(), await two.stop()) == (0, 0)  # each records what it sent
    assert errors(one, two) == ""
    sent_by = await owners(
        database, "SELECT claimed_by, COUNT(*) FROM deliveries WHERE status = 'sent' GROUP BY 1"
    )
    assert len(sent_by) == 2 and sum(sent_by.values()) == len(chats), sent_by


async def test_kill_9_mid_fan_out_loses_nothing(
    api: FakeBotApi, launch: Launcher, database: str
) -> None:
    chats = await groups_due(database, 120)  # type: ignore[arg-type]
    api.latency = 0.05
    doomed = await launch()
    await launch.ready(doomed)
    await api.wait_for("sendMessage", count=10, timeout=30)
    survivor = await launch()
    await launch.ready(survivor)
    doomed.process.kill()  # kill -9: no release, no goodbye
    await doomed.process.wait()
    killed_at = time.monotonic()
    stranded = await owners(
        database, "SELECT claimed_by, COUNT(*) FROM deliveries WHERE status = 'claimed' GROUP BY 1"
    )
    assert stranded, "the killed process held no claims: nothing was tested"
    while {c.chat_id for c in api.sent()} != set(chats):
        await api.wait_for("sendMessage", count=len(api.sent()) + 1, timeout=40)
    finished = time.monotonic() - killed_at
    per_chat = Counter(c.chat_id for c in api.sent())
    doubles = sum(n - 1 for n in per_chat.values())
    assert doubles <= 32  # at most the sends that were on their way when it died
    assert finished < 45  # taken over within the heartbeat's 25 s, then sent at 30 a second
    assert await survivor.stop() == 0
    assert errors(survivor) == ""
    left = await owners(database, "SELECT status, COUNT(*) FROM deliveries GROUP BY status")
    assert left == {"sent": len(chats)}
    print(f"kill -9 with two processes: doubles={doubles} all sent {finished:.1f}s after")
