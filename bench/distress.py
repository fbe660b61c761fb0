"""How well and how fast the distress watcher recognises the corpus (run by hand).

    .venv/bin/python -m bench.distress [--rounds 5]

Per group of tests/distress_corpus.yaml: the recall (groups that must get the help lines) or the
false-alarm rate (groups that must not), and for texts about someone else whether that was seen.
Then the time per message, beside a baseline measured in the same run on the same texts: plain
`str.lower`, the least any look at a text costs, and the whole corpus as one long message.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.tools.algemeen.signalen import LIMIT, detector
from content import load_content

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "distress_corpus.yaml"


def per_message(texts: list[str], work: Callable[[str], object], rounds: int) -> float:
    """Median over rounds of the mean seconds per text."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            work(text)
        times.append((time.perf_counter() - started) / len(texts))
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    groups: dict[str, list[dict[str, Any]]] = yaml.safe_load(CORPUS.read_text("utf-8"))
    watcher = detector(load_content().signalen)
    texts = [entry["text"] for entries in groups.values() for entry in entries]
    print(f"Distress watcher on {CORPUS.relative_to(CORPUS.parents[1])}: {len(texts)} sentences\n")

    print(f"{'group':28} {'must':6} {'n':>4}  {'shown':>5}  {'rate':>7}  measure        other seen")
    totals = {"crisis": [0, 0], "none": [0, 0]}
    others = [0, 0]
    wrong: list[str] = []
    for group, entries in groups.items():
        expect = {entry["expect"] for entry in entries}
        shown = 0
        other_seen = other_total = 0
        for entry in entries:
            found = watcher.check(entry["text"])
            shown += found is not None
            if (found is not None) != (entry["expect"] == "crisis"):
                wrong.append(f"  [{group}] {entry['text']}")
            if entry.get("other"):
                other_total += 1
                other_seen += found is not None and found.kind == "other"
            totals[entry["expect"]][0] += found is not None
            totals[entry["expect"]][1] += 1
        others[0] += other_seen
        others[1] += other_total
        must = "/".join(sorted(expect))
        measure = "recall" if expect == {"crisis"} else "false alarms"
        extra = f"{other_seen}/{other_total}" if other_total else ""
        print(
            f"{group:28} {must:6} {len(entries):4}  {shown:5}  {shown / len(entries):7.1%}  "
            f"{measure:14} {extra}"
        )
    hits, n_crisis = totals["crisis"]
    alarms, n_none = totals["none"]
    print(f"\nrecall over all crisis sentences:     {hits / n_crisis:6.1%} ({hits}/{n_crisis})")
    print(f"false alarms over all none sentences: {alarms / n_none:6.1%} ({alarms}/{n_none})")
    print(f"about someone else, seen as such:     {others[0]}/{others[1]}")
    if wrong:
        print("\nwrongly classified:\n" + "\n".join(wrong))

    baseline = per_message(texts, str.lower, args.rounds)
    checked = per_message(texts, watcher.check, args.rounds)
    long_text = " ".join(texts)[:LIMIT]
    long_base = per_message([long_text], str.lower, args.rounds)
    long_checked = per_message([long_text], watcher.check, args.rounds)
    print(f"\ntime per message, median of {args.rounds} rounds, same run, same texts:")
    rows = [
        ("a corpus sentence", baseline, checked),
        (f"one {len(long_text):,}-character text", long_base, long_checked),
    ]
    for label, base, took in rows:
        print(
            f"  {label:28} str.lower {base * 1e6:9.2f} µs   watcher {took * 1e6:9.1f} µs"
            f"   (x{took / base:,.0f})"
        )
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
