"""Every script in ``examples/`` runs as a real subprocess and writes valid images.

The scripts are discovered with a glob, so a new example is run too: with only its output
folder as argument, it must write at least one image there. Known scripts get small sizes and
few frames (the whole module should take well under a minute on two cores) and the files they
must write. ``-W error`` makes warnings in an example fail it, as in the rest of the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))
IMAGE_SUFFIXES = {".png", ".gif", ".webp", ".jpg", ".jpeg", ".tif", ".tiff"}

# script: (arguments, {file: (width, height, frames)}); "{out}" is the output folder.
RUNS: dict[str, tuple[list[str], dict[str, tuple[int, int, int]]]] = {
    "paint_mood.py": (
        ["{out}", "--size", "96x54", "--mood", "serene", "--style", "flow"],
        {"serene-flow.png": (96, 54, 1)},
    ),
    "paint_plane.py": (
        ["{out}", "--size", "64x36", "--mood=-0.4,0.7"],
        {"point.png": (64, 36, 1), "plane.png": (192, 108, 1)},
    ),
    "blend_moods.py": (
        ["{out}", "--size", "64x36", "--steps", "3", "--from", "haunting", "--to", "euphoric"],
        {"blend-0.png": (64, 36, 1), "blend-2.png": (64, 36, 1), "strip.png": (192, 36, 1)},
    ),
    "custom_palette.py": (
        ["{out}", "--size", "96x54"],
        {"dusk.png": (96, 54, 1), "dusk-flow.png": (96, 54, 1)},
    ),
    "seamless_loop.py": (
        ["{out}", "--size", "48x48", "--frames", "6"],
        {"seething.gif": (48, 48, 6)},
    ),
    "batch_frames.py": (
        ["{out}", "--size", "64x36", "--frames", "4", "--jobs", "2"],
        {f"frames/frame_{i:05d}.png": (64, 36, 1) for i in range(4)},
    ),
    "tileable_texture.py": (
        ["{out}", "--size", "64", "--cells", "2"],
        {"texture.png": (64, 64, 1), "tiled.png": (128, 128, 1)},
    ),
    "contact_sheet.py": (
        ["-o", "{out}/sheet.png", "--size", "48x27", "--styles", "landscape", "marble"],
        {"sheet.png": (96, 14 * (27 + 18), 1)},
    ),
    "palette_sheet.py": (["-o", "{out}/palettes.png"], {"palettes.png": (0, 0, 1)}),
    "custom_layer.py": (
        ["{out}", "--size", "96x54", "--frames", "4"],
        {"sun.png": (96, 54, 1), "sun-again.png": (96, 54, 1), "sun.gif": (96, 54, 4)},
    ),
}


def _env(tmp_path: Path) -> dict[str, str]:
    """The environment with the user's palette folders pointed into ``tmp_path``."""
    env = dict(os.environ)
    env["WIKTORIA_PALETTES"] = str(tmp_path / "user-palettes")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return env


def _run(script: Path, args: list[str], cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-W", "error", str(script), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, f"{script.name} {args} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _check_image(path: Path, width: int, height: int, frames: int) -> None:
    assert path.is_file(), f"{path} was not written"
    with Image.open(path) as im:
        im.verify()
    with Image.open(path) as im:
        im.load()
        if width:
            assert im.size == (width, height), path
        else:
            assert im.width > 0 and im.height > 0, path
        assert getattr(im, "n_frames", 1) == frames, path


def test_examples_are_discovered() -> None:
    names = {p.name for p in SCRIPTS}
    assert set(RUNS) <= names, f"RUNS names scripts that are gone: {set(RUNS) - names}"


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_example_runs(script: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args, expected = RUNS.get(script.name, (["{out}"], {}))
    stdout = _run(script, [a.format(out=out) for a in args], tmp_path, _env(tmp_path))
    assert "wrote" in stdout
    for name, (width, height, frames) in expected.items():
        _check_image(out / name, width, height, frames)
    images = [p for p in out.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES]
    assert images, f"{script.name} wrote no image into {out}"
    for path in images:
        with Image.open(path) as im:
            im.verify()


def test_default_output_folder_is_named_after_the_script(tmp_path: Path) -> None:
    _run(EXAMPLES / "tileable_texture.py", ["--size", "32", "--cells", "1"], tmp_path,
         _env(tmp_path))
    _check_image(tmp_path / "tileable_texture" / "texture.png", 32, 32, 1)


def test_custom_palette_stays_in_its_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = _env(tmp_path)
    _run(EXAMPLES / "custom_palette.py", [str(out), "--size", "32x18", "--name", "dusk2"],
         tmp_path, env)
    assert (out / "palettes" / "dusk2.toml").is_file()
    assert not (tmp_path / "user-palettes").exists()
    assert not (tmp_path / "config").exists()


def test_the_examples_palette_file_imports() -> None:
    from wiktoria.colour.formats import read_palette_source

    colours = read_palette_source(str(EXAMPLES / "dusk.gpl"))
    assert len(colours.colors) == 6


def test_gallery_script_renders_both_files(tmp_path: Path) -> None:
    script = EXAMPLES.parent / "docs" / "gallery.py"
    _run(script, ["-o", str(tmp_path / "gallery"), "--size", "32x18", "--frames", "3"],
         tmp_path, _env(tmp_path))
    _check_image(tmp_path / "gallery" / "moods.png", 7 * 36 + 4, 2 * (20 + 2 * 22) + 4, 1)
    from wiktoria.scene.styles import STYLES

    _check_image(tmp_path / "gallery" / "styles.png", 70 + 4 * 36 + 4,
                 20 + len(STYLES) * 22 + 4, 1)
    _check_image(tmp_path / "gallery" / "loop.gif", 32, 18, 3)
