"""Recognising signs of acute distress by the word list in content/signalen.yaml, and the
country whose help lines someone gets.

Matching is on words, not on substrings, so 'doodmoe' is not 'dood' and 'eindelijk' is not
'eind'. Case, accents, punctuation and a few spelling habits (m'n, mij/me, wou/wil, 'zelf
moord') are folded away on both sides, so the list stays short and readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.replies import Span, b
from bot.text.dutch import fold
from content.schemas.signalen import GAP, MAX_GAP, Signalen

_SYNONYMS = {
    "mij": "me", "mijzelf": "mezelf", "mn": "mijn", "zn": "zijn", "k": "ik",
    "wou": "wil", "wilde": "wil", "wilden": "wil", "willen": "wil", "wilt": "wil",
    "einde": "eind", "eindje": "eind", "houd": "hou",
}
_JOINS_AFTER_ZELF = ("moord", "moort", "doding", "beschadig")
_APOSTROPHES = re.compile(r"['’‘`´]")
_WORDS = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The text as folded words, with the spelling variants made equal."""
    out: list[str] = []
    for word in _WORDS.findall(_APOSTROPHES.sub("", fold(text))):
        word = _SYNONYMS.get(word, word)
        if out and out[-1] == "me" and word == "zelf":
            out[-1] = "mezelf"
        elif out and out[-1] == "zelf" and word.startswith(_JOINS_AFTER_ZELF):
            out[-1] += word
        else:
            out.append(word)
    return out


@dataclass(frozen=True)
class _Word:
    text: str
    prefix: bool

    def fits(self, word: str) -> bool:
        return word.startswith(self.text) if self.prefix else word == self.text


_Pattern = tuple[_Word | None, ...]
"""None stands for a gap of up to MAX_GAP words."""


def _compile(pattern: str) -> _Pattern:
    out: list[_Word | None] = []
    for token in pattern.split():
        if token == GAP:
            out.append(None)
            continue
        prefix = token.endswith("*")
        out += [_Word(w, prefix) for w in words(token.rstrip("*"))]
    return tuple(out)


def _matches(pattern: _Pattern, text: list[str], p: int, t: int) -> bool:
    if p == len(pattern):
        return True
    word = pattern[p]
    if word is None:
        return any(_matches(pattern, text, p + 1, t + skip)
                   for skip in range(MAX_GAP + 1) if t + skip <= len(text))
    return t < len(text) and word.fits(text[t]) and _matches(pattern, text, p + 1, t + 1)


class Detector:
    def __init__(self, signalen: Signalen) -> None:
        self._patterns = [_compile(p) for p in signalen.signalen]

    def hits(self, text: str) -> bool:
        folded = words(text)
        return any(_matches(pattern, folded, 0, start)
                   for start in range(len(folded)) for pattern in self._patterns)


_DETECTORS: dict[int, tuple[Signalen, Detector]] = {}


def detector(signalen: Signalen) -> Detector:
    """One compiled detector per loaded word list."""
    cached = _DETECTORS.get(id(signalen))
    if cached is None or cached[0] is not signalen:
        cached = (signalen, Detector(signalen))
        _DETECTORS[id(signalen)] = cached
    return cached[1]


def help_lines(signalen: Signalen, country: str | None) -> list[str | Span]:
    """The help lines of the person's country; with no country chosen yet the default
    country's lines in full and the other country's numbers in one line."""
    land = signalen.land(country or signalen.standaard)
    parts: list[str | Span] = [b(f"Hulp nu in {land.naam}")]
    for line in land.hulplijnen:
        number = line.nummer + (f" of {line.ook}" if line.ook else "")
        parts += ["\n📞 ", b(line.naam), f": bel {number} ({line.wanneer})"]
    if country is None:
        for other in signalen.landen:
            if other.code != land.code:
                numbers = "; ".join(f"{h.naam}: {h.nummer}" + (f" of {h.ook}" if h.ook else "")
                                    for h in other.hulplijnen)
                parts.append(f"\nWoon je in {other.naam}? {numbers}.")
    return parts
