"""The bot as a real process (`python -m bot`) against the fake Bot API: start-up failures exit
with a Dutch line and their own code, SIGTERM during a fan-out loses and doubles nothing, and
SIGKILL doubles at most the sends that were on their way."""

from __future__ import annotations

import asyncio
import os
import resource
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.clock import iso
from bot.core.engine import Engine
from bot.core.platform import EXIT_DATABASE, EXIT_REFUSED, EXIT_SETTINGS, EXIT_UNREACHABLE
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.conftest import free_port
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.conftest import CONTENT, ROOT, posts_due


def environment(api: FakeBotApi, db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_"))}
    return {
        **env,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "KLETSPOT_DB": str(db),
        "PYTHONPATH": str(ROOT),
        **extra,
    }


_LAUNCHED: list[asyncio.subprocess.Process] = []


@pytest.fixture(autouse=True)
async def no_bot_left_running() -> AsyncIterator[None]:
    """A failing test must not leave a bot process behind."""
    yield
    while _LAUNCHED:
        process = _LAUNCHED.pop()
        if process.returncode is None:
            process.kill()
            await process.wait()


async def launch(
    env: dict[str, str], stdout: int = asyncio.subprocess.PIPE, **kw: object
) -> asyncio.subprocess.Process:
    """`python -m bot` as a real process, killed after the test at the latest."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        env=env,
        cwd=ROOT,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=stdout,
        stderr=asyncio.subprocess.PIPE,
        **kw,
    )  # type: ignore[arg-type]
    _LAUNCHED.append(process)
    return process


async def finished(process: asyncio.subprocess.Process, timeout: float = 20) -> tuple[int, str]:
    _, err = await asyncio.wait_for(process.communicate(), timeout)
    return int(process.returncode or 0), err.decode()


async def test_start_up_failures_exit_with_a_dutch_line(api: FakeBotApi, tmp_path: Path) -> None:
    cases: list[tuple[dict[str, str], int, str, dict[str, object]]] = []
    cases.append(({"TELEGRAM_BOT_TOKEN": "999:fout"}, EXIT_REFUSED, "weigert de token", {}))
    cases.append(
        (
            {"TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot"},
            EXIT_UNREACHABLE,
            "niet bereikbaar",
            {},
        )
    )
    corrupt = tmp_path / "kapot.db"
    corrupt.write_bytes(b"dit is geen database " * 500)
    cases.append(({"KLETSPOT_DB": str(corrupt)}, EXIT_DATABASE, "beschadigd", {}))
    cases.append(
        (
            {"KLETSPOT_DB": str(tmp_path / "geen-map" / "x.db")},
            EXIT_DATABASE,
            "kan niet geopend worden",
            {},
        )
    )

    def no_room() -> None:  # a full disk: no file may grow (Python ignores SIGXFSZ)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    cases.append(
        (
            {"KLETSPOT_DB": str(tmp_path / "vol.db")},
            EXIT_DATABASE,
            "niet bruikbaar",
            {"preexec_fn": no_room},
        )
    )
    for extra, code, line, kw in cases:
        started = time.monotonic()
        process = await launch(environment(api, tmp_path / "ok.db", **extra), **kw)
        status, err = await finished(process)
        assert (status, line in err) == (code, True), (extra, err)
        assert "Traceback" not in err, (extra, err)
        assert "Traceback" not in err and err.count("Kletspot start niet") == 1
        assert time.monotonic() - started < 15  # never a hang


async def test_slack_start_up_failures_exit_with_a_dutch_line(tmp_path: Path) -> None:
    from tests.adapters.slack.fake_slack import FakeSlack

    fake = FakeSlack()
    await fake.start()
    fake.fail("auth.test", "invalid_auth")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_"))}
    base |= {
        "KLETSPOT_DB": str(tmp_path / "slack.db"),
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_PORT": "0",
    }
    cases = [
        ({}, EXIT_SETTINGS, "SLACK_SIGNING_SECRET"),
        (
            {"SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": fake.api_url},
            EXIT_REFUSED,
            "Slack weigert de token",
        ),
        (
            {"SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/"},
            EXIT_UNREACHABLE,
            "niet bereikbaar",
        ),
    ]
    try:
        for extra, code, line in cases:
            status, err = await finished(await launch({**base, **extra}), timeout=60)
            assert (status, line in err) == (code, True), (extra, err[-800:])
            assert "Traceback" not in err and err.count("Kletspot start niet") == 1
    finally:
        await fake.stop()


async def groups_due(db: Path, count: int) -> list[str]:
    """`count` Telegram groups whose weekly post was due a minute ago (real time)."""
    engine = await Engine.open(db, CONTENT)
    due = iso(datetime.now(UTC) - timedelta(minutes=1))
    chats = [str(-1002000000000 - n) for n in range(count)]
    try:
        return await posts_due(engine, "telegram", "telegram", chats, due, weekdays="0123456")
    finally:
        await engine.close()


async def test_sigterm_during_a_fan_out_loses_and_doubles_nothing(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "fan.db"
    chats = await groups_due(db, 60)
    api.latency = 0.05
    env = environment(api, db)
    for restart in range(3):  # three deploys in a row, each in the middle of the send-out
        process = await launch(env)
        seen = len(api.sent())
        if seen >= len(chats):
            break
        await api.wait_for("sendMessage", count=min(seen + 8, len(chats)), timeout=20)
        asked = time.monotonic()
        process.send_signal(signal.SIGTERM)
        status, err = await finished(process)
        assert status == 0 and " ERROR " not in err, err[-2000:]
        assert time.monotonic() - asked < 8, restart  # stopped within a few seconds
    process = await launch(env)
    await api.wait_for("sendMessage", count=len(chats), timeout=30)
    process.send_signal(signal.SIGTERM)
    assert (await finished(process))[0] == 0
    per_chat = Counter(c.chat_id for c in api.sent())
    assert set(per_chat) == set(chats) and max(per_chat.values()) == 1  # before: 96 doubles


async def test_sigterm_with_queued_commands_answers_each_once(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "wachtrij.db"
    api.latency = 0.2
    env = environment(api, db)
    for _ in range(60):
        api.push(U.message(U.private(U.AN), U.AN, "/vraag groen"))
    process = await launch(env)
    await api.wait_for("sendMessage", count=10, timeout=20)
    asked = time.monotonic()
    process.send_signal(signal.SIGTERM)
    status, err = await finished(process)
    assert status == 0 and " ERROR " not in err, err[-2000:]
    assert time.monotonic() - asked < 8  # before: not stopped after 90 s
    answered = len(api.sent())
    assert answered < 60
    process = await launch(env)
    await api.wait_for("sendMessage", count=60, timeout=30)
    process.send_signal(signal.SIGTERM)
    assert (await finished(process))[0] == 0
    assert len(api.sent()) == 60  # before: 35 of 60 lost


async def test_sigkill_doubles_at_most_the_sends_on_their_way(
    api: FakeBotApi, tmp_path: Path
) -> None:
    """The second process waits out the dead one's lease (20 s of its own time): slow-ish."""
    db = tmp_path / "kill.db"
    chats = await groups_due(db, 40)
    api.latency = 0.2
    env = environment(api, db)
    process = await launch(env)
    await api.wait_for("sendMessage", count=8, timeout=20)
    process.kill()
    await finished(process)
    killed_at = time.monotonic()
    process = await launch(env)
    before = len(api.sent())
    await api.wait_for("sendMessage", count=before + 1, timeout=40)
    taken_over = time.monotonic() - killed_at
    while {c.chat_id for c in api.sent()} != set(chats):
        await api.wait_for("sendMessage", count=len(api.sent()) + 1, timeout=30)
    process.send_signal(signal.SIGTERM)
    assert (await finished(process))[0] == 0
    per_chat = Counter(c.chat_id for c in api.sent())
    assert set(per_chat) == set(chats)
    doubles = sum(n - 1 for n in per_chat.values())
    assert doubles <= 32  # at most the sender's concurrency: the sends on their way
    assert taken_over < 30  # before: 120-132 s
    print(f"kill -9: doubles={doubles} takeover={taken_over:.1f}s")
