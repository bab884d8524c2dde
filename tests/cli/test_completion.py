"""Shell completion of moods, styles and ``--set`` keys, through click's completion machinery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

import wiktoria
from wiktoria.cli import cli
from wiktoria.render.painting import build_scene
from wiktoria.scene.styles import STYLES


def complete(args: list[str], incomplete: str) -> list[str]:
    comp = ShellComplete(cli, {}, "wiktoria", "_WIKTORIA_COMPLETE")
    return [item.value for item in comp.get_completions(args, incomplete)]


@pytest.fixture(autouse=True)
def no_user_moods(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKTORIA_PALETTES", str(tmp_path / "none"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.mark.parametrize("command", [["paint"], ["animate"], ["frames"]])
def test_moods(command: list[str]) -> None:
    assert complete([*command, "--mood"], "") == wiktoria.moods()
    assert complete([*command, "--mood"], "se") == [m for m in wiktoria.moods()
                                                    if m.startswith("se")]
    assert "seething" in complete([*command, "--mood"], "see")


def test_moods_for_to_and_the_palette_argument() -> None:
    assert complete(["animate", "--to"], "ser") == ["serene"]
    assert complete(["palette", "show"], "ser") == ["serene"]
    assert complete(["palette", "export", "--mood"], "ser") == ["serene"]


@pytest.mark.parametrize("command", [["paint"], ["animate"], ["frames"]])
def test_styles(command: list[str]) -> None:
    assert complete([*command, "--style"], "") == list(STYLES)
    assert complete([*command, "--style"], "fl") == ["flow"]


@pytest.mark.parametrize("style", list(STYLES))
def test_set_keys_follow_the_style(style: str) -> None:
    keys = build_scene("seething", (16, 16), 0, style)[0].override_keys()
    got = complete(["paint", "--style", style, "--set"], "")
    assert got == [f"{k}=" for k in keys]
    first = keys[0].split(".")[0]
    assert all(v.startswith(first + ".") for v in complete(["paint", "--style", style, "--set"],
                                                           first + "."))
    assert complete(["animate", "--style", style, "--set"], keys[0] + "=") == []


def test_set_keys_default_to_landscape() -> None:
    assert "land.octaves=" in complete(["paint", "--set"], "land.o")
    assert complete(["paint", "--style", "cubist", "--set"], "") == []  # a bad style: nothing


def test_bash_completion_in_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "_WIKTORIA_COMPLETE": "bash_complete",
           "COMP_WORDS": "wiktoria animate --style flow --set brush.tu", "COMP_CWORD": "5",
           "WIKTORIA_PALETTES": str(tmp_path / "none")}
    proc = subprocess.run([sys.executable, "-m", "wiktoria"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["plain,brush.turn="]
    env.update(COMP_WORDS="wiktoria paint --mood seeth", COMP_CWORD="3")
    proc = subprocess.run([sys.executable, "-m", "wiktoria"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.stdout.splitlines() == ["plain,seething"]
