#!/usr/bin/env python3
"""Resize, crop, pad or rotate images to an exact size or aspect ratio; writes copies, never the originals."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXTS = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"}
MODES = ("fit", "fill", "pad", "stretch")


class UsageError(Exception):
    """A problem the user can fix by changing the arguments."""


def images(inputs: list[str]) -> list[Path]:
    """Image files named directly or found (non-recursively) in the given folders."""
    out: list[Path] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.suffix.lower() in EXTS and f.is_file())
        elif p.is_file():
            out.append(p)
        else:
            raise UsageError(f"not found: {raw}")
    return out


def parse_size(size: str | None, ratio: str | None, w: int, h: int) -> tuple[int, int]:
    """Target (width, height) from WxH, Wx / xH (keep aspect) or a ratio such as 16:9 (largest crop)."""
    if size:
        a, _, b = size.lower().partition("x")
        if not (a or b) or not all(v.isdigit() for v in (a, b) if v):
            raise UsageError(f"size must look like 800x600, 800x or x600, not {size!r}")
        tw = int(a) if a else round(w * int(b) / h)
        th = int(b) if b else round(h * int(a) / w)
        return max(1, tw), max(1, th)
    if ratio:
        a, _, b = ratio.partition(":")
        rw, rh = float(a), float(b)
        return (w, round(w * rh / rw)) if w / h <= rw / rh else (round(h * rw / rh), h)
    return w, h


def reshape(img, tw: int, th: int, mode: str, bg: str, anchor: str):
    """The image brought to exactly tw×th (fit only bounds it) using the chosen mode."""
    from PIL import Image, ImageOps

    if mode == "stretch":
        return img.resize((tw, th), Image.LANCZOS)
    if mode == "fit":
        copy = img.copy()
        copy.thumbnail((tw, th), Image.LANCZOS)  # only ever shrinks: small pictures stay sharp
        return copy
    if mode == "fill":
        centring = {"center": (0.5, 0.5), "top": (0.5, 0.0), "bottom": (0.5, 1.0), "left": (0.0, 0.5), "right": (1.0, 0.5)}
        return ImageOps.fit(img, (tw, th), Image.LANCZOS, centering=centring[anchor])
    if bg == "transparent":
        return ImageOps.pad(img.convert("RGBA"), (tw, th), Image.LANCZOS, color=(0, 0, 0, 0))
    return ImageOps.pad(img.convert("RGB") if img.mode not in ("RGB", "L") else img, (tw, th), Image.LANCZOS, color=bg)


def output_path(src: Path, out_dir: Path | None, suffix: str, tw: int, th: int) -> Path:
    folder = out_dir or src.parent / "resized"
    return folder / f"{src.stem}{suffix.format(w=tw, h=th)}{src.suffix}"


def process(src: Path, args) -> dict:
    """Resize one file (or only plan it with --dry-run)."""
    from PIL import Image, ImageOps

    with Image.open(src) as opened:
        img = ImageOps.exif_transpose(opened)  # phone photos: honour the orientation flag first
        if args.rotate:
            img = img.rotate(-args.rotate, expand=True)  # positive = clockwise, as people say it
        tw, th = parse_size(args.size, args.ratio, img.width, img.height)
        out = output_path(src, Path(args.out_dir) if args.out_dir else None, args.suffix, tw, th)
        row = {"src": str(src), "out": str(out), "before": list(opened.size)}
        if out.exists() and not args.force:
            return {**row, "error": "output exists (use --force to replace it)"}
        result = reshape(img, tw, th, args.mode, args.bg, args.anchor)
        row["after"] = list(result.size)
        if not args.dry_run:
            out.parent.mkdir(parents=True, exist_ok=True)
            if out.suffix.lower() in (".jpg", ".jpeg") and result.mode not in ("RGB", "L"):
                result = result.convert("RGB")
            result.save(out, quality=args.quality) if out.suffix.lower() in (".jpg", ".jpeg", ".webp") else result.save(out)
        return row


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments, 3 some files failed."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("inputs", nargs="+", help="image files or folders")
    ap.add_argument("--size", help="WxH, Wx or xH in pixels")
    ap.add_argument("--ratio", help="aspect ratio such as 1:1 or 16:9 (crops the largest centred area)")
    ap.add_argument("--mode", choices=MODES, default="fill", help="fill=crop to exact size, pad=letterbox, fit=bound only")
    ap.add_argument("--anchor", choices=["center", "top", "bottom", "left", "right"], default="center")
    ap.add_argument("--bg", default="white", help="padding colour (name, #hex or 'transparent')")
    ap.add_argument("--rotate", type=int, default=0, choices=[0, 90, 180, 270], help="clockwise degrees")
    ap.add_argument("--out-dir", help="where copies go (default: <folder>/resized)")
    ap.add_argument("--suffix", default="_{w}x{h}", help="added to each file name; {w} and {h} are filled in")
    ap.add_argument("--quality", type=int, default=90)
    ap.add_argument("--force", action="store_true", help="replace earlier outputs (originals are never touched)")
    ap.add_argument("--dry-run", action="store_true", help="report sizes without writing files")
    ap.add_argument("--json", action="store_true", help="print JSON (default is one line per file)")
    args = ap.parse_args(argv)
    if args.ratio and args.size:
        ap.error("give --size or --ratio, not both")
    if args.ratio:
        args.mode = "fill"
    try:
        files = images(args.inputs)
        rows = [process(f, args) for f in files]
    except UsageError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 2
    report = {"count": len(rows), "dry_run": args.dry_run, "files": rows}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{r['src']} {r['before']} -> {r.get('after')} {r.get('error') or r['out']}")
    return 3 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
