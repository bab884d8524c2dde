"""Painter wall time and peak memory per size, each render in a fresh process.

    python benchmarks/paint_bench.py [--rounds 3] [--sizes 1920x1080 3840x2160 7680x4320]
                                     [--mood seething] [--style landscape]

Each render runs in its own child process, so the peak resident set size (``ru_maxrss`` of the
child) belongs to that render alone; the child also reports the render's own wall time (after
import). ``process s`` is the whole command as a person runs it, ``wiktoria paint --mood M
--size S -o FILE.png`` in a fresh process: start-up, imports, loading the compiled kernels,
the render and writing the PNG (issue 16's target: 1.5 s at 1920x1080); ``import s`` is
``python -c "import wiktoria"`` minus ``python -c pass``. Prints medians over the rounds and
the issues' targets next to them. ``cold s`` is the same command once with an empty numba
cache (``NUMBA_CACHE_DIR`` pointed at a new folder): the first run after installing, when the
compiled kernels are built and cached (every later run loads them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

PROCESS_TARGET = {"1920x1080": 1.5}  # whole command, seconds (issue 16)
IMPORT_TARGET = 0.1

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
    ap.add_argument("--cold", action="store_true",
                    help="also time the first size's command once with an empty numba cache")
    args = ap.parse_args()
    results: dict[str, list[dict[str, float]]] = {s: [] for s in args.sizes}
    imports: list[float] = []
    cold: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="wiktoria-bench-") as tmp:
        for size in args.sizes[:1] if args.cold else []:
            env = dict(os.environ, NUMBA_CACHE_DIR=os.path.join(tmp, "numba-cache"))
            cold[size] = _timed([sys.executable, "-m", "wiktoria", "paint", "--mood", args.mood,
                                 "--style", args.style, "--size", size, "--seed", "0", "-o",
                                 os.path.join(tmp, "cold.png")], env=env)
        for r in range(args.rounds):
            imports.append(_timed([sys.executable, "-c", "import wiktoria"])
                           - _timed([sys.executable, "-c", "pass"]))
            for size in args.sizes:
                out = subprocess.run([sys.executable, "-c", CHILD, size, args.mood, args.style,
                                      str(r)], capture_output=True, text=True, check=True)
                got = json.loads(out.stdout.strip().splitlines()[-1])
                got["process"] = _timed([sys.executable, "-m", "wiktoria", "paint", "--mood",
                                         args.mood, "--style", args.style, "--size", size,
                                         "--seed", str(r), "-o",
                                         os.path.join(tmp, f"p-{size}-{r}.png")])
                results[size].append(got)
    print(f"paint {args.mood} ({args.style}), median of {args.rounds} rounds, one process each")
    print(f"{'size':<12}{'wall s':>9}{'target s':>10}{'peak RSS GB':>13}{'target GB':>11}"
          f"{'process s':>11}{'target s':>10}")
    for size, runs in results.items():
        wall = statistics.median(x["wall"] for x in runs)
        rss = statistics.median(x["rss"] for x in runs) / 1e9
        whole = statistics.median(x["process"] for x in runs)
        ts, tm = TARGETS.get(size, (None, None))
        tp = PROCESS_TARGET.get(size)
        print(f"{size:<12}{wall:9.2f}{(f'{ts:.1f}' if ts else '-'):>10}{rss:13.2f}"
              f"{(f'{tm:.1f}' if tm else '-'):>11}{whole:11.2f}{(f'{tp:.1f}' if tp else '-'):>10}")
    print(f"import wiktoria: {statistics.median(imports):.2f} s (target {IMPORT_TARGET:g} s)")
    for size, seconds in cold.items():
        print(f"cold s (first run, empty numba cache) {size}: {seconds:.2f}")


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of ``cmd`` in a fresh process (its output discarded)."""
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True, env=env)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
