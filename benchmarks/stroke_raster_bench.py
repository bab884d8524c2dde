"""Stroke rasteriser (``paint_strokes``): wall time per frame size, stroke set and backend.

    python benchmarks/stroke_raster_bench.py [--rounds 7]

Stroke sets: ``walk`` is 2000 smooth random walks of 120 points (steps of 1.5 px); ``stream``
is the evenly spaced streamlines of curl noise (``evenly_spaced``, 3 octaves, features of
~300 px) at the given ``d_sep``, placement not timed. Widths are uniform in [1, 6] px, alphas in
[0.3, 1], ``ends="taper"``. Each row runs in a fresh process. "first call" is the first call of
that process: for numba with an empty numba cache (a temporary ``NUMBA_CACHE_DIR``: the true
compile) and with the warm on-disk cache (load only); "warm" is the median of ``--rounds``
later calls (each on a fresh copy of the background). The python reference is timed once on
the 512x512 streamlines. The issue's target: the whole stroke layer of a 512x512 frame in
60 ms, of which placement takes ~48 ms, so the raster should stay under ~15 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

CASES = [(1920, 1080, "walk", 0.0), (1920, 1080, "stream", 6.0), (512, 512, "stream", 5.0)]

CHILD = r"""
import json, statistics, sys, time
import numpy as np
from wiktoria.noise import curl
from wiktoria.render.strokes.raster import paint_strokes
from wiktoria.render.strokes.streamlines import evenly_spaced
w, h, kind, d_sep, backend, rounds = (int(sys.argv[1]), int(sys.argv[2]), sys.argv[3],
                                      float(sys.argv[4]), sys.argv[5], int(sys.argv[6]))
rng = np.random.default_rng(0)
if kind == "walk":
    n, m = 2000, 120
    ang = np.cumsum(rng.normal(0, 0.15, (n, m)), 1) + rng.uniform(0, 2 * np.pi, (n, 1))
    steps = 1.5 * np.stack([np.cos(ang), np.sin(ang)], -1)
    start = rng.uniform(0, 1, (n, 1, 2)) * np.array([w, h])
    pts = (start + np.cumsum(steps, 1)).reshape(-1, 2).astype(np.float32)
    offs = np.arange(n + 1, dtype=np.int64) * m
else:
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    u, v = curl(x / 300.0, y / 300.0, seed=7, dtype=np.float64)
    s = evenly_spaced(u, v, d_sep, seed=0)
    pts, offs = s.points, s.offsets
n = len(offs) - 1
wid = rng.uniform(1, 6, n).astype(np.float32)
col = rng.random((n, 3)).astype(np.float32)
alp = rng.uniform(0.3, 1, n).astype(np.float32)
bg = np.full((h, w, 3), 0.5, np.float32)
def once():
    img = bg.copy()
    t = time.perf_counter()
    paint_strokes(pts, offs, wid, col, alp, img, backend=backend)
    return time.perf_counter() - t
first = once()
times = [once() for _ in range(rounds)]
print(json.dumps({"first": first, "warm": statistics.median(times), "strokes": n,
                  "points": int(len(pts))}))
"""


def _run(case: tuple, backend: str, rounds: int, env: dict[str, str]) -> dict:
    w, h, kind, d_sep = case
    argv = [str(w), str(h), kind, str(d_sep), backend, str(rounds)]
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, check=True, env=env
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    print(
        f"| {'frame':>9} | {'strokes':>14} | {'backend':>7} | {'n':>5} | {'points':>7} "
        f"| {'warm ms':>8} | {'first call s':>22} |"
    )
    for case in CASES:
        w, h, kind, d_sep = case
        name = kind if kind == "walk" else f"stream d_sep {d_sep:g}"
        with tempfile.TemporaryDirectory() as cache:
            cold = _run(case, "numba", 1, dict(os.environ, NUMBA_CACHE_DIR=cache))
        r = _run(case, "numba", args.rounds, dict(os.environ))
        first = f"{cold['first']:.2f} compile / {r['first']:.2f} cached"
        print(
            f"| {w}x{h:<4} | {name:>14} | {'numba':>7} | {r['strokes']:5d} | {r['points']:7d} "
            f"| {1e3 * r['warm']:8.1f} | {first:>22} |"
        )
        if w * h <= 512 * 512:
            p = _run(case, "python", 1, dict(os.environ))
            print(
                f"| {w}x{h:<4} | {name:>14} | {'python':>7} | {p['strokes']:5d} "
                f"| {p['points']:7d} | {1e3 * p['warm']:8.1f} | {p['first']:>22.2f} |"
            )


if __name__ == "__main__":
    main()
