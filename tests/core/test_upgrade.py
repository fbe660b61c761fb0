"""A database written by the previous main (schema version 5, before the tables took the names
of their practice concepts) opens, migrates in place and keeps everything.

`tests/fixtures/kletspot-v5.db` was made by driving commit 76c59ad's engine through its events
(a team with a coordinator and a member, both DMs, every tool used once); `kletspot-v5.json`
holds what that database contained, by the old table names."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import admin
from bot.core.clock import FakeClock
from bot.core.config import Config
from bot.core.engine import Engine
from bot.core.migrations import LATEST
from tests.conftest import CONTENT, ON_POSTGRES, ROOT, Chat, text_of

FIXTURES = ROOT / "tests" / "fixtures"
EXPECTED = json.loads((FIXTURES / "kletspot-v5.json").read_text(encoding="utf-8"))
RENAMED = {
    "coordinators": "coordinatoren",
    "jar_custom": "pot_eigen_vragen",
    "jar_disabled": "pot_uit",
    "jar_drawn": "pot_getrokken",
    "jar_sessions": "kletspot_sessies",
    "jar_history": "trekkingen",
    "points": "aanknopingspunten",
    "nudge_plans": "planningen",
    "reminders": "herinneringen",
    "team_dialogues": "dialoogsessies",
    "team_actions": "teamacties",
    "team_meetings": "bijeenkomsten",
    "team_steps": "stappenplan_stand",
    "team_rounds": "reflectie_rondes",
    "reflections": "reflecties",
    "reflection_answers": "reflectie_antwoorden",
    "personal_plans": "persoonlijke_plannen",
    "help_country": "hulp_land",
}
DROPPED = {"scheduler_lock"}
"""The one-scheduler lease, empty when a process stops, gone since every process sends (0014)."""


@pytest.fixture
async def upgraded(tmp_path: Path, db_path: str | Path) -> AsyncIterator[Engine]:
    """On SQLite the old file itself; on PostgreSQL the upgraded file copied by `migreer-naar`."""
    copy = tmp_path / "kletspot-v5.db"
    shutil.copy(FIXTURES / "kletspot-v5.db", copy)
    clock = FakeClock(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    if ON_POSTGRES:
        config = Config(database=str(copy), log_level="INFO", grace=timedelta(hours=12))
        out = io.StringIO()
        assert await admin.migrate_to(config, [str(db_path)], out) == 0, out.getvalue()
        assert "elke tabel geteld" in out.getvalue()
    engine = await Engine.open(db_path if ON_POSTGRES else copy, CONTENT, clock=clock)
    yield engine
    await engine.close()


async def test_every_row_is_kept_under_its_new_name(upgraded: Engine) -> None:
    if ON_POSTGRES:
        assert await upgraded.db.scalar("SELECT MAX(version) FROM schema_version") == LATEST
    else:
        assert await upgraded.db.scalar("PRAGMA user_version") == LATEST
        assert await upgraded.db.scalar("PRAGMA foreign_key_check") is None
    for old, expected in EXPECTED.items():
        if old in DROPPED:
            assert expected["count"] == 0
            continue
        table = RENAMED.get(old, old)
        assert await upgraded.db.scalar(f"SELECT COUNT(*) FROM {table}") == expected["count"], old


async def test_the_team_finds_its_jar_points_plan_and_actions(upgraded: Engine) -> None:
    team = Chat(upgraded, "team")
    points = text_of(await team.cmd("punten"))
    for row in EXPECTED["points"]["rows"]:
        assert row["text"] in points
    assert EXPECTED["jar_custom"]["rows"][0]["text"] in text_of(await team.cmd("pot roos"))
    assert "staat uit" in text_of(await team.cmd("pot"))
    planning = text_of(await team.cmd("planning"))
    assert "12:00" in planning and "maandag" in planning.lower()
    actions = text_of(await team.cmd("acties team"))
    for row in EXPECTED["team_actions"]["rows"]:
        assert row["text"] in actions
    drawn_blauw = [
        int(q.split("-")[1])
        for q in EXPECTED["jar_drawn"]["question_ids"]
        if q.startswith("blauw-")
    ]
    texts = [CONTENT.kletspot.cluster("blauw").vragen[n - 1] for n in drawn_blauw]
    left = len(CONTENT.kletspot.cluster("blauw").vragen) - len(texts)
    # the old marks stand for the draws made with them (0017 names the draw before each)
    overview = text_of(await team.cmd("pot")).splitlines()
    blauw = next(line for line in overview if "Blauw" in line)
    assert blauw.endswith(f", {left} nog in de pot"), blauw
    for _ in range(left):
        again = text_of(await team.cmd("vraag blauw"))
        assert not any(text in again for text in texts), "a question drawn before came again"


async def test_each_person_finds_their_own(upgraded: Engine) -> None:
    an, sam = Chat(upgraded, "dm-an", group=False), Chat(upgraded, "dm-sam", group=False)
    plan = EXPECTED["personal_plans"]["rows"][0]["goal"]
    assert plan in text_of(await an.cmd("plan"))
    reminders = text_of(await an.cmd("herinneringen"))
    assert "Je herinneringen (3)" in reminders and "elke dinsdag en vrijdag om 08:30" in reminders
    assert "Mevr. K." in text_of(await sam.cmd("gesprekken", who="Sam"))
    assert "Reflector Bekend Besluiten Bereiken" in text_of(await sam.cmd("reflecties", who="Sam"))
    assert "Nederland" in text_of(await sam.cmd("hulp nu", who="Sam"))
