"""Defaults a person would share: lossy WebP (lossless at quality 100), MP4 at x264 CRF 23
(quality 80), ``quality`` setting MP4 size monotonically, BT.709 tags. No timings."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageSequence

from wiktoria.io.encode import (
    DEFAULT_QUALITY,
    encode_animation,
    mp4_crf,
    mp4_maxrate,
    mp4_video_args,
)
from wiktoria.motion.animation import animate


@pytest.fixture(scope="module")
def anim():
    return animate("seething", size=(96, 64), frames=6, seed=5)


def _frames(data: bytes, tmp_path: Path) -> list[np.ndarray]:
    path = tmp_path / "x.webp"
    path.write_bytes(data)
    with Image.open(path) as im:
        return [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(im)]


def test_webp_is_lossy_by_default_and_smaller(anim, tmp_path: Path) -> None:
    lossy = encode_animation(anim, ".webp")
    lossless = encode_animation(anim, ".webp", quality=100)
    assert lossy == encode_animation(anim, ".webp", quality=DEFAULT_QUALITY[".webp"])
    assert len(lossy) < len(lossless) / 2
    source = [anim.frame_array(i) for i in range(len(anim))]
    exact = _frames(lossless, tmp_path)
    assert all(np.array_equal(a, b) for a, b in zip(exact, source, strict=True))
    decoded = _frames(lossy, tmp_path)
    assert len(decoded) == len(source)
    err = np.mean([np.abs(a.astype(np.int16) - b).mean() for a, b in zip(decoded, source,
                                                                          strict=True)])
    assert 0 < err < 6


def test_quality_to_crf() -> None:
    assert [mp4_crf(q) for q in (1, 50, 80, 100)] == [51, 34, 23, 16]
    crfs = [mp4_crf(q) for q in range(1, 101)]
    assert crfs == sorted(crfs, reverse=True)
    assert DEFAULT_QUALITY[".mp4"] == 80
    assert mp4_maxrate(80, 1920, 1080) == 14_000_000  # 10 s: at most ~18 MB
    assert isinstance(mp4_maxrate(80, 1920, 1080), int)
    rates = [mp4_maxrate(q, 1920, 1080) for q in range(1, 101)]
    assert rates == sorted(rates)
    args = mp4_video_args(80, 1920, 1080)
    assert args[args.index("-crf") + 1] == "23"
    assert args[args.index("-pix_fmt") + 1] == "yuv420p"  # 8-bit 4:2:0: browsers play it


@pytest.mark.parametrize("quality", [0, 101, -5, 50.5, True, "80"])
def test_bad_mp4_quality(anim, quality: object) -> None:
    pytest.importorskip("imageio_ffmpeg")
    with pytest.raises(ValueError, match="quality must be an integer from 1 to 100"):
        encode_animation(anim, ".mp4", quality=quality)  # type: ignore[arg-type]


def _stream_info(data: bytes, tmp_path: Path) -> str:
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    path = tmp_path / "x.mp4"
    path.write_bytes(data)
    proc = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                          capture_output=True, text=True, check=False)
    return next(line for line in proc.stderr.splitlines() if "Video:" in line)


def test_mp4_default_is_crf_23_tagged_bt709(anim, tmp_path: Path) -> None:
    pytest.importorskip("imageio_ffmpeg")
    data = encode_animation(anim, ".mp4")
    assert data == encode_animation(anim, ".mp4", quality=80)
    assert b"crf=23.0" in data and b"rc=crf" in data  # x264 writes its options in the stream
    info = _stream_info(data, tmp_path)
    assert "h264 (High)" in info and "yuv420p(tv, bt709, progressive)" in info, info


def test_mp4_quality_sets_the_size(anim, tmp_path: Path) -> None:
    pytest.importorskip("imageio_ffmpeg")
    sizes = []
    for quality in (10, 40, 70, 100):
        data = encode_animation(anim, ".mp4", quality=quality)
        assert f"crf={mp4_crf(quality)}.0".encode() in data
        sizes.append(len(data))
    assert sizes == sorted(sizes) and len(set(sizes)) == 4, sizes
