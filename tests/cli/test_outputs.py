"""Where the CLI writes: standard output, special files, modes, image and dump together,
and the parts a killed run leaves."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import wiktoria
from wiktoria.cli import cli
from wiktoria.common import atomicio

PAINT = ["paint", "--mood", "serene", "--size", "16x8", "--seed", "1"]


@pytest.fixture(scope="module")
def png() -> bytes:
    return wiktoria.paint("serene", size=(16, 8), seed=1).png_bytes()


def invoke(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, args)


def test_paint_to_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, png: bytes) -> None:
    res = invoke([*PAINT, "-o", "-"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.stderr
    assert res.stdout_bytes == png
    assert res.stderr == "wrote standard output\n" and list(tmp_path.iterdir()) == []


def test_dump_scene_to_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = invoke([*PAINT, "-o", "a.png", "--dump-scene", "-"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.stderr
    assert res.stdout == wiktoria.paint("serene", size=(16, 8), seed=1).scene.to_toml()
    assert [p.name for p in tmp_path.iterdir()] == ["a.png"]


def test_palette_export_to_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = invoke(["palette", "export", "serene", "-o", "-"], tmp_path, monkeypatch)
    assert res.exit_code == 0 and res.stdout.startswith("GIMP Palette\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["/dev/stdout", "/proc/self/fd/1"])
def test_paint_to_dev_stdout_streams(tmp_path: Path, png: bytes, target: str) -> None:
    if not os.path.exists(target):
        pytest.skip(f"no {target}")
    cmd = [sys.executable, "-m", "wiktoria", *PAINT, "-o", target]
    piped = subprocess.run(cmd, cwd=tmp_path, capture_output=True, check=False)
    assert piped.returncode == 0 and piped.stdout == png  # the report went to stderr
    assert piped.stderr == f"wrote {target}\n".encode()
    out = tmp_path / "redirected.png"
    with open(out, "wb") as redirected:  # a regular file behind the link: written, not replaced
        inode = os.fstat(redirected.fileno()).st_ino
        proc = subprocess.run(cmd, cwd=tmp_path, stdout=redirected, check=False)
    assert proc.returncode == 0 and out.read_bytes() == png and out.stat().st_ino == inode
    assert [p.name for p in tmp_path.iterdir()] == ["redirected.png"]
    assert os.path.islink("/dev/stdout") or stat.S_ISCHR(os.stat("/dev/stdout").st_mode)


def test_paint_to_fifo_and_device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  png: bytes) -> None:
    os.mkfifo(tmp_path / "pipe")
    got: list[bytes] = []

    def reader() -> None:
        with open(tmp_path / "pipe", "rb") as f:
            got.append(f.read())

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(500):  # until the reader has the FIFO open
            res = invoke([*PAINT, "-o", "pipe"], tmp_path, monkeypatch)
            if res.exit_code == 0:
                break
            assert "nobody reads" in res.stderr
            time.sleep(0.01)
    finally:
        if thread.is_alive() and not got:
            with open(tmp_path / "pipe", "wb"):
                pass
        thread.join()
    assert got == [png] and stat.S_ISFIFO((tmp_path / "pipe").lstat().st_mode)
    if os.geteuid() == 0:
        os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        res = invoke([*PAINT, "-o", "null"], tmp_path, monkeypatch)
        assert res.exit_code == 0 and stat.S_ISCHR((tmp_path / "null").lstat().st_mode)
    res = invoke([*PAINT, "-o", "/dev/null"], tmp_path, monkeypatch)
    assert res.exit_code == 0 and stat.S_ISCHR(os.lstat("/dev/null").st_mode)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_outputs_get_the_umask_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    mask: int, mode: int) -> None:
    old = os.umask(mask)
    try:
        res = invoke([*PAINT, "-o", "a.png", "--dump-scene", "a.toml"], tmp_path, monkeypatch)
        res2 = invoke(["animate", "--mood", "serene", "--size", "16x8", "--frames", "2",
                       "--seed", "1", "-o", "a.gif"], tmp_path, monkeypatch)
        res3 = invoke(["palette", "export", "serene", "-o", "a.gpl"], tmp_path, monkeypatch)
        res4 = invoke(["frames", "--mood", "serene", "--size", "16x8", "--frames", "2",
                       "--seed", "1", "-o", "fr"], tmp_path, monkeypatch)
    finally:
        os.umask(old)
    assert res.exit_code == res2.exit_code == res3.exit_code == res4.exit_code == 0
    files = [*tmp_path.glob("a.*"), *(tmp_path / "fr").iterdir()]
    assert len(files) == 6
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {
        p.name: mode for p in files}


def test_dump_failure_leaves_no_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace

    def replace(src: str, dst: str) -> None:
        if str(dst).endswith(".toml"):
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(atomicio.os, "replace", replace)
    res = invoke([*PAINT, "-o", "a.png", "--dump-scene", "a.toml"], tmp_path, monkeypatch)
    assert res.exit_code == 2
    assert res.stderr == "Error: cannot write 'a.toml': No space left on device\n"
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "a.png").write_bytes(b"the old painting")
    res = invoke([*PAINT, "-o", "a.png", "--dump-scene", "a.toml"], tmp_path, monkeypatch)
    assert res.exit_code == 2
    assert [p.name for p in tmp_path.iterdir()] == ["a.png"]
    assert (tmp_path / "a.png").read_bytes() == b"the old painting"


def test_killed_animate_leaves_a_part_the_next_run_removes(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "wiktoria", "animate", "--mood", "serene", "--seed", "1",
            "--jobs", "1", "-q", "-o", "loop.gif"]
    proc = subprocess.Popen([*args, "--size", "320x180", "--frames", "400"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(6000):  # wait (up to a minute) until it is writing
            if any(p.name.endswith(".part") for p in tmp_path.iterdir()):
                break
            if proc.poll() is not None:
                pytest.fail("animate ended before it was killed")
            time.sleep(0.01)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    (part,) = tmp_path.iterdir()
    assert part.name.startswith(f".loop.gif.{proc.pid}_") and part.name.endswith(".part")
    subprocess.run([*args, "--size", "16x8", "--frames", "2"], cwd=tmp_path, check=True)
    assert [p.name for p in tmp_path.iterdir()] == ["loop.gif"]


def test_dev_null_twice_is_a_dry_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = invoke([*PAINT, "-o", "/dev/null", "--dump-scene", "/dev/null"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.stderr
    assert list(tmp_path.iterdir()) == []


def test_disk_full_names_the_target_not_the_part(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: Path, data: bytes) -> None:  # a PNG is written as bytes (io/png.py)
        with open(self, "wb") as f:  # the part file exists, half written, then the disk fills
            f.write(data[:10])
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    res = invoke([*PAINT, "-o", "a.png"], tmp_path, monkeypatch)
    assert res.exit_code == 2
    assert res.stderr == "Error: cannot write 'a.png': No space left on device\n"
    assert list(tmp_path.iterdir()) == []


def test_reproduce_to_dev_stdout_reports_on_stderr(tmp_path: Path, png: bytes) -> None:
    if not os.path.exists("/dev/stdout"):
        pytest.skip("no /dev/stdout")
    (tmp_path / "a.png").write_bytes(png)
    proc = subprocess.run([sys.executable, "-m", "wiktoria", "reproduce", "a.png", "/dev/stdout"],
                          cwd=tmp_path, capture_output=True, check=False)
    assert proc.returncode == 0 and proc.stdout == png
    assert proc.stderr == b"wrote /dev/stdout\n"


def test_mp4_in_a_folder_that_looks_like_an_ffmpeg_protocol(tmp_path: Path) -> None:
    pytest.importorskip("imageio_ffmpeg")
    from wiktoria.io.metadata import embedded_scene

    folder = tmp_path / "pipe:1"
    folder.mkdir()
    anim = wiktoria.animate("serene", size=(16, 8), frames=2, seed=1)
    path = anim.save(folder / "a.mp4")
    assert embedded_scene(path) == anim.scene.to_toml()
    assert [p.name for p in folder.iterdir()] == ["a.mp4"]
