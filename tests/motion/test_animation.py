"""Animations: periodic time, a seamless wrap, lazy frames, transitions, inline display."""

from __future__ import annotations

import numpy as np
import pytest

import wiktoria
from wiktoria.motion.animation import HTML_CAP_BYTES, Animation


@pytest.fixture(scope="module")
def anim() -> Animation:
    return wiktoria.animate("seething", size=(96, 64), frames=8, fps=8, seed=4)


@pytest.fixture(scope="module")
def frames(anim: Animation) -> list[np.ndarray]:
    return [anim.frame_array(i) for i in range(len(anim) + 1)]


def test_len_getitem_and_periodic_frame_access(anim: Animation, frames: list) -> None:
    assert len(anim) == 8
    assert np.array_equal(np.asarray(anim[3]), frames[3])
    assert np.array_equal(np.asarray(anim[-1]), frames[7])
    assert np.array_equal(np.asarray(anim.frame(3 + 8)), frames[3])
    assert np.array_equal(np.asarray(anim.frame(-5)), frames[3])
    with pytest.raises(IndexError, match="frame 8 out of range for 8 frames"):
        anim[8]
    with pytest.raises(TypeError, match="frame index must be an integer"):
        anim.frame(1.5)


def test_frame_n_is_frame_0_exactly(frames: list) -> None:
    assert np.array_equal(frames[8], frames[0])


def test_the_wrap_is_no_larger_than_other_steps(frames: list) -> None:
    steps = [np.abs(frames[i + 1].astype(np.int16) - frames[i]).mean() for i in range(8)]
    assert min(steps) > 0  # it moves
    assert steps[-1] <= 1.25 * max(steps[:-1])


def test_frames_evolve_rather_than_translate(frames: list) -> None:
    # A translated image would match a shifted copy of the previous frame; an evolving one
    # does not match any small shift much better than no shift.
    a, b = frames[0].astype(np.float32), frames[1].astype(np.float32)
    base = np.abs(a - b).mean()
    best = min(np.abs(np.roll(a, (dy, dx), axis=(0, 1))[4:-4, 4:-4] - b[4:-4, 4:-4]).mean()
               for dy in range(-3, 4) for dx in range(-3, 4))
    assert best > 0.5 * base


def test_iteration_is_lazy_and_in_order(anim: Animation, frames: list) -> None:
    it = iter(anim)
    first = next(it)
    assert first.scene.loop is not None and first.scene.loop.frame == 0
    assert np.array_equal(np.asarray(next(it)), frames[1])


def test_frame_paintings_carry_their_index(anim: Animation) -> None:
    p = anim.frame(5)
    assert p.scene.loop.frame == 5 and p.scene.loop.frames == 8
    assert "frame = 5" in p.scene.to_toml()


def test_transition_there_and_back_loops_and_one_way_ends_at_the_target() -> None:
    there_back = wiktoria.animate("seething", size=(48, 32), frames=6, fps=6, seed=2,
                                  to="serene")
    assert np.array_equal(there_back.frame_array(6), there_back.frame_array(0))
    mid = there_back.frame(3)
    assert mid.mood.palette.lut.mean() > there_back.frame(0).mood.palette.lut.mean()
    one_way = wiktoria.animate("seething", size=(48, 32), frames=6, fps=6, seed=2,
                               to="serene", pingpong=False)
    last = one_way.frame(5).mood
    serene = wiktoria.mood("serene")
    assert np.abs(last.palette.lut.astype(int) - serene.palette.lut).max() <= 2


def test_repr_html_embeds_the_loop_and_caps_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    small = wiktoria.animate("tender", size=(32, 24), frames=3, fps=6, seed=1)
    html = small._repr_html_()
    assert html.startswith('<img src="data:image/webp;base64,')
    import wiktoria.motion.animation as animation

    monkeypatch.setattr(animation, "HTML_CAP_BYTES", 10)
    capped = small._repr_html_()
    assert "above the" in capped and "inline limit" in capped and "<img" not in capped
    assert HTML_CAP_BYTES > 10


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"frames": 0}, "frames must be an integer from 1 to 100000, got 0"),
    ({"fps": 0}, r"fps must be a number from 0.001 to 100, got 0"),
    ({"fps": 1e-310}, r"fps must be a number from 0.001 to 100, got 1e-310"),
    ({"fps": 101}, r"fps must be a number from 0.001 to 100, got 101"),
    ({"fps": float("nan")}, "fps must be a number"),
    ({"to": "nope"}, "nope"),
])
def test_animate_errors(kwargs: dict, message: str) -> None:
    with pytest.raises((ValueError, LookupError), match=message):
        wiktoria.animate("serene", size=(16, 16), seed=1, **kwargs)
