"""Two worker processes of one benchmark, started together (a network in miniature).

Each worker prints "ready" once it is set up and starts when it reads "go", so the time
measured is the work, not two interpreters starting."""

from __future__ import annotations

import asyncio
import sys
import time


async def run_two(module: str, *args: str) -> tuple[float, list[bytes]]:
    """Start `python -m module --worker *args` twice, let both go at once; (seconds from go to
    the last report, each worker's report line)."""
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            module,
            "--worker",
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for w in workers:
        assert w.stdout is not None
        assert (await w.stdout.readline()).strip() == b"ready"
    start = time.perf_counter()
    for w in workers:
        assert w.stdin is not None
        w.stdin.write(b"go\n")
        await w.stdin.drain()
    lines = [await w.stdout.readline() for w in workers if w.stdout is not None]
    elapsed = time.perf_counter() - start
    for w in workers:
        await w.wait()
    return elapsed, lines
