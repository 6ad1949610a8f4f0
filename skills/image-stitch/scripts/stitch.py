#!/usr/bin/env python3
"""Join images into one: a vertical strip (long screenshot), a horizontal row (side by side) or a grid/collage."""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path


def load(paths: list[Path]):
    """Opened, upright RGBA copies of the pictures, in the given order."""
    from PIL import Image, ImageOps

    out = []
    for p in paths:
        with Image.open(p) as img:
            out.append(ImageOps.exif_transpose(img).convert("RGBA"))
    return out


def scaled(img, width: int | None = None, height: int | None = None):
    """The image resized to a width or a height, aspect ratio kept."""
    from PIL import Image

    if width and img.width != width:
        return img.resize((width, max(1, round(img.height * width / img.width))), Image.LANCZOS)
    if height and img.height != height:
        return img.resize((max(1, round(img.width * height / img.height)), height), Image.LANCZOS)
    return img


def vertical(imgs, gap: int, bg, width: int | None):
    from PIL import Image

    w = width or max(i.width for i in imgs)
    parts = [scaled(i, width=w) for i in imgs]
    canvas = Image.new("RGBA", (w, sum(p.height for p in parts) + gap * (len(parts) - 1)), bg)
    y = 0
    for p in parts:
        canvas.alpha_composite(p, (0, y))
        y += p.height + gap
    return canvas


def horizontal(imgs, gap: int, bg, height: int | None):
    from PIL import Image

    h = height or max(i.height for i in imgs)
    parts = [scaled(i, height=h) for i in imgs]
    canvas = Image.new("RGBA", (sum(p.width for p in parts) + gap * (len(parts) - 1), h), bg)
    x = 0
    for p in parts:
        canvas.alpha_composite(p, (x, 0))
        x += p.width + gap
    return canvas


def grid(imgs, cols: int, gap: int, bg, cell: int | None):
    """Equal cells (each picture fitted and centred); cols defaults to a near-square layout."""
    from PIL import Image

    cols = cols or math.ceil(math.sqrt(len(imgs)))
    rows = math.ceil(len(imgs) / cols)
    size = cell or min(max(max(i.size) for i in imgs), 600)
    canvas = Image.new("RGBA", (cols * size + gap * (cols + 1), rows * size + gap * (rows + 1)), bg)
    for n, img in enumerate(imgs):
        pic = img.copy()
        pic.thumbnail((size, size), Image.LANCZOS)
        x = gap + (n % cols) * (size + gap) + (size - pic.width) // 2
        y = gap + (n // cols) * (size + gap) + (size - pic.height) // 2
        canvas.alpha_composite(pic, (x, y))
    return canvas


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments."""
    from PIL import ImageColor

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("images", nargs="+", help="pictures in the order they should appear")
    ap.add_argument("--layout", choices=["vertical", "horizontal", "grid"], default="vertical")
    ap.add_argument("--out", required=True, help="the combined picture (.png or .jpg)")
    ap.add_argument("--gap", type=int, default=0, help="space between pictures in px")
    ap.add_argument("--bg", default="white")
    ap.add_argument("--width", type=int, help="vertical: common width (default: the widest)")
    ap.add_argument("--height", type=int, help="horizontal: common height (default: the tallest)")
    ap.add_argument("--cols", type=int, default=0, help="grid: columns (default: near square)")
    ap.add_argument("--cell", type=int, help="grid: cell size in px")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    paths, out = [Path(p) for p in args.images], Path(args.out)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing or len(paths) < 2:
        print(json.dumps({"error": f"not found: {', '.join(missing)}" if missing else "give at least two pictures"},
                         ensure_ascii=False))
        return 2
    if out.exists() and not args.force or out in paths:
        print(json.dumps({"error": f"{out} exists or is an input (use another --out or --force)"}, ensure_ascii=False))
        return 2
    imgs, bg = load(paths), ImageColor.getrgb(args.bg)
    canvas = {"vertical": lambda: vertical(imgs, args.gap, bg, args.width),
              "horizontal": lambda: horizontal(imgs, args.gap, bg, args.height),
              "grid": lambda: grid(imgs, args.cols, args.gap, bg, args.cell)}[args.layout]()
    out.parent.mkdir(parents=True, exist_ok=True)
    final = canvas.convert("RGB") if out.suffix.lower() in (".jpg", ".jpeg") else canvas
    final.save(out, **({"quality": 92} if out.suffix.lower() in (".jpg", ".jpeg") else {}))
    report = {"out": str(out), "layout": args.layout, "count": len(imgs), "width": final.width, "height": final.height}
    if final.height > 20000:
        report["warning"] = "very tall picture: some apps shrink or refuse images over ~20000 px; consider splitting"
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else f"{out} {final.width}x{final.height}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
