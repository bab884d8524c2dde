"""``wiktoria live --jobs 2``: worker processes render the playing loop (a real server in a
subprocess, driven over HTTP and its WebSocket). Spawning a worker costs seconds (numba), so
the deadlines are generous and nothing here is timed."""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette", reason="the live extra is not installed")
psutil = pytest.importorskip("psutil")
from websockets.sync.client import connect  # noqa: E402

from tests.live.conftest import running, write_sketch  # noqa: E402
from wiktoria import Layer, param  # noqa: E402
from wiktoria.scene import Scene  # noqa: E402

SMALL = ["--size", "96x64", "--preview", "48", "--jobs", "2"]


def frame_when(client: httpx.Client, predicate: Any, timeout: float = 120.0) -> httpx.Response:
    """``GET /frame.png`` until ``predicate(response)``."""
    deadline = time.monotonic() + timeout
    while True:
        got = client.get("/frame.png")
        assert got.status_code == 200, got.text
        if predicate(got):
            return got
        if time.monotonic() > deadline:
            pytest.fail(f"no such frame: the last was {dict(got.headers)}")
        time.sleep(0.05)


def pixels(response: httpx.Response) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(response.content)).convert("RGB"))


def in_process(client: httpx.Client, index: int) -> np.ndarray:
    """Frame ``index`` of the scene shown, at the preview size, rendered in this process."""
    from dataclasses import replace

    from wiktoria.live.session import preview_size
    from wiktoria.motion.animation import FramePlan
    from wiktoria.scene import Canvas

    scene = Scene.from_toml(client.get("/scene.toml").text)
    w, h = preview_size(scene.size, 48)
    return FramePlan(replace(scene, canvas=Canvas(w, h, scene.seed))).render(index)


def workers_of(pid: int) -> list[Any]:
    """The worker processes (spawned Pythons) of process ``pid``."""
    found = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if "multiprocessing" in " ".join(child.cmdline()) and "spawn_main" in " ".join(
                    child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def from_workers(got: httpx.Response) -> bool:
    return got.headers["x-wiktoria-source"] == "2 workers"


def test_workers_play_the_loop_identical_to_the_server_and_follow_changes(
        tmp_path: Path) -> None:
    with running([*SMALL, "--mood", "serene", "--seed", "3"], tmp_path) as live, \
            httpx.Client(base_url=live.url, timeout=120) as client:
        host = live.url.removeprefix("http://")
        with connect(f"ws://{host}/ws", open_timeout=30) as ws:  # a page plays the loop
            got = frame_when(client, from_workers)
            version = int(got.headers["x-wiktoria-version"])
            assert version == client.get("/state.json").json()["version"]
            assert np.array_equal(pixels(got), in_process(client, int(
                got.headers["x-wiktoria-frame"])))
            assert len(workers_of(live.proc.pid)) == 2

            # A change while playing: after its first frame, never a frame of the old state.
            old = pixels(got)
            new = post_json(client, "/set", {"seed": 4})["version"]
            seen: list[dict[str, Any]] = []
            deadline = time.monotonic() + 120
            while not any(m["version"] >= new and m["source"] == "2 workers" for m in seen):
                assert time.monotonic() < deadline, seen[-5:]
                message = ws.recv(timeout=60)
                if isinstance(message, str):
                    data = json.loads(message)
                    if data["type"] == "frame":
                        seen.append(data)
                else:
                    ws.send("ack")
            first = next(i for i, m in enumerate(seen) if m["version"] >= new)
            assert all(m["version"] >= new for m in seen[first:])
            assert seen[first]["source"] == "server"  # a change's first frame: in process
            got = frame_when(client, lambda r: from_workers(r) and int(
                r.headers["x-wiktoria-version"]) == new)
            assert np.array_equal(pixels(got), in_process(client, int(
                got.headers["x-wiktoria-frame"])))
            assert not np.array_equal(pixels(got), old)

            # Paused: the still, in process, as before.
            post_json(client, "/set", {"playing": False})
            still = frame_when(client, lambda r: r.headers["x-wiktoria-kind"] == "still")
            assert still.headers["x-wiktoria-source"] == "server"
        workers = workers_of(live.proc.pid)
    # Ctrl-C (running() sends it): the workers go with the server.
    assert live.proc.returncode == 0, "".join(live.err)
    _gone, alive = psutil.wait_procs(workers, timeout=20)
    assert not alive
    assert "Traceback" not in "".join(live.err)


def test_a_killed_worker_falls_back_to_the_server_once(tmp_path: Path) -> None:
    with running([*SMALL, "--seed", "5"], tmp_path) as live, \
            httpx.Client(base_url=live.url, timeout=120) as client:
        host = live.url.removeprefix("http://")
        with connect(f"ws://{host}/ws", open_timeout=30):
            frame_when(client, from_workers)
            workers = workers_of(live.proc.pid)
            workers[0].kill()
            # Frames go on, from the server; the log says so once.
            frame_when(client, lambda r: not from_workers(r))
            index = int(frame_when(client, lambda r: True).headers["x-wiktoria-frame"])
            frame_when(client, lambda r: int(r.headers["x-wiktoria-frame"]) != index)
        psutil.wait_procs(workers, timeout=20)
    assert live.proc.returncode == 0
    err = "".join(live.err)
    assert err.count("the worker processes failed") == 1, err
    assert "Traceback" not in err


def test_a_sketchs_layers_play_in_the_server(tmp_path: Path) -> None:
    write_sketch(tmp_path, 0.4)
    with running([*SMALL, "sketch.py"], tmp_path) as live, \
            httpx.Client(base_url=live.url, timeout=120) as client:
        host = live.url.removeprefix("http://")
        with connect(f"ws://{host}/ws", open_timeout=30):
            first = int(frame_when(client, lambda r: True).headers["x-wiktoria-frame"])
            time.sleep(2.5)  # past the time a state settles before the workers get it
            got = frame_when(client, lambda r: int(r.headers["x-wiktoria-frame"]) != first)
            assert got.headers["x-wiktoria-source"] == "server"
            assert client.get("/state.json").json()["error"] is None
            assert workers_of(live.proc.pid) == []  # never started
    assert live.proc.returncode == 0


def test_bad_jobs_exit_2_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from wiktoria.cli import cli
    from wiktoria.live.server import LiveServer
    from wiktoria.live.session import Session
    from wiktoria.render.painting import build_scene

    monkeypatch.chdir(tmp_path)
    for value, words in [("0", "jobs must be an integer from 1 to 64, got 0"),
                         ("many", "'many' is not a valid integer")]:
        res = CliRunner().invoke(cli, ["live", "--jobs", value, "--no-open"])
        assert res.exit_code == 2 and words in res.output, res.output
        assert "Traceback" not in res.output and len(res.output.strip().splitlines()) <= 4
    res = CliRunner().invoke(cli, ["live", "--jobs", "0", "--no-open"])
    assert res.output.strip().splitlines() == ["Error: jobs must be an integer from 1 to 64, "
                                               "got 0"]
    session = Session(build_scene("serene", (32, 32), 1, "landscape")[0], tmp_path)
    with pytest.raises(TypeError, match=r"^jobs must be an integer from 1 to 64, got '2'$"):
        LiveServer(session, jobs="2")  # type: ignore[arg-type]
    assert LiveServer(session, jobs=1).workers is None


def test_jobs_above_the_usable_cpus_are_capped_with_a_note(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As every command's ``--jobs``: more workers than usable CPUs would take turns on them."""
    from click.testing import CliRunner

    import wiktoria.live.server as server_module
    from wiktoria.cli import cli
    from wiktoria.common import parallel
    from wiktoria.live.server import LiveServer
    from wiktoria.live.session import Session
    from wiktoria.render.painting import build_scene

    monkeypatch.setattr(server_module, "usable_cpus", lambda: 1)
    session = Session(build_scene("serene", (32, 32), 1, "landscape")[0], tmp_path)
    live = LiveServer(session, jobs=3)
    assert live.jobs == 1 and live.workers is None  # no worker process started
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 1)
    monkeypatch.chdir(tmp_path)
    # (a file that is not there stops the command after the note, before any server)
    res = CliRunner().invoke(cli, ["live", "missing.toml", "--jobs", "3", "--no-open"])
    assert res.exit_code == 2 and "no such file: 'missing.toml'" in res.output, res.output
    assert ("Note: --jobs 3 is more than the 1 CPUs this process may use; using at most 1 "
            "worker processes") in res.output


def post_json(client: httpx.Client, path: str, body: Any) -> dict[str, Any]:
    response = client.post(path, json=body, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_loop_workers_take_frames_in_loop_order_and_raise_what_a_layer_raised() -> None:
    """:class:`LoopWorkers` on a thread pool (no process): the frames it hands out are the
    in-process renders, after the last shown, never more than a frame ahead of the clock; a
    new state drops the old one's; a layer's exception comes out of :meth:`take`."""
    from concurrent.futures import ThreadPoolExecutor
    from dataclasses import replace

    from wiktoria.live.workers import LoopWorkers, worker_safe
    from wiktoria.motion.animation import FramePlan, with_loop
    from wiktoria.render.painting import build_scene

    scene = with_loop(build_scene("serene", (40, 32), 2, "landscape")[0])
    assert worker_safe(scene)
    n = scene.loop.frames
    with ThreadPoolExecutor(2) as pool:
        workers = LoopWorkers(2, executor=pool)
        workers.switch(7, scene)
        shown: list[int] = []
        clock = 0
        deadline = time.monotonic() + 120
        while len(shown) < 6:
            assert time.monotonic() < deadline
            workers.fill(clock)
            taken = workers.take(clock)
            if taken is None:
                workers.wait(0.05)
                clock = (clock + 1) % n
                continue
            index, got, _seconds = taken
            assert np.array_equal(got, FramePlan(scene).render(index))
            assert workers._rel(index, clock) <= 1
            assert not shown or workers._rel(index, shown[-1]) > 0
            shown.append(index)
        assert workers.delivered
        workers.switch(8, scene.override({"air.warp": 0.1}))
        assert not workers.delivered and workers.held == 0

        from wiktoria.render import register_layer, unregister_layer

        register_layer(Boom, boom)
        try:
            workers.switch(9, replace(scene, layers=(*scene.layers, Boom())))
            workers.fill(0)
            with pytest.raises(ValueError, match=r"^boom in a worker$"):
                take_until_raised(workers, deadline)
        finally:
            unregister_layer("test-live-boom")


def take_until_raised(workers: Any, deadline: float) -> None:
    while time.monotonic() < deadline:
        workers.take(1)
        workers.wait(0.05)


@dataclass(frozen=True)
class Boom(Layer):
    """A layer whose renderer raises (registered by the test that uses it)."""

    type: ClassVar[str] = "test-live-boom"
    amount: float = param(0.5, 0.0, 1.0, "unused")


def boom(layer: Any, frame: Any, band: Any) -> None:
    raise ValueError("boom in a worker")
