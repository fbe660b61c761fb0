"""Install in any workspace: Bolt's own OAuth flow with Kletspot's stores and Dutch pages.

`/slack/install` shows a Dutch page with the "Toevoegen aan Slack" link and sets Bolt's state
cookie; `/slack/oauth_redirect` checks cookie and state (once), calls oauth.v2.access through
SLACK_API_URL, stores the bot installation and answers in Dutch. Token rotation: when the app has
it on, oauth.v2.access returns a refresh token, Bolt's authorize renews tokens before they expire
for incoming requests, and `client_for` does the same for scheduled sends.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import yaml
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.installations import STATE_SECONDS, SlackInstallations, SlackOAuthStates

log = logging.getLogger(__name__)

MANIFEST = Path(__file__).resolve().parent / "manifest.yaml"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
ROTATE_MINUTES = 120
"""Tokens are renewed when they expire within two hours (Bolt's default)."""


def manifest_scopes() -> list[str]:
    """The bot scopes the manifest asks for: the default for SLACK_SCOPES."""
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return [str(s) for s in manifest["oauth_config"]["scopes"]["bot"]]


def authorization_url(api_url: str) -> str:
    """slack.com/api/ -> slack.com/oauth/v2/authorize; the same for GovSlack or a test server."""
    base = api_url.rstrip("/")
    base = base[: -len("/api")] if base.endswith("/api") else base
    return f"{base}/oauth/v2/authorize"


def _page(title: str, body: str, status: int = 200) -> BoltResponse:
    text = (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>"
        '<body style="font-family: sans-serif; max-width: 36em; margin: 3em auto; '
        f'line-height: 1.5"><h1>{html.escape(title)}</h1>{body}</body></html>'
    )
    return BoltResponse(
        status=status, body=text, headers={"Content-Type": "text/html; charset=utf-8"}
    )


FAILURES = {
    "access_denied": "Je hebt de installatie geannuleerd. Er is niets veranderd in je werkruimte.",
    "invalid_browser": (
        "Deze installatie is in een andere browser begonnen, of de link is verlopen. Begin opnieuw."
    ),
    "invalid_state": "Deze installatielink is verlopen of al gebruikt. Begin opnieuw.",
    "missing_code": "Slack stuurde geen toestemming mee. Begin opnieuw.",
    "invalid_code": ("Slack gaf geen toegang (de code was ongeldig of verlopen). Begin opnieuw."),
    "storage_error": "De installatie kon niet bewaard worden. Probeer het later opnieuw.",
}


def failure_page(reason: str, status: int) -> BoltResponse:
    message = FAILURES.get(reason, "Er ging iets mis bij het installeren. Begin opnieuw.")
    body = (
        f"<p>{html.escape(message)}</p>"
        f'<p><a href="{INSTALL_PATH}">Kletspot opnieuw installeren</a></p>'
    )
    return _page("Kletspot is niet geïnstalleerd", body, status)


class DutchOAuthFlow(AsyncOAuthFlow):
    """Bolt's flow with Kletspot's Dutch install page."""

    async def build_install_page_html(self, url: str, request: AsyncBoltRequest) -> str:
        link = html.escape(url, quote=True)
        return (
            '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
            "<title>Kletspot toevoegen aan Slack</title></head>"
            '<body style="font-family: sans-serif; max-width: 36em; margin: 3em auto; '
            'line-height: 1.5"><h1>Kletspot toevoegen aan Slack</h1>'
            "<p>Kletspot brengt open vragen over eenzaamheid en sociaal isolement in jullie "
            "kanalen, met de praktijktools voor wie mensen in eenzaamheid ondersteunt.</p>"
            f'<p><a href="{link}"><strong>Toevoegen aan Slack</strong></a></p>'
            "<p>Slack vraagt je daarna welke werkruimte en toont wat Kletspot mag "
            "doen.</p></body></html>"
        )


def build(
    *,
    client: AsyncWebClient,
    client_id: str,
    client_secret: str,
    scopes: Sequence[str],
    installations: SlackInstallations,
    states: SlackOAuthStates,
    api_url: str,
    redirect_uri: str | None,
    on_installed: Callable[[str], Awaitable[None]],
    logger: logging.Logger,
) -> tuple[DutchOAuthFlow, AsyncInstallationStoreAuthorize]:
    """The OAuth flow and the authorize step, both talking to SLACK_API_URL through `client`
    (oauth.v2.access, auth.test, token rotation)."""

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        team = args.installation.team_id or args.installation.enterprise_id or ""
        log.info("slack installed: team=%s", team)
        await on_installed(team)
        name = html.escape(args.installation.team_name or "je werkruimte")
        return _page(
            "Kletspot is geïnstalleerd",
            f"<p>Kletspot staat nu in {name}. Nodig de bot uit in een kanaal "
            "(<code>/invite @Kletspot</code>) en typ <code>/kletspot hulp</code>. Je "
            "vindt Kletspot ook links onder Apps, met je eigen startpagina.</p>"
            "<p>Je kan dit venster sluiten.</p>",
        )

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        log.warning("slack install failed: reason=%s", str(args.reason)[:40])
        return failure_page(str(args.reason), args.suggested_status_code)

    settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(scopes),
        user_scopes=[],
        redirect_uri=redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=AsyncCallbackOptions(success=success, failure=failure),
        authorization_url=authorization_url(api_url),
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=states,
        state_expiration_seconds=STATE_SECONDS,
        logger=logger,
    )
    flow = DutchOAuthFlow(client=client, logger=logger, settings=settings)
    authorize = AsyncInstallationStoreAuthorize(
        logger=logger,
        installation_store=installations,
        client_id=client_id,
        client_secret=client_secret,
        token_rotation_expiration_minutes=ROTATE_MINUTES,
        bot_only=True,
        client=client,
    )
    return flow, authorize


class WorkspaceClients:
    """The scheduler's client per workspace: that workspace's bot token, renewed first when it
    is about to expire (token rotation); None when the app is not installed there."""

    def __init__(
        self,
        installations: SlackInstallations,
        client_id: str,
        client_secret: str,
        make: Callable[[str], AsyncWebClient],
        rotate_with: AsyncWebClient,
    ) -> None:
        self._installations = installations
        self._make = make
        self._rotator = AsyncTokenRotator(
            client_id=client_id, client_secret=client_secret, client=rotate_with
        )

    async def __call__(self, team_id: str) -> AsyncWebClient | None:
        bot = await self._installations.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None:
            return None
        if bot.bot_refresh_token:
            rotated = await self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_MINUTES
            )
            if rotated is not None:
                await self._installations.async_save_bot(rotated)
                bot = rotated
        return self._make(bot.bot_token)
