"""The scene inside Wiktoria's files: metadata keys, and writing and reading the embedded scene.

Every file Wiktoria writes carries the scene it was rendered from, as TOML:

========  ==============================================================================
PNG       iTXt chunks ``wiktoria:scene`` and ``wiktoria:mood`` (zipped), tEXt
          ``wiktoria:version`` and ``Software``: stills, frames and APNG loops alike
JPEG      the scene as the JPEG comment
GIF       the scene as the comment extension (``Image.open(p).info["comment"]``)
WebP      (animations) an XMP packet whose ``dc:description`` is the scene
MP4       ``-metadata comment=...`` (the ``©cmt`` atom; ``ffprobe``/``ffmpeg -i`` show it)
========  ==============================================================================

:func:`read_scene` reads any of them (and scene ``.toml`` files) back into a
:class:`~wiktoria.scene.Scene`; :func:`read_source` also says whether the file is an animation.
Readers are looked up in a table by image format (:data:`READERS`).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from PIL import Image, PngImagePlugin

from wiktoria.common.version import __version__
from wiktoria.moods.mood import Mood
from wiktoria.moods.moodfile import parse_mood
from wiktoria.scene import Scene

__all__ = [
    "MOOD_KEY",
    "READERS",
    "SCENE_KEY",
    "VERSION_KEY",
    "Embedded",
    "SceneSource",
    "embedded",
    "embedded_scene",
    "png_info",
    "read_scene",
    "read_source",
    "scene_from_xmp",
    "xmp_packet",
]

#: PNG text chunk holding the scene TOML.
SCENE_KEY = "wiktoria:scene"
#: PNG text chunk holding the mood TOML (so a mood not installed here still reproduces).
MOOD_KEY = "wiktoria:mood"
#: PNG text chunk holding the Wiktoria version.
VERSION_KEY = "wiktoria:version"

MP4_EXTRA_MESSAGE = "MP4 needs the optional extra: pip install 'wiktoria[mp4]'"


# --------------------------------------------------------------------------- writing


def png_info(scene_toml: str, mood_toml: str | None = None,
             extra: Mapping[str, str] | None = None) -> PngImagePlugin.PngInfo:
    """PNG text chunks: the scene, the mood definition and the version (UTF-8, zipped).

    Examples
    --------
    >>> info = png_info('mood = "serene"\\n')
    >>> [data.split(b"\\0")[0] for _, data, *_ in info.chunks]
    [b'wiktoria:scene', b'wiktoria:version', b'Software']
    """
    info = PngImagePlugin.PngInfo()
    info.add_itxt(SCENE_KEY, scene_toml, zip=True)
    if mood_toml is not None:
        info.add_itxt(MOOD_KEY, mood_toml, zip=True)
    info.add_text(VERSION_KEY, __version__)
    info.add_text("Software", f"Wiktoria {__version__}")
    for k, v in (extra or {}).items():
        info.add_itxt(k, v, zip=True)
    return info


def xmp_packet(scene_toml: str) -> bytes:
    """An XMP packet whose ``dc:description`` is the scene TOML (UTF-8).

    Examples
    --------
    >>> scene_from_xmp(xmp_packet('mood = "a<b"\\n'))
    'mood = "a<b"\\n'
    """
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        f"   <xmp:CreatorTool>Wiktoria {escape(__version__)}</xmp:CreatorTool>\n"
        "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">"
        f"{escape(scene_toml)}</rdf:li></rdf:Alt></dc:description>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    ).encode()


# --------------------------------------------------------------------------- reading


def scene_from_xmp(xmp: bytes | str) -> str | None:
    """The ``dc:description`` of an XMP packet (the scene Wiktoria put there), or None."""
    import xml.etree.ElementTree as ET

    text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else xmp
    start, end = text.find("<x:xmpmeta"), text.rfind("</x:xmpmeta>")
    if start < 0 or end < 0:
        return None
    try:
        root = ET.fromstring(text[start:end + len("</x:xmpmeta>")])
    except ET.ParseError:
        return None
    rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
    for desc in root.iter("{http://purl.org/dc/elements/1.1/}description"):
        for li in desc.iter(f"{rdf}li"):
            return li.text or ""
    return None


def _unescape_ffmetadata(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def ffmetadata_value(text: str, key: str) -> str | None:
    """The value of ``key`` in ffmpeg's ``ffmetadata`` output (escapes ``\\=;#`` and newline).

    Examples
    --------
    >>> ffmetadata_value(";FFMETADATA1\\ncomment=a\\\\=b\\\\\\nc\\n", "comment")
    'a=b\\nc'
    """
    out: list[str] = []
    lines = iter(text.splitlines(keepends=True))
    for line in lines:
        if not line.startswith(key + "="):
            continue
        value = line[len(key) + 1:]
        while True:
            stripped = value.rstrip("\n")
            backslashes = len(stripped) - len(stripped.rstrip("\\"))
            if value.endswith("\n") and backslashes % 2 == 1:  # escaped newline: continues
                out.append(stripped[:-1] + "\n")
                value = next(lines, "")
                continue
            out.append(stripped)
            break
        return _unescape_ffmetadata("".join(out))
    return None


@dataclass(frozen=True)
class Embedded:
    """What a Wiktoria file carries: its scene and mood TOML, and whether it is animated."""

    scene: str | None
    mood: str | None
    animated: bool


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None


def _read_png(im: Image.Image) -> Embedded:
    text = dict(getattr(im, "text", {}) or {})
    return Embedded(text.get(SCENE_KEY), text.get(MOOD_KEY),
                    getattr(im, "custom_mimetype", None) == "image/apng")


def _read_gif(im: Image.Image) -> Embedded:
    return Embedded(_text(im.info.get("comment")), None, True)


def _read_webp(im: Image.Image) -> Embedded:
    xmp = im.info.get("xmp")
    return Embedded(scene_from_xmp(xmp) if xmp else None, None, True)


def _read_jpeg(im: Image.Image) -> Embedded:
    return Embedded(_text(im.info.get("comment")), None, False)


#: Readers of the embedded scene, by Pillow format name (MP4 goes through ffmpeg).
READERS: dict[str, Callable[[Image.Image], Embedded]] = {
    "PNG": _read_png, "GIF": _read_gif, "WEBP": _read_webp, "JPEG": _read_jpeg}


def _read_mp4(path: Path) -> Embedded:
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ImportError(MP4_EXTRA_MESSAGE) from None
    run = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
                          "-f", "ffmetadata", "-"], capture_output=True, check=False)
    return Embedded(ffmetadata_value(run.stdout.decode("utf-8", "replace"), "comment"), None,
                    True)


def embedded(path: str | os.PathLike[str]) -> Embedded:
    """The scene and mood TOML a file written by Wiktoria carries (None where it has none).

    Raises
    ------
    OSError, SyntaxError
        The file cannot be opened as an image (Pillow's errors).
    ImportError
        An ``.mp4`` without the ``mp4`` extra.
    """
    p = Path(path)
    if p.suffix.lower() == ".mp4":
        return _read_mp4(p)
    with Image.open(p) as im:
        reader = READERS.get(str(im.format))
        return reader(im) if reader is not None else Embedded(None, None, False)


def embedded_scene(path: str | os.PathLike[str]) -> str | None:
    """The scene TOML embedded in a PNG, JPEG, GIF, APNG, WebP or MP4 written by Wiktoria.

    Returns
    -------
    str or None
        The TOML text, or None when the file carries none. Reading MP4 needs the ``mp4`` extra.

    Examples
    --------
    >>> import tempfile, wiktoria
    >>> anim = wiktoria.animate("serene", size=(16, 8), frames=2, seed=1)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     embedded_scene(anim.save(f"{d}/a.gif")) == anim.scene.to_toml()
    True
    """
    return embedded(path).scene


@dataclass(frozen=True)
class SceneSource:
    """A scene read from a file.

    Attributes
    ----------
    scene : Scene
    mood : Mood
        The scene's mood (the scene embeds it; for a 0.1 file, the mood embedded beside it or
        the registered mood its scene names).
    animated : bool
        The file is an animation (GIF, APNG, WebP, MP4), or a scene ``.toml`` with a
        ``[loop]`` table. A frame PNG of ``wiktoria frames`` has a ``[loop]`` but is a still.
    """

    scene: Scene
    mood: Mood
    animated: bool


def read_source(path: str | os.PathLike[str]) -> SceneSource:
    """The scene (and embedded mood) of a scene ``.toml`` file or of any file Wiktoria wrote.

    Raises
    ------
    ValueError
        The file does not exist, is not one Wiktoria wrote, or its scene is malformed.

    Examples
    --------
    >>> import tempfile, wiktoria
    >>> anim = wiktoria.animate("serene", size=(16, 8), frames=2, seed=1)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     source = read_source(anim.save(f"{d}/a.webp"))
    >>> source.animated, source.scene.loop.frames
    (True, 2)
    """
    p = Path(path)
    if not p.exists():
        raise ValueError(f"{str(p)!r} does not exist")
    if p.suffix.lower() == ".toml":
        scene = Scene.from_toml(p.read_text(encoding="utf-8"), origin=str(p))
        return SceneSource(scene, scene.mood, scene.loop is not None)
    try:
        found = embedded(p)
    except (OSError, SyntaxError) as exc:
        raise ValueError(f"{str(p)!r} is not an image Wiktoria can read: {exc}") from None
    if found.scene is None:
        raise ValueError(f"{str(p)!r} carries no Wiktoria scene (no {SCENE_KEY!r} text chunk "
                         "or comment); only files written by Wiktoria or scene .toml files "
                         "can be read")
    # A 0.1 file named its mood in the scene and carried the mood's definition beside it;
    # a scene of 0.2 or later embeds its mood, and what is beside it is then ignored.
    mood = (parse_mood(found.mood, origin=f"{p} ({MOOD_KEY})")
            if found.mood is not None else None)
    scene = Scene.from_toml(found.scene, origin=f"{p} ({SCENE_KEY})", mood=mood)
    return SceneSource(scene, scene.mood, found.animated and scene.loop is not None)


def read_scene(path: str | os.PathLike[str]) -> tuple[Scene, Mood]:
    """The scene (and embedded mood) of a scene ``.toml`` file or a file Wiktoria wrote.

    Reads Wiktoria PNGs (stills, frames, APNG), GIF, WebP and MP4 loops, and JPEGs.

    Raises
    ------
    ValueError
        The file is not one written by Wiktoria, or its scene is malformed.

    Examples
    --------
    >>> import tempfile, pathlib, wiktoria
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = wiktoria.paint("serene", size=(32, 16), seed=3).save(pathlib.Path(d) / "a.png")
    ...     scene, mood = read_scene(path)
    >>> scene.seed, mood is not None
    (3, True)
    """
    source = read_source(path)
    return source.scene, source.mood
