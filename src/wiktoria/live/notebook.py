"""Explore a painting in a notebook: ``wiktoria.explore()`` (issue 16).

An :class:`Explorer` is a widget (ipywidgets, in the ``notebook`` extra) with the controls of
the live page, built from the same :class:`~wiktoria.live.session.Session`: the mood (a named
mood, or any point of the valence/arousal plane), the seed (previous, next, random, typed),
the style, every layer parameter with its declared type and range, the loop's duration,
play/pause and a frame slider; and a preview, rendered by one background thread that always
takes the newest state (a burst of slider moves renders once, with the last values). It works
wherever ipywidgets do (JupyterLab, Notebook, VS Code).

The current state is at hand from Python: :attr:`Explorer.scene` is the scene shown (it
reproduces the painting anywhere), :meth:`Explorer.painting` renders the frame shown at full
size, :meth:`Explorer.set` changes values as the controls do.

Examples
--------
>>> import wiktoria
>>> ex = wiktoria.explore("serene", seed=3, size=(320, 180), preview=96)
>>> ex.set({"air.clouds": 0.6, "seed": 4})
>>> ex.wait()
True
>>> layers = {layer.type: layer for layer in ex.scene.layers}
>>> ex.scene.seed, layers["air"].clouds, ex.preview.format
(4, 0.6, 'jpeg')
>>> ex.close()
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from wiktoria.live.server import jpeg
from wiktoria.live.session import Session
from wiktoria.motion.animation import FramePlan
from wiktoria.render.compositor import render
from wiktoria.render.painting import Painting, build_scene
from wiktoria.scene import Scene

__all__ = ["Explorer", "explore"]

#: Frames a second the preview plays at (at most: a frame shows when it is rendered).
PLAY_FPS = 12.0


class Explorer:
    """A live preview of a painting with its controls, for a notebook.

    Made by :func:`explore`; display it (it is the last value of a cell, or
    ``display(explorer)``) to see the widget.

    Parameters
    ----------
    session : Session
        The state: the scene shown and the choices made on it.
    start : bool
        Start the preview thread now (tests may start it themselves).
    """

    def __init__(self, session: Session, *, start: bool = True) -> None:
        import ipywidgets as w

        self.session = session
        self._w = w
        self._syncing = False
        self._shown = -1  # the state version the preview shows
        self._stop = threading.Event()
        self._done = threading.Condition()
        self.preview = w.Image(format="jpeg", layout=w.Layout(max_width="100%"))
        self.status = w.HTML()
        self.error = w.HTML()
        self._layers = w.Accordion()
        self._build_top()
        self._build_layers()
        self.widget = w.VBox([self.preview, self.status, self.error, self._top, self._layers])
        self._thread = threading.Thread(target=self._run, name="wiktoria-explore", daemon=True)
        if start:
            self._thread.start()

    # ---- the controls --------------------------------------------------------------------

    def _build_top(self) -> None:
        w = self._w
        c = self.session.controls()
        names = [m["name"] for m in c["moods"]]
        self.mood = w.Dropdown(options=names + ([] if c["mood"]["name"] in names
                                                 else [c["mood"]["name"]]),
                               value=c["mood"]["name"], description="mood")
        self.valence = w.FloatSlider(value=c["mood"]["valence"], min=-1, max=1, step=0.01,
                                     description="valence", continuous_update=False)
        self.arousal = w.FloatSlider(value=c["mood"]["arousal"], min=-1, max=1, step=0.01,
                                     description="arousal", continuous_update=False)
        self.style = w.Dropdown(options=c["styles"], value=c["style"], description="style")
        self.seed = w.IntText(value=c["seed"], description="seed")
        prev, nxt, rnd = (w.Button(description=d, layout=w.Layout(width="auto"))
                          for d in ("◀", "▶", "random"))
        prev.on_click(lambda _: self.set({"seed": max(0, self.session.scene().seed - 1)}))
        nxt.on_click(lambda _: self.set({"seed": self.session.scene().seed + 1}))
        rnd.on_click(lambda _: self.set({"seed": int(np.random.default_rng().integers(2**31))}))
        self.duration = w.FloatSlider(value=c["duration"], min=0.5, max=60, step=0.1,
                                      description="duration", continuous_update=False)
        self.playing = w.ToggleButton(value=c["playing"], description="play",
                                      icon="play")
        self.frame = w.IntSlider(value=c["frame"], min=0, max=c["frames"] - 1,
                                 description="frame", continuous_update=True)
        self.mood.observe(lambda ch: self._on("mood", ch["new"]), names="value")
        for s in (self.valence, self.arousal):
            s.observe(lambda ch: self._on("mood", [self.valence.value, self.arousal.value]),
                      names="value")
        self.style.observe(lambda ch: self._on("style", ch["new"]), names="value")
        self.seed.observe(lambda ch: self._on("seed", ch["new"]), names="value")
        self.duration.observe(lambda ch: self._on("duration", ch["new"]), names="value")
        self.playing.observe(lambda ch: self._on("playing", ch["new"]), names="value")
        self.frame.observe(lambda ch: self._on("frame", ch["new"]), names="value")
        self._top = w.VBox([
            w.HBox([self.mood, self.style]),
            w.HBox([self.valence, self.arousal]),
            w.HBox([self.seed, prev, nxt, rnd]),
            w.HBox([self.playing, self.frame, self.duration]),
        ])

    def _control(self, p: Mapping[str, Any]) -> Any:
        w = self._w
        key, kind = p["key"], p["kind"]
        common = {"description": p["name"], "tooltip": p["doc"],
                  "style": {"description_width": "initial"}}
        if p["choices"]:
            widget = w.Dropdown(options=p["choices"], value=p["value"], **common)
        elif kind == "int":
            widget = w.IntSlider(value=p["value"], min=int(p["lo"]), max=int(p["hi"]),
                                 continuous_update=False, **common)
        elif kind == "bool":
            widget = w.Checkbox(value=bool(p["value"]), **common)
        else:
            lo, hi = float(p["lo"]), float(p["hi"])
            widget = w.FloatSlider(value=float(p["value"]), min=lo, max=hi,
                                   step=(hi - lo) / 500, readout_format=".3g",
                                   continuous_update=False, **common)
        widget.observe(lambda ch, key=key: self._on(key, ch["new"]), names="value")
        return widget

    def _build_layers(self) -> None:
        groups = self.session.controls()["layers"]
        self._params: dict[str, Any] = {}
        children, titles = [], []
        for g in groups:
            controls = [self._control(p) for p in g["params"]]
            self._params.update({p["key"]: c for p, c in zip(g["params"], controls,
                                                             strict=True)})
            children.append(self._w.VBox(controls))
            titles.append(f"{g['prefix']}: {g['summary']}")
        self._layers.children = children
        for i, t in enumerate(titles):
            self._layers.set_title(i, t)
        self._shape = [(g["prefix"], tuple(p["key"] for p in g["params"])) for g in groups]

    def _sync(self) -> None:
        """Show the session's values on the controls (a new mood or style changes them)."""
        c = self.session.controls()
        self._syncing = True
        try:
            if [(g["prefix"], tuple(p["key"] for p in g["params"]))
                    for g in c["layers"]] != self._shape:
                self._build_layers()
            for g in c["layers"]:
                for p in g["params"]:
                    widget = self._params[p["key"]]
                    if widget.value != p["value"]:
                        widget.value = p["value"]
            names = list(self.mood.options)
            if c["mood"]["name"] not in names:
                self.mood.options = [*names, c["mood"]["name"]]
            self.mood.value = c["mood"]["name"]
            self.valence.value, self.arousal.value = c["mood"]["valence"], c["mood"]["arousal"]
            self.style.value = c["style"]
            self.seed.value = c["seed"]
            self.duration.value = min(self.duration.max, c["duration"])
            self.frame.max = c["frames"] - 1
            self.playing.value = c["playing"]
            self.playing.icon = "pause" if c["playing"] else "play"
        finally:
            self._syncing = False

    def _on(self, key: str, value: Any) -> None:
        """A control moved: apply it, or show why not and put the controls back."""
        if self._syncing:
            return
        try:
            self.set({key: value})
        except (ValueError, TypeError) as exc:
            self.error.value = f"<span style='color:#c33'>{_escape(str(exc))}</span>"
            self._sync()

    # ---- Python --------------------------------------------------------------------------

    def set(self, values: Mapping[str, Any]) -> None:
        """Change values as the controls do: ``{"layer.param": value}``, ``mood``, ``style``,
        ``seed``, ``duration``, ``playing``, ``frame`` (see
        :meth:`wiktoria.live.session.Session.set`).

        Raises
        ------
        ValueError, TypeError
            A bad key or value, in one line; nothing changes.
        """
        self.session.set(values)
        self.error.value = ""
        self._sync()

    @property
    def scene(self) -> Scene:
        """The scene shown, with its loop (at frame 0): it reproduces the painting."""
        return self.session.scene()

    def painting(self) -> Painting:
        """The frame shown, rendered at full size (its scene embedded when saved)."""
        snap = self.session.snapshot()
        return FramePlan(snap.scene).painting(snap.frame)

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until the preview shows the current state (True), or ``timeout`` seconds
        pass (False)."""
        end = time.monotonic() + timeout
        with self._done:
            while self._shown != self.session.snapshot().version:
                left = end - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._done.wait(min(left, 0.1))
        return True

    def close(self) -> None:
        """Stop the preview thread and close the widgets."""
        self._stop.set()
        self.session.wake()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self.widget.close()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def __repr__(self) -> str:
        s = self.scene
        return f"<Explorer {s.mood.name} {s.style} seed {s.seed} {s.size[0]}x{s.size[1]}>"

    # ---- the preview thread --------------------------------------------------------------

    def _run(self) -> None:
        session = self.session
        done: tuple[int, int] | None = None
        while not self._stop.is_set():
            snap = session.snapshot()
            key = (snap.version, snap.frame)
            if key == done:
                with session.changed:
                    session.changed.wait(1.0 / PLAY_FPS if snap.playing else 0.5)
                continue
            scene = session.preview_scene(snap.scene)
            loop = scene.loop
            assert loop is not None
            start = time.perf_counter()
            try:
                pixels = render(replace(scene, loop=replace(loop, frame=snap.frame)))
            except Exception as exc:  # a layer failing on these values: say so, keep the last
                self.error.value = f"<span style='color:#c33'>{_escape(str(exc))}</span>"
                done = key
                self._mark(snap.version)
                continue
            self.preview.value = jpeg(pixels)
            ms = (time.perf_counter() - start) * 1000.0
            self.status.value = (f"<small>{snap.scene.mood.name}, {snap.scene.style}, seed "
                                 f"{snap.scene.seed}: frame {snap.frame + 1}/{loop.frames}, "
                                 f"preview {scene.size[0]}x{scene.size[1]} in {ms:.0f} ms"
                                 "</small>")
            done = key
            self._mark(snap.version)
            if snap.playing:  # keep the frame slider with the loop, without a new state
                self._syncing = True
                try:
                    self.frame.value = snap.frame
                finally:
                    self._syncing = False

    def _mark(self, version: int) -> None:
        with self._done:
            self._shown = version
            self._done.notify_all()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def explore(mood: Any = "seething", *, style: str = "landscape", seed: int | None = None,
            size: tuple[int, int] = (1280, 720), preview: int = 384,
            scene: Scene | str | Path | None = None) -> Explorer:
    """A widget to explore a painting in a notebook: the live page's controls and preview.

    Parameters
    ----------
    mood : str or Mood
        A mood's name or alias, ``"valence,arousal"``, or a :class:`~wiktoria.Mood`.
    style : str
        A registered style.
    seed : int, optional
        Drawn at random if None (the scene records it).
    size : (int, int)
        The full size: :meth:`Explorer.painting` and the scene's canvas.
    preview : int
        Long side of the preview, pixels.
    scene : Scene or path, optional
        Start from this scene (or a scene file, or a PNG/SVG/GIF carrying one) instead.

    Returns
    -------
    Explorer
        Display it to see the widget; ``.scene``, ``.painting()``, ``.set()`` from Python. It
        starts paused on frame 0 (its play button, or ``.set({"playing": True})``, plays the
        loop), so a kernel is not kept busy by a loop nobody watches.
    """
    if scene is not None:
        if not isinstance(scene, Scene):
            from wiktoria.live.source import load_scene

            scene = load_scene(scene)
        base = scene
    else:
        base, _ = build_scene(mood, size, seed, style)
    session = Session(base, Path.cwd(), preview=preview)
    session.set({"playing": False})  # paused on frame 0 until the play button: a notebook
    return Explorer(session)         # kernel is not kept busy by a loop nobody watches
