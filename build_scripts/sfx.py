"""Linux single file that starts fast: a shell header plus the one-folder bundle as a gzip tarball.

PyInstaller's one-file form unpacks its ~1 GB into a temporary folder at every launch (7 s to the
window here). This file unpacks once per build into the user's cache (~/.cache/xiaodazi/<build id>)
and from then on starts the one-folder program directly (2 s). Usage:

    python build_scripts/sfx.py [dist/onedir/xiaodazi] [dist/xiaodazi-linux]
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """#!/bin/sh
# xiaodazi for Linux in one file. The first start unpacks the program into your cache folder
# (once per version, about 1 GB); later starts run it from there. Remove that folder to reclaim the space.
set -eu
ID=@ID@
BASE="${XDG_CACHE_HOME:-$HOME/.cache}/xiaodazi"
DEST="$BASE/$ID"
if [ ! -x "$DEST/xiaodazi/xiaodazi" ]; then
  echo "xiaodazi: first start of this version, unpacking into $DEST ..." >&2
  mkdir -p "$BASE"
  TMP=$(mktemp -d "$BASE/.unpack-XXXXXX")
  if ! tail -c +@OFFSET@ "$0" | tar -xzf - -C "$TMP"; then
    rm -rf "$TMP"
    echo "xiaodazi: could not unpack (is the disk full?); nothing was changed" >&2
    exit 1
  fi
  # a broken copy (files deleted by hand) is replaced; of two first starts at once, the second drops its copy
  if [ -e "$DEST" ] && [ ! -x "$DEST/xiaodazi/xiaodazi" ]; then rm -rf "$DEST"; fi
  mv -T "$TMP" "$DEST" 2>/dev/null || rm -rf "$TMP"
  find "$BASE" -maxdepth 1 -name '.unpack-*' -mmin +120 -exec rm -rf {} + 2>/dev/null || true
  for old in "$BASE"/*; do
    [ "$old" = "$DEST" ] || [ ! -x "$old/xiaodazi/xiaodazi" ] || rm -rf "$old"
  done
fi
exec "$DEST/xiaodazi/xiaodazi" "$@"
"""


def build(folder: Path, target: Path) -> dict:
    """Pack `folder` (dist/onedir/xiaodazi) behind the header into `target`; returns size and build id."""
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = target.with_suffix(".tar.gz")
    with payload.open("wb") as out:  # gzip -1: unpacking speed matters more than a few MB
        tar = subprocess.Popen(["tar", "-cf", "-", "-C", str(folder.parent), folder.name], stdout=subprocess.PIPE)
        subprocess.run(["gzip", "-1"], stdin=tar.stdout, stdout=out, check=True)
        if tar.wait() != 0:
            raise SystemExit("tar failed")
    digest = hashlib.sha256()
    with payload.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    build_id = digest.hexdigest()[:16]
    # tail -c +N counts from 1: the payload starts right after the header, whose length the 12 digits fix
    size = len(HEADER.replace("@ID@", build_id).replace("@OFFSET@", "0" * 12).encode())
    header = HEADER.replace("@ID@", build_id).replace("@OFFSET@", f"{size + 1:012d}")
    with target.open("wb") as out, payload.open("rb") as f:
        out.write(header.encode())
        for block in iter(lambda: f.read(1 << 20), b""):
            out.write(block)
    payload.unlink()
    target.chmod(0o755)
    return {"path": str(target), "size_mb": round(target.stat().st_size / 1e6, 1), "build_id": build_id}


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "dist" / "onedir" / "xiaodazi"
    target = Path(argv[1]) if len(argv) > 1 else ROOT / "dist" / "xiaodazi-linux"
    if not (folder / "xiaodazi").is_file():
        raise SystemExit(f"no one-folder bundle at {folder}: run build_scripts/package.py --onedir first")
    print(build(folder, target))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
