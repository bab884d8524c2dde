"""The built wheel ships the mood files, and an installed wheel finds them from any folder.

Builds the wheel once per session with ``python -m build --wheel`` (the ``build`` package is in
the test extra; it fetches the hatchling backend into an isolated environment), then inspects
the zip and runs ``python -m wiktoria moods`` against the unpacked wheel from another folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PALETTE_FILES = sorted((REPO / "palettes").glob("*.toml"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    wheels = list(out.glob("wiktoria-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contains_every_mood_file(wheel: Path) -> None:
    assert len(PALETTE_FILES) >= 14
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        shipped = sorted(n for n in names if n.startswith("wiktoria/palettes/"))
        assert shipped == [f"wiktoria/palettes/{p.name}" for p in PALETTE_FILES]
        for path in PALETTE_FILES:
            assert zf.read(f"wiktoria/palettes/{path.name}") == path.read_bytes()
        for module in ("colour/__init__", "colour/ramp", "colour/formats", "moods/mood",
                       "moods/registry", "moods/userdirs"):
            assert f"wiktoria/{module}.py" in names


def test_unpacked_wheel_lists_every_mood_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("WIKTORIA_PALETTES", "COLORTERM")}
    env.update(PYTHONPATH=str(site), HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))

    where = subprocess.run(
        [sys.executable, "-c",
         "import wiktoria; from wiktoria.moods import userdirs as u; print(wiktoria.__file__); "
         "print(u.shipped_palette_dir())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120, check=True,
    ).stdout.splitlines()
    assert Path(where[0]).is_relative_to(site)  # the wheel's copy, not the source tree
    assert Path(where[1]) == site / "wiktoria" / "palettes"

    proc = subprocess.run([sys.executable, "-m", "wiktoria", "moods"], cwd=elsewhere, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    listed = [row.split()[0] for row in proc.stdout.splitlines()[1:]]
    assert listed == sorted(p.stem for p in PALETTE_FILES)
