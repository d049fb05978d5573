"""Rendered photos with known text, for bench.ocr and the OCR tests.

Kinds: street signs, receipts, phone screenshots, handwritten-style notes (English and
Chinese, real fonts from the system: Debian's fonts-noto-cjk, fonts-wqy-microhei and
fonts-dejavu-core, which ./run installs) and photos without text. Each is put through
a perspective warp, blur, noise and JPEG compression. ``render_set`` returns the ground
truth (the lines drawn, top to bottom) with every file.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
CJK_FONT_NAMES = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "NotoSerifCJK-Regular.ttc")
CJK_FONT_NAMES += ("wqy-microhei.ttc",)
LATIN_FONT_NAMES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf")
LATIN_FONT_NAMES += ("DejaVuSansMono.ttf",)
CJK_SC_INDEX = {"NotoSansCJK-Regular.ttc": 2, "NotoSansCJK-Bold.ttc": 2}
CJK_SC_INDEX["NotoSerifCJK-Regular.ttc"] = 2

EN_WORDS = """
gate exit platform parking entrance ticket coffee bakery pharmacy hospital museum library
station airport departures arrivals baggage customs taxi hotel reception elevator stairs
password network router invoice receipt total subtotal discount cash change thanks welcome
meeting agenda deadline budget project report sales marketing office garden kitchen
bathroom closed open monday friday weekend breakfast lunch dinner noodles dumplings tea
milk bread cheese apples oranges bananas chicken salmon rice pizza burger sandwich
warning danger caution private school library university street avenue bridge tunnel
""".split()
ZH_TERMS = """
发票 出口 入口 收据 合计 欢迎光临 营业时间 地铁站 停车场 禁止吸烟 小心地滑 会议室 电话 地址
密码 网络 咖啡 面包 牛奶 米饭 饺子 面条 鸡肉 苹果 香蕉 医院 药店 学校 图书馆 博物馆 机场
火车站 登机口 行李 出租车 酒店 前台 电梯 楼梯 洗手间 厨房 花园 办公室 销售 报告 预算 项目
星期一 周末 早餐 午餐 晚餐 谢谢 优惠 现金 找零 增值税 普通发票 电子发票 注意安全 请勿停车
""".split()
EN_PREFIX_NUMBERS = ("gate", "platform")  # words that read naturally with a number after


@dataclass(frozen=True)
class RenderedPhoto:
    path: Path
    kind: str  # sign, receipt, screenshot, note, none
    lines: tuple[str, ...]  # the text drawn, top to bottom (empty: no text)


def find_font(names: tuple[str, ...]) -> list[tuple[Path, int]]:
    found = []
    for root in FONT_DIRS:
        for name in names:
            found += [(p, CJK_SC_INDEX.get(name, 0)) for p in root.rglob(name)]
    return found


def fonts() -> tuple[list[tuple[Path, int]], list[tuple[Path, int]]]:
    cjk, latin = find_font(CJK_FONT_NAMES), find_font(LATIN_FONT_NAMES)
    if not cjk:
        raise RuntimeError("no CJK font found: install Debian's fonts-noto-cjk (./run installs it)")
    return cjk, latin or cjk


def _line(rng: random.Random, chinese: bool) -> str:
    if chinese:
        parts = rng.sample(ZH_TERMS, rng.randint(1, 3))
        if rng.random() < 0.3:
            parts.append(str(rng.randint(1, 999)))
        return "".join(parts)
    words = rng.sample(EN_WORDS, rng.randint(1, 3))
    if words[0] in EN_PREFIX_NUMBERS or rng.random() < 0.25:
        words.insert(1, str(rng.randint(1, 99)))
    text = " ".join(words)
    return text.upper() if rng.random() < 0.3 else text.capitalize()


def _background(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A photo-like background: a gradient, soft blobs and sensor noise."""
    w, h = size
    a = np.array([rng.randint(20, 235) for _ in range(3)], np.float32)
    b = np.array([rng.randint(20, 235) for _ in range(3)], np.float32)
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    img = Image.fromarray(np.broadcast_to(a + (b - a) * t, (h, w, 3)).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(3, 9)):
        x, y, r = rng.randint(0, w), rng.randint(0, h), rng.randint(w // 20, w // 4)
        color = tuple(rng.randint(0, 255) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=color)
    return img.filter(ImageFilter.GaussianBlur(rng.uniform(4, 20)))


def _draw_lines(img: Image.Image, box, lines, font_for, ink, rng: random.Random, size: int) -> None:
    draw = ImageDraw.Draw(img)
    x0, y0, x1, y1 = box
    y = y0 + size // 2
    for text in lines:
        font = font_for(text, size)
        draw.text((x0 + size // 2, y), text, fill=ink, font=font)
        y += int(size * rng.uniform(1.5, 1.9))


def _warp(img: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    w, h = img.size
    d = [rng.uniform(-strength, strength) * s for s in (w, h, w, h, w, h, w, h)]
    quad = (d[0], d[1], d[2], h + d[3], w + d[4], h + d[5], w + d[6], d[7])
    return img.transform(img.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC)


def render_photo(rng: random.Random, kind: str, size: tuple[int, int], fonts_) -> tuple:
    """(image, lines) for one photo of ``kind``."""
    cjk, latin = fonts_
    chinese = rng.random() < 0.5
    face_cjk, face_latin = rng.choice(cjk), rng.choice(latin)

    def font_for(text: str, px: int) -> ImageFont.FreeTypeFont:
        path, index = face_cjk if any(ord(c) > 0x2E80 for c in text) else face_latin
        return ImageFont.truetype(str(path), px, index=index)

    w, h = size
    img = _background(rng, size)
    if kind == "none":
        return _finish(img, rng, warp=0.0), ()
    if kind == "sign":
        lines = [_line(rng, chinese) for _ in range(rng.randint(1, 3))]
        px = int(w * rng.uniform(0.04, 0.065))
        board = (int(w * 0.1), int(h * 0.2), int(w * 0.9), int(h * 0.2) + int(px * 2 * len(lines)))
        paper = tuple(rng.randint(0, 90) for _ in range(3))
        ink = (250, 250, 250)
    elif kind == "receipt":
        lines = [_line(rng, chinese) for _ in range(rng.randint(4, 7))]
        lines.append(
            ("合计 " if chinese else "TOTAL ") + f"{rng.randint(5, 500)}.{rng.randint(0, 99):02d}"
        )
        px = int(w * rng.uniform(0.022, 0.028))
        board = (int(w * 0.25), int(h * 0.05), int(w * 0.8), int(h * 0.95))
        paper, ink = (245, 243, 235), (30, 30, 30)
    elif kind == "screenshot":
        img = Image.new("RGB", size, (250, 250, 250))
        lines = [_line(rng, chinese) for _ in range(rng.randint(3, 6))]
        px = int(w * rng.uniform(0.022, 0.03))
        board = (int(w * 0.05), int(h * 0.08), int(w * 0.95), int(h * 0.95))
        paper, ink = (225, 240, 255), (20, 20, 20)
    else:  # note
        lines = [_line(rng, chinese) for _ in range(rng.randint(2, 4))]
        px = int(w * rng.uniform(0.03, 0.045))
        board = (int(w * 0.12), int(h * 0.12), int(w * 0.88), int(h * 0.88))
        paper, ink = (252, 240, 160), (20, 30, 90)
    ImageDraw.Draw(img).rectangle(board, fill=paper)
    _draw_lines(img, board, lines, font_for, ink, rng, px)
    warp = 0.0 if kind == "screenshot" else rng.uniform(0.0, 0.06)
    return _finish(img, rng, warp), tuple(lines)


def _finish(img: Image.Image, rng: random.Random, warp: float) -> Image.Image:
    if warp:
        img = _warp(img, rng, warp)
    if rng.random() < 0.6:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.6)))
    arr = np.asarray(img, np.float32)
    noise = np.random.default_rng(rng.randint(0, 1 << 30)).normal(0, rng.uniform(1, 8), arr.shape)
    return Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8))


def render_set(
    folder: Path,
    counts: dict[str, int],
    size: tuple[int, int] = (1600, 1200),
    seed: int = 0,
    saved_size: tuple[int, int] | None = None,
) -> list[RenderedPhoto]:
    """Render ``counts`` photos of each kind into ``folder``; a finished set is reused.

    ``saved_size``: scale each photo to this size before saving (12 MP photos without
    drawing 12 MP of noise and blur).
    """
    manifest = folder / "truth.json"
    key = {"counts": counts, "size": list(size), "seed": seed, "saved": list(saved_size or size)}
    if manifest.exists():
        saved = json.loads(manifest.read_text())
        if saved["key"] == key:
            return [RenderedPhoto(folder / p, k, tuple(t)) for p, k, t in saved["photos"]]
    folder.mkdir(parents=True, exist_ok=True)
    fonts_ = fonts()
    out = []
    for kind, count in counts.items():
        for i in range(count):
            rng = random.Random(f"{seed}-{kind}-{i}")
            path = folder / f"{kind}-{i:03d}.jpg"
            img, lines = render_photo(rng, kind, size, fonts_)
            if saved_size and saved_size != size:
                img = img.resize(saved_size, Image.Resampling.BICUBIC)
            img.save(path, "JPEG", quality=rng.randint(60, 92))
            out.append(RenderedPhoto(path, kind, lines))
    photos = [[p.path.name, p.kind, list(p.lines)] for p in out]
    manifest.write_text(json.dumps({"key": key, "photos": photos}, ensure_ascii=False))
    return out


def render_text_photo(path: Path, lines: list[str], size: tuple[int, int] = (1200, 900)) -> Path:
    """One plain photo of a sign with exactly ``lines`` (for tests)."""
    cjk, latin = fonts()
    img = _background(random.Random(str(lines)), size)
    draw = ImageDraw.Draw(img)
    px = size[0] // 16
    draw.rectangle((px, px, size[0] - px, px * (2 + 2 * len(lines))), fill=(250, 250, 250))
    for n, text in enumerate(lines):
        path_, index = cjk[0] if any(ord(c) > 0x2E80 for c in text) else latin[0]
        font = ImageFont.truetype(str(path_), px, index=index)
        draw.text((px * 2, px * (2 + 2 * n) - px // 2), text, fill=(10, 10, 10), font=font)
    img.save(path, "JPEG", quality=90)
    return path
