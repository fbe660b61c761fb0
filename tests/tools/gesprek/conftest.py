"""A volunteer in their DM with the bot, and a scheduler that delivers to a recording platform."""

from __future__ import annotations

import pytest

from bot.core.clock import FakeClock
from bot.core.engine import Engine
from tests.conftest import Chat, Post


@pytest.fixture
def dm(engine: Engine) -> Chat:
    return Chat(engine, "dm-an", group=False)


@pytest.fixture
def post(engine: Engine, clock: FakeClock) -> Post:
    return Post(engine, clock)
