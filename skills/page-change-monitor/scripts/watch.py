"""Check a web page against its last snapshot and report what changed.

Usage:
  watch.py URL [--selector ".price, #stock"] [--ignore "更新时间.*"] [--state-dir DIR] [--json]
  watch.py --list [--state-dir DIR]                 the pages being watched and when they last changed
  watch.py --forget URL [--selector SEL] [--state-dir DIR]
The first check of a page stores a baseline (changed=false, first=true). Later checks compare the
watched text (the selector's elements, else the main content) and return changed=true with the
added and removed lines. --ignore removes volatile text such as clocks or visitor counters first.
State lives in DIR (default: ./.page-watch) as one small JSON file per page and selector.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

# the shared helpers live in the webpage-reader skill, shipped alongside this one
sys.path.append(str(Path(__file__).resolve().parents[2] / "webpage-reader" / "scripts"))
from pagekit import emit, fetch, main_content, parse_html, run, select, text_of  # noqa: E402
from pagemd import to_markdown  # noqa: E402


def watched_text(html: str, url: str, selector: str | None, ignore: str | None) -> list[str]:
    """The lines being watched."""
    root = parse_html(html)
    if selector:
        hits = select(root, selector)
        if not hits:
            raise ValueError(f"selector {selector!r} matched nothing on the page (layout changed?)")
        lines = [text_of(h) for h in hits]
    else:
        lines = to_markdown(main_content(root), url).splitlines()
    if ignore:
        lines = [re.sub(ignore, "", ln) for ln in lines]
    return [ln.strip() for ln in lines if ln.strip()]


def state_file(state_dir: Path, url: str, selector: str | None) -> Path:
    """Where this page-and-selector's snapshot is kept."""
    key = hashlib.sha256(f"{url}\n{selector or ''}".encode()).hexdigest()[:16]
    return state_dir / f"{key}.json"


def check(a) -> dict:
    """Fetch, compare with the stored snapshot, store the new one."""
    page = fetch(a.url, obey_robots=not a.no_robots)
    lines = watched_text(page.text, page.url, a.selector, a.ignore)
    path = state_file(Path(a.state_dir), a.url, a.selector)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    state = {"url": a.url, "selector": a.selector, "lines": lines, "checked_at": now,
             "changed_at": old.get("changed_at") if old else now}
    result = {"url": a.url, "selector": a.selector, "checked_at": now, "first": old is None, "changed": False}
    if old is not None and old["lines"] != lines:
        diff = list(difflib.unified_diff(old["lines"], lines, lineterm="", n=0))
        result.update(changed=True, previous_check=old["checked_at"],
                      added=[d[1:] for d in diff if d.startswith("+") and not d.startswith("+++")][:50],
                      removed=[d[1:] for d in diff if d.startswith("-") and not d.startswith("---")][:50])
        state["changed_at"] = now
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    result["current"] = lines[:20]
    return result


def listing(state_dir: Path) -> dict:
    """Every watched page."""
    items = []
    for f in sorted(state_dir.glob("*.json")):
        s = json.loads(f.read_text(encoding="utf-8"))
        items.append({k: s.get(k) for k in ("url", "selector", "checked_at", "changed_at")})
    return {"watching": items}


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", nargs="?")
    ap.add_argument("--selector")
    ap.add_argument("--ignore")
    ap.add_argument("--state-dir", default=".page-watch")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--forget", action="store_true")
    ap.add_argument("--no-robots", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.list:
        result = listing(Path(a.state_dir))
    elif not a.url:
        ap.error("give a URL (or --list)")
    elif a.forget:
        path = state_file(Path(a.state_dir), a.url, a.selector)
        result = {"forgotten": path.exists(), "url": a.url}
        path.unlink(missing_ok=True)
    else:
        result = check(a)
    emit(result, a.json)
    return 0


if __name__ == "__main__":
    run(main)
