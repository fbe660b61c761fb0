"""Coordinators by buttons on Slack: the planning card (ephemeral in the channel) and the team's
action list are replaced in place through the press's response_url; a member is refused; the
owner's reminder closes the action from the DM."""

from __future__ import annotations

from typing import Any

from adapters.slack.runner import SlackAdapter
from bot.core.clock import FakeClock
from bot.core.engine import Engine
from scheduler.service import Scheduler
from tests.adapters.slack.conftest import Slack
from tests.adapters.slack.helpers import blocks_of, button, buttons_of, text_of
from tests.conftest import no_sleep, utc


def rows(post: dict[str, Any]) -> list[list[str]]:
    return [
        [e["text"]["text"] for e in block["elements"]]
        for block in blocks_of(post)
        if block["type"] == "actions"
    ]


async def test_planning_by_buttons_replaces_the_card(slack: Slack) -> None:
    fake = slack.fake
    fake.fail("views.open", "expired_trigger_id")  # no modal: the card with its buttons
    await slack.command("planning")
    [card] = fake.of("chat.postEphemeral")
    assert rows(card)[0] == ["✓ ma", "di", "wo", "do", "vr", "za", "zo"]
    await slack.press(button([card], "do"), ephemeral=True)
    [replaced] = fake.responses
    assert replaced["replace_original"] is True
    assert "Donderdag erbij" in text_of(replaced) and rows(replaced)[0][3] == "✓ do"
    await slack.press(button([replaced], "Zet aan"), ephemeral=True)
    assert "Aan: elke maandag en donderdag om 12:00" in text_of(fake.responses[-1])
    assert len(fake.of("chat.postEphemeral")) == 1  # every change in the same card

    await slack.press(button([card], "vr"), ephemeral=True, user="U2", user_name="bob")
    refused = fake.of("chat.postEphemeral")[-1]
    assert "Alleen coördinatoren" in text_of(refused)
    await slack.press(button([card], "vr"), ephemeral=True)
    assert "niet meer actueel" in text_of(fake.responses[-1])


async def test_team_action_outside_owner_closed_by_buttons(
    slack: Slack, adapter: SlackAdapter, engine: Engine, clock: FakeClock
) -> None:
    fake = slack.fake
    await slack.command("acties team nieuw Buurt verkennen @de_wijkagent 20-03-2026")
    offer = fake.of("chat.postMessage")[-1]
    await slack.press(button([offer], "Ja, de wijkagent (buiten de groep)"))
    added = fake.responses[-1]
    assert added["replace_original"] is True and "Actie 1 vastgelegd" in text_of(added)
    assert "Ja, de wijkagent (buiten de groep)" not in buttons_of(added)

    await slack.command("acties team")
    listing = fake.of("chat.postMessage")[-1]
    assert "eigenaar: de wijkagent (herinnering naar Anne)" in text_of(listing)
    await slack.press(button([listing], "1: gedaan"), user="U2", user_name="bob")
    assert "Alleen wie de herinnering krijgt" in text_of(fake.of("chat.postEphemeral")[-1])
    await slack.press(button([listing], "1: nog bezig"))
    busy = fake.responses[-1]
    assert busy["replace_original"] is True
    assert rows(busy) == [["1: gedaan", "1: geschrapt", "1: uitkomst"]]

    clock.set(utc(2026, 3, 19, 8, 0, 30))
    await Scheduler(engine, {"slack": adapter.deliverer}, sleep=no_sleep).tick()
    reminder = fake.of("chat.postMessage")[-1]
    assert reminder["channel"] == "DU1" and "in de plaats van de wijkagent" in text_of(reminder)
    await slack.press(button([reminder], "Gedaan"), channel="DU1")
    done = fake.responses[-1]
    assert done["replace_original"] is True and "✅ Actie 1 staat op gedaan." in text_of(done)
    assert list(buttons_of(done)) == ["Noteer wat het opleverde"]
