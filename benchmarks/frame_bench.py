"""One loop frame, in process: what the live page and a loop's workers wait for per frame.

    python benchmarks/frame_bench.py [--sizes 384 512] [--threads 1 2] [--moods seething serene]
                                     [--style landscape] [--frames 15] [--seed 3] [--jobs 2]
                                     [--rounds 1]

For each size (square), thread count (``WIKTORIA_NUM_THREADS``: the noise blocks and the
bands painted on threads) and mood, a fresh process renders a quarter of the way into the loop
and its next two frames (the loop caches fill, the kernels load), then the ``--frames``
frames after them, in order, as the live page plays and an export renders, and prints the
median wall and CPU time of a frame and ``others``: the CPU other processes used meanwhile, in cores (from /proc/stat). On
a 2-core machine shared with other work, ``others`` near 1 leaves one core, and a wall time
near the CPU time is that contention, not the renderer.

A second table gives the loop's frames as ``--jobs`` worker processes render them ahead of a
reader (``wiktoria.run.ahead.FramesAhead``, one thread per worker: what ``Animation.save``
with ``jobs``, ``wiktoria loop``/``frames --jobs`` and the live page's workers do): the time
between frames, after the workers have warmed up. Threads in one process share the GIL, and
a frame is many small numpy operations; processes do not.

Issue 16's targets: a 384x384 preview frame in at most 50 ms (20 frames a second), a
full-quality 512x512 frame in at most 60 ms, on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

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

#: Loop frames rendered by ``jobs`` worker processes ahead of a reader (what ``Animation.save``
#: with ``jobs`` and the live page's workers do): the time between frames, not of one frame.
AHEAD = r"""
import json, os, sys, time
import wiktoria
from wiktoria.run.ahead import FramesAhead
def main():
    size, mood, style, seed, n, jobs = (int(sys.argv[1]), sys.argv[2], sys.argv[3],
                                        int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    anim = wiktoria.animate(mood, size=(size, size), seed=seed, style=style)
    frames = len(anim)
    with FramesAhead(anim, jobs=jobs) as ahead:
        for i in range(2 * jobs + 2):  # the workers start and fill their caches
            ahead.frame_array(i)
        t0 = time.perf_counter()
        for k in range(n):
            ahead.frame_array((2 * jobs + 2 + k) % frames)
        span = time.perf_counter() - t0
    print(json.dumps({"between": span / n}))
if __name__ == "__main__":
    main()
"""


def ahead(size: int, mood: str, args: argparse.Namespace, jobs: int) -> float:
    """Seconds between frames read from ``jobs`` worker processes (one thread each)."""
    with tempfile.TemporaryDirectory() as tmp:  # spawned workers import the main script
        script = os.path.join(tmp, "ahead.py")
        with open(script, "w") as f:
            f.write(AHEAD)
        env = dict(os.environ, WIKTORIA_NUM_THREADS="1")
        out = subprocess.run([sys.executable, script, str(size), mood, args.style,
                              str(args.seed), str(4 * args.frames), str(jobs)], env=env,
                             capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["between"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", type=int, default=[384, 512])
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--moods", nargs="+", default=["seething", "serene"])
    ap.add_argument("--style", default="landscape")
    ap.add_argument("--frames", type=int, default=15)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--jobs", nargs="*", type=int, default=[2],
                    help="worker processes for the loop throughput table (none: skip it)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="processes per configuration, run in turn: the table gives the "
                         "median of their medians and the range (the host varies)")
    args = ap.parse_args()
    if any(j < 1 for j in args.jobs):
        ap.error(f"--jobs must be 1 or more worker processes, got {args.jobs}")
    if args.rounds < 1:
        ap.error(f"--rounds must be 1 or more, got {args.rounds}")
    print(f"one loop frame in process ({args.style}, seed {args.seed}, median of "
          f"{args.frames} frames in order, after three; {args.rounds} process(es) each)")
    print(f"{'size':>6}{'threads':>9}{'mood':>11}{'wall ms':>10}{'range':>14}{'cpu ms':>9}"
          f"{'others':>8}{'target ms':>11}")
    configs = [(size, threads, mood) for size in args.sizes for threads in args.threads
               for mood in args.moods]
    runs: dict[tuple[int, int, str], list[dict[str, float]]] = {c: [] for c in configs}
    for _ in range(args.rounds):  # in turn, so a slow spell of the host spreads over all
        for size, threads, mood in configs:
            env = dict(os.environ, WIKTORIA_NUM_THREADS=str(threads))
            out = subprocess.run([sys.executable, "-c", CHILD, str(size), mood, args.style,
                                  str(args.seed), str(args.frames)], env=env,
                                 capture_output=True, text=True, check=True)
            runs[(size, threads, mood)].append(json.loads(out.stdout.strip().splitlines()[-1]))
    for (size, threads, mood), got in runs.items():
        walls = [g["wall"] * 1000 for g in got]
        target = TARGET_MS.get(size)
        span = f"{min(walls):.1f}-{max(walls):.1f}"
        print(f"{size:>6}{threads:>9}{mood:>11}{statistics.median(walls):10.1f}{span:>14}"
              f"{statistics.median(g['cpu'] for g in got) * 1000:9.1f}"
              f"{statistics.median(g['others'] for g in got):8.2f}"
              f"{(f'{target:.0f}' if target else '-'):>11}")
    if not args.jobs:
        return
    print(f"\nloop frames from worker processes, one thread each ({4 * args.frames} frames "
          "read in order after the workers warmed up): ms between frames")
    print(f"{'size':>6}{'jobs':>9}{'mood':>11}{'ms/frame':>10}{'fps':>9}{'target ms':>11}")
    for size in args.sizes:
        for jobs in args.jobs:
            for mood in args.moods:
                between = ahead(size, mood, args, jobs)
                target = TARGET_MS.get(size)
                print(f"{size:>6}{jobs:>9}{mood:>11}{between * 1000:10.1f}{1 / between:9.1f}"
                      f"{(f'{target:.0f}' if target else '-'):>11}")


if __name__ == "__main__":
    main()
