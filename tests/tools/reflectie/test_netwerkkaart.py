"""The netwerkkaart drawn: only in the person's DM, never in the logs, handed over with
mijngegevens, gone with vergeetmij; a second fill-in shows both maps side by side."""

from __future__ import annotations

import logging

import pytest

from bot.core.clock import FakeClock
from bot.core.engine import Engine
from bot.core.replies import Audience, Reply
from bot.tools.reflectie.store.reflecties import steps
from tests.conftest import CONTENT, Chat, trips
from tests.drawing.test_pictures import png_size
from tests.tools.reflectie.helpers import dm, start

KAART = CONTENT.reflectoren.get("netwerkkaart")
SOCIAL = "Anna, Mia en Jo\nOma 👵🏽\nשרה כהן"


async def fill(chat: Chat, answers: dict[str, str]) -> list[Reply]:
    await start(chat, KAART)
    replies: list[Reply] = []
    for step in steps(KAART):
        typed = answers.get(step.item.id)
        replies = await (chat.text(typed) if typed else chat.press("Overslaan"))
    return replies


async def test_drawn_in_the_dm_with_the_named_people(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    chat = dm(engine)
    replies = await fill(chat, {"sociale-contacten": SOCIAL, "buurt": "buurvrouw Rita"})
    drawn = replies[-1]
    assert drawn.attachment is not None and drawn.attachment.picture
    assert drawn.audience is Audience.HERE  # a DM: here is only this person
    assert png_size(drawn.attachment.payload) == (1080, 1500)
    alt = drawn.attachment.alt
    assert "Welke sociale contacten heb ik? Anna, Mia en Jo, Oma 👵🏽, שרה כהן." in alt
    assert "buurvrouw Rita" in alt and "7 vakken zijn nog leeg" in alt
    logged = caplog.text
    assert "Anna" not in logged and "Rita" not in logged and "netwerkkaart" in logged


async def test_second_time_side_by_side(engine: Engine, clock: FakeClock) -> None:
    chat = dm(engine)
    await fill(chat, {"sociale-contacten": "Anna"})
    clock.advance(days=30)
    replies = await fill(chat, {"sociale-contacten": "Anna, Mia", "buurt": "Rita"})
    both = replies[-1]
    assert both.attachment is not None
    assert png_size(both.attachment.payload) == (2 * 1080 + 24, 1500)
    assert (
        "(links) naast die van" in both.plain
        and "Links je kaart van 2 maart" in both.attachment.alt
    )


async def test_in_mijngegevens_and_gone_with_vergeetmij(engine: Engine) -> None:
    chat = dm(engine)
    await fill(chat, {"sociale-contacten": "Anna"})
    handed = [r for r in await chat.cmd("mijngegevens") if r.attachment is not None]
    assert [r.attachment.filename.rsplit(".", 1)[-1] for r in handed if r.attachment] == [
        "md",
        "json",
        "png",
    ]
    await chat.cmd("vergeetmij")
    await chat.press("Ja, wis alles")
    after = [r.attachment for r in await chat.cmd("mijngegevens") if r.attachment]
    assert [a.mime for a in after] == ["text/markdown", "application/json"]


async def test_in_mijngegevens_beside_the_one_before_from_one_read(
    engine: Engine, clock: FakeClock
) -> None:
    """The latest map beside the one before it, drawn from the runs read for the export, and
    the whole export in two round trips (who is who, then everything at once; before: one
    read per table and per reflection, and three more for the map). On PostgreSQL the
    command's end of the question that waited goes before the read, which reads flows."""
    chat = dm(engine)
    await fill(chat, {"sociale-contacten": "Anna"})
    clock.advance(days=30)
    await fill(chat, {"sociale-contacten": "Anna, Mia", "buurt": "Rita"})
    await start(chat, KAART)  # a third, not finished: not drawn
    await chat.text("Noor")
    expected = 3 if engine.db.kind == "postgresql" else 2
    assert await trips(engine, chat.cmd("mijngegevens")) == expected
    [drawn] = [r.attachment for r in chat.last if r.attachment and r.attachment.picture]
    assert png_size(drawn.payload) == (2 * 1080 + 24, 1500)
    assert "Rita" in drawn.alt and "Noor" not in drawn.alt


async def test_asked_in_a_group_it_goes_to_the_dm_only(engine: Engine) -> None:
    group = Chat(engine)
    await fill(dm(engine), {"sociale-contacten": "Anna"})
    replies = await group.cmd("mijngegevens")
    pictures = [r for r in replies if r.attachment is not None and r.attachment.picture]
    assert pictures and all(r.audience is Audience.DM for r in pictures)
