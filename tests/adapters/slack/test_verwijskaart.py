"""The team verwijskaart on Slack: a look-up only the asker sees, filled in by a button (a form
opens) and `antwoord` in the channel, refused to a member."""

from __future__ import annotations

from tests.adapters.slack.conftest import Slack
from tests.adapters.slack.helpers import button, text_of


async def test_verwijskaart_end_to_end(slack: Slack) -> None:
    fake = slack.fake
    await slack.command("verwijskaart")
    card = fake.of("chat.postEphemeral")[-1]
    assert "Verwijskaart van" in text_of(card) and text_of(card).count("(nog leeg)") == 6

    await slack.command("vraag", user="U2", user_name="bob")
    await slack.command("verwijskaart", user="U2", user_name="bob")
    bobs = fake.of("chat.postEphemeral")[-1]
    await slack.press(
        button([bobs], "➕ 1. Niet pluis"), user="U2", user_name="bob", ephemeral=True
    )
    assert "Alleen coördinatoren vullen de verwijskaart aan" in text_of(fake.posts()[-1])

    await slack.press(button([card], "➕ 1. Niet pluis"), ephemeral=True)
    [opened] = fake.of("views.open")  # the question comes as a form; typing antwoord works too
    for answer in ("Huisarts *Peeters*", "zorgen die blijven", "+32 16 22 33 44"):
        await slack.command(f"antwoord {answer}")
    done = text_of(fake.posts()[-1])
    assert "Peeters" in done and "+32 16 22 33 44" in done

    await slack.command("verwijskaart", user="U2", user_name="bob")
    assert "zorgen die blijven" in text_of(fake.posts()[-1])
