"""Stroke identity in loops (issue 15): frame strips and how much the brush's ink changes
between consecutive frames.

    python benchmarks/brush_motion.py [--moods haunting seething] [--styles flow landscape]
                                      [--size 384 216] [--frames 48] [--out /tmp/strokes]
                                      [--tag after]

For each mood and style, every frame of a loop of ``--frames`` frames at 24 fps is painted.
The brush layer's ink (its union coverage times each stroke's fade, painted alone on black:
``ink``) is compared between consecutive frames:

* ``change``: mean |ink[n+1] - ink[n]| / mean ink (0: the same strokes in the same places; ~1
  or more: strokes in new places, as when the streamlines are placed again every frame);
* ``kept``: the share of ink[n+1] that lies within one pixel of ink[n] (ink dilated by one
  pixel): strokes that travel keep most of it;
* ``pulse``: (max - min) / mean of the total ink over the loop (global pulsing);
* ``seam``: whether frame ``frames`` equals frame 0 byte for byte.

A strip of 8 frames (every ``frames / 8``-th) is saved side by side as
``{out}/{tag}-{mood}-{style}.png``.
"""

from __future__ import annotations

import argparse
import itertools
import os
from dataclasses import replace

import numpy as np
from PIL import Image

import wiktoria
from wiktoria.render.compositor import render_layers
from wiktoria.scene.scene import Loop


def ink_of(renderer, H: int, W: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    buf = np.zeros((H, W, 3), np.float32)
    n = len(renderer.widths)
    if n:
        renderer.set.paint(buf, np.ones((n, 3), np.float32), renderer.ones)
    return buf[..., 0]


def measure(mood: str, style: str, size: tuple[int, int], frames: int, out: str, tag: str,
            seed: int = 1) -> dict[str, float]:
    W, H = size
    base = wiktoria.paint(mood, size=(8, 8), seed=seed, style=style).scene
    base = replace(base, canvas=wiktoria.Canvas(W, H, seed))
    inks, pics = [], []
    for n in range(frames + 1):
        scene = replace(base, loop=Loop(frames=frames, fps=24.0, frame=n % frames))
        if n == frames:  # the seam: frame `frames` is frame 0 of the next loop
            scene = replace(base, loop=Loop(frames=frames, fps=24.0, frame=0))
            _clear_cache()
        rgb, renderers = render_layers(scene)
        brush = next(r for r in renderers if r.layer.type == "brush")
        inks.append(ink_of(brush, H, W))
        pics.append(rgb)
    change, kept = [], []
    for a, b in itertools.pairwise(inks):
        change.append(float(np.abs(b - a).mean() / max(a.mean(), 1e-9)))
        grown = a.copy()  # a dilated by one pixel
        grown[1:] = np.maximum(grown[1:], a[:-1])
        grown[:-1] = np.maximum(grown[:-1], a[1:])
        g2 = grown.copy()
        g2[:, 1:] = np.maximum(g2[:, 1:], grown[:, :-1])
        g2[:, :-1] = np.maximum(g2[:, :-1], grown[:, 1:])
        kept.append(float(np.minimum(b, g2).sum() / max(b.sum(), 1e-9)))
    total = np.array([i.sum() for i in inks[:-1]])
    step = max(1, frames // 8)
    strip = np.concatenate([pics[k] for k in range(0, frames, step)][:8], axis=1)
    os.makedirs(out, exist_ok=True)
    Image.fromarray(strip).save(f"{out}/{tag}-{mood}-{style}.png")
    inkstrip = np.concatenate([inks[k] for k in range(0, frames, step)][:8], axis=1)
    Image.fromarray((np.clip(inkstrip, 0, 1) * 255).astype(np.uint8)).save(
        f"{out}/{tag}-{mood}-{style}-ink.png")
    return {"change": float(np.mean(change)), "kept": float(np.mean(kept)),
            "pulse": float((total.max() - total.min()) / max(total.mean(), 1e-9)),
            "seam": float(np.array_equal(pics[0], pics[-1]))}


def _clear_cache() -> None:
    import wiktoria.render.layers.brush as brush

    cache = getattr(brush, "_CACHE", None)
    if cache is not None:
        cache.clear()  # the seam frame is painted as a fresh process would


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moods", nargs="+", default=["haunting", "seething"])
    ap.add_argument("--styles", nargs="+", default=["flow", "landscape"])
    ap.add_argument("--size", nargs=2, type=int, default=[384, 216])
    ap.add_argument("--frames", type=int, default=48)
    ap.add_argument("--out", default="/tmp/strokes")
    ap.add_argument("--tag", default="after")
    args = ap.parse_args()
    print("| mood | style | change | kept | pulse | seam |")
    print("|---|---|---|---|---|---|")
    for mood in args.moods:
        for style in args.styles:
            m = measure(mood, style, tuple(args.size), args.frames, args.out, args.tag)
            print(f"| {mood} | {style} | {m['change']:.3f} | {m['kept']:.3f} | "
                  f"{m['pulse']:.3f} | {'yes' if m['seam'] else 'NO'} |", flush=True)


if __name__ == "__main__":
    main()
