#!/usr/bin/env python3
"""Shrink an image below a target size (e.g. 200 KB) by lowering quality, then dimensions; aspect ratio is kept."""
from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

FORMATS = {"jpg": "JPEG", "webp": "WEBP", "png": "PNG"}


def encode(img, fmt: str, quality: int) -> bytes:
    """The image encoded in memory."""
    buf = io.BytesIO()
    options = {"optimize": True} if fmt in ("PNG", "JPEG") else {}
    if fmt != "PNG":
        options["quality"] = quality
    img.save(buf, fmt, **options)
    return buf.getvalue()


def best_quality(img, fmt: str, limit: int, low: int, high: int = 92) -> tuple[int, bytes] | None:
    """The highest quality in [low, high] whose encoding fits `limit` bytes (binary search)."""
    found = None
    while low <= high:
        mid = (low + high) // 2
        data = encode(img, fmt, mid)
        if len(data) <= limit:
            found, low = (mid, data), mid + 1
        else:
            high = mid - 1
    return found


def shrink(img, fmt: str, limit: int, min_quality: int) -> tuple[bytes, int, float]:
    """Bytes under `limit` (quality first, then scaling down by 15 % steps), the quality and the scale used."""
    from PIL import Image

    scale = 1.0
    work = img
    while True:
        hit = best_quality(work, fmt, limit, min_quality) if fmt != "PNG" else None
        if fmt == "PNG":
            data = encode(work, fmt, 0)
            hit = (0, data) if len(data) <= limit else None
        if hit:
            return hit[1], hit[0], scale
        scale *= 0.85
        size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
        if min(size) < 16:
            raise ValueError("cannot reach the target without making the picture unrecognisably small")
        work = img.resize(size, Image.LANCZOS)


def pick_format(src: Path, img, wanted: str) -> str:
    """JPEG for photos, keep WebP/PNG if asked; PNG without transparency becomes JPEG (far smaller)."""
    if wanted != "auto":
        return FORMATS[wanted]
    if src.suffix.lower() == ".webp":
        return "WEBP"
    has_alpha = img.mode in ("RGBA", "LA") or "transparency" in img.info
    return "PNG" if has_alpha and src.suffix.lower() == ".png" else "JPEG"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments, 3 target not reachable."""
    from PIL import Image, ImageOps

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("input")
    ap.add_argument("--target-kb", type=float, required=True, help="largest allowed size in KB (1 KB = 1024 bytes)")
    ap.add_argument("--out", help="output file (default: <name>-<target>kb.<ext> next to the input)")
    ap.add_argument("--format", choices=["auto", *FORMATS], default="auto")
    ap.add_argument("--min-quality", type=int, default=45, help="quality floor before the picture is scaled down")
    ap.add_argument("--force", action="store_true", help="replace an existing output (never the input)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    src = Path(args.input)
    if not src.is_file():
        print(json.dumps({"error": f"not found: {src}"}, ensure_ascii=False))
        return 2
    with Image.open(src) as opened:
        img = ImageOps.exif_transpose(opened)
        img.load()
    fmt = pick_format(src, img, args.format)
    if fmt == "JPEG" and img.mode != "RGB":
        img = img.convert("RGB")
    ext = {"JPEG": ".jpg", "WEBP": ".webp", "PNG": ".png"}[fmt]
    out = Path(args.out) if args.out else src.with_name(f"{src.stem}-{args.target_kb:g}kb{ext}")
    if out.resolve() == src.resolve() or (out.exists() and not args.force):
        print(json.dumps({"error": f"{out} exists or is the input; choose another --out or --force"}, ensure_ascii=False))
        return 2
    limit = int(args.target_kb * 1024)
    report = {"src": str(src), "out": str(out), "format": fmt, "bytes_before": src.stat().st_size, "target_bytes": limit,
              "size_before": list(img.size)}
    try:
        data, quality, scale = shrink(img, fmt, limit, args.min_quality)
    except ValueError as exc:
        print(json.dumps({**report, "error": str(exc)}, ensure_ascii=False))
        return 3
    out.write_bytes(data)
    with Image.open(out) as done:
        report.update(bytes_after=len(data), quality=quality or None, scale=round(scale, 3), size_after=list(done.size))
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else
          f"{src} {report['bytes_before'] // 1024} KB -> {out} {len(data) // 1024} KB (quality {quality}, scale {scale:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
