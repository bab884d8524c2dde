"""Evenly spaced streamlines: wall time per field size and backend.

    python benchmarks/streamlines_bench.py [--rounds 5]

The field is curl noise (``wiktoria.noise.curl``, 3 octaves, features of ~300 px). Each row runs
in a fresh process. "first call" is the first call of that process: for numba with an empty
numba cache (a temporary ``NUMBA_CACHE_DIR``: the true compile) and with the warm on-disk cache
(load only); "warm" is the median of ``--rounds`` later calls. The python reference is timed
only on the small size. The issue's target: 1920x1080 in at most 1 s warm.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

CASES = [(1920, 1080, 6.0), (1920, 1080, 10.0), (512, 512, 5.0)]

CHILD = r"""
import json, statistics, sys, time
import numpy as np
from wiktoria.noise import curl
from wiktoria.render.strokes.streamlines import evenly_spaced
w, h, d_sep, backend, rounds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], int(sys.argv[5])
y, x = np.mgrid[0:h, 0:w].astype(np.float64)
u, v = curl(x / 300.0, y / 300.0, seed=7, dtype=np.float64)
t = time.perf_counter()
s = evenly_spaced(u, v, d_sep, seed=0, backend=backend)
first = time.perf_counter() - t
times = []
for _ in range(rounds):
    t = time.perf_counter()
    s = evenly_spaced(u, v, d_sep, seed=0, backend=backend)
    times.append(time.perf_counter() - t)
print(json.dumps({"first": first, "warm": statistics.median(times), "strokes": len(s),
                  "points": int(s.points.shape[0])}))
"""


def _run(w: int, h: int, d_sep: float, backend: str, rounds: int, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(w), str(h), str(d_sep), backend, str(rounds)],
        capture_output=True, text=True, check=True, env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    print(f"{'field':>10} {'d_sep':>5} {'backend':>7} {'strokes':>7} {'points':>8} "
          f"{'warm s':>8} {'first call s':>22}")
    for w, h, d_sep in CASES:
        with tempfile.TemporaryDirectory() as cache:
            cold_env = dict(os.environ, NUMBA_CACHE_DIR=cache)
            cold = _run(w, h, d_sep, "numba", 1, cold_env)
        r = _run(w, h, d_sep, "numba", args.rounds, dict(os.environ))
        first = f"{cold['first']:.2f} compile / {r['first']:.2f} cached"
        print(f"{w}x{h:<5} {d_sep:5.0f} {'numba':>7} {r['strokes']:7d} {r['points']:8d} "
              f"{r['warm']:8.3f} {first:>22}")
        if w * h <= 512 * 512:
            p = _run(w, h, d_sep, "python", max(1, args.rounds // 2), dict(os.environ))
            print(f"{w}x{h:<5} {d_sep:5.0f} {'python':>7} {p['strokes']:7d} {p['points']:8d} "
                  f"{p['warm']:8.3f} {p['first']:>22.2f}")


if __name__ == "__main__":
    main()
