#!/usr/bin/env python3
"""Everyday developer conversions: Base64, URL, Unicode escapes, timestamps, UUIDs, hashes, JWT, colours (stdlib only)."""
from __future__ import annotations

import argparse
import base64
import binascii
import colorsys
import hashlib
import json
import sys
import urllib.parse
import uuid
from datetime import datetime, timezone, timedelta
from pathlib import Path


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def _b64decode(text: str) -> bytes:
    text = text.strip().replace("-", "+").replace("_", "/")  # accept the URL-safe alphabet too
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _as_text(raw: bytes) -> dict:
    try:
        return {"text": raw.decode("utf-8")}
    except UnicodeDecodeError:
        return {"hex": raw.hex(), "note": "not UTF-8 text; shown as hex"}


def b64(value: str, decode: bool, urlsafe: bool) -> dict:
    """Base64 (optionally URL-safe) encode or decode, UTF-8 text in and out."""
    if decode:
        return _as_text(_b64decode(value))
    raw = value.encode("utf-8")
    return {"text": (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode("ascii")}


def url(value: str, decode: bool, plus: bool) -> dict:
    """Percent-encode (UTF-8) or decode; `plus` uses form encoding (space → +)."""
    if decode:
        return {"text": urllib.parse.unquote_plus(value) if plus else urllib.parse.unquote(value)}
    return {"text": urllib.parse.quote_plus(value) if plus else urllib.parse.quote(value, safe="")}


def unicode_escape(value: str, decode: bool) -> dict:
    r"""\uXXXX escapes both ways (non-ASCII only when encoding)."""
    if decode:
        return {"text": json.loads('"' + value.replace('"', '\\"') + '"')}
    return {"text": json.dumps(value)[1:-1]}


def timestamp(value: str, tz: str) -> dict:
    """Epoch seconds/milliseconds → dates, or a date → epoch; shows UTC and the chosen offset."""
    offset = timezone(timedelta(hours=float(tz)))
    if value.lstrip("-").replace(".", "", 1).isdigit():
        n = float(value)
        unit = "ms" if abs(n) >= 1e11 else "s"  # 13-digit values are milliseconds
        dt = datetime.fromtimestamp(n / 1000 if unit == "ms" else n, timezone.utc)
    else:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00").replace("/", "-"))
        dt = dt.replace(tzinfo=offset) if dt.tzinfo is None else dt
        unit = "date"
    return {"input_unit": unit, "utc": dt.astimezone(timezone.utc).isoformat(),
            "local": dt.astimezone(offset).isoformat(), "epoch_s": int(dt.timestamp()),
            "epoch_ms": int(dt.timestamp() * 1000)}


def make_uuid(version: int, count: int, name: str | None) -> dict:
    """New UUIDs (v4 random, or v5 from a name in the URL namespace)."""
    if version == 5:
        return {"uuids": [str(uuid.uuid5(uuid.NAMESPACE_URL, name or ""))]}
    return {"uuids": [str(uuid.uuid4()) for _ in range(count)]}


def digest(value: str, algos: list[str], is_file: bool) -> dict:
    """Hashes of a string (UTF-8) or of a file's bytes."""
    data = Path(value).read_bytes() if is_file else value.encode("utf-8")
    return {a: hashlib.new(a, data).hexdigest() for a in algos}


def jwt(token: str) -> dict:
    """Decode a JWT's header and payload WITHOUT verifying the signature; explain time claims."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise ValueError("a JWT has three dot-separated parts")
    header, payload = (json.loads(_b64decode(p)) for p in parts[:2])
    times = {k: datetime.fromtimestamp(payload[k], timezone.utc).isoformat()
             for k in ("iat", "nbf", "exp") if isinstance(payload.get(k), int | float)}
    expired = "exp" in times and payload["exp"] < datetime.now(timezone.utc).timestamp()
    return {"header": header, "payload": payload, "times_utc": times, "expired": expired,
            "warning": "signature NOT verified / 未验证签名"}


def colour(value: str) -> dict:
    """#hex, rgb(r,g,b) or 'r,g,b' → hex, rgb and hsl."""
    v = value.strip().lower()
    if v.startswith("#") or (len(v) in (3, 6) and all(c in "0123456789abcdef" for c in v)):
        h = v.lstrip("#")
        h = "".join(c * 2 for c in h) if len(h) == 3 else h
        r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    else:
        r, g, b = (int(x) for x in v.removeprefix("rgb(").rstrip(")").split(","))
    hh, ll, ss = colorsys.rgb_to_hls(r / 255, g / 255, b / 255)
    return {"hex": f"#{r:02X}{g:02X}{b:02X}", "rgb": f"rgb({r}, {g}, {b})",
            "hsl": f"hsl({round(hh * 360)}, {round(ss * 100)}%, {round(ll * 100)}%)"}


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description="encode, decode and convert developer values")
    ap.add_argument("kind", choices=["base64", "url", "unicode", "timestamp", "uuid", "hash", "jwt", "color"])
    ap.add_argument("value", nargs="?", default="", help="the input (quote it); a path with --file for hash")
    ap.add_argument("-d", "--decode", action="store_true", help="decode instead of encode")
    ap.add_argument("--urlsafe", action="store_true", help="base64: URL-safe alphabet")
    ap.add_argument("--plus", action="store_true", help="url: form encoding, space as +")
    ap.add_argument("--tz", default="8", help="timestamp: UTC offset in hours for local time (default 8 = 北京时间)")
    ap.add_argument("--version", type=int, default=4, choices=[4, 5], help="uuid version")
    ap.add_argument("--count", type=int, default=1, help="uuid: how many")
    ap.add_argument("--algo", default="md5,sha1,sha256", help="hash: comma-separated algorithms")
    ap.add_argument("--file", action="store_true", help="hash: value is a file path")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    return ap


def main(argv: list[str] | None = None) -> None:
    """Dispatch one conversion and print the result as JSON."""
    a = _parser().parse_intermixed_args(argv)
    jobs = {
        "base64": lambda: b64(a.value, a.decode, a.urlsafe), "url": lambda: url(a.value, a.decode, a.plus),
        "unicode": lambda: unicode_escape(a.value, a.decode), "timestamp": lambda: timestamp(a.value, a.tz),
        "uuid": lambda: make_uuid(a.version, max(1, min(a.count, 100)), a.value),
        "hash": lambda: digest(a.value, a.algo.split(","), a.file), "jwt": lambda: jwt(a.value),
        "color": lambda: colour(a.value),
    }
    try:
        result = jobs[a.kind]()
    except (ValueError, binascii.Error, json.JSONDecodeError, OSError) as exc:
        fail(f"{a.kind}: {exc}")
    print(json.dumps({"ok": True, "kind": a.kind, **result}, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
