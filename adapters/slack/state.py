"""Small in-memory state of the Slack adapter: who people are (users.info, cached) and, in the
single-workspace token mode, whether that workspace uninstalled the app.

Caches only: after a restart they fill again. What must survive a restart (requests already
handled, modals opened, installations) is in the database (store.py, installations.py).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.events import Actor

log = logging.getLogger(__name__)

PLATFORM = "slack"
PEOPLE_TTL = 300.0
"""users.info answers are kept five minutes: admin rights and names change rarely."""
K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(
        self, ttl: float, max_size: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._max = max_size
        self._clock = clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        item = self._items.get(key)
        if item is None:
            return None
        if item[0] < self._clock():
            del self._items[key]
            return None
        return item[1]

    def put(self, key: K, value: V) -> None:
        self._items[key] = (self._clock() + self._ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self._max:
            self._items.popitem(last=False)

    def pop(self, key: K) -> V | None:
        item = self._items.pop(key, None)
        return None if item is None or item[0] < self._clock() else item[1]


@dataclass(frozen=True)
class Person:
    name: str
    handle: str | None
    admin: bool


class People:
    """users.info per (team, user), cached; falls back to what the payload said."""

    def __init__(self, ttl: float = PEOPLE_TTL) -> None:
        self._cache: TtlCache[tuple[str, str], Person] = TtlCache(ttl, 5_000)

    async def actor(
        self, client: AsyncWebClient, team_id: str, user_id: str, username: str | None = None
    ) -> Actor:
        person = self._cache.get((team_id, user_id))
        if person is None:
            person = await self._lookup(client, user_id, username)
            if person is not None:
                self._cache.put((team_id, user_id), person)
        if person is None:
            person = Person(username or user_id, username, False)
        return Actor(
            PLATFORM,
            team_id,
            user_id,
            person.name,
            handle=person.handle,
            is_platform_admin=person.admin,
        )

    async def _lookup(
        self, client: AsyncWebClient, user_id: str, username: str | None
    ) -> Person | None:
        """Any failure (an API error, a network error, a proxy's HTML labelled JSON) means: go
        on with what the payload said; the person is answered either way."""
        try:
            response = await client.users_info(user=user_id)
            user = response.get("user") or {}
            if not isinstance(user, dict):
                raise TypeError("user is not an object")
        except SlackApiError as exc:
            log.warning("users.info failed: user=%s error=%s", user_id, _code(exc))
            return None
        except Exception as exc:
            log.warning("users.info failed: user=%s error=%s", user_id, type(exc).__name__)
            return None
        profile = user.get("profile")
        profile = profile if isinstance(profile, dict) else {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or username
            or user_id
        )
        return Person(
            str(name),
            user.get("name") or username,
            bool(user.get("is_admin") or user.get("is_owner")),
        )


def _code(exc: SlackApiError) -> str:
    try:
        data = exc.response.data if exc.response is not None else None
        return str(data.get("error")) if isinstance(data, dict) else "not_json"
    except Exception:
        return "unknown"


class Workspaces:
    """Workspaces that uninstalled the app or revoked its bot token: nothing is sent there."""

    def __init__(self) -> None:
        self._gone: set[str] = set()

    def gone(self, team_id: str) -> bool:
        return team_id in self._gone

    def mark_gone(self, team_id: str) -> None:
        self._gone.add(team_id)

    def mark_back(self, team_id: str) -> None:
        self._gone.discard(team_id)
