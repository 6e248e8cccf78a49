"""Stand-in photos for the demo county's largest activities.

The summary's 特色活动 section prints an evidence photo where one exists; a
demo without photos would hide that. These are drawn, not real: a stage, a
banner with the activity's title and a seated audience, so nobody mistakes
them for a real event's record.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from desktop.font_files import cjk_font_path

SIZE = (960, 640)
BANNER_RED = (178, 34, 34)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = cjk_font_path()
    if path is None:
        return ImageFont.load_default()
    return ImageFont.truetype(str(path), size, index=0)


def draw_photo(title: str, day: date, out: Path, rng: random.Random) -> Path:
    """Write a JPEG picture of the activity `title` held on `day`."""
    width, height = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    top, bottom = (rng.randint(200, 235), 232, 240), (150, 160, rng.randint(170, 190))
    for y in range(height):
        t = y / height
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    draw.rectangle([0, 330, width, height], fill=(122, 98, 78))
    draw.rectangle([60, 40, width - 60, 150], fill=BANNER_RED)
    font = _font(34)
    text = title if len(title) <= 22 else title[:21] + "…"
    box = draw.textbbox((0, 0), text, font=font)
    draw.text(((width - (box[2] - box[0])) / 2, 72), text, fill=(255, 236, 179), font=font)
    draw.rectangle([180, 190, width - 180, 330], fill=(236, 239, 241), outline=(96, 125, 139))
    small = _font(22)
    draw.text((200, 210), f"{day.year}年{day.month}月{day.day}日", fill=(55, 71, 79), font=small)
    for row in range(4):
        y = 380 + row * 62
        for col in range(12):
            x = 40 + col * 76 + (row % 2) * 30 + rng.randint(-6, 6)
            shirt = rng.choice([(33, 150, 243), (76, 175, 80), (255, 152, 0), (224, 224, 224)])
            draw.ellipse([x + 14, y - 6, x + 42, y + 22], fill=(60, 45, 40))
            draw.rounded_rectangle([x + 6, y + 20, x + 50, y + 60], radius=10, fill=shirt)
    draw.text((width - 150, height - 36), "演示图片", fill=(255, 255, 255), font=small)
    image.save(out, "JPEG", quality=80)
    return out
