"""The live server: a Starlette app, a render thread, a file watcher, and uvicorn to run them.

Frames travel as binary JPEG messages over one WebSocket per page, one in flight per page:
the server sends a frame, the page draws it and answers ``ack``; frames rendered meanwhile are
dropped, the page always gets the newest (a slow tab never holds the others back). Each frame
is announced by a JSON text message (``{"type": "frame", ...}``); the state of the controls
travels as ``{"type": "state", ...}`` after every change.

One render thread renders while a page is connected (or a request waits for a frame): the
loop at the preview size while it plays, and, once paused, the frame at the preview size then
at full size. It always takes the newest state, so a change shows as soon as the frame being
rendered is done.

With ``jobs`` of 2 or more, worker processes render the playing loop once a state has held
a moment; a change's first frames are still the render thread's (:mod:`wiktoria.live.workers`).

HTTP interface:

=====================  ==========================================================================
``GET /``              the page
``GET /frame.png``     the current frame: the preview; paused, the still at full size
``GET /scene.toml``    the current scene, with its loop
``GET /state.json``    the controls: every parameter with its type, range and value; the error
``POST /set``          JSON ``{"layer.param": value, "seed": 3, "mood": "serene", ...}``
``POST /save``         JSON ``{"what": "still" | "loop" | "scene", "name": optional file name}``;
                       answers when the file is written (one loop at a time: 409 meanwhile)
``GET /saving.json``   the saves under way: ``{"saving": [{"what", "done", "total"}]}`` (a loop
                       counts its frames; the page shows it while it waits)
``WS /ws``             frames and state (see above)
=====================  ==========================================================================

Requests whose ``Host`` is not the server's get a 400 (against DNS rebinding); ``POST`` bodies
must be ``application/json`` (so a page elsewhere cannot post a plain form); bad requests get a
4xx whose body is one line saying why.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import ipaddress
import json
import socket
import threading
import time
import traceback
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from PIL import Image

from wiktoria.common.parallel import serial, usable_cpus
from wiktoria.common.progress import Counter
from wiktoria.io.png import png_bytes
from wiktoria.live.session import Session
from wiktoria.live.source import is_sketch, load_scene, watched
from wiktoria.live.workers import Playback, check_live_jobs, default_jobs
from wiktoria.render import render
from wiktoria.render.compositor import Cancelled

__all__ = ["Frame", "LiveServer", "bind", "is_loopback", "jpeg", "serve"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``127.0.0.1``, ``::1``, ``localhost``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Frame:
    """A rendered frame: the state it shows and its pixels."""

    version: int
    index: int
    kind: str  # "preview" or "still"
    pixels: np.ndarray
    jpeg: bytes
    render_ms: float
    seq: int = 0
    source: str = "server"  # who rendered it: "server" (this process) or "N workers"


@dataclass(eq=False)
class _Client:
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    ack: bool = True
    state: bool = True
    sent: int = 0


def jpeg(pixels: np.ndarray, quality: int = 85) -> bytes:
    """A preview frame's bytes: JPEG (0.3-1 ms for 384x384, far cheaper than PNG or WebP)."""
    buf = io.BytesIO()
    Image.fromarray(pixels, mode="RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class LiveServer:
    """The pieces of a live session's server; :meth:`app` is the ASGI application.

    Parameters
    ----------
    session : Session
    source : path, optional
        The scene file or sketch to watch and reload.
    hosts : list of str
        Host names the server answers to (its address, ``localhost``...).
    quality : int
        JPEG quality of the frames sent to the pages.
    jobs : int, optional
        Processes rendering the playing loop: 1, this one; ``N >= 2``, ``N`` worker processes
        (:class:`~wiktoria.live.workers.Playback`; shut down with the server), at most the
        usable CPUs. Default: 2 with 2 CPUs or more, else 1
        (:func:`~wiktoria.live.workers.default_jobs`).
    """

    def __init__(self, session: Session, *, source: str | Path | None = None,
                 hosts: list[str] | None = None, quality: int = 85,
                 jobs: int | None = None) -> None:
        # More workers than usable CPUs would only take turns on them: capped, as every
        # command's --jobs is (the CLI says so).
        self.jobs = default_jobs() if jobs is None else min(check_live_jobs(jobs), usable_cpus())
        self.session = session
        self.source = None if source is None else Path(source).resolve()
        self.hosts = list(hosts or ["127.0.0.1", "localhost"])
        self.quality = quality
        self.frame: Frame | None = None
        self.failed_version = -1
        self.clients: set[_Client] = set()
        self.demand = 0
        self.reloads = 0
        self._render_error = False
        self._seq = 0
        self._waiters: list[asyncio.Event] = []
        #: The saves under way, by what they save, each with its progress counter.
        self.saving: dict[str, Counter] = {}
        #: Frames given up because the state changed while they were rendered.
        self.cancelled = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: Which states the worker processes render, and when.
        self.playback = Playback(self.jobs, self.source.parent if self.source is not None
                                 and is_sketch(self.source) else None)

    workers = property(lambda self: self.playback.workers, doc="The worker processes, or None")

    # ---- the render thread ---------------------------------------------------------------

    def _active(self) -> bool:
        return bool(self.clients) or self.demand > 0

    def _render_loop(self) -> None:
        session = self.session
        done: tuple[int, int, str] | None = None
        failed: tuple[int, int] | None = None
        while not self._stop.is_set():
            with session.changed:
                if not self._active():
                    self.playback.idle()  # nobody watches
                    session.changed.wait(0.5)
                    continue
            snap = session.snapshot()
            key = (snap.version, snap.frame)
            if key == failed:
                with session.changed:
                    session.changed.wait(0.5)
                continue
            if done is not None and done[:2] == key:
                if snap.playing or done[2] == "still":
                    with session.changed:  # the next frame of the loop, or a change
                        session.changed.wait(0.01 if snap.playing else 0.5)
                    continue
                kind = "still"
            else:
                kind = "preview"
            scene = snap.scene if kind == "still" else session.preview_scene(snap.scene)
            ahead = self.playback.ahead(snap.version, scene) if snap.playing else None
            if ahead is None:
                self.playback.idle()  # paused, or this state plays here
            else:
                shown = self._from_ahead(snap, ahead.jobs)
                if shown is not None:
                    done = shown
                    continue
                if ahead.delivered:  # the workers serve this state: wait for theirs
                    ahead.wait(0.02)
                    continue
            loop = scene.loop
            assert loop is not None
            start = time.perf_counter()
            try:
                # A frame whose state changes meanwhile is given up: the new state's is wanted.
                # While the workers warm up on it, one thread here: they get the other CPUs.
                with serial() if ahead is not None and ahead.busy else contextlib.nullcontext():
                    pixels = render(replace(scene, loop=replace(loop, frame=snap.frame)),
                                    cancel=lambda v=snap.version: session.version != v)
                encoded = jpeg(pixels, 92 if kind == "still" else self.quality)
            except Cancelled:
                self.cancelled += 1
                continue
            except Exception as exc:  # a layer failing on these values: show it, keep the last
                failed = key
                self._render_error = True
                session.set_error(_one_line(exc), traceback.format_exc())
                self._publish_threadsafe(None, snap.version)
                continue
            ms = (time.perf_counter() - start) * 1000.0
            done = (snap.version, snap.frame, kind)
            if self._render_error:
                self._render_error = False
                session.set_error(None)
            self._publish_threadsafe(Frame(snap.version, snap.frame, kind, pixels, encoded, ms),
                                     snap.version)
            if ahead is not None and session.version == snap.version:
                # The change's first frames are this process's; the workers warm up meanwhile.
                ahead.shown(snap.frame)
                self.playback.fill(snap.version, session.frame())

    def _from_ahead(self, snap: Any, jobs: int) -> tuple[int, int, str] | None:
        """Publish a frame the workers finished for ``snap``'s state, if one is due."""
        taken = self.playback.take(snap.version, snap.frame)
        encoded = None if taken is None else jpeg(taken[1], self.quality)
        if taken is None or encoded is None or self.session.version != snap.version:
            return None  # none, or a change meanwhile: never an old state's frame after it
        if self._render_error:
            self._render_error = False
            self.session.set_error(None)
        self._publish_threadsafe(Frame(snap.version, taken[0], "preview", taken[1], encoded,
                                       taken[2] * 1000.0, source=f"{jobs} workers"), snap.version)
        return (snap.version, taken[0], "preview")

    def _publish_threadsafe(self, frame: Frame | None, version: int) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(self._publish, frame, version)

    def _publish(self, frame: Frame | None, version: int) -> None:
        if frame is None:
            self.failed_version = max(self.failed_version, version)
        elif self.frame is not None and frame.version < self.frame.version:
            return  # finished after a newer state's frame: never shown
        else:
            self._seq += 1
            frame.seq = self._seq
            self.frame = frame
        for client in self.clients:
            client.wake.set()
        for ev in self._waiters:
            ev.set()

    def _state_changed(self) -> None:
        for client in self.clients:
            client.state = True
            client.wake.set()

    def _listener(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._state_changed)

    async def _wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            ev = asyncio.Event()
            self._waiters.append(ev)
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(ev.wait(), remaining)
            finally:
                self._waiters.remove(ev)
        return True

    # ---- reloading -----------------------------------------------------------------------

    def reload(self) -> bool:
        """Read the source again; on success show it, else show the error and keep the last
        good scene. Returns whether it succeeded."""
        assert self.source is not None
        session = self.session
        try:
            base = load_scene(self.source)
            trial = session.preview_scene(session.candidate(base))
            loop = trial.loop
            assert loop is not None
            render(replace(trial, loop=replace(loop, frame=session.frame() % loop.frames)))
        except BaseException as exc:  # a sketch may raise anything, SystemExit included
            if isinstance(exc, KeyboardInterrupt):
                raise
            session.set_error(f"{self.source.name}: {_one_line(exc)}", traceback.format_exc())
            return False
        dropped = session.reload(base)
        session.notice = (f"reloaded {self.source.name}" + (
            f"; dropped settings it no longer has: {', '.join(dropped)}" if dropped else ""))
        self.reloads += 1
        return True

    async def _watch(self, stop: asyncio.Event) -> None:
        from watchfiles import awatch

        assert self.source is not None
        source = self.source

        def accept(change: Any, path: str) -> bool:
            return watched(source, Path(path))

        async for _changes in awatch(source.parent, watch_filter=accept, stop_event=stop):
            if source.exists():  # an atomic save: the file is back
                await asyncio.get_running_loop().run_in_executor(None, self.reload)

    # ---- the application -----------------------------------------------------------------

    def app(self) -> Any:
        """The Starlette application (its lifespan runs the render thread and the watcher)."""
        from starlette.applications import Starlette
        from starlette.middleware import Middleware
        from starlette.middleware.trustedhost import TrustedHostMiddleware
        from starlette.routing import Route, WebSocketRoute

        @contextlib.asynccontextmanager
        async def lifespan(app: Any) -> AsyncIterator[None]:
            self._loop = asyncio.get_running_loop()
            self._stop.clear()
            self.session.listeners.append(self._listener)
            self._thread = threading.Thread(target=self._render_loop, name="wiktoria-live",
                                            daemon=True)
            self._thread.start()
            stop = asyncio.Event()
            watcher = asyncio.create_task(self._watch(stop)) if self.source else None
            try:
                yield
            finally:
                stop.set()
                self._stop.set()
                self.session.wake()
                if watcher is not None:
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await asyncio.wait_for(watcher, 2.0)
                await asyncio.get_running_loop().run_in_executor(None, self._thread.join, 10.0)
                self.session.listeners.remove(self._listener)
                # No worker process outlives the server.
                await asyncio.get_running_loop().run_in_executor(None, self.playback.close)

        routes = [
            Route("/", self._page),
            Route("/frame.png", self._frame_png),
            Route("/scene.toml", self._scene_toml),
            Route("/state.json", self._state_json),
            Route("/set", self._set, methods=["POST"]),
            Route("/save", self._save, methods=["POST"]),
            Route("/saving.json", self._saving_json),
            WebSocketRoute("/ws", self._ws),
        ]
        middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=self.hosts)]
        return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)

    # ---- routes --------------------------------------------------------------------------

    @staticmethod
    def _error(status: int, reason: str) -> Any:
        from starlette.responses import PlainTextResponse

        return PlainTextResponse(reason.splitlines()[0] + "\n", status_code=status)

    async def _page(self, request: Any) -> Any:
        from starlette.responses import HTMLResponse

        html = resources.files("wiktoria.live").joinpath("page.html").read_text("utf-8")
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    async def _frame_png(self, request: Any) -> Any:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import Response

        snap = self.session.snapshot()
        version = snap.version

        def ready() -> bool:  # paused: the still, at full size
            frame = self.frame
            return frame is not None and (frame.version > version or (
                frame.version == version and (snap.playing or frame.kind == "still")))

        self.demand += 1
        self.session.wake()
        try:
            ok = await self._wait(lambda: ready() or self.failed_version >= version, 300.0)
        finally:
            self.demand -= 1
        frame = self.frame
        if frame is None:
            reason = (self.session.error or {}).get("message") or "no frame rendered yet"
            return self._error(503 if not ok else 500, f"no frame: {reason}")
        data = await run_in_threadpool(png_bytes, frame.pixels)
        headers = {"Cache-Control": "no-store", "X-Wiktoria-Version": str(frame.version),
                   "X-Wiktoria-Frame": str(frame.index), "X-Wiktoria-Kind": frame.kind,
                   "X-Wiktoria-Source": frame.source}
        return Response(data, media_type="image/png", headers=headers)

    async def _scene_toml(self, request: Any) -> Any:
        from starlette.responses import PlainTextResponse

        return PlainTextResponse(self.session.scene().to_toml(), media_type="application/toml",
                                 headers={"Cache-Control": "no-store"})

    async def _state_json(self, request: Any) -> Any:
        from starlette.responses import JSONResponse

        return JSONResponse(self.session.controls(), headers={"Cache-Control": "no-store"})

    async def _saving_json(self, request: Any) -> Any:
        from starlette.responses import JSONResponse

        saving = [{"what": what, "done": c.done, "total": c.total}
                  for what, c in list(self.saving.items())]
        return JSONResponse({"saving": saving}, headers={"Cache-Control": "no-store"})

    async def _json_body(self, request: Any, what: str) -> Any:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise _BadRequest(415, f"{what} takes a JSON body (Content-Type: application/json), "
                                   f"got {kind or 'none'!r}")
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError) as exc:
            raise _BadRequest(400, f"{what}: malformed JSON: {exc}") from None
        if not isinstance(body, dict):
            raise _BadRequest(400, f"{what} takes a JSON object, got {type(body).__name__}")
        return body

    async def _set(self, request: Any) -> Any:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import JSONResponse

        try:
            body = await self._json_body(request, "POST /set")
            await run_in_threadpool(self.session.set, body)
        except _BadRequest as exc:
            return self._error(exc.status, exc.reason)
        except (ValueError, TypeError, LookupError) as exc:
            message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
            return self._error(422, message or type(exc).__name__)
        return JSONResponse({"version": self.session.version})

    async def _save(self, request: Any) -> Any:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import JSONResponse

        savers = {"still": self.session.save_still, "loop": self.session.save_loop,
                  "scene": self.session.save_scene}
        try:
            body = await self._json_body(request, "POST /save")
            what = body.get("what")
            if what not in savers:
                raise _BadRequest(422, f"POST /save: what must be one of still, loop, scene; "
                                       f"got {what!r}")
            unknown = set(body) - {"what", "name"}
            if unknown:
                raise _BadRequest(422, f"POST /save: unknown key {sorted(unknown)[0]!r}; "
                                       "valid: what, name")
            if what in self.saving:
                raise _BadRequest(409, f"POST /save: a {what} is already being saved")
            counter = self.saving[what] = Counter()
            try:
                if what == "loop":
                    path = await run_in_threadpool(savers[what], body.get("name"), counter)
                else:
                    path = await run_in_threadpool(savers[what], body.get("name"))
            finally:
                del self.saving[what]
        except _BadRequest as exc:
            return self._error(exc.status, exc.reason)
        except (ValueError, TypeError, OSError) as exc:
            return self._error(422, str(exc) or type(exc).__name__)
        return JSONResponse({"saved": Path(path).name, "what": what})

    def _origin_ok(self, origin: str | None) -> bool:
        if origin is None:
            return True  # not a browser (a script)
        host = urlsplit(origin).hostname or ""
        return host in self.hosts or f"[{host}]" in self.hosts

    async def _ws(self, ws: Any) -> None:
        from starlette.websockets import WebSocketDisconnect

        if not self._origin_ok(ws.headers.get("origin")):
            await ws.close(code=1008)
            return
        await ws.accept()
        client = _Client()
        client.wake.set()  # the state and the newest frame, at once
        self.clients.add(client)
        self.session.wake()
        writer = asyncio.create_task(self._writer(ws, client))
        try:
            while True:
                message = await ws.receive_text()
                if message == "ack":
                    client.ack = True
                    client.wake.set()
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            self.clients.discard(client)
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await writer

    async def _writer(self, ws: Any, client: _Client) -> None:
        while True:
            await client.wake.wait()
            client.wake.clear()
            if client.state:
                client.state = False
                await ws.send_text(json.dumps({"type": "state", **self.session.controls()}))
            frame = self.frame
            if client.ack and frame is not None and frame.seq > client.sent:
                client.ack = False
                client.sent = frame.seq
                h, w = frame.pixels.shape[:2]
                await ws.send_text(json.dumps({
                    "type": "frame", "version": frame.version, "frame": frame.index,
                    "kind": frame.kind, "width": w, "height": h,
                    "render_ms": round(frame.render_ms, 1), "source": frame.source}))
                await ws.send_bytes(frame.jpeg)


class _BadRequest(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port).

    Raises
    ------
    OSError
        The port is taken or the address is not this machine's: one line naming them.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets
    # whose protocol says TCP, and the accepted connections inherit it. Without it a frame's
    # JPEG waited for the ACK of its announcement, held back ~40 ms by the page's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def serve(server: LiveServer, sock: socket.socket,
          on_started: Callable[[], None] | None = None) -> None:
    """Run ``server`` on ``sock`` until Ctrl-C (in the main thread) or until
    :attr:`uvicorn.Server.should_exit` is set; the render thread and the watcher stop with
    it."""
    import uvicorn

    config = uvicorn.Config(server.app(), log_level="warning", ws_per_message_deflate=False,
                            timeout_graceful_shutdown=2, lifespan="on")
    userver = uvicorn.Server(config)
    if on_started is not None:
        def watch_start() -> None:
            while not userver.started and not userver.should_exit:
                time.sleep(0.02)
            if userver.started:
                on_started()

        threading.Thread(target=watch_start, daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn shut down gracefully already
        userver.run(sockets=[sock])
