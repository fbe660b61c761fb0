"""The Bolt app: Slack requests in, engine events out, replies back. Translation only.

Every listener acknowledges first (Slack wants an answer within 3 seconds) and does the work
after that; Bolt runs listeners as asyncio tasks, so the HTTP response or Socket Mode ack goes
out as soon as `ack()` is called.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.outbound import NETWORK_ERRORS, Poster, Replier, Where, error_code
from adapters.slack.presentation import HOW_TO_TYPE
from adapters.slack.render import from_slack, home_view
from adapters.slack.state import PLATFORM, People, SeenEvents, Workspaces
from bot.core.engine import Engine
from bot.core.events import Actor, ButtonPress, Command, Event, Membership, Place, TextReply
from bot.core.logsafe import failure
from bot.core.replies import Audience

log = logging.getLogger(__name__)

HELP = "hulp"
HOME = "overzicht"
NOT_A_TITLE = {"directmessage", "privategroup", ""}


def is_im(channel_id: str, channel_name: str | None = None) -> bool:
    """A direct message with the bot (or between people): ids start with D."""
    return channel_id.startswith("D") or channel_name == "directmessage"


def quiet_logger(name: str) -> logging.Logger:
    """Bolt and slack_sdk log request bodies (message texts) at DEBUG and some at INFO; their
    loggers are pinned to WARNING so texts never reach the logs, whatever the root level."""
    logger = logging.getLogger(name)
    logger.setLevel(logging.WARNING)
    return logger


class SlackBot:
    def __init__(self, engine: Engine, client: AsyncWebClient, *, signing_secret: str = "",
                 verify_requests: bool = True, bot_user_id: str | None = None) -> None:
        self.engine = engine
        self.client = client
        self.bot_user_id = bot_user_id
        self.people = People(client)
        self.seen = SeenEvents()
        self.workspaces = Workspaces()
        self.poster = Poster(client)
        self.replier = Replier(self.poster, quiet_logger("kletspot.slack.sdk"))
        self._inflight: set[asyncio.Task[Any]] = set()
        self.app = AsyncApp(client=client, signing_secret=signing_secret,
                            request_verification_enabled=verify_requests,
                            logger=quiet_logger("kletspot.slack.bolt"), name="kletspot")
        self._register(self.app)

    # --- wiring ---------------------------------------------------------------------------

    def _register(self, app: AsyncApp) -> None:
        app.middleware(self._once)
        app.command(re.compile(r"^/"))(self.on_command)
        app.action(re.compile(".*"))(self.on_action)
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home)
        app.event("member_joined_channel")(self.on_joined)
        app.event("member_left_channel")(self.on_left)
        app.event("app_uninstalled")(self.on_uninstalled)
        app.event("tokens_revoked")(self.on_tokens_revoked)

    async def _once(self, body: dict[str, Any], next: Any) -> BoltResponse | None:
        """Events API retries (X-Slack-Retry-Num) carry the same event_id: handle it once."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not self.seen.first_time(str(event_id)):
            log.info("slack event skipped as duplicate: event_id=%s", event_id)
            return BoltResponse(status=200, body="")
        response: BoltResponse | None = await next()
        return response

    def _track(self) -> None:
        """Remember the running listener so `idle()` can wait for it (tests, shutdown)."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)

    async def idle(self, timeout: float = 10.0) -> None:
        """Wait until every listener that already started has finished."""
        async with asyncio.timeout(timeout):
            while self._inflight:
                await asyncio.wait(list(self._inflight))

    def _bot_user(self, context: Any) -> str | None:
        return getattr(context, "bot_user_id", None) or self.bot_user_id

    # --- slash command --------------------------------------------------------------------

    async def on_command(self, ack: Any, body: dict[str, Any]) -> None:
        self._track()
        await ack()
        team, channel = body.get("team_id", ""), body.get("channel_id", "")
        user = body.get("user_id", "")
        try:
            words = from_slack(body.get("text") or "").strip().split(maxsplit=1)
            name = words[0].lower().lstrip("/") if words else HELP
            args = words[1].strip() if len(words) > 1 else ""
            name = name or HELP
            channel_name = body.get("channel_name")
            group = not await self._own_dm(channel, channel_name, user)
            place = Place(channel, is_group=group,
                          title=None if channel_name in NOT_A_TITLE else channel_name)
            actor = await self.people.actor(team, user, body.get("user_name"))
            router = self.engine.router
            aliases = router.aliases
            known = name in router.commands or name in aliases
            log.info("slack command: team=%s channel=%s user=%s name=%s", team, channel, user,
                     name if known else "(onbekend)")
            replies = await self.engine.handle(Event(actor, place, Command(name, args)))
            where = Where(team, channel, user, group, None, Audience.HERE,
                          body.get("response_url"))
            notes = [HOW_TO_TYPE] if aliases.get(name, name) == HELP else []
            await self.replier.send(replies, where, notes)
        except Exception as exc:
            log.error("slack command failed: team=%s channel=%s user=%s error=%s", team, channel,
                      user, failure(exc))

    # --- buttons --------------------------------------------------------------------------

    async def on_action(self, ack: Any, body: dict[str, Any]) -> None:
        self._track()
        await ack()
        user = (body.get("user") or {}).get("id", "")
        team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id", "")
        try:
            action = (body.get("actions") or [{}])[0]
            value = action.get("value")
            if not value or not user:
                return
            container = body.get("container") or {}
            channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
            if container.get("type") == "view" or not channel:
                # App Home: its buttons belong to the user's DM with the bot
                meta = str((body.get("view") or {}).get("private_metadata") or "")
                channel = meta if meta.startswith("D") else await self.poster.dm_channel(user)
                where = Where(team, channel, user, False)
                place = Place(channel, is_group=False)
            else:
                group = not await self._own_dm(channel, None, user)
                message = body.get("message") or {}
                thread = container.get("thread_ts") or message.get("thread_ts")
                default = Audience.PRIVATE if container.get("is_ephemeral") else Audience.HERE
                where = Where(team, channel, user, group, thread, default, body.get("response_url"))
                name = (body.get("channel") or {}).get("name")
                place = Place(channel, is_group=group, thread_id=thread,
                              title=None if name in NOT_A_TITLE else name)
            actor = await self.people.actor(team, user, (body.get("user") or {}).get("username"))
            log.info("slack button: team=%s channel=%s user=%s", team, channel, user)
            replies = await self.engine.handle(Event(actor, place, ButtonPress(str(value))))
            await self.replier.send(replies, where)
        except Exception as exc:
            log.error("slack button failed: team=%s user=%s error=%s", team, user, failure(exc))

    # --- the Messages tab (message.im) ----------------------------------------------------

    async def on_message(self, ack: Any, body: dict[str, Any], event: dict[str, Any],
                         context: Any) -> None:
        self._track()
        await ack()
        if (event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id")
                or not event.get("user") or event.get("user") == self._bot_user(context)):
            log.debug("slack message ignored: subtype=%s", event.get("subtype"))
            return
        team, channel, user = body.get("team_id", ""), event.get("channel", ""), event["user"]
        try:
            text = from_slack(event.get("text") or "").strip()
            if not text:
                return
            thread = event.get("thread_ts")
            actor = await self.people.actor(team, user)
            place = Place(channel, is_group=False, thread_id=thread)
            event_obj = Event(actor, place, TextReply(text))
            log.info("slack message: team=%s channel=%s user=%s kind=%s", team, channel, user,
                     event_obj.kind)
            replies = await self.engine.handle(event_obj)
            await self.replier.send(replies, Where(team, channel, user, False, thread))
        except Exception as exc:
            log.error("slack message failed: team=%s channel=%s user=%s error=%s", team, channel,
                      user, failure(exc))

    # --- App Home -------------------------------------------------------------------------

    async def on_home(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        self._track()
        await ack()
        if event.get("tab") != "home" or not event.get("user"):
            return
        team, user = body.get("team_id", ""), event["user"]
        try:
            channel = event.get("channel") or await self.poster.dm_channel(user)
            actor = await self.people.actor(team, user)
            log.info("slack home opened: team=%s user=%s", team, user)
            replies = await self.engine.handle(
                Event(actor, Place(channel, is_group=False), Command(HOME)))
            await self.client.views_publish(user_id=user, view=home_view(replies, channel))
        except SlackApiError as exc:
            log.warning("slack views.publish failed: team=%s user=%s error=%s", team, user,
                        error_code(exc))
        except NETWORK_ERRORS as exc:
            log.warning("slack home failed: team=%s user=%s error=%s", team, user,
                        type(exc).__name__)
        except Exception as exc:
            log.error("slack home failed: team=%s user=%s error=%s", team, user, failure(exc))

    # --- membership and installation ------------------------------------------------------

    async def on_joined(self, ack: Any, body: dict[str, Any], event: dict[str, Any],
                        context: Any) -> None:
        self._track()
        await ack()
        bot = self._bot_user(context)
        if not bot or event.get("user") != bot:
            return
        team, channel = body.get("team_id", ""), event.get("channel", "")
        try:
            self.workspaces.mark_back(team)
            inviter = event.get("inviter")
            actor = (await self.people.actor(team, inviter) if inviter
                     else Actor(PLATFORM, team, bot, "Kletspot"))
            title = await self._channel_name(channel)
            log.info("slack bot joined: team=%s channel=%s", team, channel)
            replies = await self.engine.handle(
                Event(actor, Place(channel, is_group=True, title=title), Membership(True)))
            await self.replier.send(replies, Where(team, channel, inviter or bot, True))
        except Exception as exc:
            log.error("slack join failed: team=%s channel=%s error=%s", team, channel,
                      failure(exc))

    async def on_left(self, ack: Any, body: dict[str, Any], event: dict[str, Any],
                      context: Any) -> None:
        self._track()
        await ack()
        bot = self._bot_user(context)
        if not bot or event.get("user") != bot:
            return
        team, channel = body.get("team_id", ""), event.get("channel", "")
        log.info("slack bot left: team=%s channel=%s", team, channel)
        try:
            await self.engine.handle(Event(Actor(PLATFORM, team, bot, "Kletspot"),
                                           Place(channel, is_group=True), Membership(False)))
        except Exception as exc:
            log.error("slack leave failed: team=%s channel=%s error=%s", team, channel,
                      failure(exc))

    async def on_uninstalled(self, ack: Any, body: dict[str, Any]) -> None:
        self._track()
        await ack()
        team = body.get("team_id", "")
        log.info("slack app uninstalled: team=%s", team)
        self.workspaces.mark_gone(team)
        await self.engine.set_active(PLATFORM, team, None, False)

    async def on_tokens_revoked(self, ack: Any, body: dict[str, Any],
                                event: dict[str, Any]) -> None:
        self._track()
        await ack()
        team = body.get("team_id", "")
        bots = (event.get("tokens") or {}).get("bot") or []
        log.info("slack tokens revoked: team=%s bot_tokens=%d", team, len(bots))
        if bots:
            self.workspaces.mark_gone(team)
            await self.engine.set_active(PLATFORM, team, None, False)

    async def _own_dm(self, channel: str, channel_name: str | None, user: str) -> bool:
        """Only the user's DM with the app is private: `/kletspot` typed in a DM between two
        people must not put anyone's notes in front of the other."""
        if not is_im(channel, channel_name):
            return False
        try:
            return await self.poster.dm_channel(user) == channel
        except (SlackApiError, *NETWORK_ERRORS):
            return False

    async def _channel_name(self, channel: str) -> str | None:
        try:
            response = await self.client.conversations_info(channel=channel)
        except (SlackApiError, *NETWORK_ERRORS):
            return None
        name = (response.get("channel") or {}).get("name")
        return str(name) if name else None
