#!/usr/bin/env python3
"""Crop, mark up (boxes, arrows, labels), pixelate or resize a screenshot; writes a new file and reports what was drawn."""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
         "C:/Windows/Fonts/msyh.ttc", "/System/Library/Fonts/PingFang.ttc", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def numbers(text: str, count: int) -> list[int]:
    """'10,20,300,40' → [10, 20, 300, 40]; argparse turns ValueError into a usage error."""
    parts = [int(float(p)) for p in text.replace(" ", "").split(",")]
    if len(parts) != count:
        raise ValueError(f"expected {count} numbers, got {text!r}")
    return parts


def font(size: int):
    from PIL import ImageFont

    for path in FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def arrow(draw, x1: int, y1: int, x2: int, y2: int, colour: str, width: int) -> None:
    """A line from (x1, y1) with a filled head at (x2, y2)."""
    draw.line((x1, y1, x2, y2), fill=colour, width=width)
    angle, head = math.atan2(y2 - y1, x2 - x1), max(12, width * 4)
    left = (x2 - head * math.cos(angle - 0.45), y2 - head * math.sin(angle - 0.45))
    right = (x2 - head * math.cos(angle + 0.45), y2 - head * math.sin(angle + 0.45))
    draw.polygon([(x2, y2), left, right], fill=colour)


def pixelate(img, box: list[int], block: int = 12) -> None:
    """Mosaic a rectangle in place (for passwords, faces, phone numbers)."""
    from PIL import Image

    x, y, w, h = box
    region = img.crop((x, y, x + w, y + h))
    small = region.resize((max(1, w // block), max(1, h // block)), Image.BILINEAR)
    img.paste(small.resize(region.size, Image.NEAREST), (x, y))


def annotate(args) -> dict:
    """Apply pixelation, boxes, arrows and labels in that order, then crop and scale."""
    from PIL import Image, ImageDraw

    with Image.open(args.input) as opened:
        img = opened.convert("RGB")
    drawn: list[dict] = []
    for box in args.blur:
        pixelate(img, numbers(box, 4))
        drawn.append({"blur": numbers(box, 4)})
    draw = ImageDraw.Draw(img)
    for box in args.box:
        x, y, w, h = numbers(box, 4)
        draw.rectangle((x, y, x + w - 1, y + h - 1), outline=args.color, width=args.width)
        drawn.append({"box": [x, y, w, h]})
    for line in args.arrow:
        x1, y1, x2, y2 = numbers(line, 4)
        arrow(draw, x1, y1, x2, y2, args.color, args.width)
        drawn.append({"arrow": [x1, y1, x2, y2]})
    for label in args.label:
        pos, _, text = label.partition(":")
        x, y = numbers(pos, 2)
        f = font(args.font_size)
        bbox = draw.textbbox((x, y), text, font=f)
        draw.rectangle((bbox[0] - 4, bbox[1] - 4, bbox[2] + 4, bbox[3] + 4), fill="white", outline=args.color)
        draw.text((x, y), text, font=f, fill=args.color)
        drawn.append({"label": text, "at": [x, y]})
    if args.crop:
        x, y, w, h = numbers(args.crop, 4)
        img = img.crop((x, y, x + w, y + h))
    if args.max_width and img.width > args.max_width:
        img = img.resize((args.max_width, round(img.height * args.max_width / img.width)), Image.LANCZOS)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out)
    return {"out": str(out), "width": img.width, "height": img.height, "drawn": drawn}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("input")
    ap.add_argument("--out", required=True, help="new file; the screenshot itself is kept")
    ap.add_argument("--box", action="append", default=[], help="x,y,w,h rectangle outline (repeatable)")
    ap.add_argument("--arrow", action="append", default=[], help="x1,y1,x2,y2 pointing at x2,y2 (repeatable)")
    ap.add_argument("--label", action="append", default=[], help="x,y:text (repeatable; Chinese needs a CJK font)")
    ap.add_argument("--blur", action="append", default=[], help="x,y,w,h area to pixelate (repeatable)")
    ap.add_argument("--crop", help="x,y,w,h kept after drawing (e.g. a window from list_windows)")
    ap.add_argument("--max-width", type=int, help="scale down to at most this width")
    ap.add_argument("--color", default="red")
    ap.add_argument("--width", type=int, default=4, help="line width")
    ap.add_argument("--font-size", type=int, default=24)
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not Path(args.input).is_file():
        print(json.dumps({"error": f"not found: {args.input}"}, ensure_ascii=False))
        return 2
    if Path(args.out).exists() and not args.force:
        print(json.dumps({"error": f"{args.out} exists; use --force or another --out"}, ensure_ascii=False))
        return 2
    try:
        report = annotate(args)
    except ValueError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 2
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
