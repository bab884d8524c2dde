"""numpy scalars are accepted by the loop, frame and sweep APIs as the Python numbers they hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import wiktoria
from wiktoria.run.batch import render_sweep


def test_animations_frames_and_sweeps_take_numpy_numbers(tmp_path: Path) -> None:
    anim = wiktoria.animate("serene", size=(np.int64(16), np.float32(8.0)), frames=np.int64(3),
                            fps=np.float32(6.0), seed=np.uint32(2))
    plain = wiktoria.animate("serene", size=(16, 8), frames=3, fps=6.0, seed=2)
    assert anim.scene == plain.scene
    assert anim.frame(np.int64(1)).scene.loop.frame == 1
    report = wiktoria.render_frames(anim, tmp_path / "f", jobs=np.int64(1),
                                    frames=slice(np.int64(0), np.int32(2)))
    assert sorted(p.name for p in (tmp_path / "f").iterdir()) == ["frame_00000.png",
                                                                  "frame_00001.png"]
    assert len(report.written) == 2
    sweep = render_sweep("serene", [np.int64(1), np.uint8(2)], tmp_path / "s", size=(16, 8),
                         jobs=np.int64(1))
    assert len(sweep.written) == 2 and sweep.seeds == (1, 2)
