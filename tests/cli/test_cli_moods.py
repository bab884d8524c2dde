"""The mood commands of the CLI: ``wiktoria moods`` and ``wiktoria palette show|export|import``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from wiktoria.cli import cli
from wiktoria.cli import palette as cli_module

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p.stem for p in (REPO / "palettes").glob("*.toml"))
URL = "https://coolors.co/03045e-0077b6-48cae4-ade8f4"


@pytest.fixture(autouse=True)
def user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """All user palette folders inside tmp_path; returns $WIKTORIA_PALETTES (not created)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("WIKTORIA_PALETTES", str(tmp_path / "mine"))
    monkeypatch.delenv("COLORTERM", raising=False)
    return tmp_path / "mine"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def assert_one_line_error(result: Result, expected: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert expected in lines[0], lines[0]


# --------------------------------------------------------------------------------------------
# wiktoria moods


def test_moods_lists_every_shipped_mood_in_plain_text() -> None:
    result = run("moods")
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0].split() == ["name", "valence", "arousal", "colours"]
    assert [r.split()[0] for r in rows[1:]] == SHIPPED
    assert "\x1b[" not in result.stdout
    assert "#160304" in next(r for r in rows if r.startswith("seething"))


def test_moods_colour_strips_on_request() -> None:
    result = run("moods", "--color")
    assert result.exit_code == 0
    assert "\x1b[48;2;" in result.stdout


def test_moods_colour_follows_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLORTERM", "truecolor")
    assert "\x1b[" not in run("moods").stdout  # not a tty under CliRunner
    monkeypatch.setattr(cli_module, "truecolor_terminal", lambda: True)
    assert "\x1b[48;2;" in run("moods").stdout
    assert "\x1b[" not in run("moods", "--no-color").stdout


class _Tty:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("colorterm", "expected"),
                         [("truecolor", True), ("24bit", True), ("", False), ("256", False)])
def test_truecolor_detection(monkeypatch: pytest.MonkeyPatch, colorterm: str,
                             expected: bool) -> None:
    monkeypatch.setenv("COLORTERM", colorterm)
    monkeypatch.setattr(sys, "stdout", _Tty())
    assert cli_module.truecolor_terminal() is expected


def test_moods_marks_user_moods_and_shows_shadowing(user_folder: Path) -> None:
    assert run("palette", "import", URL, "--name", "sea").exit_code == 0
    (user_folder / "serene.toml").write_text(
        (REPO / "palettes" / "serene.toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("moods")
    assert result.exit_code == 0
    assert "(user)" in next(r for r in result.stdout.splitlines() if r.startswith("sea "))
    assert "Warning: user mood 'serene'" in result.stderr
    assert "shadows the shipped mood 'serene'" in result.stderr


def test_moods_skips_a_broken_user_file_with_one_warning(user_folder: Path) -> None:
    user_folder.mkdir()
    broken = user_folder / "broken.toml"
    broken.write_text('name = "broken"\n[affect]\nvalence = 0\narousal = 9\n', encoding="utf-8")
    result = run("moods")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"Warning: skipped {broken}: affect.arousal = 9: out of range, must be from -1 to 1"]
    assert "serene" in result.stdout and "broken" not in result.stdout


def test_moods_warns_about_a_failing_user_palette(user_folder: Path) -> None:
    user_folder.mkdir()
    (user_folder / "flat.toml").write_text(
        'name = "flat"\n[affect]\nvalence = 0\narousal = 0\n'
        '[ramp]\nstops = [{ color = "#404040" }, { color = "#454545" }]\n', encoding="utf-8")
    result = run("moods")
    assert result.exit_code == 0
    assert "Warning: " in result.stderr and "palette fails ramp checks" in result.stderr
    assert "flat" in result.stdout


# --------------------------------------------------------------------------------------------
# wiktoria palette show


def test_palette_show_writes_ramp_and_sine_ramp(tmp_path: Path) -> None:
    out = tmp_path / "ramp.png"
    result = run("palette", "show", "seething", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    with Image.open(out) as img:
        assert img.size == (512, 320)
        assert img.getpixel((0, 0)) == (22, 3, 4)


@pytest.mark.parametrize(
    "args",
    [["--mood", "0.3,-0.5"], ["--mood", "-0.3,0.5"], ["-0.3,0.5"], ["calm"], ["--", "-1,-1"]],
)
def test_palette_show_accepts_every_mood_form(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "x.png"
    result = run("palette", "show", "-o", str(out), "--width", "128", *args)
    assert result.exit_code == 0, result.output
    with Image.open(out) as img:
        assert img.size == (128, 320)


def test_palette_show_from_a_mood_file(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    result = run("palette", "show", str(REPO / "palettes" / "tender.toml"), "-o", str(out))
    assert result.exit_code == 0 and out.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["seethin"], "unknown mood 'seethin'; did you mean 'seething'? valid moods: aloof"),
        (["--mood", "1.5,0"], "valence must be a number from -1 to 1, got 1.5"),
        (["--mood", "0,-2"], "arousal must be a number from -1 to 1, got -2.0"),
        (["serene", "--mood", "calm"], "give the mood once: as MOOD or with --mood"),
        ([], "missing MOOD"),
        (["nope.toml"], "mood file 'nope.toml' does not exist"),
        (["serene", "--width", "10"], "10 is not in the range 64<=x<=8192"),
    ],
)
def test_palette_show_errors(tmp_path: Path, args: list[str], expected: str) -> None:
    result = run("palette", "show", "-o", str(tmp_path / "x.png"), *args)
    assert_one_line_error(result, expected)
    assert not (tmp_path / "x.png").exists()


def test_palette_show_bad_output_folder(tmp_path: Path) -> None:
    result = run("palette", "show", "serene", "-o", str(tmp_path / "no" / "x.png"))
    assert_one_line_error(result, "does not exist; create it first")


# --------------------------------------------------------------------------------------------
# wiktoria palette export


def test_palette_export_formats_to_stdout() -> None:
    gpl = run("palette", "export", "seething")
    assert gpl.exit_code == 0 and gpl.stdout.startswith("GIMP Palette\nName: seething\n")
    hexes = run("palette", "export", "rage", "--format", "hex")
    assert hexes.stdout == "160304\n6c0910\nc92516\nf37513\n"
    css = run("palette", "export", "--mood", "0.8,-0.6", "-f", "css")
    assert css.stdout.startswith("linear-gradient(in oklab to right, #")
    samples = run("palette", "export", "serene", "-f", "hex", "--samples", "5")
    assert len(samples.stdout.split()) == 5


def test_palette_export_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "serene.gpl"
    result = run("palette", "export", "serene", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == f"wrote {out}\n"
    assert out.read_text().startswith("GIMP Palette\n")


def test_palette_export_errors() -> None:
    assert_one_line_error(run("palette", "export", "serene", "-f", "ase"), "'ase' is not one of")
    assert_one_line_error(run("palette", "export", "xyzzy"), "unknown mood 'xyzzy'")


# --------------------------------------------------------------------------------------------
# wiktoria palette import


def test_palette_import_writes_to_the_user_folder(user_folder: Path) -> None:
    result = run("palette", "import", URL, "--name", "sea")
    assert result.exit_code == 0, result.output
    target = user_folder / "sea.toml"
    assert result.stdout.startswith(f"wrote {target} (valence ")
    assert "estimated from the colours" in result.stdout
    assert target.exists()
    assert "sea" in run("moods").stdout
    again = run("palette", "import", URL, "--name", "sea")
    assert_one_line_error(again, f"mood name 'sea' is taken by your mood file '{target}'; "
                                 "choose another name (or overwrite it)")
    assert run("palette", "import", URL, "--name", "sea", "--force").exit_code == 0


def test_palette_import_into_the_config_folder(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIKTORIA_PALETTES")
    result = run("palette", "import", URL, "--name", "sea")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "config" / "wiktoria" / "palettes" / "sea.toml").exists()


def test_palette_import_gpl_keep_order(tmp_path: Path, user_folder: Path) -> None:
    gpl = tmp_path / "in.gpl"
    gpl.write_text("GIMP Palette\n200 200 200 light\n 10  10  40 dark\n", encoding="utf-8")
    result = run("palette", "import", str(gpl), "--name", "odd", "--keep-order")
    assert result.exit_code == 0, result.output
    assert "light" in (user_folder / "odd.toml").read_text().split("stops")[1].split("dark")[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([URL, "--name", "Bad Name"], "mood name 'Bad Name' is not usable as a file name"),
        (["https://example.com/123456-abcdef", "--name", "x"], "is not a coolors.co URL"),
        (["nope.gpl", "--name", "x"], "palette file 'nope.gpl' does not exist"),
        ([URL], "Missing option '--name'"),
    ],
)
def test_palette_import_errors(user_folder: Path, args: list[str], expected: str) -> None:
    assert_one_line_error(run("palette", "import", *args), expected)
    assert not user_folder.exists() or not any(user_folder.iterdir())


# --------------------------------------------------------------------------------------------
# as a real program


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WIKTORIA_PALETTES", "COLORTERM")}
    env.update(HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    return env


def test_python_m_wiktoria_moods_from_another_folder(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "wiktoria", "moods"], cwd=tmp_path,
                          env=_env(tmp_path), capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert [r.split()[0] for r in proc.stdout.splitlines()[1:]] == SHIPPED
    assert proc.stderr == ""


def test_python_m_wiktoria_error_is_one_line(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "wiktoria", "palette", "show", "seethin"],
                          cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: unknown mood 'seethin'; did you mean 'seething'?")
    assert len(proc.stderr.strip().splitlines()) == 1
