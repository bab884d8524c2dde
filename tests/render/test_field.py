"""The ``field`` style (the ``veils`` layer): determinism, every mood's value range, the
fields' proportions by seed, the ground in the margins, and parameter validation."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

import wiktoria
from wiktoria.colour.spaces import srgb_to_oklab
from wiktoria.render.layer import Frame
from wiktoria.render.layers.veils import Field, VeilsRenderer, plan_fields
from wiktoria.scene.layers import VeilsLayer

SIZE = (192, 108)
AGITATED = {"seething", "electric", "euphoric", "dancing"}


def _lightness(painting: wiktoria.Painting) -> np.ndarray:
    return srgb_to_oklab(np.asarray(painting) / 255.0)[..., 0]


def _l_range(L: np.ndarray) -> float:
    return float(np.percentile(L, 98) - np.percentile(L, 2))


def _fields(mood: str, seed: int, **overrides: object) -> list[Field]:
    """The fields the veils renderer lays out for one painting of ``SIZE``."""
    scene = wiktoria.paint(mood, size=(8, 8), seed=seed, style="field", **overrides).scene
    frame = Frame(scene, scene.mood, SIZE[0], SIZE[1], scene.seed)
    renderer = VeilsRenderer(scene.layers[0], frame)
    renderer.prepare()
    return renderer.fields


def test_same_seed_same_bytes_different_seed_differs() -> None:
    a = wiktoria.paint("melancholy", size=SIZE, seed=11, style="field")
    b = wiktoria.paint("melancholy", size=SIZE, seed=11, style="field")
    c = wiktoria.paint("melancholy", size=SIZE, seed=12, style="field")
    assert np.asarray(a).tobytes() == np.asarray(b).tobytes()
    assert not np.array_equal(np.asarray(a), np.asarray(c))


def test_the_stack_is_veils_then_paper() -> None:
    scene = wiktoria.paint("serene", size=(16, 16), seed=1, style="field").scene
    assert [layer.type for layer in scene.layers] == ["veils", "paper"]


@pytest.mark.parametrize("mood", wiktoria.moods())
def test_every_mood_paints_with_a_value_range(mood: str) -> None:
    L = _lightness(wiktoria.paint(mood, size=SIZE, seed=3, style="field"))
    assert np.isfinite(L).all()
    need = 0.6 if mood in AGITATED else 0.35
    assert _l_range(L) >= need, (mood, _l_range(L))


def test_seeds_choose_different_counts_and_proportions() -> None:
    layouts = []
    for seed in (1, 2, 3, 4):
        fields = _fields("serene", seed)
        total = sum(f.area for f in fields)
        layouts.append((len(fields), [f.area / total for f in fields]))
    for i, (n, shares) in enumerate(layouts):
        for m, other in layouts[i + 1:]:
            assert n != m or max(abs(a - b) for a, b in zip(shares, other, strict=True)) > 0.05


def test_row_profiles_differ_between_seeds() -> None:
    profiles = [_lightness(wiktoria.paint("tender", size=SIZE, seed=s, style="field",
                                          **{"veils.arrangement": "stacked"})).mean(axis=1)
                for s in (1, 2, 3, 4)]
    for i, a in enumerate(profiles):
        for b in profiles[i + 1:]:
            assert np.abs(a - b).max() > 0.05


@pytest.mark.parametrize("mood", ["serene", "seething", "secretive", "euphoric"])
def test_fields_lie_within_the_margins_on_a_quiet_ground(mood: str) -> None:
    W, H = SIZE
    for seed in (1, 2, 3, 4):
        for f in _fields(mood, seed):
            assert 0.04 * W < f.x0 < f.x1 < 0.96 * W
            assert 0.05 * H < f.y0 < f.y1 < 0.95 * H
        L = _lightness(wiktoria.paint(mood, size=SIZE, seed=seed, style="field"))
        b = int(0.03 * W)
        ring = np.concatenate([L[:b].ravel(), L[-b:].ravel(), L[:, :b].ravel(),
                               L[:, -b:].ravel()])
        assert ring.std() < 0.4 * L.std(), (mood, seed)


def test_fields_follow_the_arrangement_and_count() -> None:
    rng = np.random.default_rng(5)
    stacked = plan_fields(rng, 1920, 1080, 3, 0.08, 0.045, "stacked")
    assert len(stacked) == 3 and all(a.y1 < b.y0 for a, b in pairwise(stacked))
    columns = plan_fields(rng, 1920, 1080, 2, 0.08, 0.045, "columns")
    assert len(columns) == 2 and columns[0].x1 < columns[1].x0


def test_fields_are_seen_at_their_place() -> None:
    # The fields differ from the ground: the middle of the largest is far from the margin.
    scene = wiktoria.paint("electric", size=SIZE, seed=2, style="field").scene
    L = _lightness(wiktoria.paint_scene(scene))
    big = max(_fields("electric", 2), key=lambda f: f.area)
    y, x = int((big.y0 + big.y1) / 2), int((big.x0 + big.x1) / 2)
    assert abs(float(L[y - 2:y + 3, x - 2:x + 3].mean()) - float(L[:3, :3].mean())) > 0.1


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"glazes": 2}, "veils.glazes must be an integer from 4 to 48, got 2"),
    ({"opacity": 1.5}, "veils.opacity must be a number from 0.3 to 1, got 1.5"),
    ({"blocks": "two"}, "veils.blocks must be an integer"),
    ({"arrangement": "diagonal"}, "veils.arrangement"),
])
def test_parameters_are_validated(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        VeilsLayer(**kwargs)  # type: ignore[arg-type]


def test_an_override_reaches_the_layer() -> None:
    p = wiktoria.paint("aloof", size=(64, 36), seed=1, style="field", **{"veils.blocks": 3})
    assert p.scene.layers[0].blocks == 3
    for seed in (1, 2, 3):
        assert len(_fields("aloof", seed, **{"veils.blocks": 3})) == 3


def test_the_scene_round_trips_through_toml() -> None:
    p = wiktoria.paint("vulnerable", size=(96, 54), seed=4, style="field",
                       **{"veils.arrangement": "columns", "veils.glazes": 12})
    again = wiktoria.Scene.from_toml(p.scene.to_toml())
    assert again == p.scene
    assert np.array_equal(np.asarray(wiktoria.paint_scene(again)), np.asarray(p))
