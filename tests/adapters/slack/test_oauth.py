"""Install in any workspace: /slack/install (state cookie) -> oauth.v2.access on SLACK_API_URL
-> each workspace answered with its own token; uninstall, reinstall; bad callbacks in Dutch."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlparse

import aiohttp
import pytest

from adapters.slack.runner import EVENTS_PATH, SlackAdapter, SlackSettings
from bot.core.delivery import Outcome
from bot.core.engine import Engine
from bot.core.replies import Outgoing, Target, say
from tests.adapters.slack.fake_slack import (
    CLIENT_ID,
    CLIENT_SECRET,
    SECRET,
    FakeSlack,
    SlackSender,
)

COOKIE = "slack-app-oauth-state"


@pytest.fixture
async def oauth_adapter(engine: Engine, fake: FakeSlack) -> AsyncIterator[SlackAdapter]:
    settings = SlackSettings.from_env(
        {
            "SLACK_CLIENT_ID": CLIENT_ID,
            "SLACK_CLIENT_SECRET": CLIENT_SECRET,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_PORT": "0",
            "SLACK_HOST": "127.0.0.1",
            "SLACK_API_URL": fake.api_url,
        }
    )
    adapter = SlackAdapter(engine, settings)
    await adapter.start()
    yield adapter
    await adapter.stop()


class Browser:
    """Someone installing the app: the install page, Slack's consent (the fake's code), back."""

    def __init__(self, adapter: SlackAdapter, session: aiohttp.ClientSession) -> None:
        self.base = f"http://127.0.0.1:{adapter.port}"
        self.session = session

    async def start(self) -> tuple[str, str, str]:
        """The install page: its Dutch text, the authorize link's state, the cookie."""
        async with self.session.get(f"{self.base}/slack/install") as resp:
            assert resp.status == 200
            page = await resp.text()
            cookie = resp.cookies[COOKIE].value
        link = re.search(r'href="([^"]+oauth/v2/authorize[^"]+)"', page)
        assert link is not None, page
        query = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)
        assert query["client_id"] == [CLIENT_ID] and "chat:write" in query["scope"][0]
        return page, query["state"][0], cookie

    async def back(
        self, code: str | None, state: str | None, cookie: str | None, **extra: str
    ) -> tuple[int, str]:
        params = {k: v for k, v in {"code": code, "state": state, **extra}.items() if v}
        headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
        async with self.session.get(
            f"{self.base}/slack/oauth_redirect", params=params, headers=headers
        ) as resp:
            return resp.status, await resp.text()

    async def install(self, fake: FakeSlack, team: str, token: str) -> str:
        _, state, cookie = await self.start()
        fake.install_code(f"code-{team}", team, token)
        status, page = await self.back(f"code-{team}", state, cookie)
        assert status == 200, page
        return page


async def installed_teams(engine: Engine) -> list[str]:
    rows = await engine.db.all("SELECT team_id FROM slack_installations ORDER BY team_id")
    return [r[0] for r in rows]


async def test_two_workspaces_install_and_are_answered_with_their_own_token(
    oauth_adapter: SlackAdapter, fake: FakeSlack, engine: Engine
) -> None:
    async with aiohttp.ClientSession() as session:
        browser = Browser(oauth_adapter, session)
        page, _, _ = await browser.start()
        assert "Kletspot toevoegen aan Slack" in page and "Toevoegen aan Slack" in page

        done = await browser.install(fake, "T1", "xoxb-team-een")
        assert "Kletspot is geïnstalleerd" in done and "Team T1" in done
        await browser.install(fake, "T2", "xoxb-team-twee")
        [first, second] = fake.of("oauth.v2.access")
        assert first["code"] == "code-T1" and second["code"] == "code-T2"
        # the client's credentials go as HTTP Basic auth to SLACK_API_URL, not to slack.com
        assert [c.token for c in fake.calls if c.method == "oauth.v2.access"][0].startswith(
            "Basic "
        )
        assert await installed_teams(engine) == ["T1", "T2"]

        sender = SlackSender(f"{browser.base}{EVENTS_PATH}", session, fake)
        for team, token in (("T1", "xoxb-team-een"), ("T2", "xoxb-team-twee")):
            assert (await sender.command("vraag groen", team=team))[0] == 200
            await oauth_adapter.bot.idle()
            post = [c for c in fake.calls if c.method == "chat.postMessage"][-1]
            assert post.token == token and "Nog een vraag" in str(post.data["blocks"])

        # a scheduled send goes out with the token of its own workspace too
        result = await oauth_adapter.deliverer.deliver(
            Outgoing(Target("slack", "T2", conversation_id="C1"), say("Goeiemorgen"))
        )
        assert result.outcome is Outcome.SENT
        assert [c for c in fake.calls if c.method == "chat.postMessage"][
            -1
        ].token == "xoxb-team-twee"


async def test_uninstall_stops_sends_and_a_reinstall_resumes_them(
    oauth_adapter: SlackAdapter, fake: FakeSlack, engine: Engine
) -> None:
    async with aiohttp.ClientSession() as session:
        browser = Browser(oauth_adapter, session)
        await browser.install(fake, "T1", "xoxb-een")
        await browser.install(fake, "T2", "xoxb-twee")
        sender = SlackSender(f"{browser.base}{EVENTS_PATH}", session, fake)
        await sender.command("vraag", team="T1")
        await oauth_adapter.bot.idle()

        assert (await sender.event({"type": "app_uninstalled"}, team="T1"))[0] == 200
        await oauth_adapter.bot.idle()
        assert await installed_teams(engine) == ["T2"]
        row = await engine.db.one("SELECT active FROM conversations WHERE workspace_id = 'T1'")
        assert row is not None and row[0] == 0
        gone = await oauth_adapter.deliverer.deliver(
            Outgoing(Target("slack", "T1", conversation_id="C1"), say("Hallo"))
        )
        assert gone.outcome is Outcome.GONE
        sent = await oauth_adapter.deliverer.deliver(
            Outgoing(Target("slack", "T2", conversation_id="C1"), say("Hallo"))
        )
        assert sent.outcome is Outcome.SENT

        before = len(fake.of("chat.postMessage"))
        await sender.command("vraag", team="T1")  # no installation: Bolt does not authorize
        await oauth_adapter.bot.idle()
        assert len(fake.of("chat.postMessage")) == before

        await browser.install(fake, "T1", "xoxb-een-opnieuw")
        row = await engine.db.one("SELECT active FROM conversations WHERE workspace_id = 'T1'")
        assert row is not None and row[0] == 1
        back = await oauth_adapter.deliverer.deliver(
            Outgoing(Target("slack", "T1", conversation_id="C1"), say("Welkom terug"))
        )
        assert back.outcome is Outcome.SENT
        assert fake.calls[-1].token == "xoxb-een-opnieuw"

        # tokens_revoked for the bot: the same as an uninstall
        await sender.event(
            {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}, team="T2"
        )
        await oauth_adapter.bot.idle()
        assert await installed_teams(engine) == ["T1"]


async def test_token_rotation_renews_before_sending(
    oauth_adapter: SlackAdapter, fake: FakeSlack, engine: Engine
) -> None:
    async with aiohttp.ClientSession() as session:
        browser = Browser(oauth_adapter, session)
        await browser.install(fake, "T1", "xoxe.xoxb-T1-eerste")  # expires in a minute
        result = await oauth_adapter.deliverer.deliver(
            Outgoing(Target("slack", "T1", conversation_id="C1"), say("Goeiemorgen"))
        )
        assert result.outcome is Outcome.SENT
        renewed = [c for c in fake.calls if c.method == "oauth.v2.access"][-1]
        assert renewed.data["grant_type"] == "refresh_token"
        post = [c for c in fake.calls if c.method == "chat.postMessage"][-1]
        assert post.token != "xoxe.xoxb-T1-eerste" and post.token in fake.tokens
        stored = await engine.db.scalar(
            "SELECT bot_token FROM slack_installations WHERE team_id = 'T1'"
        )
        assert stored == post.token

        # and an incoming command is answered with the renewed token (Bolt's authorize)
        sender = SlackSender(f"{browser.base}{EVENTS_PATH}", session, fake)
        await sender.command("vraag", team="T1")
        await oauth_adapter.bot.idle()
        assert [c for c in fake.calls if c.method == "chat.postMessage"][-1].token == stored


async def test_bad_callbacks_answer_in_dutch_and_store_nothing(
    oauth_adapter: SlackAdapter, fake: FakeSlack, engine: Engine
) -> None:
    async with aiohttp.ClientSession() as session:
        browser = Browser(oauth_adapter, session)
        _, state, cookie = await browser.start()
        fake.install_code("goed", "T1", "xoxb-een")

        status, page = await browser.back("goed", None, cookie)  # missing state
        assert status >= 400 and "Kletspot is niet geïnstalleerd" in page
        status, page = await browser.back("goed", "vervalst", "vervalst")  # forged state
        assert status >= 400 and "verlopen of al gebruikt" in page
        status, page = await browser.back("goed", state, None)  # no cookie: another browser
        assert status >= 400 and "andere browser" in page
        status, page = await browser.back(None, None, None, error="access_denied")
        assert "geannuleerd" in page
        status, page = await browser.back("onbekend", state, cookie)  # oauth.v2.access: no
        assert status >= 400 and "gaf geen toegang" in page
        status, page = await browser.back("goed", state, cookie)  # the state was used above
        assert status >= 400 and "verlopen of al gebruikt" in page
        assert await installed_teams(engine) == []
        assert "Traceback" not in page


def test_settings_for_oauth() -> None:
    settings = SlackSettings.from_env(
        {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": "x"}
    )
    assert settings.mode == "oauth" and "commands" in settings.scopes
    assert "chat:write" in settings.scopes
    custom = SlackSettings.from_env(
        {
            "SLACK_CLIENT_ID": "1.2",
            "SLACK_CLIENT_SECRET": "s",
            "SLACK_SIGNING_SECRET": "x",
            "SLACK_SCOPES": "a, b",
        }
    )
    assert custom.scopes == ("a", "b")
    for env, fragment in (
        ({"SLACK_CLIENT_ID": "1"}, "SLACK_CLIENT_SECRET"),
        ({"SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "s"}, "SLACK_SIGNING_SECRET"),
        (
            {
                "SLACK_CLIENT_ID": "1",
                "SLACK_CLIENT_SECRET": "s",
                "SLACK_SIGNING_SECRET": "x",
                "SLACK_APP_TOKEN": "xapp-1",
            },
            "SLACK_APP_TOKEN",
        ),
    ):
        with pytest.raises(ValueError, match=fragment):
            SlackSettings.from_env(env)
