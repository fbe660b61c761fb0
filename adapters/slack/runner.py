"""Starting Slack: Socket Mode with an app token, or HTTP with a signing secret.

    SLACK_BOT_TOKEN + SLACK_APP_TOKEN (xapp-)   Socket Mode, no public URL needed
    SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET      HTTP: POST /slack/events on SLACK_PORT (3000)
    SLACK_API_URL                               Web API base URL (GovSlack, tests)
    SLACK_HOST                                  HTTP bind address (default 0.0.0.0)

`serve(engine, env, stop, on_ready)` runs until `stop` is set; `on_ready` receives the
`SlackDeliverer` for the scheduler once Slack is reachable. `SlackAdapter` is the same with
explicit `start()` / `stop()`, for tests and for running next to other adapters.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import SlackBot, quiet_logger
from adapters.slack.limits import direct_retry_handlers, single_attempt_handlers
from adapters.slack.outbound import SlackDeliverer
from bot.core.engine import Engine
from bot.core.platform import OnReady as PlatformReady

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
DEFAULT_PORT = 3000


OnReady = Callable[[SlackDeliverer], Awaitable[None] | None]


class SlackConfigError(ValueError):
    """The environment does not describe a way to run Slack (message in Dutch, for operators)."""


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str
    app_token: str | None = None
    signing_secret: str | None = None
    port: int = DEFAULT_PORT
    host: str = "0.0.0.0"
    api_url: str = DEFAULT_API_URL

    @property
    def mode(self) -> str:
        return "socket" if self.app_token else "http"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SlackSettings:
        bot = (env.get("SLACK_BOT_TOKEN") or "").strip()
        app = (env.get("SLACK_APP_TOKEN") or "").strip() or None
        secret = (env.get("SLACK_SIGNING_SECRET") or "").strip() or None
        if not bot:
            raise SlackConfigError("SLACK_BOT_TOKEN ontbreekt (het bot-token begint met xoxb-).")
        if app is not None and not app.startswith("xapp-"):
            raise SlackConfigError("SLACK_APP_TOKEN moet een app-token zijn dat begint met xapp-.")
        if app is None and secret is None:
            raise SlackConfigError(
                "Zet SLACK_APP_TOKEN (Socket Mode) of SLACK_SIGNING_SECRET (HTTP) naast "
                "SLACK_BOT_TOKEN.")
        port_text = (env.get("SLACK_PORT") or str(DEFAULT_PORT)).strip()
        if not port_text.isdigit() or int(port_text) > 65535:
            raise SlackConfigError(f"SLACK_PORT is geen geldige poort: {port_text[:20]}")
        api_url = (env.get("SLACK_API_URL") or DEFAULT_API_URL).strip()
        if not api_url.endswith("/"):
            api_url += "/"
        return cls(bot, app, secret, int(port_text),
                   (env.get("SLACK_HOST") or "0.0.0.0").strip(), api_url)


def configured(env: Mapping[str, str]) -> bool:
    """Whether the environment asks for Slack at all (a bot token is set)."""
    return bool((env.get("SLACK_BOT_TOKEN") or "").strip())


class SlackAdapter:
    def __init__(self, engine: Engine, settings: SlackSettings) -> None:
        self.settings = settings
        sdk_logger = quiet_logger("kletspot.slack.sdk")
        self.client = AsyncWebClient(token=settings.bot_token, base_url=settings.api_url,
                                     logger=sdk_logger, retry_handlers=direct_retry_handlers())
        deliver_client = AsyncWebClient(token=settings.bot_token, base_url=settings.api_url,
                                        logger=sdk_logger,
                                        retry_handlers=single_attempt_handlers())
        self.bot = SlackBot(engine, self.client,
                            signing_secret=settings.signing_secret or "",
                            verify_requests=settings.mode == "http")
        self.deliverer = SlackDeliverer(deliver_client, engine, self.bot.workspaces)
        self.team_id: str | None = None
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None

    @property
    def app(self) -> AsyncApp:
        """The Bolt app, for embedding in another aiohttp server (see `web_app`)."""
        return self.bot.app

    def web_app(self) -> web.Application:
        """All Slack requests (commands, interactivity, events) on one path, as Slack sends
        them; Bolt verifies the signature and timestamp of each before anything else."""
        async def handle(request: web.Request) -> web.Response:
            bolt_request = await to_bolt_request(request)
            return await to_aiohttp_response(await self.bot.app.async_dispatch(bolt_request))

        application = web.Application(client_max_size=1024 ** 2)
        application.router.add_post(EVENTS_PATH, handle)
        return application

    async def start(self) -> None:
        identity = await self.client.auth_test()  # fails fast on a wrong token
        self.team_id = identity.get("team_id")
        self.bot.bot_user_id = identity.get("user_id")
        if self.settings.mode == "socket":
            self._socket = AsyncSocketModeHandler(self.bot.app, self.settings.app_token,
                                                  logger=quiet_logger("kletspot.slack.socket"))
            await self._socket.connect_async()  # type: ignore[no-untyped-call]  # slack_sdk leaves it unannotated
            log.info("slack started: mode=socket team=%s", self.team_id)
            return
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.host, self.settings.port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self.settings.port
        log.info("slack started: mode=http port=%s team=%s", self.port, self.team_id)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]  # slack_sdk leaves it unannotated
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        try:
            await self.bot.idle(timeout=5.0)
        except TimeoutError:
            log.warning("slack stopped with listeners still running")
        log.info("slack stopped")


async def serve(engine: Engine, env: Mapping[str, str], stop: asyncio.Event,
                on_ready: OnReady | None = None) -> None:
    """Run Slack until `stop` is set; `on_ready(deliverer)` is called once it is up."""
    adapter = SlackAdapter(engine, SlackSettings.from_env(env))
    await adapter.start()
    try:
        if on_ready is not None:
            result = on_ready(adapter.deliverer)
            if inspect.isawaitable(result):
                await result
        await stop.wait()
    finally:
        await adapter.stop()


class _Slack:
    name = "slack"

    def configured(self, env: Mapping[str, str]) -> bool:
        return configured(env)

    async def serve(self, engine: Engine, env: Mapping[str, str], stop: asyncio.Event,
                    on_ready: PlatformReady | None = None) -> None:
        await serve(engine, env, stop, on_ready)


PLATFORM = _Slack()
