"""Time and memory to make each picture and a 500-point PDF, beside a baseline measured in the
same run (a blank PNG of the same size: what Pillow costs before anything is drawn).

python -m bench.drawing [--rounds N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import tracemalloc
from collections.abc import Callable

from PIL import Image

from bot.drawing import document, grafiek, kaart, netwerkkaart, stappen
from bot.drawing.fonts import pillow


def measure(work: Callable[[], object], rounds: int) -> tuple[float, float, float]:
    """Median and worst milliseconds over `rounds` untraced runs, then the peak of Python's
    allocations in MiB in one traced run (tracing slows the work, so it is timed apart)."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), max(times), peak / 2**20


def blank(width: int, height: int) -> Callable[[], bytes]:
    def make() -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width, height), "#ffffff").save(out, "PNG", compress_level=6)
        return out.getvalue()

    return make


QUESTIONS = [f"Vraag {n}: welke mensen en plekken horen hierbij?" for n in range(1, 10)]
SIXTY = [
    netwerkkaart.Vak(q, tuple(f"Persoon {b}-{n} 👵 Zoë" for n in range(7 if b < 6 else 6)))
    for b, q in enumerate(QUESTIONS)
]
COLOURS = [
    kaart.Kleur(n, h, n)
    for n, h in (
        ("groen", "#43a047"),
        ("roos", "#f48fb1"),
        ("geel", "#fdd835"),
        ("blauw", "#1e88e5"),
        ("wit", "#ffffff"),
    )
]


def points_pdf() -> bytes:
    blocks: list[document.Blok] = []
    for colour in COLOURS:
        blocks.append(document.Kop(f"{colour.name}: cluster", 1, colour.hex))
        blocks += [
            document.Punt(
                f"Aanknopingspunt {n}: het buurthuis betrekken bij de koffieochtend",
                "Sam, 2 maart",
            )
            for n in range(100)
        ]
    return document.render(
        document.Document("Aanknopingspunten", "Team Zuid", "2 maart", "Bron: Resokit", blocks)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    pillow(28)  # load the fonts once, as a running bot has
    cases: list[tuple[str, Callable[[], object]]] = [
        ("baseline: blank PNG 1080x1500", blank(1080, 1500)),
        ("netwerkkaart, 60 people", lambda: netwerkkaart.draw(SIXTY, "Netwerkkaart", "x", "Bron")),
        (
            "netwerkkaart, 0 people",
            lambda: netwerkkaart.draw(
                [netwerkkaart.Vak(q, ()) for q in QUESTIONS], "Netwerkkaart", "x", "Bron"
            ),
        ),
        (
            "stappenplan, 7 steps",
            lambda: stappen.draw(
                [
                    stappen.Stand(n, f"Stap {n} van het plan", "klaar" if n < 3 else "open")
                    for n in range(1, 8)
                ],
                "Stappenplan",
                "Team",
                "Bron",
            ),
        ),
        (
            "kletspot card, 12 questions",
            lambda: kaart.draw(
                COLOURS,
                [(COLOURS[n % 5].name, f"Vraag {n}?") for n in range(12)],
                4,
                "Kletspot",
                "Team",
                "Bron",
            ),
        ),
        (
            "reflector chart, 11 statements x 3",
            lambda: grafiek.draw(
                [grafiek.Rij(f"Uitspraak {n}", ("A", "B", "C"), (0, 1, 2)) for n in range(11)],
                ["1", "2", "3"],
                "Grafiek",
                "Het gaat om de verschillen.",
                "Bron",
            ),
        ),
        ("PDF, 500 points", points_pdf),
    ]
    print(f"{'what':38} {'median ms':>10} {'worst ms':>10} {'peak MiB':>9}")
    for name, work in cases:
        median, worst, peak = measure(work, rounds)
        print(f"{name:38} {median:10.1f} {worst:10.1f} {peak:9.1f}")


if __name__ == "__main__":
    main()
