"""One loop frame, in process: what the live page and a loop's workers wait for per frame.

    python benchmarks/frame_bench.py [--sizes 384 512] [--threads 1 2] [--moods seething serene]
                                     [--style landscape] [--frames 15] [--seed 3]

For each size (square), thread count (``WIKTORIA_NUM_THREADS``: the noise blocks and the
bands painted on threads) and mood, a fresh process renders a quarter of the way into the loop
and its next two frames (the loop caches fill, the kernels load), then the ``--frames``
frames after them, in order, as the live page plays and an export renders, and prints the
median wall and CPU time of a frame and ``others``: the CPU other processes used meanwhile, in cores (from /proc/stat). On
a 2-core machine shared with other work, ``others`` near 1 leaves one core, and a wall time
near the CPU time is that contention, not the renderer.

Issue 16's targets: a 384x384 preview frame in at most 50 ms (20 frames a second), a
full-quality 512x512 frame in at most 60 ms, on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

TARGET_MS = {384: 50.0, 512: 60.0}

CHILD = r"""
import json, os, statistics, sys, time
import wiktoria
size, mood, style, seed, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
anim = wiktoria.animate(mood, size=(size, size), seed=seed, style=style)
frames = len(anim)
start = frames // 4
for i in range(start, start + 3):
    anim.frame_array(i % frames)
def machine():
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    return (int(parts[0]) + int(parts[1]) + int(parts[2])) / os.sysconf("SC_CLK_TCK")
walls, cpus = [], []
m0, c0, t0 = machine(), time.process_time(), time.perf_counter()
for k in range(n):
    i = (start + 3 + k) % frames
    w, c = time.perf_counter(), time.process_time()
    anim.frame_array(i)
    walls.append(time.perf_counter() - w)
    cpus.append(time.process_time() - c)
span = time.perf_counter() - t0
others = ((machine() - m0) - (time.process_time() - c0)) / span
print(json.dumps({"wall": statistics.median(walls), "cpu": statistics.median(cpus),
                  "others": max(0.0, others), "frames": frames}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", type=int, default=[384, 512])
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--moods", nargs="+", default=["seething", "serene"])
    ap.add_argument("--style", default="landscape")
    ap.add_argument("--frames", type=int, default=15)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    print(f"one loop frame in process ({args.style}, seed {args.seed}, median of "
          f"{args.frames} frames in order, after three)")
    print(f"{'size':>6}{'threads':>9}{'mood':>11}{'wall ms':>10}{'cpu ms':>9}{'others':>8}"
          f"{'target ms':>11}")
    for size in args.sizes:
        for threads in args.threads:
            for mood in args.moods:
                env = dict(os.environ, WIKTORIA_NUM_THREADS=str(threads))
                out = subprocess.run([sys.executable, "-c", CHILD, str(size), mood, args.style,
                                      str(args.seed), str(args.frames)], env=env,
                                     capture_output=True, text=True, check=True)
                got = json.loads(out.stdout.strip().splitlines()[-1])
                target = TARGET_MS.get(size)
                print(f"{size:>6}{threads:>9}{mood:>11}{got['wall'] * 1000:10.1f}"
                      f"{got['cpu'] * 1000:9.1f}{got['others']:8.2f}"
                      f"{(f'{target:.0f}' if target else '-'):>11}")


if __name__ == "__main__":
    main()
