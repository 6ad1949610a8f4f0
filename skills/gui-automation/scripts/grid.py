#!/usr/bin/env python3
"""Overlay a labelled coordinate grid on a screenshot so click targets can be read off precisely; optionally zoom into a region."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def overlay(src: Path, out: Path, step: int, region: list[int] | None, zoom: int) -> dict:
    """Grid lines every `step` screen pixels, labelled with screen coordinates (also inside a zoomed region)."""
    from PIL import Image, ImageDraw, ImageFont

    with Image.open(src) as opened:
        img = opened.convert("RGB")
    ox, oy = 0, 0
    if region:
        x, y, w, h = region
        img = img.crop((x, y, x + w, y + h)).resize((w * zoom, h * zoom), Image.NEAREST)
        ox, oy = x, y
    scale = zoom if region else 1
    draw, font = ImageDraw.Draw(img), ImageFont.load_default(size=12)
    first_x = (-ox) % step
    for sx in range(first_x, img.width // scale + 1, step):
        draw.line((sx * scale, 0, sx * scale, img.height), fill=(255, 0, 255), width=1)
        draw.text((sx * scale + 2, 2), str(sx + ox), fill=(255, 0, 255), font=font)
    first_y = (-oy) % step
    for sy in range(first_y, img.height // scale + 1, step):
        draw.line((0, sy * scale, img.width, sy * scale), fill=(0, 160, 255), width=1)
        draw.text((2, sy * scale + 2), str(sy + oy), fill=(0, 160, 255), font=font)
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out)
    return {"out": str(out), "step": step, "origin": [ox, oy], "zoom": scale, "size": list(img.size),
            "how_to_read": "labels are screen coordinates: pass them straight to click(x, y)"}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("screenshot")
    ap.add_argument("--out", required=True)
    ap.add_argument("--step", type=int, default=100, help="grid spacing in screen pixels")
    ap.add_argument("--region", help="x,y,w,h to crop and enlarge (screen pixels)")
    ap.add_argument("--zoom", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if not Path(a.screenshot).is_file():
        print(json.dumps({"error": f"not found: {a.screenshot}"}, ensure_ascii=False))
        return 2
    region = [int(v) for v in a.region.split(",")] if a.region else None
    if region is not None and len(region) != 4:
        print(json.dumps({"error": "--region needs x,y,w,h"}))
        return 2
    print(json.dumps(overlay(Path(a.screenshot), Path(a.out), max(10, a.step), region, max(1, a.zoom)), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
