"""The operator's commands: `kletspot backup` and `kletspot migreer-naar`, in Dutch, refusing
what would lose or mix data."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from bot import admin
from bot.core.config import Config
from bot.core.engine import Engine
from bot.core.storage import SqliteDatabase, open_database
from tests.conftest import CONTENT, ROOT, Chat, new_schema


def config(database: str | Path) -> Config:
    return Config(database=str(database), log_level="INFO", grace=timedelta(hours=12))


async def filled(path: Path) -> Engine:
    engine = await Engine.open(path, CONTENT)
    team = Chat(engine)
    await team.cmd("vraag blauw")
    await team.cmd("noteer Een punt met een ' en een ?")
    await team.cmd("planning maandag 12:00")
    return engine


async def test_backup_while_the_bot_runs(tmp_path: Path) -> None:
    engine = await filled(tmp_path / "k.db")
    out = io.StringIO()
    assert await admin.backup(config(tmp_path / "k.db"), [str(tmp_path / "kopie.db")], out) == 0
    assert "Back-up klaar" in out.getvalue()
    copy = await SqliteDatabase.open(tmp_path / "kopie.db")
    assert await copy.scalar("SELECT text FROM aanknopingspunten") == "Een punt met een ' en een ?"
    assert await copy.scalar("SELECT COUNT(*) FROM trekkingen") == 1
    await copy.close()
    await engine.close()


async def test_backup_never_overwrites_and_says_so_for_postgres(tmp_path: Path) -> None:
    (tmp_path / "er.db").write_bytes(b"iets")
    out = io.StringIO()
    assert await admin.backup(config(tmp_path / "k.db"), [str(tmp_path / "er.db")], out) == 2
    assert "overschrijf ik niets" in out.getvalue()
    assert (tmp_path / "er.db").read_bytes() == b"iets"
    out = io.StringIO()
    assert await admin.backup(config("postgresql://x/y"), ["b.db"], out) == 2
    assert "pg_dump" in out.getvalue()


async def test_migrate_copies_counts_and_continues(tmp_path: Path, postgres_server: str) -> None:
    engine = await filled(tmp_path / "k.db")
    await engine.close()
    target = await new_schema(postgres_server)
    out = io.StringIO()
    assert await admin.migrate_to(config(tmp_path / "k.db"), [target], out) == 0
    report = out.getvalue()
    assert "aanknopingspunten" in report and "VERSCHIL" not in report
    assert "elke tabel geteld" in report
    moved = await Engine.open(target, CONTENT)
    team = Chat(moved)
    assert "Een punt met een ' en een ?" in "\n".join(r.plain for r in await team.cmd("punten"))
    await team.cmd("noteer Nog een punt")  # new ids follow the copied ones
    assert await moved.db.scalar("SELECT COUNT(*) FROM aanknopingspunten") == 2
    await moved.close()
    again = io.StringIO()
    assert await admin.migrate_to(config(tmp_path / "k.db"), [target], again) == 1
    assert "is niet leeg" in again.getvalue()


async def test_migrate_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    for cfg, args, said in [
        (config(tmp_path / "weg.db"), ["postgresql://x/y"], "bestaat niet"),
        (config(tmp_path / "k.db"), ["geen-adres"], "Gebruik:"),
        (config("postgresql://a/b"), ["postgresql://x/y"], "Zet KLETSPOT_DB"),
    ]:
        out = io.StringIO()
        assert await admin.migrate_to(cfg, args, out) == 2
        assert said in out.getvalue()


async def test_migrate_to_an_unreachable_server(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "k.db")
    await db.close()
    out = io.StringIO()
    url = "postgresql://kletspot:geheim@127.0.0.1:1/k"
    assert await admin.migrate_to(config(tmp_path / "k.db"), [url], out) == 1
    assert "niet openen" in out.getvalue() and "geheim" not in out.getvalue()


def test_the_kletspot_command_lists_its_commands(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "onzin"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "migreer-naar" in result.stdout and "backup" in result.stdout
