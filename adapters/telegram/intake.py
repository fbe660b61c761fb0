"""Updates in: long polling and the webhook, both through the inbox (bot/core/inbox.py).

Why not python-telegram-bot's Updater: its polling loop parses a whole getUpdates answer at once;
one update it cannot parse (29 real shapes did this, among them `my_chat_member` updates captured
in January 2025) makes it log the whole update at CRITICAL, keep the offset and poll again at
once, forever; a non-numeric `update_id` stops it silently. Its webhook server (tornado) reads the
whole body before it checks the secret and answers 400 to an update it cannot parse, which
Telegram retries. And updates it has confirmed but not handled are lost on a stop.

So here, with python-telegram-bot still doing the HTTP, the parsing and the handlers:
- polling asks `getUpdates` for raw JSON (`Bot.do_api_request`), keeps every update with a
  numeric id in the inbox, and only then moves the offset past it (which tells Telegram it
  arrived). An update without a numeric id is skipped, logged once;
- the webhook checks the secret header first, refuses a body over 1 MiB by its length, answers
  400 to what is not JSON, and 200 to everything else once it is stored;
- one dispatcher hands stored updates to the handlers (per chat in order, chats side by side),
  parses each on its own (an update that does not parse is logged once with its id and kind,
  never its content, and marked handled) and marks each handled when its replies are sent;
- a stop takes no more updates, gives those in hand a few seconds, and leaves the rest in the
  inbox for the next start.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from telegram import (
    Chat,
    ChatMember,
    MaybeInaccessibleMessage,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from adapters.health import add_routes
from bot.core import metrics
from bot.core.clock import Clock
from bot.core.inbox import Inbox, Waiting

from .sending import retry_seconds

log = logging.getLogger(__name__)

PLATFORM = "telegram"
POLL_TIMEOUT = 25
"""Seconds Telegram holds a long poll open when there is nothing new."""
MAX_BODY = 1024 * 1024
"""A webhook body above this is refused by its Content-Length (Telegram's are a few KB)."""
IN_HAND = 256
"""Updates handed to the handlers at once; the rest waits in the inbox."""
LOOK_AGAIN = 5.0
"""Seconds between two looks at the inbox when nothing woke this process: updates another
process gave back or took and never finished (it died) are picked up here."""
COUNT_EVERY = 1.0
"""Seconds between two counts of what waits in the inbox, for the metric: not a round trip
for every update taken (a quiet process counts again when it looks again)."""
STOP_GRACE = 4.0
"""Seconds updates in hand get to finish on a stop; the rest stays for the next start."""
MAX_BACKOFF = 30.0
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
KINDS = frozenset(Update.ALL_TYPES)
"""The update kinds the Bot API knows; anything else is logged as 'onbekend'."""


def kind_of(data: object) -> str:
    """The kind of an update for logs and counters: a known field name, never content."""
    if isinstance(data, dict):
        for key in data:
            if key != "update_id":
                return key if key in KINDS else "onbekend"
    return "leeg"


def numeric_id(data: object) -> int | None:
    value = data.get("update_id") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _user(user: object) -> bool:
    return (
        isinstance(user, User)
        and _int(user.id)
        and _text(user.first_name)
        and _text(user.last_name)
        and _text(user.username)
    )


def _chat(chat: object) -> bool:
    return (
        isinstance(chat, Chat)
        and _int(chat.id)
        and isinstance(chat.type, str)
        and _text(chat.title)
    )


def _message(message: object, depth: int = 0) -> bool:
    """The fields the handlers read, of the types they read them as."""
    if (
        not isinstance(message, MaybeInaccessibleMessage)
        or not _int(message.message_id)
        or not _chat(message.chat)
    ):
        return False
    if not isinstance(message, Message):
        return True
    return (
        (message.from_user is None or _user(message.from_user))
        and (message.sender_chat is None or _chat(message.sender_chat))
        and _text(message.text)
        and all(
            isinstance(e, MessageEntity)
            and _int(e.offset)
            and _int(e.length)
            and isinstance(e.type, str)
            for e in message.entities
        )
        and all(
            v is None or _int(v)
            for v in (
                message.message_thread_id,
                message.migrate_to_chat_id,
                message.migrate_from_chat_id,
            )
        )
        and (
            message.reply_to_message is None
            or (depth < 2 and _message(message.reply_to_message, depth + 1))
        )
    )


def _member(member: object) -> bool:
    return isinstance(member, ChatMember) and isinstance(member.status, str) and _user(member.user)


def readable(update: Update) -> bool:
    """python-telegram-bot builds objects without checking types or required fields (a message
    without a chat, a text that is a number); such an update is skipped like one it cannot
    parse, so no handler meets a None or an int where it expects a chat or a text."""
    if update.message is not None and not _message(update.message):
        return False
    query = update.callback_query
    if query is not None and (
        not _user(query.from_user)
        or not _text(query.data)
        or not (query.message is None or _message(query.message))
    ):
        return False
    change = update.my_chat_member
    return change is None or (
        _chat(change.chat)
        and _user(change.from_user)
        and _member(change.old_chat_member)
        and _member(change.new_chat_member)
    )


class NotStarted(Exception):
    """An update whose turn came after the stop began."""


class Intake:
    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        inbox: Inbox,
        clock: Clock,
        stop_grace: float = STOP_GRACE,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._app = app
        self._inbox = inbox
        self._clock = clock
        self._stop_grace = stop_grace
        self._sleep = sleep
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._in_hand: dict[str, asyncio.Task[None]] = {}
        self._settled = asyncio.Condition()
        self._tasks: list[asyncio.Task[None]] = []
        self._runner: web.AppRunner | None = None
        self._warned: set[str] = set()
        self._counted_at = -COUNT_EVERY
        self.polls = 0
        self.port = 0

    # --- lifecycle ----------------------------------------------------------------------------

    def start_dispatch(self) -> None:
        self._tasks.append(asyncio.create_task(self._dispatch()))

    async def start_polling(self) -> None:
        await self._app.bot.delete_webhook(drop_pending_updates=False)
        self.start_dispatch()
        self._tasks.append(asyncio.create_task(self._poll()))

    async def start_webhook(self, *, listen: str, port: int, path: str, secret: str) -> None:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_route("*", "/" + path.strip("/"), self._webhook_handler(secret))
        add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, listen, port)
        await site.start()
        sockets = getattr(site._server, "sockets", None)  # noqa: SLF001 - ephemeral port
        self.port = int(sockets[0].getsockname()[1]) if sockets else port
        self.start_dispatch()

    async def stop(self) -> None:
        """No more updates; those in hand get `stop_grace` seconds, the rest stays stored."""
        self._stopping.set()
        self._wake.set()
        if self._runner is not None:
            await self._runner.cleanup()
        in_hand = list(self._in_hand.values())
        if in_hand:
            _, late = await asyncio.wait(in_hand, timeout=self._stop_grace)
            for task in late:
                task.cancel()
            if late:
                log.info("stopping: %d updates left for the next start", len(late))
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*in_hand, *self._tasks, return_exceptions=True)
        try:  # what this process took and did not finish: for the others, or the next start
            await self._inbox.give_back()
        except Exception as exc:
            log.warning("inbox could not be given back: error=%s", type(exc).__name__)

    # --- polling ------------------------------------------------------------------------------

    async def _poll(self) -> None:
        offset: int | None = None
        failures = 0
        while not self._stopping.is_set():
            try:
                raw = await self._get_updates(offset)
                failures = 0
            except asyncio.CancelledError:
                raise
            except InvalidToken:
                log.error("telegram refuses the token while polling; polling stops")
                return
            except (NetworkError, RetryAfter, Conflict, TelegramError) as exc:
                failures += 1
                wait = min(MAX_BACKOFF, 2.0 ** min(failures, 6) / 2)
                if isinstance(exc, RetryAfter):
                    wait = max(wait, retry_seconds(exc))
                if failures == 1 or failures % 20 == 0:
                    log.warning(
                        "getUpdates failed: error=%s attempt=%d retry in %.0fs",
                        type(exc).__name__,
                        failures,
                        wait,
                    )
                await self._pause(wait)
                continue
            self.polls += 1
            offset = await self.accept(raw, offset)

    async def _get_updates(self, offset: int | None) -> Any:
        kwargs: dict[str, Any] = {"timeout": POLL_TIMEOUT, "limit": 100, "allowed_updates": ALLOWED}
        if offset is not None:
            kwargs["offset"] = offset
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "use Bot.get_updates": that one parses all or none
            return await self._app.bot.do_api_request(
                "getUpdates", api_kwargs=kwargs, read_timeout=POLL_TIMEOUT + 10
            )

    async def accept(self, raw: object, offset: int | None) -> int | None:
        """Store a getUpdates answer; returns the next offset (past every numeric id seen)."""
        items = raw if isinstance(raw, list) else []
        if not isinstance(raw, list):
            self._warn_once("answer", "getUpdates answered something that is not a list; ignored")
        fresh: list[tuple[str, str]] = []
        top = None
        for item in items:
            update_id = self._update_id(item)
            if update_id is None:
                continue
            top = update_id if top is None else max(top, update_id)
            fresh.append((str(update_id), json.dumps(item)))
        if fresh:
            await self._store(fresh)
        if top is not None:
            return top + 1
        if items:  # only updates we cannot confirm: do not ask again at once
            await self._pause(1.0)
        return offset

    async def _store(self, fresh: list[tuple[str, str]]) -> None:
        added = await self._inbox.add(fresh, self._clock.now())
        if added < len(fresh):
            log.info("updates received again and not handled twice: %d", len(fresh) - added)
        self._wake.set()

    # --- the webhook --------------------------------------------------------------------------

    def _webhook_handler(self, secret: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        expected = secret.encode()

        async def handle(request: web.Request) -> web.Response:
            if request.method != "POST":
                return web.Response(status=405)
            given = request.headers.get(SECRET_HEADER, "").encode()
            if not hmac.compare_digest(given, expected):
                self._warn_once("secret", "webhook request without the right secret refused")
                return web.Response(status=403)
            length = request.content_length
            if length is None:
                return web.Response(status=411)
            if length > MAX_BODY:
                self._warn_once("size", "webhook body refused by its length: bytes=%d", length)
                return web.Response(status=413)
            if self._stopping.is_set():
                return web.Response(status=503)  # Telegram sends it again later
            try:
                data = json.loads(await request.content.readexactly(length))
            except (ValueError, asyncio.IncompleteReadError):
                self._warn_once("json", "webhook body that is not JSON refused")
                return web.Response(status=400)
            if not isinstance(data, dict):
                self._warn_once("object", "webhook body that is not a JSON object refused")
                return web.Response(status=400)
            update_id = self._update_id(data)
            if update_id is None:
                return web.Response(status=200)
            await self._store([(str(update_id), json.dumps(data))])
            return web.Response(status=200)

        return handle

    # --- handing updates to the handlers ------------------------------------------------------

    async def _dispatch(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            room = IN_HAND - len(self._in_hand)
            if room > 0:
                taken = await self._inbox.waiting(set(self._in_hand), room, self._clock.now())
                for waiting in taken:
                    if self._stopping.is_set():
                        break
                    self._in_hand[waiting.update_id] = asyncio.create_task(self._one(waiting))
                if time.monotonic() >= self._counted_at + COUNT_EVERY:
                    self._counted_at = time.monotonic()
                    waiting_now = await self._inbox.count_waiting()
                    metrics.UPDATES_WAITING.labels(PLATFORM).set(waiting_now)
            try:  # another process may have given updates back, or died holding some
                await asyncio.wait_for(self._wake.wait(), LOOK_AGAIN)
            except TimeoutError:
                pass

    async def _one(self, waiting: Waiting) -> None:
        try:
            data = json.loads(waiting.body)
            kind = kind_of(data)
            metrics.UPDATES.labels(PLATFORM, kind).inc()
            try:
                update = Update.de_json(data, self._app.bot)
                if not readable(update):
                    raise TypeError("fields missing or of the wrong type")
            except Exception as exc:
                log.warning(
                    "update not understood, skipped: id=%s kind=%s error=%s",
                    waiting.update_id,
                    kind,
                    type(exc).__name__,
                )
                update = None
            if update is not None:
                processor = self._app.update_processor
                await processor.process_update(update, self._started(update))
            await self._inbox.handled(waiting.update_id, self._clock.now())
        except NotStarted:
            pass  # its turn came after the stop: it waits in the inbox for the next start
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error(
                "update could not be handled: id=%s error=%s", waiting.update_id, type(exc).__name__
            )
            try:  # handled as far as it goes: tried again it would fail again, in a loop
                await self._inbox.handled(waiting.update_id, self._clock.now())
            except Exception:
                self._stopping.set()  # the database is gone: take nothing more
                log.error("the inbox cannot be written; no more updates are taken")
        finally:
            self._in_hand.pop(waiting.update_id, None)
            self._wake.set()
            async with self._settled:
                self._settled.notify_all()

    async def settled(self) -> None:
        """Returns once no update is in hand and none waits in the inbox (for tests and for
        operators' health checks: every update taken so far is handled and marked)."""
        async with self._settled:
            while self._in_hand or await self._inbox.count_waiting():
                await self._settled.wait()

    async def _started(self, update: Update) -> None:
        """Runs when the update's chat is free: after a stop, nothing new begins."""
        if self._stopping.is_set():
            raise NotStarted
        await self._app.process_update(update)

    # --- small helpers ------------------------------------------------------------------------

    def _update_id(self, update: object) -> int | None:
        """The update's numeric id; one without is skipped, logged once per kind."""
        update_id = numeric_id(update)
        if update_id is None:
            kind = kind_of(update)
            self._warn_once(
                f"id:{kind}", "update without a numeric update_id skipped: kind=%s", kind
            )
        return update_id

    def _warn_once(self, key: str, message: str, *args: object) -> None:
        """At most one line per cause a minute: a flood of bad input is not a flood of logs."""
        minute = f"{key}:{int(time.monotonic() // 60)}"
        if minute in self._warned:
            return
        if len(self._warned) > 1000:
            self._warned.clear()
        self._warned.add(minute)
        log.warning(message, *args)

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
        except TimeoutError:
            pass


ALLOWED = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
"""Everything else (edited messages, channel posts, reactions) is not even fetched."""
