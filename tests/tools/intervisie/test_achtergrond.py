"""Each assignment brings the workbook paragraph it leans on, verbatim, in its thread."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from tests.conftest import CONTENT, Chat
from tests.tools.intervisie.conftest import team

SHOWN_WITH = {
    "3.5": ["3.2", "3.3"],
    "6.4": ["6.3"],
    "6.6": ["6.5"],
    "7.2": ["12.5"],
    "8.2": ["12.4"],
    "9.1": ["12.4"],
    "9.2": ["12.4"],
    "11.2": ["11.1"],
    "11.3": ["11.5"],
    "11.4": ["11.1"],
}


def texts(paragraaf: str) -> list[str]:
    tekst = next(t for t in CONTENT.achtergrond.teksten if t.paragraaf == paragraaf)
    out: list[str] = []
    for blok in tekst.blokken:
        out += [t for t in (blok.kop, blok.alinea, blok.citaat) if t]
        out += blok.punten + [f"{t.term}: {t.uitleg}" for t in blok.termen]
    return out


@pytest.mark.parametrize("code", sorted(SHOWN_WITH))
async def test_assignment_brings_its_paragraphs(engine: Engine, code: str) -> None:
    chat: Chat = await team(engine)
    replies = await chat.cmd(f"intervisie {code}")
    extra = [r.plain for r in replies if r.plain.startswith("📘")]
    assert len(extra) == len(SHOWN_WITH[code])
    for shown, paragraaf in zip(extra, SHOWN_WITH[code], strict=True):
        assert f" {paragraaf} " in shown.splitlines()[0]
        for text in texts(paragraaf):
            assert text in shown, (code, text[:60])
        assert f"§{paragraaf}" in shown.splitlines()[-1]
    if code == "11.3":
        assert "verwijskaart" in replies[-1].plain


async def test_weerstand_tips_are_seven() -> None:
    assert len(CONTENT.achtergrond.tekst("weerstand").blok("tips").punten) == 7
