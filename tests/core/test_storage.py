"""The storage layer: WAL, migrations, transactions that leave nothing half-stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.migrations import MIGRATIONS
from bot.core.storage import Database


async def test_wal_and_schema_version(db_path: Path) -> None:
    db = await Database.open(db_path)
    assert (await db.scalar("PRAGMA journal_mode")) == "wal"
    assert (await db.scalar("PRAGMA user_version")) == MIGRATIONS[-1][0]
    assert (await db.scalar("PRAGMA foreign_keys")) == 1
    await db.close()
    again = await Database.open(db_path)  # migrations are not applied twice
    assert (await again.scalar("PRAGMA user_version")) == MIGRATIONS[-1][0]
    await again.close()


async def test_transaction_rolls_back_every_row(db_path: Path) -> None:
    db = await Database.open(db_path)
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await db.execute("INSERT INTO users (platform, workspace_id, external_id, display_name,"
                             " created_at) VALUES ('t', 'w', '1', 'A', 'now')")
            await db.execute("INSERT INTO users (platform, workspace_id, external_id, display_name,"
                             " created_at) VALUES ('t', 'w', '2', 'B', 'now')")
            raise RuntimeError("halverwege")
    assert await db.scalar("SELECT COUNT(*) FROM users") == 0
    await db.close()


async def test_concurrent_draws_never_repeat(engine) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from tests.conftest import Chat
    chats = [Chat(engine) for _ in range(26)]
    await asyncio.gather(*(c.cmd("vraag") for c in chats))
    rows = await engine.db.all("SELECT question_id FROM trekkingen")
    assert len({r["question_id"] for r in rows}) == 26
