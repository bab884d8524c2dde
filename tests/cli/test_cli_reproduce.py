"""``wiktoria reproduce`` of stills and animations, and ``--scene``/``--dump-scene`` for loops.

Through CliRunner and as a real subprocess. A GIF, an APNG, a WebP and an MP4 written by
``wiktoria animate`` reproduce to the same frames: decoded and compared for the lossless
formats, compared as re-rendered by the library for the lossy ones.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageSequence

import wiktoria
from wiktoria.cli import cli
from wiktoria.io.metadata import read_scene, read_source
from wiktoria.motion.animation import animate, animation_from_scene
from wiktoria.run.reproduce import reproduce, source_animation

HAS_MP4 = importlib.util.find_spec("imageio_ffmpeg") is not None
LOOP = ["--mood", "serene", "--to", "seething", "--set", "air.warp=2.0", "--frames", "4",
        "--size", "32x24", "--seed", "3", "--jobs", "1", "--quiet"]
EXTS = [".gif", ".png", ".webp", pytest.param(".mp4", marks=pytest.mark.skipif(
    not HAS_MP4, reason="needs the mp4 extra"))]


def run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, args)


def decoded(path: Path) -> list[np.ndarray]:
    with Image.open(path) as im:
        return [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(im)]


def original() -> list[np.ndarray]:
    anim = animate("serene", size=(32, 24), frames=4, seed=3, to="seething",
                   **{"air.warp": 2.0})
    return [anim.frame_array(i) for i in range(len(anim))]


def assert_same_frames(a: Path, b: Path) -> None:
    """The re-render matches: byte for byte, decoded pixels (lossless formats) and the frames
    the library renders from the scene each file carries (every format)."""
    assert a.read_bytes() == b.read_bytes()
    if a.suffix != ".mp4":  # Pillow decodes GIF, APNG and WebP
        fa, fb = decoded(a), decoded(b)
        assert len(fa) == len(fb) and all(np.array_equal(x, y) for x, y in
                                          zip(fa, fb, strict=True))
    want = original()
    for path in (a, b):
        anim = source_animation(read_source(path))
        assert len(anim) == 4
        assert all(np.array_equal(anim.frame_array(i), want[i]) for i in range(4))


@pytest.mark.parametrize("ext", EXTS)
def test_animations_reproduce_to_the_same_frames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 ext: str) -> None:
    lossless = ["--quality", "100"] if ext == ".webp" else []
    res = run(["animate", *LOOP, *lossless, "-o", f"a{ext}"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    res = run(["reproduce", f"a{ext}", f"b{ext}", "--jobs", "1", *lossless], tmp_path,
              monkeypatch)
    assert res.exit_code == 0, res.output
    assert res.output == f"wrote b{ext}\n"
    assert_same_frames(tmp_path / f"a{ext}", tmp_path / f"b{ext}")
    if ext in (".png", ".webp"):  # lossless: the decoded frames are the render itself
        frames = decoded(tmp_path / f"b{ext}")
        assert len(frames) == 4
        assert all(np.array_equal(f, w) for f, w in zip(frames, original(), strict=True))


def test_lossy_webp_reproduces_with_its_quality(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["animate", *LOOP, "--quality", "60", "-o", "lossy.webp"], tmp_path,
               monkeypatch).exit_code == 0
    res = run(["reproduce", "lossy.webp", "-o", "again.webp", "--quality", "60", "-j", "1"],
              tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "lossy.webp").read_bytes() == (tmp_path / "again.webp").read_bytes()
    anim = source_animation(read_source(tmp_path / "again.webp"))
    want = original()
    assert all(np.array_equal(anim.frame_array(i), want[i]) for i in range(4))


def test_gif_decodes_to_its_own_reproduction(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["animate", *LOOP, "--dither", "ordered", "-o", "a.gif"], tmp_path,
               monkeypatch).exit_code == 0
    assert run(["reproduce", "a.gif", "b.gif", "--dither", "ordered"], tmp_path,
               monkeypatch).exit_code == 0
    fa, fb = decoded(tmp_path / "a.gif"), decoded(tmp_path / "b.gif")
    assert len(fa) == len(fb) == 4
    assert all(np.array_equal(x, y) for x, y in zip(fa, fb, strict=True))


def test_frame_n_of_an_animation_is_the_frames_png(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["animate", *LOOP, "-o", "a.gif"], tmp_path, monkeypatch).exit_code == 0
    assert run(["frames", *LOOP, "-o", "fr"], tmp_path, monkeypatch).exit_code == 0
    res = run(["reproduce", "a.gif", "--frame", "2", "-o", "f2.png"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "f2.png").read_bytes() == (tmp_path / "fr" / "frame_00002.png").read_bytes()
    # a frame PNG is a still: it reproduces itself
    res = run(["reproduce", "fr/frame_00001.png", "-o", "f1.png"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "f1.png").read_bytes() == (tmp_path / "fr" / "frame_00001.png").read_bytes()
    # an APNG with --frame: a still PNG again
    assert run(["animate", *LOOP, "-o", "a.png"], tmp_path, monkeypatch).exit_code == 0
    assert run(["reproduce", "a.png", "--frame", "3", "-o", "f3.png"], tmp_path,
               monkeypatch).exit_code == 0
    assert (tmp_path / "f3.png").read_bytes() == (tmp_path / "fr" / "frame_00003.png").read_bytes()


def test_scene_toml_with_and_without_loop(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    res = run(["animate", *LOOP, "--dump-scene", "loop.toml", "-o", "a.gif"], tmp_path,
              monkeypatch)
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[-1] == "wrote loop.toml"
    scene, _ = read_scene(tmp_path / "loop.toml")
    assert scene.loop is not None and scene.loop.frames == 4
    assert run(["reproduce", "loop.toml", "-o", "b.gif"], tmp_path, monkeypatch).exit_code == 0
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()
    assert run(["paint", "--mood", "tender", "--size", "24x16", "--seed", "1", "-o", "p.png",
                "--dump-scene", "still.toml"], tmp_path, monkeypatch).exit_code == 0
    assert run(["reproduce", "still.toml", "-o", "q.png"], tmp_path, monkeypatch).exit_code == 0
    assert (tmp_path / "p.png").read_bytes() == (tmp_path / "q.png").read_bytes()


@pytest.mark.parametrize(("args", "message"), [
    (["reproduce", "a.gif", "-o", "x.jpg"], "'a.gif' is an animation: write it as one of .gif"),
    (["reproduce", "p.png", "-o", "x.gif"], "'p.png' is a still: write it as one of .png"),
    (["reproduce", "p.png", "--frame", "1", "-o", "x.png"], "is a still, not an animation"),
    (["reproduce", "a.gif", "--frame", "9", "-o", "x.png"],
     "frame must be from 0 to 3 (the loop has 4 frames), got 9"),
    (["reproduce", "a.gif", "x.gif", "-o", "y.gif"], "give the output once"),
    (["reproduce", "a.gif"], "give the output once"),
    (["reproduce", "a.gif", "x.avi"], "(or one frame of it as a still), not '.avi'"),
    (["reproduce", "plain.gif", "x.gif"], "carries no Wiktoria scene"),
    (["animate", "--scene", "missing.gif", "-o", "x.gif"], "'missing.gif' does not exist"),
    (["frames", "--scene", "plain.gif", "-o", "f"], "carries no Wiktoria scene"),
    (["animate", "--scene", "a.gif", "--dump-scene", "no/d.toml", "-o", "x.gif"],
     "output folder 'no' does not exist"),
])
def test_errors_exit_2_with_one_line_and_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 args: list[str], message: str) -> None:
    assert run(["animate", *LOOP, "-o", "a.gif"], tmp_path, monkeypatch).exit_code == 0
    assert run(["paint", "--size", "16x16", "--seed", "1", "-o", "p.png"], tmp_path,
               monkeypatch).exit_code == 0
    Image.new("RGB", (4, 4)).save(tmp_path / "plain.gif")
    before = set(tmp_path.iterdir())
    res = run(args, tmp_path, monkeypatch)
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert res.output.strip().count("\n") == 0 and "Traceback" not in res.output
    assert set(tmp_path.iterdir()) == before


def test_animate_and_frames_take_a_scene(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["animate", *LOOP, "-o", "a.webp"], tmp_path, monkeypatch).exit_code == 0
    # the scene's values, and explicit options over them
    res = run(["animate", "--scene", "a.webp", "--frames", "6", "--seed", "5", "-j", "1",
               "--dump-scene", "d.toml", "-o", "b.gif"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    assert "seed:" not in res.output
    scene, _ = read_scene(tmp_path / "d.toml")
    source, _ = read_scene(tmp_path / "a.webp")
    assert scene.loop is not None and source.loop is not None
    assert (scene.loop.frames, scene.seed, scene.size) == (6, 5, (32, 24))
    assert scene.loop.to == source.loop.to and scene.layers == source.layers
    assert read_scene(tmp_path / "b.gif")[0] == scene
    with Image.open(tmp_path / "b.gif") as im:
        assert im.n_frames == 6
    # frames from the same scene, unchanged: the frames of the original loop
    res = run(["frames", "--scene", "a.webp", "-j", "1", "--dump-scene", "f.toml", "-o", "fr"],
              tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    assert read_scene(tmp_path / "f.toml")[0] == source
    want = original()
    for i in range(4):
        assert np.array_equal(np.asarray(Image.open(tmp_path / "fr" / f"frame_{i:05d}.png")),
                              want[i])
    # a still's scene animates with the loop defaults and the options given
    assert run(["paint", "--mood", "tender", "--size", "24x16", "--seed", "1", "-o", "p.png"],
               tmp_path, monkeypatch).exit_code == 0
    res = run(["animate", "--scene", "p.png", "--frames", "3", "-j", "1", "--dump-scene",
               "s.toml", "-o", "s.gif"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    scene, _ = read_scene(tmp_path / "s.toml")
    assert scene.loop is not None and (scene.loop.frames, scene.loop.fps) == (3, 24.0)
    assert scene.layers == read_scene(tmp_path / "p.png")[0].layers


def test_library_reproduce_matches_animation_from_scene(tmp_path: Path) -> None:
    anim = animate("haunting", size=(24, 16), frames=3, seed=2)
    path = anim.save(tmp_path / "h.png")
    out = reproduce(path, tmp_path / "again.png", jobs=1)
    assert out.read_bytes() == path.read_bytes()
    scene, mood = read_scene(path)
    again = animation_from_scene(scene, mood)
    assert all(np.array_equal(again.frame_array(i), anim.frame_array(i)) for i in range(3))


@pytest.mark.parametrize("ext", EXTS)
def test_reproduce_as_a_real_subprocess(tmp_path: Path, ext: str) -> None:
    def wiktoria(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "wiktoria", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300, check=False)

    made = wiktoria("animate", *LOOP, "-o", f"a{ext}")
    assert made.returncode == 0, made.stderr
    again = wiktoria("reproduce", f"a{ext}", f"b{ext}", "-j", "1")
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"wrote b{ext}\n"
    assert_same_frames(tmp_path / f"a{ext}", tmp_path / f"b{ext}")
    bad = wiktoria("reproduce", f"a{ext}", "x.tif")
    assert bad.returncode == 2 and "is an animation" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "x.tif").exists()


def test_set_over_a_loop_scene_holds_at_both_ends_of_the_transition(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["animate", *LOOP, "--dump-scene", "a.toml", "-o", "a.gif"], tmp_path,
               monkeypatch).exit_code == 0
    res = run(["animate", "--scene", "a.toml", "--set", "air.warp=3.5", "-j", "1",
               "--dump-scene", "b.toml", "-o", "b.gif"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    scene, _ = read_scene(tmp_path / "b.toml")
    assert scene.loop is not None and scene.loop.to_layers is not None
    assert scene.layer("air").warp == 3.5
    assert scene.loop.to_layers[0].type == "air" and scene.loop.to_layers[0].warp == 3.5
    # what the same options give without a scene file
    direct = wiktoria.animate("serene", to="seething", frames=4, size=(32, 24), seed=3,
                              air__warp=3.5)
    assert scene.loop.to_layers == direct.scene.loop.to_layers
