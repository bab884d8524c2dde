"""The README stays true: set-up commands as CI runs them, the generated table of moods, links."""

from __future__ import annotations

import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_two_setup_commands_and_ci_runs_the_test_one_verbatim() -> None:
    blocks = re.findall(r"```bash\n(.*?)\n```", README.split("## Quickstart")[0], re.S)
    assert blocks == [
        "python -m pip install . && wiktoria paint --mood seething",
        "python -m pip install '.[test]' && python -m pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci.splitlines()


def test_table_of_moods_is_generated_from_the_palettes() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "docs" / "readme_moods.py"), "--check"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr


def test_gallery_images_exist_and_are_light() -> None:
    for name in re.findall(r"\]\((docs/gallery/[^)]+)\)", README):
        path = ROOT / name
        assert path.exists(), name
        assert path.stat().st_size < 3 * 2**20, name


def test_every_command_is_in_the_reference() -> None:
    from wiktoria.cli import cli

    for name in cli.commands:
        assert f"`wiktoria {name}" in README, name


def test_every_command_has_help_with_examples() -> None:
    import click
    from click.testing import CliRunner

    from wiktoria.cli import cli

    def walk(group: click.Group, prefix: list[str]):
        for name, cmd in group.commands.items():
            yield [*prefix, name]
            if isinstance(cmd, click.Group):
                yield from walk(cmd, [*prefix, name])

    for path in [[], *walk(cli, [])]:
        res = CliRunner().invoke(cli, [*path, "--help"])
        assert res.exit_code == 0, path
        assert "Examples:" in res.output, path


def test_shell_completion_as_documented() -> None:
    import os

    env = {**os.environ, "COMP_WORDS": "wiktoria pa", "COMP_CWORD": "1",
           "_WIKTORIA_COMPLETE": "bash_complete"}
    proc = subprocess.run([sys.executable, "-m", "wiktoria"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    # python -m reports its program name as the module; the completion protocol still answers.
    assert proc.returncode == 0, proc.stderr
    assert "paint" in proc.stdout and "palette" in proc.stdout
    assert "_WIKTORIA_COMPLETE=bash_source wiktoria" in README


def test_the_layer_example_runs(tmp_path: Path, monkeypatch) -> None:
    """The README's "Layers of your own" block, at a small size, in a scratch folder."""
    section = README.split("### Layers of your own")[1]
    code = re.findall(r"```python\n(.*?)\n```", section, re.S)[0]
    code = code.replace("size=(480, 270)", "size=(48, 27)").replace("frames=24", "frames=3")
    monkeypatch.chdir(tmp_path)
    from wiktoria.render import unregister_layer

    module = types.ModuleType("readme_example")  # dataclasses look their module up
    monkeypatch.setitem(sys.modules, "readme_example", module)
    try:
        exec(compile(code, "README.md", "exec"), module.__dict__)
    finally:
        unregister_layer("tint")
    assert (tmp_path / "tinted.png").exists() and (tmp_path / "tint.gif").exists()
    from wiktoria.render.painting import read_scene

    with pytest.raises(ValueError, match="unknown layer type 'tint'"):
        read_scene(tmp_path / "tinted.png")  # once unregistered, the type is unknown again
