"""wiktoria.common.atomicio: modes, special files, stale parts, writes committed together."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wiktoria.common import atomicio
from wiktoria.common.atomicio import (
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    output_target,
    remove_stale_parts,
    same_file,
    together,
)

ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="creating device nodes needs root")


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def parts(folder: Path) -> list[str]:
    return [n for n in listing(folder) if n.endswith(".part")]


# --------------------------------------------------------------------------- modes


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_file_gets_the_mode_open_gives(tmp_path: Path, mask: int, expected: int) -> None:
    old = os.umask(mask)
    try:
        atomic_write_bytes(tmp_path / "a.png", b"x")
        with open(tmp_path / "b.png", "wb"):
            pass
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.png").stat().st_mode) == expected
    assert stat.S_IMODE((tmp_path / "b.png").stat().st_mode) == expected


def test_existing_file_keeps_its_mode_and_owner(tmp_path: Path, umask: None) -> None:
    target = tmp_path / "a.toml"
    target.write_text("old")
    target.chmod(0o640)
    if ROOT:
        os.chown(target, 1234, 5678)
    atomic_write_text(target, "new")
    st = target.stat()
    assert target.read_text() == "new" and stat.S_IMODE(st.st_mode) == 0o640
    if ROOT:
        assert (st.st_uid, st.st_gid) == (1234, 5678)


# --------------------------------------------------------------------------- special files


def test_symlink_to_a_file_keeps_the_link(tmp_path: Path, umask: None) -> None:
    (tmp_path / "real.png").write_bytes(b"old")
    (tmp_path / "link.png").symlink_to("real.png")
    atomic_write_bytes(tmp_path / "link.png", b"new")
    assert (tmp_path / "link.png").is_symlink()
    assert (tmp_path / "real.png").read_bytes() == b"new"
    assert listing(tmp_path) == ["link.png", "real.png"]


def test_dangling_symlink_creates_its_target(tmp_path: Path, umask: None) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.png").symlink_to("sub/new.png")
    atomic_write_bytes(tmp_path / "link.png", b"new")
    assert (tmp_path / "link.png").is_symlink()
    assert (tmp_path / "sub" / "new.png").read_bytes() == b"new"
    assert parts(tmp_path) == parts(tmp_path / "sub") == []


@needs_root
def test_character_device_is_written_through(tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a copy of /dev/null
    assert output_target(null).kind == "stream"
    atomic_write_bytes(null, b"x" * 100_000)
    assert stat.S_ISCHR(null.lstat().st_mode) and listing(tmp_path) == ["null"]


def test_dev_null_and_stdout_are_streams() -> None:
    assert output_target("/dev/null").kind == "stream"
    if os.path.exists("/dev/stdout"):
        assert output_target("/dev/stdout").kind == "stream"


def test_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    opened = threading.Event()

    def reader() -> None:
        with open(fifo, "rb") as f:
            opened.set()
            got.append(f.read())

    thread = threading.Thread(target=reader)
    thread.start()
    data = os.urandom(300_000)  # more than a pipe buffer
    for _ in range(1000):  # the reader must have the FIFO open before we write
        try:
            atomic_write_bytes(fifo, data)
            break
        except ValueError:
            opened.wait(0.01)
    thread.join()
    assert got == [data]
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and listing(tmp_path) == ["fifo"]


def test_fifo_nobody_reads_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"^cannot write '.*fifo': it is a FIFO that nobody "
                                         r"reads$"):
        atomic_write_bytes(fifo, b"x")
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and listing(tmp_path) == ["fifo"]


def test_proc_fd_symlink_is_written_through(tmp_path: Path) -> None:
    """``-o /dev/stdout`` with stdout redirected to a file: the file is written, nothing is
    replaced (the shell's descriptor still sees the data)."""
    redirected = tmp_path / "redirected.png"
    fd = os.open(redirected, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{fd}")
        inode = redirected.stat().st_ino
        assert output_target(link).kind == "stream"
        atomic_write_bytes(link, b"PNG data")
        assert link.is_symlink() and redirected.stat().st_ino == inode
        assert os.pread(fd, 100, 0) == b"PNG data"
    finally:
        os.close(fd)
    assert parts(tmp_path) == []


def test_failed_write_to_a_stream_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "target"
    fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        temps: list[Path] = []

        def render() -> None:
            with atomic_path(f"/proc/self/fd/{fd}") as tmp:
                temps.append(tmp)
                tmp.write_bytes(b"half")
                raise RuntimeError("render failed")

        with pytest.raises(RuntimeError):
            render()
        assert os.pread(fd, 100, 0) == b"" and not temps[0].parent.exists()
    finally:
        os.close(fd)


@needs_root
def test_block_device_is_refused(tmp_path: Path) -> None:
    block = tmp_path / "disk"
    os.mknod(block, 0o600 | stat.S_IFBLK, os.makedev(7, 0))
    with pytest.raises(ValueError, match=r"^cannot write '.*disk': it is a block device; give a "
                                         r"file name$"):
        atomic_write_bytes(block, b"x")
    assert stat.S_ISBLK(block.lstat().st_mode) and listing(tmp_path) == ["disk"]


def test_folder_and_socket_are_refused(tmp_path: Path) -> None:
    (tmp_path / "x.png").mkdir()
    with pytest.raises(ValueError, match=r"^cannot write '.*x\.png': it is a folder"):
        atomic_write_bytes(tmp_path / "x.png", b"x")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s"))
        with pytest.raises(ValueError, match=r"it is a socket"):
            atomic_write_bytes(tmp_path / "s", b"x")
    finally:
        sock.close()
    assert listing(tmp_path) == ["s", "x.png"]


def test_symlink_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(ValueError, match=r"^cannot write '.*a': too many levels of symbolic "
                                         r"links$"):
        atomic_write_bytes(tmp_path / "a", b"x")
    assert listing(tmp_path) == ["a", "b"]


def test_same_file(tmp_path: Path) -> None:
    a = tmp_path / "a.png"
    a.write_bytes(b"x")
    (tmp_path / "link.png").symlink_to("a.png")
    os.link(a, tmp_path / "hard.png")
    (tmp_path / "sub").mkdir()
    assert same_file(a, tmp_path / "sub" / ".." / "a.png")
    assert same_file(a, tmp_path / "link.png") and same_file(a, tmp_path / "hard.png")
    assert not same_file(a, tmp_path / "b.png")
    assert same_file(tmp_path / "new.png", tmp_path / "." / "new.png")


# --------------------------------------------------------------------------- stale parts


def dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


def part_name(target: str, pid: int, host: str = atomicio._HOST) -> str:
    return f".{target}.{pid}_{host}_0123abcd.part"


def test_stale_parts_of_dead_writers_are_removed(tmp_path: Path) -> None:
    dead = dead_pid()
    stale = tmp_path / part_name("x.gif", dead)
    live = tmp_path / part_name("x.gif", os.getppid())  # a writer that is still running
    other_host = tmp_path / part_name("x.gif", dead, "ffffffff")  # may be alive elsewhere
    other_target = tmp_path / part_name("y.gif", dead)
    legacy_new = tmp_path / ".x.gif.ab_cd123.part"  # tempfile's name, no pid: by age only
    legacy_old = tmp_path / ".x.gif.zz_99999.part"
    foreign = tmp_path / ".x.gif.notours.part"
    for p in (stale, live, other_host, other_target, legacy_new, legacy_old, foreign):
        p.write_bytes(b"half")
    os.utime(legacy_old, (time.time() - 7200,) * 2)
    link = tmp_path / part_name("x.gif", dead + 1)
    link.symlink_to(other_target.name)  # not a regular file: left alone
    atomic_write_bytes(tmp_path / "x.gif", b"GIF")
    left = set(listing(tmp_path))
    assert stale.name not in left and legacy_old.name not in left
    assert {live.name, other_host.name, other_target.name, legacy_new.name, foreign.name,
            link.name, "x.gif"} == left


def test_old_parts_of_any_host_are_removed(tmp_path: Path) -> None:
    old = tmp_path / part_name("x.gif", 1, "ffffffff")
    old.write_bytes(b"")
    os.utime(old, (time.time() - atomicio.STALE_SECONDS - 60,) * 2)
    assert remove_stale_parts(tmp_path / "x.gif") == [old]


def test_sigkilled_writer_leaves_a_part_the_next_write_removes(tmp_path: Path) -> None:
    code = ("import sys, time\n"
            "from wiktoria.common.atomicio import atomic_path\n"
            "with atomic_path(sys.argv[1]) as tmp:\n"
            "    tmp.write_bytes(b'half a loop')\n"
            "    print('writing', flush=True)\n"
            "    time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "loop.gif")],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
        assert remove_stale_parts(tmp_path / "loop.gif", rescan=True) == []  # still writing
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
    (part,) = parts(tmp_path)
    assert part.startswith(f".loop.gif.{proc.pid}_")
    subprocess.run([sys.executable, "-c", "import sys\n"  # the next run
                    "from wiktoria.common.atomicio import atomic_write_bytes\n"
                    "atomic_write_bytes(sys.argv[1], b'GIF')", str(tmp_path / "loop.gif")],
                   check=True)
    assert listing(tmp_path) == ["loop.gif"]


def test_folder_is_listed_once_per_process(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = os.scandir

    def scandir(path: object) -> object:
        calls.append(path)
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(atomicio.os, "scandir", scandir)
    for i in range(20):
        atomic_write_bytes(tmp_path / f"frame_{i}.png", b"x")
    assert len(calls) == 1


# --------------------------------------------------------------------------- together


def test_together_commits_at_the_end(tmp_path: Path) -> None:
    with together():
        atomic_write_text(tmp_path / "a.png", "a")
        atomic_write_text(tmp_path / "b.toml", "b")
        assert [n for n in listing(tmp_path) if not n.startswith(".")] == []
    assert listing(tmp_path) == ["a.png", "b.toml"]


def test_together_failing_block_writes_neither(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_text("old")

    def run() -> None:
        with together():
            atomic_write_text(tmp_path / "a.png", "new")
            raise RuntimeError("the dump failed")

    with pytest.raises(RuntimeError):
        run()
    assert listing(tmp_path) == ["a.png"] and (tmp_path / "a.png").read_text() == "old"


@pytest.mark.parametrize("existed", [False, True])
def test_together_failing_second_commit_takes_back_the_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existed: bool) -> None:
    if existed:
        (tmp_path / "a.png").write_text("old image")
    real = os.replace

    def replace(src: str, dst: str) -> None:
        if str(dst).endswith("b.toml"):
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(atomicio.os, "replace", replace)

    def run() -> None:
        with together():
            atomic_write_text(tmp_path / "a.png", "new image")
            atomic_write_text(tmp_path / "b.toml", "scene")

    with pytest.raises(OSError, match="No space left"):
        run()
    monkeypatch.undo()
    if existed:
        assert listing(tmp_path) == ["a.png"]
        assert (tmp_path / "a.png").read_text() == "old image"
    else:
        assert listing(tmp_path) == []
