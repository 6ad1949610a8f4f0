#!/usr/bin/env python3
"""Convert images between HEIC, WebP, PNG, JPG, BMP, TIFF, ICO and GIF, keeping orientation and (where possible) transparency."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXTS = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif", ".ico", ".heic", ".heif", ".avif"}
TARGETS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "bmp": "BMP", "tiff": "TIFF", "ico": "ICO", "gif": "GIF"}
NO_ALPHA = {"JPEG", "BMP"}
ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]


def heif_support() -> bool:
    """Register the HEIC/HEIF opener when pillow-heif is installed."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def collect(inputs: list[str]) -> list[Path]:
    """Files named directly or found in the given folders (not recursive)."""
    out: list[Path] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in EXTS)
        elif p.is_file():
            out.append(p)
        else:
            raise FileNotFoundError(raw)
    return out


def flatten(img, bg: str):
    """An RGB copy with transparent areas painted `bg` (JPEG and BMP have no alpha channel)."""
    from PIL import Image

    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        base = Image.new("RGB", rgba.size, bg)
        base.paste(rgba, mask=rgba.getchannel("A"))
        return base
    return img.convert("RGB")


def convert_one(src: Path, fmt: str, out_dir: Path | None, args) -> dict:
    """Convert one file; the source is left untouched."""
    from PIL import Image, ImageOps

    ext = "jpg" if fmt == "JPEG" else args.to.lower().replace("jpeg", "jpg")
    out = (out_dir or src.parent) / f"{src.stem}.{ext}"
    row = {"src": str(src), "out": str(out)}
    if out.resolve() == src.resolve() or (out.exists() and not args.force):
        return {**row, "error": "output exists (use --force or --out-dir)"}
    if src.suffix.lower() in (".heic", ".heif") and not heif_support():
        return {**row, "error": "HEIC needs pillow-heif: pip install pillow-heif"}
    with Image.open(src) as opened:
        frames = getattr(opened, "n_frames", 1)
        img = ImageOps.exif_transpose(opened)
        row.update(size=list(img.size), mode_in=img.mode, frames_in=frames)
        if args.dry_run:
            return row
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt in NO_ALPHA:
            img = flatten(img, args.bg)
            row["flattened_on"] = args.bg
        options: dict = {}
        if fmt in ("JPEG", "WEBP"):
            options["quality"] = args.quality
        if fmt == "ICO":
            options["sizes"] = [(s, s) for s in ICO_SIZES if s <= max(img.size)] or [(16, 16)]
            img = img.convert("RGBA")
        if fmt == "JPEG" and "exif" in opened.info and not args.strip_exif:
            options["exif"] = _upright_exif(opened)
        img.save(out, fmt, **options)
    row["bytes"] = out.stat().st_size
    return row


def _upright_exif(img) -> bytes:
    """EXIF kept, orientation reset to 1 because the pixels were already turned upright."""
    exif = img.getexif()
    exif[0x0112] = 1
    return exif.tobytes()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments, 3 some files failed."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("inputs", nargs="+", help="image files or folders")
    ap.add_argument("--to", required=True, choices=sorted(TARGETS), help="target format")
    ap.add_argument("--out-dir", help="where converted copies go (default: next to each source)")
    ap.add_argument("--quality", type=int, default=90, help="JPEG/WebP quality 1-95")
    ap.add_argument("--bg", default="white", help="colour under transparent areas when the target has no alpha")
    ap.add_argument("--strip-exif", action="store_true", help="do not copy EXIF (date, camera, GPS) into JPEGs")
    ap.add_argument("--force", action="store_true", help="replace existing outputs (never the sources)")
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    try:
        files = collect(args.inputs)
    except FileNotFoundError as exc:
        print(json.dumps({"error": f"not found: {exc}"}, ensure_ascii=False))
        return 2
    out_dir = Path(args.out_dir) if args.out_dir else None
    rows = [convert_one(f, TARGETS[args.to], out_dir, args) for f in files]
    report = {"count": len(rows), "to": args.to, "dry_run": args.dry_run, "heic_support": heif_support(), "files": rows}
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else
          "\n".join(f"{r['src']} -> {r.get('error') or r['out']}" for r in rows))
    return 3 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
