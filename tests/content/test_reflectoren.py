"""reflectoren.yaml loads, holds every tool the brief names, and quotes its sources faithfully."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from content.loader import CONTENT_DIR, load_yaml
from content.schemas.reflectoren import (
    Item,
    Keuze,
    Reflector,
    Reflectoren,
    Schaal,
    Vervolg,
    VrijeTekst,
)
from tests.conftest import SEEDS

EXPECTED_IDS = {
    "voel-ik-me-eenzaam",  # 6.10
    "vooroordelen",  # 6.8
    "ondersteuningsvaardigheden",  # 10.3
    "bekend-besluiten-bereiken",  # 7.5
    "feedback-gespreksvaardigheden",  # 7.4
    "signaleringskaart",  # 5.3
    "talenten-en-wensen",  # 8.5
    "interesses-en-waarden",  # 8.6
    "netwerkkaart",  # 8.7
    "persoonlijk-plan",  # 9.2
    "gesprek-van-waarde",  # seed 004, stap 3
}

# PDF extraction artefacts that normalisation removes on both sides.
_BULLETS = re.compile(r"[−•»▪◦]")
_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(?=\w)")
_SLASH_BREAK = re.compile(r"/[ \t]*\n\s*")


def normalise(text: str) -> str:
    """Lowercase, join hyphenation and slash line breaks, drop bullets, collapse whitespace."""
    text = _HYPHEN_BREAK.sub(r"\1", text)
    text = _SLASH_BREAK.sub("/", text)
    text = _BULLETS.sub(" ", text)
    return " ".join(text.lower().split())


@pytest.fixture(scope="module")
def data() -> Reflectoren:
    return load_yaml(CONTENT_DIR / "reflectoren.yaml", Reflectoren)


def _by_id(data: Reflectoren) -> dict[str, Reflector]:
    return {r.id: r for r in data.reflectoren}


def test_all_tools_present(data: Reflectoren) -> None:
    assert EXPECTED_IDS <= set(_by_id(data))


def test_voel_ik_me_eenzaam_has_eleven_abc_statements(data: Reflectoren) -> None:
    tool = data.get("voel-ik-me-eenzaam")
    assert tool.paragraaf == "6.10"
    assert len(tool.items) == 11
    for item in tool.items:
        assert isinstance(item.antwoord, Keuze)
        assert [o.code for o in item.antwoord.opties] == ["A", "B", "C"]
    # The source's caution that the conversation matters, not the score.
    assert any("niet de score" in w for w in tool.waarschuwingen)


def test_vooroordelen_has_own_assumption_as_free_text(data: Reflectoren) -> None:
    tool = data.get("vooroordelen")
    keuze = [i for i in tool.items if isinstance(i.antwoord, Keuze)]
    vrij = [i for i in tool.items if isinstance(i.antwoord, VrijeTekst)]
    assert len(keuze) == 7
    assert len(vrij) == 1


def test_ondersteuningsvaardigheden_scale_and_improvement(data: Reflectoren) -> None:
    tool = data.get("ondersteuningsvaardigheden")
    competenties = [i for i in tool.items if isinstance(i.antwoord, Schaal)]
    assert len(competenties) == 16
    for item in competenties:
        assert (item.antwoord.min, item.antwoord.max) == (1, 5)
        assert set(item.antwoord.labels) == {1, 2, 3, 4, 5}
        assert [type(v.antwoord) for v in item.vervolg] == [VrijeTekst]


def test_gesprek_van_waarde_has_four_quadrants(data: Reflectoren) -> None:
    tool = data.get("gesprek-van-waarde")
    assert tool.bron.bestand.startswith("004_")
    koppen = [i.kop for i in tool.items]
    for kop in ("Hart", "Ziel", "Lichaam", "Hoofd"):
        assert koppen.count(kop) == 3


def test_item_ids_unique_per_tool(data: Reflectoren) -> None:
    for tool in data.reflectoren:
        ids = [i.id for i in tool.items]
        assert len(ids) == len(set(ids)), tool.id


def _answers(item: Item) -> Iterator[Keuze | Schaal | VrijeTekst]:
    yield item.antwoord
    for vervolg in item.vervolg:
        yield vervolg.antwoord


def test_keuze_items_have_at_least_two_options(data: Reflectoren) -> None:
    for tool in data.reflectoren:
        for item in tool.items:
            for antwoord in _answers(item):
                if isinstance(antwoord, Keuze):
                    assert len(antwoord.opties) >= 2, f"{tool.id}/{item.id}"


def _vervolg_texts(vervolg: Vervolg) -> Iterator[str]:
    if vervolg.tekst:
        yield vervolg.tekst
    yield from _answer_texts(vervolg.antwoord)


def _answer_texts(antwoord: Keuze | Schaal | VrijeTekst) -> Iterator[str]:
    if isinstance(antwoord, Keuze):
        yield from (o.label for o in antwoord.opties)
    elif isinstance(antwoord, Schaal):
        yield from antwoord.labels.values()


def _quoted_texts(tool: Reflector) -> Iterator[str]:
    """Every text the bot shows as the source's words (not ids, codes or our `notitie`)."""
    yield tool.titel
    yield tool.doel
    yield from tool.intro
    yield from tool.waarschuwingen
    if tool.herkomst:
        yield tool.herkomst
    for item in tool.items:
        yield item.tekst
        if item.kop:
            yield item.kop
        if item.toelichting:
            yield item.toelichting
        yield from _answer_texts(item.antwoord)
        for vervolg in item.vervolg:
            yield from _vervolg_texts(vervolg)


def test_texts_are_verbatim_from_seed(data: Reflectoren) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not available at {SEEDS}")
    seeds: dict[str, str] = {}
    missing: list[str] = []
    for tool in data.reflectoren:
        bestand = tool.bron.bestand
        if bestand not in seeds:
            path = SEEDS / bestand
            if not path.is_file():
                pytest.skip(f"seed {bestand} not available")
            seeds[bestand] = normalise(path.read_text(encoding="utf-8"))
        seed = seeds[bestand]
        for text in _quoted_texts(tool):
            # No text in this file joins table cells; were one added, list its fragments
            # separated by " | " so each cell is checked on its own.
            for fragment in text.split(" | "):
                if normalise(fragment) not in seed:
                    missing.append(f"{tool.id}: {fragment!r}")
    assert not missing, "niet letterlijk in de bron:\n" + "\n".join(missing)
