"""Draw the shipped diagram courses/media/<sha256>.png (the three stages of a phone call, lesson
pro-201 05) with Pillow and Debian's Noto Sans CJK, and print its media.yaml entry's file name.

    .venv/bin/python scripts/draw_call_stages.py

The picture is content like a lesson: redraw it only to change it, then update courses/media/media.yaml.
"""

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
TC = 3  # the traditional Chinese face in the collection (0 JP, 1 KR, 2 SC, 3 TC, 4 HK)
STAGES = [
    ("① 接聽", ["鈴響三聲內接起", "五段式問候語", "語速音量適中"]),
    ("② 溝通", ["專心聆聽不打斷", "專業準確地答覆", "說明情況、承諾時間", "保護客戶隱私"]),
    ("③ 結束", ["確認問題已解決", "禮貌的結束語", "讓客戶先掛斷"]),
]
INK, LINE, FILL, HEAD = (31, 41, 55), (74, 88, 104), (241, 243, 245), (26, 86, 160)


def draw() -> bytes:
    width, height, box_w, box_h, top = 960, 360, 260, 250, 80
    image = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(image)
    title = ImageFont.truetype(BOLD, 30, index=TC)
    head = ImageFont.truetype(BOLD, 26, index=TC)
    body = ImageFont.truetype(FONT, 21, index=TC)
    pen.text((width // 2, 36), "一通電話的三個階段", font=title, fill=INK, anchor="mm")
    gap = (width - 3 * box_w) // 4
    for i, (name, points) in enumerate(STAGES):
        left = gap + i * (box_w + gap)
        pen.rounded_rectangle((left, top, left + box_w, top + box_h), radius=14, fill=FILL, outline=LINE, width=3)
        pen.text((left + box_w // 2, top + 34), name, font=head, fill=HEAD, anchor="mm")
        for j, point in enumerate(points):
            pen.text((left + 22, top + 78 + j * 40), "• " + point, font=body, fill=INK, anchor="lm")
        if i < len(STAGES) - 1:  # an arrow to the next stage
            x, y = left + box_w + 8, top + box_h // 2
            pen.line((x, y, x + gap - 16, y), fill=LINE, width=4)
            pen.polygon([(x + gap - 16, y - 9), (x + gap - 4, y), (x + gap - 16, y + 9)], fill=LINE)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


if __name__ == "__main__":
    data = draw()
    name = hashlib.sha256(data).hexdigest() + ".png"
    folder = Path(__file__).resolve().parent.parent / "courses" / "media"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    print(name, len(data))
