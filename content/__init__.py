"""The practice tools' texts, loaded and validated once at start."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from content.loader import CONTENT_DIR, ContentError, load_yaml
from content.schemas.kletspot import Kletspot

__all__ = ["Content", "ContentError", "load_content"]


@dataclass(frozen=True)
class Content:
    kletspot: Kletspot


def load_content(directory: Path = CONTENT_DIR) -> Content:
    return Content(kletspot=load_yaml(directory / "kletspot.yaml", Kletspot))
