#!/usr/bin/env python3
"""Combine images into one PDF, or render PDF pages to PNG/JPG (pypdfium2, else poppler's pdftoppm)."""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

A4_PT = (595.28, 841.89)
IMAGE_EXT = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".heic"}


class ConvertError(Exception):
    """A problem the user can act on."""


def natural_key(path: Path):
    """Sort 'scan2' before 'scan10'."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", path.name)]


def collect(inputs: list[str]) -> list[Path]:
    """Expand folders into their images (natural order); keep files in the order given."""
    out = []
    for item in map(Path, inputs):
        if item.is_dir():
            out += sorted((p for p in item.iterdir() if p.suffix.lower() in IMAGE_EXT), key=natural_key)
        elif item.is_file():
            out.append(item)
        else:
            raise ConvertError(f"not found: {item}")
    if not out:
        raise ConvertError("no images found")
    return out


def load_page(path: Path, page_size: str, margin_pt: float, dpi: float):
    """An RGB image ready for a PDF page: phone rotation applied, transparency flattened on white."""
    from PIL import Image, ImageOps

    img = ImageOps.exif_transpose(Image.open(path))
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        bg = Image.new("RGB", img.size, "white")
        bg.paste(img, mask=img.getchannel("A"))
        img = bg
    img = img.convert("RGB")
    if page_size == "fit":
        return img, dpi
    page_w, page_h = A4_PT if img.width <= img.height else A4_PT[::-1]  # landscape pictures get a landscape page
    # pixels per point: the picture's own density, but at least 2 so the page size rounds accurately
    k = max(img.width / (page_w - 2 * margin_pt), img.height / (page_h - 2 * margin_pt), 2.0)
    fit = min((page_w - 2 * margin_pt) * k / img.width, (page_h - 2 * margin_pt) * k / img.height)
    if abs(fit - 1) > 1e-6:
        img = img.resize((max(1, round(img.width * fit)), max(1, round(img.height * fit))), Image.LANCZOS)
    canvas = Image.new("RGB", (round(page_w * k), round(page_h * k)), "white")
    canvas.paste(img, ((canvas.width - img.width) // 2, (canvas.height - img.height) // 2))
    canvas_dpi = 72 * k
    return canvas, canvas_dpi


def images_to_pdf(inputs: list[str], out: Path, page_size: str, margin_mm: float, dpi: float) -> dict:
    """One page per image, in order."""
    paths = collect(inputs)
    pages = [load_page(p, page_size, margin_mm * 72 / 25.4, dpi) for p in paths]
    first, resolution = pages[0]
    first.save(out, "PDF", save_all=True, append_images=[img for img, _ in pages[1:]], resolution=resolution, quality=90)
    return {"output": str(out), "pages": len(pages), "images": [str(p) for p in paths]}


def render(pdf: Path, out_dir: Path, dpi: float, fmt: str, pages: list[int] | None) -> dict:
    """PDF pages to image files named <stem>_p<N>.<fmt>."""
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return render_poppler(pdf, out_dir, dpi, fmt, pages)
    doc = pdfium.PdfDocument(str(pdf))
    files = []
    for i in range(len(doc)):
        if pages and i + 1 not in pages:
            continue
        image = doc[i].render(scale=dpi / 72).to_pil()
        target = out_dir / f"{pdf.stem}_p{i + 1}.{fmt}"
        image.convert("RGB").save(target, quality=92) if fmt == "jpg" else image.save(target)
        files.append({"file": str(target), "width": image.width, "height": image.height})
    return {"engine": "pypdfium2", "files": files, "count": len(files)}


def render_poppler(pdf: Path, out_dir: Path, dpi: float, fmt: str, pages: list[int] | None) -> dict:
    """Fallback through pdftoppm when pypdfium2 is not installed."""
    exe = shutil.which("pdftoppm")
    if not exe:
        raise ConvertError("rendering PDF pages needs the optional package pypdfium2 (pip install pypdfium2) or pdftoppm")
    cmd = [exe, "-r", str(dpi), "-png" if fmt == "png" else "-jpeg"]
    if pages:
        cmd += ["-f", str(min(pages)), "-l", str(max(pages))]
    proc = subprocess.run(cmd + [str(pdf), str(out_dir / pdf.stem)], capture_output=True, text=True, timeout=600)
    if proc.returncode:
        raise ConvertError(proc.stderr.strip()[:300])
    files = sorted(out_dir.glob(f"{pdf.stem}-*.{'png' if fmt == 'png' else 'jpg'}"), key=natural_key)
    return {"engine": "pdftoppm", "files": [{"file": str(f)} for f in files], "count": len(files)}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("to-pdf", help="images (files or folders) → one PDF")
    a.add_argument("out")
    a.add_argument("inputs", nargs="+")
    a.add_argument("--page-size", choices=["a4", "fit"], default="a4", help="A4 pages, or each page the image's size")
    a.add_argument("--margin-mm", type=float, default=10)
    a.add_argument("--dpi", type=float, default=72, help="with --page-size fit: pixels per inch of the images")
    b = sub.add_parser("to-images", help="PDF pages → PNG/JPG")
    b.add_argument("pdf")
    b.add_argument("out_dir")
    b.add_argument("--dpi", type=float, default=150)
    b.add_argument("--format", choices=["png", "jpg"], default="png")
    b.add_argument("--pages", help="e.g. 1,2,5 (default: all)")
    for p in (a, b):
        p.add_argument("--force", action="store_true", help="overwrite an existing output PDF")
        p.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "to-pdf":
            if Path(args.out).exists() and not args.force:
                raise ConvertError(f"{args.out} exists; choose another name or pass --force")
            result = images_to_pdf(args.inputs, Path(args.out), args.page_size, args.margin_mm, args.dpi)
        else:
            pages = [int(x) for x in args.pages.split(",")] if args.pages else None
            result = render(Path(args.pdf), Path(args.out_dir), args.dpi, args.format, pages)
    except (ConvertError, OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
