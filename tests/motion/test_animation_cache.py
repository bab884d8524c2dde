"""A loop renders once: shown, then saved, it keeps its frames (bounded); ``save(jobs=N)``
writes the same bytes; a progress bar shows in a notebook, and nothing without tqdm."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

import wiktoria
from wiktoria.common import progress as progress_mod
from wiktoria.common.progress import Counter, TqdmProgress
from wiktoria.motion import animation
from wiktoria.motion.animation import CACHE_BYTES, Animation


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Indices of the frames rendered in this process."""
    calls: list[int] = []
    original = animation.FramePlan.render

    def counting(self: animation.FramePlan, index: int) -> np.ndarray:
        calls.append(index)
        return original(self, index)

    monkeypatch.setattr(animation.FramePlan, "render", counting)
    return calls


def _loop(**kwargs: object) -> Animation:
    return wiktoria.animate("tender", size=(32, 24), frames=5, fps=10, seed=3, **kwargs)


def test_display_then_save_renders_each_frame_once(renders: list[int], tmp_path: Path) -> None:
    anim = _loop()
    assert anim._repr_html_().startswith('<img src="data:image/webp;base64,')
    assert sorted(renders) == list(range(5))
    assert anim.cached == 5
    anim.save(tmp_path / "a.gif")
    anim.save(tmp_path / "a.webp")
    anim.save(tmp_path / "a.gif", jobs=2)  # every frame is kept: no pool, nothing rendered
    assert sorted(renders) == list(range(5))
    fresh = _loop()
    fresh.save(tmp_path / "b.gif")
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()


def test_kept_frames_are_the_rendered_ones_and_safe_from_callers(renders: list[int]) -> None:
    anim = _loop()
    first = anim.frame_array(2)
    first[:] = 0  # the caller's copy
    again = anim.frame_array(2)
    assert renders == [2]
    assert np.array_equal(again, animation.FramePlan(anim.scene).render(2)) and again.any()
    painting = anim.frame(2)
    assert np.array_equal(np.asarray(painting), again)
    assert painting.scene.loop.frame == 2


def test_a_loop_too_large_keeps_nothing(renders: list[int], tmp_path: Path) -> None:
    anim = animation.Animation(_loop().plan, cache_bytes=5 * 32 * 24 * 3 - 1)
    assert not anim.keeps_frames
    anim.save(tmp_path / "a.gif")
    anim.save(tmp_path / "b.gif")
    assert anim.cached == 0
    assert len(renders) >= 10  # rendered again: the bound holds
    fits = animation.Animation(_loop().plan, cache_bytes=5 * 32 * 24 * 3)
    assert fits.keeps_frames
    fits.clear_cache()
    assert CACHE_BYTES == 256 * 2**20
    with pytest.raises(ValueError, match="cache_bytes must be an integer of at least 0, got -1"):
        animation.Animation(_loop().plan, cache_bytes=-1)


@pytest.mark.slow
@pytest.mark.parametrize("ext", [".gif", ".webp", ".png"])
def test_save_with_two_processes_writes_the_same_bytes(tmp_path: Path, ext: str) -> None:
    one, two = _loop(), _loop()
    one.save(tmp_path / f"one{ext}", jobs=1)
    two.save(tmp_path / f"two{ext}", jobs=2)
    assert (tmp_path / f"one{ext}").read_bytes() == (tmp_path / f"two{ext}").read_bytes()
    assert two.cached == 5  # the frames from the workers are kept too


def test_save_checks_jobs(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="jobs must be an integer of at least 1, got 0"):
        _loop().save(tmp_path / "a.gif", jobs=0)
    assert not (tmp_path / "a.gif").exists()


class _FakeBar:
    made: ClassVar[list[_FakeBar]] = []

    def __init__(self, total: int, desc: str, leave: bool) -> None:
        self.total, self.desc, self.leave = total, desc, leave
        self.n, self.closed = 0, False
        _FakeBar.made.append(self)

    def update(self, n: int) -> None:
        self.n += n

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_tqdm(monkeypatch: pytest.MonkeyPatch) -> list[_FakeBar]:
    """tqdm.auto (and ipywidgets) replaced by fakes, in a pretend notebook."""
    _FakeBar.made = []
    auto = types.ModuleType("tqdm.auto")
    auto.tqdm = _FakeBar  # type: ignore[attr-defined]
    package = types.ModuleType("tqdm")
    package.auto = auto  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm", package)
    monkeypatch.setitem(sys.modules, "tqdm.auto", auto)
    monkeypatch.setitem(sys.modules, "ipywidgets", types.ModuleType("ipywidgets"))
    monkeypatch.setattr(progress_mod, "in_notebook", lambda: True)
    return _FakeBar.made


def test_a_progress_bar_shows_in_a_notebook(fake_tqdm: list[_FakeBar], tmp_path: Path) -> None:
    anim = _loop()
    anim._repr_html_()
    assert [(b.desc, b.total, b.n, b.closed, b.leave) for b in fake_tqdm] == [
        ("rendering", 5, 5, True, False)]
    anim.save(tmp_path / "a.gif")
    assert [(b.desc, b.total, b.closed) for b in fake_tqdm[1:]] == [("saving", 5, True)]
    anim.save(tmp_path / "b.gif", progress=False)
    assert len(fake_tqdm) == 2


def test_no_bar_outside_a_notebook_or_without_tqdm(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    assert not progress_mod.in_notebook()
    assert progress_mod.notebook_progress("x") is None
    monkeypatch.setattr(progress_mod, "in_notebook", lambda: True)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # not installed: no bar, silently
    assert progress_mod.notebook_progress("x") is None
    _loop().save(tmp_path / "a.gif")
    _loop().save(tmp_path / "b.gif", progress=True)
    assert (tmp_path / "b.gif").is_file()


def test_save_reports_to_a_progress_object(tmp_path: Path) -> None:
    counter = Counter()
    _loop().save(tmp_path / "a.gif", progress=counter)
    assert (counter.total, counter.done) == (5, 5)
    with pytest.raises(TypeError, match="progress must be a callable"):
        _loop().save(tmp_path / "b.gif", progress=3)


def test_the_real_tqdm_bar_writes_where_it_is_told(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    pytest.importorskip("tqdm")
    bar = TqdmProgress("saving")
    _loop().save(tmp_path / "a.gif", progress=bar)
    assert "saving" in capsys.readouterr().err
