#!/usr/bin/env python3
"""Send one HTTP request and show status, timing, headers and a formatted body; print curl/Python equivalents."""
from __future__ import annotations

import argparse
import base64
import json
import shlex
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

MAX_BODY = 20_000
SECRET_HEADERS = {"authorization", "cookie", "x-api-key", "api-key", "proxy-authorization"}


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def build(a) -> tuple[dict[str, str], bytes | None]:
    """Headers and body bytes from the arguments (JSON body sets Content-Type)."""
    headers = {}
    for h in a.header:
        name, _, value = h.partition(":")
        headers[name.strip()] = value.strip()
    body = None
    if a.json_body is not None:
        text = Path(a.json_body[1:]).read_text(encoding="utf-8") if a.json_body.startswith("@") else a.json_body
        body = json.dumps(json.loads(text), ensure_ascii=False).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    elif a.data is not None:
        body = Path(a.data[1:]).read_bytes() if a.data.startswith("@") else a.data.encode("utf-8")
    if a.bearer:
        headers["Authorization"] = f"Bearer {a.bearer}"
    elif a.basic:
        headers["Authorization"] = "Basic " + base64.b64encode(a.basic.encode("utf-8")).decode("ascii")
    return headers, body


def masked(headers: dict[str, str]) -> dict[str, str]:
    """Headers with credentials shortened, for output the user may paste elsewhere."""
    return {k: (v[:10] + "…" if k.lower() in SECRET_HEADERS and len(v) > 10 else v) for k, v in headers.items()}


def as_curl(method: str, url: str, headers: dict[str, str], body: bytes | None) -> str:
    """An equivalent curl command line."""
    parts = ["curl", "-sS", "-X", method, shlex.quote(url)]
    for k, v in masked(headers).items():
        parts += ["-H", shlex.quote(f"{k}: {v}")]
    if body is not None:
        parts += ["--data-raw", shlex.quote(body.decode("utf-8", "replace"))]
    return " ".join(parts)


def as_python(method: str, url: str, headers: dict[str, str], body: bytes | None) -> str:
    """An equivalent httpx snippet."""
    lines = ["import httpx", "", f"r = httpx.request({method!r}, {url!r},",
             f"                  headers={masked(headers)!r},"]
    if body is not None:
        lines.append(f"                  content={body.decode('utf-8', 'replace')!r},")
    lines += ["                  timeout=30)", "print(r.status_code, r.text)"]
    return "\n".join(lines)


def send(method: str, url: str, headers: dict[str, str], body: bytes | None, timeout: float) -> dict:
    """Perform the request; HTTP error statuses are results, not failures."""
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the user chose the URL
            status, reason, rh, raw = resp.status, resp.reason, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        status, reason, rh, raw = exc.code, exc.reason, dict(exc.headers), exc.read()
    elapsed = round((time.perf_counter() - start) * 1000, 1)
    return {"status": status, "reason": reason, "elapsed_ms": elapsed, "headers": rh, **render(raw, rh)}


def render(raw: bytes, headers: dict[str, str]) -> dict:
    """The body pretty-printed when it is JSON, else as text (capped)."""
    ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    charset = ctype.split("charset=")[-1].split(";")[0].strip() if "charset=" in ctype else "utf-8"
    text = raw.decode(charset or "utf-8", errors="replace")
    out: dict = {"size": len(raw)}
    try:
        out["json"] = json.loads(text)
    except ValueError:
        out["text"] = text[:MAX_BODY] + ("…[truncated]" if len(text) > MAX_BODY else "")
    return out


def main(argv: list[str] | None = None) -> None:
    """send (default) or snippet: build the request from flags, print JSON."""
    ap = argparse.ArgumentParser(description="send an HTTP request and show the response")
    ap.add_argument("method", type=str.upper, help="GET POST PUT PATCH DELETE HEAD OPTIONS")
    ap.add_argument("url")
    ap.add_argument("-H", "--header", action="append", default=[], help="'Name: value' (repeatable)")
    ap.add_argument("--json-body", help="a JSON body (or @file.json)")
    ap.add_argument("--data", help="a raw body (or @file)")
    ap.add_argument("--bearer", help="bearer token")
    ap.add_argument("--basic", help="user:password for basic auth")
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--snippet-only", action="store_true", help="print curl/Python code without sending")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    if not a.url.startswith(("http://", "https://")):
        fail("the URL must start with http:// or https://")
    try:
        headers, body = build(a)
    except (ValueError, OSError) as exc:
        fail(f"bad request body: {exc}")
    out = {"ok": True, "request": {"method": a.method, "url": a.url, "headers": masked(headers)},
           "curl": as_curl(a.method, a.url, headers, body), "python": as_python(a.method, a.url, headers, body)}
    if not a.snippet_only:
        try:
            out["response"] = send(a.method, a.url, headers, body, a.timeout)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            fail(f"request failed before any response: {getattr(exc, 'reason', exc)}", 1)
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
