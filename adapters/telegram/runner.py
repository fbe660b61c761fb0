"""Starting Telegram from the environment: long polling by default, a webhook when asked.

TELEGRAM_BOT_TOKEN       required
TELEGRAM_API_BASE_URL    default https://api.telegram.org/bot (the token is appended, or put
                         {token} where it belongs); a local Bot API server or a test server
TELEGRAM_WEBHOOK_URL     set: webhook mode, e.g. https://bot.example.org/telegram
TELEGRAM_WEBHOOK_PORT    default 8443; the local port the webhook server listens on
TELEGRAM_WEBHOOK_SECRET  default: generated at every start (secrets.token_urlsafe)
TELEGRAM_WEBHOOK_LISTEN  default 0.0.0.0
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.core.engine import Engine
from bot.core.health import HEALTH
from bot.core.platform import EXIT_SETTINGS, Platform, StartupError

from .adapter import DEFAULT_BASE_URL, TelegramAdapter

log = logging.getLogger(__name__)

DEFAULT_WEBHOOK_PORT = 8443
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


OnReady = Callable[[TelegramAdapter], Awaitable[None] | None]


class SettingsError(StartupError, ValueError):
    """A missing or malformed TELEGRAM_* variable; the message names it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_SETTINGS)


def api_base_url(value: str | None) -> str:
    """PTB's base_url: the token is appended unless the URL holds `{token}`. A URL given without
    the `/bot` part (`http://localhost:8081`) gets it, as every Bot API server expects it."""
    url = (value or "").strip() or DEFAULT_BASE_URL
    if "{token}" in url:
        return url
    url = url.rstrip("/")
    return url if url.endswith("/bot") else url + "/bot"


@dataclass(frozen=True)
class TelegramSettings:
    token: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    webhook_url: str | None = None
    webhook_port: int = DEFAULT_WEBHOOK_PORT
    webhook_secret: str = field(default="", repr=False)
    webhook_listen: str = "0.0.0.0"

    @property
    def webhook_path(self) -> str:
        return urlsplit(self.webhook_url or "").path.lstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TelegramSettings:
        token = (env.get("TELEGRAM_BOT_TOKEN") or "").strip()
        if not token:
            raise SettingsError("TELEGRAM_BOT_TOKEN ontbreekt (de token van BotFather).")
        webhook_url = (env.get("TELEGRAM_WEBHOOK_URL") or "").strip() or None
        if webhook_url is not None and urlsplit(webhook_url).scheme not in ("https", "http"):
            raise SettingsError("TELEGRAM_WEBHOOK_URL moet een volledige https-URL zijn.")
        try:
            port = int(env.get("TELEGRAM_WEBHOOK_PORT") or DEFAULT_WEBHOOK_PORT)
        except ValueError as exc:
            raise SettingsError("TELEGRAM_WEBHOOK_PORT moet een getal zijn.") from exc
        secret = (env.get("TELEGRAM_WEBHOOK_SECRET") or "").strip() or secrets.token_urlsafe(32)
        if not _SECRET.match(secret):
            raise SettingsError(
                "TELEGRAM_WEBHOOK_SECRET mag alleen A-Z, a-z, 0-9, _ en - "
                "bevatten (1 tot 256 tekens)."
            )
        return cls(
            token=token,
            base_url=api_base_url(env.get("TELEGRAM_API_BASE_URL")),
            webhook_url=webhook_url,
            webhook_port=port,
            webhook_secret=secret,
            webhook_listen=(env.get("TELEGRAM_WEBHOOK_LISTEN") or "0.0.0.0").strip(),
        )


def build(engine: Engine, settings: TelegramSettings, **options: Any) -> TelegramAdapter:
    """`options` reach TelegramAdapter as they are (tests pass a sender or a request class)."""
    return TelegramAdapter(engine, settings.token, base_url=settings.base_url, **options)


async def serve(
    engine: Engine,
    env: Mapping[str, str],
    stop: asyncio.Event,
    on_ready: OnReady | None = None,
    **options: Any,
) -> None:
    """Run Telegram until `stop` is set. `on_ready(adapter)` is called once updates flow; the
    adapter is the scheduler's `Deliverer` (`adapter.deliver`, `adapter.limits`)."""
    settings = TelegramSettings.from_env(env)
    adapter = build(engine, settings, **options)
    try:
        await adapter.start()
        if settings.webhook_url:
            await adapter.start_webhook(
                settings.webhook_url,
                port=settings.webhook_port,
                secret=settings.webhook_secret,
                listen=settings.webhook_listen,
                url_path=settings.webhook_path,
            )
        else:
            await adapter.start_polling()
        HEALTH.db = engine.db
        HEALTH.connected("telegram")
        if on_ready is not None:
            result = on_ready(adapter)
            if inspect.isawaitable(result):
                await result
        await stop.wait()
    finally:
        HEALTH.connected("telegram", False)
        await adapter.stop()


PLATFORM = Platform(
    "telegram", lambda env: bool((env.get("TELEGRAM_BOT_TOKEN") or "").strip()), serve
)
