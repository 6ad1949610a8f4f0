#!/usr/bin/env python3
"""List installed skills from their SKILL.md frontmatter and rank them for a goal (read-only).

Default folders: the bundled skills folder this skill lives in, and the user's own skills folder.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from pathlib import Path

FIELDS = (("name", 3), ("name-zh", 3), ("keywords", 2), ("description-zh", 2), ("description", 1))
STOP = set("a an and the to of for in on with my me i you it is are be can do how what which use when user".split())


def default_dirs() -> list[Path]:
    bundled = Path(__file__).resolve().parents[2]
    if sys.platform == "darwin":
        data = Path.home() / "Library/Application Support/xiaodazi"
    elif sys.platform == "win32":
        data = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData/Local")) / "xiaodazi"
    else:
        data = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share")) / "xiaodazi"
    return [bundled, Path(os.environ.get("XIAODAZI_DATA_DIR", data)) / "skills"]


def load(dirs: list[Path]) -> list[dict]:
    """name, group, descriptions and keywords of every readable SKILL.md (later folders override)."""
    import yaml
    found: dict[str, dict] = {}
    for root in dirs:
        for md in sorted(root.glob("*/SKILL.md")) if root.is_dir() else []:
            m = re.match(r"^\ufeff?---\r?\n(.*?)\r?\n---", md.read_text(encoding="utf-8", errors="replace"), re.S)
            try:
                data = yaml.safe_load(m.group(1)) if m else None
            except yaml.YAMLError:
                continue
            if isinstance(data, dict) and data.get("name"):
                meta = data.get("metadata") or {}
                found[data["name"]] = {"name": data["name"], "description": str(data.get("description", "")).strip(),
                                       "group": meta.get("group", ""), "name-zh": meta.get("name-zh", ""),
                                       "description-zh": meta.get("description-zh", ""),
                                       "keywords": meta.get("keywords", ""), "path": str(md.parent)}
    return sorted(found.values(), key=lambda s: (s["group"], s["name"]))


def terms(text: str) -> set[str]:
    """Lower-case words (plural s dropped) and two-character pieces of Chinese runs."""
    out = {w.rstrip("s") if len(w) > 3 else w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP}
    for run in re.findall(r"[\u3400-\u9fff]+", text):
        out |= {run} if len(run) == 1 else {run[i : i + 2] for i in range(len(run) - 1)}
    return out


def rank(skills: list[dict], query: str, top: int) -> list[dict]:
    """Skills scored by weighted, rarity-adjusted term overlap with the query."""
    q = terms(query)
    fields = [{f: terms(s[f].replace("-", " ") if f == "name" else s[f]) for f, _ in FIELDS} for s in skills]
    df = {t: sum(1 for f in fields if any(t in v for v in f.values())) for t in q}
    scored = []
    for s, f in zip(skills, fields, strict=True):
        score = sum(w * math.log(1 + len(skills) / df[t]) for t in q for name, w in FIELDS if df[t] and t in f[name])
        if score > 0:
            scored.append({**s, "score": round(score, 2)})
    return sorted(scored, key=lambda s: -s["score"])[:top]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", action="append", help="skills folder to read (repeatable; default bundled + user)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    ls = sub.add_parser("list", help="all skills, optionally of one group")
    ls.add_argument("--group")
    s = sub.add_parser("search", help="skills for a goal, best first")
    s.add_argument("query")
    s.add_argument("--top", type=int, default=5)
    for x in (ls, s):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    skills = load([Path(os.path.expanduser(d)) for d in args.dir] if args.dir else default_dirs())
    if args.cmd == "list":
        chosen = [s for s in skills if not args.group or s["group"] == args.group]
        groups: dict[str, int] = {}
        for sk in skills:
            groups[sk["group"]] = groups.get(sk["group"], 0) + 1
        result = {"ok": True, "count": len(chosen), "groups": groups,
                  "skills": [{k: sk[k] for k in ("name", "name-zh", "group", "description")} for sk in chosen]}
    else:
        hits = rank(skills, args.query, args.top)
        result = {"ok": True, "query": args.query, "hits": [{k: h[k] for k in ("name", "name-zh", "group", "score", "description")} for h in hits]}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if args.cmd == "list" or result["hits"] else 1


if __name__ == "__main__":
    sys.exit(main())
