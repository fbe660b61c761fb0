"""The question jar of seed 000: coloured clusters of open questions, and the colours themselves.

The colours are declared here and nowhere else: the bot draws, lists, parses and paints every
colour this file declares, so adding one to `kletspot.yaml` is the whole change.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator, model_validator

from content.schemas.common import Bron, Misplaced, Strict, Text

_NAME = re.compile(r"[a-z]+")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
ANSI_CODES = frozenset([*range(30, 38), *range(90, 98)])
"""The 16 terminal colours (SGR foreground codes), the only ones every terminal shows."""


class Kleur(Strict):
    """One jar colour: how people type it and how the bot shows it."""

    naam: str
    """What people type and read ('pot uit groen', question codes 'groen-2')."""
    emoji: Text
    """Shown next to the colour everywhere, so chats without colour still tell colours apart."""
    aliassen: list[str] = Field(default_factory=list)
    """Other spellings people type ('roze', 'witte'); matched after folding case and accents."""
    hex: str
    """The display colour, '#rrggbb', for platforms that can colour text."""
    ansi: int | None = None
    """A 16-colour terminal code for the console; without it the console picks the nearest."""

    @field_validator("naam")
    @classmethod
    def _one_plain_word(cls, value: str) -> str:
        if not _NAME.fullmatch(value):
            raise ValueError(f"kleine letters zonder accenten of spaties verwacht: {value!r}")
        return value

    @field_validator("aliassen")
    @classmethod
    def _plain_words(cls, value: list[str]) -> list[str]:
        for alias in value:
            if not _NAME.fullmatch(alias):
                raise ValueError(f"kleine letters zonder accenten of spaties verwacht: {alias!r}")
        return value

    @field_validator("hex")
    @classmethod
    def _hex_colour(cls, value: str) -> str:
        if not _HEX.fullmatch(value):
            raise ValueError(f"geen hex-kleur: {value!r} (verwacht #rrggbb, bv. #1e88e5)")
        return value.lower()

    @field_validator("ansi")
    @classmethod
    def _terminal_colour(cls, value: int | None) -> int | None:
        if value is not None and value not in ANSI_CODES:
            raise ValueError(f"geen terminalkleur: {value} (verwacht 30-37 of 90-97)")
        return value

    @property
    def words(self) -> tuple[str, ...]:
        """Every word that means this colour."""
        return (self.naam, *self.aliassen)


class Cluster(Strict):
    kleur: str
    nummer: int
    titel: Text
    omschrijving: Text
    vragen: list[Text]

    @field_validator("vragen")
    @classmethod
    def _not_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("een cluster zonder vragen")
        return [" ".join(v.split()) for v in value]


class Kletspot(Strict):
    bron: Bron
    uitleg: list[Text]
    kleuren: list[Kleur]
    """In the order every list of colours shows them."""
    clusters: list[Cluster]

    @model_validator(mode="after")
    def _every_word_means_one_colour(self) -> Kletspot:
        names: set[str] = set()
        for n, kleur in enumerate(self.kleuren):
            if kleur.naam in names:
                raise Misplaced(("kleuren", n, "naam"), f"kleur {kleur.naam!r} staat er al")
            names.add(kleur.naam)
        seen = set(names)
        for n, kleur in enumerate(self.kleuren):
            for alias in kleur.aliassen:
                if alias in seen:
                    raise Misplaced(
                        ("kleuren", n, "aliassen"),
                        f"{alias!r} is al de naam of een alias van een kleur",
                    )
                seen.add(alias)
        return self

    @model_validator(mode="after")
    def _one_cluster_per_declared_colour(self) -> Kletspot:
        names = self.colour_names
        has_cluster: set[str] = set()
        for n, cluster in enumerate(self.clusters):
            if cluster.kleur not in names:
                raise Misplaced(
                    ("clusters", n, "kleur"),
                    f"kleur {cluster.kleur!r} staat niet onder kleuren "
                    f"(bekend: {', '.join(names)})",
                )
            if cluster.kleur in has_cluster:
                raise Misplaced(
                    ("clusters", n, "kleur"), f"kleur {cluster.kleur!r} heeft al een cluster"
                )
            has_cluster.add(cluster.kleur)
        for n, kleur in enumerate(self.kleuren):
            if kleur.naam not in has_cluster:
                raise Misplaced(
                    ("kleuren", n), f"kleur {kleur.naam!r} heeft geen cluster met vragen"
                )
        return self

    @property
    def colour_names(self) -> tuple[str, ...]:
        return tuple(k.naam for k in self.kleuren)

    def colour(self, naam: str) -> Kleur:
        return next(k for k in self.kleuren if k.naam == naam)

    def find_colour(self, word: str) -> Kleur | None:
        """The colour a (folded) word names or is an alias of."""
        return next((k for k in self.kleuren if word in k.words), None)

    def cluster(self, kleur: str) -> Cluster:
        return next(c for c in self.clusters if c.kleur == kleur)
