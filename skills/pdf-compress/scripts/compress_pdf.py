#!/usr/bin/env python3
"""Shrink a PDF: downsample and re-encode embedded images, compress streams, drop duplicate objects; report sizes."""
from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

PRESETS = {"light": (2000, 85), "medium": (1600, 70), "strong": (1100, 55)}  # max image side px, JPEG quality
GS_PRESETS = {"light": "/printer", "medium": "/ebook", "strong": "/screen"}


class CompressError(Exception):
    """A problem the user can act on."""


def shrink_image(pil_image, max_side: int, quality: int) -> bytes | None:
    """JPEG bytes of a downsampled copy, or None when the image should stay as is (transparency, tiny)."""
    from PIL import Image

    if pil_image.mode in ("RGBA", "LA", "P") and "transparency" in pil_image.info or pil_image.mode in ("RGBA", "LA"):
        return None  # JPEG would lose the alpha channel
    img = pil_image.convert("L" if pil_image.mode in ("1", "L") else "RGB")
    if max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def with_pypdf(src: Path, out: Path, preset: str) -> dict:
    """Re-encode images that get smaller, compress content streams, merge identical objects."""
    from PIL import Image
    from pypdf import PdfReader, PdfWriter

    max_side, quality = PRESETS[preset]
    writer = PdfWriter(clone_from=PdfReader(src))
    replaced = 0
    for page in writer.pages:
        for img in page.images:
            try:
                old = len(img.data)
                new = shrink_image(img.image, max_side, quality)
                if new and len(new) < old * 0.9:
                    img.replace(Image.open(io.BytesIO(new)), quality=quality)
                    replaced += 1
            except Exception:  # an image pypdf/Pillow cannot decode is left untouched
                continue
        page.compress_content_streams()
    writer.compress_identical_objects()  # defaults drop duplicates and orphans (argument names changed across pypdf versions)
    with out.open("wb") as f:
        writer.write(f)
    return {"engine": "pypdf", "images_recompressed": replaced}


def with_ghostscript(src: Path, out: Path, preset: str) -> dict:
    """Ghostscript's pdfwrite presets; often smallest for scans."""
    gs = shutil.which("gs") or shutil.which("gswin64c") or shutil.which("gswin32c")
    if not gs:
        raise CompressError("Ghostscript is not installed; use --engine pypdf")
    cmd = [gs, "-sDEVICE=pdfwrite", "-dCompatibilityLevel=1.5", f"-dPDFSETTINGS={GS_PRESETS[preset]}",
           "-dNOPAUSE", "-dBATCH", "-dQUIET", f"-sOutputFile={out}", str(src)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode:
        raise CompressError(f"Ghostscript failed: {proc.stderr.strip()[:300]}")
    return {"engine": "ghostscript"}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("input")
    ap.add_argument("out")
    ap.add_argument("--level", choices=list(PRESETS), default="medium")
    ap.add_argument("--engine", choices=["pypdf", "ghostscript"], default="pypdf")
    ap.add_argument("--force", action="store_true", help="overwrite an existing output")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    src, out = Path(args.input), Path(args.out)
    try:
        if not src.is_file():
            raise CompressError(f"not found: {src}")
        if out.resolve() == src.resolve() or (out.exists() and not args.force):
            raise CompressError("write to a new file (the output exists or is the input)")
        info = (with_ghostscript if args.engine == "ghostscript" else with_pypdf)(src, out, args.level)
        result = report(src, out, info)
    except (CompressError, OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


def report(src: Path, out: Path, info: dict) -> dict:
    """Sizes before/after and page counts; flags a result that did not get smaller."""
    from pypdf import PdfReader

    before, after = src.stat().st_size, out.stat().st_size
    result = {"ok": True, **info, "output": str(out), "bytes_before": before, "bytes_after": after,
              "saved_percent": round(100 * (before - after) / before, 1) if before else 0,
              "pages_before": len(PdfReader(src).pages), "pages_after": len(PdfReader(out).pages)}
    if after >= before:
        result["warning"] = "no reduction: the PDF is mostly text/vector or already compressed; keep the original"
    return result


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
