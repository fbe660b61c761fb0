"""The one place where Telegram's send limits and errors are handled.

Replies to an event are sent *patiently*: a RetryAfter, a server error (5xx) or a network error
is waited out with backoff for up to `REPLY_PATIENCE` seconds in all, so a one-minute outage
delays replies instead of dropping them; a send that timed out (it may have arrived) is repeated
once, never twice. Scheduled deliveries make *one* attempt and get a `Result` the scheduler's
sender understands (it retries within the occurrence's grace). Throttling to Telegram's rates (30/s overall,
20/min per group, for every process on the bot token together) is the token's pace, plugged into
python-telegram-bot as its rate limiter (`pacing.py`); it never retries, so retries happen here
and only here.

Nothing here logs message text: only chat ids, methods and error classes.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import (
    ForceReply,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ExtBot

from adapters.telegram.limits import DOCUMENT_MAX, PHOTO_MAX
from adapters.telegram.pacing import POST
from bot.core import metrics
from bot.core.delivery import Outcome, Result

log = logging.getLogger(__name__)


NETWORK_BACKOFF = 0.5
"""Seconds before the second attempt; doubled for each further one, up to MAX_BACKOFF."""
MAX_BACKOFF = 15.0
DELIVERY_NETWORK_RETRY = 2.0
"""What a scheduled delivery asks the scheduler to wait after a network error."""
REPLY_PATIENCE = 120.0
"""Seconds a reply may spend waiting out 429s and outages in all; then it is given up (logged).
Updates of other chats go on meanwhile; only this chat's next update waits."""

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
"""Made once: python-telegram-bot's objects are frozen, and making one costs microseconds at
every message."""
_REPLIES = metrics.REPLIES.labels("telegram")

_GONE_MARKERS = (
    "chat not found",
    "bot was kicked",
    "bot is not a member",
    "user is deactivated",
    "group chat was deactivated",
    "bot can't initiate",
    "peer_id_invalid",
)


def retry_seconds(exc: RetryAfter) -> float:
    value = getattr(exc, "_retry_after", None)
    if isinstance(value, timedelta):
        return value.total_seconds()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = exc.retry_after
    return raw.total_seconds() if isinstance(raw, timedelta) else float(raw)


def is_gone(exc: TelegramError) -> bool:
    """The bot can no longer write there: blocked, removed, chat deleted or never started."""
    if isinstance(exc, Forbidden):
        return True
    return isinstance(exc, BadRequest) and any(m in exc.message.lower() for m in _GONE_MARKERS)


def classify(exc: BaseException) -> Result:
    """A send error as the scheduler's outcome; `detail` is log-safe (no message text). Only a
    definite no (gone, a bad request) ends a delivery; anything else from Telegram is retried."""
    if isinstance(exc, RetryAfter):
        return Result(Outcome.RETRY, retry_seconds(exc), "RetryAfter")
    if isinstance(exc, TelegramError) and is_gone(exc):
        return Result(Outcome.GONE, 0.0, type(exc).__name__)
    if isinstance(exc, BadRequest):
        return Result(Outcome.FAILED, 0.0, "BadRequest")
    if isinstance(exc, TimedOut):
        return Result(Outcome.UNSURE, DELIVERY_NETWORK_RETRY, "TimedOut")
    if isinstance(exc, TelegramError):
        return Result(Outcome.RETRY, DELIVERY_NETWORK_RETRY, type(exc).__name__)
    return Result(Outcome.FAILED, 0.0, type(exc).__name__)


@dataclass(frozen=True)
class Dest:
    """Where one message goes: a chat, optionally a forum topic and a message to answer."""

    chat_id: int
    thread_id: int | None = None
    reply_to: int | None = None


_TOO_LARGE = ("too large", "too big", "entity too large")


def refused(exc: TelegramError) -> bool:
    """Telegram will not take this file here (too large, no right to send media); the chat
    itself is fine, so the text version can go instead."""
    if isinstance(exc, BadRequest):
        return not is_gone(exc)
    return (
        isinstance(exc, NetworkError)
        and not isinstance(exc, TimedOut)
        and any(m in exc.message.lower() for m in _TOO_LARGE)
    )


@dataclass(frozen=True)
class Part:
    """One Telegram message: HTML text, or a file (a document, or a photo) with a caption.

    `fallback` is what is sent instead when Telegram refuses the file."""

    html: str
    markup: InlineKeyboardMarkup | ForceReply | None = None
    document: tuple[str, bytes] | None = None
    photo: bool = False
    fallback: tuple[Part, ...] = ()

    @property
    def too_large(self) -> bool:
        if self.document is None:
            return False
        return len(self.document[1]) > (PHOTO_MAX if self.photo else DOCUMENT_MAX)


Migrated = Callable[[int, int], Awaitable[None]]


@dataclass
class Sender:
    bot: ExtBot[Any]
    on_migrated: Migrated | None = None
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep)
    backoff: float = NETWORK_BACKOFF
    patience: float = REPLY_PATIENCE

    async def send(self, dest: Dest, part: Part, *, patient: bool) -> Message:
        """Send one message. Raises the TelegramError when it finally fails."""
        waited = 0.0
        failures = 0
        timeouts = 0
        migrated = False
        while True:
            try:
                message = await self._call(dest, part, patient)
                if patient:
                    _REPLIES.inc()
                return message
            except ChatMigrated as exc:
                if migrated:
                    raise
                migrated = True
                new_id = int(exc.new_chat_id)
                log.info("chat migrated: old=%s new=%s", dest.chat_id, new_id)
                if self.on_migrated is not None:
                    await self.on_migrated(dest.chat_id, new_id)
                dest = Dest(new_id, None, None)
            except RetryAfter as exc:
                metrics.RATE_LIMITED.labels("telegram").inc()
                wait = retry_seconds(exc)
                if not patient or waited + wait > self.patience:
                    raise
                log.info("flood control: chat=%s waiting %.1fs", dest.chat_id, wait)
                waited += wait
                await self.sleep(wait)
            except BadRequest:
                raise
            except TimedOut:
                timeouts += 1  # it may have arrived: once more, never twice
                if not patient or timeouts > 1:
                    raise
                log.info("send timed out: chat=%s repeated once", dest.chat_id)
            except NetworkError as exc:  # no answer, or a 5xx: it did not arrive
                failures += 1
                wait = min(MAX_BACKOFF, self.backoff * 2 ** (failures - 1))
                if not patient or waited + wait > self.patience:
                    raise
                if failures == 1:
                    log.info("network error %s: chat=%s retrying", type(exc).__name__, dest.chat_id)
                waited += wait
                await self.sleep(wait)

    async def _call(self, dest: Dest, part: Part, reply: bool) -> Message:
        """One request; a scheduled post (not a reply) lets replies take their turn first."""
        order = None if reply or self.bot.rate_limiter is None else POST
        answering = (
            ReplyParameters(dest.reply_to, allow_sending_without_reply=True)
            if dest.reply_to is not None
            else None
        )
        if part.document is not None:
            filename, content = part.document
            send_file = self.bot.send_photo if part.photo else self.bot.send_document
            return await send_file(
                dest.chat_id,
                InputFile(content, filename=filename),
                caption=part.html or None,
                parse_mode=ParseMode.HTML,
                message_thread_id=dest.thread_id,
                reply_markup=part.markup,
                reply_parameters=answering,
                rate_limit_args=order,
            )
        return await self.bot.send_message(
            dest.chat_id,
            part.html,
            parse_mode=ParseMode.HTML,
            message_thread_id=dest.thread_id,
            reply_markup=part.markup,
            reply_parameters=answering,
            link_preview_options=NO_PREVIEW,
            rate_limit_args=order,
        )
