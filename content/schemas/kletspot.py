"""The question jar of seed 000: five coloured clusters of open questions."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator, model_validator

from content.schemas.common import Bron, Strict, Text

Kleur = Literal["groen", "roos", "geel", "blauw", "wit"]
KLEUREN: tuple[Kleur, ...] = ("groen", "roos", "geel", "blauw", "wit")


class Cluster(Strict):
    kleur: Kleur
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
    clusters: list[Cluster]

    @model_validator(mode="after")
    def _every_colour_once(self) -> Kletspot:
        kleuren = [c.kleur for c in self.clusters]
        if sorted(kleuren) != sorted(KLEUREN):
            raise ValueError(f"elke kleur precies één keer verwacht, gevonden: {kleuren}")
        return self

    def cluster(self, kleur: str) -> Cluster:
        return next(c for c in self.clusters if c.kleur == kleur)
