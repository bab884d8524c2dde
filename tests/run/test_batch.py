"""Frame sequences, seed sweeps and loops rendered ahead (run.batch, run.ahead)."""

from __future__ import annotations

import io
import multiprocessing
import os
import threading
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import wiktoria
from wiktoria.cli.progress import ProgressBar
from wiktoria.common.progress import Counter
from wiktoria.render.painting import read_scene
from wiktoria.run import batch, tasks
from wiktoria.run.batch import (
    CONTACT_SHEET,
    CONTACT_SHEET_KEY,
    FramesReport,
    process_pool,
    render_frames,
    render_sweep,
)

N = 8
SIZE = (48, 32)


@pytest.fixture(scope="module")
def anim() -> wiktoria.Animation:
    return wiktoria.animate("seething", size=SIZE, frames=N, fps=8, seed=3)


@pytest.fixture(scope="module")
def reference(anim: wiktoria.Animation) -> list[bytes]:
    return [anim.plan.png_bytes(i) for i in range(N)]


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def frame_name(i: int) -> str:
    return f"frame_{i:05d}.png"


def assert_frames(folder: Path, reference: list[bytes], indices: range | list[int]) -> None:
    assert names(folder) == [frame_name(i) for i in indices]
    for i in indices:
        assert (folder / frame_name(i)).read_bytes() == reference[i], f"frame {i} differs"


# ------------------------------------------------------------------------- frame sequences


def test_jobs_1_and_2_write_identical_bytes(tmp_path: Path, anim: Any,
                                            reference: list[bytes]) -> None:
    r1 = render_frames(anim, tmp_path / "one", jobs=1)
    r2 = render_frames(anim, tmp_path / "two", jobs=2)
    assert isinstance(r1, FramesReport)
    assert r1.workers == 1 and r2.workers == 2
    assert [p.name for p in r2.written] == [frame_name(i) for i in range(N)]
    assert r1.skipped == r2.skipped == () and r2.seconds > 0
    assert_frames(tmp_path / "one", reference, range(N))
    assert_frames(tmp_path / "two", reference, range(N))
    # each frame carries its scene with the frame index, and its mood
    scene, mood = read_scene(tmp_path / "two" / frame_name(5))
    assert scene.loop is not None and scene.loop.frame == 5
    assert mood == anim.mood
    assert not multiprocessing.active_children()


def test_frame_plan_and_hash_pattern(tmp_path: Path, anim: Any, reference: list[bytes]) -> None:
    report = render_frames(anim.plan, tmp_path, pattern="f####.png", frames=range(0, 2), jobs=1)
    assert [p.name for p in report.written] == ["f0000.png", "f0001.png"]
    assert (tmp_path / "f0001.png").read_bytes() == reference[1]


def test_custom_executor(tmp_path: Path, anim: Any, reference: list[bytes]) -> None:
    with ThreadPoolExecutor(2) as ex:
        report = render_frames(anim, tmp_path, executor=ex, jobs=1)
        assert report.workers == 1  # jobs sets the window with an executor
        assert ex.submit(sum, [1, 2]).result() == 3  # still usable: not shut down
    assert_frames(tmp_path, reference, range(N))


def test_executor_default_window(tmp_path: Path, anim: Any) -> None:
    with ThreadPoolExecutor(3) as ex:
        assert render_frames(anim, tmp_path, executor=ex, frames=range(2)).workers == 3


def test_window_bounds_frames_in_flight(tmp_path: Path, anim: Any) -> None:
    class Counting(ThreadPoolExecutor):
        def __init__(self) -> None:
            super().__init__(2)
            self.live = 0
            self.peak = 0
            self.lock = threading.Lock()

        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            with self.lock:
                self.live += 1
                self.peak = max(self.peak, self.live)
            fut = super().submit(fn, *args, **kwargs)
            return fut

    ex = Counting()

    def done(_: int) -> None:
        with ex.lock:
            ex.live -= 1

    with ex:
        render_frames(anim, tmp_path, executor=ex, jobs=1, progress=done)
    assert ex.peak == 2  # 2 * jobs


def test_tasks_are_importable_module_functions() -> None:
    # Workers (and a remote Dask scheduler) unpickle the task by reference.
    for fn in (tasks.frame_png, tasks.frame_file, tasks.frame_array, tasks.still_png):
        assert fn.__module__ == "wiktoria.run.tasks"
        assert getattr(tasks, fn.__name__) is fn


def test_pool_workers_get_one_noise_thread_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIKTORIA_NUM_THREADS", raising=False)
    with process_pool(batch.usable_cpus()) as pool:
        assert pool.submit(os.getenv, "WIKTORIA_NUM_THREADS").result() == "1"
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "3")
    with process_pool(1) as pool:
        assert pool.submit(os.getenv, "WIKTORIA_NUM_THREADS").result() == "3"


def test_start_stop_slices(tmp_path: Path, anim: Any, reference: list[bytes]) -> None:
    r = render_frames(anim, tmp_path, frames=range(2, 5), jobs=2)
    assert [p.name for p in r.written] == [frame_name(i) for i in (2, 3, 4)]
    render_frames(anim, tmp_path, frames=slice(6, None), jobs=1)
    render_frames(anim, tmp_path, frames=range(0, N, 4), jobs=1)
    assert_frames(tmp_path, reference, [0, 2, 3, 4, 6, 7])
    # a frame outside the selection is left alone
    before = (tmp_path / frame_name(2)).stat()
    render_frames(anim, tmp_path, frames=range(7, 8), jobs=1)
    assert (tmp_path / frame_name(2)).stat().st_ino == before.st_ino


@pytest.mark.parametrize(("frames", "exc", "message"), [
    (range(N, N + 2), ValueError, f"start {N} is outside the animation's frames: choose 0 to "
                                  f"{N - 1}"),
    (range(-1, 3), ValueError, "start -1 is outside"),
    (range(3, 3), ValueError, f"stop 3 must be from 4 to {N} (after start 3, at most the "
                              f"animation's {N} frames)"),
    (range(2, N + 1), ValueError, f"stop {N + 1} must be from 3 to {N}"),
    (slice(0, 4, -1), ValueError, "frame step must be at least 1, got -1"),
    (slice(0.5, 4), ValueError, "frame start must be an integer, got 0.5"),
    ([1, 2], TypeError, "frames must be a range (or slice) of frame indices"),
])
def test_bad_selection(tmp_path: Path, anim: Any, frames: Any, exc: type[Exception],
                       message: str) -> None:
    with pytest.raises(exc) as info:
        render_frames(anim, tmp_path / "out", frames=frames, jobs=1)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "out").exists()


def test_resume(tmp_path: Path, anim: Any, reference: list[bytes]) -> None:
    render_frames(anim, tmp_path, jobs=1)
    stats = {i: (tmp_path / frame_name(i)).stat() for i in range(N)}
    # broken: truncated; mismatching: frame 3's file as frame 2, another seed's frame 4
    data = (tmp_path / frame_name(1)).read_bytes()
    (tmp_path / frame_name(1)).write_bytes(data[: len(data) // 2])
    (tmp_path / frame_name(2)).write_bytes(reference[3])
    other = wiktoria.animate("seething", size=SIZE, frames=N, fps=8, seed=4)
    (tmp_path / frame_name(4)).write_bytes(other.plan.png_bytes(4))
    (tmp_path / frame_name(6)).write_bytes(b"garbage")  # not an image: a broken frame
    (tmp_path / frame_name(7)).unlink()  # missing
    report = render_frames(anim, tmp_path, jobs=2, resume=True)
    redone = [1, 2, 4, 6, 7]
    assert [p.name for p in report.written] == [frame_name(i) for i in redone]
    assert [p.name for p in report.skipped] == [frame_name(i) for i in (0, 3, 5)]
    for i in (0, 3, 5):
        st = (tmp_path / frame_name(i)).stat()
        assert (st.st_ino, st.st_mtime_ns) == (stats[i].st_ino, stats[i].st_mtime_ns)
    assert_frames(tmp_path, reference, range(N))
    # everything complete: nothing to do, and no pool is started
    again = render_frames(anim, tmp_path, jobs=2, resume=True)
    assert again.written == () and len(again.skipped) == N and again.workers == 1


def test_resume_notices_other_mood_and_version(tmp_path: Path, anim: Any,
                                               reference: list[bytes]) -> None:
    render_frames(anim, tmp_path, frames=range(2), jobs=1)
    calm = wiktoria.animate("serene", size=SIZE, frames=N, fps=8, seed=3)
    (tmp_path / frame_name(0)).write_bytes(calm.plan.png_bytes(0))
    report = render_frames(anim, tmp_path, frames=range(2), jobs=1, resume=True)
    assert [p.name for p in report.written] == [frame_name(0)]
    assert_frames(tmp_path, reference, [0, 1])


def test_without_resume_selected_frames_are_rendered_again(tmp_path: Path, anim: Any) -> None:
    render_frames(anim, tmp_path, frames=range(2), jobs=1)
    ino = (tmp_path / frame_name(0)).stat().st_ino
    report = render_frames(anim, tmp_path, frames=range(2), jobs=1)
    assert len(report.written) == 2 and report.skipped == ()
    assert (tmp_path / frame_name(0)).stat().st_ino != ino  # replaced


@pytest.mark.parametrize("intruder", ["notes.txt", "photo.png", "frame_00001.png", "sub",
                                      f"frame_{N:05d}.png"])
def test_foreign_files_refused(tmp_path: Path, anim: Any, intruder: str) -> None:
    if intruder == "sub":
        (tmp_path / "sub").mkdir()
    elif intruder == "notes.txt":
        (tmp_path / intruder).write_text("hello")
    elif intruder == f"frame_{N:05d}.png":  # a Wiktoria frame, beyond this animation
        (tmp_path / intruder).write_bytes(
            wiktoria.animate("seething", size=SIZE, frames=N + 1, seed=3).plan.png_bytes(N))
    else:  # a PNG that is not Wiktoria's
        Image.new("RGB", (4, 4)).save(tmp_path / intruder)
    before = names(tmp_path)
    with pytest.raises(ValueError, match=r"^output folder .* holds ") as info:
        render_frames(anim, tmp_path, jobs=1)
    msg = str(info.value)
    assert repr(intruder) in msg and "not a Wiktoria frame of this animation" in msg
    assert "frame_00000.png to frame_00007.png" in msg and "\n" not in msg
    assert names(tmp_path) == before


def test_hidden_files_tolerated_and_stale_temps_removed(tmp_path: Path, anim: Any,
                                                        reference: list[bytes]) -> None:
    (tmp_path / ".DS_Store").write_bytes(b"x")
    stale = tmp_path / f".{frame_name(1)}.ab12_xyz.part"
    stale.write_bytes(b"half a frame")
    other = tmp_path / f".{frame_name(5)}.zz99.part"  # another run's frame: left alone
    other.write_bytes(b"")
    report = render_frames(anim, tmp_path, frames=range(0, 3), jobs=1)
    assert report.removed == (stale,)
    assert not stale.exists() and other.exists() and (tmp_path / ".DS_Store").exists()
    assert (tmp_path / frame_name(1)).read_bytes() == reference[1]


def test_output_folder_rules(tmp_path: Path, anim: Any) -> None:
    render_frames(anim, tmp_path / "new", frames=range(1), jobs=1)  # created
    assert names(tmp_path / "new") == [frame_name(0)]
    with pytest.raises(ValueError, match=r"cannot create output folder '.*a/b': its parent "
                                         r"'.*a' does not exist; create it first"):
        render_frames(anim, tmp_path / "a" / "b", jobs=1)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match=r"output folder '.*file' is a file, not a folder"):
        render_frames(anim, tmp_path / "file", jobs=1)
    with pytest.raises(TypeError, match="output folder must be a path, got int"):
        render_frames(anim, 5, jobs=1)  # type: ignore[arg-type]


def test_unwritable_folder(tmp_path: Path, anim: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    real_access = os.access

    def access(path: Any, mode: int, **kw: Any) -> bool:  # chmod does not stop root
        return False if Path(path) in (ro, tmp_path) else real_access(path, mode, **kw)

    monkeypatch.setattr(os, "access", access)
    with pytest.raises(ValueError, match=r"^output folder '.*ro' is not writable$"):
        render_frames(anim, ro, jobs=1)
    with pytest.raises(ValueError, match=r"^cannot create output folder '.*new': '.*' is not "
                                         r"writable$"):
        render_frames(anim, tmp_path / "new", jobs=1)


@pytest.mark.parametrize(("kwargs", "exc", "message"), [
    ({"pattern": "frame.png"}, ValueError, "pattern 'frame.png' must contain the field {index}"),
    ({"pattern": "f_{index}.jpg"}, ValueError, "pattern 'f_{index}.jpg' must end with .png"),
    ({"pattern": "x/{index}.png"}, ValueError, "must be a file name, without folders"),
    ({"pattern": ".{index}.png"}, ValueError, "must not start with '.'"),
    ({"pattern": "{i}{index}.png"}, ValueError, "may only use the field {index}, not {i}"),
    ({"pattern": "{index:q}.png"}, ValueError, "cannot format a frame index"),
    ({"pattern": "f{index!s:.0}.png"}, ValueError, "gives frames 0 and 1 the same name"),
    ({"pattern": "{index.png"}, ValueError, "is not a valid format string"),
    ({"pattern": "#_#.png"}, ValueError, "has more than one run of '#'"),
    ({"pattern": 5}, TypeError, "pattern must be a string"),
    ({"jobs": 0}, ValueError, "jobs must be an integer of at least 1, got 0"),
    ({"jobs": 1.5}, ValueError, "jobs must be an integer of at least 1, got 1.5"),
    ({"jobs": True}, TypeError, "jobs must be an integer of at least 1, got True"),
    ({"executor": "dask"}, TypeError, "executor must be a concurrent.futures.Executor"),
    ({"resume": "yes"}, TypeError, "resume must be True or False, got 'yes'"),
    ({"progress": 3}, TypeError, "progress must be a callable taking a count, got int"),
])
def test_argument_errors(tmp_path: Path, anim: Any, kwargs: dict[str, Any],
                         exc: type[Exception], message: str) -> None:
    kwargs.setdefault("jobs", 1)
    with pytest.raises(exc) as info:
        render_frames(anim, tmp_path / "out", **kwargs)
    assert message in str(info.value) and "\n" not in str(info.value)
    assert not (tmp_path / "out").exists()


def test_source_must_be_an_animation(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="source must be a wiktoria Animation or FramePlan, "
                                        "got Painting"):
        render_frames(wiktoria.paint(size=SIZE, seed=1), tmp_path)  # type: ignore[arg-type]


class Stop:
    """A progress callback that presses Ctrl-C after ``after`` frames."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.count = 0
        self.total: int | None = None

    def start(self, total: int) -> None:
        self.total = total

    def __call__(self, n: int) -> None:
        self.count += n
        if self.count >= self.after:
            raise KeyboardInterrupt


@pytest.mark.parametrize("jobs", [1, 2])
def test_keyboard_interrupt_leaves_only_complete_frames(tmp_path: Path, anim: Any,
                                                        reference: list[bytes],
                                                        jobs: int) -> None:
    stop = Stop(3)
    with pytest.raises(KeyboardInterrupt):
        render_frames(anim, tmp_path, jobs=jobs, progress=stop)
    assert stop.total == N
    left = names(tmp_path)
    assert len(left) == 3 and all(n.startswith("frame_") for n in left)  # no temp files
    for name in left:
        assert (tmp_path / name).read_bytes() == reference[int(name[6:11])]
    assert not multiprocessing.active_children()  # the pool was shut down
    # and resume finishes the job
    report = render_frames(anim, tmp_path, jobs=jobs, resume=True)
    assert len(report.skipped) == 3
    assert_frames(tmp_path, reference, range(N))


def test_interrupt_while_writing_removes_the_temp_file(tmp_path: Path, anim: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real_replace = os.replace

    def flaky_replace(src: Any, dst: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    with pytest.raises(KeyboardInterrupt):
        render_frames(anim, tmp_path, jobs=1)
    assert names(tmp_path) == [frame_name(0)]


class BrokenExecutor(Executor):
    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        fut: Future[Any] = Future()
        fut.set_exception(BrokenProcessPool("A process in the pool was terminated abruptly"))
        return fut


def test_dead_worker_is_a_one_line_oserror(tmp_path: Path, anim: Any) -> None:
    with pytest.raises(OSError, match=r"^a worker process died while rendering frame 0 "
                                      r"\(out of memory\?\); try fewer jobs: A process"):
        render_frames(anim, tmp_path, executor=BrokenExecutor())
    assert names(tmp_path) == []


def test_worker_errors_propagate(tmp_path: Path, anim: Any) -> None:
    class Failing(ThreadPoolExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            if args[1] == 2:
                fn = _fail
            return super().submit(fn, *args, **kwargs)

    with Failing(1) as ex, pytest.raises(ValueError, match="no frame 2 today"):
        render_frames(anim, tmp_path, executor=ex, jobs=1)
    assert names(tmp_path) == [frame_name(0), frame_name(1)]


def _fail(plan: Any, index: int) -> bytes:
    raise ValueError(f"no frame {index} today")


# ------------------------------------------------------------------------- seed sweeps


def test_sweep_and_contact_sheet(tmp_path: Path) -> None:
    kw: dict[str, Any] = {"size": SIZE, "style": "landscape", "contact_sheet": True}
    r1 = render_sweep("serene", range(1, 6), tmp_path / "one", jobs=1, **kw)
    r2 = render_sweep("serene", [1, 2, 3, 4, 5], tmp_path / "two", jobs=2, **kw)
    assert r1.seeds == r2.seeds == (1, 2, 3, 4, 5) and r2.workers == 2
    assert [p.name for p in r2.written] == [f"serene-{s}.png" for s in range(1, 6)]
    for s in range(1, 6):
        data = (tmp_path / "two" / f"serene-{s}.png").read_bytes()
        assert data == (tmp_path / "one" / f"serene-{s}.png").read_bytes()
        assert data == wiktoria.paint("serene", SIZE, s, "landscape").png_bytes()
    assert r2.contact_sheet == tmp_path / "two" / CONTACT_SHEET
    sheet = r2.contact_sheet.read_bytes()
    assert sheet == (tmp_path / "one" / CONTACT_SHEET).read_bytes()
    with Image.open(io.BytesIO(sheet)) as im:
        im.load()
        meta = im.text[CONTACT_SHEET_KEY]
        assert im.width >= 3 * SIZE[0] and im.height >= 2 * SIZE[1]  # a 3x2 grid
    assert 'mood = "serene"' in meta and "seeds = [1, 2, 3, 4, 5]" in meta
    # sweeping again over our own files is fine
    r3 = render_sweep("serene", [2], tmp_path / "two", jobs=1, **kw)
    assert [p.name for p in r3.written] == ["serene-2.png"]


def test_sweep_overrides_and_executor(tmp_path: Path) -> None:
    with ThreadPoolExecutor(2) as ex:
        r = render_sweep("seething", [7, 3], tmp_path, size=SIZE, overrides={"land.octaves": 3},
                         executor=ex)
    assert r.contact_sheet is None
    assert [p.name for p in r.written] == ["seething-7.png", "seething-3.png"]
    expect = wiktoria.paint("seething", SIZE, 3, land__octaves=3).png_bytes()
    assert (tmp_path / "seething-3.png").read_bytes() == expect
    r = render_sweep("seething", [3], tmp_path / "m", size=SIZE, jobs=1,
                     overrides={"land.octaves": 3})
    assert r.written[0].read_bytes() == expect


def test_sweep_interrupt(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        render_sweep("serene", range(8), tmp_path, size=SIZE, jobs=2, contact_sheet=True,
                     progress=Stop(2))
    left = names(tmp_path)
    assert len(left) == 2 and CONTACT_SHEET not in left
    for name in left:
        seed = int(name.split("-")[1][:-4])
        assert (tmp_path / name).read_bytes() == wiktoria.paint("serene", SIZE,
                                                                 seed).png_bytes()


@pytest.mark.parametrize(("kwargs", "exc", "message"), [
    ({"seeds": "0..3"}, TypeError, "seeds must be a range or a list of integers, got '0..3'"),
    ({"seeds": []}, ValueError, "seeds is empty: give at least one seed"),
    ({"seeds": [1, 1]}, ValueError, "seed 1 appears twice in the sweep"),
    ({"seeds": [-1]}, ValueError, "seeds must be an integer from 0 to 2**63-1, got -1"),
    ({"seeds": 5}, TypeError, "seeds must be a range or a list of integers, got 5"),
    ({"seeds": range(batch.MAX_SEEDS + 1)}, ValueError, "a sweep takes at most 10000 seeds"),
    ({"mood": "nosuchmood"}, LookupError, "nosuchmood"),
    ({"size": (0, 5)}, ValueError, "0"),
    ({"overrides": {"land.nope": 1}}, ValueError, "unknown land parameter 'nope'"),
    ({"overrides": ["land.octaves=3"]}, TypeError, "overrides must be a mapping"),
    ({"overrides": 3}, TypeError, "overrides must be a mapping"),
    ({"contact_sheet": "yes"}, TypeError, "contact_sheet must be True or False"),
    ({"jobs": 0}, ValueError, "jobs must be an integer of at least 1"),
    ({"progress": "bar"}, TypeError, "progress must be a callable"),
])
def test_sweep_errors(tmp_path: Path, kwargs: dict[str, Any], exc: type[Exception],
                      message: str) -> None:
    args: dict[str, Any] = {"mood": "serene", "seeds": [1], "size": SIZE, "jobs": 1}
    args.update(kwargs)
    with pytest.raises(exc) as info:
        render_sweep(args.pop("mood"), args.pop("seeds"), tmp_path / "out", **args)
    assert message in str(info.value) and "\n" not in str(info.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["serene-1.png", CONTACT_SHEET])
def test_sweep_never_overwrites_foreign_files(tmp_path: Path, name: str) -> None:
    Image.new("RGB", (4, 4)).save(tmp_path / name)
    (tmp_path / "notes.txt").write_text("other files are fine")
    with pytest.raises(ValueError, match=f"holds '{name}', which is not a Wiktoria image"):
        render_sweep("serene", [1], tmp_path, size=SIZE, jobs=1, contact_sheet=True)
    assert names(tmp_path) == sorted([name, "notes.txt"])


# ------------------------------------------------------------------------- progress


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_as_render_callback(tmp_path: Path, anim: Any) -> None:
    out = Tty()
    bar = ProgressBar(label="frames", file=out, delay=0, min_interval=0)
    render_frames(anim, tmp_path, frames=range(3), jobs=1, progress=bar)
    assert bar.total == 3 and bar.done == 3 and "3/3 100%" in out.getvalue()


# ------------------------------------------------------------------------- loops read ahead


class Recording(ThreadPoolExecutor):
    """A thread pool that records which frames were submitted."""

    def __init__(self, workers: int = 2) -> None:
        super().__init__(workers)
        self.frames: list[int] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.frames.append(args[1])
        return super().submit(fn, *args, **kwargs)


@pytest.mark.parametrize("order", [
    list(range(N)),  # APNG, WebP, MP4: in order
    [0, 2, 5, 7, 1, 3, 4, 6],  # GIF: palette sample, then the others in order
    [7, 6, 5, 4, 3, 2, 1, 0],
])
def test_frames_ahead_renders_each_frame_once(anim: Any, order: list[int]) -> None:
    with Recording() as ex, batch.FramesAhead(anim, executor=ex, jobs=2) as ahead:
        assert (len(ahead), ahead.size, ahead.fps) == (N, SIZE, 8.0)
        assert ahead.scene == anim.scene and ahead.mood == anim.mood
        for i in order:
            assert (ahead.frame_array(i) == anim.frame_array(i)).all()
            assert ahead.held <= ahead.keep
        assert sorted(ex.frames) == list(range(N))


def test_frames_ahead_bounds_and_rereads(anim: Any) -> None:
    with Recording() as ex, batch.FramesAhead(anim, executor=ex, jobs=1, keep_bytes=0) as ahead:
        assert ahead.window == ahead.keep == 2
        for i in [*range(N), *range(N)]:  # a reader that keeps nothing reads twice
            assert (ahead.frame_array(i) == anim.frame_array(i)).all()
            assert ahead.held <= 2
        assert len(ex.frames) <= 2 * N + 2
        assert ahead.frame_array(N + 1).shape == (SIZE[1], SIZE[0], 3)  # periodic
        with pytest.raises(TypeError, match=r"frame index must be an integer, got 1\.5"):
            ahead.frame_array(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="FramesAhead is closed"):
        ahead.frame_array(0)


def test_frames_ahead_own_pool(anim: Any) -> None:
    with batch.FramesAhead(anim, jobs=2) as ahead:
        assert all((ahead.frame_array(i) == anim.frame_array(i)).all() for i in range(N))
        assert "2 workers" in repr(ahead)
    assert not multiprocessing.active_children()
    with batch.FramesAhead(anim, jobs=1) as serial:  # in-process, on demand
        assert (serial.frame_array(3) == anim.frame_array(3)).all() and serial.held == 0


@pytest.mark.parametrize("ext", [".gif", ".png", ".webp"])
def test_write_loop_matches_write_animation(tmp_path: Path, anim: Any, ext: str) -> None:
    encode = pytest.importorskip("wiktoria.io.encode")
    counter = Counter()
    path = batch.write_loop(anim, tmp_path / f"a{ext}", jobs=2, progress=counter)
    encode.write_animation(anim, tmp_path / f"b{ext}")
    assert path.read_bytes() == (tmp_path / f"b{ext}").read_bytes()
    assert (counter.done, counter.total) == (N, N)
    assert not multiprocessing.active_children()
