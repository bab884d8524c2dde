"""Fixtures of the ``wiktoria live`` tests: sketch files, and the real command in a subprocess."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

#: A sketch: a layer of its own (its parameters come from helper.py) over a landscape.
SKETCH = '''
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import wiktoria
from wiktoria.render.painting import build_scene

from helper import POSITION


@dataclass(frozen=True)
class Tint(wiktoria.Layer):
    """A flat tint from the mood's ramp."""

    type: ClassVar[str] = "live-tint"
    position: float = wiktoria.param(POSITION, 0.0, 1.0, "ramp position of the tint")
    amount: float = wiktoria.param(0.6, 0.0, 1.0, "opacity")


@wiktoria.register_layer(Tint)
def tint(layer, frame, band):
    colour = frame.ramp(np.full((1, 1), layer.position, np.float32))
    band.rgb += (colour - band.rgb) * np.float32(layer.amount)


def scene():
    base, _ = build_scene("serene", (96, 64), 1, "landscape")
    return wiktoria.Scene(base.canvas, base.mood, base.style, base.layers + (Tint(),),
                          composition=base.composition)
'''


@pytest.fixture(autouse=True)
def _forget_sketch_layers() -> Iterator[None]:
    """The layer types a sketch loaded in this process registered are forgotten after each
    test (other tests register types of the same name)."""
    yield
    from wiktoria.render import unregister_layer
    from wiktoria.scene import layer_types

    for name, spec in list(layer_types().items()):
        if spec.__module__.startswith("wiktoria_sketch_"):
            unregister_layer(name)


def write_sketch(folder: Path, position: float = 0.1) -> Path:
    """``sketch.py`` and its ``helper.py`` in ``folder``; saved atomically, as editors do."""
    write_atomic(folder / "helper.py", f"POSITION = {position}\n")
    path = folder / "sketch.py"
    write_atomic(path, SKETCH)
    return path


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class Live:
    """A running ``wiktoria live``: its process, its address and what it printed."""

    proc: subprocess.Popen[str]
    url: str
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)


def _pump(stream: object, sink: list[str], lines: queue.Queue[str] | None) -> None:
    for line in stream:  # type: ignore[attr-defined]
        sink.append(line)
        if lines is not None:
            lines.put(line)


@contextmanager
def running(args: list[str], cwd: Path, timeout: float = 180.0) -> Iterator[Live]:
    """Start ``wiktoria live ARGS --port 0 --no-open`` in ``cwd``; stop it with Ctrl-C."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "wiktoria", "live", *args, "--port", "0", "--no-open"],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out: list[str] = []
    err: list[str] = []
    lines: queue.Queue[str] = queue.Queue()
    pumps = [threading.Thread(target=_pump, args=(proc.stdout, out, lines), daemon=True),
             threading.Thread(target=_pump, args=(proc.stderr, err, None), daemon=True)]
    for pump in pumps:
        pump.start()
    try:
        deadline = time.monotonic() + timeout
        url = None
        while url is None:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                if proc.poll() is not None:
                    time.sleep(0.5)  # what it said on its way out
                    pytest.fail(f"wiktoria live exited {proc.returncode}: {''.join(err)}")
                if time.monotonic() > deadline:
                    pytest.fail(f"wiktoria live did not start: {''.join(err)}")
                continue
            if "Wiktoria live at " in line:
                url = line.split("Wiktoria live at ")[1].split()[0].rstrip("/")
        yield Live(proc, url, out, err)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for pump in pumps:
            pump.join(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
