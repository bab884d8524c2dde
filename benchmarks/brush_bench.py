"""The stroke layer's time (issue 14): the brush in a 512x512 animation frame and a 1080p still.

    python benchmarks/brush_bench.py [--moods all] [--seeds 1 2 3] [--rounds 3]
                                     [--styles landscape flow] [--still]

For each style and mood, whole paintings are rendered (``render.compositor.render``) with the
brush layer's methods timed in place, so the layers below have published what the brush reads:

* ``guide``: the direction, labels and density fields (``render.strokes.guide``);
* ``place``: the evenly spaced streamlines (``render.strokes.streamlines.evenly_spaced``);
* ``prepare``: the whole of the brush's ``prepare`` (guide, placement, cutting into strokes,
  widths, colours);
* ``bands``: all of its ``band`` calls for the frame (rasterising and colouring the strokes);
* ``layer``: prepare + bands, the stroke layer of one frame.

In a loop the strokes are placed once, at rest, and cached per process (issue 15): the
figures are then those of a process's next frames (warm), and ``guide`` and ``place`` are 0;
``--cold`` clears the cache before every frame (a process's first frame of a loop).

The 512x512 frames are frame 7 of a 48-frame, 24 fps loop (an animation frame, time moving);
``--still`` adds 1920x1080 stills. Figures are medians over moods x seeds x rounds, in ms, warm
(one painting per style first compiles and loads everything). The issue's target: the stroke
layer of a 512x512 animation frame within 60 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

import wiktoria
import wiktoria.render.layers.brush as brush_module
from wiktoria.render.compositor import render
from wiktoria.scene.scene import Loop

TIMES: dict[str, list[float]] = {}


def _timed(key: str, f):  # type: ignore[no-untyped-def]
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        out = f(*args, **kwargs)
        TIMES.setdefault(key, []).append(time.perf_counter() - t0)
        return out

    return wrapper


def _instrument() -> None:
    cls = brush_module.BrushRenderer
    brush_module.guide = _timed("guide", brush_module.guide)
    brush_module.evenly_spaced = _timed("place", brush_module.evenly_spaced)
    cls.prepare = _timed("prepare", cls.prepare)
    cls.band = _timed("band", cls.band)


def scene_for(mood: str, seed: int, style: str, size: tuple[int, int], animated: bool):
    scene = wiktoria.paint(mood, size=(8, 8), seed=seed, style=style).scene
    scene = replace(scene, canvas=wiktoria.Canvas(*size, seed))
    if animated:
        scene = replace(scene, loop=Loop(frames=48, fps=24.0, frame=7))
    return scene


COLD = False


def measure(style: str, moods: list[str], seeds: list[int], size: tuple[int, int],
            animated: bool, rounds: int) -> dict[str, float]:
    render(scene_for(moods[0], seeds[0], style, size, animated))  # warm up
    per_frame: dict[str, list[float]] = {}
    for mood in moods:
        for seed in seeds:
            scene = scene_for(mood, seed, style, size, animated)
            for _ in range(rounds):
                if COLD:
                    getattr(brush_module, "_CACHE", {}).clear()
                TIMES.clear()
                render(scene)
                frame = {k: sum(v) for k, v in TIMES.items()}
                frame["bands"] = frame.pop("band", 0.0)
                frame.setdefault("guide", 0.0)
                frame.setdefault("place", 0.0)
                frame["layer"] = frame["prepare"] + frame["bands"]
                for k, v in frame.items():
                    per_frame.setdefault(k, []).append(v)
    return {k: 1000 * statistics.median(v) for k, v in per_frame.items()} | {
        "layer_max": 1000 * max(per_frame["layer"])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moods", nargs="+", default=["all"])
    ap.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--styles", nargs="+", default=["landscape", "flow"])
    ap.add_argument("--still", action="store_true", help="also 1920x1080 stills")
    ap.add_argument("--cold", action="store_true", help="no cached placement (first frames)")
    args = ap.parse_args()
    global COLD
    COLD = args.cold
    moods = wiktoria.moods() if args.moods == ["all"] else args.moods
    _instrument()
    cases = [("512x512 frame", (512, 512), True)]
    if args.still:
        cases.append(("1920x1080 still", (1920, 1080), False))
    cols = ["guide", "place", "prepare", "bands", "layer", "layer_max"]
    print(f"moods: {len(moods)}, seeds: {args.seeds}, rounds: {args.rounds}; medians in ms")
    print(f"| case | style | {' | '.join(cols)} |")
    print("|---" * (len(cols) + 2) + "|")
    for label, size, animated in cases:
        for style in args.styles:
            rounds = args.rounds if size[0] * size[1] <= 512 * 512 else 1
            got = measure(style, list(moods), args.seeds, size, animated, rounds)
            cells = " | ".join(f"{got[c]:.1f}" for c in cols)
            print(f"| {label} | {style} | {cells} |", flush=True)


if __name__ == "__main__":
    main()
