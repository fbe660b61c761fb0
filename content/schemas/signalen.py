"""Signs of acute distress in a DM and where to get help now, per country.

The bot is no crisis service: when someone writes words from this list, it points to the
people who are (Zelfmoordlijn 1813, Tele-Onthaal, 113, 112). The list is kept here, in content,
so it can be reviewed and extended without touching code, and it is tested against a corpus of
distress phrasings and of ordinary texts about loneliness (the bot's topic must not trigger it).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from content.schemas.common import Strict, Text, require_unique

GAP = "…"
"""In a pattern: up to `MAX_GAP` other words may stand here ('wil … sterven')."""
MAX_GAP = 3

_WORD = re.compile(r"^[a-z0-9]+\*?$")

Land = Literal["be", "nl"]


def _check_pattern(pattern: str) -> str:
    words = pattern.split()
    if not words or words[0] == GAP or words[-1] == GAP:
        raise ValueError(f"patroon {pattern!r}: mag niet leeg zijn of met {GAP} beginnen/eindigen")
    for word in words:
        if word != GAP and not _WORD.match(word):
            raise ValueError(f"patroon {pattern!r}: {word!r} moet kleine letters zonder accenten"
                             " zijn, eventueel met * achteraan")
    return pattern


Patroon = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Bron(Strict):
    """Where a number or service description comes from (the organisation itself)."""

    titel: Text
    url: str


class Hulplijn(Strict):
    naam: Text
    nummer: Text
    ook: Text | None = None
    """A second number for the same line (113's free 0800 number)."""
    url: str | None = None
    wanneer: Text
    """When and how, in a few words: 'dag en nacht, gratis en anoniem'."""


class LandHulp(Strict):
    code: Land
    naam: Text
    hulplijnen: list[Hulplijn] = Field(min_length=1)


class Signalen(Strict):
    bronnen: list[Bron] = Field(min_length=1)
    signalen: list[Patroon] = Field(min_length=1)
    landen: list[LandHulp]
    standaard: Land = "be"

    @model_validator(mode="after")
    def _valid(self) -> Signalen:
        for pattern in self.signalen:
            _check_pattern(pattern)
        require_unique(self.signalen, "patronen")
        codes = [land.code for land in self.landen]
        if sorted(codes) != ["be", "nl"]:
            raise ValueError(f"landen moeten precies be en nl zijn, gevonden: {codes}")
        return self

    def land(self, code: str) -> LandHulp:
        """The country's help lines; the default country for an unknown code."""
        for land in self.landen:
            if land.code == code:
                return land
        return self.land(self.standaard)
