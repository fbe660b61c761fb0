"""The one font family for pictures and PDFs: DejaVu Sans, as matplotlib ships it.

It comes from a pip package (no system font is needed on a fresh machine) and covers Dutch
diacritics, Greek, Cyrillic, Hebrew and Arabic. It has no colour emoji: `drawable()` replaces
what the font cannot show by one visible mark, so a name never turns into empty boxes; the
caption and the text version keep the original.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont, features

MISSING = "□"
"""Shown instead of a run of characters the font has no glyph for (emoji, rare scripts)."""
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufe00-\ufe0f\ufeff]")
"""Zero-width joiners, direction marks and variation selectors: part of what surrounds them."""


def _font_dir() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed: it ships the fonts for pictures and PDFs")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def regular() -> Path:
    return _font_dir() / "DejaVuSans.ttf"


def bold() -> Path:
    return _font_dir() / "DejaVuSans-Bold.ttf"


@cache
def _covered() -> frozenset[int]:
    """Code points both the regular and the bold face can draw."""
    with TTFont(regular(), lazy=True) as r, TTFont(bold(), lazy=True) as b:
        return frozenset(r.getBestCmap()) & frozenset(b.getBestCmap())


def drawable(text: str) -> str:
    """`text` as the font can draw it: one MISSING mark per run of characters it lacks."""
    covered = _covered()
    out: list[str] = []
    for char in _INVISIBLE.sub("", text):
        if ord(char) in covered or char in "\n\t ":
            out.append(char)
        elif not out or out[-1] != MISSING:
            out.append(MISSING)
    return "".join(out)


@cache
def pillow(size: int, heavy: bool = False) -> ImageFont.FreeTypeFont:
    """A Pillow font; with libraqm (bundled in Pillow's wheels) right-to-left names are laid out
    in reading order and Arabic letters are joined."""
    layout = ImageFont.Layout.RAQM if features.check_feature("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(bold() if heavy else regular()), size, layout_engine=layout)
