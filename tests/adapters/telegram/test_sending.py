"""Telegram's limits: long texts split, RetryAfter waited out, Forbidden, private replies."""

from __future__ import annotations

import pytest

from adapters.telegram import TelegramAdapter
from adapters.telegram.adapter import Origin
from adapters.telegram.render import split, to_html, utf16_len
from bot.core.delivery import PARTIALLY_SENT, Outcome
from bot.core.engine import Engine
from bot.core.replies import Attachment, Audience, Outgoing, Span, Target, b, say
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.conftest import Sleeps
from tests.adapters.telegram.fake_api import FakeBotApi

GROUP = U.group()

# PTB's own RetryAfter constructor reads its deprecated int attribute; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


def test_split_at_paragraphs_keeps_formatting_and_limits() -> None:
    para = "Een alinea met wat tekst. " * 30  # ~780 characters
    spans = tuple([b("Titel\n\n")] + [Span(para + "\n\n") for _ in range(12)])
    parts = split(spans)
    assert len(parts) == 3
    for part in parts:
        text = "".join(s.text for s in part)
        assert 0 < utf16_len(text) <= 4096
        assert text.endswith("tekst.") and not text.startswith("\n")  # cut between paragraphs
    assert parts[0][0] == b("Titel\n\n")  # formatting survives
    joined = "".join(s.text for p in parts for s in p)
    assert joined.count("Een alinea") == 30 * 12
    # no break possible at all: hard cut, and emoji count as two UTF-16 units
    dense = (Span("🙂" * 5000),)
    assert [utf16_len(p[0].text) for p in split(dense)] == [4096, 4096, 1808]


def test_html_escapes_every_span() -> None:
    spans = (b("<b>&"), Span(" en "), Span("<i>x</i>", italic=True))
    assert to_html(spans) == "<b>&lt;b&gt;&amp;</b> en <i>&lt;i&gt;x&lt;/i&gt;</i>"


def test_parts_put_buttons_on_the_last_message_and_long_captions_apart() -> None:
    from bot.core.replies import Button

    long = say(*(["Alinea " * 100 + "\n\n"] * 12), buttons=[Button("Verder", "tok1")])
    parts = TelegramAdapter.parts(long)
    assert len(parts) == 3
    assert [p.markup is not None for p in parts] == [False, False, True]
    doc = Attachment("punten.md", "# Punten\n")
    short = TelegramAdapter.parts(say("Het overzicht.", attachment=doc))
    assert len(short) == 1 and short[0].html == "Het overzicht." and short[0].document
    wordy = TelegramAdapter.parts(say("Lang. " * 300, attachment=doc))  # > 1024: no caption
    assert [bool(p.document) for p in wordy] == [False, True] and wordy[1].html == ""


async def test_long_listing_is_split_at_line_boundaries(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    for n in range(3):
        await tg.process(U.message(GROUP, U.AN, f"/noteer punt {n} " + "lang verhaal " * 140))
    mark = api.mark()
    await tg.process(U.message(GROUP, U.AN, "/punten"))
    parts = api.since(mark)
    assert len(parts) == 2
    assert all(len(p.params["text"]) <= 4096 for p in parts)
    assert parts[0].text.startswith("<b>Aanknopingspunten in dit gesprek (3)</b>")
    assert "punten export" in parts[-1].text


async def test_retry_after_on_a_reply_is_waited_out_and_retried(
    tg: TelegramAdapter, api: FakeBotApi, sleeps: Sleeps
) -> None:
    api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    await tg.process(U.message(GROUP, U.AN, "/vraag"))
    assert len(api.of("sendMessage", ok=False)) == 2  # the refused attempt and the retry
    assert len(api.sent()) == 1
    assert sleeps.waits == [1.0]


async def test_network_errors_on_a_reply_are_retried_with_backoff(
    tg: TelegramAdapter, api: FakeBotApi, sleeps: Sleeps
) -> None:
    api.fail("sendMessage", 502, "Bad Gateway", times=2)
    await tg.process(U.message(GROUP, U.AN, "/vraag"))
    assert len(api.sent()) == 1
    assert sleeps.waits == [0.5, 1.0]


async def test_forbidden_on_a_reply_marks_the_conversation_inactive(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    api.fail("sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat")
    await tg.process(U.message(GROUP, U.AN, "/vraag"))
    assert len(api.of("sendMessage", ok=False)) == 1  # no retry loop
    assert await engine.db.scalar("SELECT active FROM conversations") == 0


async def test_deliver_maps_errors_to_outcomes(
    tg: TelegramAdapter, api: FakeBotApi, engine: Engine
) -> None:
    await tg.process(U.message(GROUP, U.AN, "/vraag"))
    target = Target("telegram", "telegram", conversation_id=str(GROUP["id"]))
    outgoing = Outgoing(target, say("De kletspot is afgelopen."), key="session-end:1")

    assert (await tg.deliver(outgoing)).outcome is Outcome.SENT

    api.fail("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    result = await tg.deliver(outgoing)
    assert (result.outcome, result.retry_after) == (Outcome.RETRY, 7.0)

    api.fail("sendMessage", 502, "Bad Gateway")
    result = await tg.deliver(outgoing)
    assert result.outcome is Outcome.RETRY and result.retry_after > 0

    api.fail("sendMessage", 400, "Bad Request: can't parse entities")
    result = await tg.deliver(outgoing)
    assert (result.outcome, result.detail) == (Outcome.FAILED, "BadRequest")

    before = len(api.of("sendMessage", ok=False))
    api.fail("sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat")
    result = await tg.deliver(outgoing)
    assert result.outcome is Outcome.GONE
    assert len(api.of("sendMessage", ok=False)) == before + 1  # one attempt, no retries
    assert await engine.db.scalar("SELECT active FROM conversations") == 0

    api.fail("sendMessage", 400, "Bad Request: chat not found")
    assert (await tg.deliver(outgoing)).outcome is Outcome.GONE


async def test_a_post_whose_later_part_fails_is_not_sent_again(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    """Its text went, its file did not: a retry would post the text twice."""
    target = Target("telegram", "telegram", conversation_id=str(GROUP["id"]))
    long = "Een overzicht van deze week, met alles wat het team afsprak. " * 30
    outgoing = Outgoing(target, say(long, attachment=Attachment("overzicht.md", "# Week\n")))
    api.fail("sendDocument", 502, "Bad Gateway")
    result = await tg.deliver(outgoing)
    assert (result.outcome, result.detail) == (Outcome.FAILED, PARTIALLY_SENT)
    assert len(api.of("sendMessage")) == 1 and len(api.of("sendDocument", ok=False)) == 1
    api.fail("sendMessage", 502, "Bad Gateway")  # nothing went yet: worth another try
    assert (await tg.deliver(outgoing)).outcome is Outcome.RETRY


async def test_deliver_to_a_topic_and_to_a_user(tg: TelegramAdapter, api: FakeBotApi) -> None:
    topic = Target("telegram", "telegram", conversation_id="-1005550001:77")
    assert (await tg.deliver(Outgoing(topic, say("Klaar.")))).outcome is Outcome.SENT
    assert (api.sent()[-1].chat_id, api.sent()[-1].thread) == ("-1005550001", "77")
    person = Target("telegram", "telegram", user_id=str(U.SAM["id"]))
    attachment = Attachment("overzicht.md", "# Overzicht\n")
    assert (
        await tg.deliver(Outgoing(person, say("Je overzicht.", attachment=attachment)))
    ).outcome is Outcome.SENT
    doc = api.sent()[-1]
    assert doc.method == "sendDocument" and doc.chat_id == str(U.SAM["id"])
    assert doc.files["document"] == ("overzicht.md", b"# Overzicht\n")
    assert tg.limits.per_second == 30 and tg.limits.per_group_per_minute == 20
    assert tg.platform == "telegram"


async def test_private_reply_goes_to_the_private_chat(tg: TelegramAdapter, api: FakeBotApi) -> None:
    origin = Origin(GROUP["id"], False, None, _user(U.SAM, tg), 10, str(GROUP["id"]))
    await tg.answer(origin, [say("Alleen voor jou.", audience=Audience.PRIVATE)])
    [sent] = api.sent()
    assert sent.chat_id == str(U.SAM["id"]) and sent.text == "Alleen voor jou."


async def test_private_reply_to_a_user_who_never_started_the_bot(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    api.fail(
        "sendMessage",
        403,
        "Forbidden: bot can't initiate conversation with a user",
        chat_id=U.SAM["id"],
    )
    origin = Origin(GROUP["id"], False, 12, _user(U.SAM, tg), 10, f"{GROUP['id']}:12")
    await tg.answer(origin, [say("Alleen voor jou.", audience=Audience.DM)])
    [note] = api.sent()
    assert note.chat_id == str(GROUP["id"]) and note.thread == "12"
    assert "Open eerst een privégesprek met mij via https://t.me/KletspotBot" in note.text
    assert "Alleen voor jou" not in note.text


def _user(data: dict[str, object], tg: TelegramAdapter):  # type: ignore[no-untyped-def]
    from telegram import User

    return User.de_json(data, tg.app.bot)
