"""Live page benchmark (issue 16): frames a second and change-to-pixels latency of
``wiktoria live``, driven as the page drives it.

    python benchmarks/live_bench.py [--mood seething] [--style landscape] [--previews 256 384]
                                    [--seconds 8] [--changes 12] [--jobs 2]

It needs the live and test extras (``python -m pip install '.[live,test]'``: the server, and
httpx and websockets as the client).

For each preview size a real ``wiktoria live --port 0 --no-open`` runs in a subprocess. A
websocket client plays as the page does (it acks each frame, so the server sends the newest
one): ``fps`` is frames received a second after a 2 s warm-up, ``render`` the server's median
render time of a preview frame. Then, for each kind of change in ``--kinds``, ``--changes``
times it sends one with ``POST /set`` and waits for the first frame of the new state: the
latency is the median (and 90th percentile) from sending the request to holding that frame's
bytes. The kinds: ``clouds`` (``air.clouds``, which only the painting reads), ``brush``
(``brush.spacing``: the strokes are placed again), ``seed`` (a new composition, new clouds and
strokes) and ``mood`` (a small step on the mood pad, as a drag sends: new colours, layers
retargeted, new clouds and strokes). Targets (issue 16): 20 fps or more at 384x384; a change shows within 0.3 s.
``busy`` is the cores all processes used while the frames were counted (from /proc/stat):
the server uses about one; on a shared machine more than that is other work.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import threading
import time

FPS_TARGET = 20.0
LATENCY_TARGET_S = 0.3


def _busy() -> tuple[float, float]:
    """(total, idle) jiffies of the machine."""
    with open("/proc/stat") as f:
        parts = [float(x) for x in f.readline().split()[1:]]
    return sum(parts), parts[3] + parts[4]


def start(args: list[str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "wiktoria", "live", *args, "--port", "0",
                             "--no-open"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if proc.poll() is not None:
                raise SystemExit(f"wiktoria live exited: {proc.stderr.read()}") from None  # type: ignore[union-attr]
            continue
        if "Wiktoria live at " in line:
            return proc, line.split("Wiktoria live at ")[1].split()[0].rstrip("/")
    proc.kill()
    raise SystemExit("wiktoria live did not start")


def stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def change(kind: str, k: int) -> dict[str, object]:
    """The ``k``-th change of ``kind`` (see the module docstring)."""
    if kind == "clouds":
        return {"air.clouds": 0.2 + 0.05 * (k % 12)}
    if kind == "brush":
        return {"brush.spacing": 8.0 + 0.5 * (k % 8)}
    if kind == "seed":
        return {"seed": 100 + k}
    if kind == "mood":  # seething is at (-0.7, 1.0): steps along the top of the pad
        return {"mood": [round(-0.7 + 0.02 * (k % 10), 3), 0.95]}
    raise SystemExit(f"unknown kind of change {kind!r}; valid: {', '.join(KINDS)}")


KINDS = ("clouds", "brush", "seed", "mood")


async def measure(url: str, seconds: float, changes: int,
                  kinds: list[str], warmup: float = 2.0) -> dict[str, object]:
    import httpx
    import websockets

    frames: list[tuple[float, int, float]] = []  # (arrival, version, render ms)
    arrived = asyncio.Event()

    async def play(ws: object) -> None:
        meta = None
        async for message in ws:  # type: ignore[attr-defined]
            if isinstance(message, str):
                data = json.loads(message)
                if data.get("type") == "frame":
                    meta = data
                continue
            if meta is not None:
                frames.append((time.perf_counter(), int(meta["version"]),
                               float(meta["render_ms"])))
                arrived.set()
            await ws.send("ack")  # type: ignore[attr-defined]

    ws_url = url.replace("http://", "ws://") + "/ws"
    async with websockets.connect(ws_url, max_size=None) as ws, \
            httpx.AsyncClient(base_url=url, timeout=60) as client:
        await ws.send("ack")  # ready for the first frame, as the page is
        player = asyncio.create_task(play(ws))
        await asyncio.sleep(warmup)  # the first frames compile, fill caches, start workers
        start_n, start_t = len(frames), time.perf_counter()
        t0, i0 = _busy()
        await asyncio.sleep(seconds)
        t1, i1 = _busy()
        n, t = len(frames) - start_n, time.perf_counter() - start_t
        renders = [ms for _, _, ms in frames[start_n:]]
        cores = os.cpu_count() or 1
        busy = (1 - (i1 - i0) / max(1e-9, t1 - t0)) * cores
        latency: dict[str, tuple[float, float]] = {}
        for kind in kinds:
            latencies = []
            for k in range(changes):
                sent = time.perf_counter()
                r = await client.post("/set", json=change(kind, k))
                r.raise_for_status()
                version = int(r.json()["version"])
                while not any(v >= version for a, v, _ms in frames if a >= sent):
                    arrived.clear()
                    await asyncio.wait_for(arrived.wait(), timeout=30)
                got = min(a for a, v, _ms in frames if a >= sent and v >= version)
                latencies.append(got - sent)
                await asyncio.sleep(0.2)
            latencies.sort()
            latency[kind] = (statistics.median(latencies),
                             latencies[min(len(latencies) - 1, int(0.9 * len(latencies)))])
        player.cancel()
    return {"fps": n / t, "render": statistics.median(renders) if renders else float("nan"),
            "latency": latency, "busy": busy}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mood", default="seething")
    ap.add_argument("--style", default="landscape")
    ap.add_argument("--previews", type=int, nargs="+", default=[256, 384])
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--changes", type=int, default=12)
    ap.add_argument("--jobs", type=int, default=None,
                    help="wiktoria live --jobs (default: the server's own)")
    ap.add_argument("--warmup", type=float, default=2.0,
                    help="seconds of playing before frames are counted (worker processes "
                         "take a few to start)")
    ap.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    args = ap.parse_args()
    missing = [m for m in ("httpx", "websockets", "starlette", "uvicorn")
               if importlib.util.find_spec(m) is None]
    if missing:
        raise SystemExit(f"live_bench needs {', '.join(missing)}: "
                         "python -m pip install '.[live,test]'")
    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    print(f"wiktoria live, {args.mood} {args.style}, seed 1; {os.cpu_count()} cores; "
          f"jobs {args.jobs if args.jobs is not None else 'default'}; "
          f"latency: s from POST /set to the new frame, median / p90")
    print(f"| preview | fps | render ms (median) | {' | '.join(args.kinds)} | busy cores | "
          "target |")
    print("|---|---|---|" + "---|" * len(args.kinds) + "---|---|")
    for preview in args.previews:
        proc, url = start(["--mood", args.mood, "--style", args.style, "--seed", "1",
                           "--preview", str(preview), *jobs])
        try:
            r = asyncio.run(measure(url, args.seconds, args.changes, args.kinds, args.warmup))
        finally:
            stop(proc)
        latency: dict[str, tuple[float, float]] = r["latency"]  # type: ignore[assignment]
        ok = r["fps"] >= FPS_TARGET and all(m <= LATENCY_TARGET_S for m, _ in latency.values())
        cells = " | ".join(f"{latency[k][0]:.2f} / {latency[k][1]:.2f}" for k in args.kinds)
        print(f"| {preview} | {r['fps']:.1f} | {r['render']:.0f} | {cells} | {r['busy']:.2f} | "
              f">= {FPS_TARGET:g} fps, <= {LATENCY_TARGET_S:g} s: {'met' if ok else 'MISSED'} |",
              flush=True)


if __name__ == "__main__":
    main()
