"""Reads the YAML content files into typed, validated objects.

The bot refuses to start on a broken content file: a half-loaded question jar would
silently show people less than the source offers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from content.schemas.common import Misplaced

CONTENT_DIR = Path(__file__).resolve().parent

M = TypeVar("M", bound=BaseModel)


class ContentError(Exception):
    """A content file that cannot be used; the message names the file and the entry."""


def _entry_path(loc: tuple[object, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        parts.append(f"[{item}]" if isinstance(item, int) else f".{item}")
    return "".join(parts).lstrip(".") or "(bestand)"


def load_yaml(path: Path, model: type[M]) -> M:
    """Load one YAML file into `model`, raising ContentError that names file and entry."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"{path.name}: bestand ontbreekt") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 1})" if mark is not None else ""
        raise ContentError(f"{path.name}{where}: geen geldige YAML: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        cause = first.get("ctx", {}).get("error")
        inner = cause.where if isinstance(cause, Misplaced) else ()
        entry = _entry_path((*first["loc"], *inner))
        raise ContentError(f"{path.name}: {entry}: {first['msg']}") from exc
