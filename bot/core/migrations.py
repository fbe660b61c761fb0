"""Versioned schema: `bot/core/schema/NNNN_name.sql`, applied in order at start, on both backends.

Add a new file with the next number; never edit one that has shipped. Where PostgreSQL needs
other SQL (an `INTEGER PRIMARY KEY` that numbers itself is an identity column there), a file of
the same name in `schema/postgres/` replaces the common one on PostgreSQL only.
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
VARIANTS = {"sqlite": None, "postgresql": SCHEMA_DIR / "postgres"}


def _numbered(folder: Path) -> dict[int, Path]:
    return {int(p.name.split("_", 1)[0]): p for p in folder.glob("[0-9]*_*.sql")}


def _load(kind: str) -> list[tuple[int, str]]:
    common = _numbered(SCHEMA_DIR)
    numbers = sorted(common)
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"schema files must be numbered 1..n without gaps, found {numbers}")
    folder = VARIANTS[kind]
    variant = _numbered(folder) if folder else {}
    for n, path in variant.items():
        if n not in common or common[n].name != path.name:
            raise RuntimeError(f"{path.name} in {folder} has no common file of the same name")
    return [(n, (variant.get(n) or common[n]).read_text(encoding="utf-8")) for n in numbers]


_LOADED = {kind: _load(kind) for kind in VARIANTS}


def migrations(kind: str) -> list[tuple[int, str]]:
    """(version, script) for one backend, "sqlite" or "postgresql"."""
    return _LOADED[kind]


MIGRATIONS: list[tuple[int, str]] = _LOADED["sqlite"]
LATEST = MIGRATIONS[-1][0]
