#!/usr/bin/env python3
"""Generate pictures from a prompt through an image API (OpenAI-compatible or DashScope/Tongyi Wanxiang) and save them as files.

The API key comes from the IMAGE_GEN_API_KEY environment variable and is never printed.
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROVIDERS = {
    "dashscope": {"base": "https://dashscope.aliyuncs.com", "model": "wanx2.1-t2i-turbo"},
    "openai": {"base": "https://api.openai.com/v1", "model": "gpt-image-1"},
}


def payload(provider: str, prompt: str, model: str, size: str, n: int, negative: str | None) -> dict:
    """The JSON body each provider expects (sizes are WxH for OpenAI, W*H for DashScope)."""
    if provider == "dashscope":
        body = {"model": model, "input": {"prompt": prompt}, "parameters": {"size": size.replace("x", "*"), "n": n}}
        if negative:
            body["input"]["negative_prompt"] = negative
        return body
    body = {"model": model, "prompt": prompt, "size": size, "n": n}
    if model.startswith("dall-e"):
        body["response_format"] = "b64_json"  # gpt-image models always answer in base64
    return body


def call(url: str, key: str, body: dict | None = None, headers: dict | None = None, timeout: int = 120) -> dict:
    """POST (with a body) or GET a JSON endpoint; HTTP errors become readable messages."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET", headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:300]
        raise RuntimeError(f"HTTP {exc.code} from the image API: {detail}") from exc


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as resp:
        return resp.read()


def openai_images(base: str, key: str, body: dict) -> list[bytes]:
    result = call(f"{base.rstrip('/')}/images/generations", key, body)
    return [base64.b64decode(d["b64_json"]) if d.get("b64_json") else download(d["url"]) for d in result.get("data", [])]


def dashscope_images(base: str, key: str, body: dict, poll: float, deadline: float) -> list[bytes]:
    """Start an asynchronous task, poll it until it ends, download the result URLs (valid for about a day)."""
    base = base.rstrip("/")
    started = call(f"{base}/api/v1/services/aigc/text2image/image-synthesis", key, body, {"X-DashScope-Async": "enable"})
    task = started.get("output", {}).get("task_id")
    if not task:
        raise RuntimeError(f"no task id in the answer: {json.dumps(started)[:300]}")
    while True:
        output = call(f"{base}/api/v1/tasks/{task}", key).get("output", {})
        status = output.get("task_status")
        if status == "SUCCEEDED":
            return [download(r["url"]) for r in output.get("results", []) if r.get("url")]
        if status in ("FAILED", "CANCELED", "UNKNOWN"):
            raise RuntimeError(f"generation {status.lower()}: {output.get('message', '')}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"task {task} still {status} after the time limit")
        time.sleep(poll)


def save(images: list[bytes], out: Path, force: bool) -> list[str]:
    """Write the pictures (out.png, out-2.png, …) after checking they really are images."""
    from PIL import Image

    written = []
    for i, data in enumerate(images, 1):
        target = out if i == 1 else out.with_name(f"{out.stem}-{i}{out.suffix}")
        if target.exists() and not force:
            raise FileExistsError(f"{target} exists; use --force or another --out")
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            target.parent.mkdir(parents=True, exist_ok=True)
            img.save(target)
        written.append(str(target))
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad input, 3 no key, 4 API failure."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("prompt")
    ap.add_argument("--provider", choices=sorted(PROVIDERS), default="dashscope")
    ap.add_argument("--model", help="default: wanx2.1-t2i-turbo (dashscope) / gpt-image-1 (openai)")
    ap.add_argument("--size", default="1024x1024", help="WxH")
    ap.add_argument("-n", type=int, default=1, help="how many pictures (1-4)")
    ap.add_argument("--negative", help="what to avoid (dashscope)")
    ap.add_argument("--base-url", help="API base URL (a compatible gateway or proxy)")
    ap.add_argument("--out", default="generated/image.png")
    ap.add_argument("--timeout", type=float, default=180)
    ap.add_argument("--poll", type=float, default=2.0)
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--dry-run", action="store_true", help="show the request without sending it")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    conf = PROVIDERS[a.provider]
    body = payload(a.provider, a.prompt, a.model or conf["model"], a.size, max(1, min(a.n, 4)), a.negative)
    base = a.base_url or conf["base"]
    if a.dry_run:
        print(json.dumps({"provider": a.provider, "base_url": base, "payload": body}, ensure_ascii=False, indent=1))
        return 0
    key = os.environ.get("IMAGE_GEN_API_KEY")
    if not key:
        print(json.dumps({"error": "set IMAGE_GEN_API_KEY to your image API key (DashScope or OpenAI-compatible)"}))
        return 3
    try:
        images = (dashscope_images(base, key, body, a.poll, time.monotonic() + a.timeout) if a.provider == "dashscope"
                  else openai_images(base, key, body))
        written = save(images, Path(a.out), a.force)
    except FileExistsError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 2
    except (RuntimeError, OSError, ValueError, KeyError) as exc:
        print(json.dumps({"error": str(exc).replace(key, "***")}, ensure_ascii=False))
        return 4
    print(json.dumps({"provider": a.provider, "model": body["model"], "files": written}, ensure_ascii=False, indent=1))
    return 0 if written else 4


if __name__ == "__main__":
    sys.exit(main())
