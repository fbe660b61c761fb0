"""The planning card in the console: a press prints the card again, marked as updated."""

from __future__ import annotations

from bot.core.engine import Engine
from tests.adapters.test_console import run_script


async def test_planning_card_pressed_in_the_console(engine: Engine) -> None:
    output = await run_script(engine, "/planning\n4\n")
    assert "[1] ✓ ma" in output and "[4] do" in output
    assert "(bijgewerkt) Donderdag erbij: elke maandag en donderdag om 12:00" in output
    assert "[4] ✓ do" in output
