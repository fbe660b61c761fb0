"""Versioned schema: `bot/core/schema/NNNN_name.sql`, applied in order at start.

Add a new file with the next number; never edit one that has shipped.
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


def _load() -> list[tuple[int, str]]:
    found = sorted((int(p.name.split("_", 1)[0]), p) for p in SCHEMA_DIR.glob("[0-9]*_*.sql"))
    numbers = [n for n, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"schema files must be numbered 1..n without gaps, found {numbers}")
    return [(n, p.read_text(encoding="utf-8")) for n, p in found]


MIGRATIONS: list[tuple[int, str]] = _load()
