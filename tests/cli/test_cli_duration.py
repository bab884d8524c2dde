"""``--duration`` of ``wiktoria animate`` and ``wiktoria frames``; the mood's length by default;
``--frames`` with ``--duration`` is a usage error; what is painted reproduces."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

import wiktoria
from wiktoria.cli import cli
from wiktoria.motion.animation import default_duration
from wiktoria.render.painting import read_scene


def run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, args)


BASE = ["--mood", "serene", "--size", "24x16", "--seed", "2", "--jobs", "1", "--quiet"]


def test_animate_duration_sets_the_frames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = run(["animate", *BASE, "--duration", "0.5", "--fps", "12", "--dump-scene", "s.toml",
               "-o", "a.gif"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    with Image.open(tmp_path / "a.gif") as im:
        assert im.n_frames == 6
    scene, _ = read_scene(tmp_path / "s.toml")
    assert (scene.loop.frames, scene.loop.fps, scene.loop.duration) == (6, 12.0, 0.5)
    # what is painted reproduces, byte for byte
    assert run(["reproduce", "a.gif", "-o", "b.gif"], tmp_path, monkeypatch).exit_code == 0
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()


def test_frames_duration_sets_the_frames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = run(["frames", *BASE, "-d", "0.25", "--fps", "12", "-o", "f"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    assert len(list((tmp_path / "f").glob("*.png"))) == 3


def test_the_default_length_is_the_moods(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = run(["frames", *BASE, "--fps", "2", "--stop", "1", "--dump-scene", "s.toml",
               "-o", "f"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    scene, _ = read_scene(tmp_path / "s.toml")
    assert scene.loop.frames == round(default_duration(wiktoria.mood("serene"), 2) * 2)
    lo, hi = wiktoria.mood("serene").motion.duration
    assert lo - 0.25 <= scene.loop.duration <= hi + 0.25


def test_duration_over_a_scene_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["animate", *BASE, "--frames", "3", "-o", "a.gif"], tmp_path,
               monkeypatch).exit_code == 0
    res = run(["animate", "--scene", "a.gif", "--duration", "0.5", "--fps", "8", "--quiet",
               "--jobs", "1", "-o", "b.gif"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    with Image.open(tmp_path / "b.gif") as im:
        assert im.n_frames == 4


@pytest.mark.parametrize(("args", "message"), [
    (["--frames", "4", "--duration", "2"],
     "Error: give --frames or --duration, not both (got --frames 4 and --duration 2)"),
    (["--duration", "0"], "'--duration' / '-d': 0.0 is not in the range x>0"),
    (["--duration", "-1"], "'--duration' / '-d': -1.0 is not in the range x>0"),
    (["--duration", "soon"], "'soon' is not a valid float"),
    (["--duration", "5000"], "duration must be a number of seconds above 0 and at most "
                             "4166.67 (at 24 fps, 100000 frames), got 5000.0"),
    (["--duration", "20", "--fps", "100", "--frames", "3"], "not both"),
])
@pytest.mark.parametrize("command", ["animate", "frames"])
def test_bad_durations_exit_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            command: str, args: list[str],
                                            message: str) -> None:
    res = run([command, "--size", "16x16", *args, "-o", "out.gif" if command == "animate"
               else "f"], tmp_path, monkeypatch)
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert res.output.strip().count("\n") == 0
    assert list(tmp_path.iterdir()) == []


def test_help_shows_duration() -> None:
    res = CliRunner().invoke(cli, ["animate", "--help"])
    text = " ".join(res.output.split())
    assert "-d, --duration SECONDS Seconds of one loop, instead of --frames" in text
    assert "[default: the mood's duration range, chosen by the seed]" in text
