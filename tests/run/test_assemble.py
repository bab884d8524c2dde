"""The library side of ``wiktoria encode``: :func:`encode_frames` and :class:`FramesFolder`."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from wiktoria.io.encode import write_animation
from wiktoria.motion.animation import animate
from wiktoria.run.assemble import FramesFolder, FramesFolderError, encode_frames, ranges
from wiktoria.run.batch import render_frames


@pytest.fixture
def anim():
    return animate("tender", size=(24, 16), frames=5, seed=2)


def test_the_folder_is_the_animation(anim, tmp_path: Path) -> None:
    render_frames(anim, tmp_path / "fr", jobs=1)
    folder = FramesFolder(tmp_path / "fr")
    assert (len(folder), folder.fps, folder.size) == (5, anim.fps, anim.size)
    assert folder.scene.to_toml() == anim.scene.to_toml()
    assert folder.mood.to_toml() == anim.mood.to_toml()
    assert all(np.array_equal(folder.frame_array(i), anim.frame_array(i)) for i in range(5))
    out = encode_frames(tmp_path / "fr", tmp_path / "a.png", loop=2)
    assert out.read_bytes() == write_animation(anim, tmp_path / "b.png", loop=2).read_bytes()


def test_errors_name_no_cli_flag_and_pickle(anim, tmp_path: Path) -> None:
    render_frames(anim, tmp_path / "fr", frames=range(0, 2), jobs=1)
    with pytest.raises(FramesFolderError) as info:
        encode_frames(tmp_path / "fr", tmp_path / "a.gif")
    assert str(info.value) == ("'" + str(tmp_path / "fr") + "' misses 3 of the 5 frames: 2-4 "
                               "(frame_00002.png, frame_00003.png, frame_00004.png); render "
                               "them again with render_frames(..., resume=True)")
    assert info.value.fix == "resume"
    again = pickle.loads(pickle.dumps(info.value))
    assert (again.detail, again.fix, str(again)) == (info.value.detail, "resume",
                                                     str(info.value))
    assert not (tmp_path / "a.gif").exists()
    with pytest.raises(TypeError, match="folder must be a path, got int"):
        FramesFolder(3)  # type: ignore[arg-type]


def test_ranges() -> None:
    assert ranges([]) == ""
    assert ranges([4]) == "4"
    assert ranges([0, 1, 2, 5, 7, 8]) == "0-2, 5, 7-8"


def test_scenes_that_differ_in_a_layer_value(anim, tmp_path: Path) -> None:
    render_frames(anim, tmp_path / "fr", jobs=1)
    other = animate("tender", size=(24, 16), frames=5, seed=2, **{"air.warp": 2.0})
    render_frames(other, tmp_path / "other", frames=range(3, 4), jobs=1)
    (tmp_path / "other" / "frame_00003.png").replace(tmp_path / "fr" / "frame_00003.png")
    with pytest.raises(ValueError, match=r"frames of different scenes in '.*fr': "
                                         r"'frame_00000.png' is 'warp = .*'; 'frame_00003.png' "
                                         r"is 'warp = 2.0'$"):
        FramesFolder(tmp_path / "fr")
