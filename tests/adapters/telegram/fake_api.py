"""A fake Telegram Bot API server: aiohttp on 127.0.0.1, an ephemeral port.

It answers `/bot<token>/<method>` the way api.telegram.org does (JSON `{"ok": ..., "result": ...}`),
serves queued updates to a real long-polling loop, records every call with its parsed parameters,
and can be told to fail a method (429 with retry_after, 403, 400) for a chat.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-fake-token"
BOT_ID = 7770001
BOT_USERNAME = "KletspotBot"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Kletspot", "username": BOT_USERNAME}
SENDS = ("sendMessage", "sendDocument", "sendPhoto")
COUNTED = ("send", "edit", "copy", "forward")
"""Methods that post or change a message: what Telegram's rate limits count (when enforced)."""


SO_TIMESTAMPNS = 35
"""Linux (x86-64, arm64): the kernel stamps each packet received with the time it arrived and
hands that time over with the bytes (`recvmsg`); Python names no constant for it."""
_STAMP_SPACE = socket.CMSG_SPACE(16) if hasattr(socket, "CMSG_SPACE") else 0


class _Stamped(socket.socket):
    """An accepted connection that keeps when the kernel received the last bytes read from it,
    so a call's arrival is when it reached this machine, not when this process (the test's
    event loop, on a busy machine) got round to reading it."""

    arrivals: dict[int, float]

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        data, ancillary, _, _ = self.recvmsg(bufsize, _STAMP_SPACE, flags)
        self._stamp(ancillary, bool(data))
        return data

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        view = memoryview(buffer).cast("B")
        size, ancillary, _, _ = self.recvmsg_into(
            [view[: nbytes or len(view)]], _STAMP_SPACE, flags
        )
        self._stamp(ancillary, size > 0)
        return size

    def _stamp(self, ancillary: list[tuple[int, int, bytes]], read: bool) -> None:
        received = time.time()  # no stamp (another system): when it was read
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) >= 16:
                seconds, nanoseconds = struct.unpack("qq", value[:16])
                received = seconds + nanoseconds / 1e9
        if read:
            self.arrivals[self.fileno()] = received


class _Listener(socket.socket):
    """The fake's listening socket: each connection it accepts is `_Stamped`."""

    arrivals: dict[int, float]

    def accept(self) -> tuple[socket.socket, Any]:
        fd, address = self._accept()  # type: ignore[attr-defined]
        connection = _Stamped(self.family, self.type, self.proto, fileno=fd)
        connection.arrivals = self.arrivals
        return connection, address


def _listener(arrivals: dict[int, float]) -> socket.socket:
    """127.0.0.1 on an ephemeral port; on Linux with the kernel's receive times switched on
    (accepted connections inherit it), elsewhere a plain socket (arrival = when read)."""
    stamped = sys.platform == "linux" and _STAMP_SPACE > 0
    sock: socket.socket = _Listener() if stamped else socket.socket()
    if stamped:
        assert isinstance(sock, _Listener)
        sock.arrivals = arrivals
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.setblocking(False)
    return sock


@dataclass
class Limits:
    """Telegram's flood limits, enforced when a test asks: 30 messages a second per bot token
    and 20 a minute per group, each a sliding window; one more is refused with 429 and
    retry_after, as Telegram does."""

    per_second: int = 30
    per_group_per_minute: int = 20
    arrivals: list[float] = field(default_factory=list)
    by_group: dict[str, list[float]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    """Each 429 answered: 'token' or 'group <id>'."""

    def refuse(self, call: Call) -> int | None:
        """Seconds to retry after, or None when the call is within the limits (then counted)."""
        now = call.at
        self.arrivals = [t for t in self.arrivals if now - t < 1.0]
        if len(self.arrivals) >= self.per_second:
            self.refused.append("token")
            return 1
        group = call.chat_id if call.chat_id is not None and call.chat_id.startswith("-") else None
        if group is not None:
            sent = [t for t in self.by_group.get(group, []) if now - t < 60.0]
            self.by_group[group] = sent
            if len(sent) >= self.per_group_per_minute:
                self.refused.append(f"group {group}")
                return max(1, int(60.0 - (now - sent[0])) + 1)
            sent.append(now)
        self.arrivals.append(now)
        return None


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    failed: bool = False
    result: Any = None
    at: float = field(default_factory=time.monotonic)
    """When it arrived (monotonic): when the kernel received its last bytes (`_Stamped`), to
    check a pace across processes."""

    @property
    def message_id(self) -> int:
        """The id of the message this call created."""
        assert isinstance(self.result, dict), self.method
        return int(self.result["message_id"])

    @property
    def chat_id(self) -> str | None:
        value = self.params.get("chat_id")
        return None if value is None else str(value)

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def thread(self) -> str | None:
        value = self.params.get("message_thread_id")
        return None if value is None else str(value)

    @property
    def markup(self) -> dict[str, Any]:
        value = self.params.get("reply_markup")
        return value if isinstance(value, dict) else {}

    def button(self, label: str) -> str:
        """The callback_data of the inline button with this label."""
        for row in self.markup.get("inline_keyboard", []):
            for button in row:
                if button["text"] == label:
                    return str(button["callback_data"])
        labels = [b["text"] for row in self.markup.get("inline_keyboard", []) for b in row]
        raise AssertionError(f"no button {label!r} in {labels}")


@dataclass
class Failure:
    method: str
    code: int
    description: str
    chat_id: str | None
    times: int
    retry_after: int | None = None
    migrate_to: int | None = None


def _decode(value: str) -> Any:
    """PTB posts form fields whose non-string values are JSON (markup, entities)."""
    if value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class FakeBotApi:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.admins: dict[str, list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(5000)
        self._failures: list[Failure] = []
        self._changed = asyncio.Condition()
        self._new_update = asyncio.Event()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._arrivals: dict[int, float] = {}
        """Per connection (file descriptor): when its last bytes were received (wall time)."""
        self.port = 0
        self.latency = 0.0
        """Seconds every send waits before it is answered (a slow API); it is recorded at once."""
        self.limits: Limits | None = None
        """Telegram's flood limits, enforced once a test calls `enforce_limits`."""

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> FakeBotApi:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = _listener(self._arrivals)
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.port = sock.getsockname()[1]
        return self

    async def close(self) -> None:
        self._closing.set()
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- what tests set up --------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        self._new_update.set()
        return update

    def fail(
        self,
        method: str,
        code: int,
        description: str,
        *,
        chat_id: object = None,
        times: int = 1,
        retry_after: int | None = None,
        migrate_to: int | None = None,
    ) -> None:
        self._failures.append(
            Failure(
                method,
                code,
                description,
                None if chat_id is None else str(chat_id),
                times,
                retry_after,
                migrate_to,
            )
        )

    def enforce_limits(self, per_second: int = 30, per_group_per_minute: int = 20) -> Limits:
        self.limits = Limits(per_second, per_group_per_minute)
        return self.limits

    def set_admins(
        self, chat_id: object, *users: dict[str, Any], owner: dict[str, Any] | None = None
    ) -> None:
        members: list[dict[str, Any]] = []
        if owner is not None:
            members.append({"status": "creator", "user": owner, "is_anonymous": False})
        for user in users:
            members.append(
                {
                    "status": "administrator",
                    "user": user,
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                }
            )
        self.admins[str(chat_id)] = members

    # --- what tests look at -------------------------------------------------------------------

    def of(self, *methods: str, chat_id: object = None, ok: bool = True) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method in methods
            and (not ok or not c.failed)
            and (chat_id is None or c.chat_id == str(chat_id))
        ]

    def sent(self, chat_id: object = None) -> list[Call]:
        """Messages and documents that went out successfully."""
        return self.of(*SENDS, chat_id=chat_id)

    def mark(self) -> int:
        return len(self.calls)

    def since(self, mark: int, *methods: str) -> list[Call]:
        wanted = methods or SENDS
        return [c for c in self.calls[mark:] if c.method in wanted and not c.failed]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] = lambda c: True,
    ) -> list[Call]:
        def matches() -> list[Call]:
            return [c for c in self.calls if c.method == method and not c.failed and where(c)]

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(matches()) >= count), timeout)
        return matches()

    # --- the Bot API --------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request.method == "POST":
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, str):
                    params[key] = _decode(value)
                else:
                    files[key] = (value.filename, value.file.read())
        call = Call(method, params, files, at=self._arrived(request))
        failure = self._failure_for(call)
        if failure is None and self.limits is not None and method.startswith(COUNTED):
            wait = self.limits.refuse(call)
            if wait is not None:
                failure = Failure(
                    method, 429, f"Too Many Requests: retry after {wait}", None, 1, wait
                )
        if failure is not None:
            call.failed = True
            await self._record(call)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.code,
                "description": failure.description,
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            if failure.migrate_to is not None:
                body["parameters"] = {"migrate_to_chat_id": failure.migrate_to}
            return web.json_response(body, status=failure.code)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            await self._record(call)
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
                status=404,
            )
        if method == "getUpdates":  # a long poll: visible while it waits
            await self._record(call)
            call.result = await handler(params, files)
        elif method in SENDS and self.latency:  # received now, answered late
            call.result = await handler(params, files)
            await self._record(call)
            await asyncio.sleep(self.latency)
        else:
            call.result = await handler(params, files)
            await self._record(call)
        return web.json_response({"ok": True, "result": call.result})

    def _arrived(self, request: web.Request) -> float:
        """When the request's last bytes reached this machine (monotonic), as the kernel
        stamped them; when it did not, now."""
        wall, now = time.time(), time.monotonic()
        sock = request.transport.get_extra_info("socket") if request.transport else None
        received = None if sock is None else self._arrivals.get(sock.fileno())
        return now if received is None else now - max(0.0, wall - received)

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _failure_for(self, call: Call) -> Failure | None:
        for failure in self._failures:
            if (
                failure.times > 0
                and failure.method == call.method
                and (failure.chat_id is None or failure.chat_id == call.chat_id)
            ):
                failure.times -= 1
                return failure
        return None

    async def _m_getMe(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return {
            **BOT_USER,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getUpdates(self, params: dict[str, Any], files: Any) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 10.0)
        self._updates = [
            u
            for u in self._updates
            if not isinstance(u["update_id"], int) or u["update_id"] >= offset
        ]
        if not self._updates and timeout > 0 and not self._closing.is_set():
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout)
            except TimeoutError:
                pass
        limit = int(params.get("limit") or 100)
        served = [
            u
            for u in self._updates
            if not isinstance(u["update_id"], int) or u["update_id"] >= offset
        ][:limit]
        # an id that is not a number cannot be confirmed by an offset: served once, then gone
        self._updates = [u for u in self._updates if isinstance(u["update_id"], int)]
        return served

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        if chat_id > 0:
            chat["first_name"] = "Iemand"
        else:
            chat["title"] = "Groep"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
        }
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = int(params["message_thread_id"])
            message["is_topic_message"] = True
        return message

    async def _m_sendMessage(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return {**self._message(params), "text": params.get("text", "")}

    async def _m_sendDocument(
        self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        name, content = files.get("document", ("document", b""))
        message = {
            **self._message(params),
            "document": {
                "file_id": "doc-1",
                "file_unique_id": "doc-u1",
                "file_name": name,
                "file_size": len(content),
            },
        }
        if params.get("caption"):
            message["caption"] = params["caption"]
        return message

    async def _m_sendPhoto(
        self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        """Like Telegram: the photo comes as multipart; the answer lists its sizes."""
        name, content = files.get("photo", ("photo", b""))
        if not content.startswith(b"\x89PNG") and not content.startswith(b"\xff\xd8"):
            raise web.HTTPBadRequest(
                text=json.dumps(
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: IMAGE_PROCESS_FAILED",
                    }
                ),
                content_type="application/json",
            )
        message = {
            **self._message(params),
            "photo": [
                {
                    "file_id": "photo-1",
                    "file_unique_id": "photo-u1",
                    "width": 320,
                    "height": 320,
                    "file_size": len(content),
                }
            ],
        }
        if params.get("caption"):
            message["caption"] = params["caption"]
        return message

    async def _m_editMessageText(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        """The message as edited (the fake keeps no history: tests read the calls)."""
        return {
            **self._message(params),
            "message_id": int(params["message_id"]),
            "text": params.get("text", ""),
            "edit_date": int(time.time()),
        }

    async def _m_getChatAdministrators(self, params: dict[str, Any], files: Any) -> list[Any]:
        return self.admins.get(str(params.get("chat_id")), [])

    async def _m_getChat(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        return {
            "id": chat_id,
            "type": "private" if chat_id > 0 else "supergroup",
            "accent_color_id": 0,
            "max_reaction_count": 11,
        }

    async def _m_setWebhook(self, params: dict[str, Any], files: Any) -> bool:
        self.webhook = params
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any], files: Any) -> bool:
        self.webhook = None
        return True

    async def _ok(self, params: dict[str, Any], files: Any) -> bool:
        return True

    _m_answerCallbackQuery = _ok
    _m_setMyCommands = _ok
    _m_editMessageReplyMarkup = _ok
    _m_close = _ok
    _m_logOut = _ok
