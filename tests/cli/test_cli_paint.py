"""``wiktoria paint`` and ``wiktoria reproduce`` through CliRunner and as a real subprocess."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import wiktoria
from wiktoria.cli import cli
from wiktoria.scene import Scene


def run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, args)


def test_paint_without_seed_draws_prints_and_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    res = run(["paint", "--mood", "serene", "--size", "64x40"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    seed = int(re.search(r"seed: (\d+)", res.output).group(1))
    out = tmp_path / f"serene-{seed}.png"
    assert out.exists()
    # Never overwrite silently: the same command again writes a new name.
    res2 = run(["paint", "--mood", "serene", "--size", "64x40", "--seed", str(seed)], tmp_path,
               monkeypatch)
    assert res2.exit_code == 0
    assert (tmp_path / f"serene-{seed}-1.png").exists()
    a = np.asarray(Image.open(out))
    b = np.asarray(Image.open(tmp_path / f"serene-{seed}-1.png"))
    assert np.array_equal(a, b)


def test_paint_set_scene_dump_and_reproduce(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    res = run(["paint", "--mood", "0.3,-0.5", "--size", "72x48", "--seed", "4", "--style",
               "landscape", "--set", "land.octaves=3", "--set", "air.warp=2.5", "-o", "a.png",
               "--dump-scene", "a.toml"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    scene = Scene.from_toml((tmp_path / "a.toml").read_text())
    assert scene.layer("land").octaves == 3
    assert scene.layer("air").warp == 2.5
    assert scene.mood == wiktoria.mood_at(0.3, -0.5)
    res = run(["paint", "--scene", "a.toml", "-o", "b.png"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    a = np.asarray(Image.open(tmp_path / "a.png"))
    b = np.asarray(Image.open(tmp_path / "b.png"))
    assert np.array_equal(a, b)
    res = run(["reproduce", "a.png", "-o", "c.png"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    assert np.array_equal(a, np.asarray(Image.open(tmp_path / "c.png")))
    # A scene file with a new seed: a different painting of the same scene.
    res = run(["paint", "--scene", "a.png", "--seed", "5", "-o", "d.png"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    assert not np.array_equal(a, np.asarray(Image.open(tmp_path / "d.png")))


@pytest.mark.parametrize(("args", "message"), [
    (["paint", "--size", "0x10"], "size must be 1 to 16384 pixels per side, got 0x10"),
    (["paint", "--size", "16385x10"], "got 16385x10"),
    (["paint", "--size", "big"], "'big' is not WIDTHxHEIGHT"),
    (["paint", "--size", "-4x10"], "is not WIDTHxHEIGHT"),
    (["paint", "--style", "cubist"], "unknown style 'cubist'; valid styles: landscape, storm, "
                                     "field, lines, marble, flow"),
    (["paint", "--mood", "seethng"], "did you mean 'seething'"),
    (["paint", "--set", "land.octavs=3"], "unknown land parameter 'octavs'"),
    (["paint", "--set", "clouds.count=3"], "unknown layer 'clouds'"),
    (["paint", "--set", "land.octaves"], "--set expects LAYER.PARAM=VALUE"),
    (["paint", "--set", "land.octaves=99"], "land.octaves must be an integer from 1 to 10, got 99"),
    (["paint", "-o", "nowhere/x.png"], "output folder 'nowhere' does not exist"),
    (["paint", "-o", "x.bmp"], "unknown extension '.bmp'"),
    (["paint", "--seed", "-1"], "'-1' is not a seed list; use N, A..B"),
    (["reproduce", "plain.png", "-o", "out.png"], "carries no Wiktoria scene"),
    (["reproduce", "missing.png", "-o", "out.png"], "'missing.png' does not exist"),
    (["paint", "--scene", "bad.toml"], "bad.toml: malformed TOML"),
])
def test_paint_errors_exit_2_with_one_line_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    Image.new("RGB", (4, 4)).save(tmp_path / "plain.png")
    (tmp_path / "bad.toml").write_text("mood = [")
    before = set(tmp_path.iterdir())
    res = run([*args, "--size", "32x24"] if args[0] == "paint" and "--size" not in args
              else args, tmp_path, monkeypatch)
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert "Traceback" not in res.output
    assert res.output.strip().count("\n") == 0
    assert set(tmp_path.iterdir()) == before


def test_unwritable_or_non_folder_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("x")
    res = run(["paint", "--size", "16x16", "-o", "file/x.png"], tmp_path, monkeypatch)
    assert res.exit_code == 2
    assert "output folder 'file' is not a folder" in res.output
    # Permissions are not enforced for root (CI): simulate a read-only folder instead.
    import wiktoria.common.atomicio as atomicio

    monkeypatch.setattr(atomicio.os, "access", lambda *a, **k: False)
    res = run(["paint", "--size", "16x16", "-o", "x.png"], tmp_path, monkeypatch)
    assert res.exit_code == 2
    assert "output folder '.' is not writable" in res.output
    assert not (tmp_path / "x.png").exists()


def test_paint_as_a_real_subprocess(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "wiktoria", "paint", "--mood", "tender", "--size", "48x32",
         "--seed", "3", "-o", "t.png"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    with Image.open(tmp_path / "t.png") as im:
        assert im.size == (48, 32)
        assert "wiktoria:scene" in im.text
    bad = subprocess.run(
        [sys.executable, "-m", "wiktoria", "paint", "--style", "cubist"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("Error: unknown style 'cubist'")
    assert "Traceback" not in bad.stderr


def test_paint_sets_the_composition_and_a_new_seed_replans_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wiktoria.scene.composition import plan

    res = run(["paint", "--mood", "serene", "--size", "64x36", "--seed", "3", "--set",
               "composition.layout=valley", "--set", "composition.light=moon",
               "--set", "composition.horizon=0.7", "-o", "a.png", "--dump-scene", "a.toml"],
              tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    scene = Scene.from_toml((tmp_path / "a.toml").read_text())
    c = scene.composition
    assert (c.layout, c.light, c.horizon) == ("valley", "moon", 0.7)
    # Over a scene file, another seed is another painting: its composition is planned
    # afresh, and a --set composition.* given again still holds.
    res = run(["paint", "--scene", "a.toml", "--seed", "9", "--set", "composition.layout=low",
               "-o", "b.png", "--dump-scene", "b.toml"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    other = Scene.from_toml((tmp_path / "b.toml").read_text()).composition
    assert other == plan(9, wiktoria.mood("serene"), layout="low")
    res = run(["paint", "--set", "composition.layout=cave", "-o", "c.png"], tmp_path,
              monkeypatch)
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        "Error: unknown composition.layout 'cave'; valid: low, high, tilted, valley, monolith, "
        "enclosure, vortex, rhythm"]
    assert not (tmp_path / "c.png").exists()
