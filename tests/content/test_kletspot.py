"""The jar holds all 26 questions of seed 000, verbatim but for the PDF line breaks."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from content import load_content
from content.loader import CONTENT_DIR, ContentError, load_yaml
from content.schemas.kletspot import Kletspot
from tests.conftest import SEEDS

SEED = SEEDS / "000_63e30da9e68b8dc2.txt"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_26_questions_in_five_clusters() -> None:
    jar = load_content().kletspot
    assert [c.kleur for c in jar.clusters] == ["groen", "roos", "geel", "blauw", "wit"]
    assert jar.colour_names == ("groen", "roos", "geel", "blauw", "wit")
    assert [len(c.vragen) for c in jar.clusters] == [5, 5, 5, 5, 6]
    assert jar.bron.uitgever == "Resokit"


def test_every_question_and_explanation_is_verbatim() -> None:
    if not SEED.exists():
        pytest.skip("seed folder not beside the repository")
    seed = norm(SEED.read_text(encoding="utf-8").replace("⬛", " "))
    jar = load_content().kletspot
    questions = [q for c in jar.clusters for q in c.vragen]
    for text in questions + list(jar.uitleg):
        assert norm(text) in seed, text
    assert len(re.findall("⬛", SEED.read_text(encoding="utf-8"))) == len(questions)
    for cluster in jar.clusters:
        assert f"{cluster.nummer}. {cluster.titel}" in seed


Raw = dict[str, Any]


def _undeclared(raw: Raw) -> None:
    raw["clusters"][3]["kleur"] = "paars"


def _double_alias(raw: Raw) -> None:
    raw["kleuren"][2]["aliassen"].append("roze")


def _alias_is_a_name(raw: Raw) -> None:
    raw["kleuren"][0]["aliassen"].append("wit")


def _double_name(raw: Raw) -> None:
    raw["kleuren"][4]["naam"] = "groen"


def _bad_hex(raw: Raw) -> None:
    raw["kleuren"][3]["hex"] = "#12345g"


def _bad_terminal_colour(raw: Raw) -> None:
    raw["kleuren"][0]["ansi"] = 38


def _capital_name(raw: Raw) -> None:
    raw["kleuren"][1]["aliassen"] = ["Roze"]


def _colour_without_cluster(raw: Raw) -> None:
    raw["kleuren"].insert(0, {"naam": "paars", "emoji": "🟣", "hex": "#8e24aa"})


def _second_cluster(raw: Raw) -> None:
    raw["clusters"][4]["kleur"] = "groen"


@pytest.mark.parametrize(
    ("change", "place", "says"),
    [
        (_undeclared, "clusters[3].kleur", "kleur 'paars' staat niet onder kleuren"),
        (_double_alias, "kleuren[2].aliassen", "'roze' is al de naam of een alias"),
        (_alias_is_a_name, "kleuren[0].aliassen", "'wit' is al de naam of een alias"),
        (_double_name, "kleuren[4].naam", "kleur 'groen' staat er al"),
        (_bad_hex, "kleuren[3].hex", "geen hex-kleur: '#12345g' (verwacht #rrggbb"),
        (_bad_terminal_colour, "kleuren[0].ansi", "geen terminalkleur: 38"),
        (_capital_name, "kleuren[1].aliassen", "kleine letters zonder accenten"),
        (_colour_without_cluster, "kleuren[0]", "kleur 'paars' heeft geen cluster"),
        (_second_cluster, "clusters[4].kleur", "kleur 'groen' heeft al een cluster"),
    ],
)
def test_a_broken_colour_names_the_file_and_the_entry(
    tmp_path: Path, change: Callable[[Raw], None], place: str, says: str
) -> None:
    raw = yaml.safe_load((CONTENT_DIR / "kletspot.yaml").read_text(encoding="utf-8"))
    change(raw)
    broken = tmp_path / "kletspot.yaml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        load_yaml(broken, Kletspot)
    assert str(refused.value).startswith(f"kletspot.yaml: {place}: ")
    assert says in str(refused.value)
