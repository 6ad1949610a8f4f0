#!/usr/bin/env python3
"""Split long text into paragraph-aligned chunks, hand them out one by one (remembering which were read), check a summary's length."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def read(path: Path) -> str:
    """Text of .txt/.md/.docx/.pdf/.html/.json chat exports (UTF-8 or GBK)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from docx import Document

        return "\n\n".join(p.text for p in Document(path).paragraphs)
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n\n".join(p.extract_text() or "" for p in PdfReader(path).pages)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    if suffix in (".html", ".htm"):
        text = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", "\n", text, flags=re.S | re.I)
    return text


def length(text: str) -> int:
    """Length as people count it: Chinese characters plus English words."""
    return len(CJK_RE.findall(text)) + len(WORD_RE.findall(text))


def split(text: str, max_chars: int) -> list[str]:
    """Chunks of at most ~max_chars, cut at paragraph ends (long paragraphs at sentence ends)."""
    pieces: list[str] = []
    for para in re.split(r"\n\s*\n|\n(?=\S)", text):
        para = para.strip()
        while len(para) > max_chars:
            cut = max(para.rfind(p, 0, max_chars) for p in "。！？.!?；;\n")
            cut = cut + 1 if cut > max_chars // 2 else max_chars
            pieces.append(para[:cut])
            para = para[cut:].strip()
        if para:
            pieces.append(para)
    chunks, cur = [], ""
    for p in pieces:
        if cur and len(cur) + len(p) + 2 > max_chars:
            chunks.append(cur)
            cur = ""
        cur = f"{cur}\n\n{p}" if cur else p
    return chunks + ([cur] if cur else [])


def index_path(folder: Path) -> Path:
    return folder / "index.json"


def main(argv: list[str] | None = None) -> None:
    """split | get | status | measure."""
    ap = argparse.ArgumentParser(description="chunk long inputs for summarising")
    ap.add_argument("action", choices=["split", "get", "status", "measure"])
    ap.add_argument("target", help="split: the source file; get/status: the chunk folder; measure: the summary file")
    ap.add_argument("--max-chars", type=int, default=6000, help="split: chunk size in characters")
    ap.add_argument("--out", help="split: chunk folder (default <file>.chunks next to the workspace copy)")
    ap.add_argument("--index", type=int, help="get: chunk number (1-based)")
    ap.add_argument("--cap", type=int, help="measure: maximum length (Chinese chars + English words)")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    target = Path(a.target)
    if a.action == "split":
        if not target.is_file():
            fail(f"no such file: {a.target}")
        chunks = split(read(target), max(500, a.max_chars))
        folder = Path(a.out or f"{target.stem}.chunks")
        folder.mkdir(parents=True, exist_ok=True)
        for i, c in enumerate(chunks, 1):
            (folder / f"{i:03d}.txt").write_text(c, encoding="utf-8")
        meta = {"source": str(target), "chunks": len(chunks), "visited": [], "length": sum(map(length, chunks))}
        index_path(folder).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        out = {"folder": str(folder), "chunks": len(chunks), "total_length": meta["length"],
               "first_lines": [c.strip().splitlines()[0][:60] for c in chunks[:20]]}
    elif a.action in ("get", "status"):
        if not index_path(target).is_file():
            fail(f"{a.target} is not a chunk folder; run split first")
        meta = json.loads(index_path(target).read_text(encoding="utf-8"))
        if a.action == "get":
            if not a.index or not 1 <= a.index <= meta["chunks"]:
                fail(f"--index must be 1..{meta['chunks']}")
            meta["visited"] = sorted(set(meta["visited"]) | {a.index})
            index_path(target).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            out = {"index": a.index, "of": meta["chunks"], "text": (target / f"{a.index:03d}.txt").read_text(encoding="utf-8")}
        else:
            out = {"chunks": meta["chunks"], "visited": meta["visited"],
                   "unread": [i for i in range(1, meta["chunks"] + 1) if i not in meta["visited"]]}
    else:
        if not target.is_file():
            fail(f"no such file: {a.target}")
        n = length(target.read_text(encoding="utf-8-sig"))
        out = {"length": n, "cap": a.cap, "within_cap": a.cap is None or n <= a.cap}
    print(json.dumps({"ok": True, **out}, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
