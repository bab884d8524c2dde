"""The state of a live session: the scene from its source, what the page changed, and saving.

A :class:`Session` holds the *base* scene (read from a scene file, built by a sketch, or made
from a mood and a style) and the *choices* made on the page or through ``POST /set``: the mood,
the style, the seed, the loop's duration, layer parameters, play/pause and the frame. The
scene shown is the base with the choices applied (:meth:`Session.scene`); every change bumps
:attr:`Session.version`, which the render thread and the page follow. Choices hold across
reloads of the source; the ones a new source no longer has are dropped.

Saving writes only inside the session's folder (the folder the server was started in), under
a plain file name, atomically (:mod:`wiktoria.common.atomicio`).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from wiktoria.common import validate
from wiktoria.common.atomicio import atomic_write_text
from wiktoria.io.formats import still_format
from wiktoria.moods.mood import Mood
from wiktoria.moods.registry import all_moods, resolve_mood
from wiktoria.motion.animation import FramePlan, animate_scene, with_loop
from wiktoria.render.painting import Painting
from wiktoria.scene import Canvas, Scene, check_size
from wiktoria.scene.composition import Composition, plan
from wiktoria.scene.layer import Layer
from wiktoria.scene.scene import MAX_SIDE
from wiktoria.scene.styles import LEGACY_STYLES, STYLES, check_style, retarget, style_layouts

__all__ = ["LOOP_SUFFIXES", "SCENE_SUFFIXES", "STILL_SUFFIXES", "Session", "check_name",
           "preview_size"]

#: File name endings each kind of save accepts.
STILL_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff")
LOOP_SUFFIXES = (".gif", ".webp", ".png", ".mp4")
SCENE_SUFFIXES = (".toml",)

_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,199}$")

#: Keys of ``set`` that are not layer parameters.
SESSION_KEYS = ("mood", "style", "seed", "size", "duration", "playing", "frame")


def preview_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """``size`` scaled so that its long side is ``long_side`` (never enlarged).

    Examples
    --------
    >>> preview_size((1920, 1080), 384)
    (384, 216)
    """
    w, h = size
    scale = min(1.0, long_side / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def check_name(name: Any, suffixes: tuple[str, ...], what: str) -> str:
    """A file name to save ``what`` under: one plain name (no folder, not hidden) ending in
    one of ``suffixes``.

    Raises
    ------
    ValueError
        Any other name, in one line naming it and what is allowed.
    """
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name) or ".." in name:
        raise ValueError(f"cannot save the {what} as {name!r}: give a plain file name in the "
                         "server's folder (letters, digits, '_', '-', '+', '.'; no folders)")
    if not name.lower().endswith(suffixes):
        raise ValueError(f"cannot save the {what} as {name!r}: the name must end in "
                         f"{', '.join(suffixes)}")
    return name


def _coerce(value: Any, kind: str, key: str) -> Any:
    """A value typed as text (``"5"``, ``"true"``) turned into the parameter's type."""
    if not isinstance(value, str) or kind == "str":
        return value
    text = value.strip()
    try:
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
    except ValueError:
        raise ValueError(f"{key} must be a number, got {value!r}") from None
    if kind == "bool":
        if text.lower() in ("true", "1", "yes", "on"):
            return True
        if text.lower() in ("false", "0", "no", "off"):
            return False
        raise ValueError(f"{key} must be true or false, got {value!r}")
    return value


@dataclass(frozen=True)
class Snapshot:
    """What the render thread needs of one state: the scene, its version and the frame."""

    version: int
    scene: Scene
    frame: int
    playing: bool


class Session:
    """A live session's state; thread-safe.

    Parameters
    ----------
    base : Scene
        The scene of the source.
    root : path
        The only folder saves write to.
    preview : int
        Long side of the preview frames, in pixels.
    source : path, optional
        The scene file or sketch the base came from (saving the scene defaults to it when it
        is a ``.toml`` file in ``root``).
    clock : callable
        Seconds, monotonic (tests pass their own).

    Notes
    -----
    A new mood changes the mood and, when the layers are a style's stack, the layers too:
    that style's defaults for the new mood, with the changes the base made to its own
    defaults made again (:func:`~wiktoria.scene.styles.retarget`); a stack of one's own keeps
    its layers. A new style takes that style's stack for the mood (layer parameters set on
    the page are dropped; ``composition.*`` ones stay). A new seed, mood or style plans the
    composition afresh. Without a duration chosen, the loop is the scene's own, else the
    mood's default duration for the seed (:func:`wiktoria.motion.animation.with_loop`).
    """

    def __init__(self, base: Scene, root: str | Path, *, preview: int = 256,
                 source: str | Path | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.RLock()
        self.changed = threading.Condition(self._lock)
        self.root = Path(root).resolve()
        self.preview = validate.integer(preview, "preview", 16, MAX_SIDE)
        self.source = None if source is None else Path(source)
        self._clock = clock
        self._base = base
        self._choices: dict[str, Any] = {}
        self._overrides: dict[str, Any] = {}
        self._playing = True
        self._anchor_frame = 0
        self._anchor_time = clock()
        self.version = 0
        self.listeners: list[Callable[[], None]] = []
        self.error: dict[str, str] | None = None
        self.notice: str | None = None
        self._scene = self._compose(base, self._choices, self._overrides)

    # ---- the scene -------------------------------------------------------------------------

    @staticmethod
    def _compose(base: Scene, choices: Mapping[str, Any],
                 overrides: Mapping[str, Any]) -> Scene:
        scene = base
        mood = resolve_mood(choices["mood"], files=False) if "mood" in choices else base.mood
        style = choices.get("style", base.style)
        seed = choices.get("seed", base.seed)
        changes: dict[str, Any] = {}
        layers = base.layers
        if style != base.style:  # the new style's stack, a sketch's own layers kept on top
            layers = STYLES[check_style(style)](mood) + _split_own(base)[1]
        elif mood != base.mood and base.style in STYLES:
            styled, own = _split_own(base)
            layers = _merge_own(base.layers, retarget(styled, base.mood, base.style, mood)
                                or styled, own)
        if layers != base.layers:
            changes["layers"] = layers
            changes["style"] = style
            if base.loop is not None and base.loop.to_layers is not None:
                changes["loop"] = replace(base.loop, to_layers=None)
        width, height = choices.get("size", base.size)
        if seed != base.seed or (width, height) != base.size:
            changes["canvas"] = Canvas(width, height, seed)
        if base.composition is not None and (seed != base.seed or mood != base.mood
                                             or style != base.style):
            changes["composition"] = plan(seed, mood, layouts=style_layouts(style))
        changes["mood"] = mood
        scene = replace(scene, **changes)
        if overrides:
            scene = scene.override(overrides)
        duration = choices.get("duration")
        return with_loop(scene) if duration is None else with_loop(scene, duration=duration)

    def scene(self) -> Scene:
        """The scene shown (with its ``[loop]``, at frame 0)."""
        with self._lock:
            return self._scene

    def frame(self) -> int:
        """The frame shown now: the paused frame, or where the playing loop has got to."""
        with self._lock:
            loop = self._scene.loop
            assert loop is not None
            if not self._playing:
                return self._anchor_frame % loop.frames
            elapsed = self._clock() - self._anchor_time
            return (self._anchor_frame + math.floor(elapsed * loop.fps)) % loop.frames

    def snapshot(self) -> Snapshot:
        """The scene, version, frame and play state, read together."""
        with self._lock:
            return Snapshot(self.version, self._scene, self.frame(), self._playing)

    def preview_scene(self, scene: Scene) -> Scene:
        """``scene`` at the preview size (same seed, same everything else)."""
        w, h = preview_size(scene.size, self.preview)
        return replace(scene, canvas=Canvas(w, h, scene.seed))

    def _bump(self, new_version: bool = True) -> None:
        if new_version:
            self.version += 1
        self.changed.notify_all()
        for listener in list(self.listeners):
            listener()

    def wake(self) -> None:
        """Wake the threads waiting on :attr:`changed` (a new client, a frame asked for)."""
        with self._lock:
            self.changed.notify_all()

    # ---- changes -----------------------------------------------------------------------------

    def set(self, values: Mapping[str, Any]) -> None:
        """Apply ``{key: value}`` changes: layer parameters as ``layer.param`` (or
        ``composition.param``), and ``mood`` (a name, ``"valence,arousal"``, ``[valence,
        arousal]`` or a :class:`~wiktoria.Mood`; never a file), ``style``,
        ``seed``, ``size`` (``[width, height]``, the full size), ``duration`` (seconds of the
        loop; None: the scene's own), ``playing`` (bool) and ``frame`` (an index of the loop,
        where the loop stays or plays on from).

        All or nothing: a bad key or value changes nothing.

        Raises
        ------
        ValueError, TypeError
            A bad key or value, in one line naming it and what is allowed.
        """
        if not isinstance(values, Mapping) or not values:
            raise ValueError("give at least one change as {\"layer.param\": value}, or one of "
                             + ", ".join(SESSION_KEYS))
        with self._lock:
            choices = dict(self._choices)
            overrides = dict(self._overrides)
            playing = values.get("playing", self._playing)
            frame = values.get("frame")
            for key, value in values.items():
                if not isinstance(key, str):
                    raise TypeError(f"keys must be text, got {key!r}")
                if key == "mood" and isinstance(value, Mood):  # from Python: as it is
                    choices["mood"] = value
                elif key == "mood":
                    mood = resolve_mood(_as_mood_text(value), files=False)
                    choices["mood"] = mood.name if _is_registered(mood) else _as_mood_text(
                        value)
                elif key == "style":
                    # The new style's layers start from its defaults; the composition and a
                    # sketch's own layers keep what was set.
                    choices["style"] = check_style(value)
                    own = {x.type for x in _split_own(self._base)[1]}
                    overrides = {k: v for k, v in overrides.items()
                                 if k.startswith("composition.")
                                 or k.split(".")[0].split("#")[0] in own}
                elif key == "size":
                    choices["size"] = check_size(value)
                elif key == "seed":
                    choices["seed"] = validate.seed(_coerce(value, "int", "seed"))
                elif key == "duration":
                    if value is None:
                        choices.pop("duration", None)
                    else:
                        choices["duration"] = validate.number(
                            _coerce(value, "float", "duration"), "duration", 0.05, 3600.0)
                elif key == "playing":
                    playing = validate.boolean(_coerce(value, "bool", "playing"), "playing")
                elif key == "frame":
                    frame = validate.integer(_coerce(value, "int", "frame"), "frame", 0)
                else:
                    overrides[key] = self._typed(key, value)
            scene = self._compose(self._base, choices, overrides)
            loop = scene.loop
            assert loop is not None
            current = self.frame()
            self._choices, self._overrides, self._scene = choices, overrides, scene
            if frame is not None:
                current = frame
            self._playing = bool(playing)
            self._anchor_frame = current % loop.frames
            self._anchor_time = self._clock()
            self._bump()

    def _typed(self, key: str, value: Any) -> Any:
        info = self._param_info(key)
        if info is None:
            return value  # Scene.override names the valid keys
        return _coerce(value, info["kind"], key)

    def _param_info(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            scene = self._scene
        for group in _groups(scene):  # not controls(): listing the moods takes ~10-25 ms
            for p in group["params"]:
                if p["key"] == key:
                    return p
        return None

    def candidate(self, base: Scene) -> Scene:
        """The scene :meth:`reload` would show for ``base`` (nothing changes)."""
        with self._lock:
            choices, overrides = dict(self._choices), dict(self._overrides)
        keys = set(self._compose(base, choices, {}).override_keys())
        try:
            return self._compose(base, choices, {k: v for k, v in overrides.items()
                                                 if k in keys})
        except (ValueError, TypeError):
            return self._compose(base, choices, {})

    def reload(self, base: Scene) -> list[str]:
        """Take a new base scene (the source was saved): keep the choices it still has.

        Returns
        -------
        list of str
            The layer parameters set on the page that the new scene no longer has (dropped).
        """
        with self._lock:
            keys = set(self._compose(base, self._choices, {}).override_keys())
            kept = {k: v for k, v in self._overrides.items() if k in keys}
            dropped = [k for k in self._overrides if k not in keys]
            try:
                scene = self._compose(base, self._choices, kept)
            except (ValueError, TypeError):  # a value out of the new range: the file's own
                kept, scene = {}, self._compose(base, self._choices, {})
                dropped = list(self._overrides)
            frame = self.frame()
            self._base, self._overrides, self._scene = base, kept, scene
            loop = scene.loop
            assert loop is not None
            self._anchor_frame, self._anchor_time = frame % loop.frames, self._clock()
            self.error = None
            self._bump()
            return dropped

    def set_error(self, message: str | None, trace: str = "") -> None:
        """Show an error on the page (None clears it); the last good frame stays."""
        with self._lock:
            self.error = None if message is None else {"message": message, "traceback": trace}
            self._bump(new_version=False)

    # ---- what the page shows -------------------------------------------------------------

    def controls(self) -> dict[str, Any]:
        """Everything the page builds its controls from, as JSON-ready data."""
        with self._lock:
            scene = self._scene
            loop = scene.loop
            assert loop is not None
            groups = _groups(scene)
            return {
                "version": self.version,
                "error": self.error,
                "notice": self.notice,
                "source": None if self.source is None else self.source.name,
                "mood": {"name": scene.mood.name, "valence": scene.mood.valence,
                         "arousal": scene.mood.arousal},
                "moods": _mood_points(),
                "style": scene.style,
                "styles": list(STYLES),
                "seed": scene.seed,
                "size": list(scene.size),
                "preview": list(preview_size(scene.size, self.preview)),
                "fps": loop.fps,
                "frames": loop.frames,
                "duration": loop.duration,
                "frame": self.frame(),
                "playing": self._playing,
                "layers": groups,
            }

    # ---- saving ------------------------------------------------------------------------------

    def _target(self, name: str | None, suffixes: tuple[str, ...], what: str,
                default: str) -> Path:
        name = check_name(default if name is None else name, suffixes, what)
        target = self.root / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise ValueError(f"cannot save the {what} as {name!r}: it is a link or a folder "
                             "in the server's folder")
        return target

    def _stem(self, scene: Scene) -> str:
        return f"wiktoria-{scene.mood.name}-{scene.seed}".replace("+", "p")

    def save_still(self, name: str | None = None) -> Path:
        """Render the frame shown at full size and save it, its scene embedded."""
        snap = self.snapshot()
        target = self._target(name, STILL_SUFFIXES, "still",
                              f"{self._stem(snap.scene)}-{snap.frame}.png")
        still_format(target)
        painting: Painting = FramePlan(snap.scene).painting(snap.frame)
        return painting.save(target)

    def save_loop(self, name: str | None = None, progress: Any = False) -> Path:
        """Render the whole loop at full size and save it, its scene embedded."""
        scene = self.scene()
        target = self._target(name, LOOP_SUFFIXES, "loop", f"{self._stem(scene)}.gif")
        return animate_scene(scene).save(target, progress=progress)

    def save_scene(self, name: str | None = None) -> Path:
        """Write the scene shown (with its loop) as TOML: by default back to the scene file
        the session started from, when that is a ``.toml`` file in the server's folder."""
        scene = self.scene()
        default = f"{self._stem(scene)}.toml"
        if (self.source is not None and self.source.suffix == ".toml"
                and self.source.resolve().parent == self.root):
            default = self.source.name
        target = self._target(name, SCENE_SUFFIXES, "scene", default)
        return atomic_write_text(target, scene.to_toml())


def _split_own(scene: Scene) -> tuple[tuple[Layer, ...], tuple[Layer, ...]]:
    """``scene``'s layers in two: those of its style's stack (by type) and its own (a
    sketch's layers of its own types, or of types its style does not use), each in order."""
    if scene.style not in STYLES:
        return scene.layers, ()
    types = {x.type for x in STYLES[scene.style](scene.mood)}
    types |= {x.type for x in LEGACY_STYLES.get(scene.style, lambda m: ())(scene.mood)}
    return (tuple(x for x in scene.layers if x.type in types),
            tuple(x for x in scene.layers if x.type not in types))


def _merge_own(layers: tuple[Layer, ...], styled: tuple[Layer, ...],
               own: tuple[Layer, ...]) -> tuple[Layer, ...]:
    """``layers`` with its style's layers replaced by ``styled`` (as many, in order) and its
    own where they were; ``styled + own`` when the counts differ."""
    if len(styled) != len(layers) - len(own):
        return styled + own
    mine, theirs = iter(own), iter(styled)
    own_ids = {id(x) for x in own}
    return tuple(next(mine) if id(x) in own_ids else next(theirs) for x in layers)


def _as_mood_text(value: Any) -> str:
    """A mood as the page sends it: a name, ``"v,a"`` or ``[v, a]``."""
    if isinstance(value, list | tuple) and len(value) == 2:
        v, a = (validate.number(x, "mood", -1.0, 1.0) for x in value)
        return f"{v:.3f},{a:.3f}"
    if not isinstance(value, str):
        raise TypeError(f"mood must be a mood's name, 'valence,arousal' or [valence, arousal], "
                        f"got {value!r}")
    return value


def _mood_points() -> list[dict[str, Any]]:
    # One scan of the mood folders (resolving each name scanned them once a mood: ~25 ms).
    return [{"name": m.name, "valence": m.valence, "arousal": m.arousal}
            for m in all_moods()]


def _is_registered(mood: Mood) -> bool:
    try:
        return resolve_mood(mood.name, files=False) == mood
    except (LookupError, ValueError):
        return False


def _groups(scene: Scene) -> list[dict[str, Any]]:
    """The controls of the composition's and the layers' parameters."""
    groups = []
    if scene.composition is not None:
        groups.append(_group("composition", scene.composition, "composition"))
    for prefix, pos in scene._addresses():
        groups.append(_group(prefix, scene.layers[pos], scene.layers[pos].type))
    return groups


def _group(prefix: str, spec: Any, kind: str) -> dict[str, Any]:
    params = []
    for info in spec.describe():
        params.append({
            "key": f"{prefix}.{info.name}", "name": info.name, "kind": info.kind,
            "lo": info.lo, "hi": info.hi, "choices": list(info.choices or ()),
            "doc": info.doc, "value": getattr(spec, info.name),
        })
    return {"prefix": prefix, "type": kind, "summary": type(spec).summary()
            if not isinstance(spec, Composition) else "layout, light and value key",
            "params": params}
