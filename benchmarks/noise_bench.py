"""Noise throughput, side by side in one process: Wiktoria vs the peers.

Run with the bench extra installed::

    python -m pip install '.[bench]' && python benchmarks/noise_bench.py

On a 1024x1024 grid (a 3D slice: x, y vary, z fixed) and at 1024*1024 scattered 3D points,
for Perlin and simplex noise at 1 and 6 octaves, it times:

* ``wiktoria numba`` / ``wiktoria numpy`` - ``wiktoria.noise.fbm`` on each backend (the fast
  extra's compiled kernels, and plain numpy; bit-identical results; grid fast path chosen
  automatically on the grid);
* ``compat numba`` / ``compat numpy`` - ``wiktoria.compat.pnoise3`` / ``snoise3`` on arrays (the
  ``noise`` package's exact functions) on each backend;
* ``noise loop`` - the ``noise`` package called once per sample from Python;
* ``fastnoiselite`` - pyfastnoiselite ``gen_from_coords`` (C, Perlin / OpenSimplex2);
* ``opensimplex`` - ``noise3array`` (numba when installed), grids only, simplex only.

Each cell is the median of ``--rounds`` interleaved rounds (default 3); the machine is shared,
so only medians mean anything. Ratios are throughput relative to fastnoiselite (>1 = faster).
It also measures the traced peak memory of a 4096x4096 fBm against its output array, and
compat against the ``noise`` loop for each compat function.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from wiktoria import compat, noise

try:
    import noise as noise_pkg
except ImportError:  # pragma: no cover
    noise_pkg = None
try:
    import pyfastnoiselite.pyfastnoiselite as fnl
except ImportError:  # pragma: no cover
    fnl = None
try:
    import opensimplex
except ImportError:  # pragma: no cover
    opensimplex = None
try:
    import numba
except ImportError:  # pragma: no cover
    numba = None


def timeit(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def on(backend: str, fn: Callable[[], object]) -> Callable[[], object]:
    """``fn`` run with ``WIKTORIA_BACKEND=backend``."""
    def run() -> object:
        old = os.environ.get("WIKTORIA_BACKEND")
        os.environ["WIKTORIA_BACKEND"] = backend
        try:
            return fn()
        finally:
            if old is None:
                del os.environ["WIKTORIA_BACKEND"]
            else:
                os.environ["WIKTORIA_BACKEND"] = old
    return run


def fnl_gen(kind: str, octaves: int) -> Callable[[np.ndarray], np.ndarray]:
    g = fnl.FastNoiseLite(0)
    g.noise_type = (fnl.NoiseType.NoiseType_Perlin if kind == "perlin"
                    else fnl.NoiseType.NoiseType_OpenSimplex2)
    g.frequency = 1.0
    if octaves > 1:
        g.fractal_type = fnl.FractalType.FractalType_FBm
        g.fractal_octaves = octaves
        g.fractal_lacunarity = 2.0
        g.fractal_gain = 0.5
    return g.gen_from_coords


def noise_loop(kind: str, octaves: int, xs: np.ndarray, ys: np.ndarray, zs: np.ndarray) -> None:
    f = noise_pkg.pnoise3 if kind == "perlin" else noise_pkg.snoise3
    for x, y, z in zip(xs.tolist(), ys.tolist(), zs.tolist(), strict=True):
        f(x, y, z, octaves)


def opensimplex_grid(octaves: int, x: np.ndarray, y: np.ndarray, z: float) -> np.ndarray:
    total = None
    for k in range(octaves):
        f = 2.0**k
        layer = opensimplex.noise3array(x * f, y * f, np.array([z * f])) * 0.5**k
        total = layer if total is None else total + layer
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", type=int, default=1024, help="grid side (default 1024)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    ap.add_argument("--no-loop", action="store_true", help="skip the slow per-sample noise loop")
    args = ap.parse_args()
    n = args.size
    cell = 64.0  # pixels per noise cell
    xv = np.arange(n) / cell
    yv = np.arange(n) / cell
    z = 0.5
    gx, gy = np.meshgrid(xv, yv)
    gz = np.full_like(gx, z)
    rng = np.random.default_rng(0)
    sx, sy = rng.uniform(0, n / cell, (2, n * n))
    sz = rng.uniform(0, 4, n * n)
    grid_f32 = np.stack([gx.ravel(), gy.ravel(), gz.ravel()]).astype(np.float32)
    scat_f32 = np.stack([sx, sy, sz]).astype(np.float32)
    backends = ["numba", "numpy"] if numba is not None else ["numpy"]
    for be in backends:  # compile (or load) the numba kernels before timing
        for kind in ("perlin", "simplex"):
            on(be, lambda k=kind: noise.fbm(sx[:64], sy[:64], sz[:64], kind=k))()
        for f in (compat.pnoise3, compat.snoise3):
            on(be, lambda f=f: f(sx[:64], sy[:64], sz[:64], octaves=2))()
        on(be, lambda: [getattr(compat, name)(*([sx[:64]] * d), octaves=2) for name, d in (
            ("pnoise1", 1), ("pnoise2", 2), ("snoise2", 2), ("snoise4", 4))])()
    if opensimplex is not None:
        opensimplex.seed(0)
        opensimplex_grid(1, xv[:8], yv[:8], z)  # compile numba before timing

    cases: dict[tuple[str, int, str], dict[str, Callable[[], object]]] = {}
    for kind in ("perlin", "simplex"):
        cfunc = compat.pnoise3 if kind == "perlin" else compat.snoise3
        for octaves in (1, 6):
            grid: dict[str, Callable[[], object]] = {}
            scat: dict[str, Callable[[], object]] = {}
            for be in backends:
                grid[f"wiktoria {be}"] = on(be, lambda k=kind, o=octaves: noise.fbm(
                    xv.reshape(1, -1), yv.reshape(-1, 1), z, kind=k, octaves=o))
                scat[f"wiktoria {be}"] = on(be, lambda k=kind, o=octaves: noise.fbm(
                    sx, sy, sz, kind=k, octaves=o))
            for be in backends:
                grid[f"compat {be}"] = on(be, lambda f=cfunc, o=octaves: f(gx, gy, gz, octaves=o))
                scat[f"compat {be}"] = on(be, lambda f=cfunc, o=octaves: f(sx, sy, sz, octaves=o))
            if noise_pkg is not None and not args.no_loop:
                grid["noise loop"] = lambda k=kind, o=octaves: noise_loop(
                    k, o, gx.ravel(), gy.ravel(), gz.ravel())
                scat["noise loop"] = lambda k=kind, o=octaves: noise_loop(k, o, sx, sy, sz)
            if fnl is not None:
                gen = fnl_gen(kind, octaves)
                grid["fastnoiselite"] = lambda g=gen: g(grid_f32)
                scat["fastnoiselite"] = lambda g=gen: g(scat_f32)
            if opensimplex is not None and kind == "simplex":
                grid["opensimplex"] = lambda o=octaves: opensimplex_grid(o, xv, yv, z)
            cases[(kind, octaves, "grid")] = grid
            cases[(kind, octaves, "scattered")] = scat

    times: dict[tuple[tuple[str, int, str], str], list[float]] = {}
    for _ in range(args.rounds):
        for key, libs in cases.items():
            for lib, fn in libs.items():
                times.setdefault((key, lib), []).append(timeit(fn))

    samples = n * n
    print(f"Noise throughput: {n}x{n} = {samples} samples per call, 3D, median of "
          f"{args.rounds} rounds (ratio = throughput / fastnoiselite's)")
    print(f"{'case':<26}{'library':<17}{'ms':>9}{'M samples/s':>13}{'ratio':>8}")
    for key, libs in cases.items():
        ref = statistics.median(times[(key, "fastnoiselite")]) if fnl is not None else None
        label = f"{key[0]} {key[1]} oct {key[2]}"
        for lib in libs:
            ms = statistics.median(times[(key, lib)])
            ratio = f"{ref / ms:8.2f}" if ref else "     n/a"
            print(f"{label:<26}{lib:<17}{ms:9.1f}{samples / ms / 1000:13.2f}{ratio}")
        print()

    # compat against the per-sample loop, for every compat function, on grids and points.
    if noise_pkg is not None and not args.no_loop:
        m = n
        # Grids as (1, W) and (H, 1) axis vectors plus scalars (compat expands them itself).
        cx, cy = (np.arange(m) / 16).reshape(1, -1), (np.arange(m) / 16).reshape(-1, 1)
        cz, cw = 0.3, 0.7
        gxx, gyy = np.meshgrid(np.arange(m) / 16, np.arange(m) / 16)
        px, py, pz, pw = rng.uniform(-40, 40, (4, m * m))
        funcs = [("pnoise1", 1), ("pnoise2", 2), ("pnoise3", 3), ("snoise2", 2),
                 ("snoise3", 3), ("snoise4", 4)]
        print(f"compat vs the noise loop ({m}x{m} grid and {m * m} scattered points), "
              f"median of {args.rounds}")
        print(f"{'function':<18}{'layout':<11}{'backend':<9}{'compat ms':>10}{'loop ms':>10}"
              f"{'speed-up':>10}")
        for name, d in funcs:
            for octaves in (1, 6):
                for layout, arrs in (("grid", (cx, cy, cz, cw)), ("scattered", (px, py, pz, pw))):
                    # pnoise1 takes x only: give it the full grid, not one row of it.
                    a = (gxx,) if (d == 1 and layout == "grid") else arrs[:d]
                    cf = getattr(compat, name)
                    nf = getattr(noise_pkg, name)
                    if layout == "grid":
                        full = (gxx, gyy, np.full_like(gxx, 0.3), np.full_like(gxx, 0.7))[:d]
                        flat = [v.ravel().tolist() for v in full]
                    else:
                        flat = [v.ravel().tolist() for v in a]
                    ct: dict[str, list[float]] = {be: [] for be in backends}
                    lt: list[float] = []
                    for _ in range(args.rounds):
                        for be in backends:
                            ct[be].append(timeit(on(be, lambda cf=cf, a=a, o=octaves: cf(
                                *a, octaves=o))))
                        lt.append(timeit(lambda nf=nf, flat=flat, o=octaves: [
                            nf(*p, octaves=o) for p in zip(*flat, strict=True)]))
                    lp = statistics.median(lt)
                    for be in backends:
                        c = statistics.median(ct[be])
                        print(f"{name + f' {octaves} oct':<18}{layout:<11}{be:<9}{c:10.1f}"
                              f"{lp:10.1f}{lp / c:9.1f}x")
        print()

    # Memory: a 4096x4096 fBm against its output array.
    big = 4096
    x = (np.arange(big) / cell).reshape(1, -1)
    y = (np.arange(big) / cell).reshape(-1, 1)
    for be in backends:
        for kind in ("perlin", "simplex"):
            tracemalloc.start()
            out = on(be, lambda k=kind: noise.fbm(x, y, z, kind=k, octaves=6))()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"4096x4096 {kind} fbm (6 octaves, {be}): output {out.nbytes / 2**20:.0f} MiB, "
                  f"traced peak {peak / 2**20:.0f} MiB = {peak / out.nbytes:.2f}x the output")


if __name__ == "__main__":
    main()
