"""Turn a Markdown outline into a mind map file: OPML, FreeMind (.mm, opens in XMind), Markdown or an image.

Usage:
  mindmap.py OUTLINE.md --out map.opml|map.mm|map.md|map.png|map.svg [--title 中心主题] [--json]
  mindmap.py --text "# 主题\n## 分支\n- 要点" --out map.mm
The outline uses headings (#, ##, ...) and/or bullets ("-", "*", "+", "1.") indented by two or four spaces.
The first top-level item is the central topic unless --title is given. Images need Graphviz `dot`
(exit code 3 without it); OPML and .mm need nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

ITEM = re.compile(r"^(?P<indent>\s*)(?:(?P<hashes>#{1,6})\s+|(?:[-*+]|\d+[.)、])\s+)(?P<text>.+?)\s*$")


def parse_outline(text: str, title: str | None) -> dict:
    """A tree {text, children} from headings and indented bullets."""
    root = {"text": title or "", "children": []}
    stack = [(-1, root)]  # (level, node)
    heading_level = 0
    for line in text.expandtabs(4).splitlines():
        m = ITEM.match(line)
        if not m:
            continue
        if m["hashes"]:
            level = heading_level = len(m["hashes"]) - 1
        else:  # bullets sit below the latest heading, deeper by their indentation
            level = heading_level + 1 + len(m["indent"]) // 2
        node = {"text": m["text"].strip("*_ "), "children": []}
        while stack[-1][0] >= level:
            stack.pop()
        stack[-1][1]["children"].append(node)
        stack.append((level, node))
    if not title and len(root["children"]) == 1:
        return root["children"][0]
    root["text"] = root["text"] or "中心主题"
    return root


def depth(node: dict) -> int:
    """Levels in the tree, the centre counting as 1."""
    return 1 + max((depth(c) for c in node["children"]), default=0)


def count(node: dict) -> int:
    """Number of nodes."""
    return 1 + sum(count(c) for c in node["children"])


def to_opml(tree: dict) -> str:
    """OPML 2.0 outline."""
    opml = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(opml, "head"), "title").text = tree["text"]
    body = ET.SubElement(opml, "body")

    def add(parent, node):
        el = ET.SubElement(parent, "outline", text=node["text"])
        for c in node["children"]:
            add(el, c)

    add(body, tree)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(opml, encoding="unicode")


def to_freemind(tree: dict) -> str:
    """FreeMind .mm map (XMind, FreeMind and Freeplane import it)."""
    mm = ET.Element("map", version="1.0.1")

    def add(parent, node, level):
        el = ET.SubElement(parent, "node", TEXT=node["text"])
        if level == 1:  # alternate first-level branches left and right of the centre
            el.set("POSITION", "right" if len(parent.findall("node")) % 2 else "left")
        for c in node["children"]:
            add(el, c, level + 1)

    add(mm, tree, 0)
    return ET.tostring(mm, encoding="unicode")


def to_markdown(tree: dict) -> str:
    """A clean Markdown outline (markmap and most note apps draw it as a map)."""
    lines = [f"# {tree['text']}"]

    def add(node, level):
        for c in node["children"]:
            lines.append(f"{'  ' * level}- {c['text']}")
            add(c, level + 1)

    add(tree, 0)
    return "\n".join(lines) + "\n"


def to_dot(tree: dict) -> str:
    """Graphviz text for a radial map."""
    lines = ['graph M {', '  layout=twopi; ranksep=1.6; overlap=false;',
             '  node [fontname="Noto Sans CJK SC,Microsoft YaHei,PingFang SC,sans-serif", shape=box, style="rounded,filled", fillcolor="#eef4ff"];']
    ids = iter(range(1_000_000))

    def add(node, parent_id):
        nid = f"n{next(ids)}"
        attrs = ', fillcolor="#ffd98a", fontsize=18, root=true' if parent_id is None else ""
        lines.append(f"  {nid} [label={json.dumps(node['text'], ensure_ascii=False)}{attrs}];")
        if parent_id:
            lines.append(f"  {parent_id} -- {nid};")
        for c in node["children"]:
            add(c, nid)

    add(tree, None)
    return "\n".join(lines) + "\n}\n"


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outline", nargs="?")
    ap.add_argument("--text")
    ap.add_argument("--title")
    ap.add_argument("--out", required=True)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if not (a.outline or a.text):
        ap.error("give an outline file or --text")
    text = a.text.replace("\\n", "\n") if a.text else Path(a.outline).read_text(encoding="utf-8-sig")
    tree = parse_outline(text, a.title)
    if not tree["children"]:
        print(json.dumps({"error": "no outline items found (use #, ## headings or - bullets)"}), file=sys.stderr)
        return 2
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    suffix = out.suffix.lower()
    if suffix in (".png", ".svg", ".pdf"):
        if not shutil.which("dot"):
            print(json.dumps({"error": "Graphviz is not installed; write .opml/.mm/.md instead"}), file=sys.stderr)
            return 3
        subprocess.run(["dot", f"-T{suffix[1:]}", "-o", str(out)], input=to_dot(tree).encode(), check=True,
                       capture_output=True, timeout=60)
    else:
        writer = {".opml": to_opml, ".mm": to_freemind, ".md": to_markdown}.get(suffix)
        if writer is None:
            print(json.dumps({"error": f"unknown output type {suffix}"}), file=sys.stderr)
            return 2
        out.write_text(writer(tree), encoding="utf-8")
    result = {"out": str(out), "centre": tree["text"], "nodes": count(tree), "depth": depth(tree)}
    print(json.dumps(result, ensure_ascii=False, indent=1 if a.json else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
