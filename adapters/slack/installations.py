"""Installations in any workspace (OAuth mode), kept in Kletspot's own database.

Owner of `slack_installations` and `slack_oauth_states` (bot/core/schema/0009_slack.sql).
Implements slack_sdk's `AsyncInstallationStore` (bot-only: `async_save`, `async_find_bot`,
`async_delete_bot`, `async_delete_all`, see slack_sdk/oauth/installation_store/
async_installation_store.py) and `AsyncOAuthStateStore` (`async_issue`, `async_consume`), so
Bolt's own OAuth flow and token rotation use the same storage layer as everything else.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.core.storage import Database

log = logging.getLogger(__name__)

STATE_SECONDS = 600
"""An install link is good for ten minutes (Bolt's default)."""

_COLUMNS = (
    "enterprise_id, team_id, app_id, team_name, bot_token, bot_id, bot_user_id,"
    " bot_scopes, bot_refresh_token, bot_token_expires_at, is_enterprise_install,"
    " installed_at"
)
_REPLACE = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS.replace(" ", "").split(",")[2:])
"""A second installation of the same workspace replaces the first, on both backends."""


def _key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
) -> tuple[str, str]:
    """An org-wide install is found by its enterprise alone."""
    return (enterprise_id or "", "" if is_enterprise_install else (team_id or ""))


class SlackInstallations(AsyncInstallationStore):
    """One bot installation per workspace. User tokens are never asked for, so never stored."""

    def __init__(self, db: Database, client_id: str) -> None:
        self.db = db
        self.client_id = client_id

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        enterprise, team = _key(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        await self.db.execute(
            f"INSERT INTO slack_installations ({_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT (enterprise_id, team_id) DO UPDATE SET {_REPLACE}",
            (
                enterprise,
                team,
                bot.app_id,
                bot.team_name,
                bot.bot_token,
                bot.bot_id,
                bot.bot_user_id,
                ",".join(bot.bot_scopes or []),
                bot.bot_refresh_token,
                bot.bot_token_expires_at,
                int(bool(bot.is_enterprise_install)),
                float(bot.installed_at or time.time()),
            ),
        )
        log.info("slack installation saved: team=%s enterprise=%s", team or "-", enterprise or "-")

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        enterprise, team = _key(enterprise_id, team_id, is_enterprise_install)
        row = await self.db.one(
            f"SELECT {_COLUMNS} FROM slack_installations WHERE enterprise_id = ? AND team_id = ?",
            (enterprise, team),
        )
        if row is None and enterprise and team:  # an org-wide install covers its workspaces
            row = await self.db.one(
                f"SELECT {_COLUMNS} FROM slack_installations WHERE enterprise_id = ?"
                " AND team_id = '' AND is_enterprise_install = 1",
                (enterprise,),
            )
        if row is None:
            return None
        return Bot(
            app_id=row["app_id"],
            enterprise_id=row["enterprise_id"] or None,
            team_id=row["team_id"] or None,
            team_name=row["team_name"],
            bot_token=row["bot_token"],
            bot_id=row["bot_id"] or "",
            bot_user_id=row["bot_user_id"] or "",
            bot_scopes=row["bot_scopes"],
            bot_refresh_token=row["bot_refresh_token"],
            bot_token_expires_at=row["bot_token_expires_at"],
            is_enterprise_install=bool(row["is_enterprise_install"]),
            installed_at=row["installed_at"],
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        bot = await self.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if bot is None or user_id is not None:
            return None
        return Installation(
            app_id=bot.app_id,
            enterprise_id=bot.enterprise_id,
            team_id=bot.team_id,
            team_name=bot.team_name,
            bot_token=bot.bot_token,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_scopes=bot.bot_scopes,
            bot_refresh_token=bot.bot_refresh_token,
            bot_token_expires_at=bot.bot_token_expires_at,
            user_id="",
            is_enterprise_install=bot.is_enterprise_install,
            installed_at=bot.installed_at,
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        enterprise, team = _key(enterprise_id, team_id, False)
        await self.db.execute(
            "DELETE FROM slack_installations WHERE enterprise_id = ? AND team_id = ?",
            (enterprise, team),
        )
        log.info("slack installation removed: team=%s", team or "-")

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def teams(self) -> list[str]:
        rows = await self.db.all("SELECT team_id FROM slack_installations ORDER BY team_id")
        return [str(r["team_id"]) for r in rows]


class SlackOAuthStates(AsyncOAuthStateStore):
    """A state is issued to one browser (with Bolt's cookie) and consumed once."""

    def __init__(
        self,
        db: Database,
        expiration_seconds: int = STATE_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db = db
        self.expiration_seconds = expiration_seconds
        self.clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        now = self.clock()
        await self.db.execute("DELETE FROM slack_oauth_states WHERE expires_at < ?", (now,))
        await self.db.execute(
            "INSERT INTO slack_oauth_states (state, expires_at) VALUES (?, ?)",
            (state, now + self.expiration_seconds),
        )
        return state

    async def async_consume(self, state: str) -> bool:
        if not state or len(state) > 200:
            return False
        changed = await self.db.changes(
            "DELETE FROM slack_oauth_states WHERE state = ? AND expires_at >= ?",
            (state, self.clock()),
        )
        return changed == 1
