"""``wiktoria animate``, ``wiktoria frames`` and seed sweeps, through CliRunner and a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from wiktoria.cli import cli
from wiktoria.render.painting import read_scene


def run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, args)


def test_animate_writes_a_looping_gif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = run(["animate", "--mood", "serene", "--frames", "6", "--fps", "12", "--size", "48x32",
               "--seed", "2", "--jobs", "1", "-o", "s.gif"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    with Image.open(tmp_path / "s.gif") as im:
        assert im.n_frames == 6
        assert im.info["loop"] == 0
        assert im.size == (48, 32)


def test_animate_default_name_and_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = run(["animate", "--mood", "tender", "--frames", "3", "--size", "32x24", "--jobs", "1"],
              tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    seed = int(res.output.split("seed: ")[1].split()[0])
    assert (tmp_path / f"tender-{seed}.gif").exists()


def test_frames_slices_resume_and_match_the_whole(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    common = ["frames", "--mood", "haunting", "--frames", "6", "--size", "40x30", "--seed", "5",
              "--jobs", "1"]
    assert run([*common, "-o", "all"], tmp_path, monkeypatch).exit_code == 0
    assert run([*common, "--start", "0", "--stop", "3", "-o", "split"], tmp_path,
               monkeypatch).exit_code == 0
    res = run([*common, "--start", "3", "-o", "split"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert names == [f"frame_{i:05d}.png" for i in range(6)]
    for name in names:
        a = np.asarray(Image.open(tmp_path / "all" / name))
        b = np.asarray(Image.open(tmp_path / "split" / name))
        assert np.array_equal(a, b)
    scene, _ = read_scene(tmp_path / "all" / "frame_00004.png")
    assert scene.loop is not None and scene.loop.frame == 4
    res = run([*common, "--resume", "-o", "all"], tmp_path, monkeypatch)
    assert res.exit_code == 0
    assert "6 already complete" in res.output


def test_seed_sweep_with_contact_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = run(["paint", "--mood", "aloof", "--seed", "3..5", "--size", "48x32", "--jobs", "1",
               "-o", "sweep", "--contact-sheet"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "sweep").iterdir())
    assert names == ["aloof-3.png", "aloof-4.png", "aloof-5.png", "contact-sheet.png"]


@pytest.mark.parametrize(("args", "message"), [
    (["animate", "--frames", "0"], "frames must be an integer from 1 to 100000, got 0"),
    (["animate", "--frames", "-3"], "frames must be an integer from 1 to 100000, got -3"),
    (["animate", "--fps", "0"], "fps must be a number from 0.001 to 100, got 0.0"),
    (["animate", "--fps", "1e-310"], "fps must be a number from 0.001 to 100, got 1e-310"),
    (["animate", "--fps", "240"], "fps must be a number from 0.001 to 100, got 240.0"),
    (["animate", "-o", "x.bmp"], "unknown extension '.bmp'; valid: .gif, .png, .webp, .mp4"),
    (["animate", "--jobs", "0", "-o", "x.gif"], "jobs must be an integer of at least 1"),
    (["animate", "--to", "sereen", "-o", "x.gif"], "did you mean 'serene'"),
    (["frames", "--start", "5", "--stop", "3", "-o", "f"], "--stop must be from 6 to 8"),
    (["frames", "--start", "9", "-o", "f"], "--start must be from 0 to 7"),
    (["frames", "--jobs", "0", "-o", "f"], "jobs must be an integer of at least 1, got 0"),
    (["paint", "--seed", "9..3", "-o", "s"], "9..3"),
    (["paint", "--seed", "x", "-o", "s"], "'x'"),
    (["paint", "--seed", "0..3"], "a seed sweep needs an output folder"),
    (["paint", "--contact-sheet"], "--contact-sheet needs several seeds"),
])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         args: list[str], message: str) -> None:
    extra = ["--size", "16x16"]
    if args[0] in ("animate", "frames") and "--frames" not in args:
        extra += ["--frames", "8"]
    res = run([*args, *extra], tmp_path, monkeypatch)
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert res.output.strip().count("\n") == 0
    assert list(tmp_path.iterdir()) == []


def test_frames_refuses_a_folder_of_other_files(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "notes.txt").write_text("mine")
    res = run(["frames", "--frames", "4", "--size", "16x16", "-o", "f"], tmp_path, monkeypatch)
    assert res.exit_code == 2
    assert "notes.txt" in res.output
    assert [p.name for p in (tmp_path / "f").iterdir()] == ["notes.txt"]


def test_animate_as_a_real_subprocess(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "wiktoria", "animate", "--mood", "electric", "--frames", "4",
         "--size", "32x32", "--seed", "1", "-o", "e.webp"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    with Image.open(tmp_path / "e.webp") as im:
        assert im.n_frames == 4
