"""Build the Vue UI into src/xiaodazi/web/dist (npm ci + vite build), skipping when nothing changed.

`--test` runs the UI unit tests instead. Without a `ui/` folder both are no-ops.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "ui"
DIST = ROOT / "src" / "xiaodazi" / "web" / "dist"
INPUTS = ["package.json", "package-lock.json", "index.html", "vite.config.ts", "tsconfig.json", "env.d.ts", "src", "public"]


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = UI / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if f.exists():
                digest.update(str(f.relative_to(UI)).encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()


def _npm(*args: str) -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to build the UI: install Node.js 20+ (apt-get install nodejs npm)")
    subprocess.run([npm, *args], cwd=UI, check=True)


def _install() -> None:
    lock = UI / "package-lock.json"
    stamp = UI / "node_modules" / ".lock-hash"
    want = hashlib.sha256(lock.read_bytes()).hexdigest() if lock.exists() else "none"
    if stamp.exists() and stamp.read_text() == want:
        return
    _npm("ci" if lock.exists() else "install", "--no-audit", "--no-fund")
    stamp.write_text(want)


def main(argv: list[str]) -> int:
    if not (UI / "package.json").exists():
        return 0
    _install()
    if "--test" in argv:
        _npm("test")
        return 0
    stamp = DIST / ".build-hash"
    fingerprint = _fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint and (DIST / "index.html").exists():
        return 0
    _npm("run", "build")
    stamp.write_text(fingerprint)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
