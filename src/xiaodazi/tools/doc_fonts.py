"""Fonts for documents: the East-Asian font named inside Office files and a CJK font file for PDFs/charts.

Office files only name a font (the reader's machine draws it): they name Microsoft YaHei and tag the text zh-CN.
PDFs and chart pictures need a real font file on this machine: `XIAODAZI_CJK_FONT`, then the
usual places on Linux, macOS and Windows, then fontconfig. Font collections (.ttc) are fine —
the Simplified Chinese face inside is picked by name.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from xiaodazi.core.tools import ToolFailed

# Named in docx/xlsx/pptx (with the zh-CN language tag, so readers without it substitute a Chinese font).
EAST_ASIAN_FONT = "Microsoft YaHei"
EAST_ASIAN_LANG = "zh-CN"

CANDIDATES: tuple[tuple[str, str | None], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", None),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", None),
    ("C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/msyhbd.ttc"),
    ("C:/Windows/Fonts/simhei.ttf", None),
    ("/System/Library/Fonts/STHeiti Medium.ttc", None),
    ("/System/Library/Fonts/Hiragino Sans GB.ttc", None),
    ("/Library/Fonts/Arial Unicode.ttf", None),
)
_SC_HINTS = ("SC", "GB", "YaHei", "Hei", "CN")


@dataclass(frozen=True)
class CjkFont:
    """A font file that draws Chinese, with the face to use inside a collection."""

    regular: Path
    regular_index: int = 0
    bold: Path | None = None
    bold_index: int = 0


def _face_index(path: Path) -> int:
    """Index of the Simplified Chinese face in a .ttc (0 for single fonts)."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    names = [f["name"].getDebugName(1) or "" for f in TTCollection(str(path), lazy=True).fonts]
    for hint in _SC_HINTS:
        for i, name in enumerate(names):
            if hint in name.split() and "Mono" not in name:
                return i
    return 0


def _fontconfig_candidate() -> str | None:
    if shutil.which("fc-list") is None:
        return None
    out = subprocess.run(["fc-list", ":lang=zh-cn", "file"], capture_output=True, text=True, timeout=10).stdout
    files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
    return next((f for f in files if f.lower().endswith((".ttf", ".otf", ".ttc"))), None)


def _build(regular: str, bold: str | None) -> CjkFont:
    reg = Path(regular)
    bold_path = Path(bold) if bold and Path(bold).is_file() else None
    return CjkFont(reg, _face_index(reg), bold_path, _face_index(bold_path) if bold_path else 0)


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> CjkFont:
    """A CJK font on this machine; ToolFailed saying how to install one when there is none."""
    override = os.environ.get("XIAODAZI_CJK_FONT", "")
    if override and Path(override).is_file():
        return _build(override, None)
    for regular, bold in CANDIDATES:
        if Path(regular).is_file():
            return _build(regular, bold)
    found = _fontconfig_candidate()
    if found:
        return _build(found, None)
    raise ToolFailed(
        "没有找到中文字体，无法生成 PDF。请安装 Noto CJK 字体（Debian/Ubuntu: apt install fonts-noto-cjk）"
        "或用 XIAODAZI_CJK_FONT 指定字体文件。/ No CJK font found for the PDF: install one "
        "(Debian/Ubuntu: apt install fonts-noto-cjk) or point XIAODAZI_CJK_FONT at a .ttf/.otf/.ttc file."
    )
