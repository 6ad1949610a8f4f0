"""Write a flowchart, architecture sketch or org chart as Mermaid, Graphviz DOT or draw.io, and render it.

Usage:
  diagram.py --steps "开始;填写申请;经理审批;财务付款;结束" --out flow.drawio [--json]
  diagram.py --spec graph.json --out arch.mmd|arch.dot|arch.drawio|arch.png|arch.svg [--direction LR]
graph.json: {"direction": "TB", "nodes": [{"id": "a", "label": "开始", "shape": "start"}, ...],
             "edges": [{"from": "a", "to": "b", "label": "同意"}, ...]}
Shapes: process (default), decision, start, end, data, database. With --steps the first and last steps
become start/end and steps ending in "?" or "？" become decisions. .png/.svg need Graphviz `dot` on PATH
(exit code 3 without it: write .mmd or .drawio instead, which need no renderer).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import quoteattr

MERMAID = {"process": '["{}"]', "decision": '{{"{}"}}', "start": '(["{}"])', "end": '(["{}"])',
           "data": '[/"{}"/]', "database": '[("{}")]'}
DOT = {"process": "box", "decision": "diamond", "start": "ellipse", "end": "ellipse", "data": "parallelogram",
       "database": "cylinder"}
DRAWIO = {"process": "rounded=1;whiteSpace=wrap;html=1;", "decision": "rhombus;whiteSpace=wrap;html=1;",
          "start": "ellipse;whiteSpace=wrap;html=1;", "end": "ellipse;whiteSpace=wrap;html=1;",
          "data": "shape=parallelogram;whiteSpace=wrap;html=1;", "database": "shape=cylinder3;whiteSpace=wrap;html=1;"}
CJK_FONT = "Noto Sans CJK SC,Microsoft YaHei,PingFang SC,SimHei,sans-serif"


def from_steps(text: str) -> dict:
    """A linear graph from ';'- or newline-separated steps."""
    steps = [s.strip() for s in text.replace("；", ";").replace("\n", ";").split(";") if s.strip()]
    nodes = []
    for i, label in enumerate(steps):
        shape = "decision" if label.endswith(("?", "？")) else "process"
        if i == 0 or i == len(steps) - 1:
            shape = "start" if i == 0 else "end"
        nodes.append({"id": f"n{i + 1}", "label": label, "shape": shape})
    edges = [{"from": a["id"], "to": b["id"]} for a, b in zip(nodes, nodes[1:], strict=False)]
    return {"direction": "TB", "nodes": nodes, "edges": edges}


def check(graph: dict) -> None:
    """Fail clearly on edges that point at unknown nodes or unknown shapes."""
    ids = {n["id"] for n in graph["nodes"]}
    bad = [e for e in graph["edges"] if e["from"] not in ids or e["to"] not in ids]
    if bad:
        raise ValueError(f"edges refer to unknown nodes: {bad}")
    for n in graph["nodes"]:
        n.setdefault("shape", "process")
        n.setdefault("label", n["id"])
        if n["shape"] not in DOT:
            raise ValueError(f"unknown shape {n['shape']!r}; use one of {sorted(DOT)}")


def to_mermaid(g: dict) -> str:
    """Mermaid flowchart text."""
    lines = [f"flowchart {g.get('direction', 'TB')}"]
    for n in g["nodes"]:
        lines.append(f"    {n['id']}" + MERMAID[n["shape"]].format(n["label"].replace('"', "'")))
    for e in g["edges"]:
        label = f"|{e['label']}|" if e.get("label") else ""
        lines.append(f"    {e['from']} -->{label} {e['to']}")
    return "\n".join(lines) + "\n"


def to_dot(g: dict) -> str:
    """Graphviz DOT text with a CJK-capable font."""
    q = json.dumps  # a JSON string is a valid quoted DOT string
    lines = ["digraph G {", f"  rankdir={g.get('direction', 'TB')};",
             f"  node [fontname={q(CJK_FONT)}, style=rounded];", f"  edge [fontname={q(CJK_FONT)}];"]
    lines += [f"  {q(n['id'])} [label={q(n['label'])}, shape={DOT[n['shape']]}];" for n in g["nodes"]]
    for e in g["edges"]:
        label = f" [label={q(e['label'])}]" if e.get("label") else ""
        lines.append(f"  {q(e['from'])} -> {q(e['to'])}{label};")
    return "\n".join(lines) + "\n}\n"


def layers(g: dict) -> dict:
    """Depth of each node along the edges (longest path from a root), for a simple layered layout."""
    depth = {n["id"]: 0 for n in g["nodes"]}
    for _ in range(len(depth)):  # relax edges; bounded so cycles cannot loop forever
        changed = False
        for e in g["edges"]:
            if depth[e["to"]] < depth[e["from"]] + 1 and depth[e["from"]] < len(depth):
                depth[e["to"]] = depth[e["from"]] + 1
                changed = True
        if not changed:
            break
    return depth


def to_drawio(g: dict) -> str:
    """draw.io (diagrams.net) XML with laid-out shapes and connectors."""
    depth, slots, cells = layers(g), {}, ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>']
    horizontal = g.get("direction", "TB") in ("LR", "RL")
    for n in g["nodes"]:
        d = depth[n["id"]]
        k = slots[d] = slots.get(d, -1) + 1
        x, y = (40 + d * 200, 40 + k * 110) if horizontal else (40 + k * 200, 40 + d * 110)
        cells.append(f'<mxCell id={quoteattr(n["id"])} value={quoteattr(n["label"])} style="{DRAWIO[n["shape"]]}" '
                     f'vertex="1" parent="1"><mxGeometry x="{x}" y="{y}" width="140" height="60" as="geometry"/>'
                     "</mxCell>")
    for i, e in enumerate(g["edges"], 1):
        cells.append(f'<mxCell id="e{i}" value={quoteattr(e.get("label", ""))} '
                     'style="edgeStyle=orthogonalEdgeStyle;rounded=0;html=1;endArrow=block;" edge="1" parent="1" '
                     f'source={quoteattr(e["from"])} target={quoteattr(e["to"])}>'
                     '<mxGeometry relative="1" as="geometry"/></mxCell>')
    body = "\n        ".join(cells)
    return ('<mxfile host="xiaodazi">\n  <diagram name="Page-1">\n    <mxGraphModel><root>\n        '
            f"{body}\n    </root></mxGraphModel>\n  </diagram>\n</mxfile>\n")


def render(dot_text: str, out: Path) -> None:
    """Render DOT to PNG/SVG with Graphviz."""
    subprocess.run(["dot", f"-T{out.suffix[1:]}", "-o", str(out)], input=dot_text.encode(), check=True,
                   capture_output=True, timeout=60)


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--steps")
    src.add_argument("--spec")
    ap.add_argument("--out", required=True)
    ap.add_argument("--direction", choices=("TB", "LR", "BT", "RL"))
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    try:
        graph = from_steps(a.steps) if a.steps else json.loads(Path(a.spec).read_text(encoding="utf-8"))
        if a.direction:
            graph["direction"] = a.direction
        check(graph)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(json.dumps({"error": f"bad diagram input: {exc}"}, ensure_ascii=False), file=sys.stderr)
        return 2
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    suffix = out.suffix.lower()
    if suffix in (".png", ".svg", ".pdf"):
        if not shutil.which("dot"):
            print(json.dumps({"error": "Graphviz 'dot' is not installed", "hint": "write .mmd or .drawio, or "
                              "install graphviz (winget install graphviz / brew install graphviz / apt install "
                              "graphviz)"}), file=sys.stderr)
            return 3
        render(to_dot(graph), out)
    else:
        writer = {".mmd": to_mermaid, ".md": to_mermaid, ".dot": to_dot, ".gv": to_dot, ".drawio": to_drawio,
                  ".xml": to_drawio}.get(suffix)
        if writer is None:
            print(json.dumps({"error": f"unknown output type {suffix}"}), file=sys.stderr)
            return 2
        out.write_text(writer(graph), encoding="utf-8")
    result = {"out": str(out), "nodes": len(graph["nodes"]), "edges": len(graph["edges"])}
    print(json.dumps(result, ensure_ascii=False, indent=1 if a.json else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
