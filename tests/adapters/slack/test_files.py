"""Files go up with Slack's current upload API: files.getUploadURLExternal, the bytes to the
upload URL, files.completeUploadExternal into the channel or the DM; a refused upload becomes
the text version with a short note."""

from __future__ import annotations

from bot.core.delivery import Outcome
from bot.core.replies import Outgoing, Target, pdf, say
from tests.adapters.slack.conftest import Slack
from tests.adapters.slack.helpers import text_of
from tests.drawing.test_pictures import png_size


async def test_stappenplan_picture_is_uploaded_into_the_channel(slack: Slack) -> None:
    await slack.command("stappenplan")
    [asked] = slack.fake.of("files.getUploadURLExternal")
    assert asked["filename"] == "stappenplan.png"
    assert "Het stappenplan in 7 stappen" in asked["alt_txt"]  # alt text for screen readers
    [(done, data)] = slack.fake.files()
    assert done["channel_id"] == "C1" and done["title"] == "stappenplan.png"
    assert int(asked["length"]) == len(data) and png_size(data) == (1080, 1350)


async def test_private_files_go_to_the_dm(slack: Slack) -> None:
    await slack.command("mijngegevens")  # nothing drawn yet: only the two text documents
    assert not slack.fake.files()
    deliver = slack.adapter.deliverer.deliver
    person = Target("slack", "T1", user_id="U1")
    outcome = await deliver(
        Outgoing(
            person,
            say("Je kaart.", attachment=pdf("kaart.pdf", b"%PDF-1.4 test", "PDF met je kaart.")),
        )
    )
    assert outcome.outcome is Outcome.SENT
    [(done, data)] = slack.fake.files()
    assert done["channel_id"] == "DU1" and data == b"%PDF-1.4 test"


async def test_refused_uploads_send_the_text_instead(slack: Slack) -> None:
    slack.fake.fail("files.getUploadURLExternal", "not_allowed_token_type")
    await slack.command("stappenplan")
    assert not slack.fake.files()
    texts = [text_of(p) for p in slack.fake.of("chat.postMessage")]
    assert any("kon hier niet mee" in t and "Het stappenplan in 7 stappen" in t for t in texts)

    slack.fake.refuse_uploads = 413  # the upload URL itself says the file is too large
    outcome = await slack.adapter.deliverer.deliver(
        Outgoing(
            Target("slack", "T1", conversation_id="C1"),
            say("Klaar.", attachment=pdf("acties.pdf", b"%PDF-1.4 x", "PDF met 2 acties.")),
        )
    )
    assert outcome.outcome is Outcome.SENT and not slack.fake.files()
    assert "PDF met 2 acties." in text_of(slack.fake.of("chat.postMessage")[-1])
