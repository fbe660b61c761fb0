"""The jar holds all 26 questions of seed 000, verbatim but for the PDF line breaks."""

from __future__ import annotations

import re

import pytest

from content import load_content
from tests.conftest import SEEDS

SEED = SEEDS / "000_63e30da9e68b8dc2.txt"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_26_questions_in_five_clusters() -> None:
    jar = load_content().kletspot
    assert [c.kleur for c in jar.clusters] == ["groen", "roos", "geel", "blauw", "wit"]
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
