#!/usr/bin/env python3
"""Encrypt (AES-256) or decrypt PDFs, set permissions, and stamp a text or image watermark on every page."""
from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path


class SecureError(Exception):
    """A problem the user can act on."""


def open_pdf(path: Path, password: str | None):
    """Reader, decrypted when a password is given."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(password or ""):
        raise SecureError("this PDF is password-protected: the password is missing or wrong")
    return reader


def save(writer, out: Path, src: Path, force: bool) -> None:
    """Write to a new file; never over the input, never over an existing file unless forced."""
    if out.resolve() == src.resolve():
        raise SecureError("write to a new file, not over the input")
    if out.exists() and not force:
        raise SecureError(f"{out} exists; choose another name or pass --force")
    with out.open("wb") as f:
        writer.write(f)


def encrypt(src: Path, out: Path, args: argparse.Namespace) -> dict:
    """AES-256 with an open password and an owner password that controls the permissions."""
    from pypdf import PdfWriter
    from pypdf.constants import UserAccessPermissions as P

    writer = PdfWriter(clone_from=open_pdf(src, args.password))
    perms = P.PRINT | P.PRINT_TO_REPRESENTATION | P.EXTRACT | P.MODIFY | P.ADD_OR_MODIFY | P.FILL_FORM_FIELDS
    perms |= P.EXTRACT_TEXT_AND_GRAPHICS | P.ASSEMBLE_DOC
    if args.no_print:
        perms &= ~(P.PRINT | P.PRINT_TO_REPRESENTATION)
    if args.no_copy:
        perms &= ~(P.EXTRACT | P.EXTRACT_TEXT_AND_GRAPHICS)
    if args.no_edit:
        perms &= ~(P.MODIFY | P.ADD_OR_MODIFY | P.ASSEMBLE_DOC)
    owner = args.owner_password or args.user_password + "-owner"
    writer.encrypt(user_password=args.user_password, owner_password=owner, permissions_flag=perms, algorithm="AES-256")
    save(writer, out, src, args.force)
    return {"output": str(out), "pages": len(writer.pages), "no_print": args.no_print, "no_copy": args.no_copy}


def decrypt(src: Path, out: Path, args: argparse.Namespace) -> dict:
    """Remove protection from a PDF whose password the user knows."""
    from pypdf import PdfWriter

    reader = open_pdf(src, args.password)
    if not reader.is_encrypted:
        raise SecureError("this PDF is not encrypted")
    writer = PdfWriter(clone_from=reader)
    save(writer, out, src, args.force)
    return {"output": str(out), "pages": len(writer.pages)}


def text_stamp(text: str, width: float, height: float, args: argparse.Namespace) -> bytes:
    """A one-page PDF with centred, rotated, semi-transparent text; hand-written so no extra package is needed."""
    import math

    if not text.isascii():
        return reportlab_stamp(text, width, height, args)
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    size, angle = args.size, math.radians(args.angle)
    c, s = math.cos(angle), math.sin(angle)
    text_w = 0.55 * size * len(text)  # Helvetica averages ~0.55 em per character
    x = width / 2 - c * text_w / 2 + s * size / 3
    y = height / 2 - s * text_w / 2 - c * size / 3
    ops = (f"q /GS1 gs 0.5 0.5 0.5 rg BT /F1 {size} Tf {c:.4f} {s:.4f} {-s:.4f} {c:.4f} {x:.2f} {y:.2f} Tm "
           f"({safe}) Tj ET Q").encode("latin-1")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] /Contents 4 0 R "
            f"/Resources << /Font << /F1 5 0 R >> /ExtGState << /GS1 6 0 R >> >> >>".encode(),
            b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
            f"<< /Type /ExtGState /ca {args.opacity} /CA {args.opacity} >>".encode()]
    return assemble(objs)


def assemble(objs: list[bytes]) -> bytes:
    """Serialise numbered objects with a valid cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode() + "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def reportlab_stamp(text: str | None, width: float, height: float, args: argparse.Namespace) -> bytes:
    """Chinese text or an image needs reportlab (CID font STSong-Light for CJK)."""
    try:
        from reportlab.lib.utils import ImageReader
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas
    except ImportError as exc:
        raise SecureError("Chinese text or image watermarks need the optional package reportlab") from exc
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.setFillAlpha(args.opacity)
    c.translate(width / 2, height / 2)
    c.rotate(args.angle)
    if args.image:
        img = ImageReader(args.image)
        w, h = img.getSize()
        scale = min(width, height) * 0.5 / max(w, h)
        c.drawImage(img, -w * scale / 2, -h * scale / 2, w * scale, h * scale, mask="auto")
    else:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        c.setFont("STSong-Light", args.size)
        c.setFillGray(0.5)
        c.drawCentredString(0, 0, text)
    c.save()
    return buf.getvalue()


def watermark(src: Path, out: Path, args: argparse.Namespace) -> dict:
    """Stamp every page (sized per page) and keep everything else."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=open_pdf(src, args.password))
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        data = reportlab_stamp(None, w, h, args) if args.image else text_stamp(args.text, w, h, args)
        page.merge_page(PdfReader(io.BytesIO(data)).pages[0], over=not args.under)
    save(writer, out, src, args.force)
    return {"output": str(out), "pages": len(writer.pages), "watermark": args.text or args.image}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("encrypt")
    e.add_argument("--user-password", required=True, help="password needed to open the file")
    e.add_argument("--owner-password", help="password for changing permissions (default: derived)")
    e.add_argument("--no-print", action="store_true")
    e.add_argument("--no-copy", action="store_true")
    e.add_argument("--no-edit", action="store_true")
    d = sub.add_parser("decrypt")
    w = sub.add_parser("watermark")
    w.add_argument("--text")
    w.add_argument("--image", help="PNG/JPG logo (needs reportlab)")
    w.add_argument("--opacity", type=float, default=0.15)
    w.add_argument("--angle", type=float, default=45)
    w.add_argument("--size", type=float, default=60)
    w.add_argument("--under", action="store_true", help="put the mark beneath the page content")
    for p in (e, d, w):
        p.add_argument("input")
        p.add_argument("out")
        p.add_argument("--password", help="current password of an encrypted input")
        p.add_argument("--force", action="store_true")
        p.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "watermark" and not (args.text or args.image):
            raise SecureError("give --text or --image")
        result = {"encrypt": encrypt, "decrypt": decrypt, "watermark": watermark}[args.cmd](Path(args.input).expanduser(), Path(args.out).expanduser(), args)
    except (SecureError, OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
