"""A throwaway PostgreSQL cluster for one test session: a temp folder, a free port, no fsync.

Uses the server binaries of the system's package (`make test` installs Debian's `postgresql`
when they are missing). As root, the cluster runs as the `postgres` user the package creates,
because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import asyncio
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import asyncpg

if TYPE_CHECKING:
    from bot.core.storage import Database


def _bin(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise RuntimeError(
            f"{name} not found: run `make test`, which installs PostgreSQL, "
            "or set KLETSPOT_TEST_DATABASE_URL to a server of your own"
        )
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Yields the address of a running server with a superuser `kletspot` (trust on loopback)."""
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="kletspot-pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    port = _free_port()
    run = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    subprocess.run(
        [
            *as_user,
            _bin("initdb"),
            "-D",
            str(data),
            "-U",
            "kletspot",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        **run,
    )  # type: ignore[call-overload]
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    )
    subprocess.run(
        [
            *as_user,
            _bin("pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        ],
        **run,
    )  # type: ignore[call-overload]
    try:
        yield f"postgresql://kletspot@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, _bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(folder, ignore_errors=True)


async def new_schema(server: str) -> str:
    """A new empty schema on the server; the address opens it (asyncpg passes `search_path`)."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f"CREATE SCHEMA {name}")
    finally:
        await conn.close()
    return f"{server}?search_path={name}"


async def waiting_for_a_lock(db: Database, timeout: float = 10.0) -> None:
    """Until some backend of the server waits for a lock (another process's change, not yet
    committed): the server's own view, polled, as there is no event to wait on."""
    async with asyncio.timeout(timeout):
        while not await db.scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        ):
            await asyncio.sleep(0.01)


async def two_processes(postgres_server: str) -> tuple[Database, Database, Database, int, int]:
    """Two processes' databases and a watcher on one fresh schema, with a person and a group."""
    from bot.core.storage import open_database  # as `Database`: not at import, for make test

    target = await new_schema(postgres_server)
    mine, theirs, watcher = [await open_database(target) for _ in range(3)]
    user = await mine.scalar(
        "INSERT INTO users (platform, workspace_id, external_id, display_name, created_at)"
        " VALUES ('t', 'w', 'u', 'Bo', 'now') RETURNING id"
    )
    chat = await mine.scalar(
        "INSERT INTO conversations (platform, workspace_id, external_id, is_group, created_at)"
        " VALUES ('t', 'w', 'c', 1, 'now') RETURNING id"
    )
    return mine, theirs, watcher, int(user), int(chat)
