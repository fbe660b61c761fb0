"""Ids a process makes itself (bot/core/storage/ids.py): growing with time, never twice, and
never mixed with ids the database gives in one table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.storage import ids as ids_module
from bot.core.storage import open_database
from bot.core.storage.ids import COUNT_BITS, OWN_IDS, TAG_BITS, Ids
from tests.conftest import ROOT
from tests.core.test_architecture import sources, sql_strings


def test_ids_grow_and_fit_a_signed_64_bit_integer() -> None:
    made = Ids(tag=(1 << TAG_BITS) - 1)
    ids = [made.new() for _ in range(5_000)]  # more than one millisecond can count
    assert ids == sorted(set(ids))
    assert all(0 < i < 2**63 for i in ids)
    assert {(i >> COUNT_BITS) & ((1 << TAG_BITS) - 1) for i in ids} == {made.tag}


def test_a_clock_set_back_does_not_make_an_id_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [ids_module.EPOCH_MS * 1_000_000 + 10**12]
    monkeypatch.setattr(ids_module.time, "time_ns", lambda: now[0])
    made = Ids(tag=3)
    first = [made.new() for _ in range(300)]  # past one millisecond's 256
    now[0] -= 60 * 10**9  # a minute back
    later = [made.new() for _ in range(3)]
    assert first + later == sorted(set(first + later))


def test_two_tags_never_make_the_same_id() -> None:
    one, other = Ids(tag=1), Ids(tag=2)
    assert not {one.new() for _ in range(1_000)} & {other.new() for _ in range(1_000)}


def test_a_tag_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        Ids(tag=1 << TAG_BITS)


async def test_processes_on_one_database_take_different_tags_and_keep_only_the_last(
    db_path: str | Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ids_module, "TAGS", 4)
    opened = [await open_database(db_path) for _ in range(6)]
    tags = [db.ids.tag for db in opened if db.ids is not None]
    assert len(tags) == 6
    assert all(b == (a + 1) % 4 for a, b in zip(tags, tags[1:], strict=False))
    assert await opened[-1].scalar("SELECT COUNT(*) FROM id_tags") == 4
    for db in opened:
        await db.close()


_INSERT = re.compile(r"INSERT\s+INTO\s+(\w+)\s*\(\s*(\w+)", re.IGNORECASE)


def test_every_new_row_of_a_table_with_own_ids_names_its_id() -> None:
    """A row numbered by the database would land among the process's ids by accident (on
    SQLite just above the highest one, which the process may make next)."""
    found = {}
    for path in sources("bot", "scheduler", "adapters", "bench"):
        for sql in sql_strings(path):
            for table, first in _INSERT.findall(sql):
                if table in OWN_IDS:
                    found[(path.relative_to(ROOT).as_posix(), table)] = first
    assert {table for _, table in found} == OWN_IDS
    assert {key: first for key, first in found.items() if first != "id"} == {}
