"""The team verwijskaart on Telegram: filled in by buttons and replies, refused to a member,
markup shown as text, exported as a document."""

from __future__ import annotations

from adapters.telegram import TelegramAdapter
from tests.adapters.telegram import updates as U
from tests.adapters.telegram.fake_api import FakeBotApi

GROUP = U.group()


async def test_verwijskaart_end_to_end(tg: TelegramAdapter, api: FakeBotApi) -> None:
    api.set_admins(GROUP["id"], owner=U.AN)
    await tg.process(U.message(GROUP, U.AN, "/verwijskaart"))
    card = api.sent()[-1]
    assert "Verwijskaart van Team Zuid" in card.text and card.text.count("(nog leeg)") == 6
    assert "(“niet pluis’’)" in card.text

    await tg.process(U.message(GROUP, U.SAM, "/hulp"))
    await tg.process(U.callback(GROUP, U.SAM, card.button("➕ 2. Advies")))
    assert "Alleen coördinatoren vullen de verwijskaart aan" in api.sent()[-1].text

    await tg.process(U.callback(GROUP, U.AN, card.button("➕ 2. Advies")))
    for answer in ("Sociaal Huis <Leuven> & co", "vragen en advies", "016 12 34 56"):
        ask = api.sent()[-1]
        assert ask.markup == {"force_reply": True, "selective": True}
        await tg.process(U.reply_to_bot(GROUP, U.AN, answer, ask.message_id))
    done = api.sent()[-1].text
    assert (
        "<b>Sociaal Huis &lt;Leuven&gt; &amp; co</b>: vragen en advies · <i>016 12 34 56</i>"
        in done
    )

    await tg.process(U.message(GROUP, U.SAM, "/verwijskaart"))
    assert "[1] <b>Sociaal Huis &lt;Leuven&gt; &amp; co</b>" in api.sent()[-1].text
    await tg.process(U.message(GROUP, U.SAM, "/verwijskaart export"))
    document, printed = api.of("sendDocument")
    assert printed.files["document"][0].endswith(".pdf")
    assert printed.files["document"][1].startswith(b"%PDF")
    name, content = document.files["document"]
    assert name.startswith("verwijskaart-") and name.endswith(".md")
    assert (
        "- **Sociaal Huis \\<Leuven\\> & co**: vragen en advies. Bereik: 016 12 34 56"
        in content.decode("utf-8")
    )
