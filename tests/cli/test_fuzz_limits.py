"""A battery of bad invocations around limits (sizes, seeds, jobs, fps, frames, patterns,
schedulers, folders, memory): each exits 2 with exactly one ``Error:`` line, no traceback and
nothing left behind; and properties of the option parsers for any text."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wiktoria
from wiktoria.cli import cli
from wiktoria.cli.loops import _frame_range
from wiktoria.cli.options import parse_seeds, parse_size
from wiktoria.common import memory
from wiktoria.common.memory import MemoryLimit
from wiktoria.run.batch import _check_selection
from wiktoria.run.folders import frame_names

F = ["frames", "--frames", "3", "--size", "16x12", "--seed", "1", "-j", "1", "-q"]
A = ["animate", "--frames", "3", "--size", "16x12", "--seed", "1", "-j", "1", "-q"]
P = ["paint", "--size", "16x12", "-j", "1", "-q"]
NOISE = ["noise", "--size", "16x12"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


BAD_SIZES = ["²x2", "①x2", "٣x3", "0x5", "16385x5", "5x16385", "x", "5x", "x5", "1e3x5",
             "-5x5", "5x-5", "9" * 40 + "x1", "5x5x5", "", " ", "0x0", "5 x", "0b11x5",
             "1_000x5", "+5x5", "5,5", "5×", "1" * 5000 + "x1"]

CASES: list[tuple[str, list[str]]] = [
    *[(f"paint size {s!r}", ["paint", "--size", s, "-o", "a.png"]) for s in BAD_SIZES],
    *[(f"frames size {s!r}", [*F, "--size", s, "-o", "d"]) for s in BAD_SIZES[:8]],
    *[(f"animate size {s!r}", [*A, "--size", s, "-o", "a.gif"]) for s in BAD_SIZES[:6]],
    *[(f"noise size {s!r}", ["noise", "--size", s, "-o", "n.png"]) for s in BAD_SIZES[:10]],
    # seeds and seed ranges
    *[(f"paint seed {s!r}", [*P, "--seed", s, "-o", "a.png"]) for s in
      ["-1", "abc", "9223372036854775808", "9" * 30, "①", "٣", "0.5", "1e3", "", "..", "1..",
       "..1", "1...3", "1,,2", ","]],
    *[(f"sweep {s!r}", [*P, "--seed", s, "-o", "sweep"]) for s in
      ["0..9223372036854775807", "0..18446744073709551615", "9..3", "1,1", "0..10000",
       "0..5000,6000..11000", "1," * 10_001, "0..9223372036854775808", "0..①"]],
    ("sweep without -o", [*P, "--seed", "0..2"]),
    ("sweep into one.png", [*P, "--seed", "0..2", "-o", "one.png"]),
    ("sweep into a file", [*P, "--seed", "0..2", "-o", "afile"]),
    ("sweep with --scene", [*P, "--seed", "0..2", "--scene", "x.toml", "-o", "sweep"]),
    *[(f"frames seed {s!r}", [*F, "--seed", s, "-o", "d"]) for s in
      ["-1", "1.5", "9223372036854775808", "0..3"]],
    # jobs
    *[(f"jobs {j!r}", [*F, "-j", j, "-o", "d"]) for j in ["0", "-3", "abc", "1.5", "", "①"]],
    *[(f"paint jobs {j!r}", [*P, "--seed", "0..1", "-j", j, "-o", "sweep"]) for j in
      ["0", "-1"]],
    # fps and frames
    *[(f"fps {v!r}", [*F, "--fps", v, "-o", "d"]) for v in
      ["0", "-1", "nan", "inf", "-inf", "101", "abc", "1e999", ""]],
    *[(f"frames {v!r}", [*F, "--frames", v, "-o", "d"]) for v in ["0", "-1", "abc", "1.5"]],
    *[(f"start/stop {v}", [*F, *v, "-o", "d"]) for v in
      [["--start", "-1"], ["--start", "3"], ["--stop", "0"], ["--stop", "4"],
       ["--start", "2", "--stop", "2"], ["--start", "99999999999999999999"],
       ["--stop", "-99999999999999999999"]]],
    # patterns
    *[(f"pattern {p[:30]!r}", [*F, "--pattern", p, "-o", "d"]) for p in
      ["x.png", "{index:99999999}.png", "{other}.png", "a/{index}.png", ".{index}.png",
       "{index}.jpg", "{index:{index}}.png", "{index!z}.png", "{", "}{index}.png",
       "{index:200}{index:200}.png", "{0}.png", "{index.real}.png", "{index[0]}.png",
       "f##_##.png", "f_" + "#" * 300 + ".png", "{index:x<300}.png", "x\x01{index}.png",
       "{index:.999f}.png", "{index:c}.png", "{index:,}" + "x" * 240 + ".png", "",
       "a{index!s:.0}.png"]],
    # schedulers
    *[(f"scheduler {s!r}", [*F, "--scheduler", s, "--connect-timeout", "5", "-o", "d"])
      for s in ["tcp://127.0.0.1:notaport", "tcp://:1", "gopher://x:1", "tcp://127.0.0.1:0",
                "tcp://127.0.0.1:65536", f"tcp://127.0.0.1:{_closed_port()}", "tcp://①:1",
                "tcp://127.0.0.1", "tcp://a b:1"]],
    *[(f"connect-timeout {t!r}", [*F, *t, "-o", "d"]) for t in
      [["--connect-timeout", "5"], ["--scheduler", "tcp://127.0.0.1:1", "--connect-timeout",
                                    "0"],
       ["--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", "nan"],
       ["--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", "-1"]]],
    # folders
    ("frames into x.png", [*F, "-o", "x.png"]),
    ("frames into a file", [*F, "-o", "afile"]),
    ("frames into a missing parent", [*F, "-o", "missing/deeper/d"]),
    ("frames into a folder with notes", [*F, "-o", "notes"]),
    ("frames into another scene's frames", [*F, "-o", "other"]),
    ("frames resume and overwrite", [*F, "--resume", "--overwrite", "-o", "d"]),
    ("frames without -o", F),
    # memory (limits faked in-process by the fixture below)
    ("memory paint", ["paint", "--size", "16384x16384", "-o", "big.png"]),
    ("memory frames", [*F, "--size", "16384x16384", "-o", "d"]),
    ("memory sweep", [*P, "--size", "16384x16384", "--seed", "0..3", "-o", "sweep"]),
    ("memory noise", ["noise", "--size", "16384x16384", "-o", "n.png"]),
    ("memory animate", [*A, "--size", "16384x16384", "-o", "a.gif"]),
    # noise options
    *[(f"noise {o}", [*NOISE, *o, "-o", "n.png"]) for o in
      [["--octaves", "0"], ["--octaves", "33"], ["--scale", "0"], ["--scale", "nan"],
       ["--scale", "-1"], ["--kind", "worley"], ["--seed", "x"], ["--seed", "-1"],
       ["--seed", "9223372036854775808"], ["--size", "①x2"]]],
    ("noise to jpg", [*NOISE, "-o", "n.jpg"]),
    ("noise into a missing folder", [*NOISE, "-o", "missing/n.png"]),
]


def _tree(root: Path) -> dict[str, int]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            out[str(p.relative_to(root))] = p.stat().st_size if p.is_file() else -1
    return out


@pytest.fixture(scope="module")
def other_frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    anim = wiktoria.animate("serene", size=(16, 12), frames=3, fps=8, seed=9)
    return {f"frame_{i:05d}.png": anim.plan.png_bytes(i) for i in range(3)}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            other_frames: dict[str, bytes]) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    (tmp_path / "afile").write_text("x")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "notes.txt").write_text("mine")
    (tmp_path / "other").mkdir()
    for name, data in other_frames.items():
        (tmp_path / "other" / name).write_bytes(data)
    # 3 GiB left in the cgroup: 16384x16384 never fits, the small renders here all do
    monkeypatch.setattr(memory, "memory_limits",
                        lambda: [MemoryLimit(3 * 2**30, "cgroup memory.max")])
    return tmp_path


def check_failure(code: int, stderr: str, before: dict[str, int], root: Path) -> None:
    lines = stderr.splitlines()
    assert code == 2, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    assert len(lines[0]) < 400, lines[0]
    assert _tree(root) == before  # nothing created or changed, no hidden .part files


@pytest.mark.parametrize("args", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_invocation_is_one_line(workdir: Path, args: list[str]) -> None:
    before = _tree(workdir)
    result = CliRunner().invoke(cli, args)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit), repr(result.exception)
    check_failure(result.exit_code, result.stderr, before, workdir)


SUBPROCESS_CASES = [
    ["paint", "--size", "①x2"],
    ["paint", "--seed", "0..9223372036854775807", "-o", "sweep"],
    ["frames", "--frames", "3", "--size", "16x12", "-j", "0", "-o", "d"],
    ["frames", "--frames", "3", "--pattern", "{index:99999999}.png", "-o", "d"],
    ["frames", "--frames", "3", "--size", "16x12", "--seed", "1", "-o", "x.png"],
]


@pytest.mark.parametrize("args", SUBPROCESS_CASES, ids=[" ".join(a)[:40] for a in
                                                        SUBPROCESS_CASES])
def test_bad_invocation_real_process(tmp_path: Path, args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DASK_SCHEDULER_ADDRESS"}
    res = subprocess.run([sys.executable, "-m", "wiktoria", *args], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, env=env)
    check_failure(res.returncode, res.stderr, {}, tmp_path)


# ------------------------------------------------------------------------------ properties

PROPS = settings(max_examples=300, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])
SIZE_TEXT = st.one_of(st.text(max_size=40),
                      st.from_regex(r"\s*[0-9²①٣]{0,25}\s*[xX×]\s*[0-9²①٣]{0,25}\s*",
                                    fullmatch=True))
SEED_TEXT = st.one_of(st.text(max_size=40),
                      st.from_regex(r"[0-9①٣ ]{0,22}(\.\.[0-9①٣ ]{0,22})?(,[0-9. ]{0,8}){0,3}",
                                    fullmatch=True))


def one_line(message: str, limit: int = 500) -> None:
    assert "\n" not in message and len(message) < limit, message


@PROPS
@given(SIZE_TEXT)
def test_parse_size_any_text(text: str) -> None:
    try:
        w, h = parse_size(text)
    except click.BadParameter as exc:
        message = exc.message
    else:
        assert isinstance(w, int) and isinstance(h, int) and w >= 0 and h >= 0
        return
    one_line(message)


@PROPS
@given(SEED_TEXT)
def test_parse_seeds_any_text(text: str) -> None:
    try:
        seeds = parse_seeds(text)
    except ValueError as exc:
        message = str(exc)
    else:
        assert 1 <= len(seeds) <= 10_000
        assert all(isinstance(s, int) and 0 <= s < 2**63 for s in seeds)
        return
    one_line(message)


PATTERN_TEXT = st.one_of(
    st.text(max_size=30),
    st.builds(lambda a, spec, b: f"{a}{{index{spec}}}{b}.png", st.text(max_size=8),
              st.text(max_size=12).map(lambda t: ":" + t if t else ""), st.text(max_size=8)),
    st.from_regex(r"[a-z_]{0,5}#{1,400}[a-z_]{0,5}\.png", fullmatch=True),
)


@PROPS
@given(PATTERN_TEXT, st.integers(1, 100_000))
def test_frame_names_any_pattern(pattern: str, n: int) -> None:
    try:
        found = frame_names(pattern, n)
    except ValueError as exc:
        message = str(exc)
    else:
        assert len(found) == n and len(set(found)) == n
        assert all(len(name.encode("utf-8", "surrogatepass")) <= 240 for name in found)
        return
    one_line(message)


BIG = st.integers(-(2**70), 2**70)


@PROPS
@given(st.one_of(st.none(), BIG), st.one_of(st.none(), BIG), st.integers(1, 10**6))
def test_frame_selection_any_numbers(start: int | None, stop: int | None, n: int) -> None:
    messages = []
    try:
        cli_range = _frame_range(start, stop, n)
    except ValueError as exc:
        messages.append(str(exc))
    else:
        assert 0 <= cli_range.start < cli_range.stop <= n
    try:
        lib = _check_selection(slice(start, stop), n)
    except (ValueError, TypeError) as exc:
        messages.append(str(exc))
    else:
        assert 0 <= lib.start < lib.stop <= n
    for message in messages:
        one_line(message)
