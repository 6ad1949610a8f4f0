#!/usr/bin/env python3
"""Translate documents segment by segment: extract text segments from .docx/.pptx/.md/.srt/.vtt, then write a translated
or bilingual copy with the layout kept (paragraph styles, run formatting of the first run, slide shapes, subtitle timing)."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

SUPPORTED = (".docx", ".pptx", ".md", ".markdown", ".txt", ".srt", ".vtt")


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def docx_paragraphs(doc):
    """Every paragraph with text: body, tables (nested), headers and footers, in a stable order."""
    def walk(container):
        for p in container.paragraphs:
            yield p
        for t in getattr(container, "tables", []):
            for row in t.rows:
                for cell in row.cells:
                    yield from walk(cell)
    yield from walk(doc)
    for s in doc.sections:
        for part in (s.header, s.footer):
            if not part.is_linked_to_previous:
                yield from walk(part)


def pptx_paragraphs(prs):
    """Every paragraph of every text frame (tables and groups included) of every slide, plus speaker notes."""
    def shapes(items):
        for sh in items:
            if sh.shape_type == 6:  # group
                yield from shapes(sh.shapes)
            else:
                yield sh
    for slide in prs.slides:
        for sh in shapes(slide.shapes):
            if sh.has_text_frame:
                yield from sh.text_frame.paragraphs
            if getattr(sh, "has_table", False) and sh.has_table:
                for row in sh.table.rows:
                    for cell in row.cells:
                        yield from cell.text_frame.paragraphs
        if slide.has_notes_slide:
            yield from slide.notes_slide.notes_text_frame.paragraphs


def set_runs(paragraph, text: str) -> None:
    """Put `text` into the first run (keeping its font) and empty the others."""
    runs = paragraph.runs
    if not runs:
        paragraph.add_run(text)
        return
    runs[0].text = text
    for r in runs[1:]:
        r.text = ""


MD_BLOCK = re.compile(r"^(\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)?)(.*\S.*)$")


def md_segments(text: str) -> list[tuple[int, str, str]]:
    """(line index, prefix, text) of translatable Markdown lines; code blocks, tables' separators and blank lines skipped."""
    out, fence = [], False
    for i, line in enumerate(text.splitlines()):
        if line.strip().startswith("```"):
            fence = not fence
            continue
        if fence or not line.strip() or re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line) or line.strip().startswith("<"):
            continue
        m = MD_BLOCK.match(line)
        if m and re.search(r"[^\W\d_]", m[2]):
            out.append((i, m[1], m[2]))
    return out


def sub_blocks(text: str) -> list[list[str]]:
    """Subtitle cues as lists of lines (blank-line separated)."""
    return [b.splitlines() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())]


def is_timing(line: str) -> bool:
    return "-->" in line or line.strip().isdigit() or line.startswith(("WEBVTT", "NOTE", "STYLE"))


def extract(path: Path) -> list[dict]:
    """Segments to translate: [{id, text}]."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from docx import Document

        return [{"id": f"p{i}", "text": p.text} for i, p in enumerate(docx_paragraphs(Document(path))) if p.text.strip()]
    if suffix == ".pptx":
        from pptx import Presentation

        return [{"id": f"p{i}", "text": p.text} for i, p in enumerate(pptx_paragraphs(Presentation(path))) if p.text.strip()]
    text = path.read_text(encoding="utf-8-sig")
    if suffix in (".srt", ".vtt"):
        return [{"id": f"c{i}", "text": "\n".join(ln for ln in b if not is_timing(ln))}
                for i, b in enumerate(sub_blocks(text)) if any(not is_timing(ln) for ln in b)]
    return [{"id": f"l{i}", "text": seg} for i, _, seg in md_segments(text)]


def combine(orig: str, new: str, mode: str) -> str:
    return new if mode == "replace" else f"{orig}\n{new}"


def apply(path: Path, tr: dict[str, str], out: Path, mode: str) -> int:
    """Write the translated copy; returns how many segments were replaced."""
    suffix, done = path.suffix.lower(), 0
    if suffix in (".docx", ".pptx"):
        if suffix == ".docx":
            from docx import Document

            doc = Document(path)
            paras = list(docx_paragraphs(doc))
        else:
            from pptx import Presentation

            doc = Presentation(path)
            paras = list(pptx_paragraphs(doc))
        for i, p in enumerate(paras):
            if f"p{i}" in tr and p.text.strip():
                # Bilingual Word/PowerPoint copies keep one paragraph: a line break then the translation.
                set_runs(p, combine(p.text, tr[f"p{i}"], mode).replace("\n", "\v") if suffix == ".pptx"
                         else combine(p.text, tr[f"p{i}"], mode))
                done += 1
        doc.save(out)
        return done
    text = path.read_text(encoding="utf-8-sig")
    if suffix in (".srt", ".vtt"):
        blocks = sub_blocks(text)
        for i, b in enumerate(blocks):
            if f"c{i}" in tr:
                head = [ln for ln in b if is_timing(ln)]
                body = "\n".join(ln for ln in b if not is_timing(ln))
                blocks[i] = head + combine(body, tr[f"c{i}"], mode).splitlines()
                done += 1
        out.write_text("\n\n".join("\n".join(b) for b in blocks) + "\n", encoding="utf-8")
        return done
    lines = text.splitlines()
    for i, prefix, seg in md_segments(text):
        if f"l{i}" in tr:
            lines[i] = prefix + tr[f"l{i}"] if mode == "replace" else f"{prefix}{seg}\n{prefix if prefix.strip().startswith('>') else ''}{tr[f'l{i}']}"
            done += 1
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return done


def load_translations(path: Path) -> dict[str, str]:
    """{id: text} from a JSON object, or a list of {id, translation|text}."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        return {str(k): str(v) for k, v in data.items()}
    return {str(d["id"]): str(d.get("translation", d.get("text", ""))) for d in data}


def main(argv: list[str] | None = None) -> None:
    """extract | apply."""
    ap = argparse.ArgumentParser(description="segment-wise document translation")
    ap.add_argument("action", choices=["extract", "apply"])
    ap.add_argument("file", help="the document: " + " ".join(SUPPORTED))
    ap.add_argument("translations", nargs="?", help="apply: JSON {id: translated text}")
    ap.add_argument("--out", help="extract: segments JSON path; apply: the translated document path")
    ap.add_argument("--mode", choices=["replace", "bilingual"], default="replace")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    path = Path(a.file)
    if not path.is_file() or path.suffix.lower() not in SUPPORTED:
        fail(f"need an existing file of type {' '.join(SUPPORTED)} (.doc/.ppt: save as .docx/.pptx first)")
    if a.action == "extract":
        segs = extract(path)
        target = Path(a.out or f"{path.stem}.segments.json")
        target.write_text(json.dumps(segs, ensure_ascii=False, indent=1), encoding="utf-8")
        out = {"segments": len(segs), "written": str(target), "characters": sum(len(s["text"]) for s in segs),
               "preview": segs[:5]}
    else:
        if not a.translations or not a.out:
            fail("apply needs the translations JSON and --out for the new document")
        if Path(a.out).resolve() == path.resolve():
            fail("refusing to overwrite the original; choose another --out")
        tr = load_translations(Path(a.translations))
        wanted = {s["id"] for s in extract(path)}
        done = apply(path, tr, Path(a.out), a.mode)
        out = {"written": a.out, "replaced": done, "segments": len(wanted),
               "untranslated": sorted(wanted - set(tr), key=lambda x: int(x[1:]))[:50]}
    print(json.dumps({"ok": True, **out}, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
