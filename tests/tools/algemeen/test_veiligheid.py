"""Crisis signposting through the engine: where the help lines appear, per country.

What is recognised is specified by tests/distress_corpus.yaml (tests/tools/algemeen/test_signalen.py)."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.replies import Audience
from tests.conftest import CONTENT, Chat, text_of
from tests.tools.reflectie.helpers import dm, start


async def test_signposting_first_in_one_reply_with_the_numbers(engine: Engine) -> None:
    chat = dm(engine)
    replies = await chat.text("ik zie het echt niet meer zitten")
    assert len(replies) == 1
    text = replies[0].plain
    assert text.startswith("💛 Wat je schrijft, klinkt alsof het nu heel zwaar is.")
    for number in (
        "Zelfmoordlijn 1813",
        "zelfmoord1813.be",
        "Tele-Onthaal: bel 106",
        "bel 112",
        "113 of 0800-0113",
    ):
        assert number in text
    assert "geen hulpdienst" in text and "Waar woon je?" in text
    assert "Ik reageer op commando's" not in text
    assert "ik zie het" not in text.lower()  # nothing of what was written is repeated


async def test_someone_else_in_danger_gets_the_numbers_with_words_for_a_bystander(
    engine: Engine,
) -> None:
    chat = dm(engine)
    text = text_of(await chat.text("mijn cliënt zei dat hij er een eind aan wil maken"))
    assert "iemand anders" in text and "Zelfmoordlijn 1813 bellen of chatten" in text
    assert "Zelfmoordlijn 1813: bel 1813" in text and "bel 112" in text
    assert "cliënt" not in text  # nothing of what was written is repeated


async def test_country_asked_once_then_only_its_numbers(engine: Engine) -> None:
    chat = dm(engine)
    asked = await chat.cmd("hulp nu")
    assert [b.label for b in asked[0].buttons] == ["Ik woon in België", "Ik woon in Nederland"]
    assert "Zelfmoordlijn 1813" in asked[0].plain  # Belgium until chosen
    chosen = text_of(await chat.press("Ik woon in Nederland"))
    assert "Genoteerd: Nederland" in chosen and "0800-0113" in chosen and "1813" not in chosen
    text = text_of(await chat.text("ik wil er een einde aan maken"))
    assert "bel 113 of 0800-0113" in text and "bel 112" in text
    assert "1813" not in text and "106" not in text and "land te kiezen" not in text
    again = await chat.cmd("hulp nu")
    assert [b.label for b in again[0].buttons] == ["Ik woon in België"]
    assert "chatten kan via 113.nl" in again[0].plain


async def test_answers_in_a_reflection_are_watched_too(engine: Engine) -> None:
    chat = dm(engine)
    await start(chat, CONTENT.reflectoren.get("gesprek-van-waarde"))
    replies = await chat.text("niets, ik wil niet meer leven")
    assert len(replies) == 1
    assert "1813" in replies[0].plain and "2 van 12" not in replies[0].plain  # it waits
    assert "2 van 12" in text_of(await chat.press("Ga verder"))


async def test_group_texts_are_not_watched_and_hulp_nu_stays_private(engine: Engine) -> None:
    group = Chat(engine, "team")
    assert await group.text("ik wil dood van die vergadering") == []
    replies = await group.cmd("hulp nu")
    assert replies[0].audience is Audience.PRIVATE and "1813" in replies[0].plain
    assert "hulp kletspot" in text_of(await group.cmd("hulp"))  # hulp itself is untouched


async def test_forged_country_is_refused(engine: Engine) -> None:
    from bot.core import buttons
    from bot.core.replies import Reply

    chat = dm(engine)
    await chat.cmd("hulp nu")
    user = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'")
    conversation = await engine.db.scalar("SELECT id FROM conversations WHERE external_id = 'an'")
    forged = await buttons.make(
        engine.db,
        conversation,
        "x",
        "safety.country",
        {"c": "fr"},
        "2026-03-02T11:00:00+00:00",
        user,
    )
    assert "ken ik niet" in text_of(await chat.press("x", replies=[Reply((), (forged,))]))
    assert await engine.db.scalar("SELECT COUNT(*) FROM hulp_land") == 0
