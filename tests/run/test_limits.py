"""Limits of batch runs: workers and memory, frames folders, patterns, oversized files,
schedulers, and Ctrl-C while workers start (real subprocesses)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import wiktoria
from wiktoria.common import memory
from wiktoria.common.memory import MemoryLimit, estimate_memory
from wiktoria.render import compositor
from wiktoria.run import executors, folders
from wiktoria.run.batch import MixedFolderError, render_frames, render_sweep
from wiktoria.run.cluster import check_address, connect
from wiktoria.run.folders import frame_is_complete, frame_names, max_frame_bytes

N = 4
SIZE = (32, 24)


@pytest.fixture(scope="module")
def anim() -> wiktoria.Animation:
    return wiktoria.animate("seething", size=SIZE, frames=N, fps=8, seed=3)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ------------------------------------------------------------------------------ workers


def test_jobs_are_capped_at_usable_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "usable_cpus", lambda: 2)
    assert executors.pool_workers(12, 100) == 2
    assert executors.pool_workers(None, 100) == 2
    assert executors.pool_workers(12, 1) == 1


def test_default_jobs_fit_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    each = estimate_memory(*SIZE)
    monkeypatch.setattr(executors, "usable_cpus", lambda: 8)
    monkeypatch.setattr(memory, "memory_limits",
                        lambda: [MemoryLimit(3 * each + 1, "cgroup memory.max")])
    assert executors.pool_workers(None, 100, SIZE) == 3
    assert executors.pool_workers(3, 100, SIZE) == 3
    with pytest.raises(ValueError, match=r"^a 32x24 painting needs about .* \(4 at once, .* "
                                         r"each\) but only .* \(cgroup memory.max\); choose a "
                                         r"smaller size or fewer jobs$"):
        executors.pool_workers(4, 100, SIZE)


def test_render_frames_checks_memory_for_its_workers(tmp_path: Path, anim: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "usable_cpus", lambda: 4)
    monkeypatch.setattr(compositor, "available_memory",
                        lambda: estimate_memory(*SIZE) * 3 // 2)
    with pytest.raises(ValueError, match=r"\(2 at once, .*available memory"):
        render_frames(anim, tmp_path / "out", jobs=2)
    assert not (tmp_path / "out").exists()
    report = render_frames(anim, tmp_path / "out", jobs=1, frames=range(1))
    assert report.workers == 1


def test_render_frames_reports_capped_workers(tmp_path: Path, anim: Any) -> None:
    report = render_frames(anim, tmp_path, jobs=64)
    assert 1 <= report.workers <= min(N, executors.usable_cpus())


# ------------------------------------------------------------------------------ folders


def test_folder_of_another_scene_is_refused(tmp_path: Path, anim: Any) -> None:
    other = wiktoria.animate("serene", size=SIZE, frames=N, fps=8, seed=9)
    render_frames(other, tmp_path, jobs=1)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(MixedFolderError) as info:
        render_frames(anim, tmp_path, jobs=1, frames=range(2, 3))
    msg = str(info.value)
    assert "'frame_00000.png' (and 3 more), a frame of another scene" in msg
    assert "resume=True" in msg and "overwrite=True" in msg and "\n" not in msg
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    # the same animation again is fine; overwrite and resume are the ways in
    report = render_frames(anim, tmp_path, jobs=1, overwrite=True)
    assert len(report.written) == N
    render_frames(anim, tmp_path, jobs=1)
    with pytest.raises(ValueError, match="choose one"):
        render_frames(anim, tmp_path, jobs=1, resume=True, overwrite=True)
    with pytest.raises(TypeError, match="overwrite must be True or False"):
        render_frames(anim, tmp_path, jobs=1, overwrite=1)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["one.png", "loop.GIF", "x.toml", "a.webp"])
def test_file_like_folder_names_refused(tmp_path: Path, anim: Any, name: str) -> None:
    with pytest.raises(ValueError, match=r"is named like a .* file; a batch writes a folder"):
        render_frames(anim, tmp_path / name, jobs=1)
    with pytest.raises(ValueError, match=r"is named like a .* file"):
        render_sweep("serene", range(2), tmp_path / name, size=SIZE, jobs=1)
    assert names(tmp_path) == []


def test_existing_file_refused(tmp_path: Path, anim: Any) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(ValueError, match=r"is a file, not a folder"):
        render_sweep("serene", range(2), tmp_path / "f", size=SIZE, jobs=1)


def test_sweep_names_are_zero_padded(tmp_path: Path) -> None:
    report = render_sweep("serene", [9, 10, 100], tmp_path, size=(16, 12), jobs=1)
    assert [p.name for p in report.written] == ["serene-009.png", "serene-010.png",
                                                "serene-100.png"]
    assert names(tmp_path) == sorted(p.name for p in report.written)


@pytest.mark.parametrize("seeds", [range(0, 2**63), range(0, 2**64, 1), range(10_001)])
def test_huge_seed_ranges_are_refused_without_counting(tmp_path: Path, seeds: range) -> None:
    with pytest.raises(ValueError, match=r"^a sweep takes at most 10000 seeds, got "):
        render_sweep("serene", seeds, tmp_path / "s", size=(16, 12), jobs=1)
    assert not (tmp_path / "s").exists()


# ------------------------------------------------------------------------------ patterns


@pytest.mark.parametrize(("pattern", "message"), [
    ("{index:99999999}.png", "wider than a frame name can be (240 bytes)"),
    ("{index:0" + "9" * 5000 + "}.png", "wider than a frame name can be"),
    ("{index:{index}}.png", "wider than a frame name can be"),
    ("{index:.300f}.png", "wider than a frame name can be"),
    ("f_" + "#" * 300 + ".png", "wider than a frame name can be"),
    ("{index:200}{index:200}.png", "a name of 404 bytes; frame names have at most 240"),
    ("x\x00{index}.png", "which is not a plain file name"),
    ("x\n{index}.png", "which is not a plain file name"),
])
def test_pattern_bounded_before_building_names(pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"^pattern ") as info:
        frame_names(pattern, 10**6)
    assert message in str(info.value) and "\n" not in str(info.value)
    assert len(str(info.value)) < 300


def test_pattern_last_index_checked_first() -> None:
    # frame 0 fits in 240 bytes; frame 999999 does not, and is found before the whole list
    with pytest.raises(ValueError, match="gives frame 999999 a name of 241 bytes"):
        frame_names("x" * 231 + "{index}.png", 10**6)


# ------------------------------------------------------------------------- oversized files


def test_oversized_frame_file_is_foreign_and_never_read(tmp_path: Path, anim: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "frame_00000.png"
    with open(big, "wb") as fh:  # sparse: no disk used
        fh.truncate(max_frame_bytes(SIZE) + 1)
    real = Path.read_bytes

    def guarded(self: Path) -> bytes:
        assert self != big, "the oversized file was read"
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    assert not frame_is_complete(big, "", "", SIZE)
    for resume in (False, True):
        with pytest.raises(ValueError, match=r"holds 'frame_00000.png', which is not a "
                                             r"Wiktoria frame"):
            render_frames(anim, tmp_path, jobs=1, resume=resume)
    assert names(tmp_path) == ["frame_00000.png"]


def test_max_frame_bytes_covers_incompressible_frames() -> None:
    import io

    import numpy as np
    from PIL import Image

    noise = np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noise).save(buf, format="PNG", compress_level=0)
    assert len(buf.getvalue()) < max_frame_bytes((64, 64)) - folders.FOREIGN_SLACK + 2000


# ------------------------------------------------------------------------------ schedulers


@pytest.mark.parametrize(("address", "message"), [
    ("tcp://127.0.0.1:notaport", "port 'notaport' is not a number from 1 to 65535"),
    ("tcp://127.0.0.1:0", "port '0' is not a number"),
    ("tcp://127.0.0.1:99999", "port '99999' is not a number"),
    ("tcp://127.0.0.1:①", "port '①' is not a number"),
    ("tcp://127.0.0.1", "give HOST:PORT"),
    ("tcp://①:8786", "give HOST:PORT"),
    ("gopher://x:1", "unknown scheme 'gopher'"),
])
def test_bad_scheduler_addresses(address: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"^bad Dask scheduler address ") as info:
        check_address(address)
    assert message in str(info.value)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_scheduler_fails_at_once_in_one_line(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    port = _closed_port()
    with pytest.raises(OSError, match=rf"^cannot reach the Dask scheduler at tcp://127.0.0.1:"
                                      rf"{port} within 30 s: "):
        connect(f"tcp://127.0.0.1:{port}", timeout=30)  # refused: no waiting for 30 s
    res = subprocess.run(
        [sys.executable, "-m", "wiktoria", "frames", "--frames", "2", "--size", "16x16",
         "--scheduler", "tcp://127.0.0.1:notaport", "-o", "f"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    assert res.stderr.splitlines() == [
        "Error: bad Dask scheduler address 'tcp://127.0.0.1:notaport': port 'notaport' is not "
        "a number from 1 to 65535; give HOST:PORT (an ASCII host, a port from 1 to 65535), "
        "e.g. tcp://127.0.0.1:8786"]
    assert names(tmp_path) == []


# ------------------------------------------------------------------------------- Ctrl-C


def _children(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return fh.read().split()
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("after", [0.0, 0.001, 0.05, 0.15])
def test_ctrl_c_while_workers_start_has_no_traceback(tmp_path: Path, after: float) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "wiktoria", "frames", "--frames", "24", "--size", "64x48",
         "-j", "2", "-q", "--seed", "1", "-o", "f"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not _children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(after)
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode in (0, 130), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    leftovers = [p.name for p in (tmp_path / "f").glob(".*")] if (tmp_path / "f").exists() else []
    assert leftovers == []
