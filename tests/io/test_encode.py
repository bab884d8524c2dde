"""Animated output: GIF / APNG / WebP / MP4 round trips, the GIF palette, flicker, atomicity."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import wiktoria
from wiktoria.io.encode import (
    MP4_EXTRA_MESSAGE,
    EncodeWarning,
    Quantizer,
    build_palette,
    embedded_scene,
    encode_animation,
    frame_durations,
    write_animation,
)
from wiktoria.io.metadata import SCENE_KEY, read_scene

N, W, H, FPS = 6, 48, 32, 12.0
PILLOW_FORMATS = [".gif", ".png", ".webp"]


@pytest.fixture(scope="module")
def anim() -> wiktoria.Animation:
    return wiktoria.animate("serene", size=(W, H), frames=N, fps=FPS, seed=1)


@pytest.fixture(scope="module")
def source(anim: wiktoria.Animation) -> np.ndarray:
    return np.stack([anim.frame_array(i) for i in range(N)])


class _Scene:
    def __init__(self, text: str) -> None:
        self.text = text

    def to_toml(self) -> str:
        return self.text


class Synthetic:
    """A duck-typed animation: a smooth colour field, ``static`` half frozen at frame 0."""

    def __init__(self, n: int = N, size: tuple[int, int] = (W, H), fps: float = FPS,
                 static: str | None = "left", still: bool = False) -> None:
        self.n, self.size, self.fps, self.static, self.still = n, size, fps, static, still
        self.scene = _Scene('# synthétique\nseed = 7\nnote = "a <b> & c"\n')
        self.calls: list[int] = []

    def __len__(self) -> int:
        return self.n

    def frame_array(self, i: int) -> np.ndarray:
        self.calls.append(i)
        w, h = self.size
        y, x = np.mgrid[0:h, 0:w] / max(w, h)
        t = 0.0 if self.still else 2 * np.pi * i / self.n
        rgb = np.stack([0.5 + 0.4 * np.sin(5 * x + t), 0.5 + 0.4 * np.cos(4 * y - t),
                        0.5 + 0.3 * np.sin(3 * (x + y) + 2 * t)], axis=-1)
        frame = np.rint(rgb * 255).astype(np.uint8)
        if self.static is not None:
            first = np.rint(np.stack([0.5 + 0.4 * np.sin(5 * x), 0.5 + 0.4 * np.cos(4 * y),
                                      0.5 + 0.3 * np.sin(3 * (x + y))], -1) * 255)
            half = slice(0, w // 2) if self.static == "left" else slice(w // 2, w)
            frame[:, half] = first[:, half].astype(np.uint8)
        return frame


def _decode(path_or_bytes: Path | bytes) -> tuple[np.ndarray, list[float], dict[str, object]]:
    """Frames (N, H, W, 3) uint8, per-frame durations (ms) and the file's size and loop."""
    src = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with Image.open(src) as im:
        frames, durations = [], []
        for i in range(im.n_frames):
            im.seek(i)
            im.load()
            frames.append(np.asarray(im.convert("RGB")))
            durations.append(float(im.info["duration"]))
        info = {"size": im.size, "loop": im.info.get("loop")}
    return np.stack(frames), durations, info


def _gif_blocks(data: bytes) -> tuple[bool, list[int]]:
    """(global colour table present, local-colour-table flag of every image descriptor)."""
    assert data[:6] == b"GIF89a"
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    local = []
    while data[pos] != 0x3B:
        if data[pos] == 0x21:  # extension: label, sub-blocks
            pos += 2
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
        elif data[pos] == 0x2C:  # image descriptor
            packed = data[pos + 9]
            local.append(packed & 0x80)
            pos += 10 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0)
            pos += 1  # LZW minimum code size
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
        else:
            raise AssertionError(f"unexpected GIF block {data[pos]:#x} at {pos}")
    return bool(flags & 0x80), local


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("ext", PILLOW_FORMATS)
def test_round_trip(anim: wiktoria.Animation, source: np.ndarray, tmp_path: Path,
                    ext: str) -> None:
    options = {"quality": 100} if ext == ".webp" else {}  # lossless WebP
    path = write_animation(anim, tmp_path / f"loop{ext}", **options)
    assert path == tmp_path / f"loop{ext}"
    frames, durations, info = _decode(path)
    assert frames.shape == (N, H, W, 3)
    assert info == {"size": (W, H), "loop": 0}
    assert sum(durations) == pytest.approx(N / FPS * 1000, abs=0.5)
    assert max(durations) - min(durations) <= 10
    if ext != ".gif":  # lossless
        np.testing.assert_array_equal(frames, source)
    assert [p.name for p in tmp_path.iterdir()] == [f"loop{ext}"]


def test_gif_durations_keep_the_average_rate(tmp_path: Path) -> None:
    path = write_animation(Synthetic(n=12, fps=24, static=None), tmp_path / "a.gif")
    _, durations, _ = _decode(path)
    assert durations == [40, 40, 50, 40, 40, 40] * 2  # 24 fps exactly over every 6 frames


def test_frame_durations() -> None:
    assert frame_durations(6, 24, 100).tolist() == [4, 4, 5, 4, 4, 4]
    assert frame_durations(3, 30, 1000).tolist() == [33, 34, 33]
    d = frame_durations(97, 23.976, 100)
    assert d.sum() == round(97 * 100 / 23.976)
    assert set(d.tolist()) <= {4, 5}


def test_gif_above_50_fps_warns_and_clamps(tmp_path: Path) -> None:
    with pytest.warns(EncodeWarning, match="50 fps"):
        path = write_animation(Synthetic(fps=100, static=None), tmp_path / "fast.gif")
    _, durations, _ = _decode(path)
    assert durations == [20] * N


@pytest.mark.parametrize("ext", PILLOW_FORMATS)
def test_loop_count(tmp_path: Path, ext: str) -> None:
    path = write_animation(Synthetic(static=None), tmp_path / f"l{ext}", loop=3)
    with Image.open(path) as im:
        assert im.info["loop"] == 3


@pytest.mark.parametrize("ext", [".gif", ".png"])
def test_identical_frames_are_merged(tmp_path: Path, ext: str) -> None:
    path = write_animation(Synthetic(still=True, static=None), tmp_path / f"still{ext}")
    frames, durations, _ = _decode(path)
    assert len(frames) == 1
    assert durations[0] == pytest.approx(N / FPS * 1000, abs=0.5)


def test_encode_animation_matches_file(tmp_path: Path) -> None:
    synth = Synthetic()
    for ext in PILLOW_FORMATS:
        data = encode_animation(synth, ext.lstrip("."))
        assert data == write_animation(synth, tmp_path / f"x{ext}").read_bytes()


def test_repr_html_embeds_webp(anim: wiktoria.Animation) -> None:
    assert '<img src="data:image/webp;base64,' in anim._repr_html_()


def test_progress_reports_every_frame(tmp_path: Path) -> None:
    for ext in PILLOW_FORMATS:
        seen: list[tuple[str, int]] = []

        class Recorder:
            def start(self, total: int, seen: list[tuple[str, int]] = seen) -> None:
                seen.append(("start", total))

            def __call__(self, n: int, seen: list[tuple[str, int]] = seen) -> None:
                seen.append(("done", n))

        write_animation(Synthetic(), tmp_path / f"p{ext}", progress=Recorder())
        assert seen == [("start", N)] + [("done", 1)] * N, ext


# --------------------------------------------------------------------------- GIF quality


def test_gif_has_one_global_palette(anim: wiktoria.Animation, tmp_path: Path) -> None:
    path = write_animation(anim, tmp_path / "a.gif", dither="ordered")
    has_global, local = _gif_blocks(path.read_bytes())
    assert has_global
    assert len(local) == N and not any(local)
    with Image.open(path) as im:
        palettes = set()
        for i in range(im.n_frames):
            im.seek(i)
            palettes.add(bytes(im.global_palette.palette))
        assert len(palettes) == 1


@pytest.mark.parametrize(("dither", "bound"), [("none", 1.5), ("ordered", 2.5), ("floyd", 2.5)])
def test_gif_is_close_to_the_frames(anim: wiktoria.Animation, source: np.ndarray,
                                    dither: str, bound: float) -> None:
    frames, _, _ = _decode(encode_animation(anim, ".gif", dither=dither))
    err = np.abs(frames.astype(np.int16) - source)
    assert err.mean() < bound
    assert np.percentile(err, 99) < 12


@pytest.mark.parametrize("dither", ["none", "ordered"])
def test_static_half_does_not_flicker(dither: str) -> None:
    synth = Synthetic(static="left")
    frames, _, _ = _decode(encode_animation(synth, ".gif", dither=dither))
    left = frames[:, :, : W // 2]
    assert (left == left[0]).all()
    right = frames[:, :, W // 2:]
    assert not (right == right[0]).all()


def test_floyd_flickers_where_error_flows_into_static_pixels() -> None:
    """Documents the trade-off: error diffusion runs left to right, so a static right half
    receives different errors when the left half changes."""
    synth = Synthetic(static="right")
    src = np.stack([synth.frame_array(i) for i in range(N)])
    assert (src[:, :, W // 2:] == src[0, :, W // 2:]).all()
    frames, _, _ = _decode(encode_animation(synth, ".gif", dither="floyd"))
    assert not (frames[:, :, W // 2:] == frames[0, :, W // 2:]).all()


def test_palette_is_exact_for_few_colours() -> None:
    colours = np.array([[0, 0, 0], [255, 0, 0], [0, 128, 255], [250, 250, 240]], np.uint8)
    frame = colours[np.indices((H, W)).sum(0) % 4]

    class Four(Synthetic):
        def frame_array(self, i: int) -> np.ndarray:
            return np.roll(frame, i, axis=1)

    four = Four()
    palette = build_palette(four)
    assert palette.shape == (256, 3) and palette.dtype == np.uint8
    for dither in ("none", "ordered", "floyd"):
        idx = Quantizer(palette, dither)(frame)
        np.testing.assert_array_equal(palette[idx], frame)


def test_palette_is_deterministic_and_covers_the_ramp(anim: wiktoria.Animation) -> None:
    a, b = build_palette(anim), build_palette(anim)
    np.testing.assert_array_equal(a, b)
    assert len(np.unique(a, axis=0)) > 200


# --------------------------------------------------------------------------- metadata


@pytest.mark.parametrize("ext", PILLOW_FORMATS)
def test_scene_is_embedded(anim: wiktoria.Animation, tmp_path: Path, ext: str) -> None:
    path = write_animation(anim, tmp_path / f"s{ext}")
    toml = anim.scene.to_toml()
    assert embedded_scene(path) == toml
    with Image.open(path) as im:
        if ext == ".gif":
            assert im.info["comment"].decode() == toml
        elif ext == ".png":
            assert im.text[SCENE_KEY] == toml
        else:
            assert b"<dc:description>" in im.info["xmp"]
    if ext == ".png":
        scene, mood = read_scene(path)  # the APNG reproduces like a still PNG
        assert scene == anim.scene
        assert mood is not None and mood.name == anim.mood.name


def test_scene_with_markup_and_unicode_survives(tmp_path: Path) -> None:
    synth = Synthetic()
    for ext in PILLOW_FORMATS:
        assert embedded_scene(write_animation(synth, tmp_path / f"u{ext}")) == synth.scene.text


# --------------------------------------------------------------------------- atomicity


class Exploding(Synthetic):
    def __init__(self, at: int, exc: type[BaseException]) -> None:
        super().__init__()
        self.at, self.exc = at, exc

    def frame_array(self, i: int) -> np.ndarray:
        if i == self.at:
            raise self.exc("frame function failed")
        return super().frame_array(i)


@pytest.mark.parametrize("ext", [*PILLOW_FORMATS, ".mp4"])
@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_failed_write_leaves_no_file(tmp_path: Path, ext: str,
                                     exc: type[BaseException]) -> None:
    if ext == ".mp4":
        pytest.importorskip("imageio_ffmpeg")
    target = tmp_path / f"out{ext}"
    with pytest.raises(exc, match="frame function failed"):
        write_animation(Exploding(N - 2, exc), target)
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"old")
    with pytest.raises(exc):
        write_animation(Exploding(N - 1, exc), target)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_wrong_frame_shape_is_an_error(tmp_path: Path) -> None:
    class Wrong(Synthetic):
        def frame_array(self, i: int) -> np.ndarray:
            return np.zeros((H, W, 4), np.uint8)

    with pytest.raises(ValueError, match=r"frame 0 is uint8 \(32, 48, 4\)"):
        write_animation(Wrong(), tmp_path / "w.png")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- MP4


def test_mp4_without_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # import fails
    synth = Synthetic()
    with pytest.raises(ImportError) as info:
        write_animation(synth, tmp_path / "a.mp4")
    assert str(info.value) == MP4_EXTRA_MESSAGE == (
        "MP4 needs the optional extra: pip install 'wiktoria[mp4]'")
    assert synth.calls == []  # checked before rendering anything
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("size", [(W, H), (W - 1, H - 1)])
def test_mp4_round_trip(anim: wiktoria.Animation, tmp_path: Path,
                        size: tuple[int, int]) -> None:
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    synth = Synthetic(size=size, static=None)
    synth.scene = anim.scene
    path = write_animation(synth, tmp_path / "a.mp4")
    nframes, secs = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert nframes == N
    assert secs == pytest.approx(N / FPS, abs=0.05)
    assert embedded_scene(path) == anim.scene.to_toml()
    # decode with the bundled ffmpeg (imageio-ffmpeg's read_frames leaks its pipes)
    raw = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    ew, eh = size[0] + size[0] % 2, size[1] + size[1] % 2  # yuv420p: padded to even
    frames = np.frombuffer(raw, np.uint8).reshape(-1, eh, ew, 3)
    assert len(frames) == N
    src = np.stack([synth.frame_array(i) for i in range(N)])
    err = np.abs(frames[:, : size[1], : size[0]].astype(np.int16) - src)
    assert err.mean() < 4


# --------------------------------------------------------------------------- errors


def test_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown extension") as info:
        write_animation(Synthetic(), tmp_path / "loop.bmp")
    message = str(info.value)
    assert "'.bmp'" in message and ".gif, .png, .webp, .mp4" in message
    assert "\n" not in message
    with pytest.raises(ValueError, match=r"unknown extension '\.avi'"):
        encode_animation(Synthetic(), "avi")


@pytest.mark.parametrize("dither", ["bayer", "", None, "NONE"])
def test_bad_dither(tmp_path: Path, dither: object) -> None:
    with pytest.raises(ValueError, match=r"dither must be one of 'none', 'ordered', 'floyd'"):
        write_animation(Synthetic(), tmp_path / "a.gif", dither=dither)  # type: ignore[arg-type]


def test_dither_is_for_gif_only(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"dither applies to \.gif only"):
        write_animation(Synthetic(), tmp_path / "a.png", dither="ordered")


@pytest.mark.parametrize("quality", [0, 101, -5, 50.5, True, "80"])
def test_bad_quality(tmp_path: Path, quality: object) -> None:
    with pytest.raises(ValueError, match="quality must be") as info:
        write_animation(Synthetic(), tmp_path / "a.webp", quality=quality)  # type: ignore[arg-type]
    message = str(info.value)
    assert repr(quality) in message and "1 to 100" in message and "\n" not in message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("ext", [".gif", ".png"])
def test_quality_is_for_webp_and_mp4_only(tmp_path: Path, ext: str) -> None:
    with pytest.raises(ValueError, match=rf"quality applies to \.webp and \.mp4 only, got "
                                         rf"quality=80 for \{ext}$"):
        write_animation(Synthetic(), tmp_path / f"a{ext}", quality=80)
    assert list(tmp_path.iterdir()) == []


def test_lossy_webp(tmp_path: Path) -> None:
    synth = Synthetic()
    src = np.stack([synth.frame_array(i) for i in range(N)])
    path = write_animation(synth, tmp_path / "q.webp", quality=90)
    frames, _, _ = _decode(path)
    assert frames.shape == src.shape
    assert np.abs(frames.astype(np.int16) - src).mean() < 4
    assert path.stat().st_size < len(encode_animation(synth, ".webp", quality=100))


@pytest.mark.parametrize("loop", [-1, 65536, 1.5])
def test_bad_loop(tmp_path: Path, loop: object) -> None:
    with pytest.raises(ValueError, match="loop must be an integer from 0"):
        write_animation(Synthetic(), tmp_path / "a.gif", loop=loop)  # type: ignore[arg-type]


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        write_animation(Synthetic(), tmp_path / "nope" / "a.gif")


def test_apng_frame_count_chunk(tmp_path: Path) -> None:
    data = write_animation(Synthetic(), tmp_path / "a.png").read_bytes()
    at = data.index(b"acTL")
    assert struct.unpack(">II", data[at + 4:at + 12]) == (N, 0)
