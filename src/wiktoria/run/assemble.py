"""Encode a folder of frames written by ``wiktoria frames`` into one animation file.

A long render can be split (``--start``/``--stop``), interrupted and resumed
(``wiktoria frames --resume``); :func:`encode_frames` then turns the complete folder into a
GIF, APNG, WebP or MP4. Every frame PNG carries its scene (with ``[loop] frame = i``), so the
folder says everything: the frame count and rate come from the frames themselves, and the
animation embeds the scene of frame 0 exactly as ``wiktoria animate`` does. The frames are
read back losslessly, so the file is byte for byte what ``animate`` writes for the same scene
and options (the encoders are deterministic; the tests check it for every format).

Everything is checked before the output is opened (missing frames, frames of another scene,
size or mood, foreign files, an empty folder); a frame that cannot be decoded is found while
encoding, and the output is then not written (atomic write, as always).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from PIL import Image

from wiktoria.common.atomicio import check_output_dir
from wiktoria.common.progress import Progress
from wiktoria.io.encode import write_animation
from wiktoria.io.formats import animation_format, is_stream, output_suffix
from wiktoria.io.metadata import MOOD_KEY, SCENE_KEY
from wiktoria.moods.mood import Mood
from wiktoria.moods.moodfile import parse_mood
from wiktoria.run.folders import DEFAULT_PATTERN, frame_names, max_frame_bytes, png_text
from wiktoria.scene import Scene

__all__ = ["FramesFolder", "FramesFolderError", "encode_frames", "ranges"]


class FramesFolderError(ValueError):
    """A frames folder cannot be encoded: frames are missing, broken or named otherwise.

    Attributes
    ----------
    detail : str
        What is wrong, without advice.
    fix : str
        ``"resume"`` (render the missing or broken frames again) or ``"pattern"`` (the files
        are named by another pattern): the CLI words the advice with its own flags.
    """

    ADVICE: ClassVar[dict[str, str]] = {
        "resume": "render them again with render_frames(..., resume=True)",
        "pattern": "another pattern?"}

    def __init__(self, detail: str, fix: str) -> None:
        super().__init__(f"{detail}; {self.ADVICE[fix]}")
        self.detail = detail
        self.fix = fix

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.detail, self.fix)


def ranges(indices: list[int]) -> str:
    """Sorted indices as short ranges.

    Examples
    --------
    >>> ranges([0, 1, 2, 5, 7, 8])
    '0-2, 5, 7-8'
    """
    parts: list[str] = []
    start = prev = None
    for i in [*indices, None]:
        if start is not None and (i is None or i != prev + 1):
            parts.append(str(start) if start == prev else f"{start}-{prev}")
            start = None
        if start is None:
            start = i
        prev = i
    return ", ".join(parts)


def _describe(scene: Scene) -> str:
    loop = scene.loop
    extra = f", {loop.frames} frames at {loop.fps:g} fps" if loop is not None else ", a still"
    return f"{scene.mood.name} seed {scene.seed}, {scene.size[0]}x{scene.size[1]}{extra}"


class FramesFolder:
    """The loop in a folder of ``wiktoria frames``, checked; frames are read on demand.

    What the encoders need of an :class:`~wiktoria.Animation` (``fps``, ``size``, ``scene``,
    ``mood``, ``len`` and ``frame_array``).

    Parameters
    ----------
    folder : path
        A folder written by ``wiktoria frames`` (or :func:`~wiktoria.run.batch.render_frames`).
    pattern : str
        The frames' file names, as given to ``wiktoria frames --pattern``.

    Raises
    ------
    ValueError
        The folder is missing, empty, holds a file that is not a frame, or frames of different
        scenes, sizes or moods; :class:`FramesFolderError` (one) when frames are missing
        (named) or named by another pattern, or (from ``frame_array``) a frame is broken.
    """

    def __init__(self, folder: str | os.PathLike[str], pattern: str = DEFAULT_PATTERN) -> None:
        if not isinstance(folder, str | os.PathLike):
            raise TypeError(f"folder must be a path, got {type(folder).__name__}")
        path = Path(folder)
        name = str(path)
        if not path.is_dir():
            raise ValueError(f"frames folder {name!r} "
                             + ("is a file, not a folder" if path.exists() else "does not exist"))
        entries = sorted(e.name for e in os.scandir(path) if not e.name.startswith("."))
        if not entries:
            raise ValueError(f"frames folder {name!r} is empty: write frames into it with "
                             "wiktoria frames first")
        headers: dict[str, tuple[str, str | None, tuple[int, int]]] = {}
        for entry in entries:
            file = path / entry
            header = _header(file)
            if header is None:
                raise ValueError(f"{entry!r} in {name!r} is not a Wiktoria frame (a PNG written "
                                 "by wiktoria frames); move it away")
            headers[entry] = header
        first = entries[0]
        text, mood_text, _ = headers[first]
        base = _scene(text, mood_text, path / first)
        if base.loop is None:
            raise ValueError(f"{first!r} in {name!r} is a still, not a frame of a loop")
        n = base.loop.frames
        names = frame_names(pattern, n)
        expected = {name_i: replace(base, loop=replace(base.loop, frame=i)).to_toml()
                    for i, name_i in enumerate(names)}
        index_of_text = {t: i for i, t in enumerate(expected.values())}
        for entry in entries:
            text_e, mood_e, size_e = headers[entry]
            if text_e == expected.get(entry) and mood_e == mood_text and size_e == base.size:
                continue
            other = _scene(text_e, mood_e, path / entry)
            if size_e != other.size or other.size != base.size:
                w, h = size_e
                raise ValueError(f"frames of different sizes in {name!r}: {first!r} is "
                                 f"{base.size[0]}x{base.size[1]}, {entry!r} is {w}x{h}")
            if entry not in expected:
                raise FramesFolderError(f"{entry!r} in {name!r} is not named like a frame of "
                                        f"the loop of {first!r} ({names[0]} to {names[-1]})",
                                        "pattern")
            if text_e in index_of_text and mood_e == mood_text:
                raise ValueError(f"{entry!r} in {name!r} carries frame "
                                 f"{index_of_text[text_e]} of the loop, not the frame its name "
                                 "says; frames must keep the names wiktoria frames gave them")
            a, b = _describe(base), _describe(other)
            if a == b:  # the same mood, seed, size and loop: name the first line that differs
                a, b = _first_difference(expected.get(entry, text), text_e)
            raise ValueError(f"frames of different scenes in {name!r}: {first!r} is {a}; "
                             f"{entry!r} is {b}")
        missing = [i for i, name_i in enumerate(names) if name_i not in headers]
        if missing:
            shown = ", ".join(names[i] for i in missing[:3]) + (", ..." if len(missing) > 3
                                                                else "")
            raise FramesFolderError(f"{name!r} misses {len(missing)} of the {n} frames: "
                                    f"{ranges(missing)} ({shown})", "resume")
        self._folder = path
        self._names = names
        self._scene = replace(base, loop=replace(base.loop, frame=0))
        self._mood = base.mood

    @property
    def folder(self) -> Path:
        return self._folder

    @property
    def scene(self) -> Scene:
        """The scene of frame 0 (its ``loop`` gives frames and fps)."""
        return self._scene

    @property
    def mood(self) -> Mood:
        return self._mood

    @property
    def fps(self) -> float:
        assert self._scene.loop is not None
        return self._scene.loop.fps

    @property
    def size(self) -> tuple[int, int]:
        return self._scene.size

    def __len__(self) -> int:
        return len(self._names)

    def frame_array(self, index: int) -> np.ndarray:
        """Frame ``index`` decoded from its PNG, as an (H, W, 3) uint8 array."""
        name = self._names[index]
        try:
            with Image.open(self._folder / name) as im:
                im.load()
                if im.format != "PNG" or im.mode != "RGB" or im.size != self.size:
                    raise ValueError(f"{im.format} {im.mode} {im.size[0]}x{im.size[1]}")
                return np.asarray(im)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise FramesFolderError(f"frame {name!r} in {str(self._folder)!r} cannot be read "
                                    f"({detail})", "resume") from None


def _header(file: Path) -> tuple[str, str | None, tuple[int, int]] | None:
    """``(scene TOML, mood TOML, pixel size)`` of a Wiktoria PNG, from its header; or None."""
    if not file.is_file() or file.stat().st_size > max_frame_bytes((16384, 16384)):
        return None
    found = png_text(file)
    if found is None or found[0] != "PNG" or SCENE_KEY not in found[1]:
        return None
    try:
        with Image.open(file) as im:
            size = im.size
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return found[1][SCENE_KEY], found[1].get(MOOD_KEY), size


def _first_difference(a: str, b: str) -> tuple[str, str]:
    """The first lines (without comments) where two scene TOMLs differ, quoted."""
    la = [line.split("#")[0].strip() for line in a.splitlines()]
    lb = [line.split("#")[0].strip() for line in b.splitlines()]
    for x, y in zip([*la, ""], [*lb, ""], strict=False):
        if x != y:
            return repr(x[:60]), repr(y[:60])
    return "one scene", "another"  # only comments differ


def _scene(text: str, mood_text: str | None, file: Path) -> Scene:
    mood = parse_mood(mood_text, origin=f"{file} ({MOOD_KEY})") if mood_text else None
    return Scene.from_toml(text, origin=f"{file} ({SCENE_KEY})", mood=mood)


def encode_frames(
    folder: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    pattern: str = DEFAULT_PATTERN,
    progress: Progress | None = None,
    **options: Any,
) -> Path:
    """Encode the frames ``wiktoria frames`` wrote into ``folder`` as one animation file.

    Parameters
    ----------
    folder : path
        The frames (see :class:`FramesFolder` for what is checked).
    output : path
        ``.gif``, ``.png`` (APNG), ``.webp`` or ``.mp4``, outside ``folder``.
    pattern : str
        The frames' file names (``wiktoria frames --pattern``).
    progress : wiktoria.common.progress.Progress, optional
        As :func:`wiktoria.io.encode.write_animation`.
    **options
        ``dither``, ``quality``, ``loop``: as :func:`wiktoria.io.encode.write_animation`.

    Returns
    -------
    pathlib.Path
        ``output``, written atomically; byte for byte what ``write_animation`` writes for the
        animation the frames were rendered from.

    Examples
    --------
    >>> import tempfile, wiktoria
    >>> from wiktoria.run.batch import render_frames
    >>> anim = wiktoria.animate("serene", size=(16, 8), frames=3, seed=1)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = render_frames(anim, f"{d}/frames", jobs=1)
    ...     a = encode_frames(f"{d}/frames", f"{d}/a.gif")
    ...     a.read_bytes() == anim.save(f"{d}/b.gif").read_bytes()
    True
    """
    animation_format(output)
    output_suffix(output, animation=True)
    out = check_output_dir(output)
    frames = FramesFolder(folder, pattern)
    if not is_stream(out) and out.resolve().parent == frames.folder.resolve():
        raise ValueError(f"write {str(output)!r} outside the frames folder "
                         f"{str(frames.folder)!r} (resuming its render would refuse a foreign "
                         "file there)")
    return write_animation(frames, output, progress=progress, **options)
