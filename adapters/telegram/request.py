"""python-telegram-bot's HTTP requests over aiohttp (its official extension point,
`telegram.request.BaseRequest`), instead of its default httpx.

Why: the pace (`bot/core/pacing.py`) says when a message may leave and checks, as the send goes
on, that its slot has not passed. From there httpx yields to the event loop three times before
the socket (two pool locks, a checkpoint before the write), so on a busy loop a send left three
turns of other work after its slot, and two of Telegram's one-second windows could meet (a
429). aiohttp writes a request on a kept-alive connection without yielding on Python 3.12+ and
after one turn on 3.11 (its body goes in a task of its own there). It also costs about 0.4 ms
less CPU per call, and Slack's SDK already uses it: one HTTP client for both platforms.

Errors map as python-telegram-bot's own httpx request maps them: a timeout is `TimedOut` (it may
have arrived), any other failure `NetworkError` (mostly it did not; a connection that breaks
after the request was written is one too, as with httpx); Telegram's answers (4xx, 5xx) are
python-telegram-bot's to read. The bot token is in every URL: no error raised here holds it or
carries aiohttp's error (whose text may) along. The environment is honoured as httpx honoured
it: HTTPS_PROXY, ALL_PROXY and NO_PROXY; SSL_CERT_FILE and SSL_CERT_DIR (a company CA), else
certifi's bundle.
"""

from __future__ import annotations

import functools
import os
import ssl
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import certifi
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

CONNECTIONS = 256
"""Connections kept to the Bot API for sends: python-telegram-bot's own default for a bot."""
CONNECT_TIMEOUT = 5.0
"""Seconds to open a connection (python-telegram-bot's default)."""
KEEP_IDLE = 5.0
"""Seconds an idle connection is kept (httpx's default): a server closes idle ones in time,
and a connection it closed is found out only when the loop reads its close."""
POOL_TIMEOUT = 1.0
"""Seconds a request may wait for a free connection (python-telegram-bot's default)."""
MEDIA_WRITE_TIMEOUT = 20.0
"""Seconds to upload a file (a PDF, a picture), as python-telegram-bot allows by default."""


class AiohttpRequest(BaseRequest):
    """One connection pool to the Bot API; `connections=1` for the long poll."""

    __slots__ = ("_connections", "_proxies", "_read", "_session", "_write")

    def __init__(
        self,
        *,
        read_timeout: float = 5.0,
        write_timeout: float = 5.0,
        connections: int = CONNECTIONS,
    ) -> None:
        self._read = read_timeout
        self._write = write_timeout
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._connections, ssl=_tls(), keepalive_timeout=KEEP_IDLE
                ),
                headers={"User-Agent": self.USER_AGENT},
                skip_auto_headers=("Accept-Encoding",),  # as httpx: no compressed answers
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data is not None and request_data.contains_files
        read = self._read if isinstance(read_timeout, DefaultValue) else read_timeout
        write = (
            (MEDIA_WRITE_TIMEOUT if files else self._write)
            if isinstance(write_timeout, DefaultValue)
            else write_timeout
        )
        connect = CONNECT_TIMEOUT if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = POOL_TIMEOUT if isinstance(pool_timeout, DefaultValue) else pool_timeout
        # aiohttp has no write timeout: the whole call is bounded by the four together
        parts = (read, write, connect, pool)
        timeout = aiohttp.ClientTimeout(
            total=None if None in parts else sum(p for p in parts if p is not None),
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method,
                url,
                data=_body(request_data),
                timeout=timeout,
                allow_redirects=False,
                proxy=self._proxy_for(url),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut(f"Timed out (aiohttp.{type(exc).__name__})") from None
        except aiohttp.ClientError as exc:
            raise NetworkError(
                f"aiohttp.{type(exc).__name__}: {_without_token(exc, url)}"
            ) from None

    def _proxy_for(self, url: str) -> str | None:
        """The proxy the environment names for this address (HTTPS_PROXY, NO_PROXY, ...), as
        httpx honoured it; looked up once per host, because aiohttp's own `trust_env` asks on a
        thread at every request, which hands the loop to other work before the send."""
        scheme, _, rest = url.partition("://")
        host = rest.partition("/")[0]
        if host not in self._proxies:
            proxies = urllib.request.getproxies()
            proxy = proxies.get(scheme) or proxies.get("all")
            bypass = proxy is None or urllib.request.proxy_bypass(host.rpartition(":")[0] or host)
            self._proxies[host] = None if bypass else proxy
        return self._proxies[host]


def _body(request_data: RequestData | None) -> Any:
    """The parameters as a form, as python-telegram-bot sends them; with files, multipart."""
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData(quote_fields=False)  # a file's name as it is, not %-encoded
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form


def _without_token(exc: Exception, url: str) -> str:
    """The error's text without the token: the part of the URL's path that holds a colon, as
    a bot token does (`/bot<token>/sendMessage`, or wherever TELEGRAM_API_BASE_URL puts it)."""
    text = str(exc)
    for part in urlsplit(url).path.split("/"):
        if ":" in part:
            text = text.replace(part.removeprefix("bot"), "<token>")
    return text


@functools.cache
def _tls() -> ssl.SSLContext:
    """Made once: loading the CA bundle takes a few milliseconds of the loop."""
    cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
    if cafile or capath:
        return ssl.create_default_context(cafile=cafile or None, capath=capath or None)
    return ssl.create_default_context(cafile=certifi.where())
