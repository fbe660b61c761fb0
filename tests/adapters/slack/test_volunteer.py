"""`gedachte` on Slack: asked in a channel it answers privately and opens the DM; in the DM it
runs end to end to the reminder, which the scheduler delivers there."""

from __future__ import annotations

from adapters.slack.runner import SlackAdapter
from bot.core.clock import FakeClock
from bot.core.engine import Engine
from scheduler.service import Scheduler
from tests.adapters.slack.conftest import Slack
from tests.adapters.slack.helpers import button, text_of
from tests.conftest import no_sleep, utc


async def test_gedachte_from_a_channel_and_in_the_dm(
    slack: Slack, adapter: SlackAdapter, engine: Engine, clock: FakeClock
) -> None:
    fake = slack.fake
    await slack.command("gedachte")
    [notice] = fake.of("chat.postEphemeral")
    assert notice["channel"] == "C1" and "privé" in text_of(notice)
    [invite] = fake.of("chat.postMessage")
    assert invite["channel"] == "DU1" and "/kletspot gedachte" in text_of(invite)
    assert fake.of("conversations.open")

    await slack.dm("gedachte")
    blocking = fake.of("chat.postMessage")[-1]
    assert blocking["channel"] == "DU1" and "*Belemmerende gedachten*" in text_of(blocking)
    await slack.press(
        button([blocking], "5. Ik heb geen tijd om het gesprek goed aan te gaan."), channel="DU1"
    )
    helping = fake.of("chat.postMessage")[-1]
    assert "Je herkent: _Ik heb geen tijd om het gesprek goed aan te gaan._" in text_of(helping)
    await slack.press(button([helping], "3. Ik mag geraakt worden."), channel="DU1")
    await slack.press(button(fake.of("chat.postMessage"), "Elke week, zelf kiezen"), channel="DU1")
    await slack.dm("woensdag 7u45")
    confirmed = fake.of("chat.postMessage")[-1]
    assert "elke woensdag om 07:45; de eerste keer op woensdag 4 maart om 07:45" in text_of(
        confirmed
    )
    assert not any(c["channel"] == "C1" for c in fake.of("chat.postMessage"))

    row = await engine.db.one(
        "SELECT r.recurrence, c.external_id FROM herinneringen r"
        " JOIN conversations c ON c.id = r.conversation_id"
    )
    assert tuple(row) == ("weekly:2:07:45", "DU1")
    clock.set(utc(2026, 3, 4, 6, 45))
    await Scheduler(engine, {"slack": adapter.deliverer}, sleep=no_sleep).tick()
    sent = fake.of("chat.postMessage")[-1]
    assert sent["channel"] == "DU1" and "Ik mag geraakt worden." in text_of(sent)
