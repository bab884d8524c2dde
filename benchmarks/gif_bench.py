"""GIF benchmark: Wiktoria's global-palette GIF (each dither) against Pillow's default.

Pillow's default is ``frames[0].save(..., save_all=True, append_images=frames[1:])`` from RGB
images: every frame is quantised separately (MEDIANCUT, 256 colours, no dither) and gets its
own local colour table.

For each clip the frames are rendered once; every encoder gets the same frames. Metrics, all
against the RGB source frames, over every frame:

* ``RMSE``: RGB root-mean-square error (8-bit units);
* ``dE``: mean OKLab ΔE x 100 (1.0 here is about half a just-noticeable difference);
* ``blur dE``: the same after a 9-tap binomial blur (σ = √2 px) of both (lets dither average out as the eye
  does, so banding counts and fine dither noise mostly does not);
* ``flick%``: static-area flicker: of the pixels whose source colour is identical in two
  consecutive frames (the loop seam included), the percentage whose decoded colour changes;
* ``flick dE``: mean OKLab ΔE x 100 of those changes (over the flickering pixels);
* ``KiB``, ``s``: file size and encode time (median of ``--repeat`` runs, rendering excluded).

Clips: ``wiktoria.animate`` of each ``--moods`` (landscapes change almost everywhere, so few
pixels are static) and ``<mood>/half``: the same frames with the right half frozen at frame 0,
where static-area flicker is easy to see (error diffusion runs left to right, so changes on the
left reach the static right half).

``--memory`` instead measures what each writer keeps for a long loop: synthetic 256x256 frames
(``--memory-frames`` and a quarter of it, each run in a fresh process), written to a file; the
growth of peak RSS during the write, the ``tracemalloc`` peak (which sees NumPy buffers but not
Pillow's C image memory) and RSS growth per 100 frames.

Run: ``python benchmarks/gif_bench.py [--size 256] [--frames 24] [--moods seething,...]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

import wiktoria
from wiktoria.colour import linear_to_oklab, srgb_to_linear
from wiktoria.io.encode import encode_animation

_LIN = srgb_to_linear(np.arange(256) / 255.0)


def oklab(frames: np.ndarray) -> np.ndarray:
    return np.asarray(linear_to_oklab(_LIN[frames].astype(np.float32)), dtype=np.float32)


_BINOMIAL = np.array([1, 8, 28, 56, 70, 56, 28, 8, 1], dtype=np.float32) / 256


def blur(x: np.ndarray) -> np.ndarray:
    """9-tap binomial blur (σ = √2 px) over axes -3, -2 (edge-replicated)."""
    r = len(_BINOMIAL) // 2
    for axis in (-3, -2):
        pad = [(0, 0)] * x.ndim
        pad[axis] = (r, r)
        xp = np.pad(x, pad, mode="edge")
        n = x.shape[axis]
        x = sum(k * np.take(xp, np.arange(i, i + n), axis=axis) for i, k in enumerate(_BINOMIAL))
    return x


class Clip:
    """An animation-like object over pre-rendered frames (so timings exclude rendering)."""

    def __init__(self, name: str, frames: np.ndarray, anim: wiktoria.Animation) -> None:
        self.name, self.frames, self._anim = name, frames, anim
        self.scene, self.mood, self.fps = anim.scene, anim.mood, anim.fps
        self.size = (frames.shape[2], frames.shape[1])

    def __len__(self) -> int:
        return len(self.frames)

    def frame_array(self, i: int) -> np.ndarray:
        return self.frames[i]


def pillow_default(clip: Clip) -> bytes:
    ims = [Image.fromarray(f, "RGB") for f in clip.frames]
    bio = io.BytesIO()
    ims[0].save(bio, format="GIF", save_all=True, append_images=ims[1:], loop=0,
                duration=round(1000 / clip.fps))
    return bio.getvalue()


def decode(data: bytes) -> np.ndarray:
    out = []
    with Image.open(io.BytesIO(data)) as im:
        for i in range(im.n_frames):
            im.seek(i)
            out.append(np.asarray(im.convert("RGB")))
    return np.stack(out)


def metrics(src: np.ndarray, dec: np.ndarray, src_lab: np.ndarray) -> dict[str, float]:
    assert dec.shape == src.shape, (dec.shape, src.shape)
    dec_lab = oklab(dec)
    rmse = float(np.sqrt(np.mean((dec.astype(np.float32) - src) ** 2)))
    de = float(np.mean(np.linalg.norm(dec_lab - src_lab, axis=-1)))
    bde = float(np.mean(np.linalg.norm(blur(dec_lab) - blur(src_lab), axis=-1)))
    prev = np.roll(np.arange(len(src)), 1)  # frame t against t-1, seam 0 against n-1
    static = np.all(src == src[prev], axis=-1)
    changed = np.any(dec != dec[prev], axis=-1) & static
    n_static = int(static.sum())
    frac = changed.sum() / n_static if n_static else float("nan")
    mag = np.linalg.norm(dec_lab - dec_lab[prev], axis=-1)[changed]
    return {"RMSE": rmse, "dE": 100 * de, "blur dE": 100 * bde, "flick%": 100 * frac,
            "flick dE": 100 * float(mag.mean()) if mag.size else 0.0,
            "static%": 100 * n_static / static.size}


def run_clip(clip: Clip, repeat: int) -> dict[str, dict[str, float]]:
    src_lab = oklab(clip.frames)
    encoders = {
        "pillow-default": lambda: pillow_default(clip),
        "wiktoria-none": lambda: encode_animation(clip, ".gif", dither="none"),
        "wiktoria-ordered": lambda: encode_animation(clip, ".gif", dither="ordered"),
        "wiktoria-floyd": lambda: encode_animation(clip, ".gif", dither="floyd"),
    }
    rows = {}
    for name, fn in encoders.items():
        times, data = [], b""
        for _ in range(repeat):
            t = time.perf_counter()
            data = fn()
            times.append(time.perf_counter() - t)
        row = metrics(clip.frames, decode(data), src_lab)
        row["KiB"] = len(data) / 1024
        row["s"] = statistics.median(times)
        rows[name] = row
    return rows


COLUMNS = ["RMSE", "dE", "blur dE", "flick%", "flick dE", "KiB", "s"]


def table(title: str, rows: dict[str, dict[str, float]]) -> str:
    head = f"{'':18s}" + "".join(f"{c:>10s}" for c in COLUMNS)
    lines = [title, head]
    for name, row in rows.items():
        lines.append(f"{name:18s}" + "".join(f"{row[c]:10.3f}" for c in COLUMNS))
    return "\n".join(lines)


def quality_bench(args: argparse.Namespace) -> None:
    all_rows: dict[str, list[dict[str, float]]] = {}
    for mood in args.moods.split(","):
        anim = wiktoria.animate(mood, size=(args.size, args.size), frames=args.frames,
                                fps=args.fps, seed=args.seed)
        t = time.perf_counter()
        frames = np.stack([anim.frame_array(i) for i in range(len(anim))])
        render = time.perf_counter() - t
        half = frames.copy()
        half[:, :, args.size // 2:] = frames[0, :, args.size // 2:]
        for clip in (Clip(mood, frames, anim), Clip(f"{mood}/half", half, anim)):
            rows = run_clip(clip, args.repeat)
            static = rows["pillow-default"]["static%"]
            print(table(f"\n{clip.name}: {len(frames)} frames {args.size}x{args.size}, "
                        f"{static:.1f}% static pixel pairs, render {render:.1f}s", rows))
            for name, row in rows.items():
                all_rows.setdefault(name, []).append(row)
    med = {name: {c: statistics.median(r[c] for r in rows) for c in COLUMNS}
           for name, rows in all_rows.items()}
    print(table(f"\nmedian over {len(next(iter(all_rows.values())))} clips", med))
    base = med["pillow-default"]
    print("\nratios to pillow-default (median clip values; < 1 is better except time/size "
          "where it is smaller/faster)")
    print(f"{'':18s}" + "".join(f"{c:>10s}" for c in COLUMNS))
    for name, row in med.items():
        cells = "".join(f"{row[c] / base[c]:10.2f}" if base[c] else f"{'-':>10s}"
                        for c in COLUMNS)
        print(f"{name:18s}{cells}")


# --------------------------------------------------------------------------- memory


_CHILD = r"""
import os, resource, sys, tempfile, tracemalloc, numpy as np
from PIL import Image
n, w, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
yy, xx = np.mgrid[0:w, 0:w].astype(np.float32) / w
noise = np.random.default_rng(1).random((w, w), dtype=np.float32)

def frame(i):
    t = 2 * np.pi * i / n
    r = 0.5 + 0.5 * np.sin(6 * xx + t + 2 * noise)
    g = 0.5 + 0.5 * np.sin(5 * yy - t)
    b = 0.5 + 0.5 * np.sin(4 * (xx + yy) + 2 * t)
    return (np.stack([r, g, b], -1) * 255).astype(np.uint8)

class Anim:
    fps, size = 25.0, (w, w)
    class scene:
        @staticmethod
        def to_toml(): return "seed = 1\n"
    def __len__(self): return n
    def frame_array(self, i): return frame(i)

frame(0)
folder = tempfile.mkdtemp()
out = os.path.join(folder, "out" + (mode if mode.startswith(".") else ".bin"))
tracemalloc.start()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if mode == "baseline":
    for i in range(n): frame(i)
elif mode == "pillow-gif":  # P frames with one palette, from a generator
    pal = Image.new("P", (1, 1)); pal.putpalette(bytes(range(256)) * 3)
    gen = (Image.fromarray(frame(i)).quantize(palette=pal) for i in range(1, n))
    Image.fromarray(frame(0)).quantize(palette=pal).save(
        out, format="GIF", save_all=True, append_images=gen, palette=pal.getpalette(), loop=0)
elif mode == "pillow-apng":  # a list: Pillow's PNG writer iterates append_images twice
    ims = [Image.fromarray(frame(i)) for i in range(1, n)]
    Image.fromarray(frame(0)).save(out, format="PNG", save_all=True, append_images=ims)
elif mode == "pillow-webp":  # Pillow turns append_images into a list first
    gen = (Image.fromarray(frame(i)) for i in range(1, n))
    Image.fromarray(frame(0)).save(out, format="WEBP", save_all=True, append_images=gen,
                                   lossless=True)
else:
    from wiktoria.io.encode import write_animation
    write_animation(Anim(), out)
peak = tracemalloc.get_traced_memory()[1]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if mode == "baseline" or mode == ".mp4":
    size, frames = (os.path.getsize(out) if mode == ".mp4" else 0), n
else:
    size = os.path.getsize(out)
    with Image.open(out) as f:
        frames = f.n_frames
print(rss - base, peak, size, frames)
"""


def memory_bench(args: argparse.Namespace) -> None:
    w = 256
    counts = (args.memory_frames // 4, args.memory_frames)
    modes = ["baseline", "pillow-gif", "pillow-apng", "pillow-webp", ".gif", ".png", ".webp"]
    try:
        import imageio_ffmpeg  # noqa: F401

        modes.append(".mp4")
    except ImportError:
        pass
    print(f"memory: synthetic {w}x{w} frames ({w * w * 3 / 2**10:.0f} KiB RGB, "
          f"{w * w / 2**10:.0f} KiB P-mode each); growth of peak RSS / tracemalloc peak, MiB")
    head = "".join(f"{f'RSS@{c}':>10s}{f'tm@{c}':>9s}{f'file@{c}':>10s}" for c in counts)
    print(f"{'writer':13s}{head}{'RSS/100 frames':>16s}")
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "child.py"
        script.write_text(_CHILD)
        for mode in modes:
            cells, rss = "", []
            for c in counts:
                out = subprocess.run([sys.executable, str(script), str(c), str(w), mode],
                                     capture_output=True, text=True, check=True)
                rss_kib, peak, size, frames = map(int, out.stdout.split())
                assert frames == c, (mode, frames, c)
                rss.append(rss_kib / 1024)
                cells += f"{rss_kib / 1024:10.1f}{peak / 2**20:9.1f}{size / 2**20:10.2f}"
            slope = (rss[1] - rss[0]) / (counts[1] - counts[0]) * 100
            print(f"{mode:13s}{cells}{slope:16.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--moods", default="seething,melancholy,electric")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--frames", type=int, default=24)
    ap.add_argument("--fps", type=float, default=24)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--memory", action="store_true", help="measure writer memory instead")
    ap.add_argument("--memory-frames", type=int, default=200)
    args = ap.parse_args()
    if args.memory:
        memory_bench(args)
    else:
        quality_bench(args)


if __name__ == "__main__":
    main()
