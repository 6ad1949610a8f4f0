#!/usr/bin/env python3
"""ID photos (证件照): crop and resize a portrait to a standard size at 300 dpi, swap a plain background colour, and
tile copies on a 6-inch (4 x 6 in) print sheet with cutting gaps. Needs Pillow.

Sizes (width x height, mm -> px at 300 dpi): 1寸 25x35 -> 295x413; 小1寸 22x32 -> 260x378; 大1寸 33x48 -> 390x567;
2寸 35x49 -> 413x579; 小2寸 35x45 -> 413x531 (also the Schengen visa size); passport (中国护照) 33x48 -> 390x567;
us-visa 2x2 in -> 600x600. Official rules (head size, ears visible, no glasses glare) are for the user to check.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SIZES = {"1寸": (295, 413), "小1寸": (260, 378), "大1寸": (390, 567), "2寸": (413, 579), "小2寸": (413, 531),
         "passport": (390, 567), "us-visa": (600, 600)}
ALIASES = {"一寸": "1寸", "二寸": "2寸", "1inch": "1寸", "2inch": "2寸", "护照": "passport", "schengen": "小2寸"}
COLORS = {"white": (255, 255, 255), "blue": (67, 142, 219), "red": (255, 0, 0), "白": (255, 255, 255),
          "蓝": (67, 142, 219), "红": (255, 0, 0)}
SHEET = (1800, 1200)  # 6 x 4 inches at 300 dpi, landscape
DPI = 300


def need_pil():
    """Pillow's Image module, or exit 3 with the install command."""
    try:
        from PIL import Image, ImageDraw, ImageOps
    except ImportError:
        print(json.dumps({"ok": False, "error": "Pillow is not installed", "install": "pip install Pillow"}))
        sys.exit(3)
    return Image, ImageDraw, ImageOps


def crop_to(img, size: tuple[int, int], top_bias: float):
    """Largest centred crop with the target aspect ratio, then resize. top_bias < 0.5 keeps more of the top."""
    Image, _, _ = need_pil()
    w, h = img.size
    tw, th = size
    if w / h > tw / th:
        cw, ch = round(h * tw / th), h
    else:
        cw, ch = w, round(w * th / tw)
    left, top = (w - cw) // 2, round((h - ch) * top_bias)
    return img.crop((left, top, left + cw, top + ch)).resize(size, Image.Resampling.LANCZOS)


def swap_background(img, color: tuple[int, int, int], tolerance: int):
    """Flood-fill the background from the top corners and the side edges, then paint it in `color`."""
    _, ImageDraw, _ = need_pil()
    marker = (1, 254, 3)
    work = img.copy()
    w, h = work.size
    for seed in ((0, 0), (w - 1, 0), (0, h // 3), (w - 1, h // 3)):
        if work.getpixel(seed) != marker:
            ImageDraw.floodfill(work, seed, marker, thresh=tolerance)
    out = img.copy()
    # A pixel is background only when all three channels hit the marker.
    r, g, b = work.split()
    mask = all_bands(r.point(lambda v: 255 if v == 1 else 0), g.point(lambda v: 255 if v == 254 else 0),
                     b.point(lambda v: 255 if v == 3 else 0))
    out.paste(color, mask=mask)
    return out, round(sum(mask.histogram()[255:]) / (w * h) * 100, 1)


def all_bands(*bands):
    """Pixel-wise AND of 0/255 masks."""
    from PIL import ImageChops

    out = bands[0]
    for b in bands[1:]:
        out = ImageChops.multiply(out, b)
    return out


def sheet(photo, copies: int, gap: int = 12, margin: int = 24):
    """`copies` photos (at most what fits) centred on a 6-inch sheet, with gaps for cutting."""
    Image, ImageDraw, _ = need_pil()
    pw, ph = photo.size
    cols = (SHEET[0] - 2 * margin + gap) // (pw + gap)
    rows = (SHEET[1] - 2 * margin + gap) // (ph + gap)
    if cols * rows == 0:
        raise ValueError("this size does not fit on a 6-inch sheet")
    rows = min(rows, -(-copies // cols))
    cols = min(cols, -(-copies // rows))
    page = Image.new("RGB", SHEET, (255, 255, 255))
    x0 = (SHEET[0] - cols * pw - (cols - 1) * gap) // 2
    y0 = (SHEET[1] - rows * ph - (rows - 1) * gap) // 2
    draw = ImageDraw.Draw(page)
    for k in range(min(copies, cols * rows)):
        r, c = divmod(k, cols)
        x, y = x0 + c * (pw + gap), y0 + r * (ph + gap)
        page.paste(photo, (x, y))
        draw.rectangle((x - 1, y - 1, x + pw, y + ph), outline=(200, 200, 200))
    return page, min(copies, cols * rows)


def main(argv: list[str] | None = None) -> None:
    """Make the photo (and the sheet); print JSON; exit 2 on bad input, 3 without Pillow."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("photo", type=Path)
    p.add_argument("--size", default="1寸", help=", ".join(SIZES))
    p.add_argument("--background", help="white/blue/red (白/蓝/红) or #rrggbb; leave out to keep the original")
    p.add_argument("--tolerance", type=int, default=40, help="how different background pixels may be (0-255)")
    p.add_argument("--top-bias", type=float, default=0.3, help="0 = crop from the top, 0.5 = centred")
    p.add_argument("--out", type=Path, help="default: <name>_<size>.jpg")
    p.add_argument("--sheet", type=Path, help="also write a 6-inch print sheet here")
    p.add_argument("--copies", type=int, default=8, help="photos on the sheet (8 = 4 x 2 for 1寸)")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    Image, _, ImageOps = need_pil()
    size_name = ALIASES.get(a.size, a.size)
    try:
        if size_name not in SIZES:
            raise ValueError(f"unknown size {a.size!r}; one of {', '.join(SIZES)}")
        img = ImageOps.exif_transpose(Image.open(a.photo)).convert("RGB")
        result = {"ok": True, "size": size_name}
        if a.background:
            color = COLORS.get(a.background) or tuple(int(a.background.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
            img, share = swap_background(img, color, a.tolerance)
            result["background_replaced_pct"] = share
        photo = crop_to(img, SIZES[size_name], a.top_bias)
        out = a.out or a.photo.with_name(f"{a.photo.stem}_{size_name}.jpg")
        photo.save(out, quality=95, dpi=(DPI, DPI))
        result.update(out=str(out), pixels=list(photo.size))
        if a.sheet:
            page, copies = sheet(photo, a.copies)
            page.save(a.sheet, quality=95, dpi=(DPI, DPI))
            result.update(sheet=str(a.sheet), copies=copies, sheet_pixels=list(page.size))
    except (OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
