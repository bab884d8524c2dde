"""The noise texture and the ``wiktoria noise`` command, through CliRunner and a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import wiktoria
from wiktoria.cli import cli
from wiktoria.io.texture import noise_image


def test_noise_image_is_deterministic_and_uses_the_range() -> None:
    a = np.asarray(noise_image((96, 64), seed=3))
    b = np.asarray(noise_image((96, 64), seed=3))
    c = np.asarray(noise_image((96, 64), seed=4))
    assert a.shape == (64, 96) and a.dtype == np.uint8
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.max() - a.min() > 120


@pytest.mark.parametrize("kind", ["perlin", "simplex"])
def test_tileable_texture_has_no_seam(kind: str) -> None:
    img = np.asarray(noise_image((128, 96), kind=kind, seed=2, scale=32, tileable=True),
                     dtype=np.float64)
    tiled = np.tile(img, (2, 2))
    # The step across the seam is like any other step between neighbouring pixels.
    inner = np.abs(np.diff(img, axis=1)).mean()
    seam = np.abs(tiled[:, 128] - tiled[:, 127]).mean()
    assert seam < 1.6 * inner
    inner_y = np.abs(np.diff(img, axis=0)).mean()
    seam_y = np.abs(tiled[96] - tiled[95]).mean()
    assert seam_y < 1.6 * inner_y


def test_cli_noise_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "n.png"
    res = CliRunner().invoke(cli, ["noise", "--size", "80x40", "--seed", "5", "-o", str(out)])
    assert res.exit_code == 0, res.output
    with Image.open(out) as im:
        assert im.size == (80, 40)
        assert im.mode == "L"


@pytest.mark.parametrize(("args", "message"), [
    (["--size", "80"], "'80' is not WIDTHxHEIGHT"),
    (["--size", "0x10"], "size must be 1 to 16384 pixels per side, got 0x10"),
    (["--size", "20000x10"], "size must be 1 to 16384 pixels per side, got 20000x10"),
    (["--octaves", "0"], "octaves must be an integer from 1 to 32, got 0"),
    (["--scale", "-2"], "scale must be a positive number of pixels per cell, got -2.0"),
    (["-o", "missing-folder/n.png"], "output folder 'missing-folder' does not exist"),
    (["-o", "n.jpg"], "output must be a .png file, got 'n.jpg'"),
])
def test_cli_noise_bad_input_exits_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["noise", "--size", "16x16", *args])
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_version_comes_from_package_metadata() -> None:
    res = CliRunner().invoke(cli, ["--version"])
    assert res.exit_code == 0
    assert wiktoria.__version__ in res.output
    assert wiktoria.__version__ != "0+unknown"


def test_python_m_wiktoria_is_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "sub.png"
    proc = subprocess.run(
        [sys.executable, "-m", "wiktoria", "noise", "--size", "32x16", "-o", str(out)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.exists()
    bad = subprocess.run(
        [sys.executable, "-m", "wiktoria", "noise", "--size", "0x0", "-o", str(out)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0
    assert "Traceback" not in bad.stderr
