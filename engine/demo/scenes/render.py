"""Render a scene as a photo-like RGB image: texture, shapes, blur, light and noise."""

from __future__ import annotations

import colorsys
import math
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from engine.demo.scenes.scene import COLOURS, Scene, Style, Thing


def _rgb(colour: str, tint: tuple[float, float, float], value: float = 1.0) -> tuple[int, ...]:
    hue, sat, val = COLOURS[colour]
    r, g, b = colorsys.hsv_to_rgb(
        ((hue + tint[0]) % 360) / 360, sat * tint[1], min(1.0, val * tint[2] * value)
    )
    return int(r * 255), int(g * 255), int(b * 255)


def _polygon(thing: Thing, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    if thing.shape == "square":
        points = [(r * 1.2, math.radians(45 + 90 * k)) for k in range(4)]
    elif thing.shape == "triangle":
        points = [(r * 1.15, math.radians(-90 + 120 * k)) for k in range(3)]
        cy += r * 0.12  # the centroid sits low in the bounding circle
    elif thing.shape == "star":
        radii = (r * 1.15, r * 0.5)
        points = [(radii[k % 2], math.radians(-90 + 36 * k)) for k in range(10)]
    elif thing.shape == "cross":
        w = 0.36
        corners = [(w, 1), (-w, 1), (-w, w), (-1, w), (-1, -w), (-w, -w)]
        corners += [(-w, -1), (w, -1), (w, -w), (1, -w), (1, w), (w, w)]
        points = [(r * math.hypot(x, y), math.atan2(y, x)) for x, y in corners]
    else:
        raise ValueError(f"unknown shape {thing.shape}")
    turn = math.radians(thing.angle)
    return [(cx + d * math.cos(a + turn), cy + d * math.sin(a + turn)) for d, a in points]


def _stage_coords(width: int, height: int) -> tuple[np.ndarray, np.ndarray, int]:
    side = min(width, height)
    u = (np.arange(width, dtype=np.float32) + 0.5 - (width - side) / 2) / side
    v = (np.arange(height, dtype=np.float32) + 0.5 - (height - side) / 2) / side
    return u[None, :], v[:, None], side


def _texture(background: str, style: Style, width: int, height: int) -> np.ndarray:
    """Texture coverage in [0, 1] (soft edges), shape (height, width)."""
    u, v, side = _stage_coords(width, height)
    if background == "plain":
        return np.zeros((height, width), np.float32)
    period = style.pattern_period * (1.3 if background == "checkered" else 1.0)
    angle = style.pattern_angle if background == "striped" else style.pattern_angle % 45 - 22.5
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    a = (u * c + v * s) / period
    b = (v * c - u * s) / period
    pixel = 1.0 / (period * side)  # one pixel in pattern-period units
    if background == "striped":
        return np.clip((0.25 - np.abs(a % 1 - 0.5)) / pixel + 0.5, 0, 1)
    if background == "dotted":
        dist = np.hypot(a % 1 - 0.5, b % 1 - 0.5)
        return np.clip((0.22 - dist) / pixel + 0.5, 0, 1)
    if background == "checkered":
        sa = np.clip((0.25 - np.abs(a % 1 - 0.5)) / pixel, -1, 1)
        sb = np.clip((0.25 - np.abs(b % 1 - 0.5)) / pixel, -1, 1)
        return (1 + sa * sb) / 2
    raise ValueError(f"unknown background {background}")


_NOISE_TILE = 256


@lru_cache(maxsize=1)
def _noise_bank() -> np.ndarray:
    """A fixed tile of unit Gaussian noise; images take a seeded window of it, tiled."""
    rng = np.random.default_rng(0)
    return rng.standard_normal((2 * _NOISE_TILE, 2 * _NOISE_TILE, 3), dtype=np.float32)


def _noise(seed: int, width: int, height: int) -> np.ndarray:
    dy, dx = divmod(seed % (_NOISE_TILE * _NOISE_TILE), _NOISE_TILE)
    tile = _noise_bank()[dy : dy + _NOISE_TILE, dx : dx + _NOISE_TILE]
    reps = (-(-height // _NOISE_TILE), -(-width // _NOISE_TILE), 1)
    return np.tile(tile, reps)[:height, :width]


def render_scene(scene: Scene, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """Render ``scene`` as an RGB image of ``size`` (width, height); deterministic."""
    width, height = size
    style = scene.style
    coverage = _texture(scene.background, style, width, height)
    pixels = np.asarray(style.base, np.float32) + coverage[..., None] * style.pattern_delta
    image = Image.fromarray(pixels.astype(np.uint8), "RGB")  # base +- delta stays in 0..255

    side = min(width, height)
    ox, oy = (width - side) / 2, (height - side) / 2
    draw = ImageDraw.Draw(image)
    line = max(1, round(side * 0.008))
    for thing in scene.objects:
        cx, cy, r = ox + thing.x * side, oy + thing.y * side, thing.radius * side
        fill, edge = _rgb(thing.colour, thing.tint), _rgb(thing.colour, thing.tint, 0.6)
        if thing.shape == "circle":
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill, outline=edge, width=line)
        else:
            draw.polygon(_polygon(thing, cx, cy, r), fill=fill, outline=edge, width=line)

    radius = style.blur * side
    if radius >= 0.5:  # below that a blur is invisible
        image = image.filter(ImageFilter.BoxBlur(radius))
    u, v, _ = _stage_coords(width, height)
    light = 1 + style.light_strength * (
        (u - 0.5) * math.cos(style.light_angle) + (v - 0.5) * math.sin(style.light_angle)
    )
    pixels = np.asarray(image, np.float32) * light[..., None]
    pixels += _noise(style.seed, width, height) * style.noise
    np.clip(pixels, 0, 255, out=pixels)
    return Image.fromarray(pixels.astype(np.uint8), "RGB")
