"""The practice tools' texts, loaded and validated once at start."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from content.loader import CONTENT_DIR, ContentError, load_yaml
from content.schemas.achtergrond import Achtergrond
from content.schemas.bronnen import Bronnen
from content.schemas.gedachten import Gedachten
from content.schemas.gesprek import Gesprek
from content.schemas.intervisie import Intervisie
from content.schemas.kletspot import Kletspot
from content.schemas.reflectievragen import Reflectievragen
from content.schemas.reflectoren import Reflectoren
from content.schemas.signalen import Signalen
from content.schemas.stappenplan import Stappenplan

__all__ = ["Content", "ContentError", "load_content"]


@dataclass(frozen=True)
class Content:
    kletspot: Kletspot
    gedachten: Gedachten
    gesprek: Gesprek
    reflectoren: Reflectoren
    intervisie: Intervisie
    reflectievragen: Reflectievragen
    stappenplan: Stappenplan
    signalen: Signalen
    achtergrond: Achtergrond
    bronnen: Bronnen


def load_content(directory: Path = CONTENT_DIR) -> Content:
    """Every file is checked at start; the first broken one stops the bot, naming file and entry."""
    return Content(
        kletspot=load_yaml(directory / "kletspot.yaml", Kletspot),
        gedachten=load_yaml(directory / "gedachten.yaml", Gedachten),
        gesprek=load_yaml(directory / "gesprek.yaml", Gesprek),
        reflectoren=load_yaml(directory / "reflectoren.yaml", Reflectoren),
        intervisie=load_yaml(directory / "intervisie.yaml", Intervisie),
        reflectievragen=load_yaml(directory / "reflectievragen.yaml", Reflectievragen),
        stappenplan=load_yaml(directory / "stappenplan.yaml", Stappenplan),
        signalen=load_yaml(directory / "signalen.yaml", Signalen),
        achtergrond=load_yaml(directory / "achtergrond.yaml", Achtergrond),
        bronnen=load_yaml(directory / "bronnen.yaml", Bronnen),
    )
