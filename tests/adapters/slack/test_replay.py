"""Every request body from the public tests of slack-bolt and python-slack-sdk
(tests/adapters/slack/fixtures/*.json, each with its source), posted to /slack/events as Slack
sends them: signed, the same unsigned, and with a broken body. Signed shapes get 200 (or 400 for
one Bolt cannot read), never 500, with no traceback in the log; unsigned or broken ones get 400;
after each shape a normal slash command is still answered."""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.adapters.slack.conftest import Slack
from tests.adapters.slack.fake_slack import SECRET, signature

FIXTURES = Path(__file__).parent / "fixtures"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def load() -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for path in sorted(FIXTURES.glob("*.json")):
        for shape in json.loads(path.read_text(encoding="utf-8"))["shapes"]:
            assert shape["source"].startswith(("slackapi/bolt-python", "slackapi/python-slack-sdk"))
            out.append((shape["source"], shape["kind"], shape["body"]))
    return out


SHAPES = load()


def contents(body: Any) -> set[str]:
    """What someone typed, chose or searched for in the body: none of it may reach the log."""
    found: set[str] = set()
    if isinstance(body, dict):
        for key, value in body.items():
            if key in ("text", "value", "query") and isinstance(value, str) and len(value) >= 4:
                found.add(value)
            found |= contents(value)
    elif isinstance(body, list):
        for value in body:
            found |= contents(value)
    return found


def encode(kind: str, body: dict[str, Any]) -> tuple[str, str]:
    if kind == "json":
        return json.dumps(body), JSON
    if kind == "payload":
        return urlencode({"payload": json.dumps(body)}), FORM
    return urlencode(body), FORM


def headers(body: str, content_type: str) -> dict[str, str]:
    ts = str(int(time.time()))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(SECRET, ts, body),
    }


async def post(slack: Slack, body: str, head: dict[str, str]) -> int:
    async with slack.sender.session.post(
        slack.sender.url, data=body.encode(), headers=head
    ) as response:
        await response.read()
        return response.status


def broken(kind: str, body: str) -> list[str]:
    """The same body cut short, with its JSON damaged, and emptied; a slash command without
    the fields that say who typed it where."""
    cut = body[: len(body) // 2]
    if kind == "form":
        return [
            "&".join(
                p
                for p in body.split("&")
                if p.split("=")[0] not in ("command", "user_id", "team_id")
            ),
            "",
        ]
    if kind == "payload":
        return [cut + "%7B", body.replace("%7B", "%5B", 1), ""]
    return [cut, body.replace("{", "[", 1), ""]


def short_id(source: str) -> str:
    repo, path = source.split(" ", 1)
    return f"{repo.split('/')[1].split('@')[0]}:{path.split('/')[-1]}"


@pytest.mark.parametrize("source, kind, body", SHAPES, ids=[short_id(s[0]) for s in SHAPES])
async def test_every_shape_signed_unsigned_and_broken(
    slack: Slack, caplog, source: str, kind: str, body: dict[str, Any]
) -> None:
    caplog.set_level(logging.INFO)
    raw, content_type = encode(kind, body)

    # signed, as Slack sends it: read or acknowledged, or refused as unreadable; never a 500
    status = await post(slack, raw, headers(raw, content_type))
    await slack.adapter.bot.idle()
    assert status in (200, 400), source

    # the same unsigned, and with a signature of another secret: refused before it is read
    assert await post(slack, raw, {"Content-Type": content_type}) == 400
    ts = str(int(time.time()))
    forged = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature("een-ander-geheim", ts, raw),
    }
    assert await post(slack, raw, forged) == 401

    # signed but broken: 400
    for damaged in broken(kind, raw):
        assert await post(slack, damaged, headers(damaged, content_type)) == 400, damaged[:80]

    # nothing blocked: a normal command still gets its question
    before = len(slack.fake.posts())
    status, _ = await slack.command("vraag groen", user="U2", user_name="bob")
    assert status == 200
    assert "Groen" in str(slack.fake.posts()[before:])

    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    leaked = {t for t in contents(body) if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", caplog.text)}
    assert not leaked, f"content in the log: {leaked}"
    assert all(len(r.getMessage()) < 120 for r in caplog.records if r.levelno >= logging.WARNING)
