"""`make bench` / `python -m bench`: runs every benchmark in this folder, one process each.

Each module is also runnable on its own (`python -m bench.<name> --help` for its options).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    names = sorted(p.stem for p in here.glob("*.py") if not p.stem.startswith("_"))
    failed = 0
    for name in names:
        print(f"== bench.{name} ==", flush=True)
        result = subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=here.parent)
        failed += result.returncode != 0
        print(flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
