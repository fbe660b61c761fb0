"""Starting Slack: one workspace with a bot token (Socket Mode or HTTP), or any workspace that
installs the app (OAuth, HTTP).

    SLACK_BOT_TOKEN + SLACK_APP_TOKEN (xapp-)   Socket Mode, no public URL needed
    SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET      HTTP: POST /slack/events on SLACK_PORT (3000)
    SLACK_CLIENT_ID + SLACK_CLIENT_SECRET       OAuth: also GET /slack/install and
      + SLACK_SIGNING_SECRET                    /slack/oauth_redirect on SLACK_PORT
    SLACK_SCOPES                                OAuth: bot scopes (default: the manifest's)
    SLACK_REDIRECT_URI                          OAuth: when the app lists more than one
    SLACK_API_URL                               Web API base URL (GovSlack, tests), for every
                                                call including oauth.v2.access
    SLACK_HOST                                  HTTP bind address (default 0.0.0.0)

`serve(engine, env, stop, on_ready)` runs until `stop` is set; `on_ready` receives the
`SlackDeliverer` for the scheduler once Slack is reachable. `SlackAdapter` is the same with
explicit `start()` / `stop()`, for tests and for running next to other adapters.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import oauth
from adapters.slack.app import SlackBot, quiet_logger
from adapters.slack.gate import gate
from adapters.slack.installations import SlackInstallations, SlackOAuthStates
from adapters.slack.limits import direct_retry_handlers, single_attempt_handlers
from adapters.slack.outbound import SlackDeliverer, error_code
from bot.core.engine import Engine
from bot.core.platform import (
    EXIT_REFUSED,
    EXIT_SETTINGS,
    EXIT_UNREACHABLE,
    Platform,
    StartupError,
)

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
DEFAULT_PORT = 3000


OnReady = Callable[[SlackDeliverer], Awaitable[None] | None]


class SlackConfigError(StartupError, ValueError):
    """The environment does not describe a way to run Slack (message in Dutch, for operators)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_SETTINGS)


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str = ""
    app_token: str | None = None
    signing_secret: str | None = None
    port: int = DEFAULT_PORT
    host: str = "0.0.0.0"
    api_url: str = DEFAULT_API_URL
    client_id: str | None = None
    client_secret: str | None = None
    scopes: tuple[str, ...] = ()
    redirect_uri: str | None = None

    @property
    def mode(self) -> str:
        if self.client_id:
            return "oauth"
        return "socket" if self.app_token else "http"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SlackSettings:
        def get(name: str) -> str | None:
            return (env.get(name) or "").strip() or None

        bot, app, secret = (
            get("SLACK_BOT_TOKEN") or "",
            get("SLACK_APP_TOKEN"),
            get("SLACK_SIGNING_SECRET"),
        )
        client_id, client_secret = get("SLACK_CLIENT_ID"), get("SLACK_CLIENT_SECRET")
        port_text = (env.get("SLACK_PORT") or str(DEFAULT_PORT)).strip()
        if not port_text.isdigit() or int(port_text) > 65535:
            raise SlackConfigError(f"SLACK_PORT is geen geldige poort: {port_text[:20]}")
        api_url = (env.get("SLACK_API_URL") or DEFAULT_API_URL).strip()
        if not api_url.endswith("/"):
            api_url += "/"
        host = (env.get("SLACK_HOST") or "0.0.0.0").strip()
        if client_id or client_secret:
            if not (client_id and client_secret):
                raise SlackConfigError(
                    "Zet SLACK_CLIENT_ID en SLACK_CLIENT_SECRET allebei (Basic Information -> "
                    "App Credentials)."
                )
            if secret is None:
                raise SlackConfigError(
                    "SLACK_SIGNING_SECRET ontbreekt naast SLACK_CLIENT_ID "
                    "(Basic Information -> Signing Secret)."
                )
            if app is not None:
                raise SlackConfigError(
                    "Installeren in elke werkruimte (SLACK_CLIENT_ID) werkt "
                    "over HTTP: laat SLACK_APP_TOKEN weg."
                )
            scopes = tuple(
                s.strip() for s in (get("SLACK_SCOPES") or "").split(",") if s.strip()
            ) or tuple(oauth.manifest_scopes())
            return cls(
                "",
                None,
                secret,
                int(port_text),
                host,
                api_url,
                client_id,
                client_secret,
                scopes,
                get("SLACK_REDIRECT_URI"),
            )
        if not bot:
            raise SlackConfigError(
                "SLACK_BOT_TOKEN ontbreekt (het bot-token begint met xoxb-), "
                "of zet SLACK_CLIENT_ID en SLACK_CLIENT_SECRET."
            )
        if app is not None and not app.startswith("xapp-"):
            raise SlackConfigError("SLACK_APP_TOKEN moet een app-token zijn dat begint met xapp-.")
        if app is None and secret is None:
            raise SlackConfigError(
                "Zet SLACK_APP_TOKEN (Socket Mode) of SLACK_SIGNING_SECRET (HTTP) naast "
                "SLACK_BOT_TOKEN."
            )
        return cls(bot, app, secret, int(port_text), host, api_url)


def configured(env: Mapping[str, str]) -> bool:
    """Whether the environment asks for Slack at all (a bot token or an OAuth client id)."""
    return bool(
        (env.get("SLACK_BOT_TOKEN") or "").strip() or (env.get("SLACK_CLIENT_ID") or "").strip()
    )


def oauth_logger() -> logging.Logger:
    """Bolt's OAuth flow logs the one-time code when oauth.v2.access fails; only errors pass,
    and oauth.py logs each failure by its reason."""
    logger = logging.getLogger("kletspot.slack.oauth")
    logger.setLevel(logging.ERROR)
    return logger


async def _checked(call: Awaitable[Any], api_url: str | None) -> Any:
    """auth.test at start: a refused token or an unreachable API stops the process with one
    Dutch line and its own exit code, instead of a stack trace."""
    try:
        return await call
    except SlackApiError as exc:
        raise StartupError(
            f"Slack weigert de token (SLACK_BOT_TOKEN): {error_code(exc)}. Kijk "
            "hem na bij je app op api.slack.com.",
            EXIT_REFUSED,
        ) from exc
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        where = api_url or "slack.com"
        raise StartupError(
            f"Slack is niet bereikbaar via {where} ({type(exc).__name__}).", EXIT_UNREACHABLE
        ) from exc


class SlackAdapter:
    def __init__(self, engine: Engine, settings: SlackSettings, *, paced: bool = True) -> None:
        """`paced`: every message waits for its workspace's pace (`engine.paces`, shared by
        every process); False only where a test measures what Slack does without it."""
        self.settings = settings
        sdk_logger = quiet_logger("kletspot.slack.sdk")
        self.client = AsyncWebClient(
            token=settings.bot_token or None,
            base_url=settings.api_url,
            logger=sdk_logger,
            retry_handlers=direct_retry_handlers(),
        )

        def sending_client(token: str) -> AsyncWebClient:
            return AsyncWebClient(
                token=token,
                base_url=settings.api_url,
                logger=sdk_logger,
                retry_handlers=single_attempt_handlers(),
            )

        self.installations: SlackInstallations | None = None
        self.oauth_flow: oauth.DutchOAuthFlow | None = None
        if settings.mode == "oauth":
            assert settings.client_id and settings.client_secret
            self.installations = SlackInstallations(engine.db, settings.client_id)
            self.oauth_flow, authorize = oauth.build(
                client=self.client,
                client_id=settings.client_id,
                client_secret=settings.client_secret,
                scopes=settings.scopes,
                installations=self.installations,
                states=SlackOAuthStates(engine.db),
                api_url=settings.api_url,
                redirect_uri=settings.redirect_uri,
                on_installed=self._installed,
                logger=oauth_logger(),
            )
            self.bot = SlackBot(
                engine,
                self.client,
                signing_secret=settings.signing_secret or "",
                oauth_flow=self.oauth_flow,
                authorize=authorize,
                installations=self.installations,
                paced=paced,
            )
            clients = oauth.WorkspaceClients(
                self.installations,
                settings.client_id,
                settings.client_secret,
                sending_client,
                self.client,
            )
            self.deliverer = SlackDeliverer(
                clients, engine, self.bot.workspaces, self.bot.dms, paced=paced
            )
        else:
            self.bot = SlackBot(
                engine,
                self.client,
                signing_secret=settings.signing_secret or "",
                verify_requests=settings.mode == "http",
                paced=paced,
            )
            fixed = sending_client(settings.bot_token)

            async def the_token(team_id: str) -> AsyncWebClient | None:
                return fixed

            self.deliverer = SlackDeliverer(
                the_token, engine, self.bot.workspaces, self.bot.dms, paced=paced
            )
        self.team_id: str | None = None
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None

    @property
    def app(self) -> AsyncApp:
        """The Bolt app, for embedding in another aiohttp server (see `web_app`)."""
        return self.bot.app

    async def _installed(self, team_id: str) -> None:
        await self.bot.installed(team_id)

    def web_app(self) -> web.Application:
        """All Slack requests (commands, interactivity, events) on one path, as Slack sends
        them, behind the gate (gate.py: headers, length, signature and shape first); in OAuth
        mode also the install page and the redirect."""

        async def dispatch(request: web.Request, body: str) -> web.StreamResponse:
            headers: dict[str, str | Sequence[str]] = {
                name: request.headers.getall(name) for name in request.headers.keys()
            }
            bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=headers)
            return await to_aiohttp_response(await self.bot.app.async_dispatch(bolt_request))

        application = web.Application(client_max_size=1024**2)
        application.router.add_post(EVENTS_PATH, gate(self.settings.signing_secret or "", dispatch))
        flow = self.oauth_flow
        if flow is not None:

            async def install(request: web.Request) -> web.StreamResponse:
                try:
                    return await to_aiohttp_response(
                        await flow.handle_installation(await to_bolt_request(request))
                    )
                except Exception as exc:
                    log.warning("slack install page failed: error=%s", type(exc).__name__)
                    return await to_aiohttp_response(oauth.failure_page("error", 503))

            async def redirect(request: web.Request) -> web.StreamResponse:
                try:
                    return await to_aiohttp_response(
                        await flow.handle_callback(await to_bolt_request(request))
                    )
                except Exception as exc:
                    log.warning("slack oauth redirect failed: error=%s", type(exc).__name__)
                    return await to_aiohttp_response(oauth.failure_page("error", 400))

            application.router.add_get(oauth.INSTALL_PATH, install)
            application.router.add_get(oauth.REDIRECT_PATH, redirect)
        return application

    async def start(self) -> None:
        if self.settings.mode != "oauth":
            identity = await _checked(self.client.auth_test(), self.settings.api_url)
            self.team_id = identity.get("team_id")
            self.bot.bot_user_id = identity.get("user_id")
        if self.settings.mode == "socket":
            self._socket = AsyncSocketModeHandler(
                self.bot.app, self.settings.app_token, logger=quiet_logger("kletspot.slack.socket")
            )
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


async def serve(
    engine: Engine, env: Mapping[str, str], stop: asyncio.Event, on_ready: OnReady | None = None
) -> None:
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


PLATFORM = Platform("slack", configured, serve)
