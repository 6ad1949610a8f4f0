#!/usr/bin/env python3
"""Link health of an Obsidian or Logseq Markdown vault (read-only), backlinks of a note, and today's daily note.

Links understood: [[Note]], [[Note|alias]], [[Note#Heading]], ![[image.png]], [text](relative/path.md).
A wikilink resolves like Obsidian does: by file name anywhere in the vault (case-insensitive), or by a path.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.parse
from datetime import date
from pathlib import Path

SKIP = {".obsidian", ".trash", ".git", "logseq", "node_modules"}
WIKI = re.compile(r"(!?)\[\[([^\]|#^]*)(?:[#^][^\]|]*)?(?:\|[^\]]*)?\]\]")
MDLINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"```.*?```|`[^`\n]*`", re.S)


def files(vault: Path) -> list[Path]:
    out = []
    for dirpath, dirs, names in os.walk(vault):
        dirs[:] = [d for d in dirs if d not in SKIP and not d.startswith(".")]
        out += [Path(dirpath) / n for n in names if not n.startswith(".")]
    return sorted(out)


class Vault:
    """Notes, attachments and the resolved link graph of one vault."""

    def __init__(self, root: Path):
        self.root = root
        all_files = files(root)
        self.notes = [p for p in all_files if p.suffix.lower() == ".md"]
        self.by_name: dict[str, list[Path]] = {}
        for p in all_files:
            key = (p.stem if p.suffix.lower() == ".md" else p.name).lower()
            self.by_name.setdefault(key, []).append(p)
        self.by_path = {p.relative_to(root).as_posix().lower(): p for p in all_files}
        self.links: dict[Path, list[dict]] = {n: self._links(n) for n in self.notes}

    def rel(self, p: Path) -> str:
        return p.relative_to(self.root).as_posix()

    def resolve(self, target: str, source: Path, wiki: bool) -> Path | None:
        """The file a link points to, or None when it is broken."""
        target = urllib.parse.unquote(target.strip())
        if not wiki:
            p = (source.parent / target).resolve()
            return p if p.exists() else self.by_path.get(target.lower())
        key = target.lower()
        if "/" in key:
            return self.by_path.get(key if key.endswith(".md") or "." in Path(key).name else key + ".md")
        found = self.by_name.get(key) or self.by_name.get(key.removesuffix(".md"))
        return found[0] if found else None

    def _links(self, note: Path) -> list[dict]:
        text = FENCE.sub("", note.read_text(encoding="utf-8", errors="replace"))
        out = []
        for no, line in enumerate(text.splitlines(), 1):
            for m in WIKI.finditer(line):
                if m.group(2).strip():  # [[#heading]] points inside the same note
                    out.append({"target": m.group(2).strip(), "line": no, "embed": bool(m.group(1)),
                                "to": self.resolve(m.group(2), note, wiki=True)})
            for m in MDLINK.finditer(line):
                t = m.group(1)
                if not re.match(r"^[a-z][a-z0-9+.-]*:|^#", t, re.I):  # web links and anchors are not vault links
                    out.append({"target": t, "line": no, "embed": False, "to": self.resolve(t.split("#")[0], note, wiki=False)})
        return out

    def report(self) -> dict:
        """Broken links, orphans (no other note links here) and isolated notes (no links in or out)."""
        incoming: dict[Path, int] = {n: 0 for n in self.notes}
        broken = []
        for note, links in self.links.items():
            for link in links:
                if link["to"] is None:
                    broken.append({"note": self.rel(note), "line": link["line"], "target": link["target"]})
                elif link["to"] in incoming and link["to"] != note:
                    incoming[link["to"]] += 1
        orphans = sorted(self.rel(n) for n, c in incoming.items() if c == 0)
        isolated = sorted(self.rel(n) for n, c in incoming.items()
                          if c == 0 and not any(lk["to"] and lk["to"] != n for lk in self.links[n]))
        linked = {lk["to"] for links in self.links.values() for lk in links if lk["to"]}
        unused = sorted(self.rel(p) for ps in self.by_name.values() for p in ps if p.suffix.lower() != ".md" and p not in linked)
        return {"ok": True, "notes": len(self.notes), "broken_links": broken, "orphans": orphans,
                "isolated": isolated, "unused_attachments": unused}

    def backlinks(self, name: str) -> dict:
        target = self.resolve(name, self.root, wiki=True)
        if target is None:
            return {"ok": False, "error": f"no note named {name!r}"}
        hits = [{"note": self.rel(n), "line": lk["line"]} for n, links in self.links.items() for lk in links
                if lk["to"] == target and n != target]
        return {"ok": True, "note": self.rel(target), "count": len(hits), "backlinks": hits}


def daily(root: Path, folder: str, day: date, template: str | None) -> dict:
    """Create the day's note if it does not exist (never overwrites); returns its path."""
    path = root / folder / f"{day.isoformat()}.md"
    if path.exists():
        return {"ok": True, "path": str(path), "created": False}
    text = f"# {day.isoformat()}\n\n"
    if template:
        text = (root / template).read_text(encoding="utf-8").replace("{{date}}", day.isoformat()).replace(
            "{{title}}", day.isoformat())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return {"ok": True, "path": str(path), "created": True}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("vault", help="the vault's root folder")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("report", help="broken links, orphans, isolated notes, unused attachments")
    b = sub.add_parser("backlinks", help="notes linking to one note")
    b.add_argument("note", help="note name as in a wikilink")
    d = sub.add_parser("daily", help="create today's daily note if missing")
    d.add_argument("--folder", default="", help="daily notes folder inside the vault (Logseq: journals)")
    d.add_argument("--date", help="YYYY-MM-DD instead of today")
    d.add_argument("--template", help="template note path inside the vault ({{date}} is filled in)")
    for x in (r, b, d):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    root = Path(os.path.expanduser(args.vault)).resolve()
    if not root.is_dir():
        print(json.dumps({"ok": False, "error": f"not a folder: {root}"}, ensure_ascii=False))
        return 2
    try:
        if args.cmd == "daily":
            result = daily(root, args.folder, date.fromisoformat(args.date) if args.date else date.today(), args.template)
        else:
            v = Vault(root)
            result = v.report() if args.cmd == "report" else v.backlinks(args.note)
    except (OSError, ValueError) as exc:
        result = {"ok": False, "error": str(exc)}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result["ok"] else 2


if __name__ == "__main__":
    sys.exit(main())
