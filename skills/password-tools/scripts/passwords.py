#!/usr/bin/env python3
"""Local password helper: strong passwords, pronounceable passphrases, a strength check and TOTP codes (RFC 6238).

Everything stays on this computer; randomness comes from the `secrets` module.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import math
import re
import secrets
import string
import struct
import sys
import time

AMBIGUOUS = set("Il1O0o|`'\"")
SYMBOLS = "!@#$%^&*()-_=+[]{};:,.?/~"
CONSONANTS = "bdfghjklmnprstvz"  # 16
VOWELS = "aeiou"  # 5 → 80 syllables per pick
COMMON = {"123456", "password", "123456789", "12345678", "qwerty", "abc123", "111111", "iloveyou", "123123",
          "admin", "welcome", "monkey", "dragon", "letmein", "000000", "666666", "888888", "woaini", "5201314",
          "1qaz2wsx", "qwe123", "a123456", "aa123456", "zxcvbnm", "passw0rd", "p@ssw0rd", "baseball", "football"}
KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "1qaz2wsx3edc4rfv"]


def pools(symbols: bool, ambiguous: bool) -> list[str]:
    """Character classes in use, with look-alike characters removed unless allowed."""
    classes = [string.ascii_lowercase, string.ascii_uppercase, string.digits] + ([SYMBOLS] if symbols else [])
    return ["".join(c for c in cls if ambiguous or c not in AMBIGUOUS) for cls in classes]


def generate(length: int, symbols: bool, ambiguous: bool) -> str:
    """A random password with at least one character of every class in use."""
    classes = pools(symbols, ambiguous)
    if length < len(classes):
        raise ValueError(f"length must be at least {len(classes)}")
    alphabet = "".join(classes)
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(c in cls for c in pw) for cls in classes):
            return pw


def passphrase(words: int, syllables: int, sep: str) -> tuple[str, float]:
    """Pronounceable made-up words (consonant + vowel syllables) and the exact entropy in bits."""
    parts = ["".join(secrets.choice(CONSONANTS) + secrets.choice(VOWELS) for _ in range(syllables)) for _ in range(words)]
    digit = str(secrets.randbelow(10))
    bits = words * syllables * math.log2(len(CONSONANTS) * len(VOWELS)) + math.log2(10)
    return sep.join(parts) + sep + digit, bits


def charset_size(pw: str) -> int:
    size = 0
    for cls in (string.ascii_lowercase, string.ascii_uppercase, string.digits, string.punctuation):
        if any(c in cls for c in pw):
            size += len(cls)
    if any(ord(c) > 127 for c in pw):
        size += 100
    return size or 1


def weaknesses(pw: str) -> list[str]:
    """Patterns attackers try first."""
    low = pw.lower()
    found = []
    if low in COMMON or re.sub(r"[\d!@#$%^&*]+$", "", low) in COMMON:
        found.append("common password / 常见弱密码")
    if re.search(r"(.)\1{2,}", pw):
        found.append("repeated characters / 重复字符")
    if any(row[i : i + 4] in low or row[i : i + 4][::-1] in low for row in KEYBOARD_ROWS for i in range(len(row) - 3)):
        found.append("keyboard or number sequence / 键盘或数字序列")
    if re.search(r"(19|20)\d{2}[-/.]?(0[1-9]|1[0-2])[-/.]?(0[1-9]|[12]\d|3[01])", pw):
        found.append("looks like a date (birthday?) / 像日期（生日？）")
    if re.search(r"1[3-9]\d{9}", pw):
        found.append("contains a phone number / 含手机号")
    if len(pw) < 8:
        found.append("shorter than 8 characters / 少于 8 位")
    return found


def strength(pw: str) -> dict:
    """Score 0-4 from estimated entropy minus pattern penalties; zxcvbn's estimate when installed."""
    bits = len(pw) * math.log2(charset_size(pw))
    weak = weaknesses(pw)
    if weak:
        bits = min(bits, 20.0) if "common password / 常见弱密码" in weak else bits * 0.6
    score = 0 if bits < 28 else 1 if bits < 36 else 2 if bits < 60 else 3 if bits < 80 else 4
    result = {"length": len(pw), "entropy_bits": round(bits, 1), "score": score,
              "label": ["very weak / 很弱", "weak / 弱", "fair / 一般", "strong / 强", "very strong / 很强"][score],
              "weaknesses": weak, "offline_crack_time": crack_time(bits), "method": "built-in estimate"}
    try:
        from zxcvbn import zxcvbn
        z = zxcvbn(pw)
        result.update(score=min(score, z["score"]), method="zxcvbn + built-in", zxcvbn_feedback=z.get("feedback"))
    except ImportError:
        pass
    return result


def crack_time(bits: float, guesses_per_second: float = 1e10) -> str:
    """Average time to guess at 10 billion tries per second (a fast offline attack)."""
    seconds = 2 ** bits / 2 / guesses_per_second
    for unit, size in (("years", 31_557_600), ("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            value = seconds / size
            return f"{value:.3g} {unit}" if value < 1e6 else f"more than a million {unit}"
    return "less than a minute"


def totp(secret_b32: str, at: float, digits: int = 6, period: int = 30, algo: str = "sha1") -> str:
    """RFC 6238 time-based one-time password from a base32 secret."""
    key = base64.b32decode(secret_b32.replace(" ", "").upper() + "=" * (-len(secret_b32.replace(" ", "")) % 8))
    counter = struct.pack(">Q", int(at // period))
    mac = hmac.new(key, counter, getattr(hashlib, algo)).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="random passwords")
    g.add_argument("--length", type=int, default=16)
    g.add_argument("--count", type=int, default=3)
    g.add_argument("--no-symbols", action="store_true", help="letters and digits only (for picky sites)")
    g.add_argument("--allow-ambiguous", action="store_true", help="keep look-alikes such as l/1 and O/0")
    p = sub.add_parser("passphrase", help="pronounceable passphrases, easy to type and remember")
    p.add_argument("--words", type=int, default=4)
    p.add_argument("--syllables", type=int, default=3)
    p.add_argument("--sep", default="-")
    p.add_argument("--count", type=int, default=3)
    c = sub.add_parser("check", help="rate a password's strength")
    c.add_argument("password")
    t = sub.add_parser("totp", help="current two-factor code from a base32 secret")
    t.add_argument("secret")
    t.add_argument("--time", type=float, help="Unix time to compute for (default: now)")
    t.add_argument("--digits", type=int, default=6)
    t.add_argument("--period", type=int, default=30)
    t.add_argument("--algo", choices=["sha1", "sha256", "sha512"], default="sha1")
    for x in (g, p, c, t):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "generate":
            pws = [generate(args.length, not args.no_symbols, args.allow_ambiguous) for _ in range(args.count)]
            result = {"ok": True, "passwords": pws, "strength": strength(pws[0])}
        elif args.cmd == "passphrase":
            made = [passphrase(args.words, args.syllables, args.sep) for _ in range(args.count)]
            result = {"ok": True, "passphrases": [m[0] for m in made], "entropy_bits": round(made[0][1], 1),
                      "offline_crack_time": crack_time(made[0][1])}
        elif args.cmd == "check":
            result = {"ok": True, **strength(args.password)}
        else:
            now = time.time() if args.time is None else args.time
            code = totp(args.secret, now, args.digits, args.period, args.algo)
            result = {"ok": True, "code": code, "valid_for_seconds": int(args.period - now % args.period)}
    except (ValueError, base64.binascii.Error) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
