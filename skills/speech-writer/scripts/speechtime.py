#!/usr/bin/env python3
"""Estimate how long a speech takes to deliver and how far it is from the target time."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
PACES = {"slow": (170, 110), "normal": (200, 130), "fast": (240, 160)}  # (Chinese chars, English words) per minute


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def estimate(text: str, pace: str, pause_seconds: float) -> dict:
    """Minutes to speak the text at a pace, plus a pause per paragraph break and marked pause."""
    zh_rate, en_rate = PACES[pace]
    body = re.sub(r"[（(\[【](停顿|pause|掌声|applause)[^）)\]】]*[）)\]】]", "", text, flags=re.I)
    zh, en = len(CJK_RE.findall(body)), len(WORD_RE.findall(body))
    pauses = len(re.findall(r"[（(\[【](停顿|pause|掌声|applause)", text, flags=re.I)) + \
        max(0, len([p for p in re.split(r"\n\s*\n", text) if p.strip()]) - 1)
    minutes = zh / zh_rate + en / en_rate + pauses * pause_seconds / 60
    return {"chinese_chars": zh, "english_words": en, "pauses": pauses, "minutes": round(minutes, 2)}


def main(argv: list[str] | None = None) -> None:
    """Print the estimate and, with --target, whether the draft fits and how many characters/words to add or cut."""
    ap = argparse.ArgumentParser(description="speaking time of a speech draft")
    ap.add_argument("file", help="the speech as UTF-8 text")
    ap.add_argument("--target", type=float, help="target length in minutes")
    ap.add_argument("--pace", choices=sorted(PACES), default="normal")
    ap.add_argument("--pause", type=float, default=2.0, help="seconds per paragraph break / (停顿) mark")
    ap.add_argument("--tolerance", type=float, default=0.1, help="allowed deviation as a fraction (default 10%%)")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    if not Path(a.file).is_file():
        fail(f"no such file: {a.file}")
    est = estimate(Path(a.file).read_text(encoding="utf-8-sig"), a.pace, a.pause)
    out = {"ok": True, "pace": a.pace, **est}
    if a.target:
        zh_rate, en_rate = PACES[a.pace]
        diff = a.target - est["minutes"]
        mostly_zh = est["chinese_chars"] >= est["english_words"]
        out.update(target=a.target, fits=abs(diff) <= a.target * a.tolerance,
                   adjust=f"{'add' if diff > 0 else 'cut'} about {abs(round(diff * (zh_rate if mostly_zh else en_rate)))} "
                          f"{'Chinese characters' if mostly_zh else 'words'}")
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
