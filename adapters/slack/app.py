"""The Bolt app: Slack requests in, engine events out, replies back. Translation only.

Every listener acknowledges first (Slack wants an answer within 3 seconds) and does the work
after that; Bolt runs listeners as asyncio tasks, so the HTTP response or Socket Mode ack goes
out as soon as `ack()` is called. The one exception is a modal submission, whose answer (close,
errors on the field, or the next question) is the ack itself.

Each listener gets Bolt's `client`, which speaks with the bot token of the workspace the request
came from (one fixed token, or the workspace's installation in OAuth mode).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import modals
from adapters.slack.installations import SlackInstallations
from adapters.slack.limits import INPUT_MAX
from adapters.slack.outbound import (
    NETWORK_ERRORS,
    Poster,
    Replier,
    Where,
    asks_in_channel,
    dm_cache,
    dm_channel,
    error_code,
    workspace_pace,
)
from adapters.slack.presentation import (
    EMPTY_ANSWER,
    FOREIGN_MODAL,
    HOW_TO_TYPE,
    MODAL_FAILED,
    SHORTCUT_NO_TEXT,
    STALE_MODAL,
    TOO_LONG,
    UNKNOWN_MODAL,
    USED_MODAL,
)
from adapters.slack.render import ANSWER_BUTTON, Message, context, from_slack, home_view
from adapters.slack.state import PLATFORM, People, Workspaces
from adapters.slack.store import Modal, SlackStore
from bot.core.context import Deps
from bot.core.engine import Engine
from bot.core.events import (
    Actor,
    Answer,
    ButtonPress,
    Command,
    Event,
    FormSubmitted,
    Keep,
    Membership,
    Place,
    StartPage,
    TextReply,
)
from bot.core.logsafe import failure
from bot.core.replies import Audience, Reply

log = logging.getLogger(__name__)

HELP = "hulp"
FORM_PURPOSE = "formulier"
NOT_A_TITLE = {"directmessage", "privategroup", ""}
ENGINE_BUTTON = re.compile(r"^k\d+$")
SUBMIT_WAIT = 2.0
"""Seconds a modal submission waits for the engine before closing the modal anyway (Slack
wants the answer within three); the replies then go to the channel."""


def is_im(channel_id: str, channel_name: str | None = None) -> bool:
    """A direct message with the bot (or between people): ids start with D."""
    return channel_id.startswith("D") or channel_name == "directmessage"


def quiet_logger(name: str) -> logging.Logger:
    """Bolt and slack_sdk log request bodies (message texts) at DEBUG and some at INFO; their
    loggers are pinned to WARNING so texts never reach the logs, whatever the root level."""
    logger = logging.getLogger(name)
    logger.setLevel(logging.WARNING)
    if not any(isinstance(f, _Plain) for f in logger.filters):
        logger.addFilter(_Plain())
    return logger


class _Plain(logging.Filter):
    """What Bolt itself warns about quotes the request ("Unhandled request ({body})") and its
    errors come with a traceback: each becomes one short line, the words before any detail and
    the error's class, never a body or a stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        words = str(record.msg).split("(", 1)[0].split("\n", 1)[0].strip()[:80]
        error = record.exc_info[1] if record.exc_info else None
        record.msg = f"slack-bolt: {words}" + (f" error={type(error).__name__}" if error else "")
        record.args = None
        record.exc_info = record.exc_text = record.stack_info = None
        return True


def _id(value: Any) -> str:
    """An id from a payload that may be malformed: only a short string counts."""
    return value[:40] if isinstance(value, str) else ""


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class SlackBot:
    def __init__(
        self,
        engine: Engine,
        client: AsyncWebClient,
        *,
        signing_secret: str = "",
        verify_requests: bool = True,
        bot_user_id: str | None = None,
        oauth_flow: AsyncOAuthFlow | None = None,
        authorize: Any = None,
        installations: SlackInstallations | None = None,
        paced: bool = True,
    ) -> None:
        """`paced`: every message waits for its workspace's pace (`engine.paces`, shared by
        every process); False only where a test measures what Slack does without it."""
        self.engine = engine
        self.paced = paced
        self.client = client
        self.bot_user_id = bot_user_id
        self.people = People()
        self.dms = dm_cache()
        self.store = SlackStore(engine.db)
        engine.router.tidy(self._tidy)
        self.workspaces = Workspaces()
        self.installations = installations
        self.sdk_logger = quiet_logger("kletspot.slack.sdk")
        self._inflight: set[asyncio.Task[Any]] = set()
        options: dict[str, Any] = {}
        if oauth_flow is not None:
            options = {"oauth_flow": oauth_flow, "authorize": authorize}
        self.app = AsyncApp(
            client=client,
            signing_secret=signing_secret,
            request_verification_enabled=verify_requests,
            logger=quiet_logger("kletspot.slack.bolt"),
            name="kletspot",
            **options,
        )
        self._register(self.app)

    # --- wiring ---------------------------------------------------------------------------

    def _register(self, app: AsyncApp) -> None:
        app.middleware(self._once)
        app.command(re.compile(r"^/"))(self.on_command)
        app.action(ANSWER_BUTTON)(self.on_answer_button)
        app.action(ENGINE_BUTTON)(self.on_action)
        app.action(re.compile(".*"))(self.on_other)
        app.shortcut(modals.SHORTCUT)(self.on_shortcut)
        app.shortcut(re.compile(".*"))(self.on_other)
        app.view(modals.ANSWER)(self.on_answer_submitted)
        app.view(modals.SHORTCUT)(self.on_shortcut_submitted)
        app.view(modals.FORM)(self.on_form_submitted)
        app.view(re.compile(".*"))(self.on_unknown_view)
        app.view_closed(re.compile(".*"))(self.on_other)
        app.options(re.compile(".*"))(self.on_other)  # no external selects: no options
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home)
        app.event("member_joined_channel")(self.on_joined)
        app.event("member_left_channel")(self.on_left)
        app.event("app_uninstalled")(self.on_uninstalled)
        app.event("tokens_revoked")(self.on_tokens_revoked)
        app.event(re.compile(".*"))(self.on_other)

    async def _once(self, body: dict[str, Any], next: Any) -> BoltResponse | None:
        """Each event and each interaction once, also across a restart or a second process:
        Events API retries carry the same event_id, a replayed slash command or interaction
        the same trigger_id (Slack makes one per interaction)."""
        if body.get("type") == "event_callback":
            key = f"event:{_id(body.get('event_id'))}" if _id(body.get("event_id")) else None
        else:
            trigger = body.get("trigger_id")
            key = f"trigger:{trigger[:200]}" if isinstance(trigger, str) and trigger else None
        if key is not None and not await self.store.first_time(key):
            log.info(
                "slack request skipped as duplicate: kind=%s",
                "event" if key.startswith("event:") else "interaction",
            )
            return BoltResponse(status=200, body="")
        response: BoltResponse | None = await next()
        return response

    async def _tidy(self, deps: Deps, now: datetime) -> int:
        return await self.store.prune(now.timestamp())

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

    def _poster(self, client: AsyncWebClient, team: str) -> Poster:
        """Sends into conversations of `team`, each message at the workspace's pace, a reply
        before any waiting scheduled post."""
        pace = workspace_pace(self.engine, team, self.paced)
        return Poster(client, pace, self.dms, logger=self.sdk_logger)

    def _replier(self, client: AsyncWebClient, team: str) -> Replier:
        poster = self._poster(client, team)

        async def open_modal(reply: Reply, where: Where) -> bool:
            if reply.form is not None:
                return await self._open_form(client, where, reply)
            return await self._open_answer(client, where, reply)

        return Replier(poster, open_modal)

    async def on_other(self, ack: Any) -> None:
        """Events, actions and shortcuts the app does not use: acknowledged, nothing else."""
        await ack()

    # --- slash command --------------------------------------------------------------------

    async def on_command(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        self._track()
        await ack()
        team, channel = _id(body.get("team_id")), _id(body.get("channel_id"))
        user = _id(body.get("user_id"))
        try:
            words = from_slack(body.get("text") or "").strip().split(maxsplit=1)
            name = words[0].lower().lstrip("/") if words else HELP
            args = words[1].strip() if len(words) > 1 else ""
            name = name or HELP
            channel_name = body.get("channel_name")
            group = not await self._own_dm(client, channel, channel_name, user)
            place = Place(
                channel, is_group=group, title=None if channel_name in NOT_A_TITLE else channel_name
            )
            actor = await self.people.actor(client, team, user, body.get("user_name"))
            router = self.engine.router
            aliases = router.aliases
            known = name in router.commands or name in aliases
            log.info(
                "slack command: team=%s channel=%s user=%s name=%s",
                team,
                channel,
                user,
                name if known else "(onbekend)",
            )
            replies = await self.engine.handle(Event(actor, place, Command(name, args)))
            where = Where(
                team,
                channel,
                user,
                group,
                None,
                Audience.HERE,
                body.get("response_url"),
                body.get("trigger_id"),
            )
            notes = [HOW_TO_TYPE] if aliases.get(name, name) == HELP else []
            await self._replier(client, team).send(replies, where, notes)
        except Exception as exc:
            log.error(
                "slack command failed: team=%s channel=%s user=%s error=%s",
                team,
                channel,
                user,
                failure(exc),
            )

    # --- buttons --------------------------------------------------------------------------

    async def on_action(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        self._track()
        await ack()
        user = _id(_obj(body.get("user")).get("id"))
        team = _id(_obj(body.get("team")).get("id")) or _id(_obj(body.get("user")).get("team_id"))
        try:
            action = _obj((body.get("actions") or [{}])[0])
            value = action.get("value")
            if not value or not user:
                return
            container = _obj(body.get("container"))
            channel = _id(_obj(body.get("channel")).get("id")) or _id(container.get("channel_id"))
            if container.get("type") == "view" or not channel:
                # App Home: its buttons belong to the user's DM with the bot
                meta = str(_obj(body.get("view")).get("private_metadata") or "")
                channel = meta if meta.startswith("D") else await dm_channel(client, self.dms, user)
                where = Where(team, channel, user, False, trigger_id=body.get("trigger_id"))
                place = Place(channel, is_group=False)
            else:
                group = not await self._own_dm(client, channel, None, user)
                message = _obj(body.get("message"))
                thread = container.get("thread_ts") or message.get("thread_ts")
                default = Audience.PRIVATE if container.get("is_ephemeral") else Audience.HERE
                where = Where(
                    team,
                    channel,
                    user,
                    group,
                    thread,
                    default,
                    body.get("response_url"),
                    body.get("trigger_id"),
                )
                name = _obj(body.get("channel")).get("name")
                place = Place(
                    channel,
                    is_group=group,
                    thread_id=thread,
                    title=None if name in NOT_A_TITLE else name,
                )
            actor = await self.people.actor(
                client, team, user, _obj(body.get("user")).get("username")
            )
            log.info("slack button: team=%s channel=%s user=%s", team, channel, user)
            replies = await self.engine.handle(Event(actor, place, ButtonPress(str(value))))
            if container.get("type") == "view":
                # a reply that takes the place of the pressed message: the Home tab is that
                # message, published again with the reply on top
                shown = [replace(r, replaces=False) for r in replies if r.replaces]
                replies = [r for r in replies if not r.replaces]
                if shown:
                    await self._publish_home(client, actor, channel, shown)
            await self._replier(client, team).send(replies, where)
        except Exception as exc:
            log.error("slack button failed: team=%s user=%s error=%s", team, user, failure(exc))

    # --- modals: answering a question in a channel ----------------------------------------

    async def _open_answer(
        self, client: AsyncWebClient, where: Where, question: Reply | None
    ) -> bool:
        """views.open with the interaction's trigger_id; False when Slack would not (an
        expired trigger_id, Slack unreachable): the caller answers in the channel instead."""
        if not where.trigger_id:
            return False
        thread = question.thread_id if question and question.thread_id else where.thread_ts
        token = await self.store.open_modal(
            "antwoord", where.team, where.user, where.channel, thread
        )
        return await self._open_view(
            client, where, token, "antwoord", modals.answer_view(token, question)
        )

    async def _open_view(
        self, client: AsyncWebClient, where: Where, token: str, purpose: str, view: dict[str, Any]
    ) -> bool:
        """views.open for a modal the store just recorded; on failure the record goes."""
        try:
            await client.views_open(trigger_id=where.trigger_id, view=view)
        except Exception as exc:
            await self.store.forget_modal(token)
            log.warning(
                "slack views.open failed: team=%s user=%s error=%s",
                where.team,
                where.user,
                _reason(exc),
            )
            return False
        log.info(
            "slack modal opened: team=%s channel=%s user=%s purpose=%s",
            where.team,
            where.channel,
            where.user,
            purpose,
        )
        return True

    async def _open_form(self, client: AsyncWebClient, where: Where, reply: Reply) -> bool:
        """The engine's form as a modal of native elements; the form's own token travels in
        private_metadata beside the modal's, and the engine checks it like a button's."""
        form = reply.form
        if form is None or not where.trigger_id:
            return False
        thread = reply.thread_id or where.thread_ts
        token = await self.store.open_modal(
            FORM_PURPOSE, where.team, where.user, where.channel, thread
        )
        return await self._open_view(
            client, where, token, FORM_PURPOSE, modals.form_view(f"{token} {form.token}", form)
        )

    async def on_form_submitted(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """A form filled in: each field's values to the engine as `FormSubmitted`; what it
        cannot use comes back as errors on the fields, and the modal stays open."""
        self._track()
        user = _id(_obj(body.get("user")).get("id"))
        team = _id(_obj(body.get("team")).get("id")) or _id(_obj(body.get("user")).get("team_id"))
        meta = view.get("private_metadata")
        token, _, form_token = (meta if isinstance(meta, str) else "").partition(" ")
        modal = await self.store.modal(token) if token else None
        names = modals.field_names(view)
        problem: str | None = None
        if modal is None or modal.purpose != FORM_PURPOSE or not form_token or not names:
            problem, reason = UNKNOWN_MODAL, "unknown"
        elif modal.user_id != user or modal.team_id != team:
            problem, reason = FOREIGN_MODAL, "foreign"
        elif self.store.stale(modal):
            problem, reason = STALE_MODAL, "stale"
        if problem is not None:
            log.info("slack modal refused: team=%s user=%s reason=%s", team, user, reason)
            await ack(**modals.errors({names[0] if names else modals.INPUT_BLOCK: problem}))
            return
        assert modal is not None
        values = modals.submitted_values(view, names)
        values = {k: tuple(from_slack(v) for v in vs) for k, vs in values.items()}
        long = {
            name: TOO_LONG.format(size=len(v), limit=INPUT_MAX)
            for name, vs in values.items()
            for v in vs
            if len(v) > INPUT_MAX
        }
        if long:
            await ack(**modals.errors(long))
            return
        if modal.used_at is not None or not await self.store.use_modal(modal.token):
            await ack(**modals.errors({names[0]: USED_MODAL}))
            return
        await self._submit(ack, client, modal, FormSubmitted(form_token[:100], values))

    async def on_answer_button(
        self, ack: Any, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """ "Antwoorden" under a question in a channel: the modal to type the answer in."""
        self._track()
        await ack()
        user = _id(_obj(body.get("user")).get("id"))
        team = _id(_obj(body.get("team")).get("id")) or _id(_obj(body.get("user")).get("team_id"))
        container = _obj(body.get("container"))
        channel = _id(_obj(body.get("channel")).get("id")) or _id(container.get("channel_id"))
        if not user or not channel:
            return
        thread = container.get("thread_ts") or _obj(body.get("message")).get("thread_ts")
        where = _only_for(body, team, channel, user, thread)
        if not await self._open_answer(client, where, None):
            await self._tell(client, where, MODAL_FAILED)

    async def _tell(self, client: AsyncWebClient, where: Where, text: str) -> None:
        """An adapter message only this person sees, where they are."""
        message = Message(text, [context(text)])
        try:
            await self._poster(client, where.team).ephemeral(
                where.channel, where.user, [message], where.thread_ts
            )
        except Exception as exc:
            log.warning(
                "slack notice failed: team=%s channel=%s error=%s",
                where.team,
                where.channel,
                _reason(exc),
            )

    async def _check(
        self, body: dict[str, Any], view: dict[str, Any], purpose: str
    ) -> tuple[Modal | None, str, dict[str, Any] | None]:
        """The modal behind a submission, the text, or the error to show on the field."""
        user = _id(_obj(body.get("user")).get("id"))
        team = _id(_obj(body.get("team")).get("id")) or _id(_obj(body.get("user")).get("team_id"))
        token = view.get("private_metadata")
        modal = await self.store.modal(token) if isinstance(token, str) and token else None
        text = modals.submitted_text(view)
        problem: str | None = None
        if modal is None or modal.purpose != purpose or text is None:
            problem, reason = UNKNOWN_MODAL, "unknown"
        elif modal.user_id != user or modal.team_id != team:
            problem, reason = FOREIGN_MODAL, "foreign"
        elif self.store.stale(modal):
            problem, reason = STALE_MODAL, "stale"
        elif not (text or "").strip():
            problem, reason = EMPTY_ANSWER, "empty"
        elif len(text or "") > INPUT_MAX:
            problem, reason = TOO_LONG.format(size=len(text or ""), limit=INPUT_MAX), "too_long"
        elif modal.used_at is not None or not await self.store.use_modal(modal.token):
            problem, reason = USED_MODAL, "used"
        if problem is not None:
            log.info("slack modal refused: team=%s user=%s reason=%s", team, user, reason)
            return None, "", modals.error(problem)
        return modal, from_slack(text or "").strip(), None

    async def on_answer_submitted(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """The text is an `Answer`: the engine answers the question that waits, or says in
        Dutch that none does. A next question replaces the modal's content."""
        self._track()
        modal, text, problem = await self._check(body, view, "antwoord")
        if modal is None:
            await ack(**(problem or {}))
            return
        await self._submit(ack, client, modal, Answer(text))

    async def _submit(
        self, ack: Any, client: AsyncWebClient, modal: Modal, what: Answer | Keep | FormSubmitted
    ) -> None:
        team, channel, user = modal.team_id, modal.channel_id, modal.user_id
        acked = False
        try:
            group = not await self._own_dm(client, channel, None, user)
            where = Where(team, channel, user, group, modal.thread_ts, Audience.HERE)
            log.info(
                "slack modal submitted: team=%s channel=%s user=%s purpose=%s",
                team,
                channel,
                user,
                modal.purpose,
            )
            work = asyncio.ensure_future(
                self._handle_for(client, team, user, channel, group, modal.thread_ts, what)
            )
            done, _ = await asyncio.wait({work}, timeout=SUBMIT_WAIT)
            if not done:
                await ack()
                acked = True
            replies = await work
            refused = next((r for r in replies if r.field_errors), None)
            if refused is not None and not acked:
                await self.store.reopen_modal(modal.token)  # the person corrects and sends again
                await ack(**modals.errors({e.name: e.message for e in refused.field_errors}))
                acked = True
                replies = [r for r in replies if r is not refused]
            following = next(
                (
                    r
                    for r in replies
                    if asks_in_channel(r, group) and not r.buttons and r.attachment is None
                ),
                None,
            )
            if following is not None and not acked:
                token = await self.store.open_modal(
                    "antwoord", team, user, channel, modal.thread_ts
                )
                await ack(response_action="update", view=modals.answer_view(token, following))
                acked = True
                replies = [r for r in replies if r is not following]
            if not acked:
                await ack()
                acked = True
            await self._replier(client, team).send(replies, where)
        except Exception as exc:
            if not acked:
                await ack()
            log.error("slack modal failed: team=%s user=%s error=%s", team, user, failure(exc))

    async def _handle_for(
        self,
        client: AsyncWebClient,
        team: str,
        actor_id: str,
        channel: str,
        group: bool,
        thread: str | None,
        what: Answer | Keep | FormSubmitted,
    ) -> list[Reply]:
        actor = await self.people.actor(client, team, actor_id)
        place = Place(channel, is_group=group, thread_id=thread)
        return await self.engine.handle(Event(actor, place, what))

    async def on_unknown_view(self, ack: Any) -> None:
        await ack(**modals.error(UNKNOWN_MODAL))

    # --- the message shortcut "Bewaar als aanknopingspunt" ---------------------------------

    async def on_shortcut(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        self._track()
        await ack()
        user = _id(_obj(body.get("user")).get("id"))
        team = _id(_obj(body.get("team")).get("id")) or _id(_obj(body.get("user")).get("team_id"))
        channel = _id(_obj(body.get("channel")).get("id"))
        message = _obj(body.get("message"))
        if not user or not channel:
            return
        thread = message.get("thread_ts") if isinstance(message.get("thread_ts"), str) else None
        where = _only_for(body, team, channel, user, thread)
        raw = message.get("text")
        text = from_slack(raw if isinstance(raw, str) else "")
        if not text.strip():
            await self._tell(client, where, SHORTCUT_NO_TEXT)
            return
        author = _id(message.get("user")) if not message.get("bot_id") else ""
        try:
            name = (await self.people.actor(client, team, author)).display_name if author else None
            token = await self.store.open_modal(
                "bewaar", team, user, channel, thread, author or user
            )
            try:
                await client.views_open(
                    trigger_id=where.trigger_id or "",
                    view=modals.shortcut_view(token, text.strip(), name),
                )
            except Exception as exc:
                await self.store.forget_modal(token)
                log.warning(
                    "slack views.open failed: team=%s user=%s error=%s", team, user, _reason(exc)
                )
                await self._tell(client, where, MODAL_FAILED)
                return
            log.info(
                "slack modal opened: team=%s channel=%s user=%s purpose=bewaar", team, channel, user
            )
        except Exception as exc:
            log.error("slack shortcut failed: team=%s user=%s error=%s", team, user, failure(exc))

    async def on_shortcut_submitted(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """The point is noted by whoever saved it, in that channel; the message's author is
        kept by name in the point, not made to act: they did not ask the bot anything."""
        self._track()
        modal, text, problem = await self._check(body, view, "bewaar")
        if modal is None:
            await ack(**(problem or {}))
            return
        author = None
        if modal.author_id and modal.author_id != modal.user_id:
            author = (await self.people.actor(client, modal.team_id, modal.author_id)).display_name
        await self._submit(ack, client, modal, Keep(text, author))

    # --- the Messages tab (message.im) ----------------------------------------------------

    async def on_message(
        self,
        ack: Any,
        body: dict[str, Any],
        event: dict[str, Any],
        context: Any,
        client: AsyncWebClient,
    ) -> None:
        self._track()
        await ack()
        if (
            event.get("channel_type") != "im"
            or event.get("subtype")
            or event.get("bot_id")
            or not _id(event.get("user"))
            or event.get("user") == self._bot_user(context)
        ):
            log.debug("slack message ignored: subtype=%s", _id(event.get("subtype")))
            return
        team, channel, user = _id(body.get("team_id")), _id(event.get("channel")), event["user"]
        try:
            raw = event.get("text")
            text = from_slack(raw if isinstance(raw, str) else "").strip()
            if not text:
                return
            thread = event.get("thread_ts") if isinstance(event.get("thread_ts"), str) else None
            actor = await self.people.actor(client, team, user)
            place = Place(channel, is_group=False, thread_id=thread)
            event_obj = Event(actor, place, TextReply(text))
            log.info(
                "slack message: team=%s channel=%s user=%s kind=%s",
                team,
                channel,
                user,
                event_obj.kind,
            )
            replies = await self.engine.handle(event_obj)
            await self._replier(client, team).send(
                replies, Where(team, channel, user, False, thread)
            )
        except Exception as exc:
            log.error(
                "slack message failed: team=%s channel=%s user=%s error=%s",
                team,
                channel,
                user,
                failure(exc),
            )

    # --- App Home -------------------------------------------------------------------------

    async def on_home(
        self, ack: Any, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
    ) -> None:
        self._track()
        await ack()
        if event.get("tab") != "home" or not _id(event.get("user")):
            return
        team, user = _id(body.get("team_id")), event["user"]
        try:
            channel = _id(event.get("channel")) or await dm_channel(client, self.dms, user)
            actor = await self.people.actor(client, team, user)
            log.info("slack home opened: team=%s user=%s", team, user)
            await self._publish_home(client, actor, channel)
        except SlackApiError as exc:
            log.warning(
                "slack views.publish failed: team=%s user=%s error=%s", team, user, error_code(exc)
            )
        except NETWORK_ERRORS as exc:
            log.warning(
                "slack home failed: team=%s user=%s error=%s", team, user, type(exc).__name__
            )
        except Exception as exc:
            log.error("slack home failed: team=%s user=%s error=%s", team, user, failure(exc))

    async def _publish_home(
        self, client: AsyncWebClient, actor: Actor, channel: str, above: Sequence[Reply] = ()
    ) -> None:
        """The person's start page as the engine shows it, in the Home tab (views.publish)."""
        replies = await self.engine.handle(
            Event(actor, Place(channel, is_group=False), StartPage())
        )
        await client.views_publish(
            user_id=actor.user_id, view=home_view([*above, *replies], channel)
        )

    # --- membership and installation ------------------------------------------------------

    async def on_joined(
        self,
        ack: Any,
        body: dict[str, Any],
        event: dict[str, Any],
        context: Any,
        client: AsyncWebClient,
    ) -> None:
        self._track()
        await ack()
        bot = self._bot_user(context)
        if not bot or event.get("user") != bot:
            return
        team, channel = _id(body.get("team_id")), _id(event.get("channel"))
        try:
            self.workspaces.mark_back(team)
            inviter = _id(event.get("inviter"))
            actor = (
                await self.people.actor(client, team, inviter)
                if inviter
                else Actor(PLATFORM, team, bot, "Kletspot")
            )
            title = await self._channel_name(client, channel)
            log.info("slack bot joined: team=%s channel=%s", team, channel)
            replies = await self.engine.handle(
                Event(actor, Place(channel, is_group=True, title=title), Membership(True))
            )
            await self._replier(client, team).send(
                replies, Where(team, channel, inviter or bot, True)
            )
        except Exception as exc:
            log.error("slack join failed: team=%s channel=%s error=%s", team, channel, failure(exc))

    async def on_left(
        self, ack: Any, body: dict[str, Any], event: dict[str, Any], context: Any
    ) -> None:
        self._track()
        await ack()
        bot = self._bot_user(context)
        if not bot or event.get("user") != bot:
            return
        team, channel = _id(body.get("team_id")), _id(event.get("channel"))
        log.info("slack bot left: team=%s channel=%s", team, channel)
        try:
            await self.engine.handle(
                Event(
                    Actor(PLATFORM, team, bot, "Kletspot"),
                    Place(channel, is_group=True),
                    Membership(False),
                )
            )
        except Exception as exc:
            log.error(
                "slack leave failed: team=%s channel=%s error=%s", team, channel, failure(exc)
            )

    async def on_uninstalled(self, ack: Any, body: dict[str, Any]) -> None:
        self._track()
        await ack()
        team = _id(body.get("team_id"))
        log.info("slack app uninstalled: team=%s", team)
        await self.gone(team, _id(body.get("enterprise_id")) or None)

    async def on_tokens_revoked(
        self, ack: Any, body: dict[str, Any], event: dict[str, Any]
    ) -> None:
        self._track()
        await ack()
        team = _id(body.get("team_id"))
        bots = _obj(event.get("tokens")).get("bot") or []
        log.info(
            "slack tokens revoked: team=%s bot_tokens=%d",
            team,
            len(bots) if isinstance(bots, list) else 0,
        )
        if bots:
            await self.gone(team, _id(body.get("enterprise_id")) or None)

    async def gone(self, team: str, enterprise: str | None = None) -> None:
        """The app was removed from a workspace: its installation goes and nothing more is
        sent there until it is installed again (`installed`)."""
        try:
            self.workspaces.mark_gone(team)
            if self.installations is not None:
                await self.installations.async_delete_all(enterprise_id=enterprise, team_id=team)
            await self.engine.set_active(PLATFORM, team, None, False)
        except Exception as exc:
            log.error("slack uninstall failed: team=%s error=%s", team, failure(exc))

    async def installed(self, team: str) -> None:
        """A (re)install: scheduled sends to the workspace resume; a channel the bot has left
        since stops again at its first failed send (not_in_channel)."""
        self.workspaces.mark_back(team)
        await self.engine.set_active(PLATFORM, team, None, True)

    async def _own_dm(
        self, client: AsyncWebClient, channel: str, channel_name: str | None, user: str
    ) -> bool:
        """Only the user's DM with the app is private: `/kletspot` typed in a DM between two
        people must not put anyone's notes in front of the other."""
        if not is_im(channel, channel_name):
            return False
        try:
            return await dm_channel(client, self.dms, user) == channel
        except Exception:
            return False

    async def _channel_name(self, client: AsyncWebClient, channel: str) -> str | None:
        try:
            response = await client.conversations_info(channel=channel)
            name = _obj(response.get("channel")).get("name")
        except Exception:
            return None
        return str(name) if isinstance(name, str) and name else None


def _reason(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        try:
            return error_code(exc)
        except Exception:
            return "SlackApiError"
    return type(exc).__name__


def _only_for(
    body: dict[str, Any], team: str, channel: str, user: str, thread: str | None
) -> Where:
    """An interaction in a channel whose answers only the person who acted sees."""
    return Where(
        team,
        channel,
        user,
        True,
        thread,
        Audience.PRIVATE,
        body.get("response_url"),
        body.get("trigger_id"),
    )
