"""The door of `/slack/events` in HTTP mode: refuse cheaply, before Bolt sees anything.

Slack signs every request (X-Slack-Signature over `v0:timestamp:body`, X-Slack-Request-Timestamp
within five minutes; https://api.slack.com/authentication/verifying-requests-from-slack). The
headers are checked before the body is read, the length before it is read whole, the signature
before it is parsed, and the shape before Bolt dispatches it. A refusal is one short log line
with a reason and never the body; malformed or unsigned requests get 400, a wrong or stale
signature 401 (what Bolt answers), and nothing here can answer 500.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

MAX_BODY = 1024**2
"""Slack's own payloads stay far below this (a modal submission with 100 blocks is ~100 KB)."""
_SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_headers(request: web.Request) -> None:
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    signature = request.headers.get("X-Slack-Signature", "")
    if not timestamp or not signature:
        raise Refused(400, "unsigned")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise Refused(400, "bad_timestamp")
    if not _SIGNATURE.match(signature):
        raise Refused(400, "bad_signature_header")
    length = request.content_length
    if length is None:
        raise Refused(400, "no_length")
    if length > MAX_BODY:
        raise Refused(400, "too_large")


def check_shape(body: str, content_type: str) -> None:
    """What Bolt would choke on: a body that is neither a JSON object nor a form Slack sends."""
    try:
        if content_type == "application/json":
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("type"), str):
                raise Refused(400, "malformed_json")
            if data["type"] == "event_callback" and not isinstance(data.get("event"), dict):
                raise Refused(400, "malformed_event")
            if data["type"] == "event_callback" and not isinstance(data["event"].get("type"), str):
                raise Refused(400, "malformed_event")
            return
        if content_type != "application/x-www-form-urlencoded":
            raise Refused(400, "content_type")
        form = parse_qs(body, keep_blank_values=True)
        if "payload" in form:
            payload = json.loads(form["payload"][0])
            if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
                raise Refused(400, "malformed_payload")
            actions = payload.get("actions")
            if payload["type"] == "block_actions" and (
                not isinstance(actions, list) or not actions or not isinstance(actions[0], dict)
            ):
                raise Refused(400, "malformed_payload")
            if payload["type"] in ("view_submission", "view_closed") and not isinstance(
                payload.get("view"), dict
            ):
                raise Refused(400, "malformed_payload")
            steps = payload["type"] == "workflow_step_edit" or (
                payload["type"] == "view_submission"
                and payload["view"].get("type") == "workflow_step"
            )
            if steps and not isinstance(payload.get("workflow_step"), dict):
                raise Refused(400, "malformed_payload")  # Bolt reads payload["workflow_step"]
            return
        if not form.get("command") or not form.get("team_id") or not form.get("user_id"):
            raise Refused(400, "malformed_form")
    except (ValueError, UnicodeError):
        raise Refused(400, "malformed") from None


Dispatch = Callable[[web.Request, str], Awaitable[web.StreamResponse]]


def gate(
    signing_secret: str, dispatch: Dispatch
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    verifier = SignatureVerifier(signing_secret)

    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            check_headers(request)
            raw = await request.content.read(MAX_BODY + 1)
            if len(raw) > MAX_BODY:
                raise Refused(400, "too_large")
            try:
                body = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise Refused(400, "not_utf8") from None
            if not verifier.is_valid(
                body,
                request.headers["X-Slack-Request-Timestamp"],
                request.headers["X-Slack-Signature"],
            ):
                raise Refused(401, "signature")
            check_shape(body, request.content_type)
            response = await dispatch(request, body)
        except Refused as refused:
            log.warning(
                "slack request refused: status=%s reason=%s", refused.status, refused.reason
            )
            return web.Response(status=refused.status, text="")
        except Exception as exc:  # Bolt choked on something the shape check let through
            log.warning("slack request refused: status=400 reason=%s", type(exc).__name__)
            return web.Response(status=400, text="")
        if response.status >= 500:
            log.warning("slack request refused: status=400 reason=bolt_%s", response.status)
            return web.Response(status=400, text="")
        return response

    return handle
