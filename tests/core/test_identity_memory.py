"""What a process remembers of who is who (bot/core/identity.py): a busy group costs no identity
writes, a change is still written, a change made here is seen at once and one made by another
process within TRUST_FOR."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.core import identity
from bot.core.clock import FakeClock, iso
from bot.core.engine import Engine
from bot.core.events import Actor, Place
from bot.core.storage import Database, Read
from tests.conftest import Chat, Setup, text_of, trips

TEAM = Place("team", is_group=True, title="Buurtteam")


def bo(name: str = "Bo", admin: bool = False) -> Actor:
    return Actor("console", "w1", "bo", name, handle="bo", is_platform_admin=admin)


async def test_a_second_message_costs_no_identity_trips(engine: Engine) -> None:
    chat = Chat(engine)
    await chat.cmd("vraag")
    before = engine.db.round_trips
    known = await identity.register(engine.db, bo(), TEAM, iso(engine.deps.clock.now()))
    first = engine.db.round_trips - before
    before = engine.db.round_trips
    again = await identity.register(engine.db, bo(), TEAM, iso(engine.deps.clock.now()))
    assert first >= 3 and engine.db.round_trips == before
    assert (again.user_id, again.conversation_id) == (known.user_id, known.conversation_id)
    assert known.first_visit and not again.first_visit


async def test_a_new_name_or_admin_right_is_written_at_once(
    engine: Engine, clock: FakeClock
) -> None:
    db = engine.db
    await identity.register(db, bo(), TEAM, iso(clock.now()))
    await identity.register(db, bo("Bo Peeters", admin=True), TEAM, iso(clock.now()))
    assert await db.scalar("SELECT display_name FROM users WHERE external_id = 'bo'") == (
        "Bo Peeters"
    )
    assert (
        await db.scalar(
            "SELECT is_admin FROM members m JOIN users u ON u.id = m.user_id"
            " WHERE u.external_id = 'bo'"
        )
        == 1
    )


async def test_someone_seen_before_but_not_remembered_costs_one_read_and_writes_what_changed(
    engine: Engine, clock: FakeClock
) -> None:
    """After TRUST_FOR, or on another process: the rows are read, not written again."""
    db = engine.db
    first = await identity.register(db, bo(), TEAM, iso(clock.now()))
    identity.forget(db)
    before = db.round_trips
    async with db.unit():
        again = await identity.register(db, bo(), TEAM, iso(clock.now()))
        assert db.round_trips - before == 1
    assert db.round_trips - before == 1  # nothing changed, nothing written
    assert again == replace(first, first_visit=False)

    await db.execute("UPDATE conversations SET active = 0")
    identity.forget(db)
    clock.advance(minutes=5)
    renamed = Place("team", is_group=True, title="Buurtteam Noord")
    async with db.unit():
        await identity.register(db, bo("Bo Peeters", admin=True), renamed, iso(clock.now()))
    row = await db.one(
        "SELECT u.display_name, c.title, c.active, m.is_admin, m.last_seen FROM members m"
        " JOIN users u ON u.id = m.user_id JOIN conversations c ON c.id = m.conversation_id"
        " WHERE u.external_id = 'bo'"
    )
    assert row is not None
    assert tuple(row) == ("Bo Peeters", "Buurtteam Noord", 1, 1, iso(clock.now()))
    assert await db.scalar("SELECT COUNT(*) FROM members") == 1


async def test_last_seen_is_written_every_few_minutes_not_every_message(
    engine: Engine, clock: FakeClock
) -> None:
    db = engine.db

    async def last_seen() -> str:
        return str(
            await db.scalar(
                "SELECT m.last_seen FROM members m JOIN users u ON u.id = m.user_id"
                " WHERE u.external_id = 'bo'"
            )
        )

    async with db.unit():
        await identity.register(db, bo(), TEAM, iso(clock.now()))
    first = await last_seen()
    clock.advance(seconds=30)
    async with db.unit():
        await identity.register(db, bo(), TEAM, iso(clock.now()))
    assert await last_seen() == first
    clock.advance(minutes=5)
    async with db.unit():
        await identity.register(db, bo(), TEAM, iso(clock.now()))
    assert await last_seen() == iso(clock.now())


async def test_a_title_the_event_lacks_is_the_stored_one_remembered_or_read(
    engine: Engine, clock: FakeClock
) -> None:
    """A Slack slash command in a private channel carries no name: who is who brings the
    stored one, from memory and, once memory is no longer trusted, with the read."""
    db = engine.db
    first = await identity.register(db, bo(), TEAM, iso(clock.now()))
    untitled = replace(TEAM, title=None)
    remembered = await identity.register(db, bo(), untitled, iso(clock.now()))
    clock.advance(seconds=identity.TRUST_FOR.total_seconds() + 1)
    read = await identity.register(db, bo(), untitled, iso(clock.now()))
    assert first.title == remembered.title == read.title == "Buurtteam"
    renamed = await identity.register(db, bo(), replace(TEAM, title="Wijkteam"), iso(clock.now()))
    assert renamed.title == "Wijkteam"


async def test_a_rename_reaches_what_is_remembered_of_the_other_members(
    engine: Engine, clock: FakeClock
) -> None:
    """Bo's event brings the group's new name; Dee's next event without a name (a Slack form)
    shows the new one, not the one remembered from before."""
    db = engine.db
    dee = Actor("console", "w1", "dee", "Dee", handle="dee")
    await identity.register(db, bo(), TEAM, iso(clock.now()))
    await identity.register(db, dee, TEAM, iso(clock.now()))
    await identity.register(db, bo(), replace(TEAM, title="Wijkteam"), iso(clock.now()))
    untitled = await identity.register(db, dee, replace(TEAM, title=None), iso(clock.now()))
    assert untitled.title == "Wijkteam"
    newcomer = Actor("console", "w1", "cas", "Cas", handle="cas")
    await identity.register(db, newcomer, replace(TEAM, title="Buurtwerk"), iso(clock.now()))
    assert (
        await identity.register(db, dee, replace(TEAM, title=None), iso(clock.now()))
    ).title == ("Buurtwerk")


def _kept(db: Database, actor: Actor) -> list[tuple[str, str, str, str]]:
    """The keys of `actor`'s account among the ids kept over a forgetting (`identity._ids`):
    each names their platform id."""
    account = (actor.platform, actor.workspace_id, actor.user_id)
    return [key for key in identity._ids.get(db, {}) if key[:3] == account]


async def test_an_erased_person_is_not_remembered(engine: Engine, clock: FakeClock) -> None:
    db = engine.db
    known = await identity.register(db, bo(), TEAM, iso(clock.now()))
    await identity.register(db, bo(), Place("dm-bo", is_group=False), iso(clock.now()))
    identity.forget(db)  # a change here: the ids stay for the next event's first read
    kept, now = identity._ids[db], time.monotonic()
    # seen in another group before another process erased Bo and wrote him again: other ids
    kept[("console", "w1", "bo", "elders")] = (known.conversation_id + 99, -1, now)
    assert len(_kept(db, bo())) == 3
    kept[("console", "w1", "sam", "team")] = (known.conversation_id, -2, now - identity.IDS_FOR - 1)
    await identity.erase_person(db, known.user_id)
    assert _kept(db, bo()) == []  # every key of the account, not only this id's
    assert ("console", "w1", "sam", "team") not in kept  # seen longer ago than IDS_FOR
    again = await identity.register(db, bo(), TEAM, iso(clock.now()))
    assert again.first_visit  # written afresh (SQLite may hand out the same id again)
    assert await db.scalar("SELECT id FROM users WHERE external_id = 'bo'") == again.user_id


async def test_an_erasure_whose_event_fails_afterwards_keeps_no_ids(engine: Engine) -> None:
    """The ids go when the erasure is made, not only once its writes landed: an event that
    fails after it (its writes held back are dropped) keeps nothing of the person either."""
    chat = Chat(engine)
    await chat.cmd("vraag", who="Bo", admin=False)
    db = engine.db
    assert _kept(db, bo()) != []
    user_id = int(await db.scalar("SELECT id FROM users WHERE external_id = 'bo'"))
    with pytest.raises(RuntimeError):
        async with db.unit():
            await identity.erase_person(db, user_id)
            raise RuntimeError("the event failed after the erasure")
    assert _kept(db, bo()) == []


async def test_another_process_naming_a_coordinator_is_seen_within_trust_for(
    setup: Setup,
) -> None:
    """Two processes (two engines, each its own connection): one names Bo coordinator; the
    other, which remembered Bo as a member, follows within TRUST_FOR, and at once after its
    own change."""
    one, other = await setup.engine(), await setup.engine()

    async def coordinator_on(engine: Engine) -> bool:
        db: Database = engine.db
        known = await identity.register(db, bo(), TEAM, iso(setup.clock.now()))
        return await identity.is_coordinator(db, known, bo(), TEAM)

    assert not await coordinator_on(one)
    an = await identity.register(
        other.db, Actor("console", "w1", "an", "An", "an", True), TEAM, iso(setup.clock.now())
    )
    bo_id = (await identity.register(other.db, bo(), TEAM, iso(setup.clock.now()))).user_id
    await identity.name_coordinator(
        other.db, an.conversation_id, bo_id, an.user_id, iso(setup.clock.now())
    )
    assert await coordinator_on(other)  # the process that changed it: at once
    assert not await coordinator_on(one)  # the other one: not yet ...
    setup.clock.advance(seconds=identity.TRUST_FOR.total_seconds() + 1)
    assert await coordinator_on(one)  # ... but within TRUST_FOR
    assert identity.TRUST_FOR <= timedelta(minutes=1)


async def test_a_person_erased_by_another_process_is_written_again(
    engine: Engine, clock: FakeClock
) -> None:
    """Bo's rows are gone in another process; what this one still remembers may make a write
    fail once (a note needs its author's row): that event is answered with an apology, the
    memory is dropped, and the next event writes Bo afresh."""
    chat = Chat(engine)
    await chat.cmd("vraag", who="Bo", admin=False)
    user_id = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'bo'")
    other = await Engine.open(engine.db.target, engine.deps.content, clock=clock)
    try:
        await identity.erase_person(other.db, int(user_id))
    finally:
        await other.close()
    first = await chat.cmd("noteer Wie kent de buren?", who="Bo", admin=False)
    second = await chat.cmd("noteer Wie kent de buren?", who="Bo", admin=False)
    texts = [" ".join(r.plain for r in first), " ".join(r.plain for r in second)]
    assert "Er ging iets mis" in texts[0] and "Er ging iets mis" not in texts[1], texts
    assert await engine.db.scalar("SELECT COUNT(*) FROM users WHERE external_id = 'bo'") == 1


async def test_a_read_that_overlaps_a_change_is_not_remembered(
    engine: Engine, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone's event reads the conversation just before its timezone changes: what it read
    is used for that event, but not remembered for the next."""
    db = engine.db
    known = await identity.register(db, bo(), TEAM, iso(clock.now()))
    identity.forget(db)
    read, changed = asyncio.Event(), asyncio.Event()
    made = identity._known  # someone seen before: their rows are read, not written

    async def slow_known(*args: object) -> tuple[identity.Known, bool]:
        found = await made(*args)  # type: ignore[arg-type]
        read.set()
        await changed.wait()
        return found

    monkeypatch.setattr(identity, "_known", slow_known)
    registering = asyncio.create_task(identity.register(db, bo(), TEAM, iso(clock.now())))
    await asyncio.wait_for(read.wait(), 5)
    await identity.set_timezone(db, known.conversation_id, "Europe/Amsterdam")
    identity.forget(db)
    changed.set()
    assert (await asyncio.wait_for(registering, 5)).timezone == "Europe/Brussels"
    monkeypatch.setattr(identity, "_known", made)
    assert (await identity.register(db, bo(), TEAM, iso(clock.now()))).timezone == (
        "Europe/Amsterdam"
    )


async def test_a_press_by_someone_not_remembered_reads_who_is_who_with_its_button(
    engine: Engine,
) -> None:
    """After TRUST_FOR, or on another process: who pressed, whether a coordinator named them
    here, and what the button does, in one round trip, so the press costs what it costs to
    someone remembered (Bo is no admin, but named: no read of the coordinators either)."""
    chat = Chat(engine)
    await chat.cmd("vraag", who="Bo")
    await chat.cmd("coordinator @bo")
    await chat.cmd("planning", who="Bo")
    warm = await trips(engine, chat.press("di", who="Bo"))
    identity.forget(engine.db)
    cold = await trips(engine, chat.press("wo", who="Bo"))
    assert "Wekelijkse planning" in text_of(chat.last) and cold == warm


async def test_an_answer_after_trust_for_reads_who_is_who_with_the_question(
    engine: Engine, clock: FakeClock
) -> None:
    """A DM's answer after TRUST_FOR (the usual pace of someone writing a record): who is who
    and the question that waits are read in one round trip, with the ids this process
    remembers, so the answer costs what it costs a moment after the last one."""
    dm = Chat(engine, "an", group=False)
    await dm.cmd("gesprek verslag")
    await dm.text("vandaag")
    warm = await trips(engine, dm.text("Mia"))
    clock.advance(seconds=identity.TRUST_FOR.total_seconds() + 1)
    cold = await trips(engine, dm.text("Weer zingen"))
    assert "Vraag 4 van 8" in text_of(dm.last) and cold == warm == 3


async def test_a_read_made_with_remembered_ids_is_made_again_for_new_ones(
    engine: Engine, clock: FakeClock
) -> None:
    """Bo erased in another process and writing again after TRUST_FOR: the read that went with
    who is who used the ids this process remembered, so it is made again for Bo's new rows. A
    read that needs no ids (a pressed token) stands as it was read."""
    db = engine.db
    await identity.register(db, bo(), TEAM, iso(clock.now()))
    al = Actor("console", "w1", "al", "Al", handle="al", is_platform_admin=False)
    await identity.register(db, al, TEAM, iso(clock.now()))  # Bo's id is not given again
    user_id = await db.scalar("SELECT id FROM users WHERE external_id = 'bo'")
    other = await Engine.open(db.target, engine.deps.content, clock=clock)
    try:
        await identity.erase_person(other.db, int(user_id))
    finally:
        await other.close()
    clock.advance(seconds=identity.TRUST_FOR.total_seconds() + 1)

    def members(here: tuple[int, int] | None) -> Read[int] | None:
        return (
            None
            if here is None
            else Read(
                "SELECT COUNT(*) AS n FROM members WHERE conversation_id = ? AND user_id = ?",
                here,
                lambda rows: int(rows[0]["n"]),
            )
        )

    known, found = await identity.register_with(db, bo(), TEAM, iso(clock.now()), members)
    assert known.user_id != user_id and found == 1  # read for the new rows, not the old
    clock.advance(seconds=identity.TRUST_FOR.total_seconds() + 1)
    titles = Read("SELECT COUNT(*) AS n FROM conversations", (), lambda rows: int(rows[0]["n"]))
    before = db.round_trips
    _, count = await identity.register_with(db, bo(), TEAM, iso(clock.now()), lambda _: titles)
    assert count == 1 and db.round_trips - before == 1
