"""Frames per second of one frame batch: ``--jobs 1``, ``--jobs 2`` and a 2-worker Dask cluster.

    python benchmarks/dask_bench.py [--rounds 3] [--frames 24] [--size 256x256]
                                    [--mood seething] [--workers 2]

Needs the ``distributed`` extra. Every back-end renders the same batch with
``wiktoria.render_frames`` into a fresh folder; the frames are checked byte-identical to the
``--jobs 1`` run. Reported: the median frames per second of ``--rounds`` runs, side by side,
with the ratio to ``--jobs 1``:

* ``jobs 1``: in the calling process;
* ``jobs N``: a spawn process pool of ``--workers`` processes (started inside the timing);
* ``dask N``: :func:`wiktoria.run.cluster.local_cluster` (``--workers`` worker processes, 1 thread
  each, nanny ``MALLOC_TRIM_THRESHOLD_`` removed), frames sent back to the client;
* ``dask N, write on workers``: the same, the workers writing the files;
* ``dask N, MALLOC_TRIM_THRESHOLD_``: a ``LocalCluster`` with Dask's default nanny
  environment (``MALLOC_TRIM_THRESHOLD_=65536``) and otherwise the same
  (``WIKTORIA_NUM_THREADS=1``), to measure that pitfall alone.

Cluster start-up is not timed (a real cluster is started once); it is printed apart. Also
printed: the median seconds of one frame rendered inside a worker process with and without
``MALLOC_TRIM_THRESHOLD_``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _frame_seconds(plan, index: int, repeats: int) -> float:
    """In a worker: median seconds to render frame ``index`` (after one warm-up)."""
    plan.png_bytes(index)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        plan.png_bytes(index)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--frames", type=int, default=24)
    ap.add_argument("--size", default="256x256")
    ap.add_argument("--mood", default="seething")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    import dask

    import wiktoria
    from wiktoria.run.cluster import connect, local_cluster

    w, h = (int(v) for v in args.size.lower().split("x"))
    n = args.workers
    anim = wiktoria.animate(args.mood, size=(w, h), frames=args.frames, fps=24, seed=1)
    print(f"{args.frames} frames of {w}x{h} '{args.mood}', {args.rounds} rounds, "
          f"{os.cpu_count()} CPUs, dask {dask.__version__}", flush=True)

    results: dict[str, list[float]] = {}
    reference: dict[str, bytes] = {}

    def run(label: str, **kwargs) -> None:
        times = []
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory(prefix="wiktoria-bench-") as d:
                t = time.perf_counter()
                report = wiktoria.render_frames(anim, Path(d) / "f", **kwargs)
                times.append(time.perf_counter() - t)
                frames = {p.name: p.read_bytes() for p in report.written}
            if not reference:
                reference.update(frames)
            elif frames != reference:
                sys.exit(f"{label}: frames differ from --jobs 1")
        results[label] = times
        print(f"  {label:<32} {args.frames / statistics.median(times):7.2f} fps", flush=True)

    run("jobs 1", jobs=1)
    run(f"jobs {n}", jobs=n)

    saved = dict(os.environ)
    t = time.perf_counter()
    cluster = local_cluster(n)
    client = connect(cluster.scheduler_address)
    client.wait_for_workers(n)
    print(f"  (cluster start-up {time.perf_counter() - t:.2f} s)", flush=True)
    run(f"dask {n}", executor=client)
    run(f"dask {n}, write on workers", executor=client, write_on_workers=True)
    tuned = list(client.run(_frame_seconds, anim.plan, 1, 5).values())
    client.close()
    cluster.close()

    from distributed import LocalCluster

    with dask.config.set({"distributed.nanny.pre-spawn-environ.WIKTORIA_NUM_THREADS": 1}):
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
    client = connect(cluster.scheduler_address)
    client.wait_for_workers(n)
    trims = set(client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_")).values())
    run(f"dask {n}, MALLOC_TRIM_THRESHOLD_", executor=client)
    default = list(client.run(_frame_seconds, anim.plan, 1, 5).values())
    client.close()
    cluster.close()
    os.environ.clear()
    os.environ.update(saved)

    base = statistics.median(results["jobs 1"])
    print()
    print("| back-end | median s | frames/s | vs jobs 1 |")
    print("|---|---:|---:|---:|")
    for label, times in results.items():
        med = statistics.median(times)
        print(f"| {label} | {med:.2f} | {args.frames / med:.2f} | {base / med:.2f}x |")
    print()
    t_tuned, t_default = statistics.median(tuned), statistics.median(default)
    print(f"one frame in a worker: {t_tuned * 1000:.0f} ms without MALLOC_TRIM_THRESHOLD_, "
          f"{t_default * 1000:.0f} ms with Dask's default {trims}: "
          f"{t_default / t_tuned:.2f}x")


if __name__ == "__main__":
    main()
