"""The process as `make run` starts it: Telegram and Slack on one engine and one database."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot.app import run_platforms
from bot.core.config import Config
from tests.adapters.slack.fake_slack import SECRET, FakeSlack
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.conftest import CONTENT


async def test_both_platforms_share_one_engine_and_database(tmp_path: Path) -> None:
    api = await FakeBotApi().start()
    slack = FakeSlack()
    await slack.start()
    db = tmp_path / "beide.db"
    env = {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "SLACK_PORT": "0",
    }
    stop, started = asyncio.Event(), asyncio.Event()
    config = Config(database=str(db), log_level="INFO", grace=timedelta(hours=12))
    task = asyncio.create_task(run_platforms(config, env, CONTENT, stop, started))
    try:
        await asyncio.wait_for(started.wait(), timeout=20)
        api.push(U.message(U.group(), U.AN, "/vraag groen"))
        await api.wait_for("sendMessage", timeout=10)
        assert "Groen" in api.sent()[-1].text
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=20)
        await api.close()
        await slack.stop()
    assert db.exists()
