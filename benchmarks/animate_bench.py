"""Animation batch benchmark: GIF and MP4 loop wall times, frame-sequence speed-up, memory.

    python benchmarks/animate_bench.py [--rounds 3] [--frames 1000] [--speed-frames 24]
                                       [--size 512x512] [--mood seething] [--seed 3]
                                       [--jobs 2] [--mp4-seconds 10] [--mp4-size 1920x1080]
                                       [--only gif mp4 speed memory]

Targets (2-core machine; issue 15):

* ``gif``: a 512x512, 48-frame GIF loop (landscape, seething, seed 3) in at most 8 s wall
  with ``--jobs`` 2. Measured for
  ``wiktoria.io.encode.write_animation`` (frames rendered one by one in the calling process) and
  ``wiktoria.run.batch.write_loop`` (the same bytes, frames rendered ahead on ``--jobs``
  processes). Skipped with a note while ``wiktoria.io.encode`` does not exist.
* ``mp4``: a 10 s loop at 24 fps (240 frames) of 1920x1080 written as MP4 in at most 120 s
  wall (``write_loop``, ``--jobs`` processes; needs ``imageio-ffmpeg``, as
  :mod:`wiktoria.io.mp4` does, else skipped). ``--mp4-seconds 3`` renders a shorter loop
  (72 frames) and extrapolates its wall time per frame to 240 frames: the row says so. The
  x264 encode (preset ``slow``) runs in ffmpeg beside the renders and is included.
* ``speed``: ``render_frames(jobs=2)`` at least 1.6x faster than ``render_frames(jobs=1)`` on
  a frame sequence; the ratio of the medians of ``--rounds`` runs.
* ``memory``: 1000 frames written as a sequence (``jobs=--jobs``) with peak RSS at most 1 GB.
  ``ru_maxrss`` of the parent (RUSAGE_SELF) and of the largest worker (RUSAGE_CHILDREN, after
  the pool has been joined); the total is bounded by parent + jobs x largest worker, which
  is what is compared with the target. ``--frames`` shrinks the run.

Every measurement runs in a fresh process (so peak RSS belongs to it alone) and reports CPU
time (user + sys, parent and workers) next to wall time, and ``others``: the CPU other
processes used meanwhile, in cores (from /proc/stat). On a machine shared with other work a
slow wall time with ``others`` near 1 is contention, not Wiktoria.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

GIF_TARGET_S = 8.0
MP4_TARGET_S = 120.0
MP4_FPS = 24
MP4_TARGET_FRAMES = 240  # 10 s at 24 fps
SPEEDUP_TARGET = 1.6
RSS_TARGET_GB = 1.0

CHILD = r"""
import json, os, resource, sys, tempfile, time
from pathlib import Path
import wiktoria
from wiktoria.run import batch

def main():
    a = json.loads(sys.argv[1])
    w, h = a["size"]
    anim = wiktoria.animate(a["mood"], size=(w, h), frames=a["frames"], fps=24, seed=a["seed"])
    with tempfile.TemporaryDirectory(prefix="wiktoria-bench-") as d:
        t0 = time.perf_counter()
        if a["kind"] == "gif-serial":
            from wiktoria.io.encode import write_animation
            write_animation(anim, Path(d) / "loop.gif")
        elif a["kind"] == "gif-ahead":
            batch.write_loop(anim, Path(d) / "loop.gif", jobs=a["jobs"])
        elif a["kind"] == "mp4":
            batch.write_loop(anim, Path(d) / "loop.mp4", jobs=a["jobs"])
        else:
            report = batch.render_frames(anim, Path(d) / "frames", jobs=a["jobs"])
            assert len(report.written) == a["frames"]
        wall = time.perf_counter() - t0
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": wall, "cpu": me.ru_utime + me.ru_stime + kids.ru_utime
                      + kids.ru_stime, "rss_self": me.ru_maxrss * 1024,
                      "rss_child": kids.ru_maxrss * 1024}))

if __name__ == "__main__":
    main()
"""


def machine_cpu() -> float | None:
    """CPU seconds all processes have used so far (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
        busy = sum(int(v) for k, v in enumerate(fields[:8]) if k not in (3, 4))  # not idle/iowait
        return busy / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def run(kind: str, frames: int, jobs: int, size: tuple[int, int], mood: str,
        seed: int = 3) -> dict[str, float]:
    arg = json.dumps({"kind": kind, "frames": frames, "jobs": jobs, "size": size, "mood": mood,
                      "seed": seed})
    before = machine_cpu()
    out = subprocess.run([sys.executable, "-c", CHILD, arg], capture_output=True, text=True)
    after = machine_cpu()
    if out.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{out.stderr}")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    # CPU used by other processes meanwhile, in cores (a loaded machine explains slow runs)
    r["others"] = (max(0.0, after - before - r["cpu"]) / r["wall"]
                   if before is not None and after is not None else float("nan"))
    return r


def med(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--frames", type=int, default=1000, help="frames of the memory run")
    ap.add_argument("--speed-frames", type=int, default=24, help="frames of the speed runs")
    ap.add_argument("--gif-frames", type=int, default=48)
    ap.add_argument("--size", default="512x512")
    ap.add_argument("--mood", default="seething")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--mp4-seconds", type=float, default=10.0,
                    help="seconds of the MP4 loop (24 fps); under 10, extrapolated to 240 frames")
    ap.add_argument("--mp4-size", default="1920x1080")
    ap.add_argument("--only", nargs="+", choices=["gif", "mp4", "speed", "memory"],
                    default=["gif", "mp4", "speed", "memory"])
    args = ap.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    mp4_size = tuple(int(v) for v in args.mp4_size.lower().split("x"))
    rows: list[str] = []
    print(f"{args.mood} seed {args.seed} {args.size}, jobs={args.jobs}, medians of {args.rounds} rounds "
          f"(memory: one run); wall s / CPU s (user+sys, all processes)", flush=True)

    if "gif" in args.only:
        try:
            import wiktoria.io.encode  # noqa: F401
        except ImportError:
            rows.append(f"{'gif':<34}skipped: wiktoria.io.encode (write_animation) does not exist "
                        "yet")
        else:
            for kind, label in (("gif-serial", "GIF write_animation (serial)"),
                                ("gif-ahead", f"GIF write_loop jobs={args.jobs}")):
                runs = [run(kind, args.gif_frames, args.jobs, size, args.mood, args.seed)
                        for _ in range(args.rounds)]
                wall = med(runs, "wall")
                rows.append(f"{label:<34}{wall:8.2f} s  cpu {med(runs, 'cpu'):6.1f} s  "
                            f"others {med(runs, 'others'):4.2f}   target <= {GIF_TARGET_S:.0f} s "
                            f"({args.gif_frames} frames)   {verdict(wall <= GIF_TARGET_S)}")
                print(rows[-1], flush=True)

    if "mp4" in args.only:
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            rows.append(f"{'mp4':<34}skipped: imageio-ffmpeg (the mp4 extra) is not installed")
        else:
            frames = max(1, round(args.mp4_seconds * MP4_FPS))
            runs = [run("mp4", frames, args.jobs, mp4_size, args.mood, args.seed)
                    for _ in range(args.rounds)]
            wall = med(runs, "wall")
            total = wall / frames * MP4_TARGET_FRAMES
            how = ("measured" if frames == MP4_TARGET_FRAMES else
                   f"extrapolated from {frames} frames")
            label = f"MP4 {args.mp4_size} jobs={args.jobs}"
            rows.append(f"{label:<34}{wall:8.2f} s  cpu {med(runs, 'cpu'):6.1f} s  "
                        f"others {med(runs, 'others'):4.2f}   ({frames} frames, "
                        f"{wall / frames:.3f} s/frame)")
            rows.append(f"{'MP4 240 frames (10 s at 24 fps)':<34}{total:8.1f} s  ({how})"
                        f"    target <= {MP4_TARGET_S:.0f} s   {verdict(total <= MP4_TARGET_S)}")
            print("\n".join(rows[-2:]), flush=True)

    if "speed" in args.only:
        one, two = [], []
        for _ in range(args.rounds):  # interleaved, so drifting load hits both alike
            one.append(run("frames", args.speed_frames, 1, size, args.mood, args.seed))
            two.append(run("frames", args.speed_frames, args.jobs, size, args.mood, args.seed))
        w1, w2 = med(one, "wall"), med(two, "wall")
        ratio = w1 / w2
        rows.append(f"{'frames jobs=1':<34}{w1:8.2f} s  cpu {med(one, 'cpu'):6.1f} s  "
                    f"others {med(one, 'others'):4.2f}   ({args.speed_frames} frames)")
        rows.append(f"{f'frames jobs={args.jobs}':<34}{w2:8.2f} s  cpu {med(two, 'cpu'):6.1f} s  "
                    f"others {med(two, 'others'):4.2f}")
        rows.append(f"{'speed-up':<34}{ratio:8.2f} x                  target >= "
                    f"{SPEEDUP_TARGET} x   {verdict(ratio >= SPEEDUP_TARGET)}")
        print("\n".join(rows[-3:]), flush=True)

    if "memory" in args.only:
        r = run("frames", args.frames, args.jobs, size, args.mood, args.seed)
        gb = 1e9
        total = (r["rss_self"] + args.jobs * r["rss_child"]) / gb
        rows.append(f"{f'{args.frames} frames, jobs={args.jobs}':<34}{r['wall']:8.2f} s  cpu "
                    f"{r['cpu']:6.1f} s  others {r['others']:4.2f}   "
                    f"({r['wall'] / args.frames:.3f} s/frame)")
        rows.append(f"{'peak RSS parent / largest worker':<34}{r['rss_self'] / gb:8.3f} GB / "
                    f"{r['rss_child'] / gb:.3f} GB")
        rows.append(f"{f'peak RSS parent + {args.jobs} x worker':<34}{total:8.3f} GB"
                    f"               target <= {RSS_TARGET_GB:.0f} GB   "
                    f"{verdict(total <= RSS_TARGET_GB)}")
        print("\n".join(rows[-3:]), flush=True)

    print("\nsummary")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
