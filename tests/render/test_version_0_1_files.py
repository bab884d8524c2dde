"""Files written by Wiktoria 0.1 still load and reproduce the same pixels.

``tests/data/v0_1`` holds a landscape still (PNG and its scene TOML), a still of a
``valence,arousal`` point in the flow style, and a 6-frame GIF of a mood transition, all written
by version 0.1, with the SHA-256 of their rendered pixels. 0.1 named the mood in the scene (and
put the mood's definition beside it in PNGs); 0.2 embeds it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageSequence

import wiktoria
from wiktoria.cli import cli
from wiktoria.io.metadata import read_scene
from wiktoria.scene import Scene

DATA = Path(__file__).resolve().parents[1] / "data" / "v0_1"
HASHES = json.loads((DATA / "pixels.json").read_text(encoding="utf-8"))


def sha(pixels: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(pixels).tobytes()).hexdigest()


@pytest.mark.parametrize("name", ["seething-7", "point-3"])
def test_a_0_1_png_reproduces(name: str, tmp_path: Path) -> None:
    scene, mood = read_scene(DATA / f"{name}.png")
    assert scene.mood == mood
    assert sha(np.asarray(wiktoria.paint_scene(scene))) == HASHES[name]
    result = CliRunner().invoke(cli, ["reproduce", str(DATA / f"{name}.png"), "-o",
                                      str(tmp_path / "again.png")])
    assert result.exit_code == 0, result.output
    assert sha(np.asarray(Image.open(tmp_path / "again.png").convert("RGB"))) == HASHES[name]


def test_a_0_1_scene_file_reproduces_and_upgrades() -> None:
    scene = Scene.from_toml((DATA / "seething-7.toml").read_text(encoding="utf-8"))
    assert scene.mood == wiktoria.mood("seething")
    assert sha(np.asarray(wiktoria.paint_scene(scene))) == HASHES["seething-7"]
    upgraded = Scene.from_toml(scene.to_toml())  # written by 0.2: the mood is embedded
    assert upgraded == scene
    assert "[mood.ramp]" in scene.to_toml()


def test_a_0_1_gif_reproduces_its_frames(tmp_path: Path) -> None:
    scene, _ = read_scene(DATA / "serene-to-haunting.gif")
    assert scene.loop is not None and scene.loop.to == wiktoria.mood("haunting")
    anim = wiktoria.animate_scene(scene)
    assert [sha(anim.frame_array(i)) for i in range(len(anim))] == HASHES["serene-to-haunting"]
    out = tmp_path / "again.gif"
    result = CliRunner().invoke(cli, ["reproduce", str(DATA / "serene-to-haunting.gif"), "-o",
                                      str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    with Image.open(out) as a, Image.open(DATA / "serene-to-haunting.gif") as b:
        fa = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(a)]
        fb = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(b)]
    assert len(fa) == len(fb) == 6
    assert all(np.array_equal(x, y) for x, y in zip(fa, fb, strict=True))
