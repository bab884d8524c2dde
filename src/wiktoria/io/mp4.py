"""MP4 settings: H.264 a person can post, and how ``quality`` 1-100 maps onto them.

Measured with ``benchmarks/encode_bench.py`` (README, "Animations"): a 10 s 1920x1080 loop of
seething is ~14 MB at the default (was ~31 MB at CRF 18, preset medium), serene ~2.4 MB, with
no banding in the skies (the renderer's paper grain dithers every gradient, so no noise is
added before encoding). 10-bit would band less but does not play in most browsers: 8-bit
4:2:0 it is. The bit rate cap holds the worst case: 10 s of pure noise (960x540, capped at
3.5 Mbit/s) came to 4.5 MB, ~18 MB for the same at 1080p.
"""

from __future__ import annotations

__all__ = ["MP4_MAXRATE_1080P", "X264_PRESET", "mp4_crf", "mp4_maxrate", "mp4_video_args"]

#: x264 preset. Measured at CRF 23 (1920x1080, 72 frames): ``slow`` is 1 % (seething) to
#: 7 % (serene) smaller than ``medium`` and takes 1.4x as long (40 s vs 29 s, seething); the
#: encode stays far shorter than the render.
X264_PRESET = "slow"
#: The bit rate cap of a 1920x1080 MP4 at the default quality (see :func:`mp4_maxrate`).
MP4_MAXRATE_1080P = 14_000_000


def mp4_crf(quality: int) -> int:
    """x264 CRF for ``quality`` 1-100: ``round(51 - 0.35 * quality)``, so 100 is CRF 16
    (transparent), 80 (the default) CRF 23, 50 CRF 34 and 1 CRF 51 (the worst). Lower CRF is
    better and larger: each 6 steps about doubles the size. CRF 0 (lossless) is not offered:
    it needs the High 4:4:4 profile, which browsers do not play.

    Examples
    --------
    >>> [mp4_crf(q) for q in (1, 50, 80, 100)]
    [51, 34, 23, 16]
    """
    return round(51 - 0.35 * quality)


def mp4_maxrate(quality: int, width: int, height: int) -> int:
    """x264's bit rate cap (bit/s) for ``quality`` and a frame size: 14 Mbit/s for 1920x1080
    at the default quality (a 10 s loop stays under 20 MB however busy), in proportion to the
    pixels, doubled for every 6 CRF steps better (as the sizes of CRF encodes go).

    Examples
    --------
    >>> mp4_maxrate(80, 1920, 1080), mp4_maxrate(80, 960, 540)
    (14000000, 3500000)
    """
    scale = width * height / (1920 * 1080) * 2 ** ((23 - mp4_crf(quality)) / 6)
    return max(100_000, int(round(MP4_MAXRATE_1080P * scale, -3)))


def mp4_video_args(quality: int, width: int, height: int) -> list[str]:
    """ffmpeg's video options for an MP4 of ``quality`` 1-100: H.264 (libx264, deterministic)
    at :func:`mp4_crf`, capped at :func:`mp4_maxrate`, preset :data:`X264_PRESET`, 8-bit
    4:2:0 (what every browser plays), converted and tagged as BT.709, limited range (so
    browsers show the colours of the frames, not BT.601's greener ones)."""
    rate = mp4_maxrate(quality, width, height)
    return ["-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,"
            "setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709",
            "-c:v", "libx264", "-preset", X264_PRESET, "-crf", str(mp4_crf(quality)),
            "-maxrate", str(rate), "-bufsize", str(rate), "-pix_fmt", "yuv420p"]
