#!/usr/bin/env python3
"""Make QR codes (text, link, Wi-Fi login, contact card; optional centre logo) and read QR codes from pictures."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def wifi_payload(ssid: str, password: str, security: str, hidden: bool) -> str:
    """The WIFI: string phones understand; \\ ; , : and " are escaped."""
    def esc(s: str) -> str:
        return "".join("\\" + c if c in '\\;,:"' else c for c in s)

    kind = "nopass" if security == "none" else security.upper()
    pw = "" if kind == "nopass" else f"P:{esc(password)};"
    return f"WIFI:T:{kind};S:{esc(ssid)};{pw}{'H:true;' if hidden else ''};"


def vcard_payload(name: str, phone: str | None, email: str | None, org: str | None) -> str:
    """A minimal vCard 3.0 contact."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", f"N:{name};;;;"]
    lines += [f"TEL;TYPE=CELL:{phone}"] if phone else []
    lines += [f"EMAIL:{email}"] if email else []
    lines += [f"ORG:{org}"] if org else []
    return "\r\n".join([*lines, "END:VCARD"])


def make(payload: str, out: Path, box: int, logo: str | None) -> dict:
    """Render the payload; with a logo, the highest error correction so the code still scans."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_H if logo else ERROR_CORRECT_M, box_size=box, border=4)
    qr.add_data(payload)
    qr.make(fit=True)
    img = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    if logo:
        from PIL import Image

        mark = Image.open(logo).convert("RGBA")
        side = img.width // 5  # about 4 % of the area: well inside what level H can lose
        mark.thumbnail((side, side))
        img.paste(mark, ((img.width - mark.width) // 2, (img.height - mark.height) // 2), mark)
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out)
    return {"out": str(out), "version": qr.version, "size": list(img.size), "payload": payload}


def decoders():
    """Available decoding back ends, best first: zxing-cpp, pyzbar (needs libzbar), OpenCV."""
    found = []
    try:
        import zxingcpp

        found.append(("zxing-cpp", lambda img: [r.text for r in zxingcpp.read_barcodes(img)]))
    except ImportError:
        pass
    try:
        from pyzbar.pyzbar import decode

        found.append(("pyzbar", lambda img: [r.data.decode("utf-8", "replace") for r in decode(img)]))
    except (ImportError, OSError):
        pass
    try:
        import cv2
        import numpy as np

        def cv_read(img):
            ok, texts, _, _ = cv2.QRCodeDetector().detectAndDecodeMulti(np.array(img.convert("RGB")))
            return [t for t in texts if t] if ok else []

        found.append(("opencv", cv_read))
    except ImportError:
        pass
    return found


def read(path: Path) -> dict:
    """Texts of every code found in the picture (tries a 2× upscale for small codes)."""
    from PIL import Image

    backends = decoders()
    if not backends:
        return {"error": "no QR decoder installed: pip install zxing-cpp (or pyzbar, or opencv-python-headless)",
                "codes": []}
    name, decode = backends[0]
    with Image.open(path) as img:
        img = img.convert("RGB")
        codes = decode(img) or decode(img.resize((img.width * 2, img.height * 2)))
    return {"file": str(path), "decoder": name, "codes": codes}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments, 3 nothing decoded or no decoder."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    kind = m.add_mutually_exclusive_group(required=True)
    kind.add_argument("--text", help="any text or a link")
    kind.add_argument("--wifi", metavar="SSID")
    kind.add_argument("--vcard", metavar="NAME")
    m.add_argument("--password", default="")
    m.add_argument("--security", choices=["wpa", "wep", "none"], default="wpa")
    m.add_argument("--hidden", action="store_true")
    m.add_argument("--phone")
    m.add_argument("--email")
    m.add_argument("--org")
    m.add_argument("--logo", help="a small picture placed in the middle")
    m.add_argument("--box", type=int, default=10, help="pixels per module")
    m.add_argument("--out", required=True)
    r = sub.add_parser("read")
    r.add_argument("image")
    for s in (m, r):
        s.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.cmd == "read":
        if not Path(args.image).is_file():
            print(json.dumps({"error": f"not found: {args.image}"}, ensure_ascii=False))
            return 2
        result = read(Path(args.image))
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0 if result.get("codes") else 3
    payload = (args.text if args.text is not None else
               wifi_payload(args.wifi, args.password, args.security, args.hidden) if args.wifi else
               vcard_payload(args.vcard, args.phone, args.email, args.org))
    try:
        result = make(payload, Path(args.out), args.box, args.logo)
    except ImportError:
        print(json.dumps({"error": "the qrcode package is missing: pip install qrcode"}))
        return 3
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
