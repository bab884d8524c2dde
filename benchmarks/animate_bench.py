"""Animation batch benchmark: GIF loop wall time, frame-sequence speed-up, 1000-frame memory.

    python benchmarks/animate_bench.py [--rounds 3] [--frames 1000] [--speed-frames 24]
                                       [--size 512x512] [--mood seething] [--jobs 2]
                                       [--only gif speed memory]

Targets (2-core machine):

* ``gif``: a 512x512, 48-frame GIF loop in at most 12 s wall. Measured for
  ``wiktoria.io.encode.write_animation`` (frames rendered one by one in the calling process) and
  ``wiktoria.run.batch.write_loop`` (the same bytes, frames rendered ahead on ``--jobs``
  processes). Skipped with a note while ``wiktoria.io.encode`` does not exist.
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

GIF_TARGET_S = 12.0
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
    anim = wiktoria.animate(a["mood"], size=(w, h), frames=a["frames"], fps=24, seed=1)
    with tempfile.TemporaryDirectory(prefix="wiktoria-bench-") as d:
        t0 = time.perf_counter()
        if a["kind"] == "gif-serial":
            from wiktoria.io.encode import write_animation
            write_animation(anim, Path(d) / "loop.gif")
        elif a["kind"] == "gif-ahead":
            batch.write_loop(anim, Path(d) / "loop.gif", jobs=a["jobs"])
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


def run(kind: str, frames: int, jobs: int, size: tuple[int, int], mood: str) -> dict[str, float]:
    arg = json.dumps({"kind": kind, "frames": frames, "jobs": jobs, "size": size, "mood": mood})
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
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", nargs="+", choices=["gif", "speed", "memory"],
                    default=["gif", "speed", "memory"])
    args = ap.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    rows: list[str] = []
    print(f"{args.mood} {args.size}, jobs={args.jobs}, medians of {args.rounds} rounds "
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
                runs = [run(kind, args.gif_frames, args.jobs, size, args.mood)
                        for _ in range(args.rounds)]
                wall = med(runs, "wall")
                rows.append(f"{label:<34}{wall:8.2f} s  cpu {med(runs, 'cpu'):6.1f} s  "
                            f"others {med(runs, 'others'):4.2f}   target <= {GIF_TARGET_S:.0f} s "
                            f"({args.gif_frames} frames)   {verdict(wall <= GIF_TARGET_S)}")
                print(rows[-1], flush=True)

    if "speed" in args.only:
        one, two = [], []
        for _ in range(args.rounds):  # interleaved, so drifting load hits both alike
            one.append(run("frames", args.speed_frames, 1, size, args.mood))
            two.append(run("frames", args.speed_frames, args.jobs, size, args.mood))
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
        r = run("frames", args.frames, args.jobs, size, args.mood)
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
