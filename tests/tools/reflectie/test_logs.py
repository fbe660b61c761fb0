"""Logs hold ids and event kinds, never what someone wrote or answered."""

from __future__ import annotations

import logging

import pytest

from bot.core.engine import Engine
from bot.tools.reflectie.store.reflecties import steps
from tests.conftest import CONTENT
from tests.tools.reflectie.helpers import dm, fill_in, written


async def test_a_whole_reflection_plan_and_erasure_log_no_texts(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    tool = CONTENT.reflectoren.get("gesprek-van-waarde")
    chat = dm(engine, "Wietske")
    with caplog.at_level(logging.DEBUG):
        await fill_in(chat, tool, who="Wietske")
        await fill_in(chat, CONTENT.reflectoren.get("voel-ik-me-eenzaam"), who="Wietske")
        await chat.cmd("plan", who="Wietske")
        for typed in (
            "geheim doel van Wietske",
            "eerste stap vertrouwelijk",
            "tante Mathilde",
            "20-03",
        ):
            await chat.text(typed, who="Wietske")
        await chat.text("ik wil niet meer leven", who="Wietske")
        await chat.cmd("mijngegevens", who="Wietske")
        await chat.cmd("vergeetmij", who="Wietske")
        await chat.press("Ja, wis alles", who="Wietske")
    logged = caplog.text.lower()
    for secret in [written(tool, s) for s in steps(tool)] + [
        "geheim doel",
        "vertrouwelijk",
        "mathilde",
        "niet meer leven",
        "wietske",
        "helemaal niet mee eens",
        "20-03",
    ]:
        assert secret.lower() not in logged, secret
    for kind in (
        "reflection started",
        "reflection answer saved",
        "reflection finished",
        "personal plan done",
        "safety signposting shown",
        "personal export made",
        "personal data erased",
        "command:reflectie",
        "kind=button",
        "kind=text",
    ):
        assert kind in caplog.text, kind
