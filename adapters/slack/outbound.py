"""Sending to Slack: replies to what someone just did, and the scheduler's deliveries.

`Poster` is the one place where the Slack adapter sends a message into a conversation
(chat.postMessage, chat.postEphemeral, a file shared by files.completeUploadExternal, a
response_url post or replacement): each waits for its workspace's pace first
(`bot/core/pacing.py`, shared by every process), a reply before any waiting scheduled post.
Direct replies go through a client with slack_sdk's retry handlers (429 after `Retry-After`,
dropped connections), a last resort the pace should make unneeded; `SlackDeliverer.deliver`
makes exactly one attempt and tells the scheduler what happened, so the scheduler keeps the
retries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.limits import (
    CONNECTION_RETRY_AFTER,
    FILE_MAX,
    RATE_LIMIT_RETRY_AFTER,
    SEND_LIMITS,
)
from adapters.slack.presentation import ANSWER_IN_CHANNEL
from adapters.slack.render import Message, render
from adapters.slack.state import PLATFORM, TtlCache, Workspaces
from bot.core.delivery import PARTIALLY_SENT, Outcome, Result, SendLimits
from bot.core.engine import Engine
from bot.core.pacing import Pace, Released
from bot.core.replies import Attachment, Audience, Outgoing, Reply

log = logging.getLogger(__name__)

GONE_CHANNEL = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "channel_is_archived"}
)
"""This conversation is closed to the bot: stop scheduled sends there."""
GONE_WORKSPACE = frozenset(
    {
        "account_inactive",
        "token_revoked",
        "invalid_auth",
        "not_authed",
        "team_not_found",
        "app_uninstalled",
        "team_access_not_granted",
    }
)
"""The whole installation is gone: stop every scheduled send to that workspace."""
GONE_USER = frozenset({"user_not_found", "user_disabled", "cannot_dm_bot", "user_not_visible"})
NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)
NOT_REACHABLE = frozenset({"channel_not_found", "not_in_channel"})
"""Direct replies that fail with these go through the command's or button's response_url."""


def error_code(exc: SlackApiError) -> str:
    response = exc.response
    if response is None:
        return "unknown"
    if response.status_code == 429:
        return "ratelimited"
    try:
        return str(response.get("error") or f"http_{response.status_code}")
    except Exception:
        return f"http_{response.status_code}"


def retry_after(exc: SlackApiError) -> float:
    headers = getattr(exc.response, "headers", None) or {}
    for key in headers:
        if str(key).lower() == "retry-after":
            value = headers[key]
            if isinstance(value, (list, tuple)):
                value = value[0] if value else ""
            try:
                return max(0.0, float(value))
            except (TypeError, ValueError):
                break
    return RATE_LIMIT_RETRY_AFTER


def split_file(reply: Reply) -> tuple[Reply, Attachment | None]:
    """A binary file is uploaded (files.getUploadURLExternal, then files.completeUploadExternal);
    the rest of the reply is rendered as messages. Text files stay inline as before."""
    attachment = reply.attachment
    if attachment is None or not attachment.binary:
        return reply, None
    return replace(reply, attachment=None), attachment


def text_instead(reply: Reply) -> Reply:
    """What goes out when Slack refuses the file: a short note and the file in words."""
    return replace(reply, text=(), buttons=()).without_file()


def notes_for(reply: Reply, in_channel: bool) -> list[str]:
    """Adapter-level hints under a reply: in a channel Slack does not show us plain messages."""
    return [ANSWER_IN_CHANNEL] if asks_in_channel(reply, in_channel) else []


def asks_in_channel(reply: Reply, in_channel: bool) -> bool:
    """The engine asked for text where Slack cannot send plain text to the bot: a modal."""
    return reply.expects_text and in_channel


@dataclass
class Progress:
    """How many parts of a long reply went out before an error."""

    sent: int = 0


def dm_cache() -> TtlCache[str, str]:
    """user id -> the id of their DM with the bot (conversations.open), shared by every Poster."""
    return TtlCache(24 * 3600.0, 10_000)


async def dm_channel(client: AsyncWebClient, dms: TtlCache[str, str], user_id: str) -> str:
    """The user's DM with the bot (conversations.open, Tier 3: not a message, not paced)."""
    channel = dms.get(user_id)
    if channel is None:
        response = await client.conversations_open(users=user_id)
        channel = str((response.get("channel") or {})["id"])
        dms.put(user_id, channel)
    return channel


def workspace_pace(engine: Engine, workspace: str, paced: bool = True) -> Pace | None:
    """The workspace's pace (`engine.paces`, shared by every process), which replies and posts
    alike wait for; None only where a test measures what Slack does unpaced."""
    return engine.paces.of(PLATFORM, workspace, SEND_LIMITS) if paced else None


def is_channel(channel: str) -> bool:
    """A channel (public, private, a group DM), not a DM: its visible messages keep the
    channel's pace (Slack: about one a second, short bursts allowed)."""
    return not channel.startswith("D")


class Poster:
    """Sends rendered replies: visible, ephemeral, in the user's DM, a file, or through a
    response_url. Every message first waits for its turn in the workspace's `pace`: `urgent`
    for replies (someone waits for them), not for the scheduler's posts, which let replies go
    first. A channel's visible messages also keep the channel's pace; an ephemeral message and
    a DM only the workspace's (`adapters/slack/limits.py` says why)."""

    def __init__(
        self,
        client: AsyncWebClient,
        pace: Pace | None,
        dms: TtlCache[str, str] | None = None,
        *,
        urgent: bool = True,
        logger: logging.Logger | None = None,
    ) -> None:
        """`pace` None: nothing waits (only where a test measures what Slack does unpaced)."""
        self.client = client
        self._pace = pace
        self._urgent = urgent
        self._dms = dms if dms is not None else dm_cache()
        self._sdk_logger = logger

    async def _turn(self, channel: str, channel_pace: bool) -> None:
        if self._pace is not None:
            await self._pace.wait(channel, channel_pace, urgent=self._urgent)

    async def dm_channel(self, user_id: str) -> str:
        return await dm_channel(self.client, self._dms, user_id)

    async def visible(
        self,
        channel: str,
        messages: Sequence[Message],
        thread_ts: str | None = None,
        progress: Progress | None = None,
    ) -> None:
        for message in messages:
            await self._turn(channel, is_channel(channel))
            await self.client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                **message.as_kwargs(),
            )
            if progress is not None:
                progress.sent += 1

    async def upload(
        self, channel: str, attachment: Attachment, thread_ts: str | None = None
    ) -> None:
        """One file into a channel or DM with Slack's current upload API (slack_sdk's
        files_upload_v2: files.getUploadURLExternal, the bytes to the upload URL, then
        files.completeUploadExternal). Raises SlackApiError or SlackRequestError when refused."""
        if len(attachment.payload) > FILE_MAX:
            raise SlackRequestError("file_too_large")
        await self._turn(channel, is_channel(channel))  # the file is shared as a message
        await self.client.files_upload_v2(
            channel=channel,
            content=attachment.payload,
            filename=attachment.filename,
            title=attachment.filename,
            thread_ts=thread_ts,
            alt_txt=attachment.alt[:1000] if attachment.picture and attachment.alt else None,
        )

    async def ephemeral(
        self,
        channel: str,
        user_id: str,
        messages: Sequence[Message],
        thread_ts: str | None = None,
        progress: Progress | None = None,
    ) -> None:
        for message in messages:
            await self._turn(channel, False)
            await self.client.chat_postEphemeral(
                channel=channel, user=user_id, thread_ts=thread_ts, **message.as_kwargs()
            )
            if progress is not None:
                progress.sent += 1

    async def replace(self, url: str, channel: str, message: Message, visible: bool) -> bool:
        """The message whose button was pressed, shown anew in its place (a visible message for
        everyone, an ephemeral one for its reader): the press's response_url with
        replace_original. False when Slack would not (an expired url): sent as new instead."""
        await self._turn(channel, visible and is_channel(channel))
        hook = AsyncWebhookClient(url, logger=self._sdk_logger)
        try:
            response = await hook.send_dict({"replace_original": True, **message.as_kwargs()})
        except NETWORK_ERRORS as exc:
            log.info("slack replace failed: error=%s", type(exc).__name__)
            return False
        if response.status_code != 200:
            log.info("slack replace failed: status=%s", response.status_code)
            return False
        return True

    async def respond(
        self, url: str, channel: str, messages: Sequence[Message], visible: bool
    ) -> None:
        """The bot is not in this channel (a private channel, a DM between people): answer
        through the response_url Slack gave with the command or button press."""
        hook = AsyncWebhookClient(url, logger=self._sdk_logger)
        kind = "in_channel" if visible else "ephemeral"
        for message in messages:
            await self._turn(channel, visible and is_channel(channel))
            response = await hook.send_dict(
                {"response_type": kind, "replace_original": False, **message.as_kwargs()}
            )
            if response.status_code != 200:
                log.warning("slack response_url failed: status=%s", response.status_code)
                return


@dataclass(frozen=True)
class Where:
    """Where the event that caused these replies happened, and how its answers are shown."""

    team: str
    channel: str
    user: str
    is_group: bool
    thread_ts: str | None = None
    default: Audience = Audience.HERE
    """PRIVATE when the event was a button on a message only this user saw."""
    response_url: str | None = None
    """Slash commands and message buttons: a way to answer where the bot is not a member."""
    trigger_id: str | None = None
    """The interaction's trigger: a question the engine asks in a channel opens a modal."""


OpenModal = Callable[[Reply, "Where"], Awaitable[bool]]
"""Opens the modal for a question or a form; False when Slack would not (expired trigger_id)."""


class Replier:
    """Shows the engine's replies to an event; never raises (failures are logged by code)."""

    def __init__(self, poster: Poster, open_modal: OpenModal | None = None) -> None:
        self.poster = poster
        self._open_modal = open_modal
        self._trigger_used = False

    async def send(
        self, replies: Sequence[Reply], where: Where, extra_notes: Sequence[str] = ()
    ) -> None:
        for n, reply in enumerate(replies):
            notes = notes_for(reply, where.is_group)
            if n == len(replies) - 1:
                notes += list(extra_notes)
            try:
                await self._one(reply, where, notes)
            except SlackApiError as exc:
                log.warning(
                    "slack reply failed: team=%s channel=%s error=%s",
                    where.team,
                    where.channel,
                    error_code(exc),
                )
            except NETWORK_ERRORS as exc:
                log.warning(
                    "slack reply failed: team=%s channel=%s error=%s",
                    where.team,
                    where.channel,
                    type(exc).__name__,
                )

    def audience(self, reply: Reply, where: Where) -> Audience:
        if not where.is_group:
            return Audience.HERE
        if reply.audience is Audience.QUIET:
            return Audience.PRIVATE  # Slack can show it to one person in place: ephemeral
        if where.default is Audience.PRIVATE and reply.audience is Audience.HERE:
            return Audience.PRIVATE  # an answer to a button on an "only for you" message
        if reply.audience is not Audience.HERE:
            return reply.audience
        if reply.expects_text:
            return Audience.PRIVATE  # only the one who pressed can answer; the hint is theirs
        return where.default

    async def _modal(self, reply: Reply, where: Where) -> bool:
        """A question in a channel, right after an interaction: the modal opens at once (a
        trigger_id is good for one modal within three seconds). A question with buttons of its
        own stays a message, so its buttons keep working. A reply with a form opens it as a
        modal wherever there is a trigger, except when it re-renders the message a button was
        on (a card after a press stays a card)."""
        if self._open_modal is None or self._trigger_used or not where.trigger_id:
            return False
        if reply.form is not None:
            if reply.replaces:
                return False
            self._trigger_used = True
            return await self._open_modal(reply, where)
        if (
            reply.buttons
            or reply.attachment is not None
            or not asks_in_channel(reply, where.is_group)
            or self.audience(reply, where) is not Audience.PRIVATE
        ):
            return False
        self._trigger_used = True
        return await self._open_modal(reply, where)

    async def _one(self, reply: Reply, where: Where, notes: list[str]) -> None:
        if await self._modal(reply, where):
            return
        reply, attachment = split_file(reply)
        messages = render(reply, notes, answer=asks_in_channel(reply, where.is_group))
        thread = reply.thread_id or where.thread_ts
        audience = self.audience(reply, where)
        if (
            reply.replaces
            and attachment is None
            and where.response_url
            and len(messages) == 1
            and audience is not Audience.DM
            and await self.poster.replace(
                where.response_url,
                where.channel,
                messages[0],
                visible=where.default is not Audience.PRIVATE,
            )
        ):
            return
        if messages:
            await self._messages(messages, where, audience, thread)
        if attachment is None:
            return
        # Slack has no ephemeral files: what only this person may see goes to their DM
        in_dm = audience in (Audience.DM, Audience.PRIVATE) and where.is_group
        channel = await self.poster.dm_channel(where.user) if in_dm else where.channel
        try:
            await self.poster.upload(channel, attachment, None if in_dm else thread)
        except (SlackApiError, SlackRequestError) as exc:
            code = error_code(exc) if isinstance(exc, SlackApiError) else "upload_failed"
            log.info("slack file refused: team=%s channel=%s error=%s", where.team, channel, code)
            fallback = render(text_instead(replace(reply, attachment=attachment)), [])
            if in_dm:
                await self.poster.visible(channel, fallback, None)
            else:
                await self._messages(fallback, where, audience, thread)

    async def _messages(
        self, messages: Sequence[Message], where: Where, audience: Audience, thread: str | None
    ) -> None:
        if audience is Audience.DM:
            channel = await self.poster.dm_channel(where.user)
            await self.poster.visible(channel, messages, None)
            return
        try:
            if audience is Audience.PRIVATE:
                await self.poster.ephemeral(where.channel, where.user, messages, thread)
            else:
                await self.poster.visible(where.channel, messages, thread)
        except SlackApiError as exc:
            if error_code(exc) not in NOT_REACHABLE or not where.response_url:
                raise
            await self.poster.respond(
                where.response_url,
                where.channel,
                messages,
                visible=audience is not Audience.PRIVATE,
            )


ClientFor = Callable[[str], Awaitable[AsyncWebClient | None]]
"""The Web API client that speaks for one workspace (its own bot token), None when the app is
not installed there (uninstalled, token revoked)."""


class SlackDeliverer:
    """The scheduler's way to Slack (bot.core.delivery.Deliverer): one attempt per call."""

    platform: str = PLATFORM
    limits: SendLimits = SEND_LIMITS

    def __init__(
        self,
        client_for: ClientFor,
        engine: Engine,
        workspaces: Workspaces,
        dms: TtlCache[str, str] | None = None,
        *,
        paced: bool = True,
    ) -> None:
        """`paced` False: nothing waits (only where a test measures what Slack does unpaced)."""
        self._client_for = client_for
        self._dms = dms if dms is not None else dm_cache()
        self._engine = engine
        self._workspaces = workspaces
        self._paced = paced

    async def deliver(self, outgoing: Outgoing) -> Result:
        target, reply = outgoing.target, outgoing.reply
        if target.platform != PLATFORM:
            return Result(Outcome.FAILED, detail="wrong_platform")
        if self._workspaces.gone(target.workspace_id):
            return Result(Outcome.GONE, detail="workspace_gone")
        if target.conversation_id is None and target.user_id is None:
            return Result(Outcome.FAILED, detail="no_target")
        try:
            client = await self._client_for(target.workspace_id)
        except NETWORK_ERRORS as exc:  # a token rotation that could not reach Slack
            return Result(Outcome.RETRY, CONNECTION_RETRY_AFTER, type(exc).__name__)
        except SlackApiError as exc:
            return await self._failed(outgoing, error_code(exc), retry_after(exc), 0)
        if client is None:
            return Result(Outcome.GONE, detail="not_installed")
        poster = Poster(
            client,
            workspace_pace(self._engine, target.workspace_id, self._paced),
            self._dms,
            urgent=False,
        )
        progress = Progress()
        try:
            channel = target.conversation_id
            to_dm = channel is None or (reply.audience is Audience.DM and bool(target.user_id))
            if to_dm:
                channel = await poster.dm_channel(str(target.user_id))
            assert channel is not None
            group = not to_dm and is_channel(channel)
            reply, attachment = split_file(reply)
            messages = render(reply, notes_for(reply, group), answer=asks_in_channel(reply, group))
            # each message waits for the workspace's pace in the poster; the scheduler's
            # sender paces nothing itself
            if to_dm:
                await poster.visible(channel, messages, None, progress)
            elif reply.audience is Audience.PRIVATE and target.user_id and group:
                await poster.ephemeral(
                    channel, target.user_id, messages, target.thread_id, progress
                )
            else:
                await poster.visible(channel, messages, target.thread_id, progress)
            if attachment is not None:
                thread = None if to_dm else target.thread_id
                try:
                    await poster.upload(channel, attachment, thread)
                except (SlackApiError, SlackRequestError) as exc:
                    code = error_code(exc) if isinstance(exc, SlackApiError) else "upload_failed"
                    if code in GONE_WORKSPACE or code in GONE_CHANNEL or code == "ratelimited":
                        raise
                    log.info("slack file refused: key=%s error=%s", outgoing.key, code)
                    fallback = render(text_instead(replace(reply, attachment=attachment)), [])
                    await poster.visible(channel, fallback, thread, progress)
        except SlackApiError as exc:
            return await self._failed(outgoing, error_code(exc), retry_after(exc), progress.sent)
        except Released:  # the process stops while a part waits: the claim is released
            if progress.sent:
                return Result(Outcome.FAILED, detail=PARTIALLY_SENT)
            raise
        except NETWORK_ERRORS as exc:
            return self._partial(progress.sent) or Result(
                Outcome.RETRY, CONNECTION_RETRY_AFTER, type(exc).__name__
            )
        return Result(Outcome.SENT)

    @staticmethod
    def _partial(sent: int) -> Result | None:
        """A long reply is several messages: once a part is out, a retry would repeat it."""
        return Result(Outcome.FAILED, detail=PARTIALLY_SENT) if sent else None

    async def _failed(self, outgoing: Outgoing, code: str, wait: float, sent: int) -> Result:
        target = outgoing.target
        if code in GONE_WORKSPACE:
            self._workspaces.mark_gone(target.workspace_id)
            return Result(Outcome.GONE, detail=code)
        if code in GONE_CHANNEL:
            if target.conversation_id is not None:
                await self._engine.set_active(
                    PLATFORM, target.workspace_id, target.conversation_id, False
                )
            return Result(Outcome.GONE, detail=code)
        if code in GONE_USER:
            return Result(Outcome.GONE, detail=code)
        if code == "ratelimited":
            return self._partial(sent) or Result(Outcome.RETRY, wait, code)
        return Result(Outcome.FAILED, detail=code)
