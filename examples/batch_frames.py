"""Write a loop as numbered PNG frames, rendered in parallel.

    python examples/batch_frames.py [OUTDIR] [--mood serene] [--frames 8] [--size 160x90]
                                    [--jobs 2] [--seed 7]

``wiktoria.run.batch.render_frames`` renders frames on a process pool (one worker per CPU by
default) and writes each file atomically as it arrives, so an interrupted run leaves only
complete frames (``resume=True`` keeps them). Each frame carries its scene and index. Writes
``OUTDIR/frames/frame_00000.png`` ... (default OUTDIR: ``batch_frames/``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import wiktoria
from wiktoria.run.batch import render_frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir", nargs="?", default="batch_frames", help="output folder")
    parser.add_argument("--mood", default="serene")
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument("--size", default="160x90", help="WIDTHxHEIGHT")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPUs)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)

    loop = wiktoria.animate(args.mood, size=(width, height), frames=args.frames, seed=args.seed)
    # Workers are started with "spawn", so this runs under `if __name__ == "__main__"`.
    report = render_frames(loop, out / "frames", jobs=args.jobs)
    print(f"wrote {len(report.written)} frames to {report.out_dir} in {report.seconds:.1f} s "
          f"with {report.workers} worker(s)")
    # A resumed run keeps the complete frames that match this loop and renders only the rest.
    again = render_frames(loop, out / "frames", resume=True)
    print(f"resumed: {len(again.skipped)} frames kept, {len(again.written)} rendered")


if __name__ == "__main__":
    main()
