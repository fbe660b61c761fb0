"""A fake Slack: the Web API methods Kletspot calls (views.open checks Block Kit's limits,
oauth.v2.access hands out one bot token per workspace), response_url posts, and a Socket Mode
WebSocket; plus a sender that signs requests exactly as Slack does.

Every call is recorded (method and parsed body: query, form or JSON), and a method can be told
to fail once (or a few times) with an error code, an HTTP status and headers such as Retry-After.
`enforce_limits` makes it refuse messages over the posting limits with 429, as Slack does.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

TEAM = "T1"
BOT_USER = "UBOT"
BOT_ID = "BBOT"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-for-tests"


@dataclass
class Call:
    method: str
    data: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)
    """When it arrived: to check a pace."""
    refused: bool = False
    """Answered 429 by the enforced limits."""


MESSAGES = ("chat.postMessage", "chat.postEphemeral", "files.completeUploadExternal")
"""Web API methods that put a message into a conversation (a response_url post is one too)."""


@dataclass
class Limits:
    """Slack's posting limits as Kletspot declares them (`SEND_LIMITS` in adapters/slack/limits.py:
    4 messages a second per workspace, 60 a minute per channel), each a sliding window; one more
    is refused with HTTP 429, `{"ok": false, "error": "ratelimited"}` and Retry-After, as Slack
    answers (api.slack.com/apis/rate-limits). Per workspace: every message (chat.postMessage,
    chat.postEphemeral, a shared file, a response_url post). Per channel: what everyone there
    sees (chat.postMessage, a shared file; Slack's "1 per second per channel, short bursts
    allowed"); an ephemeral message counts for the workspace only (chat.postEphemeral is Tier 4,
    per workspace)."""

    per_second: int = 4
    per_channel_per_minute: int = 60
    arrivals: dict[str, list[float]] = field(default_factory=dict)
    by_channel: dict[str, list[float]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    """Each 429 answered: 'workspace <id>' or 'channel <id>'."""

    def refuse(self, team: str, channel: str | None, now: float) -> int | None:
        """Seconds to retry after, or None when the message is within the limits (counted)."""
        sent = [t for t in self.arrivals.get(team, []) if now - t < 1.0]
        self.arrivals[team] = sent
        if len(sent) >= self.per_second:
            self.refused.append(f"workspace {team}")
            return 1
        if channel is not None:
            there = [t for t in self.by_channel.get(channel, []) if now - t < 60.0]
            self.by_channel[channel] = there
            if len(there) >= self.per_channel_per_minute:
                self.refused.append(f"channel {channel}")
                return max(1, int(60.0 - (now - there[0])) + 1)
            there.append(now)
        sent.append(now)
        return None


@dataclass
class Failure:
    error: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1
    skip: int = 0
    """Calls that still succeed before this failure starts."""


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []
        """Bodies posted to response_url."""
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, str] = {}
        self.failures: dict[str, list[Failure]] = {}
        self.socket_received: list[dict[str, Any]] = []
        self.uploads: dict[str, bytes] = {}
        """Bytes posted to an upload URL, by file id."""
        self.refuse_uploads: int | None = None
        """An HTTP status the upload URL answers with instead of 200 (a refused file)."""
        self._file_ids = itertools.count(1)
        self.holds: dict[str, asyncio.Event] = {}
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._ws: web.WebSocketResponse | None = None
        self._ws_ready = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.views: dict[str, dict[str, Any]] = {}
        """Modals opened with views.open, by view id."""
        self.codes: dict[str, tuple[str, str]] = {}
        """OAuth code -> (team id, bot token) that oauth.v2.access hands out."""
        self.tokens: dict[str, str] = {}
        """bot token -> team id, for auth.test."""
        self.refresh: dict[str, str] = {}
        """refresh token -> team id (token rotation)."""
        self.raws: dict[str, tuple[int, str]] = {}
        """method -> (status, body) answered once as-is, labelled JSON (a proxy's error page)."""
        self.limits: Limits | None = None
        """Slack's posting limits, enforced once a test calls `enforce_limits`."""

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/ws", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{key}"

    # --- test controls --------------------------------------------------------------------

    def user(self, user_id: str, name: str, admin: bool = False, owner: bool = False) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM,
            "name": name.lower(),
            "real_name": name,
            "is_admin": admin,
            "is_owner": owner,
            "is_bot": False,
            "profile": {"display_name": name, "real_name": name},
        }

    def fail(
        self,
        method: str,
        error: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
        times: int = 1,
        skip: int = 0,
    ) -> None:
        self.failures.setdefault(method, []).append(
            Failure(error, status, headers or {}, times, skip)
        )

    def enforce_limits(self, per_second: int = 4, per_channel_per_minute: int = 60) -> Limits:
        self.limits = Limits(per_second, per_channel_per_minute)
        return self.limits

    def sent(self) -> list[Call]:
        """Messages Slack took (not refused): Web API messages; response_url posts are in
        `responses`."""
        return [c for c in self.calls if c.method in MESSAGES and not c.refused]

    def hold(self, method: str) -> asyncio.Event:
        """The next call of `method` waits for the returned event before it is answered."""
        gate = asyncio.Event()
        self.holds[method] = gate
        return gate

    def install_code(self, code: str, team: str, token: str) -> None:
        """The code Slack's authorize page would send back for `team`."""
        self.codes[code] = (team, token)

    def files(self) -> list[tuple[dict[str, Any], bytes]]:
        """Completed uploads: the completeUploadExternal call and the bytes of its file."""
        done = []
        for data in self.of("files.completeUploadExternal"):
            for item in json.loads(data["files"]):
                done.append(({**data, **item}, self.uploads.get(item["id"], b"")))
        return done

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.data for c in self.calls if c.method == method]

    def posts(self) -> list[dict[str, Any]]:
        """Everything a user could see: messages, ephemerals, response_url posts."""
        return [
            c.data for c in self.calls if c.method in ("chat.postMessage", "chat.postEphemeral")
        ] + self.responses

    async def wait_for(
        self, method: str, count: int = 1, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.of(method)) >= count)
        return self.of(method)

    # --- the Web API ----------------------------------------------------------------------

    async def _record(
        self, call: Call | None = None, response: dict[str, Any] | None = None
    ) -> None:
        async with self._changed:
            if call is not None:
                self.calls.append(call)
            if response is not None:
                self.responses.append(response)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        data: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                data.update(await request.json())
            else:
                data.update(dict(await request.post()))
        auth = request.headers.get("Authorization", "")
        call = Call(method, data, auth.removeprefix("Bearer ") or None)
        if self.limits is not None and method in MESSAGES:
            wait = self._over_limits(call)
            if wait is not None:
                return self._ratelimited(wait)
        await self._record(call)
        if method in self.holds:
            await self.holds.pop(method).wait()
        if method in self.raws:
            status, text = self.raws.pop(method)
            return web.Response(status=status, text=text, content_type="application/json")
        queue = self.failures.get(method)
        if queue and queue[0].skip > 0:
            queue[0].skip -= 1
        elif queue:
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return web.json_response(
                {"ok": False, "error": failure.error},
                status=failure.status,
                headers=failure.headers,
            )
        return web.json_response(self._answer(method, data))

    def _answer(self, method: str, data: dict[str, Any]) -> dict[str, Any]:
        ts = f"{1772449200 + next(self._ts)}.000100"
        if method == "auth.test":
            token = str(data.get("token") or self.calls[-1].token or "")
            if self.tokens and token not in self.tokens:
                return {"ok": False, "error": "invalid_auth"}
            return {
                "ok": True,
                "url": "https://kletspot-test.slack.com/",
                "team": "Test",
                "user": "kletspot",
                "team_id": self.tokens.get(token, TEAM),
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
            }
        if method == "oauth.v2.access":
            # shape: https://api.slack.com/methods/oauth.v2.access (example response)
            basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            given = self.calls[-1].token or ""
            if data.get("grant_type") == "refresh_token":  # token rotation
                team = self.refresh.pop(str(data.get("refresh_token")), None)
                if team is None or given != f"Basic {basic}":
                    return {"ok": False, "error": "invalid_refresh_token"}
                token, refresh = f"xoxe.xoxb-{team}-{len(self.tokens)}", f"xoxe-r{len(self.tokens)}"
                self.tokens[token] = team
                self.refresh[refresh] = team
                return {
                    "ok": True,
                    "app_id": "A1",
                    "access_token": token,
                    "token_type": "bot",
                    "expires_in": 43200,
                    "refresh_token": refresh,
                    "bot_user_id": BOT_USER,
                    "team": {"id": team, "name": f"Team {team}"},
                    "enterprise": None,
                    "is_enterprise_install": False,
                    "scope": "commands,chat:write",
                }
            found = self.codes.pop(str(data.get("code")), None)
            if found is None or (
                given != f"Basic {basic}" and data.get("client_secret") != CLIENT_SECRET
            ):
                return {"ok": False, "error": "invalid_code"}
            team, token = found
            self.tokens[token] = team
            rotation: dict[str, Any] = {}
            if token.startswith("xoxe."):  # the app has token rotation on: expires soon
                rotation = {"expires_in": 60, "refresh_token": f"xoxe-r-{team}"}
                self.refresh[rotation["refresh_token"]] = team
            return {
                "ok": True,
                "access_token": token,
                "token_type": "bot",
                **rotation,
                "scope": "commands,chat:write,im:history,im:write,users:read",
                "bot_user_id": BOT_USER,
                "app_id": "A1",
                "team": {"name": f"Team {team}", "id": team},
                "enterprise": None,
                "is_enterprise_install": False,
                "authed_user": {"id": "U1", "scope": "", "token_type": "user"},
            }
        if method == "views.open":
            view = data.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            problems = view_problems(view) if isinstance(view, dict) else ["no view"]
            if not data.get("trigger_id") or problems:
                return {
                    "ok": False,
                    "error": "invalid_arguments",
                    "response_metadata": {"messages": problems},
                }
            view_id = f"V{len(self.views) + 1:04d}"
            self.views[view_id] = {"id": view_id, **view}
            return {"ok": True, "view": self.views[view_id]}
        if method == "users.info":
            user_id = str(data.get("user"))
            user = self.users.get(user_id) or {
                "id": user_id,
                "team_id": TEAM,
                "name": user_id.lower(),
                "real_name": user_id,
                "is_admin": False,
                "is_owner": False,
                "profile": {"display_name": "", "real_name": user_id},
            }
            return {"ok": True, "user": user}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(data.get("users"))}}
        if method == "conversations.info":
            channel = str(data.get("channel"))
            return {
                "ok": True,
                "channel": {"id": channel, "name": self.channels.get(channel, "algemeen")},
            }
        if method == "chat.postMessage":
            return {
                "ok": True,
                "channel": data.get("channel"),
                "ts": ts,
                "message": {"text": data.get("text"), "ts": ts},
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V1", **(data.get("view") or {})}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._file_ids):04d}"
            if not data.get("filename") or not str(data.get("length", "")).isdigit():
                return {"ok": False, "error": "invalid_arguments"}
            return {
                "ok": True,
                "file_id": file_id,
                "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
            }
        if method == "files.completeUploadExternal":
            items = json.loads(str(data.get("files") or "[]"))
            if not items or any(i.get("id") not in self.uploads for i in items):
                return {"ok": False, "error": "file_not_found"}
            return {
                "ok": True,
                "files": [{"id": i["id"], "title": i.get("title", "")} for i in items],
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/ws"}
        return {"ok": False, "error": "unknown_method"}

    def _over_limits(self, call: Call) -> int | None:
        """Checks `call` against the limits; refused calls are recorded as such."""
        assert self.limits is not None
        team = self.tokens.get(call.token or "", TEAM)
        channel = call.data.get("channel") or call.data.get("channel_id")
        visible = call.method != "chat.postEphemeral" and bool(channel)
        wait = self.limits.refuse(team, str(channel) if visible else None, call.at)
        if wait is not None:
            call.refused = True
            self.calls.append(call)
        return wait

    @staticmethod
    def _ratelimited(wait: int) -> web.Response:
        return web.json_response(
            {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(wait)}
        )

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL: Slack takes the raw bytes (or a multipart form) and says OK."""
        body = await request.read()
        if self.refuse_uploads is not None:
            return web.Response(status=self.refuse_uploads, text="refused")
        async with self._changed:
            self.uploads[request.match_info["file_id"]] = body
            self._changed.notify_all()
        return web.Response(text="OK - " + str(len(body)))

    async def _response(self, request: web.Request) -> web.Response:
        """A response_url post: it counts for the workspace's limit (the fake does not know
        which channel a response_url belongs to)."""
        arrived = time.monotonic()
        body = await request.json()
        if self.limits is not None:
            wait = self.limits.refuse(TEAM, None, arrived)
            if wait is not None:
                return self._ratelimited(wait)
        await self._record(response={"url_key": request.match_info["key"], **body})
        return web.Response(text="ok")

    # --- Socket Mode ----------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}
        )
        self._ws_ready.set()
        async for message in ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                async with self._changed:
                    self.socket_received.append(json.loads(message.data))
                    self._changed.notify_all()
        return ws

    async def push(self, envelope: dict[str, Any], timeout: float = 5.0) -> None:
        async with asyncio.timeout(timeout):
            await self._ws_ready.wait()
        assert self._ws is not None
        await self._ws.send_json(envelope)

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> None:
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(
                    lambda: any(m.get("envelope_id") == envelope_id for m in self.socket_received)
                )


# --- Block Kit's limits, as Slack checks them on views.open -------------------------------------


def _text_len(obj: Any) -> int:
    return len(obj.get("text", "")) if isinstance(obj, dict) else 0


def view_problems(view: dict[str, Any]) -> list[str]:
    """What Slack would refuse in a modal (Block Kit reference: view, section, input,
    plain_text_input)."""
    problems = []
    if view.get("type") != "modal":
        problems.append("type must be modal")
    for key in ("title", "submit", "close"):
        if key in view and not 0 < _text_len(view[key]) <= 24:
            problems.append(f"{key} must be 1..24 characters")
    if not 0 < _text_len(view.get("title")) <= 24:
        problems.append("title required")
    if len(str(view.get("private_metadata", ""))) > 3000:
        problems.append("private_metadata over 3000")
    if len(str(view.get("callback_id", ""))) > 255:
        problems.append("callback_id over 255")
    blocks = view.get("blocks") or []
    if not 0 < len(blocks) <= 100:
        problems.append("1..100 blocks")
    has_input = False
    for block in blocks:
        kind = block.get("type")
        if kind == "section" and not 0 < _text_len(block.get("text")) <= 3000:
            problems.append("section text 1..3000")
        elif kind == "context" and not 0 < len(block.get("elements") or []) <= 10:
            problems.append("context 1..10 elements")
        elif kind == "input":
            has_input = True
            element = block.get("element") or {}
            if not 0 < _text_len(block.get("label")) <= 2000:
                problems.append("input label 1..2000")
            if len(str(block.get("block_id", ""))) > 255:
                problems.append("block_id over 255")
            problems += element_problems(element)
        elif kind not in ("section", "context", "actions", "divider", "header", "input"):
            problems.append(f"unknown block {kind}")
    if has_input and "submit" not in view:
        problems.append("an input needs a submit button")
    return problems


def element_problems(element: dict[str, Any]) -> list[str]:
    """An input block's element (Block Kit reference: plain_text_input, datepicker, timepicker,
    static_select, multi_static_select, checkboxes, users_select)."""
    kind = element.get("type")
    problems: list[str] = []
    if kind == "plain_text_input":
        limit = element.get("max_length", 3000)
        if limit > 3000 or len(element.get("initial_value", "")) > limit:
            problems.append("plain_text_input over its max_length")
    elif kind == "datepicker":
        if "initial_date" in element and not re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", element["initial_date"]
        ):
            problems.append("initial_date must be YYYY-MM-DD")
    elif kind == "timepicker":
        if "initial_time" in element and not re.fullmatch(r"\d{2}:\d{2}", element["initial_time"]):
            problems.append("initial_time must be HH:mm")
    elif kind in ("static_select", "multi_static_select", "checkboxes"):
        options = element.get("options") or []
        most = 10 if kind == "checkboxes" else 100
        if not 0 < len(options) <= most:
            problems.append(f"{kind} needs 1..{most} options")
        values = [o.get("value") for o in options]
        if len(set(values)) != len(values):
            problems.append("option values must be unique")
        for option in options:
            if not 0 < _text_len(option.get("text")) <= 75 or len(option.get("value", "")) > 150:
                problems.append("option text 1..75, value up to 150")
        chosen = [element["initial_option"]] if "initial_option" in element else []
        chosen += element.get("initial_options") or []
        if any(c not in options for c in chosen):
            problems.append("an initial option must be one of the options")
    elif kind != "users_select":
        problems.append(f"unknown element {kind}")
    if not element.get("action_id") or len(element["action_id"]) > 255:
        problems.append("action_id 1..255")
    return problems


# --- signing requests as Slack does ------------------------------------------------------------


def signature(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackSender:
    """Posts to the app's /slack/events like Slack: signed, form-encoded or JSON."""

    def __init__(
        self, url: str, session: aiohttp.ClientSession, fake: FakeSlack, secret: str = SECRET
    ) -> None:
        self.url = url
        self.session = session
        self.fake = fake
        self.secret = secret
        self._ids = itertools.count(1)

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(secret or self.secret, ts, body),
            **(headers or {}),
        }
        async with self.session.post(self.url, data=body.encode(), headers=all_headers) as resp:
            return resp.status, await resp.text()

    async def command(
        self,
        text: str,
        *,
        user: str = "U1",
        user_name: str = "anne",
        channel: str = "C1",
        channel_name: str = "team",
        team: str = TEAM,
        **kw: Any,
    ) -> tuple[int, str]:
        form = {
            "token": "legacy",
            "team_id": team,
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": channel_name,
            "user_id": user,
            "user_name": user_name,
            "command": "/kletspot",
            "text": text,
            "api_app_id": "A1",
            "is_enterprise_install": "false",
            "response_url": self.fake.response_url(f"cmd{next(self._ids)}"),
            "trigger_id": f"13345224609.{next(self._ids)}.8088930838d88f008e0",
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **kw)

    async def press(
        self,
        value: str,
        *,
        user: str = "U1",
        user_name: str = "anne",
        channel: str | None = "C1",
        team: str = TEAM,
        ephemeral: bool = False,
        view: dict[str, Any] | None = None,
        thread_ts: str | None = None,
        action_id: str = "k0",
        trigger_id: str | None = None,
        **kw: Any,
    ) -> tuple[int, str]:
        payload: dict[str, Any] = {
            "type": "block_actions",
            "api_app_id": "A1",
            "token": "legacy",
            "team": {"id": team, "domain": "test"},
            "user": {"id": user, "username": user_name, "name": user_name, "team_id": team},
            "trigger_id": trigger_id or f"13345224609.{next(self._ids)}.8088930838d88f008e0",
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "b1",
                    "value": value,
                    "type": "button",
                    "text": {"type": "plain_text", "text": "knop"},
                    "action_ts": "1772449300.000200",
                }
            ],
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
            payload["view"] = view
        else:
            container = {
                "type": "message",
                "message_ts": "1772449201.000100",
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            }
            if thread_ts:
                container["thread_ts"] = thread_ts
            payload["container"] = container
            payload["channel"] = {"id": channel, "name": "team"}
            payload["response_url"] = self.fake.response_url(f"btn{next(self._ids)}")
            if not ephemeral:
                payload["message"] = {
                    "type": "message",
                    "ts": "1772449201.000100",
                    "text": "…",
                    "user": BOT_USER,
                }
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kw
        )

    async def submit(
        self,
        view: dict[str, Any],
        text: str | None,
        *,
        user: str = "U1",
        team: str = TEAM,
        trigger_id: str | None = None,
        state: dict[str, Any] | None = None,
        **kw: Any,
    ) -> tuple[int, str]:
        """A view_submission of a modal the fake opened, with `text` typed in its input (shape:
        bolt-python tests/scenario_tests_async/test_view_submission.py), or `state` as Slack
        sends view.state.values for other elements."""
        values: dict[str, Any] = dict(state or {})
        for block in view.get("blocks") or []:
            if block.get("type") == "input" and text is not None and state is None:
                action = block["element"]["action_id"]
                values[block["block_id"]] = {action: {"type": "plain_text_input", "value": text}}
        payload = {
            "type": "view_submission",
            "team": {"id": team, "domain": "test"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
            "api_app_id": "A1",
            "token": "legacy",
            "trigger_id": trigger_id or f"13345224609.{next(self._ids)}.8088930838d88f008e0",
            "view": {
                "id": view.get("id", "V0"),
                "team_id": team,
                "type": "modal",
                "blocks": view.get("blocks") or [],
                "private_metadata": view.get("private_metadata", ""),
                "callback_id": view.get("callback_id", ""),
                "state": {"values": values},
                "hash": "1596530361.3wRYuk3R",
                "title": view.get("title"),
                "clear_on_close": False,
                "notify_on_close": False,
                "close": view.get("close"),
                "submit": view.get("submit"),
                "previous_view_id": None,
                "root_view_id": view.get("id", "V0"),
                "app_id": "A1",
                "external_id": "",
                "app_installed_team_id": team,
                "bot_id": BOT_ID,
            },
            "response_urls": [],
            "is_enterprise_install": False,
        }
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kw
        )

    async def shortcut(
        self,
        text: str | None,
        *,
        author: str | None = "U2",
        user: str = "U1",
        channel: str = "C1",
        team: str = TEAM,
        callback_id: str = "kletspot.bewaar",
        bot_id: str | None = None,
        **kw: Any,
    ) -> tuple[int, str]:
        """A message shortcut on a channel message (shape: bolt-python
        tests/scenario_tests_async/test_shortcut.py, message_shortcut_body)."""
        message: dict[str, Any] = {
            "client_msg_id": "zzzz-111-222-xxx-yyy",
            "type": "message",
            "ts": "1583636382.000300",
            "team": team,
        }
        if text is not None:
            message["text"] = text
        if author is not None:
            message["user"] = author
        if bot_id is not None:
            message["bot_id"] = bot_id
        payload = {
            "type": "message_action",
            "token": "legacy",
            "action_ts": "1583637157.207593",
            "team": {"id": team, "domain": "test"},
            "user": {"id": user, "name": user.lower()},
            "channel": {"id": channel, "name": "team"},
            "callback_id": callback_id,
            "trigger_id": f"13345224609.{next(self._ids)}.8088930838d88f008e0",
            "message_ts": "1583636382.000300",
            "message": message,
            "response_url": self.fake.response_url(f"sc{next(self._ids)}"),
        }
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kw
        )

    def envelope(
        self, event: dict[str, Any], *, event_id: str | None = None, team: str = TEAM
    ) -> dict[str, Any]:
        return {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": BOT_USER, "is_bot": True}],
        }

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        team: str = TEAM,
        retry: int | None = None,
        **kw: Any,
    ) -> tuple[int, str]:
        headers = dict(kw.pop("headers", None) or {})
        if retry is not None:
            headers.update(
                {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            )
        body = json.dumps(self.envelope(event, event_id=event_id, team=team))
        return await self.post(body, "application/json", headers=headers, **kw)

    async def dm(
        self, text: str, *, user: str = "U1", channel: str | None = None, **extra: Any
    ) -> tuple[int, str]:
        event = {
            "type": "message",
            "channel": channel or f"D{user}",
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
            "channel_type": "im",
            **extra,
        }
        return await self.event(event)
