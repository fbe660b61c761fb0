"""The Telegram adapter: python-telegram-bot updates in, engine events; engine replies out.

It translates and holds no product logic: every word users read comes from the engine, except the
few notes only Telegram makes necessary (a private message that cannot be delivered).
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from telegram import (
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Chat,
    ChatMember,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core import metrics
from bot.core.delivery import PARTIALLY_SENT, Outcome, Result, SendLimits
from bot.core.engine import Engine
from bot.core.events import ButtonPress, Command, Event, Membership, Place, TextReply
from bot.core.inbox import Inbox
from bot.core.pacing import Released
from bot.core.platform import EXIT_REFUSED, EXIT_UNREACHABLE, StartupError
from bot.core.replies import Audience, Outgoing, Reply

from . import render
from .intake import ALLOWED, STOP_GRACE, Intake, kind_of
from .limits import CAPTION_LIMIT, LIMITS
from .pacing import PacedLimiter
from .processing import PerChatUpdateProcessor
from .request import AiohttpRequest
from .sending import NO_PREVIEW, Dest, Part, Sender, classify, is_gone, refused
from .translate import (
    GONE,
    PLATFORM,
    PRESENT,
    WORKSPACE,
    actor_of,
    is_group,
    is_reply_to_bot,
    parse_command,
    parse_conversation,
    place_of,
    topic_of,
)

log = logging.getLogger(__name__)

IN_PLACE = (Audience.HERE, Audience.QUIET)
"""Telegram cannot show a group message to one member: a look-up is answered in the group."""

# python-telegram-bot logs whole updates (with message text) at DEBUG: they may not reach our logs.
logging.getLogger("telegram").setLevel(logging.INFO)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
ALLOWED_UPDATES = ALLOWED
SEND_TIMEOUT = 40.0
"""Seconds a send may take before it counts as timed out. Telegram answers within a second; an
API that answers only after 30 s must not make every message go out twice."""
START_ATTEMPTS = 3
"""Tries of getMe at start before the platform counts as unreachable (1 s, then 2 s apart)."""
ADMIN_TTL = 300.0
ADMIN_TTL_ON_ERROR = 30.0
ADMIN_CACHE_MAX = 10_000


@dataclass(frozen=True)
class Origin:
    """Where an event happened, for its replies."""

    chat_id: int
    private: bool
    topic: int | None
    user: User | None
    message_id: int | None
    """The user's own message (a command or text); None for button presses and membership."""
    conversation: str
    pressed: int | None = None
    """The message whose button was pressed: a reply that `replaces` it is an edit of it."""


def file_url_for(base_url: str) -> str:
    """The file-download URL that belongs to a Bot API base URL (`.../bot` -> `.../file/bot`)."""
    if "/bot{token}" in base_url:
        return base_url.replace("/bot{token}", "/file/bot{token}", 1)
    if base_url.endswith("/bot"):
        return base_url[: -len("/bot")] + "/file/bot"
    return base_url


class TelegramAdapter:
    """Runs the engine on Telegram. Also the `Deliverer` for the scheduler (`deliver`, `limits`).

    Lifecycle: `await start()` (getMe, command menus), then `start_polling()` or
    `start_webhook(...)`, later `await stop()`. Tests and benchmarks may skip the updater and
    call `process(update_json)` directly.
    """

    platform = PLATFORM
    limits: SendLimits = LIMITS

    def __init__(
        self,
        engine: Engine,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        rate_limit: bool = True,
        admin_ttl: float = ADMIN_TTL,
        concurrent_updates: int = 64,
        sender: Sender | None = None,
        send_timeout: float = SEND_TIMEOUT,
        stop_grace: float | None = None,
    ) -> None:
        """`rate_limit`: every request waits for the bot token's pace (`engine.paces`, shared
        by every process); False only where a test or benchmark measures something else."""
        self.engine = engine
        self.base_url = base_url
        self._requests = (
            AiohttpRequest(read_timeout=send_timeout, write_timeout=send_timeout),
            AiohttpRequest(connections=1),  # the long poll, one at a time
        )
        """The bot's HTTP clients: closed here too when a start fails (python-telegram-bot
        closes only what it initialised to the end)."""
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder()
            .token(token)
            .base_url(base_url)
            .base_file_url(file_url_for(base_url))
            .job_queue(None)  # the engine's scheduler does timed work
            .updater(None)  # updates come in through intake.py (see there why)
            .request(self._requests[0])
            .get_updates_request(self._requests[1])
            .concurrent_updates(PerChatUpdateProcessor(concurrent_updates))
        )
        self.pace = engine.paces.of(PLATFORM, WORKSPACE, LIMITS)
        if rate_limit:
            builder = builder.rate_limiter(PacedLimiter(self.pace))
        self.app: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self.rate_limited = rate_limit
        self.sender = sender or Sender(self.app.bot)
        if self.sender.on_migrated is None:
            self.sender.on_migrated = self._migrated
        self.intake = Intake(
            self.app,
            Inbox(engine.db, PLATFORM),
            engine.deps.clock,
            stop_grace=STOP_GRACE if stop_grace is None else stop_grace,
        )
        self._admin_ttl = admin_ttl
        self._admins: dict[int, tuple[float, frozenset[int]]] = {}
        self.app.add_handler(
            ChatMemberHandler(self._on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        self.app.add_handler(CallbackQueryHandler(self._on_callback))
        self.app.add_handler(
            MessageHandler(
                filters.UpdateType.MESSAGE & filters.StatusUpdate.MIGRATE, self._on_migrate
            )
        )
        self.app.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, self._on_message)
        )
        self.app.add_error_handler(self._on_error)

    # --- lifecycle ----------------------------------------------------------------------------

    @property
    def username(self) -> str:
        return str(self.app.bot.username)

    @property
    def bot_id(self) -> int:
        return int(self.app.bot.id)

    async def start(self) -> None:
        """Initialise (getMe), register the command menus and start handling updates. A token
        Telegram refuses or an API that cannot be reached raise `StartupError` (Dutch)."""
        host = self.base_url.split("//", 1)[-1].split("/", 1)[0]
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                await self.app.initialize()
                break
            except InvalidToken as exc:
                await self._close()
                raise StartupError(
                    "Telegram weigert de token (TELEGRAM_BOT_TOKEN). Kijk hem na "
                    "bij BotFather, of vraag een nieuwe met /token.",
                    EXIT_REFUSED,
                ) from exc
            except NetworkError as exc:
                await self._close()
                if attempt == START_ATTEMPTS:
                    raise StartupError(
                        f"Telegram is niet bereikbaar via {host} "
                        f"({type(exc).__name__}). Kijk de internetverbinding en "
                        "TELEGRAM_API_BASE_URL na.",
                        EXIT_UNREACHABLE,
                    ) from exc
                await asyncio.sleep(float(attempt))
        await self.register_menus()
        await self.app.start()
        log.info(
            "telegram adapter started: bot_id=%s rate_limited=%s", self.bot_id, self.rate_limited
        )

    async def start_polling(self) -> None:
        await self.intake.start_polling()
        log.info("telegram polling started")

    async def start_webhook(
        self,
        webhook_url: str,
        *,
        port: int,
        secret: str,
        listen: str = "0.0.0.0",
        url_path: str = "",
    ) -> None:
        """Our own webhook server (intake.py): 403 without the matching
        X-Telegram-Bot-Api-Secret-Token header, before the body is read; the webhook is
        registered with that secret. /healthz and /metrics are served on the same port."""
        await self.intake.start_webhook(listen=listen, port=port, path=url_path, secret=secret)
        await self.app.bot.set_webhook(
            webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )
        log.info("telegram webhook listening: port=%s", self.intake.port)

    async def stop(self) -> None:
        """Take no more updates, let those in hand finish briefly, then close the HTTP stack."""
        try:
            await self.intake.stop()
            if self.app.running:
                await self.app.stop()
        finally:
            await self._close()
        log.info("telegram adapter stopped")

    async def _close(self) -> None:
        await self.app.shutdown()
        for request in self._requests:
            await request.shutdown()

    async def register_menus(self) -> None:
        """The Dutch command menus: one for private chats, one for groups."""
        for group, scope in (
            (False, BotCommandScopeAllPrivateChats()),
            (True, BotCommandScopeAllGroupChats()),
        ):
            commands = render.menu(self.engine.router.help, group=group)
            try:
                await self.app.bot.set_my_commands(commands, scope=scope)
            except TelegramError as exc:
                log.warning(
                    "setMyCommands failed: scope=%s error=%s", scope.type, type(exc).__name__
                )

    async def process(self, update_json: dict[str, object]) -> None:
        """Handle one update as Telegram sends it (used by tests and the benchmark)."""
        update = Update.de_json(update_json, self.app.bot)
        metrics.UPDATES.labels(PLATFORM, kind_of(update_json)).inc()
        await self.app.process_update(update)

    # --- inbound ------------------------------------------------------------------------------

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None or message.from_user is None or message.chat.type == Chat.CHANNEL:
            return
        user, chat = message.from_user, message.chat
        if user.is_bot and user.id != GROUP_ANONYMOUS_BOT:
            return
        parsed = parse_command(message, self.username)
        what: Command | TextReply
        if parsed is not None:
            what = Command(parsed.name, parsed.args)
        elif (
            message.entities
            and message.entities[0].type == "bot_command"
            and message.entities[0].offset == 0
        ):
            return  # a command for another bot
        elif is_group(chat) and not is_reply_to_bot(message, self.bot_id):
            return  # group chatter: not for us (privacy mode hides most of it anyway)
        else:
            what = TextReply(message.text or "")
        anonymous_admin = message.sender_chat is not None and message.sender_chat.id == chat.id
        admin = anonymous_admin or await self._is_admin(chat, user.id)
        place = place_of(chat, message)
        origin = Origin(
            chat.id,
            chat.type == Chat.PRIVATE,
            topic_of(message) if is_group(chat) else None,
            user,
            message.message_id,
            place.conversation_id,
        )
        await self._handle(Event(actor_of(user, admin), place, what), origin, update)

    async def _on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        try:
            await query.answer()  # always, even for stale or forged data: no endless spinner
        except TelegramError as exc:
            log.info("answerCallbackQuery failed: error=%s", type(exc).__name__)
        message = query.message
        if message is None or query.data is None or message.chat.type == Chat.CHANNEL:
            return
        chat, user = message.chat, query.from_user
        full = message if isinstance(message, Message) else None
        place = place_of(chat, full)
        topic = topic_of(full) if full is not None and is_group(chat) else None
        admin = await self._is_admin(chat, user.id)
        origin = Origin(
            chat.id,
            chat.type == Chat.PRIVATE,
            topic,
            user,
            None,
            place.conversation_id,
            message.message_id,
        )
        await self._handle(
            Event(actor_of(user, admin), place, ButtonPress(query.data)), origin, update
        )

    async def _on_my_chat_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.my_chat_member
        if change is None or change.chat.type == Chat.CHANNEL:
            return
        was, now = _present(change.old_chat_member), _present(change.new_chat_member)
        if was == now:
            return  # promoted, demoted or restricted: still here, or still gone
        chat = change.chat
        self._admins.pop(chat.id, None)
        place = Place(str(chat.id), is_group=is_group(chat), title=chat.title)
        actor = actor_of(change.from_user, not is_group(chat))
        origin = Origin(
            chat.id, chat.type == Chat.PRIVATE, None, change.from_user, None, place.conversation_id
        )
        await self._handle(Event(actor, place, Membership(now)), origin, update, send=now)

    async def _on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None:
            return
        if message.migrate_to_chat_id:
            await self._migrated(message.chat.id, int(message.migrate_to_chat_id))
        elif message.migrate_from_chat_id:
            await self._migrated(int(message.migrate_from_chat_id), message.chat.id)

    async def _migrated(self, old: int, new: int) -> None:
        """A group became a supergroup: its jar, points and plans move to the new id."""
        self._admins.pop(old, None)
        await self.engine.move_conversation(PLATFORM, WORKSPACE, str(old), str(new))
        log.info("conversation moved: old=%s new=%s", old, new)

    async def _handle(
        self, event: Event, origin: Origin, update: Update, send: bool = True
    ) -> None:
        log.debug("update: id=%s kind=%s chat=%s", update.update_id, event.kind, origin.chat_id)
        replies = await self.engine.handle(event)
        if send:
            await self.answer(origin, replies)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log-safe: the error class and the stack, never the exception message (it may quote
        what a user typed)."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        stack = "".join(traceback.format_tb(error.__traceback__)) if error else ""
        log.error("update failed: id=%s error=%s\n%s", update_id, type(error).__name__, stack)

    async def _is_admin(self, chat: Chat, user_id: int) -> bool:
        """Chat administrators and the creator, from getChatAdministrators, cached a few minutes.
        In a private chat the user is the coordinator of it."""
        if chat.type == Chat.PRIVATE:
            return True
        now = time.monotonic()
        cached = self._admins.get(chat.id)
        if cached is not None and cached[0] > now:
            return user_id in cached[1]
        ttl = self._admin_ttl
        try:
            members = await self.app.bot.get_chat_administrators(chat.id)
            ids = frozenset(m.user.id for m in members)
        except TelegramError as exc:
            log.info("getChatAdministrators failed: chat=%s error=%s", chat.id, type(exc).__name__)
            ids, ttl = (cached[1] if cached else frozenset()), ADMIN_TTL_ON_ERROR
        if len(self._admins) >= ADMIN_CACHE_MAX:
            self._admins = {k: v for k, v in self._admins.items() if v[0] > now}
        self._admins[chat.id] = (now + ttl, ids)
        return user_id in ids

    # --- outbound -----------------------------------------------------------------------------

    async def answer(self, origin: Origin, replies: Sequence[Reply]) -> None:
        """Send an event's replies, patiently (RetryAfter waited out, network errors retried)."""
        for reply in replies:
            try:
                await self._answer_one(origin, reply)
            except TelegramError as exc:
                log.warning("reply not sent: chat=%s error=%s", origin.chat_id, type(exc).__name__)

    async def _answer_one(self, origin: Origin, reply: Reply) -> None:
        if reply.audience in IN_PLACE or origin.private or origin.user is None:
            if reply.replaces and await self._edit(origin, reply):
                return
            topic = _topic(reply.thread_id, origin.topic)
            force = None
            reply_to = None
            mention = None
            if reply.expects_text and not origin.private and not reply.buttons:
                # Privacy mode: the answer only reaches us as a reply to this message.
                force = ForceReply(selective=True)
                reply_to = origin.message_id
                if reply_to is None and origin.user is not None:
                    mention = render.mention(origin.user.id, origin.user.full_name)
            conversations = {origin.conversation, str(origin.chat_id)}
            await self._send(
                Dest(origin.chat_id, topic, reply_to),
                reply,
                conversations,
                force=force,
                mention=mention,
            )
            return
        # PRIVATE (Telegram has no ephemeral messages) or DM, from a group: the private chat.
        user = origin.user
        try:
            await self._send(Dest(user.id), reply, {str(user.id)}, raise_gone=True)
        except TelegramError as exc:
            if not is_gone(exc):
                raise
            log.info("private message impossible: user=%s chat=%s", user.id, origin.chat_id)
            note = (
                f"{render.mention(user.id, user.full_name)}, ik kan je nog geen privébericht "
                f"sturen. Open eerst een privégesprek met mij via https://t.me/"
                f"{self.username} (tik op Start) en probeer het dan opnieuw."
            )
            await self.sender.send(Dest(origin.chat_id, origin.topic), Part(note), patient=True)

    async def _edit(self, origin: Origin, reply: Reply) -> bool:
        """The message whose button was pressed, shown anew (editMessageText: text and keyboard;
        no keyboard in the reply removes the old one). False when it cannot be done (a reply of
        several parts or with a file, a message too old or gone): then it is sent as new."""
        parts = self.parts(reply)
        if (
            origin.pressed is None
            or len(parts) != 1
            or parts[0].document is not None
            or isinstance(parts[0].markup, ForceReply)
        ):
            return False
        part = parts[0]
        markup = part.markup if isinstance(part.markup, InlineKeyboardMarkup) else None
        try:
            await self.app.bot.edit_message_text(
                part.html,
                chat_id=origin.chat_id,
                message_id=origin.pressed,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            )
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return True  # pressed twice: the message already says this
            log.info("edit not possible: chat=%s error=%s", origin.chat_id, type(exc).__name__)
            return False
        except TelegramError as exc:
            log.info("edit failed: chat=%s error=%s", origin.chat_id, type(exc).__name__)
            return False
        return True

    async def _send(
        self,
        dest: Dest,
        reply: Reply,
        conversations: set[str],
        *,
        force: ForceReply | None = None,
        mention: str | None = None,
        raise_gone: bool = False,
    ) -> None:
        parts = self.parts(reply, force=force, mention=mention)
        for n, part in enumerate(parts):
            last = n == len(parts) - 1
            target = dest if last or dest.reply_to is None else Dest(dest.chat_id, dest.thread_id)
            try:
                await self._file_or_text(target, part, patient=True)
            except TelegramError as exc:
                if is_gone(exc):
                    for conversation in conversations:
                        await self.engine.set_active(PLATFORM, WORKSPACE, conversation, False)
                    log.info("chat gone: chat=%s error=%s", dest.chat_id, type(exc).__name__)
                    if raise_gone:
                        raise
                    return
                raise

    async def _file_or_text(self, dest: Dest, part: Part, *, patient: bool) -> None:
        """Send one part; a file Telegram refuses (too large, no right to send media here)
        becomes its text version with a short note."""
        if part.too_large:
            log.info(
                "file too large for telegram: chat=%s bytes=%d",
                dest.chat_id,
                len(part.document[1]) if part.document else 0,
            )
        else:
            try:
                await self.sender.send(dest, part, patient=patient)
                return
            except TelegramError as exc:
                if not part.fallback or not refused(exc):
                    raise
                log.info("file refused: chat=%s error=%s", dest.chat_id, type(exc).__name__)
        for fallback in part.fallback:
            await self.sender.send(dest, fallback, patient=patient)

    @staticmethod
    def parts(
        reply: Reply, *, force: ForceReply | None = None, mention: str | None = None
    ) -> list[Part]:
        """A reply as Telegram messages: split text, keyboard (or ForceReply) on the last one,
        an attachment as a document (a picture as a photo) with the text as caption when it
        fits; a picture's caption also says in words what it shows."""
        chunks = render.split(reply.text)
        markup = render.keyboard(reply.buttons) or force
        attachment = reply.attachment
        htmls = [render.to_html(c) for c in chunks]
        htmls = [h for h in htmls if h]
        if mention is not None:
            htmls = htmls[:-1] + [f"{mention}: {htmls[-1]}" if htmls else mention]
        if attachment is not None:
            document = (attachment.filename, attachment.payload)
            alt = html.escape(attachment.alt, quote=False) if attachment.picture else ""
            text = htmls[0] if htmls else ""
            together = "\n\n".join(p for p in (text, alt) if p)
            if len(chunks) <= 1 and mention is None and render.utf16_len(together) <= CAPTION_LIMIT:
                fallback = TelegramAdapter.parts(reply.without_file(), force=force)
                return [Part(together, markup, document, attachment.picture, tuple(fallback))]
            caption = (
                alt
                if render.utf16_len(alt) <= CAPTION_LIMIT
                else html.escape(attachment.alt[: CAPTION_LIMIT - 1] + "…", quote=False)
            )
            alone = replace(reply, text=(), thread_id=None).without_file()
            fallback = TelegramAdapter.parts(alone, force=force)
            return [Part(h) for h in htmls] + [
                Part(caption, markup, document, attachment.picture, tuple(fallback))
            ]
        if not htmls:
            return []
        return [Part(h) for h in htmls[:-1]] + [Part(htmls[-1], markup)]

    # --- the scheduler's Deliverer ----------------------------------------------------------

    async def deliver(self, outgoing: Outgoing) -> Result:
        """One attempt to send a message nobody asked for just now; the scheduler retries."""
        target = outgoing.target
        if target.platform != PLATFORM:
            return Result(Outcome.FAILED, detail="wrong platform")
        try:
            if target.conversation_id:
                chat_id, topic = parse_conversation(target.conversation_id)
                conversation = target.conversation_id
            elif target.user_id:
                chat_id, topic, conversation = int(target.user_id), None, str(target.user_id)
            else:
                return Result(Outcome.FAILED, detail="no target")
            if topic is None:
                topic = _topic(target.thread_id, _topic(outgoing.reply.thread_id, None))
        except ValueError:
            return Result(Outcome.FAILED, detail="bad target id")
        sent = 0
        for part in self.parts(outgoing.reply):
            try:
                await self._file_or_text(Dest(chat_id, topic), part, patient=False)
            except TelegramError as exc:
                result = classify(exc)
                if result.outcome is Outcome.GONE:
                    await self.engine.set_active(PLATFORM, WORKSPACE, conversation, False)
                elif sent:  # a retry would send the parts that went once more
                    result = Result(Outcome.FAILED, detail=PARTIALLY_SENT)
                log.info(
                    "delivery not sent: key=%s chat=%s outcome=%s detail=%s",
                    outgoing.key,
                    chat_id,
                    result.outcome,
                    result.detail,
                )
                return result
            except Released:  # the process stops: the scheduler releases the claim, unless
                if sent:  # a part went already (then it is not sent again)
                    return Result(Outcome.FAILED, detail=PARTIALLY_SENT)
                raise
            except Exception as exc:  # never let one delivery take the scheduler down
                log.error(
                    "delivery failed: key=%s chat=%s error=%s",
                    outgoing.key,
                    chat_id,
                    type(exc).__name__,
                )
                return Result(Outcome.FAILED, detail=type(exc).__name__)
            sent += 1
        return Result(Outcome.SENT)


GROUP_ANONYMOUS_BOT = 1087968824
"""The user Telegram puts in `from` for messages an anonymous group admin sends."""


def _present(member: ChatMember) -> bool:
    if member.status in PRESENT:
        return True
    if member.status in GONE:
        return False
    return member.status == ChatMemberStatus.RESTRICTED and bool(
        getattr(member, "is_member", False)
    )


def _topic(thread_id: str | None, fallback: int | None) -> int | None:
    if thread_id and thread_id.lstrip("-").isdigit():
        return int(thread_id)
    return fallback
