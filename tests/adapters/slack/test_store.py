"""The Slack store's own tables are pruned on the one housekeeping path (Engine.tidy), not
when traffic arrives."""

from __future__ import annotations

from adapters.slack.runner import SlackAdapter
from adapters.slack.store import MODAL_KEEP, SEEN_KEEP
from bot.core.clock import FakeClock
from bot.core.engine import Engine


async def test_engine_tidy_prunes_slack_seen_and_old_modals(
    adapter: SlackAdapter, engine: Engine, clock: FakeClock
) -> None:
    store = adapter.bot.store
    now = clock.now().timestamp()
    store.clock = lambda: now - SEEN_KEEP - 60
    assert await store.first_time("event:Ev-old")
    old_modal = await store.open_modal("antwoord", "T1", "U1", "C1")
    store.clock = lambda: now - 2 * MODAL_KEEP - 60
    older_modal = await store.open_modal("antwoord", "T1", "U1", "C1")
    store.clock = lambda: now
    assert await store.first_time("event:Ev-new")
    new_modal = await store.open_modal("antwoord", "T1", "U1", "C1")

    assert await store.first_time("event:Ev-later")  # traffic alone prunes nothing now
    assert not await store.first_time("event:Ev-old")

    removed = await engine.tidy()
    assert removed >= 2
    assert await store.first_time("event:Ev-old")  # forgotten: it counts as new again
    assert not await store.first_time("event:Ev-new")
    assert await store.modal(older_modal) is None
    assert await store.modal(old_modal) is not None and await store.modal(new_modal) is not None
