"""``wiktoria live`` as users run it: the real command in a subprocess, on 127.0.0.1, driven
by a real HTTP client (httpx) and a real WebSocket client (websockets), stopped with Ctrl-C."""

from __future__ import annotations

import io
import json
import signal
import socket
import time
from pathlib import Path
from typing import Any

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette", reason="the live extra is not installed")
from websockets.exceptions import InvalidStatus  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

from tests.live.conftest import running, write_atomic, write_sketch  # noqa: E402
from wiktoria.scene import Scene  # noqa: E402

SMALL = ["--size", "96x64", "--preview", "48"]


def png_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data)).size


def post(client: httpx.Client, path: str, body: Any) -> httpx.Response:
    return client.post(path, json=body, timeout=120)


def state_when(client: httpx.Client, predicate: Any, timeout: float = 90.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = client.get("/state.json").json()
        if predicate(state):
            return state
        if time.monotonic() > deadline:
            pytest.fail(f"the state never got there: {json.dumps(state)[:400]}")
        time.sleep(0.1)


def test_page_frames_parameters_saves_and_ctrl_c(tmp_path: Path) -> None:
    with running([*SMALL, "--mood", "serene", "--seed", "3"], tmp_path) as live, \
            httpx.Client(base_url=live.url, timeout=120) as client:
        assert live.url.startswith("http://127.0.0.1:")
        page = client.get("/")
        assert page.status_code == 200 and "<canvas" in page.text
        assert "text/html" in page.headers["content-type"]

        frame = client.get("/frame.png")
        assert frame.status_code == 200 and png_size(frame.content) == (48, 32)
        scene = Scene.from_toml(client.get("/scene.toml").text)
        assert scene.size == (96, 64) and scene.seed == 3 and scene.loop is not None

        # Pause on a frame, change a parameter: a different frame.
        assert post(client, "/set", {"playing": False, "frame": 0}).status_code == 200
        before = client.get("/frame.png")
        assert before.headers["x-wiktoria-frame"] == "0"
        state = client.get("/state.json").json()
        warp = next(p for g in state["layers"] if g["prefix"] == "air"
                    for p in g["params"] if p["name"] == "warp")
        new = warp["lo"] if warp["value"] != warp["lo"] else warp["hi"]
        assert post(client, "/set", {"air.warp": new}).status_code == 200
        after = client.get("/frame.png")
        assert after.headers["x-wiktoria-frame"] == "0"
        assert after.content != before.content
        assert Scene.from_toml(client.get("/scene.toml").text).layer("air").warp == new

        # Bad requests: a 4xx with one line saying why; nothing changes.
        version = client.get("/state.json").json()["version"]
        for response, status, words in [
            (client.post("/set", data={"seed": "5"}), 415, "application/json"),
            (client.post("/set", content=b"{nope", headers={"Content-Type": "application/json"}),
             400, "malformed JSON"),
            (post(client, "/set", {"air.nope": 1}), 422, "unknown air parameter 'nope'"),
            (post(client, "/set", {"air.warp": 1e9}), 422, "air.warp"),
            (post(client, "/set", [1, 2]), 400, "JSON object"),
            (post(client, "/save", {"what": "movie"}), 422, "still, loop, scene"),
            (post(client, "/save", {"what": "still", "name": "../escape.png"}), 422,
             "plain file name"),
            (post(client, "/save", {"what": "scene", "name": "/tmp/x.toml"}), 422,
             "plain file name"),
            (client.get("/", headers={"Host": "evil.example"}), 400, "Invalid host"),
        ]:
            assert response.status_code == status, response.text
            assert words in response.text and response.text.count("\n") <= 1, response.text
        assert client.get("/state.json").json()["version"] == version

        # Saves: full size, the scene embedded, in the folder the server started in.
        assert post(client, "/set", {"duration": 0.25}).status_code == 200
        saved = {what: post(client, "/save", {"what": what}) for what in ("still", "loop",
                                                                          "scene")}
        for response in saved.values():
            assert response.status_code == 200, response.text
        from wiktoria.io.metadata import read_scene

        still = tmp_path / saved["still"].json()["saved"]
        assert png_size(still.read_bytes()) == (96, 64)
        assert read_scene(still)[0].layer("air").warp == new
        loop = tmp_path / saved["loop"].json()["saved"]
        assert loop.suffix == ".gif" and read_scene(loop)[0].loop.frames == 6
        toml = tmp_path / saved["scene"].json()["saved"]
        assert Scene.from_toml(toml.read_text()).layer("air").warp == new
        assert post(client, "/save", {"what": "still", "name": "mine.jpg"}).status_code == 200
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [still.name, loop.name, toml.name, "mine.jpg"])
        assert not (tmp_path.parent / "escape.png").exists()

        # The page's socket: state, then one frame, then nothing until the page acks.
        assert post(client, "/set", {"playing": True}).status_code == 200
        host = live.url.removeprefix("http://")
        with connect(f"ws://{host}/ws", open_timeout=30) as ws:
            first = json.loads(ws.recv(timeout=60))
            assert first["type"] == "state" and first["size"] == [96, 64]
            meta, data = None, None
            while data is None:
                message = ws.recv(timeout=60)
                if isinstance(message, bytes):
                    data = message
                elif json.loads(message)["type"] == "frame":
                    meta = json.loads(message)
            assert data[:3] == b"\xff\xd8\xff" and meta is not None
            assert meta["width"] in (48, 96)  # the newest frame: may be the still of before
            deadline = time.monotonic() + 1.5
            while time.monotonic() < deadline:  # the render thread goes on; no frame comes
                try:
                    message = ws.recv(timeout=0.2)
                except TimeoutError:
                    continue
                assert isinstance(message, str), "a frame came before the ack"
            ws.send("ack")
            while not isinstance(message := ws.recv(timeout=60), bytes):
                pass
            assert message[:3] == b"\xff\xd8\xff"
            ws.send("ack")
            # Paused: the preview of the frame, then the frame at full size.
            assert post(client, "/set", {"playing": False, "frame": 2}).status_code == 200
            kinds = []
            while "still" not in kinds:
                message = ws.recv(timeout=60)
                if isinstance(message, bytes):
                    ws.send("ack")
                    continue
                meta = json.loads(message)
                if meta["type"] == "frame" and meta["frame"] == 2:
                    kinds.append(meta["kind"])
                    size = (meta["width"], meta["height"])
                    assert size == ((96, 64) if meta["kind"] == "still" else (48, 32))
            # Several tabs may watch one server.
            with connect(f"ws://{host}/ws", open_timeout=30) as other:
                assert json.loads(other.recv(timeout=60))["type"] == "state"
                meta = json.loads(other.recv(timeout=60))  # the newest frame, paused or not
                assert (meta["type"], meta["kind"], meta["frame"]) == ("frame", "still", 2)
                assert other.recv(timeout=60)[:3] == b"\xff\xd8\xff"
            # Ctrl-C with a page connected: the server stops cleanly.
            live.proc.send_signal(signal.SIGINT)
            assert live.proc.wait(timeout=20) == 0
    assert "Stopped." in "".join(live.out)
    assert "Traceback" not in "".join(live.err)


def test_a_page_from_elsewhere_cannot_open_the_socket(tmp_path: Path) -> None:
    with running(SMALL, tmp_path) as live:
        host = live.url.removeprefix("http://")
        with pytest.raises(InvalidStatus, match="403"):
            connect(f"ws://{host}/ws", origin="http://evil.example", open_timeout=30)
        with connect(f"ws://{host}/ws", origin=live.url, open_timeout=30) as ws:
            assert json.loads(ws.recv(timeout=60))["type"] == "state"


def test_a_sketch_reloads_shows_its_errors_and_keeps_the_last_good_frame(
        tmp_path: Path) -> None:
    write_sketch(tmp_path, 0.1)
    with running([*SMALL, "sketch.py"], tmp_path) as live, \
            httpx.Client(base_url=live.url, timeout=120) as client:
        assert post(client, "/set", {"playing": False, "frame": 0,
                                     "live-tint.amount": 0.9}).status_code == 200
        first = client.get("/frame.png").content
        version = client.get("/state.json").json()["version"]

        write_atomic(tmp_path / "helper.py", "POSITION = 0.95\n")  # a helper module
        state = state_when(client, lambda s: s["version"] > version)
        assert state["notice"] == "reloaded sketch.py" and state["error"] is None
        tint = next(g for g in state["layers"] if g["prefix"] == "live-tint")
        values = {p["name"]: p["value"] for p in tint["params"]}
        assert values == {"position": 0.95, "amount": 0.9}  # the page's value holds
        assert client.get("/frame.png").content != first
        still = client.get("/frame.png")  # paused: the still, at full size
        assert still.headers["x-wiktoria-kind"] == "still"
        assert png_size(still.content) == (96, 64)
        second = still.content

        sketch = tmp_path / "sketch.py"
        good = sketch.read_text()
        write_atomic(sketch, good + "\nthis is not python(\n")
        state = state_when(client, lambda s: s["error"] is not None)
        assert state["error"]["message"].startswith("sketch.py: SyntaxError")
        assert "Traceback" in state["error"]["traceback"]
        assert client.get("/frame.png").content == second  # the last good painting stays

        write_atomic(sketch, good.replace('"serene"', '"seething"'))
        state = state_when(client, lambda s: s["error"] is None)
        assert state["mood"]["name"] == "seething"


def test_a_scene_file_reloads(tmp_path: Path) -> None:
    from wiktoria.render.painting import build_scene

    base, _ = build_scene("aloof", (96, 64), 4, "flow")
    path = tmp_path / "scene.toml"
    path.write_text(base.to_toml())
    with running([*SMALL, "scene.toml", "--seed", "8", "--mood", "seething"], tmp_path) as live, \
            httpx.Client(base_url=live.url, timeout=120) as client:
        state = client.get("/state.json").json()
        assert state["seed"] == 8 and state["source"] == "scene.toml"
        assert state["mood"]["name"] == "seething"
        write_atomic(path, base.override({"air.warp": 0.5}).to_toml())
        state = state_when(client, lambda s: s["notice"] == "reloaded scene.toml")
        scene = Scene.from_toml(client.get("/scene.toml").text)
        assert scene.layer("air").warp == 0.5 and scene.seed == 8
        assert scene.mood.name == "seething"  # the command line's choices hold
        write_atomic(path, "[canvas\n")
        state = state_when(client, lambda s: s["error"] is not None)
        assert "malformed TOML" in state["error"]["message"]
        # "Save scene" writes the scene shown back to its file.
        assert post(client, "/save", {"what": "scene"}).json()["saved"] == "scene.toml"
        assert Scene.from_toml(path.read_text()).seed == 8


def test_bad_input_exits_2_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from wiktoria.cli import cli

    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["live", "missing.toml", "--no-open"])
    assert res.exit_code == 2 and res.output.strip().startswith("Error: no such file")
    (tmp_path / "bad.py").write_text("scene = 3\n")
    res = CliRunner().invoke(cli, ["live", "bad.py", "--no-open"])
    assert res.exit_code == 2 and "must define scene" in res.output
    assert len(res.output.strip().splitlines()) == 1
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = CliRunner().invoke(cli, ["live", *SMALL, "--port", str(port), "--no-open"])
    assert res.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in res.output


def test_a_layer_failing_on_a_value_shows_the_error_and_keeps_the_frame(
        tmp_path: Path) -> None:
    write_sketch(tmp_path, 0.1)
    sketch = tmp_path / "sketch.py"
    write_atomic(sketch, sketch.read_text().replace(
        "    colour = frame.ramp(",
        "    if layer.amount > 0.99:\n        raise ValueError('too much tint')\n"
        "    colour = frame.ramp("))
    with running([*SMALL, "sketch.py"], tmp_path) as live, \
            httpx.Client(base_url=live.url, timeout=120) as client:
        assert post(client, "/set", {"playing": False, "frame": 1}).status_code == 200
        good = client.get("/frame.png").content
        assert post(client, "/set", {"live-tint.amount": 1.0}).status_code == 200
        assert client.get("/frame.png").content == good  # rendering it failed: the last good
        state = client.get("/state.json").json()
        assert state["error"]["message"] == "ValueError: too much tint"
        assert post(client, "/set", {"live-tint.amount": 0.5}).status_code == 200
        assert client.get("/frame.png").content != good
        state_when(client, lambda s: s["error"] is None)


def test_without_the_live_extra_the_command_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from click.testing import CliRunner

    from wiktoria.cli import cli

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "uvicorn" else real(name, *a))
    res = CliRunner().invoke(cli, ["live", "--no-open"])
    assert res.exit_code == 2
    assert res.output == "Error: wiktoria live needs uvicorn: pip install 'wiktoria[live]'\n"


def test_connections_send_small_messages_at_once() -> None:
    """A frame travels as two messages (its announcement, then its JPEG); with Nagle's
    algorithm on, the JPEG waited for the announcement's ACK, which the page delays (~40 ms a
    frame). asyncio turns it off (TCP_NODELAY) only on sockets whose protocol says TCP, and
    the connections accepted inherit the listening socket's."""
    import asyncio

    from wiktoria.live.server import bind

    sock = bind("127.0.0.1", 0)
    nodelay: list[int] = []

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: Any) -> None:
            conn = transport.get_extra_info("socket")
            nodelay.append(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        async with server:
            reader, writer = await asyncio.open_connection(*sock.getsockname()[:2])
            await reader.read()  # the server closes it
            writer.close()

    asyncio.run(main())
    assert len(nodelay) == 1 and nodelay[0] != 0


def test_a_loop_being_saved_counts_its_frames_and_is_saved_once(tmp_path: Path) -> None:
    import threading

    with running([*SMALL, "--mood", "serene", "--seed", "2"], tmp_path) as live, \
            httpx.Client(base_url=live.url, timeout=120) as client:
        assert client.get("/saving.json").json() == {"saving": []}
        assert post(client, "/set", {"duration": 6.0}).status_code == 200
        frames = client.get("/state.json").json()["frames"]
        answer: dict[str, httpx.Response] = {}
        saver = threading.Thread(target=lambda: answer.setdefault(
            "loop", post(client, "/save", {"what": "loop", "name": "counted.gif"})))
        saver.start()
        seen: list[dict[str, Any]] = []
        deadline = time.monotonic() + 120
        while saver.is_alive() and time.monotonic() < deadline:
            got = client.get("/saving.json")
            assert got.headers["cache-control"] == "no-store"
            seen += got.json()["saving"]
            if seen and seen[-1]["total"] and seen[-1]["done"] < seen[-1]["total"] and \
                    "again" not in answer:
                answer["again"] = post(client, "/save", {"what": "loop"})
            time.sleep(0.05)
        saver.join(timeout=120)
        assert answer["loop"].status_code == 200, answer["loop"].text
        assert answer["loop"].json()["saved"] == "counted.gif"
        counted = [s for s in seen if s["what"] == "loop" and s["total"]]
        assert counted and all(s["total"] == frames for s in counted)
        done = [s["done"] for s in counted]
        assert done == sorted(done) and 0 <= done[0] < frames
        # A second loop while the first is being written: refused, in one line.
        again = answer["again"]
        assert again.status_code == 409 and again.text.strip() == \
            "POST /save: a loop is already being saved"
        assert client.get("/saving.json").json() == {"saving": []}
        assert (tmp_path / "counted.gif").exists()
