"""What an operator runs beside the bot: `kletspot backup <bestand>` and `kletspot migreer-naar
<adres>`. Messages are Dutch like everything else a person reads."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TextIO

from bot.core.config import Config
from bot.core.logsafe import failure
from bot.core.storage import PostgresDatabase, SqliteDatabase
from bot.core.storage.copy import NotEmpty, copy_database
from bot.core.storage.postgres import is_address, without_password

USAGE = """Gebruik:
  kletspot                        start de bot
  kletspot backup <bestand>       maak een kopie van de SQLite-database terwijl de bot draait
  kletspot migreer-naar <adres>   kopieer de SQLite-database naar een lege PostgreSQL-database
                                  (adres: postgresql://gebruiker:wachtwoord@host:5432/naam)
"""


async def backup(config: Config, args: list[str], out: TextIO) -> int:
    if len(args) != 1:
        out.write(USAGE)
        return 2
    if is_address(config.database):
        out.write(
            "Deze bot draait op PostgreSQL. Maak daar een back-up met pg_dump "
            "(zie docs/deploy.md).\n"
        )
        return 2
    destination = Path(args[0])
    if destination.exists():
        out.write(f"{destination} bestaat al. Kies een nieuw bestand, dan overschrijf ik niets.\n")
        return 2
    db = await SqliteDatabase.open(config.database)
    try:
        await db.backup(destination)
    finally:
        await db.close()
    out.write(f"Back-up klaar: {destination}\n")
    return 0


async def migrate_to(config: Config, args: list[str], out: TextIO) -> int:
    if len(args) != 1 or not is_address(args[0]):
        out.write(USAGE)
        return 2
    if is_address(config.database):
        out.write(
            "Zet KLETSPOT_DB op het SQLite-bestand dat je wilt kopiëren, zonder "
            "KLETSPOT_DATABASE_URL.\n"
        )
        return 2
    if not Path(config.database).exists():
        out.write(f"Het bestand {config.database} bestaat niet (KLETSPOT_DB).\n")
        return 2
    source = await SqliteDatabase.open(config.database)
    try:
        target = await PostgresDatabase.open(args[0])
    except Exception as exc:
        await source.close()
        cause = exc.__cause__ or exc
        out.write(
            f"Ik kan PostgreSQL op {without_password(args[0])} niet openen ({failure(cause)}).\n"
        )
        return 1
    try:
        counts = await copy_database(source, target)
    except NotEmpty as exc:
        out.write(
            f"De database op {target.target} is niet leeg (tabel {exc}). Ik kopieer "
            "alleen naar een lege database, zodat niets dubbel staat.\n"
        )
        return 1
    finally:
        await source.close()
        await target.close()
    width = max(len(c.table) for c in counts)
    for c in counts:
        mark = "ok" if c.same else "VERSCHIL"
        out.write(f"  {c.table:<{width}}  {c.source:>8}  {c.target:>8}  {mark}\n")
    if all(c.same for c in counts):
        out.write(
            f"Klaar: {sum(c.source for c in counts)} rijen in {len(counts)} tabellen "
            f"gekopieerd naar {target.target}, elke tabel geteld.\n"
        )
        return 0
    out.write("De tellingen verschillen: gebruik de PostgreSQL-database nog niet.\n")
    return 1


COMMANDS: dict[str, Callable[[Config, list[str], TextIO], Coroutine[Any, Any, int]]] = {
    "backup": backup,
    "migreer-naar": migrate_to,
}


def run(args: list[str], config: Config | None = None, out: TextIO = sys.stdout) -> int:
    command = COMMANDS.get(args[0])
    if command is None:
        out.write(USAGE)
        return 0 if args[0] in ("-h", "--help", "help") else 2
    return asyncio.run(command(config or Config.from_env(), args[1:], out))
