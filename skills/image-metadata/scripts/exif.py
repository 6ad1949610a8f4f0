#!/usr/bin/env python3
"""Show an image's details (size, DPI, mode, camera, date taken, GPS) or write a copy without EXIF / without GPS."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
TAGS = {0x010F: "make", 0x0110: "model", 0x0132: "modified", 0x0112: "orientation", 0x0131: "software", 0x013B: "artist"}
EXIF_TAGS = {0x9003: "taken", 0x829A: "exposure_time", 0x829D: "f_number", 0x8827: "iso", 0x920A: "focal_length",
             0xA434: "lens"}


def _num(value) -> float:
    """An EXIF rational (IFDRational or a (num, den) pair) as a float."""
    if isinstance(value, tuple) and len(value) == 2:
        return value[0] / value[1] if value[1] else 0.0
    return float(value)


def gps_decimal(gps: dict) -> dict | None:
    """Latitude/longitude in decimal degrees (south and west negative), plus altitude when present."""
    if 2 not in gps or 4 not in gps:
        return None

    def degrees(dms, ref) -> float:
        d, m, s = (_num(v) for v in dms)
        value = d + m / 60 + s / 3600
        return round(-value if str(ref).upper() in ("S", "W") else value, 6)

    out = {"lat": degrees(gps[2], gps.get(1, "N")), "lon": degrees(gps[4], gps.get(3, "E"))}
    if 6 in gps:
        out["altitude_m"] = round(_num(gps[6]), 1)
    out["map"] = f"https://www.openstreetmap.org/?mlat={out['lat']}&mlon={out['lon']}&zoom=15"
    return out


def _plain(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip("\x00 ")
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    try:
        return value if isinstance(value, str | int) else round(float(value), 4)
    except (TypeError, ValueError):
        return str(value)


def show(path: Path) -> dict:
    """Everything a user usually asks about a picture."""
    from PIL import Image

    with Image.open(path) as img:
        exif = img.getexif()
        info = {"file": str(path), "format": img.format, "width": img.width, "height": img.height, "mode": img.mode,
                "dpi": _plain(img.info["dpi"]) if "dpi" in img.info else None, "bytes": path.stat().st_size,
                "frames": getattr(img, "n_frames", 1)}
        info.update({name: _plain(exif[tag]) for tag, name in TAGS.items() if tag in exif})
        sub = exif.get_ifd(EXIF_IFD)
        info.update({name: _plain(sub[tag]) for tag, name in EXIF_TAGS.items() if tag in sub})
        info["gps"] = gps_decimal(exif.get_ifd(GPS_IFD))
        info["has_exif"] = len(exif) > 0
    return info


def strip(path: Path, out: Path, only_gps: bool) -> dict:
    """A copy without EXIF (pixels turned upright first) or, with only_gps, without the location alone."""
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        fmt = img.format
        if only_gps:
            exif = img.getexif()
            exif.pop(GPS_IFD, None)
            keep = {"exif": exif.tobytes()}
            pic = img
        else:
            pic, keep = ImageOps.exif_transpose(img), {}
        options = {"quality": 95} if fmt in ("JPEG", "WEBP") else {}
        pic.save(out, fmt, **options, **keep)  # info such as XMP/comments is not passed on
    return {"src": str(path), "out": str(out), "removed": "gps" if only_gps else "all"}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("show", help="print details of one or more images")
    s.add_argument("images", nargs="+")
    s.add_argument("--json", action="store_true")
    st = sub.add_parser("strip", help="write cleaned copies (originals kept)")
    st.add_argument("images", nargs="+")
    st.add_argument("--only-gps", action="store_true", help="remove only the location, keep date and camera")
    st.add_argument("--suffix", default="-clean")
    st.add_argument("--out-dir")
    st.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    paths = [Path(p) for p in args.images]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(json.dumps({"error": f"not found: {', '.join(missing)}"}, ensure_ascii=False))
        return 2
    if args.cmd == "show":
        rows = [show(p) for p in paths]
    else:
        rows = []
        for p in paths:
            out = (Path(args.out_dir) if args.out_dir else p.parent) / f"{p.stem}{args.suffix}{p.suffix}"
            out.parent.mkdir(parents=True, exist_ok=True)
            rows.append(strip(p, out, args.only_gps) if out != p else {"src": str(p), "error": "output would replace the original"})
    print(json.dumps({"files": rows}, ensure_ascii=False, indent=1) if args.json else
          "\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
