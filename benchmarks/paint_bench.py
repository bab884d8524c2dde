"""Painter wall time and peak memory per size, each render in a fresh process.

    python benchmarks/paint_bench.py [--rounds 3] [--sizes 1920x1080 3840x2160 7680x4320]
                                     [--mood seething] [--style landscape]

Each render runs in its own child process, so the peak resident set size (``ru_maxrss`` of the
child) belongs to that render alone; the child also reports the render's own wall time (after
import). Prints medians over the rounds and the issue's targets next to them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

TARGETS = {  # size: (seconds, peak RSS GB) on a 2-core machine
    "1920x1080": (3.0, None),
    "3840x2160": (12.0, 1.5),
    "7680x4320": (None, 2.5),
}

CHILD = r"""
import json, resource, sys, time
import numpy as np
import wiktoria
w, h = map(int, sys.argv[1].split("x"))
t0 = time.perf_counter()
p = wiktoria.paint(sys.argv[2], size=(w, h), seed=int(sys.argv[4]), style=sys.argv[3])
np.asarray(p)
wall = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"wall": wall, "rss": rss}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sizes", nargs="+", default=list(TARGETS))
    ap.add_argument("--mood", default="seething")
    ap.add_argument("--style", default="landscape")
    args = ap.parse_args()
    results: dict[str, list[dict[str, float]]] = {s: [] for s in args.sizes}
    for r in range(args.rounds):
        for size in args.sizes:
            out = subprocess.run([sys.executable, "-c", CHILD, size, args.mood, args.style,
                                  str(r)], capture_output=True, text=True, check=True)
            results[size].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"paint {args.mood} ({args.style}), median of {args.rounds} rounds, one process each")
    print(f"{'size':<12}{'wall s':>9}{'target s':>10}{'peak RSS GB':>13}{'target GB':>11}")
    for size, runs in results.items():
        wall = statistics.median(x["wall"] for x in runs)
        rss = statistics.median(x["rss"] for x in runs) / 1e9
        ts, tm = TARGETS.get(size, (None, None))
        print(f"{size:<12}{wall:9.2f}{(f'{ts:.1f}' if ts else '-'):>10}{rss:13.2f}"
              f"{(f'{tm:.1f}' if tm else '-'):>11}")


if __name__ == "__main__":
    main()
