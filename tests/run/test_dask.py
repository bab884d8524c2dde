"""Rendering frames on a Dask cluster: a real LocalCluster with worker processes (issue #7).

Loopback addresses only. Each cluster is closed by its fixture; the nanny writes its
pre-spawn environment into ``os.environ``, which :func:`wiktoria.run.cluster.local_cluster` and the
fixtures restore.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

pytest.importorskip("distributed")

import wiktoria
from wiktoria.cli import cli
from wiktoria.run.cluster import DISTRIBUTED_EXTRA_MESSAGE, WORKER_CONFIG, connect, local_cluster

SIZE = (48, 32)
FRAMES = 8


@pytest.fixture(scope="module")
def anim() -> wiktoria.Animation:
    return wiktoria.animate("serene", size=SIZE, frames=FRAMES, fps=8, seed=3)


@pytest.fixture(scope="module")
def reference(anim: wiktoria.Animation,
              tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("ref")
    report = wiktoria.render_frames(anim, out, jobs=1)
    return {p.name: p.read_bytes() for p in report.written}


def _start_cluster() -> tuple[Any, Any]:
    cluster = local_cluster(2, threads_per_worker=1, processes=True, dashboard_address=":0")
    client = connect(cluster.scheduler_address, timeout=10)
    client.wait_for_workers(2, timeout=30)
    return cluster, client


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[Any, Any]]:
    saved = dict(os.environ)
    cluster, client = _start_cluster()
    try:
        yield cluster, client
    finally:
        client.close()
        cluster.close()
        os.environ.clear()
        os.environ.update(saved)


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_local_cluster_workers_have_no_malloc_trim_threshold(cluster: tuple[Any, Any]) -> None:
    _, client = cluster
    env = client.run(lambda: (os.environ.get("MALLOC_TRIM_THRESHOLD_"),
                              os.environ.get("WIKTORIA_NUM_THREADS")))
    assert len(env) == 2
    assert set(env.values()) == {(None, "1")}
    assert "MALLOC_TRIM_THRESHOLD_" not in os.environ
    assert "MALLOC_TRIM_THRESHOLD_: null" in WORKER_CONFIG


def test_client_frames_are_identical_to_a_local_render(
        cluster: tuple[Any, Any], anim: wiktoria.Animation, reference: dict[str, bytes],
        tmp_path: Path) -> None:
    _, client = cluster
    done: list[int] = []
    report = wiktoria.render_frames(anim, tmp_path / "a", executor=client, progress=done.append)
    assert report.workers == 2
    assert done == [1] * FRAMES
    assert _folder(tmp_path / "a") == reference
    # Dask's own concurrent.futures executor is the same path.
    report = wiktoria.render_frames(anim, tmp_path / "b", executor=client.get_executor())
    assert _folder(tmp_path / "b") == reference


def test_write_on_workers_is_identical(cluster: tuple[Any, Any], anim: wiktoria.Animation,
                                       reference: dict[str, bytes], tmp_path: Path) -> None:
    _, client = cluster
    report = wiktoria.render_frames(anim, tmp_path / "w", executor=client,
                                    write_on_workers=True, frames=range(0, 5))
    assert len(report.written) == 5
    report = wiktoria.render_frames(anim, tmp_path / "w", executor=client,
                                    write_on_workers=True, resume=True)
    assert len(report.skipped) == 5
    assert len(report.written) == FRAMES - 5
    assert _folder(tmp_path / "w") == reference


def test_write_on_workers_without_a_cluster_too(anim: wiktoria.Animation,
                                                reference: dict[str, bytes],
                                                tmp_path: Path) -> None:
    wiktoria.render_frames(anim, tmp_path, jobs=1, write_on_workers=True)
    assert _folder(tmp_path) == reference


@pytest.mark.parametrize("write_on_workers", [False, True])
def test_a_worker_killed_mid_batch_loses_no_frame(
        write_on_workers: bool, tmp_path: Path) -> None:
    anim = wiktoria.animate("seething", size=(96, 64), frames=16, fps=8, seed=5)
    expected = _folder(wiktoria.render_frames(anim, tmp_path / "ref", jobs=1).out_dir)
    saved = dict(os.environ)
    cluster, client = _start_cluster()
    try:
        killed: list[int] = []

        def progress(_: int) -> None:
            if len(killed) == 0:
                killed.append(0)
            elif len(killed) == 1:  # after the 2nd frame
                pid = cluster.workers[0].process.process.pid
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        out = tmp_path / "out"
        error = ""
        try:
            wiktoria.render_frames(anim, out, executor=client, progress=progress,
                                   write_on_workers=write_on_workers)
        except OSError as exc:  # Dask gave up: one line, and the files left are complete
            error = str(exc)
        assert "\n" not in error
        assert len(killed) == 2
        for name, data in _folder(out).items():
            if not name.startswith("."):
                assert data == expected[name], name
        client.wait_for_workers(1, timeout=30)
        report = wiktoria.render_frames(anim, out, executor=client, resume=True)
        assert len(report.written) + len(report.skipped) == 16
        assert {k: v for k, v in _folder(out).items() if not k.startswith(".")} == expected
    finally:
        client.close()
        cluster.close()
        os.environ.clear()
        os.environ.update(saved)


def test_unreachable_scheduler_is_a_one_line_error_in_bounded_time() -> None:
    t0 = time.monotonic()
    with pytest.raises(OSError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:1 "
                                      r"within 2 s") as info:
        connect("tcp://127.0.0.1:1", timeout=2)
    assert time.monotonic() - t0 < 8
    assert "\n" not in str(info.value)


def test_cli_unreachable_scheduler(tmp_path: Path) -> None:
    t0 = time.monotonic()
    res = CliRunner().invoke(cli, ["frames", "--size", "48x32", "--frames", "4", "--seed", "1",
                                   "-q", "--scheduler", "tcp://127.0.0.1:1",
                                   "--connect-timeout", "2", "-o", str(tmp_path / "f")])
    assert time.monotonic() - t0 < 8
    assert res.exit_code == 2
    assert res.stderr.strip().startswith("Error: cannot reach the Dask scheduler at "
                                         "tcp://127.0.0.1:1")
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "f").exists()


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ImportError) as info:
        connect("tcp://127.0.0.1:8786")
    assert str(info.value) == DISTRIBUTED_EXTRA_MESSAGE
    assert "wiktoria[distributed]" in DISTRIBUTED_EXTRA_MESSAGE
    res = CliRunner().invoke(cli, ["frames", "--size", "48x32", "--frames", "4", "--seed", "1",
                                   "-q", "--scheduler", "tcp://127.0.0.1:8786",
                                   "-o", str(tmp_path / "f")])
    assert res.exit_code == 2
    assert res.stderr == f"Error: {DISTRIBUTED_EXTRA_MESSAGE}\n"


def test_cli_scheduler_option_and_environment(cluster: tuple[Any, Any],
                                              reference: dict[str, bytes],
                                              tmp_path: Path) -> None:
    cl, _ = cluster
    args = ["frames", "--mood", "serene", "--size", "48x32", "--frames", str(FRAMES),
            "--fps", "8", "--seed", "3", "-q"]
    res = CliRunner().invoke(cli, [*args, "--scheduler", cl.scheduler_address,
                                   "-o", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    assert f"wrote {FRAMES} frames" in res.stdout
    assert _folder(tmp_path / "a") == reference
    res = CliRunner().invoke(cli, [*args, "--write-on-workers", "-o", str(tmp_path / "b")],
                             env={"DASK_SCHEDULER_ADDRESS": cl.scheduler_address})
    assert res.exit_code == 0, res.output
    assert _folder(tmp_path / "b") == reference


def test_connect_timeout_needs_a_scheduler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    res = CliRunner().invoke(cli, ["frames", "--size", "48x32", "--frames", "4", "--seed", "1",
                                   "-q", "--connect-timeout", "2", "-o", str(tmp_path / "f")])
    assert res.exit_code == 2
    assert "--connect-timeout needs --scheduler" in res.stderr


def test_readme_worker_config_is_the_one_in_the_library() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = "".join(f"   {line}\n" for line in WORKER_CONFIG.splitlines())
    assert f"   ```yaml\n{block}   ```" in readme


def test_importing_wiktoria_does_not_import_dask() -> None:
    import subprocess

    code = ("import sys, wiktoria, wiktoria.run.batch, wiktoria.cli, wiktoria.run.cluster; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert out.strip() == "[]"
