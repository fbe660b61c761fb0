"""Pictures as photos and PDFs as documents, over real HTTP to the fake Bot API; a refused or
too large file becomes its text version with a short note."""

from __future__ import annotations

from adapters.telegram import TelegramAdapter
from bot.core.delivery import Outcome
from bot.core.replies import (
    Outgoing,
    Target,
    outgoing_from_json,
    outgoing_to_json,
    pdf,
    picture,
    say,
)
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.drawing.test_pictures import png_size

GROUP = U.group()


async def test_stappenplan_sends_its_picture_as_a_photo_with_words(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    await tg.process(U.message(GROUP, U.AN, "/stappenplan"))
    [photo] = api.of("sendPhoto")
    name, data = photo.files["photo"]
    assert name == "stappenplan.png" and png_size(data) == (1080, 1350)
    assert "Waar het team staat, als tekening." in photo.text
    assert "Het stappenplan in 7 stappen" in photo.text  # the picture in words, in the caption
    assert "Het team staat bij stap 1" in photo.text
    overview = api.of("sendMessage")[-1]
    assert "Waar staat het team?" in overview.text and overview.markup  # buttons stay on text


async def test_a_refused_photo_becomes_its_text_version(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    api.fail("sendPhoto", 400, "Bad Request: not enough rights to send photos to the chat")
    await tg.process(U.message(GROUP, U.AN, "/stappenplan"))
    assert not api.of("sendPhoto")
    note = api.of("sendMessage")[0]
    assert "Waar het team staat, als tekening." in note.text
    assert "kon hier niet mee" in note.text and "Het stappenplan in 7 stappen" in note.text


async def test_a_refused_pdf_after_a_long_text_sends_only_the_note(
    tg: TelegramAdapter, api: FakeBotApi
) -> None:
    chat = GROUP["id"]
    api.fail("sendDocument", 400, "Bad Request: not enough rights to send documents to the chat")
    reply = say(
        "Lang verhaal. " * 200, attachment=pdf("acties.pdf", b"%PDF-1.4 x", "PDF met 3 acties.")
    )
    result = await tg.deliver(
        Outgoing(Target("telegram", "telegram", conversation_id=str(chat)), reply)
    )
    assert result.outcome is Outcome.SENT
    texts = [c.text for c in api.of("sendMessage")]
    assert texts[0].startswith("Lang verhaal.") and texts[-1].startswith(
        "<i>Het bestand acties.pdf"
    )
    assert "PDF met 3 acties." in texts[-1] and "Lang verhaal" not in texts[-1]


async def test_too_large_is_not_tried(tg: TelegramAdapter, api: FakeBotApi) -> None:
    huge = picture("groot.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024), "Een te grote tekening.")
    [part] = TelegramAdapter.parts(say("Kijk.", attachment=huge))
    assert part.too_large and part.photo
    person = Target("telegram", "telegram", user_id=str(U.SAM["id"]))
    assert (
        await tg.deliver(Outgoing(person, say("Kijk.", attachment=huge)))
    ).outcome is Outcome.SENT
    assert not api.of("sendPhoto", ok=False) and not api.of("sendPhoto")
    assert "Een te grote tekening." in api.of("sendMessage")[-1].text


async def test_a_stored_delivery_keeps_its_picture(tg: TelegramAdapter, api: FakeBotApi) -> None:
    """Timed work stores what it will send (claim before send): the bytes survive the JSON."""
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    target = Target("telegram", "telegram", conversation_id=str(GROUP["id"]))
    stored = outgoing_to_json(
        Outgoing(
            target,
            say(
                "Kletspot afgerond.",
                attachment=picture("kletspot.png", png, "Kaart van de kletspot."),
            ),
            key="session-end:1",
        )
    )
    outgoing = outgoing_from_json(stored)
    assert outgoing.reply.attachment is not None and outgoing.reply.attachment.data == png
    assert (await tg.deliver(outgoing)).outcome is Outcome.SENT
    [photo] = api.of("sendPhoto")
    assert photo.files["photo"][1] == png
    assert photo.text == "Kletspot afgerond.\n\nKaart van de kletspot."
