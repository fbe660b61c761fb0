"""The Slack adapter in HTTP mode on an ephemeral port, with the real engine, against FakeSlack."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from adapters.slack.runner import EVENTS_PATH, SlackAdapter, SlackSettings
from bot.core.engine import Engine
from tests.adapters.slack.fake_slack import SECRET, FakeSlack, SlackSender


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    await slack.start()
    slack.user("U1", "Anne", admin=True)
    slack.user("U2", "Bob")
    yield slack
    await slack.stop()


def http_settings(fake: FakeSlack) -> SlackSettings:
    return SlackSettings(
        bot_token="xoxb-test", signing_secret=SECRET, port=0, host="127.0.0.1", api_url=fake.api_url
    )


@pytest.fixture
async def adapter(engine: Engine, fake: FakeSlack) -> AsyncIterator[SlackAdapter]:
    slack = SlackAdapter(engine, http_settings(fake))
    await slack.start()
    yield slack
    await slack.stop()


class Slack:
    """The test's view: send like Slack, wait until the adapter is done, read what it called."""

    def __init__(self, sender: SlackSender, adapter: SlackAdapter, fake: FakeSlack) -> None:
        self.sender = sender
        self.adapter = adapter
        self.fake = fake

    async def _done(self, result: tuple[int, str]) -> tuple[int, str]:
        await self.adapter.bot.idle()
        return result

    async def command(self, text: str, **kw: Any) -> tuple[int, str]:
        return await self._done(await self.sender.command(text, **kw))

    async def press(self, value: str, **kw: Any) -> tuple[int, str]:
        return await self._done(await self.sender.press(value, **kw))

    async def event(self, event: dict[str, Any], **kw: Any) -> tuple[int, str]:
        return await self._done(await self.sender.event(event, **kw))

    async def dm(self, text: str, **kw: Any) -> tuple[int, str]:
        return await self._done(await self.sender.dm(text, **kw))

    async def submit(
        self, view: dict[str, Any], text: str | None = None, **kw: Any
    ) -> tuple[int, str]:
        return await self._done(await self.sender.submit(view, text, **kw))

    async def shortcut(self, text: str | None, **kw: Any) -> tuple[int, str]:
        return await self._done(await self.sender.shortcut(text, **kw))

    def last_view(self) -> dict[str, Any]:
        """The modal views.open opened last (as the fake stored it, with its id)."""
        assert self.fake.views, "no modal opened"
        return list(self.fake.views.values())[-1]

    def new_calls(self, since: int) -> list[str]:
        """Web API calls since then, without Bolt's one-time auth.test."""
        return [c.method for c in self.fake.calls[since:] if c.method != "auth.test"]


@pytest.fixture
async def slack(adapter: SlackAdapter, fake: FakeSlack) -> AsyncIterator[Slack]:
    async with aiohttp.ClientSession() as session:
        sender = SlackSender(f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}", session, fake)
        yield Slack(sender, adapter, fake)
