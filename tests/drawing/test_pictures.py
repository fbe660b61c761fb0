"""Each picture is a real PNG of the expected size, with the named people or steps drawn in it;
bad input (nobody, sixty people, 200-character names, emoji, right-to-left) never breaks it."""

from __future__ import annotations

import io
import struct
import time

from PIL import Image

from bot.drawing import grafiek, kaart, netwerkkaart, stappen
from bot.drawing.canvas import Picture, side_by_side
from bot.drawing.fonts import MISSING, drawable

QUESTIONS = [f"Vraag {n} van de netwerkkaart?" for n in range(1, 10)]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height read from the PNG's own header (IHDR), then checked by decoding it."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.size == (width, height) and image.format == "PNG"
    return width, height


def a_map(names: list[list[str]]) -> Picture:
    vakken = [netwerkkaart.Vak(q, tuple(n)) for q, n in zip(QUESTIONS, names, strict=True)]
    return netwerkkaart.draw(
        vakken,
        "Persoonlijke netwerkkaart",
        "ingevuld op 2 maart",
        "Bron: Movisie/HAN, Eenzaam ben je niet alleen, §8.7",
    )


def test_netwerkkaart_names_every_person_in_their_box() -> None:
    names = [
        ["Anna", "Mia"],
        ["Pastoor Luc"],
        [],
        ["buurtkrant"],
        ["Zonnebloem"],
        [],
        ["buurvrouw Rita", "buurthuis De Linde"],
        ["huisarts"],
        ["buurtlink.nl"],
    ]
    drawn = a_map(names)
    assert png_size(drawn.png) == (netwerkkaart.WIDTH, netwerkkaart.HEIGHT)
    for name in ["Anna", "Mia", "Pastoor Luc", "buurvrouw Rita", "huisarts", "Ik"]:
        assert name in drawn.labels
    assert drawn.labels.count("(niets ingevuld)") == 2
    assert "Vraag 1 van de netwerkkaart?" in " ".join(drawn.labels)


def test_netwerkkaart_of_nobody_and_of_sixty() -> None:
    empty = a_map([[] for _ in QUESTIONS])
    assert png_size(empty.png) == (1080, 1500) and empty.labels.count("(niets ingevuld)") == 9
    sixty = [[f"Persoon {box}-{n}" for n in range(7 if box < 6 else 6)] for box in range(9)]
    assert sum(map(len, sixty)) == 60
    crowded = a_map(sixty)
    assert png_size(crowded.png) == (1080, 1500)
    shown = [label for label in crowded.labels if label.startswith("Persoon ")]
    more = [label for label in crowded.labels if label.startswith("+ ")]
    assert more and len(shown) + sum(int(m.split()[1]) for m in more) == 60
    words = netwerkkaart.describe(
        [netwerkkaart.Vak(q, tuple(n)) for q, n in zip(QUESTIONS, sixty, strict=True)]
    )
    assert "60 namen" in words and len(words) <= 900


def test_long_emoji_and_right_to_left_names() -> None:
    long_name = "Marie-" + "x" * 194
    drawn = a_map([[long_name, "Oma 👵🏽", "שרה כהן", "مريم", "Zoë Çelik"], *[[]] * 8])
    labels = drawn.labels
    assert any(label.startswith("Marie-xx") and label.endswith("…") for label in labels)
    assert f"Oma {MISSING}" in labels  # emoji the font lacks become one visible mark
    assert "שרה כהן" in labels and "مريم" in labels and "Zoë Çelik" in labels
    assert drawable("👨‍👩‍👧 en 🇧🇪") == f"{MISSING} en {MISSING}"


def test_names_in_an_answer() -> None:
    assert netwerkkaart.names_in("Anna, Mia; Jo\n- buurvrouw Rita\n• Luc") == (
        "Anna",
        "Mia",
        "Jo",
        "buurvrouw Rita",
        "Luc",
    )
    assert netwerkkaart.names_in("") == () and netwerkkaart.names_in(" , ;\n") == ()
    assert netwerkkaart.names_in("Zorg- en welzijnsorganisaties") == (
        "Zorg- en welzijnsorganisaties",
    )


def test_two_maps_side_by_side() -> None:
    first, latest = a_map([["Anna"], *[[]] * 8]), a_map([["Anna", "Mia"], *[[]] * 8])
    both = side_by_side(first, latest)
    assert png_size(both.png) == (2 * 1080 + 24, 1500)
    assert both.labels.count("Anna") == 2 and "Mia" in both.labels


def test_steps_show_each_step_and_where_the_team_stands() -> None:
    stands = [
        stappen.Stand(n, f"Stap nummer {n}", s)
        for n, s in enumerate(["klaar", "klaar", "bezig", "open", "open", "open", "open"], start=1)
    ]
    drawn = stappen.draw(stands, "Stappenplan", "Team Zuid · 2 maart", "Bron: Thomas More")
    assert png_size(drawn.png) == (stappen.WIDTH, stappen.HEIGHT)
    for n in range(1, 8):
        assert str(n) in drawn.labels and f"Stap nummer {n}" in drawn.labels
    assert "bezig  ◀ hier staat het team" in drawn.labels
    assert "Het team staat bij stap 3: Stap nummer 3." in stappen.describe(stands)
    done = [stappen.Stand(n, "x", "klaar") for n in range(1, 8)]
    assert stappen.current(done) is None and "Alle stappen zijn klaar." in stappen.describe(done)


def test_session_card_colours_and_questions() -> None:
    colours = [kaart.Kleur("groen", "#43a047", "a"), kaart.Kleur("wit", "#ffffff", "b")]
    questions = [("groen", "Wat doe je graag?"), ("groen", "Wie zie je vaak?"), ("wit", "W" * 300)]
    drawn = kaart.draw(colours, questions, 2, "Kletspot afgerond", "Team · 2 maart", "Bron: x")
    assert png_size(drawn.png) == (kaart.WIDTH, kaart.HEIGHT)
    assert "groen" in drawn.labels and "wit" in drawn.labels and "2" in drawn.labels
    assert "Wat doe je graag?" in drawn.labels
    assert kaart.describe(colours, questions, 2) == (
        "Kaart van de kletspot: 3 besproken vragen (per kleur: groen 2, wit 1), "
        "2 aanknopingspunten."
    )
    nothing = kaart.draw(colours, [], 0, "Kletspot afgerond", "", "Bron: x")
    assert "Er werden geen vragen getrokken." in nothing.labels


def test_chart_of_first_and_latest_answers() -> None:
    rows = [
        grafiek.Rij("Ik mis een goede vriend.", ("A", "B", "C"), (0, 1, 2)),
        grafiek.Rij("Ik voel leegte.", ("1", "2", "3", "4", "5"), (4, None, 4)),
    ]
    drawn = grafiek.draw(
        rows,
        ["2 mrt", "2 apr", "2 mei"],
        "Voel ik me eenzaam?",
        "Het gaat om de verschillen.",
        "Bron: x",
    )
    width, height = png_size(drawn.png)
    assert width == grafiek.WIDTH and height == grafiek.HEAD + 2 * grafiek.ROW + 230
    assert "Ik mis een goede vriend." in drawn.labels
    assert "eerste keer (2 mrt)" in drawn.labels and "laatste keer (2 mei)" in drawn.labels
    assert any("Het gaat om de verschillen." in label for label in drawn.labels)


def test_each_picture_takes_under_a_second() -> None:
    sixty = [[f"Persoon {box}-{n}" for n in range(7)] for box in range(9)]
    started = time.perf_counter()
    a_map(sixty)
    assert time.perf_counter() - started < 1.0


async def test_stop_gives_the_card_and_the_pdf(engine) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import Chat

    chat = Chat(engine)
    await chat.cmd("kletspot 5 groen blauw")
    summary, printable = await chat.cmd("stop")
    assert summary.attachment is not None and summary.attachment.picture
    assert png_size(summary.attachment.payload) == (kaart.WIDTH, kaart.HEIGHT)
    assert summary.attachment.alt.startswith("Kaart van de kletspot: 1 besproken vraag")
    assert printable.attachment is not None and printable.attachment.mime == "application/pdf"
