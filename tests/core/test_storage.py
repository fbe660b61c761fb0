"""The storage layer on both backends: migrations once, transactions that leave nothing
half-stored, `?` parameters translated, rows read by name."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.core.migrations import LATEST, migrations
from bot.core.storage import Database, Read, open_database
from bot.core.storage.base import joined_inserts, lands_with_next
from bot.core.storage.postgres import (
    APPEND_AFTER_UPDATE,
    DELETE_SHARES,
    translate,
    without_password,
)
from tests.conftest import ON_POSTGRES, Chat
from tests.core.test_architecture import OWNERS
from tests.postgres_server import new_schema, waiting_for_a_lock


async def version(db: Database) -> int:
    if db.kind == "sqlite":
        return int(await db.scalar("PRAGMA user_version"))
    return int(await db.scalar("SELECT MAX(version) FROM schema_version"))


async def test_schema_version_and_migrations_once(db_path: str | Path) -> None:
    db = await open_database(db_path)
    assert db.kind == ("postgresql" if ON_POSTGRES else "sqlite")
    assert await version(db) == LATEST
    await db.close()
    again = await open_database(db_path)  # migrations are not applied twice
    assert await version(again) == LATEST
    assert set(await again.tables()) == set(OWNERS) - {"schema_version", "id_tags"}
    await again.close()


async def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "k.db")
    assert (await db.scalar("PRAGMA journal_mode")) == "wal"
    assert (await db.scalar("PRAGMA foreign_keys")) == 1
    await db.close()


async def test_two_processes_starting_together_migrate_once(db_path: str | Path) -> None:
    first, second = await asyncio.gather(open_database(db_path), open_database(db_path))
    assert await version(first) == await version(second) == LATEST
    await first.close()
    await second.close()


async def test_transaction_rolls_back_every_row(db_path: str | Path) -> None:
    db = await open_database(db_path)
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await db.execute(
                "INSERT INTO users (platform, workspace_id, external_id, display_name,"
                " created_at) VALUES ('t', 'w', '1', 'A', 'now')"
            )
            await db.execute(
                "INSERT INTO users (platform, workspace_id, external_id, display_name,"
                " created_at) VALUES ('t', 'w', ?, ?, 'now')",
                ("2", "B"),
            )
            raise RuntimeError("halverwege")
    assert await db.scalar("SELECT COUNT(*) FROM users") == 0
    await db.close()


async def test_rows_read_by_name_and_position_and_ids_come_back(db_path: str | Path) -> None:
    db = await open_database(db_path)
    new_id = await db.scalar(
        "INSERT INTO users (platform, workspace_id, external_id, display_name, created_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        ("t", "w", "1", "Zoë 'de' ?", "2026-03-02"),
    )
    row = await db.one("SELECT id, display_name FROM users WHERE display_name = 'Zoë ''de'' ?'")
    assert row is not None
    assert (row["id"], row["display_name"], row[1]) == (new_id, "Zoë 'de' ?", "Zoë 'de' ?")
    assert list(row.keys()) == ["id", "display_name"]
    assert await db.changes("UPDATE users SET handle = ? WHERE id = ?", ("z", new_id)) == 1
    assert await db.changes("UPDATE users SET handle = ? WHERE id = ?", ("z", -1)) == 0
    await db.close()


def test_only_parameters_are_translated() -> None:
    assert translate("SELECT '?', \"a?\" -- why?\nFROM t WHERE a = ? AND b = ?") == (
        "SELECT '?', \"a?\" -- why?\nFROM t WHERE a = $1 AND b = $2"
    )
    assert translate("SELECT 'it''s ?' WHERE x = ?") == "SELECT 'it''s ?' WHERE x = $1"


def test_a_password_never_reaches_the_target_name() -> None:
    assert without_password("postgresql://kletspot:geheim@db.local:5433/k") == (
        "postgresql://kletspot:***@db.local:5433/k"
    )
    assert without_password("postgresql://db.local/k") == "postgresql://db.local/k"


def test_what_postgres_reads_differently_has_a_variant() -> None:
    """An id that numbers itself is an identity column on PostgreSQL, and REAL is single
    precision there (a Unix time would lose its seconds): such files need a postgres/ twin."""
    common, variant = dict(migrations("sqlite")), dict(migrations("postgresql"))
    assert common.keys() == variant.keys()
    for number, script in common.items():
        needs = re.search(r"\bid INTEGER PRIMARY KEY,|\bREAL\b", script)
        assert not needs or variant[number] != script, f"migration {number} needs a postgres/ twin"
        if variant[number] != script:
            assert not re.search(r"\bid INTEGER PRIMARY KEY,|\bREAL\b", variant[number])


@pytest.mark.parametrize("remembered", [False, True])
async def test_concurrent_draws_never_repeat(engine, remembered: bool) -> None:  # type: ignore[no-untyped-def]
    """26 `/vraag` at once in one jar, eight times (in eight teams): 26 questions each time.
    Before losing draws left their marks, PostgreSQL repeated one in about a third of rounds.
    `remembered`: one drawn first, so 25 draw at once from the jar this process remembers and
    all but one find it moved on (four teams)."""
    for team in range(4 if remembered else 8):
        chats = [Chat(engine, f"team{team}") for _ in range(26)]
        if remembered:
            await chats[0].cmd("vraag")
        await asyncio.gather(*(c.cmd("vraag") for c in chats[1 if remembered else 0 :]))
        rows = await engine.db.all(
            "SELECT question_id FROM trekkingen WHERE conversation_id ="
            " (SELECT MAX(conversation_id) FROM trekkingen)"
        )
        assert len(rows) == len({r["question_id"] for r in rows}) == 26, team


PLAIN_USER = (
    "INSERT INTO users (platform, workspace_id, external_id, display_name, created_at)"
    " VALUES (?, ?, ?, ?, ?)"
)
"""A plain INSERT (parameters only): rows of it held back together go as one statement."""


def _user(n: int) -> tuple[str, tuple[object, ...]]:
    return (
        "INSERT INTO users (platform, workspace_id, external_id, display_name, created_at)"
        " VALUES ('t', 'w', ?, ?, 'now')",
        (str(n), f"U{n}"),
    )


async def _names(db: Database) -> list[str]:
    rows = await db.all("SELECT display_name FROM users WHERE platform = 't' ORDER BY id")
    return [r["display_name"] for r in rows]


async def test_held_back_writes_travel_with_the_next_statement(db_path: str | Path) -> None:
    """`later` inside a unit: nothing sent until the next statement, which sees them (in order),
    all of them in one trip with it; the rest at the unit's end."""
    db = await open_database(db_path)
    async with db.unit():
        await db.later(*_user(1))
        await db.later(*_user(2))
        await db.later("UPDATE users SET display_name = 'Een' WHERE external_id = '1'")
        trips = db.round_trips
        assert await _names(db) == ["Een", "U2"]  # the read carried the writes along
        # SQLite: one hop for all; PostgreSQL: one per run of the same statement, and the read
        assert db.round_trips - trips == (1 if db.kind == "sqlite" else 3)
        await db.later(*_user(3))
        trips = db.round_trips
    assert db.round_trips - trips == 1  # the unit's end: one trip for what was left
    assert await _names(db) == ["Een", "U2", "U3"]
    await db.later(*_user(4))  # outside a unit: at once
    assert await _names(db) == ["Een", "U2", "U3", "U4"]
    await db.close()


async def test_changes_counts_its_own_rows_when_held_writes_share_its_statement(
    db_path: str | Path,
) -> None:
    """Buttons held back before a write whose count is wanted: on PostgreSQL they are WITH
    parts of its statement, whose command tag is the last part's own."""
    db = await open_database(db_path)
    await db.execute(*_user(1))
    user = await db.scalar("SELECT id FROM users")
    conversation = await db.scalar(
        "INSERT INTO conversations (platform, workspace_id, external_id, is_group, created_at)"
        " VALUES ('t', 'w', 'c', 0, 'now') RETURNING id"
    )
    button = (
        "INSERT INTO buttons (token, conversation_id, user_id, kind, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
    )
    async with db.unit():
        for token in ("a", "b", "c"):
            await db.later(button, (token, conversation, user, "k", "{}", "now"))
        trips = db.round_trips
        assert await db.changes(button, ("d", conversation, user, "k", "{}", "now")) == 1
        assert db.round_trips - trips == 1
        await db.later(button, ("e", conversation, user, "k", "{}", "now"))
        assert await db.changes("UPDATE users SET handle = 'x' WHERE id = ?", (-1,)) == 0
    assert await db.scalar("SELECT COUNT(*) FROM buttons") == 5
    await db.close()


async def test_reads_of_several_owners_go_together_in_one_trip(db_path: str | Path) -> None:
    """`together`: each read's rows as its owner parses them, in its own order, with the
    writes held back before them, in one round trip; parameters numbered across the reads."""
    db = await open_database(db_path)
    names = Read(
        "SELECT display_name AS naam, id FROM users WHERE platform = ? ORDER BY id DESC",
        ("t",),
        lambda rows: [(r["naam"], r[1]) for r in rows],
    )
    none = Read("SELECT id FROM users WHERE external_id = ?", ("geen",), lambda rows: rows)
    count = Read(
        "SELECT COUNT(*) AS n, MIN(display_name) AS laagste, NULL AS niets FROM users"
        " WHERE platform = ? AND external_id <> ?",
        ("t", "2"),
        lambda rows: tuple(rows[0]),
    )
    async with db.unit():
        for n in (1, 2, 3):
            await db.later(*_user(n))
        await db.later("UPDATE users SET display_name = ? WHERE external_id = '1'", ("Één '1'",))
        trips = db.round_trips
        found = await db.together(names, none, count)
        # the held-back writes as a read would take them: SQLite one hop, PostgreSQL a trip
        # for the run of INSERTs, one for the UPDATE, one for the reads
        assert db.round_trips - trips == (1 if db.kind == "sqlite" else 3)
        trips = db.round_trips
        assert await db.together(count, none) == (found[2], [])
        assert db.round_trips - trips == 1
    ids = [i for _, i in found[0]]
    assert [n for n, _ in found[0]] == ["U3", "U2", "Één '1'"] and ids == sorted(ids)[::-1]
    assert found[1] == [] and found[2] == (2, "U3", None)
    assert await db.read(names) == found[0]
    await db.close()


async def test_postgres_runs_an_event_on_one_connection_and_packs_its_writes(
    postgres_server: str,
) -> None:
    """One connection from the pool per event (transactions included), given back when the
    event ends, also a failed one; a held-back write to another table rides in the read."""
    db = await open_database(await new_schema(postgres_server))
    async with db.unit():
        backend = await db.scalar("SELECT pg_backend_pid()")
        await db.later(*_user(1))
        trips = db.round_trips
        assert await db.all("SELECT id FROM conversations") == []
        assert db.round_trips - trips == 1
        async with db.transaction():
            assert await db.scalar("SELECT pg_backend_pid()") == backend
        assert await _names(db) == ["U1"]
    with pytest.raises(RuntimeError):
        async with db.unit():
            await db.execute(*_user(2))
            raise RuntimeError("the event failed")

    async def events() -> None:
        for n in range(3, 15):  # more events than the pool has connections
            async with db.unit():
                await db.execute(*_user(n))

    await asyncio.wait_for(events(), 10)
    assert len(await _names(db)) == 14
    # a card's buttons (a run of one plain INSERT) with the draw's mark (another table) before
    # them: one statement at the unit's end
    trips = db.round_trips
    async with db.unit():
        await db.later(
            "INSERT INTO conversations (platform, workspace_id, external_id, is_group,"
            " created_at) VALUES ('t', 'w', 'c', 1, 'now')"
        )
        for n in (15, 16, 17):
            await db.later(PLAIN_USER, ("t", "w", str(n), f"U{n}", "now"))
    assert db.round_trips - trips == 1
    assert len(await _names(db)) == 17
    assert await db.scalar("SELECT COUNT(*) FROM conversations") == 1
    await db.close()


async def test_the_connection_goes_back_after_the_event_without_holding_it_up(
    postgres_server: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The unit's connection goes back to the pool in a task of its own. Units back to back
    take it again on its way back (no second connection opened); a release that fails closes
    its connection, is logged once by its class and not raised into the event, and the next
    events get a new one; `close` waits for the releases still on their way."""
    target = await new_schema(postgres_server)
    db = await open_database(target)
    pool = db._pool  # type: ignore[attr-defined]
    for n in range(1, 21):
        async with db.unit():
            await db.execute(*_user(n))
    assert pool.get_size() == 1
    keep_session, failures = pool._reset, 0

    async def reset_failing_once(conn: Any) -> None:
        nonlocal failures
        if failures == 0:
            failures += 1
            raise asyncpg.InterfaceError("a reset that failed")
        await keep_session(conn)

    monkeypatch.setattr(pool, "_reset", reset_failing_once)
    with caplog.at_level(logging.ERROR, logger="bot.core.storage.postgres"):
        for n in (21, 22, 23):
            async with db.unit():  # the first one's release fails: the event does not
                await db.execute(*_user(n))
        assert db._releasing  # type: ignore[attr-defined]
        await db.close()  # at once, with the last release on its way
    assert failures == 1 and not db._releasing  # type: ignore[attr-defined]
    assert [r.getMessage().splitlines()[0] for r in caplog.records] == [
        "connection closed at its release: error=InterfaceError"
    ]
    again = await open_database(target)
    assert len(await _names(again)) == 23
    await again.close()


async def test_held_back_writes_are_dropped_with_a_failed_event(db_path: str | Path) -> None:
    db = await open_database(db_path)
    with pytest.raises(RuntimeError):
        async with db.unit():
            await db.later(*_user(1))
            raise RuntimeError("the event failed")
    assert await _names(db) == []
    await db.close()


async def test_a_rolled_back_transaction_keeps_the_writes_made_before_it(
    db_path: str | Path,
) -> None:
    """Held back before the transaction: committed on their own; made inside it: gone with it."""
    db = await open_database(db_path)
    async with db.unit():
        await db.later(*_user(1))
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.execute(*_user(2))
                await db.later(*_user(3))
                raise RuntimeError("rolled back")
        with pytest.raises(RuntimeError):
            async with db.transaction():  # failed before its first statement: nothing sent
                await db.later(*_user(5))
                raise RuntimeError("rolled back")
        async with db.transaction():
            await db.later(*_user(4))  # a transaction of held-back writes only
    assert await _names(db) == ["U1", "U4"]
    await db.close()


async def test_a_transaction_costs_no_trips_of_its_own_on_sqlite(tmp_path: Path) -> None:
    """BEGIN goes with the first statement, COMMIT with the last held-back writes."""
    db = await open_database(tmp_path / "k.db")
    async with db.unit():
        trips = db.round_trips
        async with db.transaction():
            assert await db.all("SELECT id FROM users") == []
            await db.execute(*_user(1))
            await db.later(*_user(2))
        assert db.round_trips - trips == 3
        async with db.transaction():
            pass
        assert db.round_trips - trips == 3  # an empty transaction sends nothing
    assert await _names(db) == ["U1", "U2"]
    await db.close()


async def _users_and_a_chat(db: Database) -> tuple[int, int, int]:
    """Two users (U1, U2) and a conversation with a button of U1's: their ids."""
    for n in (1, 2):
        await db.execute(*_user(n))
    one, two = [r["id"] for r in await db.all("SELECT id FROM users ORDER BY id")]
    chat = await db.scalar(
        "INSERT INTO conversations (platform, workspace_id, external_id, is_group, created_at)"
        " VALUES ('t', 'w', 'c', 0, 'now') RETURNING id"
    )
    await db.execute(
        "INSERT INTO buttons (token, conversation_id, user_id, kind, payload, created_at)"
        " VALUES ('b', ?, ?, 'k', '{}', 'now')",
        (chat, one),
    )
    return one, two, chat


async def test_a_transaction_of_held_back_writes_is_one_trip(db_path: str | Path) -> None:
    """BEGIN (with the lock), the writes and COMMIT in one round trip on both backends (on
    PostgreSQL one message, where every value is a whole number), the writes one after the
    other as they were made: each sees the ones before it, cascades included. With text among
    the values PostgreSQL sends BEGIN, the writes and COMMIT apart; an empty transaction sends
    nothing."""
    db = await open_database(db_path)
    one, two, chat = await _users_and_a_chat(db)
    async with db.unit():
        trips = db.round_trips
        async with db.transaction():
            await db.later("DELETE FROM conversations WHERE id = ?", (chat,))  # its button too
            await db.later(
                "UPDATE users SET handle = 'los' WHERE id = ? AND NOT EXISTS"
                " (SELECT 1 FROM buttons WHERE user_id = ?)",
                (one, one),
            )
            await db.later("UPDATE users SET handle = 'weg' WHERE id IN (?, ?)", (two, -1))
            await db.later("DELETE FROM users WHERE handle = 'weg'")
        assert db.round_trips - trips == 1
        trips = db.round_trips
        async with db.transaction():
            await db.later("UPDATE users SET display_name = ? WHERE id = ?", ("Eén", one))
        assert db.round_trips - trips == (1 if db.kind == "sqlite" else 3)
        trips = db.round_trips
        async with db.transaction():
            pass
        assert db.round_trips - trips == 0
    rows = await db.all("SELECT id, handle, display_name FROM users")
    assert [tuple(r) for r in rows] == [(one, "los", "Eén")]
    assert await db.scalar("SELECT COUNT(*) FROM buttons") == 0
    await db.close()


async def test_a_one_trip_transaction_whose_statement_fails_leaves_everything(
    db_path: str | Path,
) -> None:
    """A write that fails halfway the transaction's one trip (on PostgreSQL after the writes
    before it ran, in the same message): all of them are undone, and the connection serves
    the next statement (the failed transaction was rolled back, not left open)."""
    db = await open_database(db_path)
    from bot.core.storage import IntegrityError

    one, two, chat = await _users_and_a_chat(db)
    async with db.unit():  # one connection throughout on PostgreSQL
        with pytest.raises(IntegrityError):
            async with db.transaction():
                await db.later("DELETE FROM conversations WHERE id = ?", (chat,))
                await db.later("DELETE FROM users WHERE id = ?", (two,))
                await db.later("UPDATE users SET display_name = NULL WHERE id = ?", (one,))
                await db.later("DELETE FROM users WHERE id = ?", (one,))
        assert await _names(db) == ["U1", "U2"]
        assert await db.scalar("SELECT COUNT(*) FROM buttons") == 1
        async with db.transaction():
            await db.later("DELETE FROM users WHERE id = ?", (two,))
        assert await _names(db) == ["U1"]
    await db.close()


async def test_an_erasing_transaction_truncates_the_wal_in_the_same_trip(
    db_path: str | Path,
) -> None:
    """`checkpoint=True`: on SQLite the WAL is copied into the file and truncated right after
    the COMMIT, in the same call; PostgreSQL leaves it to the server. Nested, it is the outer
    transaction's."""
    db = await open_database(db_path)
    await db.execute(*_user(1))
    secret = "Geheim-in-de-wal"
    await db.execute("UPDATE users SET display_name = ?", (secret,))
    wal = Path(f"{db.target}-wal")
    if db.kind == "sqlite":
        assert wal.stat().st_size > 0
    async with db.unit():
        trips = db.round_trips
        async with db.transaction():
            async with db.transaction(checkpoint=True):
                await db.later("DELETE FROM users WHERE id > ?", (0,))
        assert db.round_trips - trips == 1
    if db.kind == "sqlite":
        assert wal.stat().st_size == 0
        assert secret.encode() not in Path(db.target).read_bytes()
    assert await _names(db) == []
    await db.close()


async def test_a_failing_held_back_write_fails_the_statement_it_travels_with(
    db_path: str | Path,
) -> None:
    """All or nothing: the writes held back together are refused together, loudly."""
    db = await open_database(db_path)
    from bot.core.storage import IntegrityError

    with pytest.raises(IntegrityError):
        async with db.unit():
            await db.later(*_user(1))
            await db.later(*_user(1))  # the same user twice: refused by the unique rule
            await db.all("SELECT 1")
    assert await _names(db) == []
    await db.close()


async def test_a_failing_statement_takes_the_writes_held_back_for_it_along(
    db_path: str | Path,
) -> None:
    """Held-back writes and the statement they travel with are one (on SQLite one transaction,
    on PostgreSQL one statement): refused together, and the next event starts clean."""
    db = await open_database(db_path)
    from bot.core.storage import IntegrityError

    with pytest.raises(IntegrityError):
        async with db.unit():
            await db.later(*_user(1))
            await db.execute(
                "INSERT INTO conversations (platform, workspace_id, external_id, is_group,"
                " created_at) VALUES ('t', 'w', 'c', 1, NULL)"  # created_at may not be empty
            )
    assert await _names(db) == []
    async with db.unit():
        await db.later(*_user(2))
        assert await _names(db) == ["U2"]
    assert await _names(db) == ["U2"]
    await db.close()


class _BusyCommit:
    """The connection as `_hop` sees it, where the first COMMIT of held-back writes hears
    "busy" (as when another process takes the lock at that moment)."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self._real, self.refused = real, 0

    def execute(self, sql: str, params: object = ()) -> sqlite3.Cursor:
        if sql == "COMMIT TRANSACTION" and not self.refused:
            self.refused += 1
            busy = sqlite3.OperationalError("database is locked")
            busy.sqlite_errorcode = sqlite3.SQLITE_BUSY
            raise busy
        return self._real.execute(sql, params)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


async def test_sqlite_repeats_only_a_commit_that_heard_busy(tmp_path: Path) -> None:
    """The statement ran already: the thread repeats the COMMIT, not the statement (a note
    stored twice otherwise)."""
    db = await open_database(tmp_path / "k.db")
    conn = db._conn  # type: ignore[attr-defined]  # aiosqlite's, around sqlite3's
    real = conn._connection
    conn._connection = stand_in = _BusyCommit(real)
    try:
        async with db.unit():
            await db.later(*_user(1))
            await db.execute(*_user(2))
    finally:
        conn._connection = real
    assert stand_in.refused == 1
    assert await _names(db) == ["U1", "U2"]
    assert not real.in_transaction
    await db.close()


async def _one_write(db: Database) -> None:
    await db.execute(*_user(2))


async def _held_back_writes(db: Database) -> None:
    """An event's held-back writes and its statement: they wait together and land once."""
    async with db.unit():
        await db.later(*_user(2))
        await db.later(*_user(3))
        await db.execute(*_user(4))


@pytest.mark.parametrize(
    ("event", "names"),
    [(_one_write, ["U1", "U2"]), (_held_back_writes, ["U1", "U2", "U3", "U4"])],
)
async def test_sqlite_waits_for_another_process_off_the_event_loop(
    tmp_path: Path, event: Callable[[Database], Awaitable[None]], names: list[str]
) -> None:
    """Statements run on the loop while SQLite answers at once; when another process holds
    the write lock, the write waits on the connection's thread, and the loop keeps going."""
    path = tmp_path / "k.db"
    mine, other = await open_database(path), await open_database(path)
    holding, release = asyncio.Event(), asyncio.Event()

    async def hold_the_lock() -> None:
        async with other.transaction():
            await other.execute(*_user(1))
            holding.set()
            await release.wait()

    holder = asyncio.create_task(hold_the_lock())
    await asyncio.wait_for(holding.wait(), 5)
    write = asyncio.create_task(event(mine))
    ticks = 0
    while not write.done() and ticks < 20:  # the loop runs while the write waits
        await asyncio.sleep(0)
        ticks += 1
    assert ticks == 20 and not write.done()
    release.set()
    await asyncio.wait_for(asyncio.gather(holder, write), 10)
    assert await _names(mine) == names
    assert await mine.scalar("PRAGMA busy_timeout") == 0  # back to answering at once
    await mine.close()
    await other.close()


async def test_sqlite_checkpoints_on_its_thread_so_the_wal_stays_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own checkpoint would sync the disk on the event loop: it is off, and the WAL
    is copied into the database every CHECKPOINT_EVERY calls instead, on a thread."""
    from bot.core.storage import sqlite

    monkeypatch.setattr(sqlite, "CHECKPOINT_EVERY", 50)
    db = await open_database(tmp_path / "k.db")
    assert isinstance(db, sqlite.SqliteDatabase)
    assert await db.scalar("PRAGMA wal_autocheckpoint") == 0
    empty = (tmp_path / "k.db").stat().st_size
    for n in range(300):
        await db.execute(*_user(n))
    assert db._checkpointing is not None
    await asyncio.wait_for(db._checkpointing, 10)
    assert (tmp_path / "k.db").stat().st_size > empty  # the WAL copied into the file itself
    await db.close()


async def test_a_task_started_in_a_unit_writes_its_own_at_once(db_path: str | Path) -> None:
    """A task started inside an event inherits its context, not its unit: what it writes with
    `later` goes at once, also after the event has ended."""
    db = await open_database(db_path)
    go = asyncio.Event()

    async def background() -> None:
        await go.wait()
        await db.later(*_user(1))

    async with db.unit():
        task = asyncio.create_task(background())
    go.set()
    await asyncio.wait_for(task, 5)
    assert await _names(db) == ["U1"]
    await db.close()


async def test_after_writes_waits_for_the_held_writes_and_not_for_a_failed_event(
    db_path: str | Path,
) -> None:
    """What waits for the writes (`after_writes`) runs once they were sent, at the unit's end;
    an event that fails drops both; outside a unit nothing is held back, so it runs at once."""
    db = await open_database(db_path)
    ran: list[tuple[int, int]] = []  # (which, round trips so far)

    async def held_then_waiting(n: int) -> None:
        await db.later(*_user(n))
        db.after_writes(lambda: ran.append((n, db.round_trips)))

    async with db.unit():
        await held_then_waiting(1)
        assert ran == []
    assert ran == [(1, db.round_trips)] and await _names(db) == ["U1"]  # after its trip
    with pytest.raises(RuntimeError):
        async with db.unit():
            await held_then_waiting(2)
            raise RuntimeError("the event failed")
    assert [n for n, _ in ran] == [1] and await _names(db) == ["U1"]
    db.after_writes(lambda: ran.append((3, db.round_trips)))
    assert [n for n, _ in ran] == [1, 3]
    await db.close()


async def test_a_write_of_another_task_stays_out_of_a_failing_transaction(
    db_path: str | Path,
) -> None:
    db = await open_database(db_path)

    async def other() -> None:
        await db.later(*_user(2))

    async with db.unit():
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.execute(*_user(1))
                task = asyncio.create_task(other())
                raise RuntimeError("this transaction fails")
        await asyncio.wait_for(task, 5)
    assert await _names(db) == ["U2"]
    await db.close()


def test_neighbouring_rows_of_one_plain_insert_become_one_statement() -> None:
    """A card's buttons: one INSERT of three rows on both backends; anything else as it was."""
    button = "INSERT INTO buttons (token, kind) VALUES (?, ?)"
    other = ("UPDATE flows SET status = 'dropped' WHERE user_id = ?", (1,))
    rows = [(button, ("a", "x")), (button, ("b", "x")), (button, ("c", "x"))]
    assert joined_inserts([other, *rows, other]) == [
        other,
        (
            "INSERT INTO buttons (token, kind) VALUES (?, ?), (?, ?), (?, ?)",
            ("a", "x", "b", "x", "c", "x"),
        ),
        other,
    ]
    assert joined_inserts([rows[0], other, rows[1]]) == [rows[0], other, rows[1]]
    upsert = "INSERT INTO senders (owner, heartbeat) VALUES (?, ?) ON CONFLICT (owner) DO UPDATE SET heartbeat = excluded.heartbeat"
    assert joined_inserts([(upsert, ("a", 1)), (upsert, ("a", 2))]) == [
        (upsert, ("a", 1)),
        (upsert, ("a", 2)),
    ]
    many = [(button, (str(n), "x")) for n in range(101)]
    assert [len(p) for _, p in joined_inserts(many)] == [200, 2]


async def test_a_cards_buttons_are_stored_by_one_statement(db_path: str | Path) -> None:
    db = await open_database(db_path)
    async with db.unit():
        for n in (1, 2, 3):
            await db.later(PLAIN_USER, ("t", "w", str(n), f"U{n}", "now"))
        trips = db.round_trips
    assert db.round_trips - trips == 1
    assert await _names(db) == ["U1", "U2", "U3"]
    await db.close()


async def test_new_rows_share_a_statement_with_an_update_only_where_the_id_is_the_only_key(
    db_path: str | Path,
) -> None:
    """`postgres.APPEND_AFTER_UPDATE` held to the schema (on the backend in use): a unique key
    added to one of its tables must take the table off the list."""
    db = await open_database(db_path)
    try:
        for table in sorted(APPEND_AFTER_UPDATE):
            if db.kind == "sqlite":
                rows = await db.all(f"PRAGMA index_list({table})")
                unique = [r["name"] for r in rows if r["unique"] and r["origin"] != "pk"]
            else:
                rows = await db.all(
                    "SELECT indexname FROM pg_indexes WHERE tablename = ?"
                    " AND indexdef LIKE 'CREATE UNIQUE%'",
                    (table,),
                )
                unique = [r["indexname"] for r in rows if not r["indexname"].endswith("_pkey")]
            assert unique == [], table
    finally:
        await db.close()


async def test_a_delete_shares_a_statement_only_where_no_foreign_key_refers_to_its_table(
    db_path: str | Path,
) -> None:
    """`postgres.DELETE_SHARES` held to the schema (on the backend in use): a foreign key that
    comes to refer to one of its tables must take the table off the list."""
    db = await open_database(db_path)
    try:
        if db.kind == "sqlite":
            referred = set()
            for table in await db.tables():
                rows = await db.all(f"PRAGMA foreign_key_list({table})")
                referred |= {r["table"] for r in rows}
        else:
            rows = await db.all(
                "SELECT c.confrelid::regclass::text AS referred FROM pg_constraint c"
                " JOIN pg_namespace n ON n.oid = c.connamespace"
                " WHERE c.contype = 'f' AND n.nspname = current_schema()"
            )
            referred = {r["referred"].split(".")[-1] for r in rows}
        assert "conversations" in referred  # the check sees the foreign keys there are
        assert referred & DELETE_SHARES == set()
    finally:
        await db.close()


async def test_a_write_that_lands_with_a_move_waits_on_it_across_processes(
    postgres_server: str,
) -> None:
    """Two answers to one question at the same moment on two processes: the one whose move
    comes second writes nothing. Its held write's condition (`lands_with_next`) read the flow
    from before its statement, where it still waited; the move itself waits for the other's
    row and finds it moved, and the write waits on the move."""
    target = await new_schema(postgres_server)
    mine, theirs, watcher = [await open_database(target) for _ in range(3)]
    await mine.execute(*_user(1))
    user = await mine.scalar("SELECT id FROM users")
    chat = await mine.scalar(
        "INSERT INTO conversations (platform, workspace_id, external_id, is_group, created_at)"
        " VALUES ('t', 'w', 'c', 0, 'now') RETURNING id"
    )
    flow = mine.new_id()
    await mine.execute(
        "INSERT INTO flows (id, conversation_id, user_id, kind, step, data, created_at,"
        " updated_at) VALUES (?, ?, ?, 'k', 'ask', '{}', 'now', 'now')",
        (flow, chat, user),
    )
    move = (
        "UPDATE flows SET step = ?, status = ? WHERE id = ? AND step = ? AND status = 'open'",
        ("klaar", "done", flow, "ask"),
    )
    still = lands_with_next(
        (
            "EXISTS (SELECT 1 FROM flows WHERE id = ? AND step = ? AND status = 'open')",
            (flow, "ask"),
        )
    )
    note = "INSERT INTO buttons (token, conversation_id, user_id, kind, payload, created_at)"

    async def answer(token: str) -> int:
        async with mine.unit():
            condition, params = still
            await mine.later(
                f"{note} SELECT ?, ?, ?, ?, ?, ? WHERE {condition}",
                (token, chat, user, "k", "{}", "now", *params),
            )
            await mine.later(
                f"{note} VALUES (?, ?, ?, ?, ?, ?)", ("los", chat, user, "k", "{}", "x")
            )
            trips = mine.round_trips
            changed = await mine.changes(*move)
            assert mine.round_trips - trips == 1  # the held writes and the move: one statement
            return changed

    async with theirs.transaction():
        assert await theirs.changes(*move) == 1  # moved, not yet committed
        late = asyncio.ensure_future(answer("mijn"))
        await waiting_for_a_lock(watcher)
    assert await asyncio.wait_for(late, 10) == 0
    tokens = [r[0] for r in await mine.all("SELECT token FROM buttons ORDER BY token")]
    assert tokens == ["los"]  # the unguarded write landed; the one waiting on the move did not
    await mine.execute("DELETE FROM buttons")
    assert await answer("tweede") == 0  # moved long ago: only the unguarded write
    assert [r[0] for r in await mine.all("SELECT token FROM buttons")] == ["los"]
    for db in (mine, theirs, watcher):
        await db.close()


async def test_a_one_trip_transaction_takes_the_write_lock_before_its_writes(
    postgres_server: str,
) -> None:
    """Two processes: one holds a transaction (the write lock) with a row not yet committed.
    The other's transaction of held-back writes, one message, waits for the lock at its BEGIN
    and only then runs its writes, each reading as of its own start: they see that row once
    it is committed, as they would one trip each."""
    target = await new_schema(postgres_server)
    mine, theirs, watcher = [await open_database(target) for _ in range(3)]

    async def erase_all() -> int:
        async with mine.unit():
            trips = mine.round_trips
            async with mine.transaction():
                await mine.later("DELETE FROM users WHERE id > ?", (0,))
            return mine.round_trips - trips

    async with theirs.transaction():
        await theirs.execute(*_user(1))
        erasing = asyncio.ensure_future(erase_all())
        await waiting_for_a_lock(watcher)
        assert not erasing.done()
    assert await asyncio.wait_for(erasing, 10) == 1
    assert await _names(mine) == []
    for db in (mine, theirs, watcher):
        await db.close()
