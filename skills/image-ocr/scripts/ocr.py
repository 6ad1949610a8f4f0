#!/usr/bin/env python3
"""Recognise printed Chinese and English text in pictures with a local OCR engine (RapidOCR or Tesseract)."""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

HINT = ("no local OCR engine: pip install rapidocr-onnxruntime (models ship in the wheel), or install Tesseract "
        "with the chi_sim language (Debian: apt install tesseract-ocr tesseract-ocr-chi-sim; Windows/macOS: the "
        "Tesseract installer / brew install tesseract tesseract-lang); otherwise look at the picture with a vision model")


def engines() -> list[str]:
    """Installed engines, best for Chinese first."""
    found = []
    try:
        import rapidocr_onnxruntime  # noqa: F401

        found.append("rapidocr")
    except ImportError:
        pass
    if shutil.which("tesseract"):
        found.append("tesseract")
    return found


def tesseract_langs() -> set[str]:
    """Language packs Tesseract has."""
    import subprocess

    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    return {line.strip() for line in out.splitlines()[1:] if line.strip()}


def with_rapidocr(path: Path) -> list[dict]:
    from rapidocr_onnxruntime import RapidOCR

    result, _ = RapidOCR()(str(path))
    return [{"text": text, "score": round(float(score), 3), "box": [[round(x), round(y)] for x, y in box]}
            for box, text, score in (result or [])]


def with_tesseract(path: Path, lang: str) -> list[dict]:
    import subprocess

    have = tesseract_langs()
    wanted = "+".join(code for code in lang.split("+") if code in have) or "eng"
    proc = subprocess.run(["tesseract", str(path), "stdout", "-l", wanted, "--psm", "3"],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode:
        raise RuntimeError(proc.stderr.strip()[:300])
    return [{"text": line.strip(), "lang": wanted} for line in proc.stdout.splitlines() if line.strip()]


def prepare(path: Path, tmp: Path) -> Path:
    """A greyscale copy, upscaled when small (OCR engines read small screenshot text badly)."""
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        grey = ImageOps.exif_transpose(img).convert("L")
    if max(grey.size) < 1000:
        grey = grey.resize((grey.width * 2, grey.height * 2), Image.LANCZOS)
    out = tmp / f"{path.stem}-ocr.png"
    grey.save(out)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments, 3 no engine installed."""
    import tempfile

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("images", nargs="*")
    ap.add_argument("--engine", choices=["auto", "rapidocr", "tesseract"], default="auto")
    ap.add_argument("--lang", default="chi_sim+eng", help="Tesseract languages")
    ap.add_argument("--out", help="also write the recognised text to this .txt file")
    ap.add_argument("--check", action="store_true", help="only report which engines are installed")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    have = engines()
    if args.check or not have:
        print(json.dumps({"engines": have, **({} if have else {"error": HINT})}, ensure_ascii=False))
        return 0 if have else 3
    engine = have[0] if args.engine == "auto" else args.engine
    if engine not in have:
        print(json.dumps({"error": f"{engine} is not installed", "engines": have}))
        return 3
    rows, texts = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for raw in args.images:
            src = Path(raw)
            if not src.is_file():
                print(json.dumps({"error": f"not found: {src}"}, ensure_ascii=False))
                return 2
            pic = prepare(src, Path(tmp))
            lines = with_rapidocr(pic) if engine == "rapidocr" else with_tesseract(pic, args.lang)
            text = "\n".join(line["text"] for line in lines)
            texts.append(text)
            rows.append({"file": str(src), "engine": engine, "text": text, "lines": lines})
    if args.out:
        Path(args.out).write_text("\n\n".join(texts), encoding="utf-8")
    print(json.dumps({"files": rows}, ensure_ascii=False, indent=1) if args.json else "\n\n".join(texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
