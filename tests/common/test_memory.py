"""The memory check: every source of a limit, read from fake files, and a real RLIMIT_AS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wiktoria.common import memory
from wiktoria.common.memory import MemoryLimit, check_memory, estimate_memory

GiB = 2**30


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_meminfo(tmp_path: Path) -> None:
    f = _write(tmp_path / "meminfo", "MemTotal: 100 kB\nMemAvailable:    2048 kB\n")
    assert memory.meminfo_limit(f) == MemoryLimit(2048 * 1024, "MemAvailable")
    assert memory.meminfo_limit(_write(tmp_path / "old", "MemFree: 5 kB\n")) is None
    assert memory.meminfo_limit(tmp_path / "missing") is None
    assert memory.meminfo_limit(_write(tmp_path / "odd", "MemAvailable: ① kB\n")) is None


def _v2_tree(tmp_path: Path, leaf_max: str, parent_max: str = "max") -> tuple[Path, Path]:
    root = tmp_path / "cg2"
    _write(root / "cgroup.controllers", "memory\n")
    _write(root / "user.slice" / "memory.max", parent_max + "\n")
    _write(root / "user.slice" / "memory.current", str(1 * GiB))
    leaf = root / "user.slice" / "job"
    _write(leaf / "memory.max", leaf_max + "\n")
    _write(leaf / "memory.current", str(GiB // 2))
    _write(leaf / "memory.stat", f"anon 100\ninactive_file {GiB // 4}\nactive_file 7\n")
    proc = _write(tmp_path / "cgroup", "0::/user.slice/job\n")
    mounts = _write(tmp_path / "mountinfo",
                    "22 1 0:20 / /proc rw - proc proc rw\n"
                    f"31 23 0:28 / {root} rw,nosuid - cgroup2 cgroup2 rw\n")
    return proc, mounts


def test_cgroup_v2_every_level(tmp_path: Path) -> None:
    proc, mounts = _v2_tree(tmp_path, str(2 * GiB), parent_max=str(3 * GiB))
    found = memory.cgroup_limits(proc, mounts)
    # the job: 2 GiB - (0.5 GiB - 0.25 GiB of inactive page cache); its parent: 3 - 1 GiB
    assert found == [MemoryLimit(2 * GiB - GiB // 4, "cgroup memory.max"),
                     MemoryLimit(2 * GiB, "cgroup memory.max")]


def test_cgroup_v2_unlimited_and_missing(tmp_path: Path) -> None:
    proc, mounts = _v2_tree(tmp_path, "max")
    assert memory.cgroup_limits(proc, mounts) == []
    assert memory.cgroup_limits(tmp_path / "nope", mounts) == []
    assert memory.cgroup_limits(proc, tmp_path / "nope") == []


def test_cgroup_v2_namespace_root(tmp_path: Path) -> None:
    # In a container the cgroup path may not exist under the mount: its root is used.
    root = tmp_path / "cg"
    _write(root / "memory.max", str(GiB))
    _write(root / "memory.current", str(GiB // 4))
    proc = _write(tmp_path / "cgroup", "0::/../elsewhere\n")
    mounts = _write(tmp_path / "mountinfo", f"31 23 0:28 / {root} rw - cgroup2 cgroup2 rw\n")
    assert memory.cgroup_limits(proc, mounts) == [MemoryLimit(3 * GiB // 4, "cgroup memory.max")]


def test_cgroup_v1(tmp_path: Path) -> None:
    root = tmp_path / "memory"
    leaf = root / "process_api" / "abc"
    _write(leaf / "memory.limit_in_bytes", str(2 * GiB))
    _write(leaf / "memory.usage_in_bytes", str(GiB))
    _write(leaf / "memory.stat", f"cache 5\ntotal_inactive_file {GiB // 2}\n")
    _write(root / "memory.limit_in_bytes", "9223372036854771712")  # unlimited
    _write(root / "memory.usage_in_bytes", "5")
    proc = _write(tmp_path / "cgroup", "9:name=systemd:/\n4:memory:/process_api/abc\n0::/\n")
    mounts = _write(tmp_path / "mountinfo",
                    f"32 31 0:29 / {tmp_path / 'cpu'} rw - cgroup cgroup rw,cpu\n"
                    f"35 31 0:32 / {root} rw,relatime - cgroup cgroup rw,memory\n")
    assert memory.cgroup_limits(proc, mounts) == [
        MemoryLimit(GiB + GiB // 2, "cgroup memory.limit_in_bytes")]


def test_cgroup_v1_mount_root_stripped(tmp_path: Path) -> None:
    root = tmp_path / "memory"
    _write(root / "memory.limit_in_bytes", str(GiB))
    _write(root / "memory.usage_in_bytes", str(2 * GiB))  # over: nothing left
    proc = _write(tmp_path / "cgroup", "4:memory:/docker/abc\n")
    mounts = _write(tmp_path / "mountinfo",
                    f"35 31 0:32 /docker/abc {root} rw - cgroup cgroup rw,memory\n")
    assert memory.cgroup_limits(proc, mounts) == [MemoryLimit(0, "cgroup memory.limit_in_bytes")]


def test_rlimits(tmp_path: Path) -> None:
    status = _write(tmp_path / "status", "Name: python\nVmSize:  1048576 kB\nVmData: 4 kB\n")
    limits = {"RLIMIT_AS": (3 * GiB, -1), "RLIMIT_DATA": (-1, -1)}
    found = memory.rlimit_limits(limits.__getitem__, status)
    assert found == [MemoryLimit(2 * GiB, "RLIMIT_AS", per_process=True)]

    def failing(which: str) -> tuple[int, int]:
        raise OSError(which)

    assert memory.rlimit_limits(failing, status) == []
    # status unreadable: the whole limit counts as available
    data = {"RLIMIT_AS": (-1, -1), "RLIMIT_DATA": (GiB, GiB)}
    assert memory.rlimit_limits(data.__getitem__, tmp_path / "none") == [
        MemoryLimit(GiB, "RLIMIT_DATA", per_process=True)]


def test_check_memory_names_size_need_limit_and_source() -> None:
    check_memory(100, 100, limits=[MemoryLimit(GiB, "cgroup memory.max")])
    with pytest.raises(ValueError, match=r"^a 8000x8000 ") as info:
        check_memory(8000, 8000, limits=[MemoryLimit(10 * GiB, "MemAvailable"),
                                         MemoryLimit(2 * GiB, "cgroup memory.max")])
    assert str(info.value) == ("a 8000x8000 painting needs about 3.3 GiB but only 2.0 GiB is "
                               "available (cgroup memory.max); choose a smaller size")


def test_workers_multiply_shared_limits_only() -> None:
    each = estimate_memory(2000, 2000)
    shared = MemoryLimit(3 * each, "MemAvailable")
    rlimit = MemoryLimit(each + 1, "RLIMIT_AS", per_process=True)
    check_memory(2000, 2000, workers=3, limits=[shared, rlimit])
    with pytest.raises(ValueError, match=r"^a 2000x2000 painting needs about .* GiB \(4 at "
                                         r"once, .* GiB each\) but only .* \(MemAvailable\); "
                                         r"choose a smaller size or fewer jobs$"):
        check_memory(2000, 2000, workers=4, limits=[shared, rlimit])
    assert memory.workers_that_fit(2000, 2000, 8, [shared, rlimit]) == 3
    assert memory.workers_that_fit(2000, 2000, 8, [MemoryLimit(0, "MemAvailable")]) == 1


def test_readers_of_this_machine_do_not_fail() -> None:
    for lim in memory.memory_limits():
        assert lim.available >= 0 and lim.source
    assert memory.available_memory() is None or memory.available_memory() >= 0


def _limited(args: list[str], cwd: Path, limit: int = 2 * GiB) -> subprocess.CompletedProcess:
    code = ("import resource, sys\n"
            f"resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))\n"
            "from wiktoria.cli import main\n"
            f"main({args!r})\n")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "WIKTORIA_NUM_THREADS": "1"})


@pytest.mark.parametrize(("args", "what"), [
    (["paint", "--size", "8000x8000", "--seed", "1", "-o", "big.png"], "painting"),
    (["noise", "--size", "16384x16384", "-o", "big.png"], "noise image"),
    (["frames", "--size", "8000x8000", "--frames", "2", "--seed", "1", "-j", "1", "-o", "f"],
     "painting"),
])
def test_real_rlimit_as_is_one_line_before_rendering(tmp_path: Path, args: list[str],
                                                     what: str) -> None:
    res = _limited(args, tmp_path)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr
    assert lines[0].startswith(f"Error: a {args[2]} {what} needs about ")
    assert lines[0].endswith("is available (RLIMIT_AS); choose a smaller size")
    assert list(tmp_path.iterdir()) == []  # nothing written, no folder, no .part


def test_real_rlimit_as_small_render_still_works(tmp_path: Path) -> None:
    res = _limited(["paint", "--size", "64x48", "--seed", "1", "-o", "small.png"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "small.png").is_file()
