#!/usr/bin/env python3
"""Add a text or logo watermark (corner, centre or tiled), a border or a caption to images; writes marked copies."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXTS = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}
POSITIONS = ("top-left", "top-right", "bottom-left", "bottom-right", "center")
# CJK-capable fonts first so Chinese watermarks do not turn into boxes.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/simhei.ttf",
    "/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/STHeiti Medium.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def font(size: int, path: str | None = None):
    """A TrueType font of `size` px: the given file, a CJK system font, or Pillow's built-in one."""
    from PIL import ImageFont

    for candidate in ([path] if path else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def place(pos: str, box: tuple[int, int], mark: tuple[int, int], margin: int) -> tuple[int, int]:
    """Top-left corner of a mark of size `mark` inside an image of size `box`."""
    (w, h), (mw, mh) = box, mark
    x = {"left": margin, "right": w - mw - margin}.get(pos.split("-")[-1], (w - mw) // 2)
    y = {"top": margin, "bottom": h - mh - margin}.get(pos.split("-")[0], (h - mh) // 2)
    return max(0, x), max(0, y)


def text_mark(text: str, size: int, colour: str, opacity: float, font_path: str | None):
    """The text rendered on a transparent tile."""
    from PIL import Image, ImageColor, ImageDraw

    f = font(size, font_path)
    left, top, right, bottom = ImageDraw.Draw(Image.new("RGBA", (1, 1))).textbbox((0, 0), text, font=f)
    tile = Image.new("RGBA", (right - left + 2, bottom - top + 2), (0, 0, 0, 0))
    r, g, b = ImageColor.getrgb(colour)[:3]
    ImageDraw.Draw(tile).text((-left + 1, -top + 1), text, font=f, fill=(r, g, b, round(255 * opacity)))
    return tile


def logo_mark(path: str, width: int, opacity: float):
    """The logo scaled to `width` px with its alpha multiplied by opacity."""
    from PIL import Image

    logo = Image.open(path).convert("RGBA")
    logo = logo.resize((width, max(1, round(logo.height * width / logo.width))), Image.LANCZOS)
    logo.putalpha(logo.getchannel("A").point(lambda a: round(a * opacity)))
    return logo


def stamp(img, mark, args) -> list[list[int]]:
    """Composite the mark once or tiled (rotated) and return the boxes it covers."""
    from PIL import Image

    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    if args.tile:
        mark = mark.rotate(args.angle, expand=True, resample=Image.BICUBIC)
        step_x, step_y = mark.width + args.spacing, mark.height + args.spacing
        # Tile a canvas one mark larger on every side, then cut the picture's area out: no clipping arithmetic.
        big = Image.new("RGBA", (img.width + 2 * mark.width, img.height + 2 * mark.height), (0, 0, 0, 0))
        for row, y in enumerate(range(0, big.height - mark.height + 1, step_y)):
            for x in range((row % 2) * step_x // 2, big.width - mark.width + 1, step_x):
                big.alpha_composite(mark, (x, y))
        layer = big.crop((mark.width, mark.height, mark.width + img.width, mark.height + img.height))
        boxes = [[0, 0, img.width, img.height]]
    else:
        x, y = place(args.position, img.size, mark.size, args.margin)
        layer.alpha_composite(mark, (x, y))
        boxes = [[x, y, x + mark.width, y + mark.height]]
    img.alpha_composite(layer)
    return boxes


def frame(img, border: int, colour: str, caption: str | None, size: int, font_path: str | None):
    """A border around the image and an optional caption strip under it."""
    from PIL import Image, ImageDraw

    strip = round(size * 1.8) if caption else 0
    out = Image.new("RGBA", (img.width + 2 * border, img.height + 2 * border + strip), colour)
    out.alpha_composite(img, (border, border))
    if caption:
        f = font(size, font_path)
        draw = ImageDraw.Draw(out)
        width = draw.textlength(caption, font=f)
        draw.text(((out.width - width) / 2, img.height + border + strip * 0.2), caption, font=f, fill="black")
    return out


def mark_one(src: Path, args) -> dict:
    """Watermark one file into the output folder."""
    from PIL import Image, ImageOps

    out = Path(args.out_dir or src.parent / "watermarked") / src.name
    if out.exists() and not args.force:
        return {"src": str(src), "error": f"{out} exists (use --force)"}
    with Image.open(src) as opened:
        fmt = opened.format
        img = ImageOps.exif_transpose(opened).convert("RGBA")
    short = min(img.size)
    boxes: list[list[int]] = []
    if args.text or args.logo:
        mark = (logo_mark(args.logo, round(short * args.scale), args.opacity) if args.logo else
                text_mark(args.text, max(10, round(short * args.scale / 3)), args.color, args.opacity, args.font))
        boxes = stamp(img, mark, args)
    if args.border or args.caption:
        img = frame(img, args.border, args.border_color, args.caption, max(12, short // 20), args.font)
        boxes = [[b[0] + args.border, b[1] + args.border, b[2] + args.border, b[3] + args.border] for b in boxes]
    out.parent.mkdir(parents=True, exist_ok=True)
    final = img.convert("RGB") if fmt in ("JPEG", "BMP") else img
    final.save(out, fmt, **({"quality": 92} if fmt in ("JPEG", "WEBP") else {}))
    return {"src": str(src), "out": str(out), "size": list(final.size), "boxes": boxes}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments, 3 some files failed."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("inputs", nargs="+", help="image files or folders")
    ap.add_argument("--text", help="watermark text (Chinese works when a CJK font is installed)")
    ap.add_argument("--logo", help="a PNG logo (transparent background works best)")
    ap.add_argument("--position", choices=POSITIONS, default="bottom-right")
    ap.add_argument("--tile", action="store_true", help="repeat the mark diagonally over the whole picture")
    ap.add_argument("--angle", type=float, default=30, help="rotation of tiled marks")
    ap.add_argument("--spacing", type=int, default=80, help="gap between tiled marks in px")
    ap.add_argument("--opacity", type=float, default=0.5, help="0 (invisible) to 1 (solid)")
    ap.add_argument("--scale", type=float, default=0.25, help="mark size relative to the picture's shorter side")
    ap.add_argument("--color", default="white")
    ap.add_argument("--margin", type=int, default=20)
    ap.add_argument("--font", help="a .ttf/.ttc/.otf font file")
    ap.add_argument("--border", type=int, default=0, help="border width in px")
    ap.add_argument("--border-color", default="white")
    ap.add_argument("--caption", help="text printed in a strip under the picture")
    ap.add_argument("--out-dir", help="default: <folder>/watermarked")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not (args.text or args.logo or args.border or args.caption):
        ap.error("give --text, --logo, --border or --caption")
    files: list[Path] = []
    for raw in map(Path, args.inputs):
        files += sorted(f for f in raw.iterdir() if f.suffix.lower() in EXTS) if raw.is_dir() else [raw]
    if not all(f.is_file() for f in files):
        print(json.dumps({"error": "not found: " + ", ".join(str(f) for f in files if not f.is_file())}, ensure_ascii=False))
        return 2
    rows = [mark_one(f, args) for f in files]
    print(json.dumps({"count": len(rows), "files": rows}, ensure_ascii=False, indent=1) if args.json else
          "\n".join(f"{r['src']} -> {r.get('error') or r['out']}" for r in rows))
    return 3 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
