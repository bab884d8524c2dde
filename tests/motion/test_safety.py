"""The WCAG 2.3.1 flash check, and every mood's default animation passing it."""

from __future__ import annotations

import numpy as np
import pytest

import wiktoria
from wiktoria.motion.safety import flash_report


def strobe(values: list[int], colour=(1, 1, 1), size: int = 48) -> list[np.ndarray]:
    return [np.ones((size, size, 3), np.uint8) * np.array(colour, np.uint8) * v for v in values]


def test_black_white_strobe_is_caught() -> None:
    rep = flash_report(strobe([255 * (i % 2) for i in range(24)]), fps=24)
    assert rep.general_per_s == 12
    assert not rep.ok


def test_red_strobe_is_a_red_flash() -> None:
    rep = flash_report(strobe([255 * (i % 2) for i in range(24)], colour=(1, 0, 0)), fps=24)
    assert rep.red_per_s == 12


def test_slow_and_small_changes_are_not_flashes() -> None:
    slow = [int(127 + 100 * np.sin(2 * np.pi * i / 48)) for i in range(48)]
    assert flash_report(strobe(slow), fps=24).general_per_s <= 1
    small = [120 + 6 * (i % 2) for i in range(24)]  # flicker below 10 % luminance
    assert flash_report(strobe(small), fps=24).general_per_s == 0


def test_three_flashes_per_second_is_the_limit() -> None:
    # 3 full flashes (6 transitions) per second: allowed; 4: not.
    three = [255 if (i // 4) % 2 else 0 for i in range(48)]
    four = [255 if (i // 3) % 2 else 0 for i in range(48)]
    assert flash_report(strobe(three), fps=24).ok
    assert not flash_report(strobe(four), fps=24).ok


@pytest.mark.parametrize("mood", wiktoria.moods())
def test_no_mood_flashes_with_default_settings(mood: str) -> None:
    anim = wiktoria.animate(mood, size=(128, 96), frames=24, fps=24, seed=1)
    rep = flash_report((anim.frame_array(i) for i in range(len(anim))), anim.fps)
    assert rep.ok, (mood, rep)
